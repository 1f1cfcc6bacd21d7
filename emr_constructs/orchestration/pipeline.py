"""Step Functions pipelines for the classic EMR patterns, scheduled and watched.

- :class:`ClusterStepsPipeline`: a long-running cluster; add each step and wait for it (``addStep.sync``).
- :class:`TransientClusterPipeline`: create a cluster, run the steps, always terminate it (also on failure).
- :class:`ServerlessJobPipeline`: one EMR Serverless job run after another (``startJobRun.sync``).

Every pipeline: a state machine with its own least-privilege role, logging (all events, no execution data) to a
log group encrypted with its own key, X-Ray tracing, an execution timeout, an optional EventBridge Scheduler
schedule, and failed, timed-out or aborted executions routed to the platform's notifications.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from aws_cdk import ArnFormat, Duration, Names, RemovalPolicy, Stack, TimeZone
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from emr_constructs.arguments import checked_arguments, describe_as
from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.cluster import EmrCluster
from emr_constructs.errors import Checks, is_token
from emr_constructs.guard import restrict_grants_to_aws_services
from emr_constructs.iam.keys import allow_cloudwatch_logs
from emr_constructs.orchestration.jars import record_jars
from emr_constructs.orchestration.props import (
    RUN_DATE,
    FlinkJob,
    PipelineProps,
    SparkJob,
    StepJob,
    TransientClusterProps,
)
from emr_constructs.policy.acknowledge import acknowledge, acknowledge_inline_policies, acknowledge_wildcard_resources
from emr_constructs.removal import safe_removal_policy
from emr_constructs.tags import EMR_MANAGED_POLICY_TAG_KEY, EMR_MANAGED_POLICY_TAG_VALUE

COMMAND_RUNNER_JAR = "command-runner.jar"
#: Step Functions' optimized EMR integration. Written as the state itself rather than CDK's ``EmrAddStep``, whose
#: policy names every cluster of the account (``cluster/*``); this one names the pipeline's cluster only.
ADD_STEP = "arn:{partition}:states:::elasticmapreduce:addStep.sync"
ADD_STEP_EVENTS_RULE = "StepFunctionsGetEventForEMRAddJobFlowStepsRule"
STEP_ACTIONS: tuple[str, ...] = (
    "elasticmapreduce:AddJobFlowSteps",
    "elasticmapreduce:CancelSteps",
    "elasticmapreduce:DescribeStep",
)
#: Execution states the platform is told about.
FAILED_STATUSES: tuple[str, ...] = ("FAILED", "TIMED_OUT", "ABORTED")
#: Step Functions' optimized EMR Serverless integration (no CDK task exists for it in aws-cdk-lib 2.275).
SERVERLESS_START_JOB_RUN = "arn:{partition}:states:::emr-serverless:startJobRun.sync"
#: The managed rule Step Functions puts in the account to follow ``.sync`` job runs:
#: https://docs.aws.amazon.com/step-functions/latest/dg/emr-serverless-iam.html
SERVERLESS_EVENTS_RULE = "StepFunctionsGetEventsForEMRServerlessJobRule"
SERVERLESS_RUN_ACTIONS: tuple[str, ...] = ("emr-serverless:StartJobRun",)
SERVERLESS_FOLLOW_ACTIONS: tuple[str, ...] = ("emr-serverless:CancelJobRun", "emr-serverless:GetJobRun")
SYNC_RULE_ACTIONS: tuple[str, ...] = ("events:DescribeRule", "events:PutRule", "events:PutTargets")
#: Where a dated pipeline keeps the run's day, and how it computes it from the execution's ISO start time.
RUN_PATH = "$.run"
START_DAY = "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)"

_INLINE_REASON = (
    "The state machine role's inline default policy holds only what its tasks call (named cluster, application, "
    "roles and Step Functions' own sync rule); it is created, reviewed and deleted with the state machine."
)
_DELIVERY_REASON = (
    "CloudWatch Logs vended log delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, "
    "DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and "
    "X-Ray (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) accept no resource ARN "
    "(Service Authorization Reference); this is what CDK grants a state machine with logging and tracing on."
)
_SCHEDULE_REASON = (
    "The schedule role's inline default policy allows states:StartExecution on this one state machine only."
)
SERVICE_LINKED_ROLE_FINDING = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/"
    "elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*]"
)
_SERVICE_LINKED_ROLE_REASON = (
    "CDK's EmrCreateCluster lets the state machine create EMR's own cleanup service-linked role only (the "
    "condition names the EMR service); its path differs by partition, hence the wildcard."
)
_TRANSIENT_REASON = (
    "A transient cluster's id exists only once the execution has created it, so RunJobFlow, DescribeCluster, "
    "AddJobFlowSteps, DescribeStep, CancelSteps and TerminateJobFlows cannot name it in advance; the role passes "
    "only the pipeline's two cluster roles, and holds no data access of its own."
)
_JOB_RUNS_REASON = (
    "A job run's id is only known once it is started: GetJobRun and CancelJobRun are limited to the job runs of "
    "this one application (<application ARN>/jobruns/*)."
)


@runtime_checkable
class IStepCluster(Protocol):
    """A running cluster steps are added to (:class:`~emr_constructs.cluster.EmrCluster`)."""

    @property
    def cluster_id(self) -> str: ...

    @property
    def cluster_arn(self) -> str: ...


@runtime_checkable
class IServerlessJobTarget(Protocol):
    """An EMR Serverless application and the role its jobs run as
    (:class:`~emr_constructs.serverless.EmrServerlessApplication`)."""

    @property
    def application_id(self) -> str: ...

    @property
    def application_arn(self) -> str: ...

    @property
    def runtime_role(self) -> iam.IRole: ...


@runtime_checkable
class IFailureNotifications(Protocol):
    """Where failed executions go (:class:`~emr_constructs.monitoring.PlatformMonitoring`, whose topic accepts
    only the rules it created)."""

    def route_events(self, id: str, pattern: events.EventPattern, description: str) -> events.Rule: ...


@runtime_checkable
class IApplicationsCluster(IStepCluster, Protocol):
    """A cluster that tells which applications it has (:class:`~emr_constructs.cluster.EmrCluster`): a pipeline
    checks that it has Flink before adding a :class:`FlinkJob` (a cluster known only by id cannot be checked)."""

    @property
    def applications(self) -> tuple[Application, ...]: ...


describe_as(IStepCluster, "EmrCluster, or anything with cluster_id and cluster_arn")
describe_as(IServerlessJobTarget, "EmrServerlessApplication, or application_id, application_arn and runtime_role")
describe_as(IFailureNotifications, "PlatformMonitoring")


class _Pipeline(Construct):
    """The state machine, its logs, schedule and failure routing; subclasses only build the definition."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: PipelineProps,
        jobs: Sequence[StepJob],
        notifications: IFailureNotifications | None,
        removal_policy: RemovalPolicy | None,
        extra_checks: Checks | None = None,
    ) -> None:
        super().__init__(scope, id)
        checks = extra_checks or Checks()
        checks.extend(props.problems())
        checks.require(len(jobs) >= 1, "jobs", len(jobs), "a pipeline runs at least one job", "1 or more SparkJob")
        for index, job in enumerate(jobs):
            checks.extend(job.problems(), f"jobs[{index}]")
        checks.require(
            len({job.name for job in jobs}) == len(jobs),
            "jobs",
            [job.name for job in jobs],
            "job names name the states of the state machine and must be unique",
            "distinct names",
        )
        checks.raise_if_any(self.node.path)
        self.props = props
        self.jobs = tuple(jobs)
        policy = safe_removal_policy(self, removal_policy)
        self.key = kms.Key(
            self,
            "Key",
            description=f"Logs of the pipeline {self.node.path}",
            enable_key_rotation=True,
            removal_policy=policy,
        )
        restrict_grants_to_aws_services(self.key)
        allow_cloudwatch_logs(self, self.key)
        self.log_group = logs.LogGroup(
            self, "Logs", encryption_key=self.key, retention=logs.RetentionDays.ONE_YEAR, removal_policy=policy
        )
        self.state_machine = sfn.StateMachine(
            self,
            "Resource",
            definition_body=sfn.DefinitionBody.from_chainable(self._dated(self._definition())),
            timeout=Duration.minutes(props.timeout_minutes),
            tracing_enabled=True,
            # Execution data holds job arguments; they carry no secret, but logs need not copy them either.
            logs=sfn.LogOptions(destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
        )
        record_jars(self.state_machine, self.jobs)
        self._grant(self.state_machine.role)
        acknowledge_inline_policies(self.state_machine.role, _INLINE_REASON)
        acknowledge(self.state_machine.role, ["AwsSolutions-IAM5[Resource::*]"], self._wildcard_reason)

        self.schedule: scheduler.Schedule | None = None
        if props.schedule is not None:
            stack = Stack.of(self)
            self.schedule_role = iam.Role(
                self,
                "ScheduleRole",
                assumed_by=iam.ServicePrincipal(
                    "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": stack.account}}
                ),
                description=f"EventBridge Scheduler starts the pipeline {self.node.path}",
            )
            acknowledge_inline_policies(self.schedule_role, _SCHEDULE_REASON)
            self.schedule = scheduler.Schedule(
                self,
                "Schedule",
                schedule=scheduler.ScheduleExpression.expression(
                    props.schedule, time_zone=TimeZone.of(props.schedule_time_zone)
                ),
                target=scheduler_targets.StepFunctionsStartExecution(self.state_machine, role=self.schedule_role),
                enabled=props.schedule_enabled,
                description=f"Runs the pipeline {self.node.path}",
            )
        self.failure_rule: events.Rule | None = None
        if notifications is not None:
            self.failure_rule = notifications.route_events(
                f"{Names.unique_id(self)}Failures",
                events.EventPattern(
                    source=["aws.states"],
                    detail_type=["Step Functions Execution Status Change"],
                    detail={"status": list(FAILED_STATUSES), "stateMachineArn": [self.state_machine.state_machine_arn]},
                ),
                f"Failed, timed-out or aborted runs of the pipeline {self.node.path}",
            )

    @property
    def state_machine_arn(self) -> str:
        return self.state_machine.state_machine_arn

    @checked_arguments
    def grant_start_execution(self, grantee: iam.IGrantable) -> iam.Grant:
        """Start this pipeline (an operator, another system)."""
        return self.state_machine.grant_start_execution(grantee)

    #: Why the role holds actions on ``*`` (one acknowledgement per role: cdk-nag reports them as one finding).
    _wildcard_reason = _DELIVERY_REASON

    def _definition(self) -> sfn.IChainable:
        raise NotImplementedError

    @property
    def uses_run_date(self) -> bool:
        """Whether a job takes :data:`RUN_DATE`: the definition then starts by resolving the run's day."""
        return any(job.uses_run_date for job in self.jobs)

    def _dated(self, definition: sfn.IChainable) -> sfn.IChainable:
        """``definition`` after ``RunDate``: the input's ``date`` if present, else the execution's start day, kept
        in ``$.run.date`` (every job state discards its own result, so the day reaches the last job)."""
        if not self.uses_run_date:
            return definition
        given = sfn.Pass(self, "GivenDate", parameters={"date.$": "$.date"}, result_path=RUN_PATH)
        started = sfn.Pass(self, "StartDate", parameters={"date.$": START_DAY}, result_path=RUN_PATH)
        given.next(definition)
        started.next(definition)
        return sfn.Choice(self, "RunDate").when(sfn.Condition.is_present("$.date"), given).otherwise(started)

    def _arguments(self, key: str, values: Sequence[str]) -> dict[str, Any]:
        """``{key: values}``, or ``{key.$: States.Array(...)}`` with :data:`RUN_DATE` read from ``$.run.date``."""
        if RUN_DATE not in values:
            return {key: list(values)}
        day = sfn.JsonPath.string_at(f"{RUN_PATH}.date")
        return {f"{key}.$": sfn.JsonPath.array(*(day if v == RUN_DATE else _intrinsic_literal(v) for v in values))}

    def _result_path(self) -> dict[str, Any]:
        """Job states of a dated pipeline keep their input (``$.run``) for the next job (``null``: a plain
        ``None`` in a custom state's JSON is dropped by CDK)."""
        return {"ResultPath": sfn.JsonPath.DISCARD} if self.uses_run_date else {}

    def _grant(self, role: iam.IRole) -> None:
        """Permissions beyond those CDK's tasks add themselves."""


