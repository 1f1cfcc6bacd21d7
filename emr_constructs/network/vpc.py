"""A VPC for EMR data platforms: private cluster subnets, endpoints, encrypted flow logs, closed default group."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Fn, RemovalPolicy, Stack, Token, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.guard import GuardRule, acknowledge_guard, restrict_grants_to_aws_services
from emr_constructs.iam.keys import allow_cloudwatch_logs
from emr_constructs.network.props import InterfaceEndpoint, VpcProps
from emr_constructs.removal import safe_removal_policy
from emr_constructs.tags import tag_for_emr_managed_policy

#: ``logs.RetentionDays`` member of each retention CloudWatch offers (in Python the jsii enum's values are
#: member names, not days, so the days are spelt out; a test checks each against the synthesized template).
RETENTION_DAYS: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}

#: Construct id of each interface endpoint: stable per service, whatever order the settings list them in.
_ENDPOINT_IDS: dict[InterfaceEndpoint, str] = {
    InterfaceEndpoint.EMR: "EmrEndpoint",
    InterfaceEndpoint.STS: "StsEndpoint",
    InterfaceEndpoint.KMS: "KmsEndpoint",
    InterfaceEndpoint.CLOUDWATCH_LOGS: "CloudWatchLogsEndpoint",
    InterfaceEndpoint.CLOUDWATCH_MONITORING: "CloudWatchMonitoringEndpoint",
    InterfaceEndpoint.SSM: "SsmEndpoint",
    InterfaceEndpoint.SSM_MESSAGES: "SsmMessagesEndpoint",
    InterfaceEndpoint.EC2_MESSAGES: "Ec2MessagesEndpoint",
    InterfaceEndpoint.SECRETS_MANAGER: "SecretsManagerEndpoint",
    InterfaceEndpoint.GLUE: "GlueEndpoint",
}

#: The compliance packs' rule against 0.0.0.0/0 routes to an internet gateway.
_IGW_ROUTE_RULES = (
    "HIPAA.Security-VPCNoUnrestrictedRouteToIGW",
    "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW",
    "PCI.DSS.321-VPCNoUnrestrictedRouteToIGW",
)


class DataPlatformVpc(Construct):
    """A VPC whose cluster subnets are private, with the endpoints and logging an EMR platform needs.

    - One cluster subnet per AZ (``cluster_subnets``): PRIVATE_WITH_EGRESS when ``nat_gateways > 0``
      (plus a public tier holding only the NAT gateways, no public IPs on launch), ISOLATED with no
      internet gateway at all when ``nat_gateways == 0``. Tagged ``for-use-with-amazon-emr-managed-policies``.
    - Gateway endpoints for S3 and DynamoDB on the cluster subnets' route tables, always (free, and EMR
      reads its packages and your data from S3).
    - Interface endpoints (see :attr:`VpcProps.interface_endpoints`) with private DNS in the cluster
      subnets, behind one security group admitting TCP 443 from the VPC CIDR only.
    - A flow log of the whole VPC to a CloudWatch log group encrypted with ``flow_log_key`` (or a key
      created here, rotation on, usable only by CloudWatch Logs of this account and region), with the
      retention from props. The log group and a created key are RETAINed unless ``removal_policy`` says
      DESTROY and the ``emr-platform:allow-destroy`` context flag is set; a given key is left as it is.
    - The VPC's default security group stripped of all rules (CDK's ``restrict_default_security_group``
      custom resource, set explicitly so it does not depend on the app's feature flags).

    A given ``flow_log_key`` gets a key-policy statement for CloudWatch Logs when it is a key of this
    app; an imported key's policy must already allow ``logs.<region>.amazonaws.com``.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: VpcProps = VpcProps(),  # noqa: B008 - frozen dataclass, safe to share
        flow_log_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props

        isolated = props.nat_gateways == 0
        tiers = [
            ec2.SubnetConfiguration(
                name="Private",
                subnet_type=ec2.SubnetType.PRIVATE_ISOLATED if isolated else ec2.SubnetType.PRIVATE_WITH_EGRESS,
                cidr_mask=props.private_subnet_mask,
            )
        ]
        if not isolated:
            tiers.append(
                ec2.SubnetConfiguration(
                    name="Public",
                    subnet_type=ec2.SubnetType.PUBLIC,
                    cidr_mask=props.public_subnet_mask,
                    map_public_ip_on_launch=False,
                )
            )
        zones = self._zones(props)
        self.vpc = ec2.Vpc(
            self,
            "Resource",
            ip_addresses=ec2.IpAddresses.cidr(props.cidr),
            # CDK accepts either AZ names or a count, not both.
            max_azs=None if zones else props.max_azs,
            availability_zones=zones or None,
            nat_gateways=props.nat_gateways,
            subnet_configuration=tiers,
            restrict_default_security_group=True,
            enable_dns_hostnames=True,
            enable_dns_support=True,
        )
        self.cluster_subnets: list[ec2.ISubnet] = list(
            self.vpc.isolated_subnets if isolated else self.vpc.private_subnets
        )
        self.availability_zones: list[str] = list(self.vpc.availability_zones)
        for subnet in self.cluster_subnets:
            tag_for_emr_managed_policy(subnet)
        self._acknowledge_nat_routes()
        # CDK's singleton provider of restrict_default_security_group lives on the stack, not under this construct.
        provider = Stack.of(self).node.try_find_child("Custom::VpcRestrictDefaultSGCustomResourceProvider")
        if provider is not None:
            acknowledge_guard(
                provider,
                [GuardRule.LAMBDA_IN_VPC],
                "CDK's own handler that strips the default security group's rules: it only calls the EC2 API, "
                "holds no data, and runs once at deployment (CT.LAMBDA.PR.3 wants functions in a VPC).",
            )

        cluster_subnets = ec2.SubnetSelection(subnets=self.cluster_subnets)
        self.s3_endpoint = ec2.GatewayVpcEndpoint(
            self, "S3Endpoint", vpc=self.vpc, service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[cluster_subnets]
        )
        self.dynamodb_endpoint = ec2.GatewayVpcEndpoint(
            self,
            "DynamoDbEndpoint",
            vpc=self.vpc,
            service=ec2.GatewayVpcEndpointAwsService.DYNAMODB,
            subnets=[cluster_subnets],
        )
        self.endpoint_security_group: ec2.SecurityGroup | None = None
        self.interface_endpoints: dict[InterfaceEndpoint, ec2.InterfaceVpcEndpoint] = {}
        self._add_interface_endpoints(props.resolved_interface_endpoints(), cluster_subnets)

        policy = safe_removal_policy(self, removal_policy)
        self.flow_log_key: kms.IKey = flow_log_key or kms.Key(
            self,
            "FlowLogKey",
            description=f"Encrypts the VPC flow log of {self.node.path}",
            enable_key_rotation=True,
            removal_policy=policy,
        )
        if isinstance(self.flow_log_key, kms.Key):
            restrict_grants_to_aws_services(self.flow_log_key)
        allow_cloudwatch_logs(self, self.flow_log_key)
        self.flow_log_group = logs.LogGroup(
            self,
            "FlowLogGroup",
            encryption_key=self.flow_log_key,
            retention=RETENTION_DAYS[props.flow_log_retention_days],
            removal_policy=policy,
        )
        if props.flow_log_retention_days < 365:
            acknowledge_guard(
                self.flow_log_group,
                [GuardRule.LOG_GROUP_RETENTION],
                "CT.CLOUDWATCH.PR.2 wants 365 days or more; flow log retention is the VpcProps.flow_log_retention_days "
                "setting of each environment (a cost choice; the packs' 90/365-day rules are checked separately)",
            )
        self.flow_log_role, self.flow_log_policy = self._flow_log_role()
        self.flow_log = ec2.FlowLog(
            self,
            "FlowLog",
            resource_type=ec2.FlowLogResourceType.from_vpc(self.vpc),
            # CDK would write its grant into an inline DefaultPolicy (flagged by the NIST, HIPAA and PCI
            # packs); the managed policy above holds the same permissions instead.
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(
                self.flow_log_group, self.flow_log_role.without_policy_updates()
            ),
            traffic_type=ec2.FlowLogTrafficType[props.flow_log_traffic_type.value],
        )
        # The flow log service checks the role's permissions when the flow log is created.
        self.flow_log.node.add_dependency(self.flow_log_policy)

    def _add_interface_endpoints(self, endpoints: tuple[InterfaceEndpoint, ...], subnets: ec2.SubnetSelection) -> None:
        if not endpoints:
            return
        self.endpoint_security_group = ec2.SecurityGroup(
            self,
            "EndpointSecurityGroup",
            vpc=self.vpc,
            description="Interface VPC endpoints: HTTPS from inside the VPC only",
            allow_all_outbound=False,
        )
        # The literal CIDR rather than the VPC's CidrBlock attribute: the nag packs cannot evaluate a rule
        # whose peer is an intrinsic function (they report an error instead of a verdict).
        self.endpoint_security_group.add_ingress_rule(
            ec2.Peer.ipv4(self.props.cidr), ec2.Port.tcp(443), "HTTPS from the VPC to the interface endpoints"
        )
        for endpoint in endpoints:
            self.interface_endpoints[endpoint] = ec2.InterfaceVpcEndpoint(
                self,
                _ENDPOINT_IDS[endpoint],
                vpc=self.vpc,
                service=ec2.InterfaceVpcEndpointAwsService(endpoint.value),
                private_dns_enabled=True,
                subnets=subnets,
                security_groups=[self.endpoint_security_group],
                open=False,
            )

    def _flow_log_role(self) -> tuple[iam.Role, iam.ManagedPolicy]:
        stack = Stack.of(self)
        role = iam.Role(
            self,
            "FlowLogRole",
            description=f"VPC flow logs of {self.node.path} write to their log group",
            # Confused-deputy guard: only flow logs of this account may assume the role.
            assumed_by=iam.ServicePrincipal(
                "vpc-flow-logs.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": stack.format_arn(service="ec2", resource="vpc-flow-log", resource_name="*")
                    },
                },
            ),
        )
        policy = iam.ManagedPolicy(
            self,
            "FlowLogPolicy",
            description=f"Write the VPC flow log of {self.node.path} to its log group",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    resources=[self.flow_log_group.log_group_arn],
                )
            ],
        )
        return role, policy

    def _acknowledge_nat_routes(self) -> None:
        reason = (
            "Public subnet of the NAT gateway: the NAT gateway needs this 0.0.0.0/0 route to the internet gateway "
            "to give the private cluster subnets egress. Nothing else is placed here (MapPublicIpOnLaunch is false; "
            "clusters, endpoints and Redshift use the private subnets). Set nat_gateways=0 for no route at all."
        )
        for subnet in self.vpc.public_subnets:
            route = subnet.node.find_child("DefaultRoute")
            for rule in _IGW_ROUTE_RULES:
                Validations.of(route).acknowledge(Acknowledgment(id=rule, reason=reason))

    def _zones(self, props: VpcProps) -> list[str]:
        """The AZs to build in: the named ones; in an environment-agnostic stack, ``max_azs`` of the region's.

        CDK gives an environment-agnostic stack only two AZs (``Fn::GetAZs`` indexes 0 and 1), so
        ``max_azs=3`` would silently build two and a serverless warehouse (three AZs) would not fit. Selecting
        the region's first ``max_azs`` AZs with ``Fn::Select`` over ``Fn::GetAZs`` is resolved by CloudFormation
        in the deploy region, as CDK's own two are.
        """
        if props.availability_zones:
            return list(props.availability_zones)
        stack = Stack.of(self)
        if Token.is_unresolved(stack.region) and props.max_azs > len(stack.availability_zones):
            return [Fn.select(index, Fn.get_azs()) for index in range(props.max_azs)]
        return []
