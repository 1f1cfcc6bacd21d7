"""Alarms, event routing, one encrypted notification topic and a dashboard for one environment of the platform."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.monitoring.channel import NotificationChannel
from emr_constructs.monitoring.cluster_monitor import ClusterMonitor, add_spot_interruption_rule
from emr_constructs.monitoring.glue_monitor import GlueMonitor
from emr_constructs.monitoring.monitor import MonitoringScope, ResourceMonitor, check_monitors
from emr_constructs.monitoring.props import MonitoringProps
from emr_constructs.monitoring.protocols import (
    MonitoredCluster,
    MonitoredCrawler,
    MonitoredGlueJob,
    MonitoredWarehouse,
)
from emr_constructs.monitoring.warehouse_monitor import WarehouseMonitor
from emr_constructs.removal import safe_removal_policy

HEADER = (
    "# EMR data platform\nEvery alarm below and every failure event (cluster terminated with errors, "
    "failed steps, capacity problems, failed Glue jobs and crawlers) notifies the platform SNS topic."
)


class PlatformMonitoring(MonitoringScope):
    """Watches the platform's EMR clusters, Glue jobs and crawlers and Redshift warehouse for one environment.

    Creates:

    - ``Key``: a customer managed KMS key (rotated yearly) encrypting the topic, usable only by CloudWatch alarms
      and EventBridge rules of this account, and only for SNS topics of this account and region. Removal:
      RETAIN unless DESTROY is requested and allowed (:func:`safe_removal_policy`).
    - ``Topic``: the SNS topic every alarm and event goes to. Its policy requires TLS, lets CloudWatch alarms of
      this account and this construct's EventBridge rules publish, and denies publishing to every caller that is
      not an AWS service, so nobody can forge an alert. E-mail and HTTPS subscribers come from the props; when
      there are none, or only placeholders (``example.com``, ...), synth warns on the topic.
    - ``ClusterAlarms/<cluster id>/<metric>``: the cluster alarms described in :class:`MonitoringProps`, plus
      ``Extra<n>`` for the extra alarms; ``WarehouseAlarms/<warehouse id>/<metric>`` for provisioned warehouses.
    - One EventBridge rule per :class:`EventConcern` that has something to watch.
    - ``Dashboard``: a CloudWatch dashboard with the alarm states and the cluster, Glue and warehouse metrics.

    ``<cluster id>`` and ``<warehouse id>`` are the ``node.id`` of the watched constructs, which must be unique
    within each list. Platforms with many clusters watch them where they are instead, with one
    :class:`~emr_constructs.monitoring.WorkloadMonitoring` per compute stack notifying this construct's topic,
    so this stack does not grow with the clusters. Other kinds of resources plug in as ``monitors``
    (:class:`~emr_constructs.monitoring.monitor.ResourceMonitor`), after the built-in ones.
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
        monitors: Sequence[ResourceMonitor] = (),
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id, props=props)
        self._clusters = ClusterMonitor(clusters, spot_interruptions=True)
        self._warehouses = WarehouseMonitor(warehouses)
        every_monitor: list[ResourceMonitor] = [
            self._clusters,
            GlueMonitor(glue_jobs, crawlers),
            self._warehouses,
            *monitors,
        ]
        check_monitors(self.node.path, props, every_monitor)

        self._channel = NotificationChannel(self, props=props, removal_policy=safe_removal_policy(self, removal_policy))
        self.key = self._channel.key
        self.topic = self._channel.topic
        #: Where notifications that could not be delivered wait for 14 days: events EventBridge could not
        #: publish to the topic, and messages SNS could not deliver to a subscriber.
        self.dead_letter_queue = self._channel.dead_letter_queue
        self._alarm_on_undelivered()
        #: Alarms by cluster ``node.id`` and alarm id (``HDFSUtilization``, ``Extra0``, ...).
        self.cluster_alarms = self._clusters.alarms
        #: Alarms by warehouse ``node.id`` and metric name.
        self.warehouse_alarms = self._warehouses.alarms
        self._build(every_monitor, dashboard_name=props.dashboard_name, header=HEADER)

    @property
    def channel(self) -> NotificationChannel:
        return self._channel

    def route_events(self, id: str, pattern: events.EventPattern, description: str) -> events.Rule:
        """Route the events matching ``pattern`` to the topic with a new rule ``id`` under this construct; the
        topic policy lets exactly this rule publish."""
        rule = events.Rule(self, id, event_pattern=pattern, description=description)
        self._channel.route(rule)
        return rule

    def forward_spot_interruptions(self) -> None:
        """Add the account-wide Spot interruption rule here (once) when the props ask for it: for clusters
        watched by :class:`~emr_constructs.monitoring.WorkloadMonitoring` in other stacks."""
        add_spot_interruption_rule(self)

    def _alarm_on_undelivered(self) -> None:
        """Undelivered notifications show on the dashboard, and reach the topic once it accepts messages again."""
        queue = self.dead_letter_queue
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
