"""KMS key policy statement the Control Tower control CT.KMS.PR.3 asks for."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms


def restrict_grants_to_aws_services(key: kms.Key) -> None:
    """Deny ``kms:CreateGrant`` on ``key`` unless an AWS service creates the grant for a resource it integrates
    (EBS for EMR's encrypted volumes, Redshift, S3): a principal with the key's IAM permissions can then not hand
    its use on to anyone else through a grant (CT.KMS.PR.3)."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="DenyGrantsExceptForAwsServices",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["kms:CreateGrant"],
            resources=["*"],
            conditions={"BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}},
        )
    )
