"""An EMR Serverless application in the platform's private subnets, with its job runtime role and encrypted logs."""

from __future__ import annotations

from aws_cdk import ArnFormat, CfnTag, Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emrserverless as emrserverless
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.discovery_tags import tag_platform_application
from emr_constructs.guard import GuardRule, acknowledge_guard, restrict_grants_to_aws_services
from emr_constructs.iam.keys import allow_cloudwatch_logs
from emr_constructs.network.interfaces import IPlatformNetwork
from emr_constructs.network.vpc import RETENTION_DAYS
from emr_constructs.policy.acknowledge import (
    acknowledge,
    acknowledge_inline_policies,
    acknowledge_wildcard_resources,
)
from emr_constructs.removal import safe_removal_policy
from emr_constructs.serverless.props import ApplicationType, DiskType, ServerlessApplicationProps, WorkerGroup
from emr_constructs.storage import DataLake, Zone

EMR_SERVERLESS_SERVICE_PRINCIPAL = "emr-serverless.amazonaws.com"
#: CloudWatch namespace and dimension of EMR Serverless usage and job metrics:
#: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-job-metrics.html
METRICS_NAMESPACE = "AWS/EMRServerless"
METRICS_DIMENSION = "ApplicationId"
#: EventBridge source and detail types of EMR Serverless:
#: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-eventbridge.html
EVENT_SOURCE = "aws.emr-serverless"
JOB_RUN_STATE_CHANGE = "EMR Serverless Job Run State Change"
APPLICATION_STATE_CHANGE = "EMR Serverless Application State Change"
#: Job run actions a submitter needs on one application (and its job runs).
JOB_RUN_ACTIONS: tuple[str, ...] = (
    "emr-serverless:StartJobRun",
    "emr-serverless:GetJobRun",
    "emr-serverless:ListJobRuns",
    "emr-serverless:CancelJobRun",
    "emr-serverless:GetDashboardForJobRun",
    "emr-serverless:GetApplication",
)
#: The job runtime role's CloudWatch Logs actions on its log group (EMR Serverless describes the group first).
LOG_GROUP_ACTIONS: tuple[str, ...] = ("logs:DescribeLogStreams", "logs:CreateLogStream", "logs:PutLogEvents")
LOG_KEY_ACTIONS: tuple[str, ...] = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey")
HTTPS = 443

_ROLE_INLINE_REASON = (
    "The job runtime role's inline default policy holds only grants scoped by the constructs that make them: its "
    "log prefix and log group, and the lake folders, Glue databases and warehouse it is granted."
)
_LOG_STREAM_REASON = (
    "EMR Serverless names a log stream per job run and worker (<prefix>/applications/<id>/jobs/<run>/...): the "
    "runtime role may write streams of this application's log group only."
)
_DESCRIBE_LOG_GROUPS_REASON = (
    "logs:DescribeLogGroups takes no log-group resource (Service Authorization Reference, CloudWatch Logs); EMR "
    "Serverless calls it before writing, and it reveals group names only."
)
_JOB_RUNS_REASON = (
    "Job runs are named by EMR Serverless at submission (<application ARN>/jobruns/<id>): the grant covers the runs "
    "of this application only."
)


#: CT.CLOUDWATCH.PR.2 accepts log groups kept for at least this long (or forever).
_CT_LOG_RETENTION_DAYS = 365
_LOG_RETENTION_REASON = (
    "Retention is ServerlessApplicationProps.log_retention_days, a cost choice per environment: job logs are "
    "also kept in the logs zone of the lake (CT.CLOUDWATCH.PR.2 wants 365 days or more)."
)


