"""Key policies the library's log groups need, in one place (flow logs, EMR Serverless job logs)."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import IConstruct


def allow_cloudwatch_logs(scope: IConstruct, key: kms.IKey) -> None:
    """Let CloudWatch Logs of ``scope``'s region use ``key`` for log groups of this account and region.

    The log group's own ARN cannot be named: the group refers to the key, so the key policy referring
    to the group would be a circular dependency (and a fixed group name would break re-deploying after
    a RETAINed group was left behind). Only the logs service of this region may use the key, only inside a
    log-group encryption context of this account.
    """
    stack = Stack.of(scope)
    log_groups = stack.format_arn(
        service="logs", resource="log-group", resource_name="*", arn_format=ArnFormat.COLON_RESOURCE_NAME
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudWatchLogsOfThisRegion",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.{stack.url_suffix}")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
        ),
        allow_no_op=True,
    )
