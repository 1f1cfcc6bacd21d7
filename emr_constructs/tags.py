"""Tags the library applies and relies on."""

from __future__ import annotations

from aws_cdk import Tags
from constructs import IConstruct

#: ``AmazonEMRServicePolicy_v2`` only acts on resources carrying this tag
#: (see aws/aws-cdk issue 23915): subnets, security groups and the cluster.
EMR_MANAGED_POLICY_TAG_KEY = "for-use-with-amazon-emr-managed-policies"
EMR_MANAGED_POLICY_TAG_VALUE = "true"


def tag_for_emr_managed_policy(scope: IConstruct) -> None:
    """Tag ``scope`` and its taggable children so the EMR v2 service policy may act on them."""
    Tags.of(scope).add(EMR_MANAGED_POLICY_TAG_KEY, EMR_MANAGED_POLICY_TAG_VALUE)