class EmrServerlessApplication(Construct):
    """An ``AWS::EMRServerless::Application`` (Spark or Hive) wired to the platform.

    - In ``network.cluster_subnets`` (private) with its own security group: egress HTTPS only (the interface
      endpoints' group when the network has one, and S3 through the gateway endpoint: the S3 prefix list when
      ``props.s3_prefix_list_id`` is given, else any address on 443, which in an isolated VPC reaches only the
      endpoints), plus what :meth:`connect_to` adds (e.g. the warehouse port). No ingress.
    - Logs: to the lake's logs bucket under ``log_prefix``, encrypted with the lake key; to a CloudWatch log group
      encrypted with a log key (created, rotation on, unless ``log_key`` is given); managed persistence (Spark UI)
      encrypted with the log key.
    - A job runtime role (:attr:`runtime_role`) trusted by EMR Serverless for this application only. It may write
      its logs and read job scripts under ``scripts_prefix`` of the artifacts bucket (default ``jobs/``, where
      ``emr-platform submit`` uploads them), nothing else: grant data exactly as for a cluster's instance role,
      ``grant_zone_access(lake, catalog, app.runtime_role, read=..., write=...)`` and
      ``warehouse.grant_data_api(app.runtime_role)``.
    - ``grant_start_job_run(principal)``: submit and follow job runs here, passing only this runtime role.
    - Tagged ``emr-platform:application=<construct id lowercased>``, so ``emr-platform submit --app NAME`` finds it
      (with the stage's ``emr-platform:environment`` tag) in any app.

    The log group and the log key are RETAINed unless ``removal_policy=RemovalPolicy.DESTROY`` is passed *and* the
    app runs with ``-c emr-platform:allow-destroy=true``. The application itself holds no data.

    Example::

        app = EmrServerlessApplication(stack, "Spark", network=network, lake=lake)
        grant_zone_access(lake, catalog, app.runtime_role, read=(ZonePrefix(zone=Zone.RAW, prefix="events/"),))
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: ServerlessApplicationProps = ServerlessApplicationProps(),  # noqa: B008 - frozen dataclass
        network: IPlatformNetwork,
        lake: DataLake,
        log_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props
        self.lake = lake
        self.removal_policy = safe_removal_policy(self, removal_policy)
        self.name = props.name or Names.unique_resource_name(self, max_length=64, separator="-")
        self.log_prefix = (
            props.log_prefix if props.log_prefix is not None else f"emr-serverless/{Names.unique_id(self)}/"
        )
        self.log_uri = lake.bucket(Zone.LOGS).s3_url_for_object(self.log_prefix)

        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=network.vpc,
            allow_all_outbound=False,
            description=f"EMR Serverless application {self.node.path}: HTTPS to S3 and the VPC endpoints",
        )
        # DataPlatformVpc's interface endpoints have a group of their own; a brought network's endpoints are
        # reached through the HTTPS rule below (IPlatformNetwork does not promise an endpoint group).
        endpoints: ec2.ISecurityGroup | None = getattr(network, "endpoint_security_group", None)
        if endpoints is not None:
            self._egress_to(endpoints, HTTPS, "HTTPS to the interface VPC endpoints (Glue, KMS, STS, Logs)")
        prefix_list = props.s3_prefix_list_id
        s3_peer = ec2.Peer.prefix_list(prefix_list) if prefix_list else ec2.Peer.any_ipv4()
        self.security_group.add_egress_rule(s3_peer, ec2.Port.tcp(HTTPS), "HTTPS to S3 through the gateway endpoint")
        if not prefix_list:
            acknowledge_guard(
                self.security_group,
                [GuardRule.EGRESS_OPEN_TO_WORLD],
                "HTTPS (TCP 443) only, to reach S3 through the gateway endpoint: set "
                "ServerlessApplicationProps.s3_prefix_list_id (region-specific, no lookup at synth) to narrow it.",
            )

        self.log_key: kms.IKey = log_key or kms.Key(
            self,
            "LogKey",
            description=f"Encrypts the CloudWatch logs and the managed Spark UI of {self.node.path}",
            enable_key_rotation=True,
            removal_policy=self.removal_policy,
        )
        if isinstance(self.log_key, kms.Key):
            restrict_grants_to_aws_services(self.log_key)
        self.log_group: logs.LogGroup | None = None
        if props.cloudwatch_logging:
            allow_cloudwatch_logs(self, self.log_key)
            self.log_group = logs.LogGroup(
                self,
                "LogGroup",
                encryption_key=self.log_key,
                retention=RETENTION_DAYS[props.log_retention_days],
                removal_policy=self.removal_policy,
            )
            if props.log_retention_days < _CT_LOG_RETENTION_DAYS:
                acknowledge_guard(self.log_group, [GuardRule.LOG_GROUP_RETENTION], _LOG_RETENTION_REASON)

        self.resource = emrserverless.CfnApplication(
            self,
            "Resource",
            name=self.name,
            release_label=props.release_label,
            type=ApplicationType(props.type).value,
            architecture=props.resolved_architecture.value,
            auto_start_configuration=emrserverless.CfnApplication.AutoStartConfigurationProperty(
                enabled=props.auto_start
            ),
            auto_stop_configuration=emrserverless.CfnApplication.AutoStopConfigurationProperty(
                enabled=props.auto_stop_idle_minutes is not None,
                idle_timeout_minutes=props.auto_stop_idle_minutes,
            ),
            initial_capacity=[_initial_capacity(name, group) for name, group in props.worker_groups()] or None,
            maximum_capacity=emrserverless.CfnApplication.MaximumAllowedResourcesProperty(
                cpu=f"{props.maximum_capacity.cpu} vCPU",
                memory=f"{props.maximum_capacity.memory_gb} GB",
                disk=f"{props.maximum_capacity.disk_gb} GB" if props.maximum_capacity.disk_gb is not None else None,
            ),
            network_configuration=emrserverless.CfnApplication.NetworkConfigurationProperty(
                subnet_ids=[subnet.subnet_id for subnet in network.cluster_subnets],
                security_group_ids=[self.security_group.security_group_id],
            ),
            image_configuration=(
                emrserverless.CfnApplication.ImageConfigurationInputProperty(image_uri=props.image_uri)
                if props.image_uri
                else None
            ),
            interactive_configuration=(
                emrserverless.CfnApplication.InteractiveConfigurationProperty(
                    studio_enabled=props.studio_enabled, livy_endpoint_enabled=props.livy_endpoint_enabled
                )
                if props.studio_enabled or props.livy_endpoint_enabled
                else None
            ),
            monitoring_configuration=self._monitoring_configuration(),
            tags=[CfnTag(key=k, value=v) for k, v in sorted(props.tags.items())] or None,
        )

        self.runtime_role = iam.Role(
            self,
            "RuntimeRole",
            assumed_by=iam.ServicePrincipal(EMR_SERVERLESS_SERVICE_PRINCIPAL).with_conditions(
                {
                    "StringEquals": {"aws:SourceAccount": Stack.of(self).account},
                    # The application, or one of its job runs (<application ARN>/jobruns/<id>), whichever EMR
                    # Serverless names as the source: this application only either way.
                    "ArnLike": {"aws:SourceArn": [self.resource.attr_arn, f"{self.resource.attr_arn}/*"]},
                }
            ),
            description=f"Job runtime role of the EMR Serverless application {self.node.path}",
        )
        lake.grant_write(Zone.LOGS, self.runtime_role, prefix=self.log_prefix)
        if props.scripts_prefix is not None:
            lake.grant_read(Zone.ARTIFACTS, self.runtime_role, prefix=props.scripts_prefix)
        if self.log_group is not None:
            self._grant_cloudwatch_logs()
        acknowledge_inline_policies(self.runtime_role, _ROLE_INLINE_REASON)
        tag_platform_application(self, self.node.id.lower())

    # -- attributes -----------------------------------------------------------------------------------

    @property
    def application_id(self) -> str:
        """The application id (``00f...``): what ``StartJobRun`` and the CloudWatch metrics take."""
        return self.resource.attr_application_id

    @property
    def application_arn(self) -> str:
        return self.resource.attr_arn

    # -- wiring ---------------------------------------------------------------------------------------

    @checked_arguments
    def connect_to(self, group: ec2.ISecurityGroup, port: int, description: str) -> None:
        """Let the application's workers reach ``group`` on TCP ``port`` (e.g. the warehouse), both ways: egress
        from :attr:`security_group` and ingress on ``group`` from it.

        Both rules are separate resources in this construct's stack, so ``group`` (in the network or warehouse
        stack) gains no dependency on it.
        """
        self._egress_to(group, port, description)
        ec2.CfnSecurityGroupIngress(
            self,
            f"IngressTo{Names.unique_id(group)}{port}",
            group_id=group.security_group_id,
            source_security_group_id=self.security_group.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description=f"EMR Serverless application {self.node.path}: {description}",
        )

    @checked_arguments
    def grant_start_job_run(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` (an operator, a scheduler) start, follow and cancel job runs on this application,
        passing :attr:`runtime_role` (and no other role) to EMR Serverless."""
        runs = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(JOB_RUN_ACTIONS),
            resource_arns=[self.application_arn, f"{self.application_arn}/jobruns/*"],
        )
        pass_role = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["iam:PassRole"],
            resource_arns=[self.runtime_role.role_arn],
            conditions={"StringLike": {"iam:PassedToService": EMR_SERVERLESS_SERVICE_PRINCIPAL}},
        )
        acknowledge_wildcard_resources(grantee, [f"{self.application_arn}/jobruns/*"], _JOB_RUNS_REASON)
        return runs.combine(pass_role)

    # -- monitoring -----------------------------------------------------------------------------------

    def metric(self, metric_name: str, *, statistic: str = "Sum", period: Duration | None = None) -> cloudwatch.Metric:
        """An ``AWS/EMRServerless`` metric of this application (``FailedJobs``, ``RunningJobs``, ``CPUAllocated``)."""
        return cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name=metric_name,
            dimensions_map={METRICS_DIMENSION: self.application_id},
            statistic=statistic,
            period=period or Duration.minutes(5),
        )

    def metric_failed_jobs(self, *, period: Duration | None = None) -> cloudwatch.Metric:
        """Job runs of this application that ended ``FAILED``."""
        return self.metric("FailedJobs", period=period)

    def job_run_state_change_pattern(self, *states: str) -> events.EventPattern:
        """EventBridge pattern of this application's job runs entering ``states`` (all states when none given),
        e.g. ``("FAILED",)``."""
        detail: dict[str, list[str]] = {"applicationId": [self.application_id]}
        if states:
            detail["state"] = list(states)
        return events.EventPattern(source=[EVENT_SOURCE], detail_type=[JOB_RUN_STATE_CHANGE], detail=detail)

    def application_state_change_pattern(self) -> events.EventPattern:
        """EventBridge pattern of this application's state changes (CREATED, STARTED, STOPPED, TERMINATED...)."""
        return events.EventPattern(
            source=[EVENT_SOURCE],
            detail_type=[APPLICATION_STATE_CHANGE],
            detail={"applicationId": [self.application_id]},
        )

    # -- helpers --------------------------------------------------------------------------------------

    def _egress_to(self, group: ec2.ISecurityGroup, port: int, description: str) -> None:
        ec2.CfnSecurityGroupEgress(
            self,
            f"EgressTo{Names.unique_id(group)}{port}",
            group_id=self.security_group.security_group_id,
            destination_security_group_id=group.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description=description,
        )

    def _monitoring_configuration(self) -> emrserverless.CfnApplication.MonitoringConfigurationProperty:
        props = self.props
        cloudwatch_logging = None
        if self.log_group is not None:
            cloudwatch_logging = emrserverless.CfnApplication.CloudWatchLoggingConfigurationProperty(
                enabled=True,
                log_group_name=self.log_group.log_group_name,
                log_stream_name_prefix=self.log_prefix.rstrip("/") or None,
                encryption_key_arn=self.log_key.key_arn,
            )
        return emrserverless.CfnApplication.MonitoringConfigurationProperty(
            s3_monitoring_configuration=emrserverless.CfnApplication.S3MonitoringConfigurationProperty(
                log_uri=self.log_uri, encryption_key_arn=self.lake.key.key_arn
            ),
            cloud_watch_logging_configuration=cloudwatch_logging,
            managed_persistence_monitoring_configuration=(
                emrserverless.CfnApplication.ManagedPersistenceMonitoringConfigurationProperty(
                    enabled=props.managed_persistence,
                    encryption_key_arn=self.log_key.key_arn if props.managed_persistence else None,
                )
            ),
        )

    def _grant_cloudwatch_logs(self) -> None:
        assert self.log_group is not None
        stack = Stack.of(self)
        streams = stack.format_arn(
            service="logs",
            resource="log-group",
            resource_name=f"{self.log_group.log_group_name}:log-stream:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        self.runtime_role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(LOG_GROUP_ACTIONS), resources=[self.log_group.log_group_arn, streams])
        )
        self.runtime_role.add_to_principal_policy(
            iam.PolicyStatement(actions=["logs:DescribeLogGroups"], resources=["*"])
        )
        self.runtime_role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(LOG_KEY_ACTIONS), resources=[self.log_key.key_arn])
        )
        acknowledge(self.runtime_role, ["AwsSolutions-IAM5[Resource::*]"], _DESCRIBE_LOG_GROUPS_REASON)
        acknowledge_wildcard_resources(self.runtime_role, [self.log_group.log_group_arn, streams], _LOG_STREAM_REASON)


def _initial_capacity(
    name: str, group: WorkerGroup
) -> emrserverless.CfnApplication.InitialCapacityConfigKeyValuePairProperty:
    size = group.size
    return emrserverless.CfnApplication.InitialCapacityConfigKeyValuePairProperty(
        key=name,
        value=emrserverless.CfnApplication.InitialCapacityConfigProperty(
            worker_count=group.count,
            worker_configuration=emrserverless.CfnApplication.WorkerConfigurationProperty(
                cpu=f"{size.cpu} vCPU",
                memory=f"{size.memory_gb} GB",
                disk=f"{size.disk_gb} GB",
                disk_type=DiskType(size.disk_type).value if size.disk_type != DiskType.STANDARD else None,
            ),
        ),
    )
