"""How the operator CLI finds a platform's clusters in any app: two tags the constructs write.

Pure Python on purpose (no ``aws_cdk``): the CLI imports this module to read the tags, the constructs import it
to write them, so both sides agree on one spelling. ``emr_constructs.discovery_tags`` applies them in a CDK app.

- ``emr-platform:environment``: the environment (stage) name, e.g. ``prod``; applied once to a whole stage.
- ``emr-platform:cluster``: the cluster's name in the app's settings, e.g. ``analytics``; applied by ``EmrCluster``.
- ``emr-platform:application``: an EMR Serverless application's name, e.g. ``spark``; applied by
  ``EmrServerlessApplication``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Prefix of the CloudFormation exports the CLI reads (``emr-platform-<env>-<key>``), written by the bundled
#: app's stacks and by ``PlatformOutputs`` in any app.
EXPORT_PREFIX = "emr-platform"
ARTIFACTS_BUCKET = "ArtifactsBucketName"
LOGS_BUCKET = "LogsBucketName"
DATA_LAKE_KEY = "DataLakeKeyArn"

TAG_PREFIX = "emr-platform:"
ENVIRONMENT_TAG = f"{TAG_PREFIX}environment"
CLUSTER_TAG = f"{TAG_PREFIX}cluster"
APPLICATION_TAG = f"{TAG_PREFIX}application"

#: Template metadata key (on a pipeline's state machine) listing the ``s3://`` jars its jobs load with ``--jars``:
#: objects the deploy does not create, which ``emr-platform preflight`` checks exist.
JARS_METADATA = f"{TAG_PREFIX}jars"
#: Template ``Metadata`` keys (``<prefix><construct path>``) listing what a construct was given rather than created
#: (a database's secret, security group and endpoint; a table; a stream; their keys), as ``{"kind", "id"}``:
#: nothing in the deploy checks they exist, so ``emr-platform preflight`` does.
BROUGHT_METADATA_PREFIX = f"{TAG_PREFIX}brought:"
BROUGHT_KINDS = ("secret", "security-group", "database-endpoint", "dynamodb-table", "kinesis-stream", "kms-key")

# EC2/EMR tag values: up to 256 characters of letters, digits, spaces and + - = . _ : / @.
_TAG_VALUE = re.compile(r"^[\w .:/=+\-@]{1,256}$")


TAG_VALUE_RULE = "a discovery tag value is 1-256 letters, digits, spaces or '_ . : / = + - @'"
TAG_VALUE_ALLOWED = "e.g. 'prod', 'analytics'"


def is_valid_tag_value(value: object) -> bool:
    """Whether ``value`` can be a discovery tag value (EMR and EC2 accept it as a tag value)."""
    return isinstance(value, str) and bool(_TAG_VALUE.match(value))


def export_name(environment: str, key: str) -> str:
    """The export name of an environment-wide output, e.g. ``emr-platform-dev-ArtifactsBucketName``."""
    return f"{EXPORT_PREFIX}-{environment}-{key}"


def cluster_export_name(environment: str, cluster: str, attribute: str) -> str:
    """The export name of a cluster attribute (``id`` or ``log-uri``), e.g. ``emr-platform-dev-cluster-etl-id``."""
    return f"{EXPORT_PREFIX}-{environment}-cluster-{cluster}-{attribute}"


def application_export_name(environment: str, application: str, attribute: str) -> str:
    """The export name of an EMR Serverless application attribute (``id``, ``role-arn`` or ``log-uri``), e.g.
    ``emr-platform-prod-serverless-spark-id``."""
    return f"{EXPORT_PREFIX}-{environment}-serverless-{application}-{attribute}"


def cluster_tags(cluster: str, environment: str | None = None) -> dict[str, str]:
    """The tags that make a cluster findable: its name, and its environment when the caller knows it
    (a stage-wide environment tag from ``tag_platform_environment`` reaches the cluster too)."""
    tags = {CLUSTER_TAG: cluster}
    if environment is not None:
        tags[ENVIRONMENT_TAG] = environment
    return tags


@dataclass(frozen=True)
class TaggedIdentity:
    """What a resource's discovery tags say it is; either part may be missing on an untagged resource."""

    environment: str | None
    cluster: str | None
    application: str | None = None


def read_tags(tags: Iterable[Mapping[str, str]] | Mapping[str, str]) -> TaggedIdentity:
    """Read the discovery tags from an AWS tag list (``[{"Key": ..., "Value": ...}]``) or a plain mapping."""
    if isinstance(tags, Mapping):
        found = dict(tags)
    else:
        found = {t["Key"]: t["Value"] for t in tags if "Key" in t and "Value" in t}
    return TaggedIdentity(
        environment=found.get(ENVIRONMENT_TAG), cluster=found.get(CLUSTER_TAG), application=found.get(APPLICATION_TAG)
    )
