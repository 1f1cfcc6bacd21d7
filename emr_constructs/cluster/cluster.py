"""The EMR on EC2 cluster construct: typed props in, a validated ``AWS::EMR::Cluster`` out."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from aws_cdk import Annotations, ArnFormat, Fn, Names, Stack, Tags, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.cluster.applications import NON_YARN_APPLICATIONS, Application
from emr_constructs.cluster.artifacts import S3File, TlsCertificates
from emr_constructs.cluster.configurations import Configuration, configuration_problems, merge_configurations
from emr_constructs.cluster.enums import ScalingUnitType
from emr_constructs.cluster.fleets import InstanceFleet, InstanceFleets
from emr_constructs.cluster.groups import InstanceGroup, InstanceGroups
from emr_constructs.cluster.props import ClusterProps
from emr_constructs.cluster.release_rules import regional_problems, security_release_problems
from emr_constructs.cluster.releases import Release, get_release, newest_known_label
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.cluster.security_configuration import EmrSecurityConfiguration
from emr_constructs.cluster.steps import BootstrapAction, SparkStep
from emr_constructs.cluster.storage import EbsVolume
from emr_constructs.discovery_tags import tag_platform_cluster
from emr_constructs.errors import Checks
from emr_constructs.iam import EmrRoles, acknowledge, acknowledge_wildcard_resources
from emr_constructs.iam.keys import grant_key_through_s3
from emr_constructs.network import EmrSecurityGroups, IPlatformNetwork
from emr_constructs.tags import tag_for_emr_managed_policy

#: Additional security groups per node type, at most (RunJobFlow ``AdditionalMasterSecurityGroups``).
MAX_ADDITIONAL_SECURITY_GROUPS = 4
#: EMR's step launcher on every node; runs ``spark-submit`` with the arguments given.
COMMAND_RUNNER_JAR = "command-runner.jar"
#: The CloudWatch namespace and dimension of EMR metrics, as custom automatic-scaling rules expect them.
EMR_METRICS_NAMESPACE = "AWS/ElasticMapReduce"
#: EMR substitutes ``${emr.clusterId}`` in scaling-rule dimensions. Written through ``Fn::Sub`` with the ``${!``
#: escape, so CloudFormation passes the literal on while its template validators see no unresolved parameter.
CLUSTER_ID_PLACEHOLDER = "${!emr.clusterId}"

STEP_ACTIONS = ("elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep", "elasticmapreduce:ListSteps",
                "elasticmapreduce:CancelSteps")  # fmt: skip
DESCRIBE_ACTIONS = (
    "elasticmapreduce:DescribeCluster",
    "elasticmapreduce:ListInstances",
    "elasticmapreduce:ListInstanceFleets",
    "elasticmapreduce:ListInstanceGroups",
    "elasticmapreduce:ListBootstrapActions",
    "elasticmapreduce:ListSteps",
    "elasticmapreduce:DescribeStep",
)
#: What the nodes need to write logs: the log pusher only puts objects (multipart for large ones).
LOG_WRITE_ACTIONS = ("s3:PutObject", "s3:AbortMultipartUpload")
LOG_KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt")

_SHAPE_REASON = (
    "False positive of cdk-nag 3.0.2: the rule reads {key} at the top level of the security configuration, but "
    "EMR requires it under EncryptionConfiguration (emr-create-security-configuration), where this cluster's "
    "security configuration sets it to true with {what}; the library's tests parse the synthesized JSON and "
    "assert it."
)
_SSM_REASON = (
    "No EC2 key pair and no SSH: operators reach the nodes through SSM Session Manager "
    "(AmazonSSMManagedInstanceCore on the instance role, EmrRolesProps.enable_ssm=true), which authenticates "
    "with IAM and logs sessions. Kerberos is optional (ClusterProps.security.kerberos)."
)
_KERBEROS_REASON = (
    "Kerberos is optional and off for this cluster: users submit work through the EMR steps API with IAM "
    "(grant_add_steps) and operators use SSM Session Manager; turn on ClusterProps.security.kerberos (with a "
    "KDC admin password secret) where interactive Hadoop users need it."
)
_LOG_PREFIX_REASON = (
    "EMR writes cluster logs under one key per node, file and time, so the instance role may put objects under "
    "this cluster's own log prefix only (not the bucket)."
)


class EmrCluster(Construct):
    """An Amazon EMR on EC2 cluster with secure defaults, validated at synth time.

    The smallest use::

        net = DataPlatformVpc(stack, "Network")
        groups = EmrSecurityGroups(stack, "EmrGroups", vpc=net.vpc)
        lake = DataLake(stack, "Lake")
        cluster = EmrCluster(
            stack, "Cluster",
            network=net, security_groups=groups,
            log_bucket=lake.bucket(Zone.LOGS), encryption_key=lake.key,
            artifacts_bucket=lake.bucket(Zone.ARTIFACTS),  # expects emr/tls/certificates.zip there
        )

    Every rule of the props (``ClusterProps.problems()``) and of the references is checked when the construct
    is created; all problems are raised together as one :class:`~emr_constructs.errors.EmrConfigError`.

    What it creates, unless brought: :class:`~emr_constructs.iam.EmrRoles` (``Roles``) and an
    :class:`EmrSecurityConfiguration` (``SecurityConfiguration``). Local bootstrap and step scripts ship as
    CDK assets; the instance role may read exactly those objects, the certificate zip, and write its logs
    under ``log_prefix``. The cluster depends on the security-group rules and on the roles' policies, so it
    never starts before they exist.

    CloudFormation replaces an EMR cluster on most property changes (release, applications, capacity,
    configurations, steps, security configuration): treat a production cluster as cattle, keep data in S3.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: ClusterProps = ClusterProps(),  # noqa: B008 - frozen dataclass, never mutated
        network: IPlatformNetwork,
        security_groups: EmrSecurityGroups,
        log_bucket: s3.IBucket,
        encryption_key: kms.IKey,
        artifacts_bucket: s3.IBucket | None = None,
        roles: EmrRoles | None = None,
        security_configuration: EmrSecurityConfiguration | None = None,
        tls_certificates: TlsCertificates | None = None,
        kdc_admin_password: secretsmanager.ISecret | None = None,
        additional_primary_security_groups: Sequence[ec2.ISecurityGroup] = (),
        additional_core_security_groups: Sequence[ec2.ISecurityGroup] = (),
    ) -> None:
        """
        :param props: the data part (settings JSON parses into it).
        :param network: the VPC and the private subnets the cluster may use (fleets: all; groups: the first).
        :param security_groups: the EMR-managed primary, core/task and service-access groups, with their rules.
        :param log_bucket: where EMR writes logs, under ``props.log_prefix``.
        :param encryption_key: KMS key for S3 (SSE-KMS), local disks, EBS and logs.
        :param artifacts_bucket: where the TLS certificate zip is (``props.security.tls_certificates_key``)
            when ``tls_certificates`` is not given.
        :param roles: bring the cluster roles; default: created as ``Roles`` from ``props.roles``.
        :param security_configuration: share one; default: created as ``SecurityConfiguration`` from
            ``props.security``.
        :param tls_certificates: where the PEM zip is, for the created security configuration.
        :param kdc_admin_password: the KDC admin password (Kerberos only), passed as a dynamic reference.
        :param additional_primary_security_groups: up to 4 more groups for the primary node(s).
        :param additional_core_security_groups: up to 4 more groups for core and task nodes.
        """
        super().__init__(scope, id)
        self.props = props
        self.network = network
        self.security_groups = security_groups
        self.log_bucket = log_bucket
        self.encryption_key = encryption_key
        release = get_release(props.release_label)
        self._warn_if_release_unknown(release)
        capacity = props.capacity
        needs_autoscaling_role = isinstance(capacity, InstanceGroups) and capacity.has_auto_scaling()
        self._check_references(
            release,
            security_configuration=security_configuration,
            tls_certificates=tls_certificates,
            artifacts_bucket=artifacts_bucket,
            roles=roles,
            needs_autoscaling_role=needs_autoscaling_role,
            kdc_admin_password=kdc_admin_password,
            additional_groups={
                "additional_primary_security_groups": additional_primary_security_groups,
                "additional_core_security_groups": additional_core_security_groups,
            },
        )
        self.configurations = props.effective_configurations()
        self.roles = roles if roles is not None else self._create_roles(needs_autoscaling_role)
        self.security_configuration = (
            security_configuration
            if security_configuration is not None
            else self._create_security_configuration(tls_certificates, artifacts_bucket)
        )
        self.security_configuration.grant_nodes(self.roles.instance_role)
        self.security_configuration.grant_ebs_encryption(self.roles.service_role)
        self.log_prefix = props.log_prefix if props.log_prefix is not None else f"emr-logs/{Names.unique_id(self)}/"
        self.log_uri = log_bucket.s3_url_for_object(self.log_prefix)
        self._grant_log_write(self.roles.instance_role)
        self.resource = emr.CfnCluster(
            self,
            "Resource",
            name=props.name if props.name is not None else Names.unique_resource_name(self, max_length=256),
            release_label=props.release_label,
            applications=[emr.CfnCluster.ApplicationProperty(name=a.value) for a in props.applications],
            configurations=[c.to_cfn() for c in self.configurations] or None,
            instances=self._instances(additional_primary_security_groups, additional_core_security_groups),
            service_role=self.roles.service_role.role_name,
            job_flow_role=self.roles.instance_profile.instance_profile_name,
            auto_scaling_role=self.roles.autoscaling_role.role_name
            if needs_autoscaling_role and self.roles.autoscaling_role is not None
            else None,
            security_configuration=self.security_configuration.security_configuration_name,
            log_uri=self.log_uri,
            log_encryption_kms_key_id=encryption_key.key_arn if props.encrypt_logs else None,
            kerberos_attributes=self._kerberos_attributes(kdc_admin_password),
            bootstrap_actions=self._bootstrap_actions(),
            steps=self._steps(),
            # Needed for custom automatic scaling, and lets every IAM principal allowed to see it see it.
            visible_to_all_users=True,
            **_lifecycle_properties(props),
        )
        self._add_dependencies()
        self._tag()
        self._warn(props)
        self._acknowledge(props)

    @checked_arguments
    def add_configurations(self, configurations: Sequence[Configuration]) -> None:
        """Merge more configuration classifications into the cluster's; for a property set twice, these win.

        For what the composing code knows and the props do not (a connector's jars for the release, say), so the
        props stay as given and their rules run once. Each added classification is checked like
        ``props.configurations``. EMR replaces a running cluster whose configurations change.
        """
        checks = Checks()
        checks.extend(configuration_problems(configurations, "add_configurations"))
        checks.raise_if_any(self.node.path)
        self.configurations = merge_configurations(self.configurations, configurations)
        self.resource.configurations = [c.to_cfn() for c in self.configurations] or None

    # -- attributes -----------------------------------------------------------------------------------

    @property
    def cluster_id(self) -> str:
        """The cluster id, ``j-...`` (``Ref``)."""
        return self.resource.ref

    @property
    def auto_terminates(self) -> bool:
        """True when the cluster has an auto-termination policy: an idle cluster then ends by itself, so
        monitoring need not alarm on idleness."""
        return self.props.auto_termination_idle_seconds is not None

    @property
    def applications(self) -> tuple[Application, ...]:
        """The applications installed on the cluster (what its steps may run: Spark, Flink, Hive...)."""
        return self.props.applications

    @property
    def cluster_arn(self) -> str:
        return Stack.of(self).format_arn(
            service="elasticmapreduce",
            resource="cluster",
            resource_name=self.cluster_id,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

    @property
    def primary_public_dns(self) -> str:
        """DNS name of the primary node (its private name in a private subnet)."""
        return self.resource.attr_master_public_dns

    @property
    def service_role(self) -> iam.IRole:
        return self.roles.service_role

    @property
    def instance_role(self) -> iam.IRole:
        return self.roles.instance_role

    # -- grants ---------------------------------------------------------------------------------------

    @checked_arguments
    def grant_add_steps(self, grantee: iam.IGrantable) -> iam.Grant:
        """Submit, list, describe and cancel steps on this cluster only."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=list(STEP_ACTIONS), resource_arns=[self.cluster_arn])

    @checked_arguments
    def grant_describe(self, grantee: iam.IGrantable) -> iam.Grant:
        """Read the cluster's state, instances, bootstrap actions and steps."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(DESCRIBE_ACTIONS), resource_arns=[self.cluster_arn]
        )

    # -- internals ------------------------------------------------------------------------------------

    def _warn_if_release_unknown(self, release: Release | None) -> None:
        if release is not None and not release.known:
            Annotations.of(self).add_warning_v2(
                "emr-platform:release-newer-than-table",
                f"release_label={self.props.release_label!r} is newer than every release this library knows "
                f"(newest: {newest_known_label()}); applications and features are checked as for "
                f"{release.basis}. Upgrade emr-constructs when it knows this release.",
            )

    def _check_references(
        self,
        release: Release | None,
        *,
        security_configuration: EmrSecurityConfiguration | None,
        tls_certificates: TlsCertificates | None,
        artifacts_bucket: s3.IBucket | None,
        roles: EmrRoles | None,
        needs_autoscaling_role: bool,
        kdc_admin_password: secretsmanager.ISecret | None,
        additional_groups: dict[str, Sequence[ec2.ISecurityGroup]],
    ) -> None:
        """The Props' stored problems, plus the rules that depend on what was handed in; raises them together."""
        props = self.props
        security_props = security_configuration.props if security_configuration is not None else props.security
        checks = Checks.of(props)
        if security_configuration is not None:
            security_release_problems(checks, security_props, release, "security_configuration.props")
            checks.require(
                tls_certificates is None,
                "tls_certificates",
                "TlsCertificates(...)",
                "the certificates belong to the security configuration passed in",
                "tls_certificates or security_configuration, not both",
            )
        elif security_props.in_transit_encryption:
            checks.require(
                tls_certificates is not None or artifacts_bucket is not None,
                "tls_certificates",
                None,
                "in-transit encryption needs the S3 location of the PEM certificate zip",
                "tls_certificates=TlsCertificates.from_bucket(...), or an artifacts_bucket holding "
                f"{security_props.tls_certificates_key}, or props.security.in_transit_encryption=false",
            )
        region = Stack.of(self).region
        if not Token.is_unresolved(region):
            regional_problems(
                checks,
                props.release_label,
                region,
                managed_scaling=props.managed_scaling is not None,
                auto_termination_idle_seconds=props.auto_termination_idle_seconds,
            )
            key_region = self.encryption_key.env.region
            if not Token.is_unresolved(key_region):
                checks.require(
                    key_region == region,
                    "encryption_key",
                    key_region,
                    f"the KMS key must be in the cluster's region ({region})",
                    f"a key in {region}",
                )
        checks.require(
            len(self.network.cluster_subnets) >= 1,
            "network.cluster_subnets",
            len(self.network.cluster_subnets),
            "the cluster needs a subnet",
            "at least one private subnet",
        )
        for field, groups in additional_groups.items():
            checks.require(
                len(groups) <= MAX_ADDITIONAL_SECURITY_GROUPS,
                field,
                len(groups),
                "too many additional security groups",
                f"at most {MAX_ADDITIONAL_SECURITY_GROUPS}",
            )
        if needs_autoscaling_role and roles is not None:
            checks.require(
                roles.autoscaling_role is not None,
                "roles.autoscaling_role",
                None,
                "custom automatic-scaling policies need the autoscaling role",
                "EmrRoles(props=EmrRolesProps(create_autoscaling_role=True)) or autoscaling_role=...",
            )
        if security_props.kerberos is not None:
            checks.require(
                kdc_admin_password is not None,
                "kdc_admin_password",
                None,
                "Kerberos needs the KDC admin password, from Secrets Manager",
                "kdc_admin_password=<secretsmanager.ISecret>",
            )
        else:
            checks.require(
                kdc_admin_password is None,
                "kdc_admin_password",
                "ISecret",
                "Kerberos attributes need a security configuration with Kerberos enabled",
                "security.kerberos=KerberosProps(realm=...), or no kdc_admin_password",
            )
        scripted: dict[str, Sequence[BootstrapAction | SparkStep]] = {
            "bootstrap_actions": props.bootstrap_actions,
            "steps": props.steps,
        }
        for field, scripts in scripted.items():
            for index, item in enumerate(scripts):
                checks.require(
                    os.path.exists(item.script),
                    f"{field}[{index}].script",
                    item.script,
                    "local file not found",
                    "a path relative to the directory cdk runs in",
                )
        checks.raise_if_any(self.node.path)

    def _create_security_configuration(
        self, tls_certificates: TlsCertificates | None, artifacts_bucket: s3.IBucket | None
    ) -> EmrSecurityConfiguration:
        return EmrSecurityConfiguration(
            self,
            "SecurityConfiguration",
            props=self.props.security,
            encryption_key=self.encryption_key,
            tls_certificates=tls_certificates
            if tls_certificates is not None
            else self._default_certificates(artifacts_bucket),
        )

    def _instances(
        self,
        additional_primary: Sequence[ec2.ISecurityGroup],
        additional_core: Sequence[ec2.ISecurityGroup],
    ) -> emr.CfnCluster.JobFlowInstancesConfigProperty:
        """Network, security groups and capacity: fleets use every cluster subnet, groups the first one."""
        props = self.props
        capacity = props.capacity
        subnets = self.network.cluster_subnets
        groups = self.security_groups
        return emr.CfnCluster.JobFlowInstancesConfigProperty(
            # CloudFormation documents true as the default, but the API's default is false; moto and long-running
            # clusters need it explicit. Transient clusters end through auto-termination instead.
            keep_job_flow_alive_when_no_steps=True,
            termination_protected=props.termination_protection,
            ec2_subnet_ids=[s.subnet_id for s in subnets] if isinstance(capacity, InstanceFleets) else None,
            ec2_subnet_id=subnets[0].subnet_id if isinstance(capacity, InstanceGroups) else None,
            emr_managed_master_security_group=groups.primary.security_group_id,
            emr_managed_slave_security_group=groups.core.security_group_id,
            service_access_security_group=groups.service_access.security_group_id,
            additional_master_security_groups=[g.security_group_id for g in additional_primary] or None,
            additional_slave_security_groups=[g.security_group_id for g in additional_core] or None,
            ec2_key_name=props.ec2_key_name,
            unhealthy_node_replacement=props.unhealthy_node_replacement,
            **_capacity_properties(capacity),
        )

    def _kerberos_attributes(
        self, kdc_admin_password: secretsmanager.ISecret | None
    ) -> emr.CfnCluster.KerberosAttributesProperty | None:
        kerberos = self.security_configuration.props.kerberos
        if kerberos is None or kdc_admin_password is None:
            return None
        return emr.CfnCluster.KerberosAttributesProperty(
            realm=kerberos.realm,
            # A {{resolve:secretsmanager:...}} dynamic reference: the password never enters the template.
            kdc_admin_password=kdc_admin_password.secret_value.unsafe_unwrap(),
        )

    def _ship_scripts(self, id_prefix: str, scripts: Sequence[BootstrapAction | SparkStep]) -> list[S3File]:
        """Upload each local script as an asset the instance role may read (exactly that object)."""
        files = [S3File.from_asset(self, f"{id_prefix}{i}", item.script) for i, item in enumerate(scripts)]
        for file in files:
            file.grant_read(self.roles.instance_role)
        return files

    def _bootstrap_actions(self) -> list[emr.CfnCluster.BootstrapActionConfigProperty] | None:
        actions = self.props.bootstrap_actions
        files = self._ship_scripts("BootstrapAction", actions)
        return [
            emr.CfnCluster.BootstrapActionConfigProperty(
                name=action.name,
                script_bootstrap_action=emr.CfnCluster.ScriptBootstrapActionConfigProperty(
                    path=file.s3_uri, args=list(action.args) or None
                ),
            )
            for action, file in zip(actions, files, strict=True)
        ] or None

    def _steps(self) -> list[emr.CfnCluster.StepConfigProperty] | None:
        steps = self.props.steps
        files = self._ship_scripts("Step", steps)
        return [
            emr.CfnCluster.StepConfigProperty(
                name=step.name,
                action_on_failure=step.action_on_failure.value,
                hadoop_jar_step=emr.CfnCluster.HadoopJarStepConfigProperty(
                    jar=COMMAND_RUNNER_JAR,
                    args=["spark-submit", *step.spark_submit_options, file.s3_uri, *step.args],
                ),
            )
            for step, file in zip(steps, files, strict=True)
        ] or None

    def _add_dependencies(self) -> None:
        # The primary node calls the EMR service through the service-access group at launch; without these rules
        # in place first, creation fails intermittently (terraform-aws-emr issue 34).
        self.resource.node.add_dependency(self.security_groups.rules)
        # The nodes fetch scripts and certificates and write logs as soon as they boot: the role's policies
        # (granted above, in the roles' construct) must exist before the cluster, not merely the role.
        self.resource.node.add_dependency(self.roles)

    def _tag(self) -> None:
        tag_for_emr_managed_policy(self)
        # emr-platform finds the cluster by this tag (and the environment tag of its stage) in any app.
        tag_platform_cluster(self, self.node.id.lower())
        for key, value in self.props.tags.items():
            Tags.of(self).add(key, value)

    def _create_roles(self, needs_autoscaling_role: bool) -> EmrRoles:
        roles_props = self.props.roles
        if needs_autoscaling_role and not roles_props.create_autoscaling_role:
            roles_props = dataclasses.replace(roles_props, create_autoscaling_role=True)
        return EmrRoles(self, "Roles", props=roles_props)

    def _default_certificates(self, artifacts_bucket: s3.IBucket | None) -> TlsCertificates | None:
        if artifacts_bucket is None:
            return None
        return TlsCertificates.from_bucket(artifacts_bucket, self.props.security.tls_certificates_key)

    def _grant_log_write(self, instance_role: iam.IRole) -> None:
        objects = self.log_bucket.arn_for_objects(f"{self.log_prefix}*")
        iam.Grant.add_to_principal(grantee=instance_role, actions=list(LOG_WRITE_ACTIONS), resource_arns=[objects])
        acknowledge_wildcard_resources(instance_role, [objects], _LOG_PREFIX_REASON)
        # EMR's log pusher uploads with SSE-KMS: both keys are used through S3, for the log bucket only.
        keys = [self.log_bucket.encryption_key] if self.log_bucket.encryption_key is not None else []
        if self.props.encrypt_logs and all(key is not self.encryption_key for key in keys):
            keys.append(self.encryption_key)
        for key in keys:
            grant_key_through_s3(key, instance_role, self.log_bucket, *LOG_KEY_ACTIONS)

    def _warn(self, props: ClusterProps) -> None:
        non_yarn = sorted(a.value for a in props.applications if a in NON_YARN_APPLICATIONS)
        if non_yarn and (props.managed_scaling is not None or props.auto_termination_idle_seconds is not None):
            Annotations.of(self).add_warning_v2(
                "emr-platform:non-yarn-scaling",
                f"{', '.join(non_yarn)} do not run on YARN: managed scaling and auto-termination do not see their "
                "work, so they may scale in or terminate a busy cluster.",
            )
        if not props.uses_fleets and len(self.network.cluster_subnets) > 1:
            Annotations.of(self).add_info(
                "Instance groups live in one subnet: the cluster uses the first of the network's cluster subnets. "
                "Use instance fleets to let EMR choose among all of them."
            )

    def _acknowledge(self, props: ClusterProps) -> None:
        security = self.security_configuration.props
        if security.local_disk_encryption:
            acknowledge(
                self,
                ["AwsSolutions-EMR4"],
                _SHAPE_REASON.format(
                    key="EnableAtRestEncryption", what="LocalDiskEncryptionConfiguration (AwsKms provider)"
                ),
            )
        if security.in_transit_encryption:
            acknowledge(
                self,
                ["AwsSolutions-EMR5"],
                _SHAPE_REASON.format(key="EnableInTransitEncryption", what="a PEM TLSCertificateConfiguration"),
            )
        kerberos = security.kerberos is not None
        if not kerberos and props.ec2_key_name is None and self.roles.props.enable_ssm:
            acknowledge(self, ["AwsSolutions-EMR6"], _SSM_REASON)
        if not kerberos:
            acknowledge(self, ["HIPAA.Security-EMRKerberosEnabled", "PCI.DSS.321-EMRKerberosEnabled"], _KERBEROS_REASON)


