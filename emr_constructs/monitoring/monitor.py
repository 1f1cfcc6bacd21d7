"""The pieces every monitoring construct is made of, as in cdk-monitoring-constructs' facade and monitors.

A :class:`ResourceMonitor` watches one kind of resource (EMR clusters, Glue jobs and crawlers, Redshift
warehouses; EMR Serverless applications plug in the same way). A :class:`MonitoringScope` (the construct:
:class:`~emr_constructs.monitoring.PlatformMonitoring` or
:class:`~emr_constructs.monitoring.WorkloadMonitoring`) runs its monitors in three passes, alarms, then event
rules, then dashboard rows, so that each kind's resources keep their construct paths (and logical ids) whatever
other kinds are watched beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct, Node

from emr_constructs.errors import Checks, Problem
from emr_constructs.monitoring import dashboard
from emr_constructs.monitoring.alarms import COMPARISON_WORDS, AlarmSpec
from emr_constructs.monitoring.channel import NotificationChannel
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.props import MonitoringProps


class ResourceMonitor(Protocol):
    """One kind of watched resource. Construct ids are the monitor's to choose, under the scope it is given."""

    def problems(self) -> list[Problem]:
        """What is wrong with the watched resources (checked before anything is built)."""
        ...

    def add_alarms(self, scope: MonitoringScope) -> None:
        """Create the kind's alarms with :meth:`MonitoringScope.add_alarm`."""
        ...

    def add_rules(self, scope: MonitoringScope) -> None:
        """Route the kind's events with :meth:`MonitoringScope.add_rule`."""
        ...

    def widget_rows(self, scope: MonitoringScope) -> list[list[cloudwatch.IWidget]]:
        """The kind's dashboard rows (a row is at most 24 units wide)."""
        ...


class MonitoringScope(Construct):
    """A construct that builds alarms, event rules and a dashboard from monitors, notifying one channel."""

    def __init__(self, scope: Construct, id: str, *, props: MonitoringProps) -> None:
        super().__init__(scope, id)
        self.props = props
        #: Every alarm created here, in creation order.
        self.alarms: list[cloudwatch.Alarm] = []
        #: The EventBridge rules, by concern.
        self.rules: dict[EventConcern, events.Rule] = {}

    @property
    def channel(self) -> NotificationChannel:
        """Where the alarms and events go."""
        raise NotImplementedError

    def notify(self, alarm: cloudwatch.Alarm) -> None:
        """Send ``alarm`` (e.g. one another construct created) to the topic, and its recovery when
        ``notify_on_ok`` is set. It must be an alarm of the topic's account: the topic accepts no other."""
        self.channel.notify(alarm)

    def route_events(self, id: str, pattern: events.EventPattern, description: str) -> events.Rule:
        """Route the events matching ``pattern`` to the topic with a new rule ``id`` under this construct."""
        raise NotImplementedError

    def add_rule(self, concern: EventConcern, pattern: events.EventPattern, description: str) -> None:
        """One rule per concern, with the concern's value as construct id."""
        self.rules[concern] = self.route_events(concern.value, pattern, description)

    def add_alarm(
        self, scope: Construct, spec: AlarmSpec, metric: cloudwatch.Metric, subject: str, period: int
    ) -> cloudwatch.Alarm:
        """Alarm ``spec.key`` under ``scope`` on ``metric``, described for the person paged, and notified."""
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

    def _build(self, monitors: Sequence[ResourceMonitor], *, dashboard_name: str | None, header: str) -> None:
        for monitor in monitors:
            monitor.add_alarms(self)
        for monitor in monitors:
            monitor.add_rules(self)
        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=dashboard_name, default_interval=Duration.days(1)
        )
        self.dashboard.add_widgets(dashboard.header(header))
        if self.alarms:
            self.dashboard.add_widgets(dashboard.alarm_status(self.alarms))
        for monitor in monitors:
            for row in monitor.widget_rows(self):
                self.dashboard.add_widgets(*row)


def check_monitors(where: str, props: MonitoringProps, monitors: Sequence[ResourceMonitor]) -> None:
    """Raise one error with every problem of the props and the monitors."""
    checks = Checks()
    checks.extend(props.problems())
    for monitor in monitors:
        checks.extend(monitor.problems())
    checks.raise_if_any(where)


class _Named(Protocol):
    @property
    def node(self) -> Node: ...


def unique_ids(field: str, watched: Sequence[_Named]) -> list[Problem]:
    """Watched constructs name their alarms by ``node.id``, which must be unique per list."""
    checks = Checks()
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
    return checks.problems
