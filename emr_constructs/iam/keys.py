"""KMS key use in one place: key policies for log groups, and the scoped key grants of S3 data and EMR nodes."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
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


def grant_key_through_s3(key: kms.IKey, grantee: iam.IGrantable, bucket: s3.IBucket, *actions: str) -> iam.Grant:
    """Let ``grantee`` use ``key`` only through S3 and only for objects of ``bucket``.

    The one statement every S3 grant of the library uses for a bucket's KMS key: ``kms:ViaService`` names S3
    of the bucket's region, and ``kms:EncryptionContext:aws:s3:arn`` the bucket (with S3 Bucket Keys on, S3
    passes the bucket ARN as encryption context:
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html). The same key cannot be used
    directly, nor through S3 for another bucket.
    """
    return iam.Grant.add_to_principal(
        grantee=grantee, actions=list(actions), resource_arns=[key.key_arn], conditions=_through_s3(bucket)
    )


def key_through_s3_statement(key: kms.IKey, bucket: s3.IBucket, *actions: str) -> iam.PolicyStatement:
    """The statement :func:`grant_key_through_s3` grants, for a policy of one's own."""
    return iam.PolicyStatement(actions=list(actions), resources=[key.key_arn], conditions=_through_s3(bucket))


def _through_s3(bucket: s3.IBucket) -> dict[str, dict[str, str]]:
    return {
        "StringEquals": {
            "kms:ViaService": f"s3.{Stack.of(bucket).region}.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": bucket.bucket_arn,
        }
    }


def grant_key_outside_s3(key: kms.IKey, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
    """Let ``grantee`` call ``key`` directly, but never for an S3 object (no ``aws:s3:arn`` encryption context).

    For the nodes' own encryption (EMR local-disk encryption: the node asks KMS for the LUKS data key itself,
    so no AWS service sits in between to name in ``kms:ViaService``). Every S3 use of the key stays with
    :func:`grant_key_through_s3`, bucket by bucket.
    """
    return iam.Grant.add_to_principal(
        grantee=grantee,
        actions=list(actions),
        resource_arns=[key.key_arn],
        conditions={"Null": {"kms:EncryptionContext:aws:s3:arn": "true"}},
    )