def _lifecycle_properties(props: ClusterProps) -> dict[str, Any]:
    """Scaling, termination, placement, AMI and root volume: the CfnCluster properties read straight from Props."""
    return {
        "managed_scaling_policy": _managed_scaling(props.managed_scaling, props.capacity),
        "auto_termination_policy": emr.CfnCluster.AutoTerminationPolicyProperty(
            idle_timeout=props.auto_termination_idle_seconds
        )
        if props.auto_termination_idle_seconds is not None
        else None,
        "step_concurrency_level": props.step_concurrency_level,
        "scale_down_behavior": props.scale_down_behavior.value if props.scale_down_behavior is not None else None,
        "placement_group_configs": [
            emr.CfnCluster.PlacementGroupConfigProperty(instance_role="MASTER", placement_strategy="SPREAD")
        ]
        if props.spread_primary_nodes
        else None,
        "custom_ami_id": props.custom_ami_id,
        "os_release_label": props.os_release_label,
        "ebs_root_volume_size": props.root_volume.size_gib,
        "ebs_root_volume_iops": props.root_volume.iops,
        "ebs_root_volume_throughput": props.root_volume.throughput_mibps,
    }


def _volumes(volumes: tuple[EbsVolume, ...]) -> emr.CfnCluster.EbsConfigurationProperty | None:
    if not volumes:
        return None
    return emr.CfnCluster.EbsConfigurationProperty(
        ebs_block_device_configs=[
            emr.CfnCluster.EbsBlockDeviceConfigProperty(
                volume_specification=emr.CfnCluster.VolumeSpecificationProperty(
                    size_in_gb=v.size_gib, volume_type=v.volume_type.value, iops=v.iops, throughput=v.throughput_mibps
                ),
                volumes_per_instance=v.volumes_per_instance,
            )
            for v in volumes
        ]
    )


