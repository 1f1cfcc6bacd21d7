"""Tags the library applies and relies on."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Tags
from constructs import IConstruct

from emr_constructs.errors import Checks, Problem

#: ``AmazonEMRServicePolicy_v2`` only acts on resources carrying this tag
#: (see aws/aws-cdk issue 23915): subnets, security groups and the cluster.
EMR_MANAGED_POLICY_TAG_KEY = "for-use-with-amazon-emr-managed-policies"
EMR_MANAGED_POLICY_TAG_VALUE = "true"


def tag_for_emr_managed_policy(scope: IConstruct) -> None:
    """Tag ``scope`` and its taggable children so the EMR v2 service policy may act on them."""
    Tags.of(scope).add(EMR_MANAGED_POLICY_TAG_KEY, EMR_MANAGED_POLICY_TAG_VALUE)


#: AWS tag limits (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html): keys 1-128 characters,
#: values at most 256, and the ``aws:`` prefix reserved for AWS.
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256
RESERVED_TAG_PREFIX = "aws:"


def tag_problems(tags: Mapping[str, str], field: str = "tags") -> list[Problem]:
    """The one tag rule of the library, for every Props or settings section that takes tags."""
    checks = Checks()
    for key, value in tags.items():
        checks.require(
            0 < len(key) <= MAX_TAG_KEY_LENGTH
            and not key.lower().startswith(RESERVED_TAG_PREFIX)
            and len(value) <= MAX_TAG_VALUE_LENGTH,
            f"{field}.{key}",
            value,
            "not a valid tag",
            f"key 1-{MAX_TAG_KEY_LENGTH} characters not starting with '{RESERVED_TAG_PREFIX}', "
            f"value at most {MAX_TAG_VALUE_LENGTH} characters",
        )
    return checks.problems
