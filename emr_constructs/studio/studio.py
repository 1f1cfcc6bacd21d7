"""EMR Studio in the platform VPC: notebooks on the environment's clusters and serverless applications."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import ArnFormat, CfnTag, Names, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.cluster import EmrCluster
from emr_constructs.guard import GuardRule, acknowledge_guard
from emr_constructs.network.interfaces import IPlatformNetwork
from emr_constructs.policy.acknowledge import acknowledge, acknowledge_inline_policies, acknowledge_wildcard_resources
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.storage import DataLake, Zone
from emr_constructs.studio.props import AuthMode, EmrStudioProps
from emr_constructs.tags import EMR_MANAGED_POLICY_TAG_KEY, EMR_MANAGED_POLICY_TAG_VALUE, tag_for_emr_managed_policy

EMR_SERVICE_PRINCIPAL = "elasticmapreduce.amazonaws.com"
#: Workspaces reach the notebook engine (Jupyter Enterprise Gateway) on the cluster's primary node on this port:
#: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-security-groups.html
ENGINE_PORT = 18888
HTTPS = 443
IDENTITY_STORE_TAG = "emr-platform:identity-store-id"

#: Describe calls Studio makes on the VPC; EC2 Describe* actions take no resource ARN.
EC2_DESCRIBE_ACTIONS: tuple[str, ...] = (
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTags",
    "ec2:DescribeVpcs",
)
#: Network interfaces Studio creates for Workspaces and then manages, only when tagged for EMR.
ENI_MANAGE_ACTIONS: tuple[str, ...] = (
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:ModifyNetworkInterfaceAttribute",
)
SECURITY_GROUP_ACTIONS: tuple[str, ...] = (
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress",
)
WORKSPACE_KEY_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey")
#: What a Studio user does with Workspaces (EMR calls them editors).
WORKSPACE_ACTIONS: tuple[str, ...] = (
    "elasticmapreduce:AttachEditor",
    "elasticmapreduce:CreateEditor",
    "elasticmapreduce:DeleteEditor",
    "elasticmapreduce:DescribeEditor",
    "elasticmapreduce:DetachEditor",
    "elasticmapreduce:ListEditors",
    "elasticmapreduce:OpenEditorConsole",
    "elasticmapreduce:StartEditor",
    "elasticmapreduce:StopEditor",
)
#: Interactive use of a serverless application from a Workspace, on top of submitting jobs.
INTERACTIVE_ACTIONS: tuple[str, ...] = ("emr-serverless:AccessInteractiveEndpoints", "emr-serverless:StartApplication")

_DESCRIBE_REASON = (
    "EC2 Describe* and elasticmapreduce:ListClusters accept no resource ARN (Service Authorization Reference); they "
    "reveal metadata only, which EMR Studio reads to place Workspaces and list attachable clusters."
)
_ENI_REASON = (
    "EMR Studio creates a network interface per Workspace at run time, so its ARN is not known: creation requires the "
    "tag for-use-with-amazon-emr-managed-policies=true and every later action requires it on the interface, as in "
    "EMR's managed Studio policies."
)
_WORKSPACES_REASON = (
    "Workspaces are created by the Studio's users at run time (arn:...:editor/<id>): the user role may manage "
    "Workspaces of this account and region only, with no other EMR write action."
)
_INLINE_REASON = (
    "The Studio roles' inline default policies hold only statements scoped by the constructs that grant them "
    "(the Workspace prefix, the Studio's groups and subnets, the given clusters and applications)."
)


class EmrStudio(Construct):
    """An ``AWS::EMR::Studio`` attached to the platform VPC.

    - Authentication: IAM (default; users assume :attr:`user_role`) or IAM Identity Center (``SSO``: the Studio
      assumes :attr:`user_role` for assigned users), validated by :class:`EmrStudioProps`.
    - Workspace storage: ``s3://<artifacts bucket>/<workspace_prefix>`` encrypted with the lake key.
    - Security groups (tagged for EMR's managed policies): the engine group admits TCP 18888 from the workspace
      group and has no egress; the workspace group has no ingress and egress TCP 18888 to the engine group and
      TCP 443 out (Git repositories, AWS APIs). EMR attaches the engine group to the primary node of a cluster a
      Workspace attaches to.
    - Service role (trusted by EMR for this account): manages only network interfaces tagged for EMR, the two
      groups, Describe calls, the Workspace prefix, and reads the given clusters.
    - User role: Workspaces, this Studio, the given clusters (describe) and serverless applications (jobs and
      interactive endpoints, passing only their runtime roles). Add more with :meth:`add_cluster` and
      :meth:`add_application`.

    Example::

        studio = EmrStudio(stack, "Studio", network=network, lake=lake, clusters=[cluster], applications=[spark])
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: EmrStudioProps = EmrStudioProps(),  # noqa: B008 - frozen dataclass, safe to share
        network: IPlatformNetwork,
        lake: DataLake,
        clusters: Sequence[EmrCluster] = (),
        applications: Sequence[EmrServerlessApplication] = (),
    ) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props
        stack = Stack.of(self)
        self.name = props.name or Names.unique_resource_name(self, max_length=256, separator="-")
        self.workspace_location = lake.bucket(Zone.ARTIFACTS).s3_url_for_object(props.workspace_prefix)

        self.engine_security_group = ec2.SecurityGroup(
            self,
            "EngineSecurityGroup",
            vpc=network.vpc,
            allow_all_outbound=False,
            description=f"EMR Studio {self.node.path} engine: {ENGINE_PORT} from the Workspaces only",
        )
        self.workspace_security_group = ec2.SecurityGroup(
            self,
            "WorkspaceSecurityGroup",
            vpc=network.vpc,
            allow_all_outbound=False,
            description=f"EMR Studio {self.node.path} Workspaces: {ENGINE_PORT} to the engine, HTTPS out",
        )
        self.engine_ingress = ec2.CfnSecurityGroupIngress(
            self,
            "EngineFromWorkspace",
            group_id=self.engine_security_group.security_group_id,
            source_security_group_id=self.workspace_security_group.security_group_id,
            ip_protocol="tcp",
            from_port=ENGINE_PORT,
            to_port=ENGINE_PORT,
            description="EMR Studio: Workspaces reach the notebook engine",
        )
        self.workspace_egress = ec2.CfnSecurityGroupEgress(
            self,
            "WorkspaceToEngine",
            group_id=self.workspace_security_group.security_group_id,
            destination_security_group_id=self.engine_security_group.security_group_id,
            ip_protocol="tcp",
            from_port=ENGINE_PORT,
            to_port=ENGINE_PORT,
            description="EMR Studio: Workspaces reach the notebook engine",
        )
        self.workspace_security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(HTTPS), "EMR Studio: Git repositories and AWS APIs over HTTPS"
        )
        acknowledge_guard(
            self.workspace_security_group,
            [GuardRule.EGRESS_OPEN_TO_WORLD],
            "HTTPS (TCP 443) only: Workspaces clone and push Git repositories, which live on hosts outside the VPC "
            "(EMR Management Guide, 'Define security groups to control EMR Studio network traffic').",
        )
        tag_for_emr_managed_policy(self.engine_security_group)
        tag_for_emr_managed_policy(self.workspace_security_group)

        self.service_role = iam.Role(
            self,
            "ServiceRole",
            assumed_by=iam.ServicePrincipal(EMR_SERVICE_PRINCIPAL).with_conditions(
                {
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": stack.format_arn(
                            service="elasticmapreduce", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME
                        )
                    },
                }
            ),
            description=f"EMR Studio {self.node.path} service role",
        )
        self._service_role_policy(network, lake)

        identity_center = AuthMode(props.auth_mode) == AuthMode.IDENTITY_CENTER
        user_principal: iam.IPrincipal = (
            iam.ServicePrincipal(EMR_SERVICE_PRINCIPAL).with_conditions(
                {"StringEquals": {"aws:SourceAccount": stack.account}}
            )
            if identity_center
            else iam.AccountPrincipal(stack.account)
        )
        self.user_role = iam.Role(
            self,
            "UserRole",
            assumed_by=user_principal,
            description=f"EMR Studio {self.node.path} users: Workspaces on the platform's clusters and applications",
        )
        if identity_center:
            self.user_role.assume_role_policy.add_statements(  # type: ignore[union-attr]
                # Studio sets the signed-in user's identity context on the session (trusted identity propagation).
                iam.PolicyStatement(
                    actions=["sts:SetContext"],
                    principals=[iam.ServicePrincipal(EMR_SERVICE_PRINCIPAL)],
                    conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
                )
            )

        tags = [CfnTag(key=IDENTITY_STORE_TAG, value=props.identity_store_id)] if props.identity_store_id else None
        self.resource = emr.CfnStudio(
            self,
            "Resource",
            name=self.name,
            description=props.description,
            auth_mode=AuthMode(props.auth_mode).value,
            vpc_id=network.vpc.vpc_id,
            subnet_ids=[subnet.subnet_id for subnet in network.cluster_subnets],
            engine_security_group_id=self.engine_security_group.security_group_id,
            workspace_security_group_id=self.workspace_security_group.security_group_id,
            service_role=self.service_role.role_arn,
            user_role=self.user_role.role_arn if identity_center else None,
            default_s3_location=self.workspace_location,
            encryption_key_arn=lake.key.key_arn,
            idc_instance_arn=props.idc_instance_arn if identity_center else None,
            idc_user_assignment=(
                ("REQUIRED" if props.idc_user_assignment_required else "OPTIONAL") if identity_center else None
            ),
            tags=tags,
        )
        # Studio checks the groups' rules and the roles' permissions when it is created.
        self.resource.node.add_dependency(self.engine_ingress, self.workspace_egress)
        self.resource.node.add_dependency(self.service_role)

        self._user_role_policy()
        for cluster in clusters:
            self.add_cluster(cluster)
        for application in applications:
            self.add_application(application)
        acknowledge_inline_policies(self.service_role, _INLINE_REASON)
        acknowledge_inline_policies(self.user_role, _INLINE_REASON)

    # -- attributes -----------------------------------------------------------------------------------

    @property
    def studio_id(self) -> str:
        return self.resource.attr_studio_id

    @property
    def studio_arn(self) -> str:
        return self.resource.attr_arn

    @property
    def url(self) -> str:
        return self.resource.attr_url

    # -- wiring ---------------------------------------------------------------------------------------

    @checked_arguments
    def add_cluster(self, cluster: EmrCluster) -> None:
        """Let Workspaces attach to ``cluster``: the service role and the users may describe it (the cluster's own
        grant), and the users may list clusters (no resource ARN)."""
        cluster.grant_describe(self.service_role)
        cluster.grant_describe(self.user_role)

    @checked_arguments
    def add_application(self, application: EmrServerlessApplication) -> None:
        """Let users run notebooks and jobs on ``application`` (whose ``studio_enabled`` should be on), passing only
        its runtime role."""
        application.grant_start_job_run(self.user_role)
        self.user_role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(INTERACTIVE_ACTIONS), resources=[application.application_arn])
        )

    # -- helpers --------------------------------------------------------------------------------------

    def _service_role_policy(self, network: IPlatformNetwork, lake: DataLake) -> None:
        stack = Stack.of(self)
        role = self.service_role

        def ec2_arn(resource: str, name: str) -> str:
            return stack.format_arn(
                service="ec2", resource=resource, resource_name=name, arn_format=ArnFormat.SLASH_RESOURCE_NAME
            )

        interfaces = ec2_arn("network-interface", "*")
        groups = [
            ec2_arn("security-group", g.security_group_id)
            for g in (self.engine_security_group, self.workspace_security_group)
        ]
        subnets = [ec2_arn("subnet", s.subnet_id) for s in network.cluster_subnets]
        tag_request = {f"aws:RequestTag/{EMR_MANAGED_POLICY_TAG_KEY}": EMR_MANAGED_POLICY_TAG_VALUE}
        tag_resource = {f"aws:ResourceTag/{EMR_MANAGED_POLICY_TAG_KEY}": EMR_MANAGED_POLICY_TAG_VALUE}
        statements = [
            iam.PolicyStatement(
                actions=["ec2:CreateNetworkInterface"], resources=[interfaces], conditions={"StringEquals": tag_request}
            ),
            iam.PolicyStatement(actions=["ec2:CreateNetworkInterface"], resources=[*subnets, *groups]),
            iam.PolicyStatement(
                actions=["ec2:CreateTags"],
                resources=[interfaces],
                conditions={"StringEquals": {"ec2:CreateAction": "CreateNetworkInterface"}},
            ),
            iam.PolicyStatement(
                actions=list(ENI_MANAGE_ACTIONS), resources=[interfaces], conditions={"StringEquals": tag_resource}
            ),
            iam.PolicyStatement(actions=list(SECURITY_GROUP_ACTIONS), resources=groups),
            iam.PolicyStatement(actions=list(EC2_DESCRIBE_ACTIONS), resources=["*"]),
            iam.PolicyStatement(
                actions=["s3:GetEncryptionConfiguration"], resources=[lake.bucket(Zone.ARTIFACTS).bucket_arn]
            ),
        ]
        for statement in statements:
            role.add_to_principal_policy(statement)
        lake.grant_read_write(Zone.ARTIFACTS, role, prefix=self.props.workspace_prefix)
        # Workspace storage encrypted with a customer key: the service role uses the key itself, not only through
        # S3 (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-workspace-storage-encryption.html).
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(WORKSPACE_KEY_ACTIONS), resources=[lake.key.key_arn])
        )
        acknowledge(role, ["AwsSolutions-IAM5[Resource::*]"], _DESCRIBE_REASON)
        acknowledge_wildcard_resources(role, [interfaces], _ENI_REASON)

    def _user_role_policy(self) -> None:
        stack = Stack.of(self)
        workspaces = stack.format_arn(
            service="elasticmapreduce", resource="editor", resource_name="*", arn_format=ArnFormat.SLASH_RESOURCE_NAME
        )
        role = self.user_role
        role.add_to_principal_policy(iam.PolicyStatement(actions=list(WORKSPACE_ACTIONS), resources=[workspaces]))
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["elasticmapreduce:DescribeStudio"], resources=[self.studio_arn])
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["elasticmapreduce:ListClusters", "emr-serverless:ListApplications"], resources=["*"]
            )
        )
        acknowledge(role, ["AwsSolutions-IAM5[Resource::*]"], _DESCRIBE_REASON)
        acknowledge_wildcard_resources(role, [workspaces], _WORKSPACES_REASON)
