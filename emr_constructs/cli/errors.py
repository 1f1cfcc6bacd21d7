"""The errors operators hit, each turned into one line that says what is wrong and what to do."""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)

#: The operator fixes something (credentials, region, deploy, arguments) and runs the command again.
EXIT_USAGE = 2
#: The command ran and what it did failed (a step failed, a log is not there yet, AWS refused a request).
EXIT_FAILED = 1

#: The IAM action behind every AWS call the CLI makes: what an access-denied error names when AWS's message does
#: not, and the whole policy an operator role needs.
IAM_ACTIONS: dict[str, str] = {
    "DescribeStacks": "cloudformation:DescribeStacks",
    "DescribeCluster": "elasticmapreduce:DescribeCluster",
    "ListInstanceFleets": "elasticmapreduce:ListInstanceFleets",
    "ListInstanceGroups": "elasticmapreduce:ListInstanceGroups",
    "GetManagedScalingPolicy": "elasticmapreduce:GetManagedScalingPolicy",
    "AddJobFlowSteps": "elasticmapreduce:AddJobFlowSteps",
    "DescribeStep": "elasticmapreduce:DescribeStep",
    "ListSteps": "elasticmapreduce:ListSteps",
    "ListClusters": "elasticmapreduce:ListClusters",
    "GetBlockPublicAccessConfiguration": "elasticmapreduce:GetBlockPublicAccessConfiguration",
    "DescribeStackResource": "cloudformation:DescribeStackResource",
    "ListExports": "cloudformation:ListExports",
    "GetCallerIdentity": "sts:GetCallerIdentity",
    "GetParameter": "ssm:GetParameter",
    "ListSubscriptions": "sns:ListSubscriptions",
    "GetServiceQuota": "servicequotas:GetServiceQuota",
    "DescribeInstanceTypeOfferings": "ec2:DescribeInstanceTypeOfferings",
    "DescribeAvailabilityZones": "ec2:DescribeAvailabilityZones",
    "GetProducts": "pricing:GetProducts",
    "ListApplications": "emr-serverless:ListApplications",
    "GetApplication": "emr-serverless:GetApplication",
    "StartJobRun": "emr-serverless:StartJobRun",
    "GetJobRun": "emr-serverless:GetJobRun",
    "ListJobRuns": "emr-serverless:ListJobRuns",
    "GetPolicy": "iam:GetPolicy",
    "PutObject": "s3:PutObject",
    # S3 authorises GET and HEAD of an object as s3:GetObject.
    "GetObject": "s3:GetObject",
    "HeadObject": "s3:GetObject",
}

_DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Forbidden", "403"}
_BAD_CREDENTIAL_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
}
# AWS names the denied action in the message: "... is not authorized to perform: kms:GenerateDataKey on ...".
_DENIED_ACTION = re.compile(r"perform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)")


class CliError(Exception):
    """A problem the operator can act on: printed as ``error: <message>``, without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def explain(error: BotoCoreError | ClientError, *, region: str | None) -> CliError:
    """One line for an error from boto3: the common ones with their fix, anything else with AWS's own words."""
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return CliError(
            "no AWS credentials found: set AWS_PROFILE (or pass --profile), run `aws sso login`, "
            "or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(error, ProfileNotFound):
        return CliError(f"{error}: check --profile / AWS_PROFILE against ~/.aws/config")
    if isinstance(error, SSOTokenLoadError | UnauthorizedSSOTokenError | TokenRetrievalError):
        return CliError(f"the AWS SSO session has expired or is missing: run `aws sso login` ({error})")
    if isinstance(error, NoRegionError):
        return CliError("no AWS region: pass --region (e.g. --region eu-west-1) or set AWS_REGION")
    if isinstance(error, EndpointConnectionError):
        return CliError(
            f"cannot reach {error.kwargs.get('endpoint_url', 'the AWS endpoint')}: check that region "
            f"{region!r} is right (--region / AWS_REGION) and that the network allows HTTPS to AWS"
        )
    if isinstance(error, ClientError):
        return _explain_client_error(error)
    return CliError(f"AWS call failed: {error}", EXIT_FAILED)


def _explain_client_error(error: ClientError) -> CliError:
    details = error.response.get("Error", {})
    code = str(details.get("Code", ""))
    message = str(details.get("Message", "")) or str(error)
    operation = error.operation_name
    if code in _DENIED_CODES or code.startswith("AccessDenied"):
        found = _DENIED_ACTION.search(message)
        action = found.group(1) if found else IAM_ACTIONS.get(operation, f"the {operation} call")
        hint = ""
        if operation in {"GetObject", "HeadObject"}:
            hint = " (S3 also answers 'access denied' for a missing object when s3:ListBucket is not allowed)"
        return CliError(f"access denied: your AWS identity may not call {action}{hint}: ask for it in your role")
    if code in _BAD_CREDENTIAL_CODES:
        return CliError(f"AWS rejected the credentials ({code}): refresh them (e.g. `aws sso login`) and retry")
    return CliError(f"{operation} failed: {code}: {message}", EXIT_FAILED)
