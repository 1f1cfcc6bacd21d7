"""Alarms, event routing, one encrypted notification topic and a dashboard for one environment of the platform."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import jsii
from aws_cdk import ArnFormat, Duration, IStableListProducer, Lazy, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk.interfaces import aws_events as events_refs
from constructs import Construct, Node

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks
from emr_constructs.iam.acknowledgements import acknowledge
from emr_constructs.monitoring import dashboard
from emr_constructs.monitoring import events as patterns
from emr_constructs.monitoring.alarms import (
    COMPARISON_WORDS,
    AlarmSpec,
    cluster_alarm_specs,
    extra_cluster_alarm_specs,
    provisioned_warehouse_alarm_specs,
)
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.metrics import REDSHIFT_NAMESPACE
from emr_constructs.monitoring.props import MonitoringProps
from emr_constructs.monitoring.protocols import (
    MonitoredCluster,
    MonitoredCrawler,
    MonitoredGlueJob,
    MonitoredWarehouse,
    WarehouseKind,
)
from emr_constructs.removal import safe_removal_policy

#: The service principals allowed to publish to the topic, and so to use its key.
CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"
EVENTBRIDGE_PRINCIPAL = "events.amazonaws.com"


#: How long and how often EventBridge retries a delivery to the topic before it goes to the dead-letter queue
#: (EventBridge's own maximums: 24 hours, 185 attempts).
EVENT_RETRY = events.CfnRule.RetryPolicyProperty(maximum_event_age_in_seconds=86400, maximum_retry_attempts=185)


@jsii.implements(events.IRuleTarget)
class _TopicTarget:
    """Targets the topic without touching its policy. CDK's ``SnsTopic`` target would add an unconditioned
    ``events.amazonaws.com`` publish statement; the monitoring writes one limited to its own rules instead.
    An event the topic still refuses after the retries lands in the dead-letter queue instead of being lost."""

    def __init__(self, topic: sns.ITopic, dead_letter_queue: sqs.IQueue) -> None:
        self._topic = topic
        self._dead_letter_queue = dead_letter_queue

    def bind(self, rule: events_refs.IRuleRef, id: str | None = None) -> events.RuleTargetConfig:
        return events.RuleTargetConfig(
            arn=self._topic.topic_arn,
            dead_letter_config=events.CfnRule.DeadLetterConfigProperty(arn=self._dead_letter_queue.queue_arn),
            retry_policy=EVENT_RETRY,
        )


@jsii.implements(IStableListProducer)
class _ListOf:
    """The current content of a list, read when the template is written (rules can be added after the policy)."""

    def __init__(self, items: list[str]) -> None:
        self._items = items

    def produce(self) -> list[str]:
        return list(self._items)


class PlatformMonitoring(Construct):
    """Watches the platform's EMR clusters, Glue jobs and crawlers and Redshift warehouse for one environment.

    Creates:

    - ``Key``: a customer managed KMS key (rotated yearly) encrypting the topic, usable only by CloudWatch alarms
      and EventBridge rules of this account, and only for SNS topics of this account and region. Removal:
      RETAIN unless DESTROY is requested and allowed (:func:`safe_removal_policy`).
    - ``Topic``: the SNS topic every alarm and event goes to. Its policy requires TLS, lets CloudWatch alarms of
      this account and this construct's EventBridge rules publish, and denies publishing to every caller that is
      not an AWS service, so nobody can forge an alert. E-mail and HTTPS subscribers come from the props.
    - ``ClusterAlarms/<cluster id>/<metric>``: the cluster alarms described in :class:`MonitoringProps`, plus
      ``Extra<n>`` for the extra alarms; ``WarehouseAlarms/<warehouse id>/<metric>`` for provisioned warehouses.
    - One EventBridge rule per :class:`EventConcern` that has something to watch.
    - ``Dashboard``: a CloudWatch dashboard with the alarm states and the cluster, Glue and warehouse metrics.

    ``<cluster id>`` and ``<warehouse id>`` are the ``node.id`` of the watched constructs, which must be unique
    within each list.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: MonitoringProps = MonitoringProps(),  # noqa: B008 - frozen dataclass, never mutated
        clusters: Sequence[MonitoredCluster] = (),
        glue_jobs: Sequence[MonitoredGlueJob] = (),
        crawlers: Sequence[MonitoredCrawler] = (),
        warehouses: Sequence[MonitoredWarehouse] = (),
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        checks = Checks()
        checks.extend(props.problems())
        _unique_ids(checks, "clusters", clusters)
        _unique_ids(checks, "warehouses", warehouses)
        for index, warehouse in enumerate(warehouses):
            checks.require(
                warehouse.kind in set(WarehouseKind),
                f"warehouses[{index}].kind",
                str(warehouse.kind),
                "unknown warehouse kind",
                ", ".join(kind.value for kind in WarehouseKind),
            )
        checks.raise_if_any(self.node.path)

        self.props = props
        stack = Stack.of(self)
        self._rule_arns: list[str] = []
        self._removal_policy = safe_removal_policy(self, removal_policy)
        #: Every alarm the monitoring created, in creation order.
        self.alarms: list[cloudwatch.Alarm] = []
        #: Alarms by cluster ``node.id`` and alarm id (``HDFSUtilization``, ``Extra0``, ...).
        self.cluster_alarms: dict[str, dict[str, cloudwatch.Alarm]] = {}
        #: Alarms by warehouse ``node.id`` and metric name.
        self.warehouse_alarms: dict[str, dict[str, cloudwatch.Alarm]] = {}
        #: The EventBridge rules, by concern.
        self.rules: dict[EventConcern, events.Rule] = {}

        self.key = kms.Key(
            self,
            "Key",
            description="Encrypts the platform notification topic (CloudWatch alarms and EventBridge events)",
            enable_key_rotation=True,
            removal_policy=self._removal_policy,
        )
        # SNS asks KMS for data keys on behalf of the publishing service, with the topic ARN as encryption
        # context. The topic's own ARN cannot appear here (the topic already depends on the key), so the
        # context is limited to this account's topics in this region.
        topics_here = stack.format_arn(service="sns", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME)
        for sid, principal, source_arns in (
            ("AllowCloudWatchAlarmsToUseTheKey", CLOUDWATCH_PRINCIPAL, self._alarm_arns(stack)),
            ("AllowEventBridgeRulesToUseTheKey", EVENTBRIDGE_PRINCIPAL, self._any_rule_arn(stack)),
        ):
            self.key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=sid,
                    principals=[iam.ServicePrincipal(principal)],
                    actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                    resources=["*"],
                    conditions={
                        "StringEquals": {"aws:SourceAccount": stack.account},
                        "ArnLike": {"aws:SourceArn": source_arns},
                        "StringLike": {"kms:EncryptionContext:aws:sns:topicArn": topics_here},
                    },
                )
            )

        self.topic = sns.Topic(self, "Topic", master_key=self.key, enforce_ssl=True)
        #: Where notifications that could not be delivered wait for 14 days: events EventBridge could not
        #: publish to the topic, and messages SNS could not deliver to a subscriber.
        self.dead_letter_queue = self._dead_letter_queue()
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="DenyPublishingByAnyoneButAwsServices",
                effect=iam.Effect.DENY,
                principals=[iam.StarPrincipal()],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={"Bool": {"aws:PrincipalIsAWSService": "false"}},
            )
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsToPublish",
                principals=[iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": self._alarm_arns(stack)},
                },
            )
        )
        for address in props.email_subscribers:
            # CDK names the subscription after its endpoint: reordering the list keeps every subscription
            # (and its confirmation) in place.
            self.topic.add_subscription(
                subscriptions.EmailSubscription(address, dead_letter_queue=self.dead_letter_queue)
            )
        for url in props.https_subscribers:
            self.topic.add_subscription(
                subscriptions.UrlSubscription(
                    url, protocol=sns.SubscriptionProtocol.HTTPS, dead_letter_queue=self.dead_letter_queue
                )
            )

        self._alarm_action = cloudwatch_actions.SnsAction(self.topic)
        self._alarm_on_undelivered(self.dead_letter_queue)
        cluster_scope = Construct(self, "ClusterAlarms")
        for cluster in clusters:
            scope = Construct(cluster_scope, cluster.node.id)
            self.cluster_alarms[cluster.node.id] = self._cluster_alarms(scope, cluster)
        warehouse_scope = Construct(self, "WarehouseAlarms")
        for warehouse in warehouses:
            if warehouse.kind == WarehouseKind.PROVISIONED:
                self.warehouse_alarms[warehouse.node.id] = self._warehouse_alarms(
                    Construct(warehouse_scope, warehouse.node.id), warehouse
                )

        cluster_ids = [cluster.cluster_id for cluster in clusters]
        if cluster_ids:
            self._add_rule(
                EventConcern.CLUSTER_TERMINATED_WITH_ERRORS,
                patterns.cluster_terminated_with_errors(cluster_ids),
                "An EMR cluster of the platform terminated with errors",
            )
            self._add_rule(
                EventConcern.STEP_FAILED,
                patterns.step_failed(cluster_ids),
                "A step of an EMR cluster of the platform failed or was cancelled",
            )
            self._add_rule(
                EventConcern.CAPACITY_PROBLEM,
                patterns.capacity_problem(cluster_ids),
                "An instance fleet or group of the platform cannot provision or keep capacity",
            )
            if props.spot_interruption_warnings:
                self._add_rule(
                    EventConcern.SPOT_INTERRUPTION,
                    patterns.spot_interruption(),
                    "EC2 reclaims a Spot instance in two minutes (any Spot instance of the account and region)",
                )
        if glue_jobs:
            self._add_rule(
                EventConcern.GLUE_JOB_FAILED,
                patterns.glue_job_failed([job.job_name for job in glue_jobs]),
                "A Glue job of the platform failed, timed out or was stopped",
            )
        if crawlers:
            self._add_rule(
                EventConcern.CRAWLER_FAILED,
                patterns.crawler_failed([crawler.crawler_name for crawler in crawlers]),
                "A Glue crawler of the platform failed",
            )
        if any(warehouse.kind == WarehouseKind.SERVERLESS for warehouse in warehouses):
            self._add_rule(
                EventConcern.REDSHIFT_SERVERLESS,
                patterns.redshift_serverless_event(),
                "A Redshift Serverless event (any workgroup or namespace of the account and region)",
            )

        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=props.dashboard_name, default_interval=Duration.days(1)
        )
        self._fill_dashboard(clusters, glue_jobs, warehouses)

    # -- public API ---------------------------------------------------------------------------------------

    def notify(self, alarm: cloudwatch.Alarm) -> None:
        """Send ``alarm`` (e.g. one another construct created) to the topic, and its recovery when
        ``notify_on_ok`` is set. It must be an alarm of this account: the topic accepts no other. Alarms added
        this way are not on the dashboard's alarm widget, which lists the monitoring's own alarms."""
        alarm.add_alarm_action(self._alarm_action)
        if self.props.notify_on_ok:
            alarm.add_ok_action(self._alarm_action)

    def route_events(self, id: str, pattern: events.EventPattern, description: str) -> events.Rule:
        """Route the events matching ``pattern`` to the topic with a new rule ``id`` under this construct; the
        topic policy lets exactly this rule publish."""
        rule = events.Rule(self, id, event_pattern=pattern, description=description)
        rule.add_target(_TopicTarget(self.topic, self.dead_letter_queue))
        if not self._rule_arns:
            self.dead_letter_queue.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowPlatformEventRulesToDeadLetter",
                    principals=[iam.ServicePrincipal(EVENTBRIDGE_PRINCIPAL)],
                    actions=["sqs:SendMessage"],
                    resources=[self.dead_letter_queue.queue_arn],
                    conditions={"ArnEquals": {"aws:SourceArn": Lazy.list(_ListOf(self._rule_arns))}},
                )
            )
            self.topic.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowPlatformEventRulesToPublish",
                    principals=[iam.ServicePrincipal(EVENTBRIDGE_PRINCIPAL)],
                    actions=["sns:Publish"],
                    resources=[self.topic.topic_arn],
                    conditions={"ArnEquals": {"aws:SourceArn": Lazy.list(_ListOf(self._rule_arns))}},
                )
            )
        self._rule_arns.append(rule.rule_arn)
        return rule

    # -- internals ----------------------------------------------------------------------------------------

    def _dead_letter_queue(self) -> sqs.Queue:
        queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            removal_policy=self._removal_policy,
        )
        acknowledge(
            queue,
            ["AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"],
            "This queue is itself the dead-letter queue of the platform's EventBridge rule targets and SNS "
            "subscriptions; a dead-letter queue needs none of its own (cdk-nag only recognises queues named as "
            "another queue's dead-letter queue).",
        )
        return queue

    def _alarm_on_undelivered(self, queue: sqs.Queue) -> None:
        """Undelivered notifications show on the dashboard, and reach the topic once it accepts messages again."""
        alarm = cloudwatch.Alarm(
            self,
            "UndeliveredEvents",
            metric=queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(5)),
            threshold=0,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"Platform notifications could not be delivered; see {queue.node.path}",
        )
        self.notify(alarm)
        self.alarms.append(alarm)

    @staticmethod
    def _alarm_arns(stack: Stack) -> str:
        return stack.format_arn(
            service="cloudwatch", resource="alarm", resource_name="*", arn_format=ArnFormat.COLON_RESOURCE_NAME
        )

    @staticmethod
    def _any_rule_arn(stack: Stack) -> str:
        return stack.format_arn(service="events", resource="rule", resource_name="*")

    def _add_rule(self, concern: EventConcern, pattern: events.EventPattern, description: str) -> None:
        self.rules[concern] = self.route_events(concern.value, pattern, description)

    def _cluster_alarms(self, scope: Construct, cluster: MonitoredCluster) -> dict[str, cloudwatch.Alarm]:
        specs = [
            *cluster_alarm_specs(self.props, auto_terminates=cluster.auto_terminates),
            *extra_cluster_alarm_specs(self.props),
        ]
        return {
            spec.key: self._alarm(
                scope,
                spec,
                dashboard.emr_metric(
                    cluster.cluster_id,
                    spec.metric_name,
                    spec.statistic,
                    self.props.cluster_period_seconds,
                    label=False,
                ),
                f"EMR cluster {cluster.node.id} ({cluster.cluster_id})",
                self.props.cluster_period_seconds,
            )
            for spec in specs
        }

    def _warehouse_alarms(self, scope: Construct, warehouse: MonitoredWarehouse) -> dict[str, cloudwatch.Alarm]:
        period = self.props.warehouse_period_seconds
        return {
            spec.key: self._alarm(
                scope,
                spec,
                cloudwatch.Metric(
                    namespace=REDSHIFT_NAMESPACE,
                    metric_name=spec.metric_name,
                    dimensions_map={"ClusterIdentifier": warehouse.identifier},
                    statistic=spec.statistic,
                    period=Duration.seconds(period),
                ),
                f"Redshift cluster {warehouse.node.id} ({warehouse.identifier})",
                period,
            )
            for spec in provisioned_warehouse_alarm_specs(self.props)
        }

    def _alarm(
        self, scope: Construct, spec: AlarmSpec, metric: cloudwatch.Metric, subject: str, period: int
    ) -> cloudwatch.Alarm:
        breaching = spec.datapoints_to_alarm or spec.evaluation_periods
        alarm = cloudwatch.Alarm(
            scope,
            spec.key,
            metric=metric,
            threshold=spec.threshold,
            comparison_operator=spec.comparison,
            evaluation_periods=spec.evaluation_periods,
            datapoints_to_alarm=spec.datapoints_to_alarm,
            treat_missing_data=spec.missing_data,
            alarm_description=(
                f"{subject}: {spec.statistic} {spec.metric_name} {COMPARISON_WORDS[spec.comparison]} "
                f"{spec.threshold:g} in {breaching} of {spec.evaluation_periods} periods of {period} s. {spec.advice}"
            ),
        )
        self.notify(alarm)
        self.alarms.append(alarm)
        return alarm

    def _fill_dashboard(
        self,
        clusters: Sequence[MonitoredCluster],
        glue_jobs: Sequence[MonitoredGlueJob],
        warehouses: Sequence[MonitoredWarehouse],
    ) -> None:
        self.dashboard.add_widgets(
            dashboard.header(
                "# EMR data platform\nEvery alarm below and every failure event (cluster terminated with errors, "
                "failed steps, capacity problems, failed Glue jobs and crawlers) notifies the platform SNS topic."
            )
        )
        if self.alarms:
            self.dashboard.add_widgets(dashboard.alarm_status(self.alarms))
        for cluster in clusters:
            self.dashboard.add_widgets(*dashboard.cluster_widgets(cluster, self.props.cluster_period_seconds))
        jobs = dashboard.glue_job_widgets(glue_jobs, self.props.cluster_period_seconds)
        for start in range(0, len(jobs), 2):
            self.dashboard.add_widgets(*jobs[start : start + 2])
        for warehouse in warehouses:
            self.dashboard.add_widgets(*dashboard.warehouse_widgets(warehouse, self.props.warehouse_period_seconds))


class _Named(Protocol):
    @property
    def node(self) -> Node: ...


def _unique_ids(checks: Checks, field: str, watched: Sequence[_Named]) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(watched):
        node_id = item.node.id
        checks.require(
            node_id not in seen,
            f"{field}[{index}]",
            item.node.path,
            f"construct id {node_id!r} is already used by {field}[{seen.get(node_id)}]; alarms are named after it",
            f"{field} with distinct construct ids",
        )
        seen.setdefault(node_id, index)
