"""``EmrBlockPublicAccess``: EMR block public access on for the account and region (Security Hub EMR.2).

CloudFormation has no resource for this account-level setting, so a custom resource calls
``elasticmapreduce:PutBlockPublicAccessConfiguration`` on create and update. On delete it does nothing: removing
the construct must not open the account (the setting stays on; turn it off by hand if you really mean to).

The setting is one per account and region: put the construct in one baseline stack per account and region, never
in each environment's stacks. ``check_single_owner`` enforces that when an app deploys several environments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aws_cdk import CfnResource, Duration, Stack, Stage, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks, EmrConfigError, Problem
from emr_constructs.policy.acknowledge import acknowledge_sdk_call

#: The resource type in the template; ``emr-platform preflight`` reads the permitted ranges from it.
RESOURCE_TYPE = "Custom::EmrBlockPublicAccess"


@dataclass(frozen=True, kw_only=True)
class PortRange:
    """A port range that may be open to 0.0.0.0/0 or ::/0 on a cluster's security groups."""

    min_port: int
    max_port: int | None = None
    """Default: ``min_port`` (a single port)."""

    @property
    def last(self) -> int:
        return self.min_port if self.max_port is None else self.max_port


class EmrBlockPublicAccess(Construct):
    """Turns EMR block public access on for the stack's account and region.

    :param permitted_port_ranges: ports that may stay open to the internet on cluster security groups.
        Default: none (AWS's own default permits port 22; this construct closes it).
    :param log_retention: how long the custom resource's function keeps its logs. Default: one year.

    Attributes: ``resource`` (the custom resource), ``function_role`` (the role its function runs with).
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        permitted_port_ranges: Sequence[PortRange] = (),
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
    ) -> None:
        super().__init__(scope, id)
        ranges = tuple(permitted_port_ranges)
        checks = Checks()
        for index, port_range in enumerate(ranges):
            checks.require(
                0 <= port_range.min_port <= port_range.last <= 65535,
                f"permitted_port_ranges[{index}]",
                f"{port_range.min_port}-{port_range.last}",
                "a port range runs from a lower to a higher port within 0-65535",
                "e.g. PortRange(min_port=443) or PortRange(min_port=8443, max_port=8444)",
            )
        checks.raise_if_any(self.node.path)
        self.permitted_port_ranges = ranges
        wire_ranges = [{"MinRange": r.min_port, "MaxRange": r.last} for r in ranges]
        call = cr.AwsSdkCall(
            service="EMR",
            action="putBlockPublicAccessConfiguration",
            parameters={
                "BlockPublicAccessConfiguration": {
                    "BlockPublicSecurityGroupRules": True,
                    "PermittedPublicSecurityGroupRuleRanges": wire_ranges,
                }
            },
            # One physical id for the account's one setting; a change of ranges is an update, not a replacement.
            physical_resource_id=cr.PhysicalResourceId.of("emr-block-public-access"),
        )
        # The API has no resource-level permissions (the Service Authorization Reference lists no resource
        # type for it), so "*" is the only resource it accepts.
        statement = iam.PolicyStatement(actions=["elasticmapreduce:PutBlockPublicAccessConfiguration"], resources=["*"])
        self.function_role = iam.Role(
            self,
            "FunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Sets EMR block public access for the account and region (custom resource)",
        )
        self.log_group = logs.LogGroup(self, "Logs", retention=log_retention)
        self.log_group.grant_write(self.function_role)
        self.resource = cr.AwsCustomResource(
            self,
            "Resource",
            resource_type=RESOURCE_TYPE,
            on_create=call,
            on_update=call,
            # No on_delete: deleting the construct leaves block public access on.
            policy=cr.AwsCustomResourcePolicy.from_statements([statement]),
            role=self.function_role,
            install_latest_aws_sdk=False,
            log_group=self.log_group,
            timeout=Duration.minutes(2),
            memory_size=256,
        )
        # The permitted ranges also as a plain property, which `emr-platform preflight` compares the account with.
        cfn = next(
            c
            for c in self.resource.node.find_all()
            if isinstance(c, CfnResource) and c.cfn_resource_type == RESOURCE_TYPE
        )
        cfn.add_property_override("PermittedPortRanges", wire_ranges)
        self._acknowledge()

    def _acknowledge(self) -> None:
        acknowledge_sdk_call(
            self,
            action="elasticmapreduce:PutBlockPublicAccessConfiguration",
            touches="EMR's account-level block public access setting and its port numbers",
        )


@dataclass(frozen=True, kw_only=True)
class BlockPublicAccessOwner:
    """One environment's claim to own EMR block public access in an account and region."""

    environment: str
    account: str
    region: str


def check_single_owner(owners: Iterable[BlockPublicAccessOwner]) -> None:
    """Fail when two environments would both own the setting of one account and region: the second deploy
    would overwrite the first's port ranges, and deleting either would be a surprise to the other.
    Environment-agnostic owners (account or region unknown) cannot be compared and are rejected too."""
    seen: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for owner in owners:
        if not owner.account or not owner.region or owner.account.startswith("${") or owner.region.startswith("${"):
            problems.append(
                Problem(
                    "account/region",
                    f"{owner.account or '?'}/{owner.region or '?'}",
                    f"environment {owner.environment!r} owns EMR block public access but names no concrete account "
                    "and region",
                    "a 12-digit account and a region, e.g. 123456789012/eu-west-1",
                )
            )
            continue
        key = (owner.account, owner.region)
        if key in seen:
            problems.append(
                Problem(
                    "environment",
                    owner.environment,
                    f"EMR block public access of {owner.account}/{owner.region} is already owned by environment "
                    f"{seen[key]!r}: one account and region has one owner",
                    f"one baseline per account and region; owned so far: {json.dumps(sorted(map('/'.join, seen)))}",
                )
            )
            continue
        seen[key] = owner.environment
    if problems:
        raise EmrConfigError("EmrBlockPublicAccess", problems)


def check_single_owner_in(scope: IConstruct) -> list[BlockPublicAccessOwner]:
    """``check_single_owner`` over every ``EmrBlockPublicAccess`` under ``scope`` (an App: call it before
    ``app.synth()``). The environment is the construct's Stage name (the stack name outside a Stage); an
    environment-agnostic stack has no concrete account and region and is rejected. Returns the owners found."""
    owners = []
    for construct in scope.node.find_all():
        if not isinstance(construct, EmrBlockPublicAccess):
            continue
        stack = Stack.of(construct)
        stage = Stage.of(construct)
        environment = stage.stage_name if stage is not None and stage.stage_name else stack.stack_name
        account = "" if Token.is_unresolved(stack.account) else stack.account
        region = "" if Token.is_unresolved(stack.region) else stack.region
        owners.append(BlockPublicAccessOwner(environment=environment, account=account, region=region))
    check_single_owner(owners)
    return owners
