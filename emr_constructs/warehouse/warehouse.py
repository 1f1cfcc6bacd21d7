"""A Redshift warehouse next to the lake: Serverless by default, a provisioned cluster as an option."""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import ArnFormat, Names, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_redshift as redshift
from aws_cdk import aws_redshiftserverless as redshiftserverless
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.catalog import DataCatalog
from emr_constructs.errors import Checks
from emr_constructs.guard import GuardRule, acknowledge_guard, restrict_grants_to_aws_services
from emr_constructs.network.interfaces import IPlatformNetwork
from emr_constructs.policy.acknowledge import acknowledge, acknowledge_inline_policies, grant_target
from emr_constructs.removal import safe_removal_policy
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse.props import WarehouseKind, WarehouseProps

#: Redshift audit logs exported to CloudWatch Logs (connections, user changes, every query).
LOG_EXPORTS: tuple[str, ...] = ("connectionlog", "userlog", "useractivitylog")
#: Set on the Serverless workgroup and in the cluster parameter group: TLS only, and log every query.
DATABASE_PARAMETERS: dict[str, str] = {"require_ssl": "true", "enable_user_activity_logging": "true"}
#: Serverless places a workgroup in at least three subnets of three AZs:
#: https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html
SERVERLESS_MIN_SUBNETS = 3

DATA_API_EXECUTE_ACTIONS: tuple[str, ...] = ("redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement")
#: These Data API actions take no resource ARN; they are limited to statements the caller itself ran:
#: https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
DATA_API_OWN_STATEMENT_ACTIONS: tuple[str, ...] = (
    "redshift-data:DescribeStatement",
    "redshift-data:GetStatementResult",
    "redshift-data:CancelStatement",
    "redshift-data:ListStatements",
)
SERVERLESS_CREDENTIAL_ACTIONS: tuple[str, ...] = (
    "redshift-serverless:GetCredentials",
    "redshift-serverless:GetWorkgroup",
)
CLUSTER_CREDENTIAL_ACTIONS: tuple[str, ...] = ("redshift:GetClusterCredentials",)

_DATA_API_REASON = (
    "The Redshift Data API's DescribeStatement, GetStatementResult, CancelStatement and ListStatements accept no "
    "resource ARN (Service Authorization Reference, Amazon Redshift Data API); the statement is limited by the "
    "condition redshift-data:statement-owner-iam-userid = ${aws:userid} to statements the caller ran itself."
)
_ROLE_INLINE_REASON = (
    "The warehouse role's inline default policy holds only its lake and catalog grants (named buckets, "
    "prefixes and Glue databases); it is created, reviewed and deleted with the role."
)
_DEFAULT_PORT_REASON = (
    "The port is not a security control: the cluster is private (no public access, private subnets) and its "
    "security group admits only the given client security groups; 5439 is what clients and drivers expect."
)
_NAME_CHARS = re.compile(r"[^a-z0-9]+")


