"""Rules and wiring the sources share: ARNs a user brings, ingress from compute groups."""

from __future__ import annotations

import re

from aws_cdk import Names, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from emr_constructs.discovery import BROUGHT_METADATA_PREFIX
from emr_constructs.errors import Checks
from emr_constructs.guard import restrict_grants_to_aws_services

_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]{36}$")


def require_arn(checks: Checks, field: str, value: str | None, pattern: re.Pattern[str], allowed: str) -> None:
    """A brought resource's ARN must be one (a name or an id in its place fails at deploy time, or silently)."""
    if value is not None:
        checks.require(lambda: bool(pattern.match(value)), field, value, "not an ARN of this kind", allowed)


def require_key_arn(checks: Checks, field: str, value: str | None) -> None:
    require_arn(checks, field, value, _KMS_KEY_ARN, "arn:aws:kms:<region>:<account>:key/<key id> (not an alias)")


def record_brought(owner: Construct, *resources: tuple[str, str | None]) -> None:
    """List ``(kind, id)`` of what ``owner`` was given in its stack's template metadata (``None`` ids skipped),
    where ``emr-platform preflight`` checks each exists before the first deploy."""
    entries = [{"kind": kind, "id": value} for kind, value in resources if value is not None]
    if entries:
        Stack.of(owner).add_metadata(f"{BROUGHT_METADATA_PREFIX}{owner.node.path}", entries)


def brought_key(owner: Construct, key_arn: str | None) -> kms.IKey | None:
    """The key a brought resource names, as ``owner``'s ``Key`` (none: the resource uses an AWS owned key)."""
    return kms.Key.from_key_arn(owner, "Key", key_arn) if key_arn is not None else None


def own_key(owner: Construct, what: str, policy: RemovalPolicy) -> kms.Key:
    """A created resource's own key, as ``owner``'s ``Key``: rotation on, removed only with the resource, grants
    only by AWS services (CT.KMS.PR.3)."""
    key = kms.Key(
        owner, "Key", description=f"{what} {owner.node.path}", enable_key_rotation=True, removal_policy=policy
    )
    restrict_grants_to_aws_services(key)
    return key


def grant_with_key(
    grant: iam.Grant, role: iam.IGrantable, key: kms.IKey | None, key_actions: tuple[str, ...]
) -> iam.Grant:
    """``grant`` plus ``key_actions`` on ``key`` alone (nothing when the data is under an AWS owned key)."""
    if key is None:
        return grant
    return grant.combine(
        iam.Grant.add_to_principal(grantee=role, actions=list(key_actions), resource_arns=[key.key_arn])
    )


class IngressRules:
    """Ingress on one port of ``target``, once per source group, as separate resources in ``owner``'s stack.

    Separate ``AWS::EC2::SecurityGroupIngress`` resources keep the source groups' stacks (network, compute) free
    of any dependency on the data source's stack. When a source group's stack already depends on ``owner``'s
    stack (``add_dependency``: the data sources deploy first, the compute that uses them after), its rules go
    into the group's stack instead, as children of the group, so the two stacks do not reference each other in a
    cycle. Granting the same group twice adds one rule. A source group the
    library knows to restrict its outbound traffic (a CDK ``SecurityGroup`` without ``allow_all_outbound``, such as
    an EMR Serverless application's) also gets the matching egress rule; EMR's node groups allow all outbound.
    """

    def __init__(self, owner: Construct, target_group_id: str, port: int, what: str) -> None:
        self._owner = owner
        self._target = target_group_id
        self._port = port
        self._what = what
        self._sources: list[ec2.ISecurityGroup] = []
        self.rules: list[ec2.CfnSecurityGroupIngress] = []
        self.egress_rules: list[ec2.CfnSecurityGroupEgress] = []

    def admit(self, group: ec2.ISecurityGroup) -> None:
        if any(group is known for known in self._sources):
            return
        index = len(self._sources)
        self._sources.append(group)
        scope, prefix = self._scope_for(group, index)
        self.rules.append(
            ec2.CfnSecurityGroupIngress(
                scope,
                f"{prefix}Ingress",
                group_id=self._target,
                source_security_group_id=group.security_group_id,
                ip_protocol="tcp",
                from_port=self._port,
                to_port=self._port,
                description=f"{self._what} clients in {group.node.path}",
            )
        )
        if isinstance(group, ec2.SecurityGroup) and not group.allow_all_outbound:
            self.egress_rules.append(
                ec2.CfnSecurityGroupEgress(
                    scope,
                    f"{prefix}Egress",
                    group_id=group.security_group_id,
                    destination_security_group_id=self._target,
                    ip_protocol="tcp",
                    from_port=self._port,
                    to_port=self._port,
                    description=f"To the {self._what.lower()} {self._owner.node.path}",
                )
            )

    def _scope_for(self, group: ec2.ISecurityGroup, index: int) -> tuple[Construct, str]:
        """Where the rules admitting ``group`` live, and their ids' prefix there."""
        owner_stack, group_stack = Stack.of(self._owner), Stack.of(group)
        if isinstance(group, Construct) and group_stack is not owner_stack and owner_stack in group_stack.dependencies:
            return group, f"To{Names.unique_id(self._owner)}"
        return self._owner, f"Client{index}"