def _fleet(fleet: InstanceFleet, default_name: str) -> emr.CfnCluster.InstanceFleetConfigProperty:
    spot = (
        emr.CfnCluster.SpotProvisioningSpecificationProperty(
            allocation_strategy=fleet.spot_allocation_strategy.value,
            timeout_action=fleet.spot_timeout_action.value,
            timeout_duration_minutes=fleet.spot_timeout_minutes,
        )
        if fleet.uses_spot
        else None
    )
    on_demand = (
        emr.CfnCluster.OnDemandProvisioningSpecificationProperty(
            allocation_strategy=fleet.on_demand_allocation_strategy.value
        )
        if fleet.on_demand_allocation_strategy is not None
        else None
    )
    return emr.CfnCluster.InstanceFleetConfigProperty(
        name=fleet.name or default_name,
        target_on_demand_capacity=fleet.target_on_demand_capacity,
        target_spot_capacity=fleet.target_spot_capacity,
        instance_type_configs=[
            emr.CfnCluster.InstanceTypeConfigProperty(
                instance_type=c.instance_type,
                weighted_capacity=c.weighted_capacity,
                bid_price_as_percentage_of_on_demand_price=c.bid_price_percentage,
                ebs_configuration=_volumes(c.ebs_volumes),
            )
            for c in fleet.instance_types
        ],
        launch_specifications=emr.CfnCluster.InstanceFleetProvisioningSpecificationsProperty(
            spot_specification=spot, on_demand_specification=on_demand
        )
        if spot is not None or on_demand is not None
        else None,
    )


