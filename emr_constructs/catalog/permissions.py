"""The IAM actions Glue catalog users, crawlers and jobs need, in one place so tests and docs can name them.

Sources: Glue's IAM reference (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html)
and the EMR metastore guide (https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-hive-metastore-glue.html).
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import IConstruct

from emr_constructs.arguments import checked_arguments
from emr_constructs.policy.acknowledge import acknowledge_wildcard_resources

#: Read tables, partitions and functions: what Spark, Hive, Athena and Redshift Spectrum call to plan a query.
CATALOG_READ_ACTIONS: tuple[str, ...] = (
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetTableVersions",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
    "glue:GetUserDefinedFunction",
    "glue:GetUserDefinedFunctions",
)
#: Create and change tables and partitions of existing databases; creating or deleting databases is not granted.
CATALOG_WRITE_ACTIONS: tuple[str, ...] = (
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:BatchDeleteTable",
    "glue:DeleteTableVersion",
    "glue:BatchDeleteTableVersion",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
    "glue:BatchUpdatePartition",
    "glue:DeletePartition",
    "glue:BatchDeletePartition",
)
#: A crawler adds and updates tables and partitions; with ``DeleteBehavior: LOG`` it never deletes them.
CRAWLER_CATALOG_ACTIONS: tuple[str, ...] = (
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetTables",
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
    "glue:BatchUpdatePartition",
)
#: Glue writes crawler and job logs to CloudWatch Logs as the role; ``AssociateKmsKey`` lets it encrypt the log
#: group with the security configuration's key: https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
LOG_ACTIONS: tuple[str, ...] = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:AssociateKmsKey",
)
#: Job bookmarks (CSE-KMS) and encrypted logs need the role to use the key directly, not only through S3.
GLUE_KEY_ACTIONS: tuple[str, ...] = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey")
#: What CloudWatch Logs needs on a key that encrypts log groups (explicit, instead of the documented ``kms:*X*``):
#: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
LOGS_SERVICE_KEY_ACTIONS: tuple[str, ...] = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
)


def glue_log_groups_arn(scope: IConstruct, name_prefix: str) -> str:
    """ARN pattern of the Glue log groups whose names start with ``name_prefix`` (``/aws-glue/crawlers``)."""
    return Stack.of(scope).format_arn(
        service="logs", resource="log-group", resource_name=f"{name_prefix}*", arn_format=ArnFormat.COLON_RESOURCE_NAME
    )


def glue_log_streams_arn(scope: IConstruct, name_prefix: str) -> str:
    """ARN pattern of the log streams in the Glue log groups whose names start with ``name_prefix``."""
    return Stack.of(scope).format_arn(
        service="logs",
        resource="log-group",
        resource_name=f"{name_prefix}*:log-stream:*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


@checked_arguments
def grant_glue_logging(role: iam.Role, *, log_prefix: str, key: kms.IKey, names: str) -> None:
    """Let a crawler or job ``role`` write (and encrypt with ``key``) the log groups Glue creates under
    ``log_prefix``; ``names`` says how Glue names them, for the acknowledgement of the wildcard ARNs."""
    log_groups = glue_log_groups_arn(role, log_prefix)
    log_streams = glue_log_streams_arn(role, log_prefix)
    role.add_to_principal_policy(iam.PolicyStatement(actions=list(LOG_ACTIONS), resources=[log_groups, log_streams]))
    role.add_to_principal_policy(iam.PolicyStatement(actions=list(GLUE_KEY_ACTIONS), resources=[key.key_arn]))
    acknowledge_wildcard_resources(
        role,
        [log_groups, log_streams],
        f"Glue names {names} at run time; the role may only write and encrypt log groups under that prefix.",
    )