class Warehouse(Construct):
    """Amazon Redshift for the platform's BI layer, private and encrypted, loading from and querying the lake.

    - ``kind=serverless`` (default): a namespace (``Namespace``, the data) and a workgroup (``Resource``, the
      compute) in at least three private subnets. ``kind=provisioned``: a cluster (``Resource``) with a subnet
      group and a parameter group.
    - Never publicly accessible; in ``network.cluster_subnets`` only; enhanced VPC routing on, so COPY, UNLOAD and
      Spectrum traffic to S3 stays in the VPC (the network needs an S3 gateway endpoint).
    - Encrypted with its own KMS key (rotation on), kept apart from the lake key so the warehouse's key policy
      and lifetime do not touch the lake; the same key encrypts the admin secret.
    - Admin password generated and kept in Secrets Manager by Redshift (``ManageAdminPassword`` /
      ``ManageMasterPassword``); no password is in the template.
    - TLS required and user activity logged; connection, user and user-activity logs go to CloudWatch Logs
      (audit logs to S3 would need an SSE-S3 bucket; the lake's buckets are SSE-KMS).
    - Its security group admits ``client_security_groups`` on the port and nothing else; outbound only HTTPS
      (S3 through the gateway endpoint, and AWS APIs).
    - An IAM role, attached as the default role of the namespace (the cluster's role on a provisioned cluster,
      where CloudFormation cannot set a default), may COPY from the curated prefix, COPY and UNLOAD on the
      analytics prefix, and read the Glue databases of ``spectrum_zones`` for Spectrum.

    Key, namespace and cluster are RETAINed unless ``removal_policy=RemovalPolicy.DESTROY`` is passed *and* the
    app runs with ``-c emr-platform:allow-destroy=true``.

    Example::

        warehouse = Warehouse(stack, "Warehouse", network=network, lake=lake, catalog=catalog,
                              client_security_groups=(emr_groups.primary, emr_groups.core))
        warehouse.grant_data_api(cluster.roles.instance_role)
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: WarehouseProps = WarehouseProps(),  # noqa: B008 - frozen dataclass, safe to share
        network: IPlatformNetwork,
        lake: DataLake,
        catalog: DataCatalog | None = None,
        client_security_groups: Sequence[ec2.ISecurityGroup] = (),
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        checks = Checks.of(props)
        subnets = list(network.cluster_subnets)
        if props.kind == WarehouseKind.SERVERLESS:
            checks.require(
                len(subnets) >= SERVERLESS_MIN_SUBNETS,
                "network.cluster_subnets",
                len(subnets),
                f"Redshift Serverless needs at least {SERVERLESS_MIN_SUBNETS} subnets in {SERVERLESS_MIN_SUBNETS} "
                "availability zones",
                f"a network with {SERVERLESS_MIN_SUBNETS} or more cluster subnets, or kind 'provisioned'",
            )
        checks.raise_if_any(self.node.path)
        self.props = props
        self.kind = props.kind
        self.port = props.port
        self.database_name = props.database_name
        self.name = props.name or self._derived_name()
        self.removal_policy = safe_removal_policy(self, removal_policy)

        self.key = kms.Key(
            self,
            "Key",
            description=f"Redshift warehouse {self.node.path}: data, snapshots and admin secret",
            enable_key_rotation=True,
            removal_policy=self.removal_policy,
        )
        restrict_grants_to_aws_services(self.key)

        principals: list[iam.IPrincipal] = [iam.ServicePrincipal("redshift.amazonaws.com")]
        if props.kind == WarehouseKind.SERVERLESS:
            # Serverless assumes the namespace's roles as redshift-serverless (COPY, UNLOAD, Spectrum).
            principals.append(iam.ServicePrincipal("redshift-serverless.amazonaws.com"))
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.CompositePrincipal(*principals),
            description=f"COPY, UNLOAD and Spectrum role of the Redshift warehouse {self.node.path}",
        )
        lake.grant_read(Zone.CURATED, self.role, prefix=props.curated_prefix)
        lake.grant_read_write(Zone.ANALYTICS, self.role, prefix=props.analytics_prefix)
        if catalog is not None and props.spectrum_zones:
            catalog.grant_read(self.role, props.spectrum_zones)
        acknowledge_inline_policies(self.role, _ROLE_INLINE_REASON)

        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=network.vpc,
            allow_all_outbound=False,
            description=f"Redshift warehouse {self.node.path}: clients on {props.port}, HTTPS out",
        )
        # DataPlatformVpc's interface endpoints have a group of their own (IPlatformNetwork does not promise one).
        endpoints: ec2.ISecurityGroup | None = getattr(network, "endpoint_security_group", None)
        if endpoints is not None:
            self.security_group.add_egress_rule(
                endpoints, ec2.Port.tcp(443), "HTTPS to the interface VPC endpoints (Glue, KMS, STS)"
            )
        if props.s3_prefix_list_id is not None:
            self.security_group.add_egress_rule(
                ec2.Peer.prefix_list(props.s3_prefix_list_id), ec2.Port.tcp(443), "HTTPS to S3 (gateway endpoint)"
            )
        else:
            self.security_group.add_egress_rule(
                ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to S3 (gateway endpoint), Glue, KMS and STS"
            )
            acknowledge_guard(
                self.security_group,
                [GuardRule.EGRESS_OPEN_TO_WORLD],
                "HTTPS (TCP 443) only: with enhanced VPC routing S3 traffic follows the VPC's routes to the S3 "
                "gateway endpoint; Glue, KMS and STS go to the interface endpoints where the network has them, "
                "else through the NAT gateway. Set WarehouseProps.s3_prefix_list_id to narrow it to S3.",
            )
        self._clients: list[ec2.ISecurityGroup] = []
        for client in client_security_groups:
            self.allow_client(client)

        self.namespace: redshiftserverless.CfnNamespace | None = None
        self.workgroup: redshiftserverless.CfnWorkgroup | None = None
        self.cluster: redshift.CfnCluster | None = None
        self.subnet_group: redshift.CfnClusterSubnetGroup | None = None
        self.parameter_group: redshift.CfnClusterParameterGroup | None = None
        subnet_ids = [subnet.subnet_id for subnet in subnets]
        if props.kind == WarehouseKind.SERVERLESS:
            self._serverless(subnet_ids)
        else:
            self._provisioned(subnet_ids)

    # -- attributes -----------------------------------------------------------------------------------

    @property
    def identifier(self) -> str:
        """The workgroup name (serverless) or the cluster identifier (provisioned): the dimension of the
        warehouse's CloudWatch metrics, and how operators name it in the console and CLI."""
        if self.workgroup is not None:
            return self.workgroup.ref
        return self._cluster().ref

    @property
    def endpoint_address(self) -> str:
        if self.workgroup is not None:
            return self.workgroup.attr_workgroup_endpoint_address
        return self._cluster().attr_endpoint_address

    @property
    def jdbc_url(self) -> str:
        """``jdbc:redshift:iam://<endpoint>:<port>/<database>``: the URL the spark-redshift connector uses with
        temporary IAM credentials (see :meth:`grant_data_api`)."""
        return f"jdbc:redshift:iam://{self.endpoint_address}:{self.port}/{self.database_name}"

    @property
    def admin_secret_arn(self) -> str:
        """ARN of the Secrets Manager secret Redshift keeps the admin credentials in."""
        if self.namespace is not None:
            return self.namespace.get_att("Namespace.AdminPasswordSecretArn").to_string()
        return self._cluster().attr_master_password_secret_arn

    @property
    def data_api_target_arn(self) -> str:
        """The ARN the Data API's ExecuteStatement is authorized on: the workgroup or the cluster."""
        if self.workgroup is not None:
            return self.workgroup.attr_workgroup_workgroup_arn
        return self._cluster_arn("cluster", self._cluster().ref)

    # -- wiring ---------------------------------------------------------------------------------------

    def allow_client(self, client: ec2.ISecurityGroup) -> None:
        """Admit ``client`` (an EMR node group, say) on the warehouse port.

        The rule is a separate resource in this construct's stack, so a client group from the network stack
        gains no dependency on this stack. The client group must allow the outbound traffic itself (the
        library's EMR groups allow all outbound, like EMR's own managed groups).
        """
        index = len(self._clients)
        self._clients.append(client)
        ec2.CfnSecurityGroupIngress(
            self,
            f"Client{index}Ingress",
            group_id=self.security_group.security_group_id,
            source_security_group_id=client.security_group_id,
            ip_protocol="tcp",
            from_port=self.port,
            to_port=self.port,
            description=f"Redshift clients in {client.node.path}",
        )

    @checked_arguments
    def grant_data_api(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` (the EMR instance role) run SQL on this warehouse only, through the Redshift Data API and
        through the spark-redshift connector with temporary credentials.

        - Serverless: Data API on the workgroup ARN; ``redshift-serverless:GetCredentials`` and ``GetWorkgroup``
          on the workgroup ARN (the database user is mapped from the IAM identity).
        - Provisioned: Data API on the cluster ARN; ``redshift:GetClusterCredentials`` on the ``dbuser`` ARN of
          ``props.data_api_db_user`` and the ``dbname`` ARN of the database (the user must exist: no auto-create).
        - Both: reading results and cancelling only statements the caller ran itself (these actions take no ARN).
        """
        if self.workgroup is not None:
            credentials = iam.Grant.add_to_principal(
                grantee=grantee,
                actions=list(SERVERLESS_CREDENTIAL_ACTIONS),
                resource_arns=[self.workgroup.attr_workgroup_workgroup_arn],
            )
        else:
            cluster_id = self._cluster().ref
            credentials = iam.Grant.add_to_principal(
                grantee=grantee,
                actions=list(CLUSTER_CREDENTIAL_ACTIONS),
                resource_arns=[
                    self._cluster_arn("dbuser", f"{cluster_id}/{self.props.data_api_db_user}"),
                    self._cluster_arn("dbname", f"{cluster_id}/{self.database_name}"),
                ],
            )
        execute = iam.Grant.add_to_principal(
            grantee=grantee, actions=list(DATA_API_EXECUTE_ACTIONS), resource_arns=[self.data_api_target_arn]
        )
        own_statements = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(DATA_API_OWN_STATEMENT_ACTIONS),
            resource_arns=["*"],
            conditions={"StringEquals": {"redshift-data:statement-owner-iam-userid": "${aws:userid}"}},
        )
        target = grant_target(grantee)
        if target is not None:
            acknowledge(target, ["AwsSolutions-IAM5[Resource::*]"], _DATA_API_REASON)
        return execute.combine(credentials).combine(own_statements)

    # -- helpers --------------------------------------------------------------------------------------

    def _serverless(self, subnet_ids: list[str]) -> None:
        props = self.props
        self.namespace = redshiftserverless.CfnNamespace(
            self,
            "Namespace",
            namespace_name=self.name,
            db_name=props.database_name,
            admin_username=props.admin_username,
            manage_admin_password=True,
            admin_password_secret_kms_key_id=self.key.key_arn,
            kms_key_id=self.key.key_arn,
            iam_roles=[self.role.role_arn],
            default_iam_role_arn=self.role.role_arn,
            log_exports=list(LOG_EXPORTS),
        )
        self.namespace.apply_removal_policy(self.removal_policy)
        self.workgroup = redshiftserverless.CfnWorkgroup(
            self,
            "Resource",
            workgroup_name=self.name,
            namespace_name=self.namespace.ref,
            base_capacity=props.serverless.base_capacity,
            max_capacity=props.serverless.max_capacity,
            enhanced_vpc_routing=True,
            publicly_accessible=False,
            port=props.port,
            subnet_ids=subnet_ids,
            security_group_ids=[self.security_group.security_group_id],
            config_parameters=[
                redshiftserverless.CfnWorkgroup.ConfigParameterProperty(parameter_key=key, parameter_value=value)
                for key, value in DATABASE_PARAMETERS.items()
            ],
        )

    def _provisioned(self, subnet_ids: list[str]) -> None:
        props = self.props
        size = props.provisioned
        self.subnet_group = redshift.CfnClusterSubnetGroup(
            self, "SubnetGroup", description=f"Private subnets of {self.node.path}", subnet_ids=subnet_ids
        )
        self.parameter_group = redshift.CfnClusterParameterGroup(
            self,
            "ParameterGroup",
            description=f"TLS only and user activity logging for {self.node.path}",
            parameter_group_family="redshift-1.0",
            parameters=[
                redshift.CfnClusterParameterGroup.ParameterProperty(parameter_name=key, parameter_value=value)
                for key, value in DATABASE_PARAMETERS.items()
            ],
        )
        single = size.number_of_nodes == 1
        self.cluster = redshift.CfnCluster(
            self,
            "Resource",
            cluster_identifier=self.name,
            cluster_type="single-node" if single else "multi-node",
            node_type=size.node_type.value,
            number_of_nodes=None if single else size.number_of_nodes,
            db_name=props.database_name,
            master_username=props.admin_username,
            manage_master_password=True,
            master_password_secret_kms_key_id=self.key.key_arn,
            encrypted=True,
            kms_key_id=self.key.key_arn,
            port=props.port,
            publicly_accessible=False,
            enhanced_vpc_routing=True,
            cluster_subnet_group_name=self.subnet_group.ref,
            cluster_parameter_group_name=self.parameter_group.ref,
            vpc_security_group_ids=[self.security_group.security_group_id],
            iam_roles=[self.role.role_arn],
            logging_properties=redshift.CfnCluster.LoggingPropertiesProperty(
                log_destination_type="cloudwatch", log_exports=list(LOG_EXPORTS)
            ),
            allow_version_upgrade=True,
            automated_snapshot_retention_period=size.automated_snapshot_retention_days,
            preferred_maintenance_window=size.preferred_maintenance_window,
        )
        self.cluster.apply_removal_policy(self.removal_policy)
        acknowledge_guard(
            self.cluster,
            [GuardRule.REDSHIFT_AUDIT_LOGGING],
            "Audit logging is on, to CloudWatch Logs (LogDestinationType cloudwatch, connection, user and "
            "user-activity logs); CT.REDSHIFT.PR.2 only recognises an S3 BucketName.",
        )
        if props.port == 5439:
            acknowledge(self.cluster, ["AwsSolutions-RS4"], _DEFAULT_PORT_REASON)

    def _cluster(self) -> redshift.CfnCluster:
        assert self.cluster is not None
        return self.cluster

    def _cluster_arn(self, resource: str, name: str) -> str:
        # CfnCluster has no ARN attribute; the documented ARN formats of Redshift's IAM resources are the source:
        # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshift.html
        return Stack.of(self).format_arn(
            service="redshift", resource=resource, resource_name=name, arn_format=ArnFormat.COLON_RESOURCE_NAME
        )

    def _derived_name(self) -> str:
        """A stable, unique, lowercase name from the construct path (Redshift names allow no uppercase)."""
        unique = Names.unique_resource_name(self, max_length=63, separator="-").lower()
        name = _NAME_CHARS.sub("-", unique).strip("-")
        return name if name[:1].isalpha() else f"w-{name}"[:63].rstrip("-")