class ClusterStepsPipeline(_Pipeline):
    """Add each job as a step to a long-running cluster and wait for it, in order; a failed step fails the run
    (``ActionOnFailure=CONTINUE`` on the cluster, so the cluster keeps serving other pipelines).

    The role may add, describe and cancel steps on this one cluster, and manage Step Functions' own rule that
    follows ``.sync`` steps; nothing else.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        cluster: IStepCluster,
        jobs: Sequence[StepJob],
        props: PipelineProps = PipelineProps(),  # noqa: B008 - frozen dataclass, never mutated
        notifications: IFailureNotifications | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        self._cluster = cluster
        checks = Checks()
        if isinstance(cluster, IApplicationsCluster):
            _require_flink(checks, jobs, cluster.applications, "cluster")
        super().__init__(
            scope,
            id,
            props=props,
            jobs=jobs,
            notifications=notifications,
            removal_policy=removal_policy,
            extra_checks=checks,
        )

    def _definition(self) -> sfn.IChainable:
        partition = Stack.of(self).partition
        return _in_order(
            [
                sfn.CustomState(
                    self,
                    job.name,
                    state_json={
                        "Type": "Task",
                        "Resource": ADD_STEP.format(partition=partition),
                        "Parameters": {
                            "ClusterId": self._cluster.cluster_id,
                            "Step": {
                                "Name": job.name,
                                "ActionOnFailure": "CONTINUE",
                                "HadoopJarStep": {
                                    "Jar": COMMAND_RUNNER_JAR,
                                    **self._arguments("Args", job.step_arguments()),
                                },
                            },
                        },
                        **self._result_path(),
                    },
                )
                for job in self.jobs
            ]
        )

    def _grant(self, role: iam.IRole) -> None:
        _grant_steps(self, role, self._cluster.cluster_arn)


class TransientClusterPipeline(_Pipeline):
    """Create a cluster, run the jobs as steps, and always terminate it: after the last step, and when a step or
    the run fails (``Catch`` on the steps, then terminate, then fail the execution).

    The cluster is created with the given roles, security configuration, EMR-managed security groups and the
    network's first cluster subnet, tagged for the EMR v2 managed policy, logging to ``log_uri``. Its id is only
    known at run time: the role may run, describe, tag, add steps to and terminate clusters of the account
    (``cluster/*``, CDK's ``EmrCreateCluster`` and ``EmrTerminateCluster`` grants) and pass the two cluster roles.
    cdk-nag's finding about it is acknowledged here; checkov reports the same as ``CKV_AWS_111`` on the role's
    ``DefaultPolicy``: skip it with that reason (the bundled app does in ``tools/gate/checkov-skips.yaml``).
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        cluster: TransientClusterProps,
        jobs: Sequence[StepJob],
        service_role: iam.IRole,
        instance_role: iam.IRole,
        autoscaling_role: iam.IRole,
        subnet_id: str,
        primary_security_group: ec2.ISecurityGroup,
        core_security_group: ec2.ISecurityGroup,
        service_access_security_group: ec2.ISecurityGroup,
        security_configuration_name: str,
        log_uri: str,
        props: PipelineProps = PipelineProps(),  # noqa: B008 - frozen dataclass, never mutated
        notifications: IFailureNotifications | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        checks = Checks()
        checks.extend(cluster.problems(), "cluster")
        _require_flink(checks, jobs, cluster.applications, "cluster.applications")
        self._cluster_props = cluster
        self._roles = (service_role, instance_role, autoscaling_role)
        self._network = (subnet_id, primary_security_group, core_security_group, service_access_security_group)
        self._security_configuration_name = security_configuration_name
        self._log_uri = log_uri
        super().__init__(
            scope,
            id,
            props=props,
            jobs=jobs,
            notifications=notifications,
            removal_policy=removal_policy,
            extra_checks=checks,
        )
        acknowledge_wildcard_resources(self.state_machine.role, [_cluster_wildcard(self)], _TRANSIENT_REASON)
        acknowledge(self.state_machine.role, [SERVICE_LINKED_ROLE_FINDING], _SERVICE_LINKED_ROLE_REASON)
        self.instance_profile = job_flow_profile(instance_role)

    @classmethod
    @checked_arguments
    def like(
        cls,
        scope: Construct,
        id: str,
        *,
        cluster: EmrCluster,
        jobs: Sequence[StepJob],
        transient: TransientClusterProps = TransientClusterProps(),  # noqa: B008 - frozen dataclass
        props: PipelineProps = PipelineProps(),  # noqa: B008 - frozen dataclass, never mutated
        notifications: IFailureNotifications | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> TransientClusterPipeline:
        """A transient cluster that runs as the long-running ``cluster`` does: its roles (so the same data
        grants, nothing more), EMR-managed security groups, security configuration, log location (EMR writes under
        ``<log_uri>/<cluster id>/``) and first cluster subnet; ``transient`` sizes it. ``cluster``'s roles need
        the autoscaling role (``EmrRolesProps(create_autoscaling_role=True)``): RunJobFlow from Step Functions
        always names one, and CDK would otherwise create a role of its own here."""
        autoscaling_role = cluster.roles.autoscaling_role
        checks = Checks()
        checks.require(
            autoscaling_role is not None,
            "cluster",
            cluster.node.path,
            "its roles have no autoscaling role, which a cluster created by Step Functions is given",
            "a cluster whose roles are created with EmrRolesProps(create_autoscaling_role=True), or brought "
            "with autoscaling_role",
        )
        checks.require(
            cluster.props.security.kerberos is None,
            "cluster",
            cluster.node.path,
            "its security configuration uses Kerberos, and the transient cluster would be created without the "
            "KDC admin password RunJobFlow then requires",
            "a cluster without Kerberos",
        )
        checks.raise_if_any(f"{scope.node.path}/{id}")
        assert autoscaling_role is not None
        groups = cluster.security_groups
        return cls(
            scope,
            id,
            cluster=transient,
            jobs=jobs,
            service_role=cluster.roles.service_role,
            instance_role=cluster.roles.instance_role,
            autoscaling_role=autoscaling_role,
            subnet_id=cluster.network.cluster_subnets[0].subnet_id,
            primary_security_group=groups.primary,
            core_security_group=groups.core,
            service_access_security_group=groups.service_access,
            security_configuration_name=cluster.security_configuration.security_configuration_name,
            log_uri=cluster.log_uri,
            props=props,
            notifications=notifications,
            removal_policy=removal_policy,
        )

    _wildcard_reason = (
        _DELIVERY_REASON
        + " CDK's EmrCreateCluster also grants RunJobFlow (which takes no resource ARN), AddTags, DescribeCluster and "
        "TerminateJobFlows on '*': the cluster it creates has no ARN before the run."
    )

    def _definition(self) -> sfn.IChainable:
        cluster = self._cluster_props
        service_role, instance_role, autoscaling_role = self._roles
        subnet_id, primary, core, service_access = self._network
        partition = Stack.of(self).partition
        create = tasks.EmrCreateCluster(
            self,
            "CreateCluster",
            name=Names.unique_resource_name(self, max_length=200),
            release_label=cluster.release_label,
            applications=[tasks.EmrCreateCluster.ApplicationConfigProperty(name=a.value) for a in cluster.applications],
            instances=tasks.EmrCreateCluster.InstancesConfigProperty(
                ec2_subnet_id=subnet_id,
                emr_managed_master_security_group=primary.security_group_id,
                emr_managed_slave_security_group=core.security_group_id,
                service_access_security_group=service_access.security_group_id,
                instance_groups=[
                    tasks.EmrCreateCluster.InstanceGroupConfigProperty(
                        instance_role=tasks.EmrCreateCluster.InstanceRoleType.MASTER,
                        instance_type=cluster.primary_instance_type,
                        instance_count=1,
                    ),
                    tasks.EmrCreateCluster.InstanceGroupConfigProperty(
                        instance_role=tasks.EmrCreateCluster.InstanceRoleType.CORE,
                        instance_type=cluster.core_instance_type,
                        instance_count=cluster.core_instance_count,
                    ),
                ],
            ),
            service_role=service_role,
            cluster_role=instance_role,
            auto_scaling_role=autoscaling_role,
            security_configuration=self._security_configuration_name,
            log_uri=self._log_uri,
            visible_to_all_users=True,
            tags={EMR_MANAGED_POLICY_TAG_KEY: EMR_MANAGED_POLICY_TAG_VALUE},
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            result_path="$.Cluster",
            result_selector={"ClusterId.$": "$.ClusterId"},
        )
        cluster_id = sfn.JsonPath.string_at("$.Cluster.ClusterId")
        steps = _in_order(
            [
                sfn.CustomState(
                    self,
                    job.name,
                    state_json={
                        "Type": "Task",
                        "Resource": ADD_STEP.format(partition=partition),
                        "Parameters": {
                            "ClusterId.$": "$.Cluster.ClusterId",
                            "Step": {
                                "Name": job.name,
                                "ActionOnFailure": "CONTINUE",
                                "HadoopJarStep": {
                                    "Jar": COMMAND_RUNNER_JAR,
                                    **self._arguments("Args", job.step_arguments()),
                                },
                            },
                        },
                        # JsonPath.DISCARD renders as null; a plain None is dropped and the step's result would
                        # replace $.Cluster, which the next step and the terminate state read.
                        "ResultPath": sfn.JsonPath.DISCARD,
                    },
                )
                for job in self.jobs
            ]
        )
        run = sfn.Parallel(self, "RunSteps", result_path=sfn.JsonPath.DISCARD).branch(steps)
        terminate_after_failure = tasks.EmrTerminateCluster(
            self, "TerminateAfterFailure", cluster_id=cluster_id, integration_pattern=sfn.IntegrationPattern.RUN_JOB
        ).next(sfn.Fail(self, "StepsFailed", cause="A step failed; the cluster was terminated"))
        run.add_catch(terminate_after_failure, result_path="$.Error")
        terminate = tasks.EmrTerminateCluster(
            self, "TerminateCluster", cluster_id=cluster_id, integration_pattern=sfn.IntegrationPattern.RUN_JOB
        )
        return create.next(run).next(terminate)

    def _grant(self, role: iam.IRole) -> None:
        _grant_steps(self, role, _cluster_wildcard(self))


class ServerlessJobPipeline(_Pipeline):
    """Run each job on an EMR Serverless application and wait for it, in order.

    The role may start job runs on this one application, follow and cancel its job runs, pass its runtime role to
    EMR Serverless only, and manage Step Functions' own rule that follows ``.sync`` runs.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        application: IServerlessJobTarget,
        jobs: Sequence[StepJob],
        props: PipelineProps = PipelineProps(),  # noqa: B008 - frozen dataclass, never mutated
        notifications: IFailureNotifications | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        self._application = application
        checks = Checks()
        for index, job in enumerate(jobs):
            checks.require(
                not isinstance(job, FlinkJob),
                f"jobs[{index}]",
                f"FlinkJob {job.name!r}",
                "EMR Serverless runs Spark and Hive, not Flink",
                "a SparkJob; run Flink jobs on a cluster (ClusterStepsPipeline, TransientClusterPipeline)",
            )
        super().__init__(
            scope,
            id,
            props=props,
            jobs=jobs,
            notifications=notifications,
            removal_policy=removal_policy,
            extra_checks=checks,
        )

    def _definition(self) -> sfn.IChainable:
        partition = Stack.of(self).partition
        jobs = [job for job in self.jobs if isinstance(job, SparkJob)]  # a FlinkJob failed the checks
        states = [
            sfn.CustomState(
                self,
                job.name,
                state_json={
                    "Type": "Task",
                    "Resource": SERVERLESS_START_JOB_RUN.format(partition=partition),
                    "Parameters": {
                        "ApplicationId": self._application.application_id,
                        "ExecutionRoleArn": self._application.runtime_role.role_arn,
                        "Name": job.name,
                        "JobDriver": {
                            "SparkSubmit": {
                                "EntryPoint": job.script_uri,
                                **self._arguments("EntryPointArguments", job.arguments),
                                **(
                                    {"SparkSubmitParameters": " ".join(job.spark_submit_options)}
                                    if job.spark_submit_options
                                    else {}
                                ),
                            }
                        },
                    },
                    **self._result_path(),
                },
            )
            for job in jobs
        ]
        return _in_order(states)

    def _grant(self, role: iam.IRole) -> None:
        application = self._application
        runs = f"{application.application_arn}/jobruns/*"
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(SERVERLESS_RUN_ACTIONS), resources=[application.application_arn])
        )
        role.add_to_principal_policy(iam.PolicyStatement(actions=list(SERVERLESS_FOLLOW_ACTIONS), resources=[runs]))
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[application.runtime_role.role_arn],
                conditions={"StringLike": {"iam:PassedToService": "emr-serverless.amazonaws.com"}},
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(SYNC_RULE_ACTIONS),
                resources=[_sync_rule_arn(self, SERVERLESS_EVENTS_RULE)],
            )
        )
        acknowledge_wildcard_resources(role, [runs], _JOB_RUNS_REASON)


#: The construct id prefix, in an instance role's stack, of the profile named after it (:func:`job_flow_profile`).
JOB_FLOW_PROFILE_ID = "JobFlowProfile"


def job_flow_profile(instance_role: iam.IRole) -> iam.CfnInstanceProfile:
    """The instance profile named after ``instance_role``, created once beside the role however many transient
    pipelines use it (a second profile of the same name would fail the deploy).

    RunJobFlow's ``JobFlowRole`` names an instance profile, and CDK's ``EmrCreateCluster`` passes the cluster
    role's NAME there: it creates a profile of that name only for a role it creates itself. A brought role (an
    ``EmrRoles`` instance role, whose own profile has a generated name) needs this one, or every run fails with
    "instance profile <role name> not found".
    """
    # In the role's stack, under an id made from the role's path: a role handed over as an interface proxy cannot
    # be a construct scope itself.
    stack = Stack.of(instance_role)
    relative = instance_role.node.path.removeprefix(f"{stack.node.path}/").replace("/", ".")
    id = f"{JOB_FLOW_PROFILE_ID}.{relative}"
    existing = stack.node.try_find_child(id)
    if isinstance(existing, iam.CfnInstanceProfile):
        return existing
    return iam.CfnInstanceProfile(
        stack, id, roles=[instance_role.role_name], instance_profile_name=instance_role.role_name
    )


def _intrinsic_literal(value: str) -> str:
    """``value`` for a string literal of an intrinsic function. Braces are reserved there as much as quotes and
    backslashes, but CDK only escapes the latter two (it leaves ``\\{`` and ``\\}`` as they are): a shell script
    or a ``--conf`` with braces would otherwise make the definition invalid. A token stays whole."""
    return value if is_token(value) else value.replace("{", "\\{").replace("}", "\\}")


def _require_flink(checks: Checks, jobs: Sequence[StepJob], applications: Sequence[Application], field: str) -> None:
    """A cluster that runs a :class:`FlinkJob` has the Flink application (EMR has no ``flink`` command without)."""
    flink_jobs = [job.name for job in jobs if isinstance(job, FlinkJob)]
    checks.require(
        not flink_jobs or Application.FLINK in applications,
        field,
        ", ".join(application.value for application in applications),
        f"the Flink jobs {', '.join(flink_jobs)} need Flink on the cluster",
        "applications including Flink",
    )


def _cluster_wildcard(scope: Construct) -> str:
    return Stack.of(scope).format_arn(
        service="elasticmapreduce", resource="cluster", resource_name="*", arn_format=ArnFormat.SLASH_RESOURCE_NAME
    )


def _sync_rule_arn(scope: Construct, name: str) -> str:
    return Stack.of(scope).format_arn(service="events", resource="rule", resource_name=name)


def _in_order(states: Sequence[sfn.INextable]) -> sfn.Chain:
    chain = sfn.Chain.start(states[0])  # type: ignore[arg-type]
    for state in states[1:]:
        chain = chain.next(state)  # type: ignore[arg-type]
    return chain


def _grant_steps(pipeline: Construct, role: iam.IRole, cluster_arn: str) -> None:
    """Add, describe and cancel steps on ``cluster_arn``, and manage the rule Step Functions uses to follow a
    ``.sync`` step (the two statements both cluster pipelines need)."""
    role.add_to_principal_policy(iam.PolicyStatement(actions=list(STEP_ACTIONS), resources=[cluster_arn]))
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(SYNC_RULE_ACTIONS), resources=[_sync_rule_arn(pipeline, ADD_STEP_EVENTS_RULE)])
    )
