"""The three EMR-managed security groups of a cluster in a private subnet, with the rules EMR requires."""

from __future__ import annotations

from enum import StrEnum

from aws_cdk import Token
from aws_cdk import aws_ec2 as ec2
from constructs import Construct, DependencyGroup

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks
from emr_constructs.guard import GuardRule, acknowledge_guard
from emr_constructs.network.prefix_lists import AwsManagedPrefixList, GatewayService, prefix_list_problems
from emr_constructs.tags import tag_for_emr_managed_policy

#: The cluster's primary node calls the EMR service through the service-access group on this port.
SERVICE_ACCESS_INGRESS_PORT = 9443
#: The EMR service (through the service-access group) reaches the cluster managers on the nodes here.
CLUSTER_MANAGER_PORT = 8443
HTTPS = 443


class EmrEgress(StrEnum):
    """What the primary and core/task groups may send out."""

    OPEN = "open"
    """All traffic to 0.0.0.0/0, as the groups EMR creates itself (acknowledged in the template)."""
    VPC_ENDPOINTS = "vpc-endpoints"
    """Only what a cluster in a private subnet needs: all traffic among the cluster's own groups, TCP 9443 from
    the primary node to the service-access group, HTTPS to the interface endpoints' group, and HTTPS to the S3
    and DynamoDB gateway endpoints' prefix lists. No rule to 0.0.0.0/0. For VPCs whose AWS services are all
    reached through endpoints."""


_OPEN_EGRESS_REASON = (
    "All traffic out, as the groups EMR creates itself: the nodes reach S3 (bootstrap, EMR's package repositories), "
    "the interface endpoints and each other. In an isolated VPC that reaches only the VPC and its endpoints; with a "
    "NAT gateway it is also a route to the internet (EMR Management Guide, 'Working with Amazon EMR-managed "
    "security groups', private subnets)."
)


