"""The three IAM roles an EMR on EC2 cluster runs with, each replaceable by one the user brings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks, Problem
from emr_constructs.policy.acknowledge import (
    acknowledge,
    acknowledge_inline_policies,
    acknowledge_managed_policy,
    wildcard_resource_findings,
)
from emr_constructs.props import ValidatedProps

EMR_SERVICE_PRINCIPAL = "elasticmapreduce.amazonaws.com"
EC2_SERVICE_PRINCIPAL = "ec2.amazonaws.com"
AUTOSCALING_SERVICE_PRINCIPAL = "application-autoscaling.amazonaws.com"

#: AWS managed policies the library attaches (names under ``arn:<partition>:iam::aws:policy/``).
EMR_SERVICE_POLICY = "service-role/AmazonEMRServicePolicy_v2"
EMR_AUTOSCALING_POLICY = "service-role/AmazonElasticMapReduceforAutoScalingRole"
SSM_CORE_POLICY = "AmazonSSMManagedInstanceCore"

# CloudWatch Logs log group names: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
_LOG_GROUP_CHARS = re.compile(r"^[\.\-_/#A-Za-z0-9]+$")
# CloudWatch metric namespaces: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
_NAMESPACE_CHARS = re.compile(r"^[A-Za-z0-9.\-_/#:]+$")

_DEFAULT_POLICY_REASON = (
    "Permissions granted to this role by other constructs (DataLake.grant_*, Glue catalog grants) land in "
    "CDK's default policy; each statement is scoped to one resource by the construct that grants it."
)


@dataclass(frozen=True, kw_only=True)
class EmrRolesProps(ValidatedProps):
    """Data part of the :class:`EmrRoles` configuration."""

    enable_ssm: bool = True
    """Attach ``AmazonSSMManagedInstanceCore`` to the instance role so operators reach nodes with Session
    Manager. Default True: shell access without SSH keys or open inbound ports, with an audit trail."""

    create_autoscaling_role: bool = False
    """Create the role EMR uses for *custom* automatic scaling of instance groups. Default False: managed
    scaling and instance fleets do not use it."""

    log_group_prefix: str = "/aws/emr/"
    """The instance role may create and write CloudWatch log groups whose names start with this (CloudWatch
    agent, application logs). Default ``/aws/emr/``; use one prefix per environment to separate them."""

    metrics_namespace: str | None = "CWAgent"
    """CloudWatch namespace the instance role may publish metrics to (the CloudWatch agent's default,
    ``CWAgent``). ``None`` grants no metrics permission."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            1 <= len(self.log_group_prefix) <= 511,
            "log_group_prefix",
            self.log_group_prefix,
            "CloudWatch log group names are 1-512 characters, and the prefix must leave room for one more",
            "1-511 characters",
        )
        checks.require(
            _LOG_GROUP_CHARS.match(self.log_group_prefix) is not None,
            "log_group_prefix",
            self.log_group_prefix,
            "CloudWatch log group names hold letters, digits and . - _ / # only",
            "[.-_/#A-Za-z0-9]+",
        )
        if self.metrics_namespace is not None:
            checks.require(
                1 <= len(self.metrics_namespace) <= 255
                and _NAMESPACE_CHARS.match(self.metrics_namespace) is not None
                and not self.metrics_namespace.startswith("AWS/"),
                "metrics_namespace",
                self.metrics_namespace,
                "CloudWatch namespaces are 1-255 letters, digits or . - _ / # : and AWS/ is reserved",
                "e.g. CWAgent, or null for no metrics permission",
            )
        return checks.problems


