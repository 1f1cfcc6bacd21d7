"""Tests of emr_constructs.guard; ``DENY_GRANTS`` is the key-policy statement every library key carries."""

from typing import Any

#: What :func:`emr_constructs.guard.restrict_grants_to_aws_services` writes (CT.KMS.PR.3).
DENY_GRANTS: dict[str, Any] = {
    "Sid": "DenyGrantsExceptForAwsServices",
    "Effect": "Deny",
    "Principal": {"AWS": "*"},
    "Action": "kms:CreateGrant",
    "Resource": "*",
    "Condition": {"BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}},
}