class EmrSecurityGroups(Construct):
    """EMR-managed primary, core/task and service-access security groups for one VPC.

    Pass them to the cluster as ``EmrManagedMasterSecurityGroup``, ``EmrManagedSlaveSecurityGroup`` and
    ``ServiceAccessSecurityGroup``. No group admits any CIDR. The primary and core groups allow all outbound
    traffic, as the groups EMR creates itself do: the nodes must reach S3 (bootstrap, EMR's package
    repositories), the interface endpoints and each other, and EMR only adds *inbound* rules to managed groups
    it is given. In an isolated VPC (no NAT) that outbound traffic can only reach the VPC and its endpoints.
    The service-access group has no outbound rule but the ones below. The library adds only the rules EMR
    requires for a cluster in a private subnet and will not add itself:

    - service-access ingress TCP 9443 from the primary group;
    - service-access egress TCP 8443 to the primary group and to the core group.

    Everything else, e.g. the primary and core groups admitting each other and the service-access group,
    is added by EMR to these managed groups when a cluster is created. EMR does not remove those rules when
    the cluster terminates, and they reference the other groups, so deleting the stack fails with
    ``DependencyViolation`` until they are revoked. No rule admits any CIDR.

    The three rules are separate ``AWS::EC2::SecurityGroupIngress/Egress`` resources, so the groups never
    depend on each other. A cluster whose creation starts before they exist fails intermittently
    (terraform-aws-emr issue 34): make the cluster depend on :attr:`rules`
    (``cluster.node.add_dependency(groups.rules)``).
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc: ec2.IVpc,
        egress: EmrEgress = EmrEgress.OPEN,
        endpoint_security_group: ec2.ISecurityGroup | None = None,
        s3_prefix_list_id: str | None = None,
        dynamodb_prefix_list_id: str | None = None,
    ) -> None:
        """:param egress: default OPEN, EMR's own default; VPC_ENDPOINTS where every AWS service the cluster
            uses has an endpoint in the VPC (EMR Management Guide, "Working with Amazon EMR-managed security
            groups", private subnets).
        :param endpoint_security_group: the interface endpoints' group (``DataPlatformVpc.endpoint_security_group``),
            reached over HTTPS with VPC_ENDPOINTS.
        :param s3_prefix_list_id: the region's S3 prefix list (``pl-...``); with VPC_ENDPOINTS, HTTPS to S3 goes
            only to it. Default: found at deployment (:class:`AwsManagedPrefixList`, ``S3PrefixList``).
        :param dynamodb_prefix_list_id: the region's DynamoDB prefix list, likewise (``DynamoDbPrefixList``).
        """
        super().__init__(scope, id)
        checks = Checks()
        given = {"s3_prefix_list_id": s3_prefix_list_id, "dynamodb_prefix_list_id": dynamodb_prefix_list_id}
        for field, value in given.items():
            if value is not None and not Token.is_unresolved(value):
                checks.extend(prefix_list_problems(field, value))
        restricted = EmrEgress(egress) == EmrEgress.VPC_ENDPOINTS
        checks.require(
            restricted or (endpoint_security_group is None and not any(v is not None for v in given.values())),
            "egress",
            EmrEgress(egress).value,
            "endpoint_security_group and the prefix list ids only narrow restricted egress",
            EmrEgress.VPC_ENDPOINTS.value,
        )
        checks.raise_if_any(self.node.path)
        self.egress = EmrEgress(egress)
        #: The gateway endpoints' prefix lists HTTPS may go to (restricted egress only): given, or looked up.
        self.prefix_list_ids: dict[GatewayService, str] = {}
        self.primary = self._group(
            "Primary",
            vpc,
            "EMR-managed group of the primary node, EMR adds the cluster rules at launch",
            egress=not restricted,
        )
        self.core = self._group(
            "Core",
            vpc,
            "EMR-managed group of the core and task nodes, EMR adds the cluster rules at launch",
            egress=not restricted,
        )
        self.service_access = self._group(
            "ServiceAccess", vpc, "EMR service access to clusters in private subnets", egress=False
        )
        self.rules = DependencyGroup()
        self.service_access_ingress_from_primary = ec2.CfnSecurityGroupIngress(
            self,
            "ServiceAccessFromPrimary",
            group_id=self.service_access.security_group_id,
            source_security_group_id=self.primary.security_group_id,
            ip_protocol="tcp",
            from_port=SERVICE_ACCESS_INGRESS_PORT,
            to_port=SERVICE_ACCESS_INGRESS_PORT,
            description="EMR: the primary node reaches the EMR service through the service-access group",
        )
        self.service_access_egress_to_primary = self._egress_to("ServiceAccessToPrimary", self.primary, "primary node")
        self.service_access_egress_to_core = self._egress_to("ServiceAccessToCore", self.core, "core and task nodes")
        self.rules.add(self.service_access_ingress_from_primary)
        if restricted:
            self._restrict_egress(
                endpoint_security_group,
                {GatewayService.S3: s3_prefix_list_id, GatewayService.DYNAMODB: dynamodb_prefix_list_id},
            )
        else:
            for group in (self.primary, self.core):
                acknowledge_guard(
                    group, [GuardRule.EGRESS_OPEN_TO_WORLD, GuardRule.EGRESS_ALL_PROTOCOLS], _OPEN_EGRESS_REASON
                )
        tag_for_emr_managed_policy(self)

    @property
    def cluster_groups(self) -> tuple[ec2.ISecurityGroup, ec2.ISecurityGroup]:
        """The groups every node of the cluster is in (primary, core/task): what a database such as
        Redshift admits to let "the cluster" connect, e.g. ``redshift_group.add_ingress_rule(g, port)``."""
        return (self.primary, self.core)

    def _restrict_egress(
        self, endpoints: ec2.ISecurityGroup | None, prefix_lists: dict[GatewayService, str | None]
    ) -> None:
        # Every rule is a separate resource the groups do not know of, so CDK keeps each group's inline
        # "disallow all" placeholder: a group with no inline egress rule would get EC2's default rule (all
        # traffic to 0.0.0.0/0), which separate egress resources do not remove.
        nodes = {"Primary": self.primary, "Core": self.core}
        for source_name, source in nodes.items():
            for target_name, target in nodes.items():
                self._egress(
                    f"{source_name}To{target_name}",
                    source,
                    f"EMR: {source_name.lower()} nodes reach the cluster's {target_name.lower()} nodes",
                    to_group=target,
                )
        self._egress(
            "PrimaryToServiceAccess",
            self.primary,
            "EMR: the primary node reaches the EMR service through the service-access group",
            to_group=self.service_access,
            port=SERVICE_ACCESS_INGRESS_PORT,
        )
        self.prefix_list_ids = {
            service: given if given is not None else self._look_up(service) for service, given in prefix_lists.items()
        }
        for name, group in nodes.items():
            if endpoints is not None:
                self._egress(
                    f"{name}ToEndpoints", group, "HTTPS to the interface VPC endpoints", to_group=endpoints, port=HTTPS
                )
            for service, prefix_list_id in self.prefix_list_ids.items():
                label = "S3" if service == GatewayService.S3 else "DynamoDB"
                self._egress(
                    f"{name}To{label}",
                    group,
                    f"HTTPS to {label} (gateway endpoint)",
                    to_prefix_list=prefix_list_id,
                    port=HTTPS,
                )

    def _egress(
        self,
        id: str,
        group: ec2.ISecurityGroup,
        description: str,
        *,
        to_group: ec2.ISecurityGroup | None = None,
        to_prefix_list: str | None = None,
        port: int | None = None,
    ) -> ec2.CfnSecurityGroupEgress:
        """One egress rule of ``group`` as its own resource, which the cluster waits for (:attr:`rules`);
        all traffic without ``port``, else TCP on that port."""
        rule = ec2.CfnSecurityGroupEgress(
            self,
            id,
            group_id=group.security_group_id,
            destination_security_group_id=to_group.security_group_id if to_group is not None else None,
            destination_prefix_list_id=to_prefix_list,
            ip_protocol="-1" if port is None else "tcp",
            from_port=port,
            to_port=port,
            description=description,
        )
        self.rules.add(rule)
        return rule

    def _look_up(self, service: GatewayService) -> str:
        id = "S3PrefixList" if service == GatewayService.S3 else "DynamoDbPrefixList"
        return AwsManagedPrefixList(self, id, service=service).prefix_list_id

    def _group(self, id: str, vpc: ec2.IVpc, description: str, *, egress: bool) -> ec2.SecurityGroup:
        return ec2.SecurityGroup(self, id, vpc=vpc, description=description, allow_all_outbound=egress)

    def _egress_to(self, id: str, target: ec2.SecurityGroup, nodes: str) -> ec2.CfnSecurityGroupEgress:
        return self._egress(
            id,
            self.service_access,
            f"EMR: the service reaches the cluster manager on the {nodes}",
            to_group=target,
            port=CLUSTER_MANAGER_PORT,
        )
