"""AWS-managed prefix lists (S3, DynamoDB gateway endpoints) as security-group destinations.

A prefix list id is region-specific and the library makes no lookup at synth (no account here, none in CI),
so where none is given, :class:`AwsManagedPrefixList` finds it at deployment: a CloudFormation custom resource
asks EC2 for ``com.amazonaws.<region>.<service>`` in the region the stack deploys to.
"""

from __future__ import annotations

import re
from enum import StrEnum

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import custom_resources as cr
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Problem
from emr_constructs.guard import GuardRule, acknowledge_guard
from emr_constructs.policy.acknowledge import SDK_CALL_HANDLER_ID, acknowledge_sdk_call

_PREFIX_LIST = re.compile(r"^pl-([0-9a-f]{8}|[0-9a-f]{17})$")
_ID_PATH = "PrefixLists.0.PrefixListId"


class GatewayService(StrEnum):
    """The services whose gateway endpoints are reached through an AWS-managed prefix list."""

    S3 = "s3"
    DYNAMODB = "dynamodb"


def prefix_list_problems(field: str, value: str | None) -> list[Problem]:
    """The problem with ``value`` as a prefix list id (``None`` means "not given" and is fine)."""
    if value is None or _PREFIX_LIST.match(value):
        return []
    return [Problem(field, value, "not a prefix list id", "pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'")]


class AwsManagedPrefixList(Construct):
    """The id of the AWS-managed prefix list of ``service`` in the stack's region, found at deployment.

    ``prefix_list_id`` is a token for ``ec2.Peer.prefix_list(...)``. The lookup is a ``Custom::AWS`` resource
    (CDK's ``AwsCustomResource``) calling ``ec2:DescribeManagedPrefixLists``, a read-only API without
    resource-level permissions; it runs when the stack is created or updated and holds no data. Give the id
    yourself where you know it and want no function in the stack.
    """

    @checked_arguments
    def __init__(self, scope: Construct, id: str, *, service: GatewayService) -> None:
        super().__init__(scope, id)
        self.service = GatewayService(service)
        name = f"com.amazonaws.{Stack.of(self).region}.{self.service.value}"
        self.resource = cr.AwsCustomResource(
            self,
            "Resource",
            on_update=cr.AwsSdkCall(
                service="EC2",
                action="describeManagedPrefixLists",
                parameters={"Filters": [{"Name": "prefix-list-name", "Values": [name]}]},
                physical_resource_id=cr.PhysicalResourceId.of(name),
                output_paths=[_ID_PATH],
            ),
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["ec2:DescribeManagedPrefixLists"], resources=["*"])]
            ),
            install_latest_aws_sdk=False,
            # The stack's one handler function is configured by the first custom resource that creates it.
            timeout=Duration.minutes(2),
            memory_size=256,
        )
        self.prefix_list_id: str = self.resource.get_response_field(_ID_PATH)
        _acknowledge_lookup(self)


def _acknowledge_lookup(lookup: AwsManagedPrefixList) -> None:
    acknowledge_sdk_call(
        lookup.resource, action="ec2:DescribeManagedPrefixLists", touches="the id of an AWS-managed prefix list"
    )
    handler = Stack.of(lookup).node.try_find_child(SDK_CALL_HANDLER_ID)
    if handler is not None:
        acknowledge_guard(
            handler,
            [GuardRule.LAMBDA_IN_VPC, GuardRule.LOG_GROUP_ENCRYPTED],
            "CDK's AwsCustomResource handler that reads a prefix list id: it only calls the EC2 API, holds no data, "
            "and runs at deployment (CT.LAMBDA.PR.3 wants functions in a VPC); its log holds that call only "
            "(CT.CLOUDWATCH.PR.3 wants a KMS key; CloudWatch Logs encrypts it with its own).",
        )