class EmrRoles(Construct):
    """Service role, EC2 instance role with its instance profile, and (optionally) the autoscaling role.

    * Service role: trusted by EMR only for this account's clusters (``aws:SourceAccount``/``aws:SourceArn``),
      with ``AmazonEMRServicePolicy_v2``, which acts only on resources tagged
      ``for-use-with-amazon-emr-managed-policies=true`` and passes only the default role names; so this
      construct adds ``iam:PassRole`` on exactly the instance (and autoscaling) role.
    * Instance role: no data access at all; grant it with ``DataLake.grant_*`` and Glue grants. It can write
      CloudWatch logs under ``log_group_prefix``, publish metrics to ``metrics_namespace``, and use SSM
      Session Manager when ``enable_ssm``. ``AmazonElasticMapReduceforEC2Role`` (``s3:*`` on ``*`` and
      more) is deliberately not used; AWS is deprecating it.
    * Autoscaling role: only with ``create_autoscaling_role`` or when brought.

    Every role can be brought instead (``service_role=``, ``instance_role=``, ``autoscaling_role=``); then
    nothing is created or changed for it, except an instance profile for a brought instance role when no
    ``instance_profile`` is brought with it.

    Creating a cluster *with tags* (the v2 policy needs the tag) also needs ``elasticmapreduce:AddTags`` for
    the principal calling ``RunJobFlow`` (aws/aws-cdk#24842): CloudFormation's deploy role has it; a Step
    Functions or Lambda launcher must be granted it. The service role itself does not need it.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: EmrRolesProps = EmrRolesProps(),
        service_role: iam.IRole | None = None,
        instance_role: iam.IRole | None = None,
        instance_profile: iam.IInstanceProfile | None = None,
        autoscaling_role: iam.IRole | None = None,
    ) -> None:
        super().__init__(scope, id)
        checks = Checks.of(props)
        if instance_profile is not None and instance_role is None and instance_profile.role is None:
            checks.require(
                False,
                "instance_role",
                None,
                "a brought instance_profile without a role needs the instance_role it carries",
                "instance_role=<the profile's role>, or an instance_profile with its role",
            )
        checks.raise_if_any(self.node.path)
        self.props = props

        if instance_role is None and instance_profile is not None:
            instance_role = instance_profile.role
        self.instance_role: iam.IRole = instance_role if instance_role is not None else self._create_instance_role()
        self.instance_profile: iam.IInstanceProfile = (
            instance_profile
            if instance_profile is not None
            else iam.InstanceProfile(self, "InstanceProfile", role=self.instance_role)
        )

        self.autoscaling_role: iam.IRole | None = autoscaling_role
        if autoscaling_role is None and props.create_autoscaling_role:
            self.autoscaling_role = self._create_autoscaling_role()

        self.service_role: iam.IRole = service_role if service_role is not None else self._create_service_role()

    # -- service role ---------------------------------------------------------------------------------

    def _create_service_role(self) -> iam.Role:
        stack = Stack.of(self)
        principal = iam.ServicePrincipal(EMR_SERVICE_PRINCIPAL).with_conditions(
            {
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {
                    "aws:SourceArn": stack.format_arn(
                        service="elasticmapreduce", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME
                    )
                },
            }
        )
        managed = iam.ManagedPolicy.from_aws_managed_policy_name(EMR_SERVICE_POLICY)
        role = iam.Role(
            self,
            "ServiceRole",
            assumed_by=principal,
            description="Amazon EMR service role (AmazonEMRServicePolicy_v2 plus PassRole on the cluster roles)",
            managed_policies=[managed],
        )
        pass_role = iam.ManagedPolicy(
            self,
            "ServiceRolePolicy",
            description="EMR service role: iam:PassRole on exactly the cluster's instance and autoscaling roles",
            roles=[role],
        )
        # The v2 policy only passes roles with the default names (EMR_EC2_DefaultRole, EMR_AutoScaling_DefaultRole).
        # The PassedToService values end in '*' like the v2 policy's own, so they also match aws-cn's
        # ec2.amazonaws.com.cn.
        pass_role.add_statements(_pass_role(self.instance_role, EC2_SERVICE_PRINCIPAL))
        if self.autoscaling_role is not None:
            pass_role.add_statements(_pass_role(self.autoscaling_role, AUTOSCALING_SERVICE_PRINCIPAL))
        acknowledge_managed_policy(
            role,
            managed,
            "AmazonEMRServicePolicy_v2 is the policy AWS maintains for EMR's service role; it only acts on "
            "resources tagged for-use-with-amazon-emr-managed-policies=true, which the library tags "
            "(https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html).",
        )
        acknowledge_inline_policies(role, _DEFAULT_POLICY_REASON)
        return role

    # -- instance role --------------------------------------------------------------------------------

    def _create_instance_role(self) -> iam.Role:
        role = iam.Role(
            self,
            "InstanceRole",
            assumed_by=iam.ServicePrincipal(EC2_SERVICE_PRINCIPAL),
            description="EC2 instance role of EMR cluster nodes; data access only through explicit grants",
        )
        policy = iam.ManagedPolicy(
            self,
            "InstanceRolePolicy",
            description="EMR instance role: CloudWatch logs under the platform's prefix and agent metrics",
            roles=[role],
        )
        stack = Stack.of(self)
        prefix = self.props.log_group_prefix
        log_groups = stack.format_arn(
            service="logs",
            resource="log-group",
            resource_name=f"{prefix}*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        policy.add_statements(
            iam.PolicyStatement(
                sid="WriteLogsUnderPrefix",
                actions=[
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                    "logs:PutRetentionPolicy",
                ],
                resources=[log_groups, f"{log_groups}:log-stream:*"],
            )
        )
        wildcard_reasons = [
            (
                log_groups,
                f"CloudWatch log groups are named by the prefix '{prefix}' the platform owns (log group names "
                "are created at run time by the CloudWatch agent).",
            ),
            (
                f"{log_groups}:log-stream:*",
                f"Log streams are created at run time, one per node and file, inside the groups under '{prefix}'.",
            ),
        ]
        if self.props.metrics_namespace is not None:
            policy.add_statements(
                iam.PolicyStatement(
                    sid="PutMetricsInNamespace",
                    actions=["cloudwatch:PutMetricData"],
                    # PutMetricData has no resource-level permissions; the namespace condition scopes it.
                    resources=["*"],
                    conditions={"StringEquals": {"cloudwatch:namespace": self.props.metrics_namespace}},
                )
            )
            wildcard_reasons.append(
                (
                    "*",
                    "cloudwatch:PutMetricData supports no resource-level permissions "
                    "(https://docs.aws.amazon.com/service-authorization/latest/reference/"
                    "list_amazoncloudwatch.html); the statement is limited to the namespace "
                    f"'{self.props.metrics_namespace}' by the cloudwatch:namespace condition.",
                )
            )
        for resource, reason in wildcard_reasons:
            acknowledge(policy, wildcard_resource_findings(policy, [resource]), reason)
        if self.props.enable_ssm:
            ssm = iam.ManagedPolicy.from_aws_managed_policy_name(SSM_CORE_POLICY)
            role.add_managed_policy(ssm)
            acknowledge_managed_policy(
                role,
                ssm,
                "AmazonSSMManagedInstanceCore is the minimum AWS maintains for SSM Session Manager, which replaces "
                "SSH keys and open inbound ports for operators (EmrRolesProps.enable_ssm).",
            )
        acknowledge_inline_policies(role, _DEFAULT_POLICY_REASON)
        return role

    # -- autoscaling role -----------------------------------------------------------------------------

    def _create_autoscaling_role(self) -> iam.Role:
        managed = iam.ManagedPolicy.from_aws_managed_policy_name(EMR_AUTOSCALING_POLICY)
        role = iam.Role(
            self,
            "AutoscalingRole",
            # Both services assume it: EMR to set up the scaling policy, Application Auto Scaling to act on it.
            assumed_by=iam.CompositePrincipal(
                iam.ServicePrincipal(EMR_SERVICE_PRINCIPAL), iam.ServicePrincipal(AUTOSCALING_SERVICE_PRINCIPAL)
            ),
            description="Custom automatic scaling of EMR instance groups",
            managed_policies=[managed],
        )
        acknowledge_managed_policy(
            role,
            managed,
            "AmazonElasticMapReduceforAutoScalingRole is the policy AWS maintains for EMR custom automatic "
            "scaling; it only allows CloudWatch alarm reads and ModifyInstanceGroups.",
        )
        acknowledge_inline_policies(role, _DEFAULT_POLICY_REASON)
        return role


def _pass_role(role: iam.IRole, service: str) -> iam.PolicyStatement:
    return iam.PolicyStatement(
        actions=["iam:PassRole"],
        resources=[role.role_arn],
        conditions={"StringLike": {"iam:PassedToService": f"{service}*"}},
    )