def _group(group: InstanceGroup, default_name: str) -> emr.CfnCluster.InstanceGroupConfigProperty:
    policy = group.auto_scaling
    return emr.CfnCluster.InstanceGroupConfigProperty(
        name=group.name or default_name,
        instance_type=group.instance_type,
        instance_count=group.instance_count,
        market=group.market.value,
        bid_price=group.bid_price,
        ebs_configuration=_volumes(group.ebs_volumes),
        auto_scaling_policy=emr.CfnCluster.AutoScalingPolicyProperty(
            constraints=emr.CfnCluster.ScalingConstraintsProperty(
                min_capacity=policy.min_capacity, max_capacity=policy.max_capacity
            ),
            rules=[
                emr.CfnCluster.ScalingRuleProperty(
                    name=rule.name,
                    description=rule.description,
                    action=emr.CfnCluster.ScalingActionProperty(
                        simple_scaling_policy_configuration=emr.CfnCluster.SimpleScalingPolicyConfigurationProperty(
                            scaling_adjustment=rule.scaling_adjustment,
                            adjustment_type=rule.adjustment_type.value,
                            cool_down=rule.cool_down_seconds,
                        )
                    ),
                    trigger=emr.CfnCluster.ScalingTriggerProperty(
                        cloud_watch_alarm_definition=emr.CfnCluster.CloudWatchAlarmDefinitionProperty(
                            comparison_operator=rule.comparison_operator.value,
                            metric_name=rule.metric_name,
                            period=rule.period_seconds,
                            threshold=rule.threshold,
                            evaluation_periods=rule.evaluation_periods,
                            statistic=rule.statistic.value,
                            unit=rule.unit,
                            namespace=EMR_METRICS_NAMESPACE,
                            dimensions=[
                                emr.CfnCluster.MetricDimensionProperty(
                                    key="JobFlowId", value=Fn.sub(CLUSTER_ID_PLACEHOLDER)
                                )
                            ],
                        )
                    ),
                )
                for rule in policy.rules
            ],
        )
        if policy is not None
        else None,
    )


def _capacity_properties(capacity: InstanceFleets | InstanceGroups) -> dict[str, Any]:
    if isinstance(capacity, InstanceFleets):
        return {
            "master_instance_fleet": _fleet(capacity.primary, "Primary"),
            "core_instance_fleet": _fleet(capacity.core, "Core"),
            "task_instance_fleets": [_fleet(capacity.task, "Task")] if capacity.task is not None else None,
        }
    return {
        "master_instance_group": _group(capacity.primary, "Primary"),
        "core_instance_group": _group(capacity.core, "Core"),
        "task_instance_groups": [_group(g, f"Task{i}") for i, g in enumerate(capacity.task)] or None,
    }


def _managed_scaling(
    scaling: ManagedScaling | None, capacity: InstanceFleets | InstanceGroups
) -> emr.CfnCluster.ManagedScalingPolicyProperty | None:
    if scaling is None:
        return None
    default_unit = (
        ScalingUnitType.INSTANCE_FLEET_UNITS if isinstance(capacity, InstanceFleets) else ScalingUnitType.INSTANCES
    )
    unit = scaling.unit_type if scaling.unit_type is not None else default_unit
    return emr.CfnCluster.ManagedScalingPolicyProperty(
        compute_limits=emr.CfnCluster.ComputeLimitsProperty(
            unit_type=unit.value,
            minimum_capacity_units=scaling.minimum,
            maximum_capacity_units=scaling.maximum,
            maximum_on_demand_capacity_units=scaling.maximum_on_demand,
            maximum_core_capacity_units=scaling.maximum_core,
        ),
        scaling_strategy=scaling.scaling_strategy.value if scaling.scaling_strategy is not None else None,
        utilization_performance_index=scaling.utilization_performance_index,
    )
