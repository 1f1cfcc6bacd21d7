"""Settings of the platform monitoring: alarm thresholds, extra alarms and subscribers, with their rules.

Every class here is plain data (the app's settings loader builds them straight from JSON) and reports what
CloudWatch or SNS would reject, or what would make an alarm that never works, through ``problems()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from emr_constructs.errors import Checks, Problem
from emr_constructs.monitoring.metrics import EMR_METRIC_INTERVAL_SECONDS, EMR_METRICS, EMR_PERCENT_METRICS
from emr_constructs.props import ValidatedProps

# PutMetricAlarm: Period is 10, 20, 30 or a multiple of 60; Period x EvaluationPeriods is at most one day for
# periods under an hour, at most seven days otherwise.
_HIGH_RESOLUTION_PERIODS = (10, 20, 30)
_ONE_DAY = 86_400
_SEVEN_DAYS = 604_800

# Deliberately simple: SNS rejects what is not an address at subscribe time, this catches typos at synth.
_DASHBOARD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class AlarmComparison(StrEnum):
    """How an extra alarm compares the metric with its threshold."""

    GREATER_THAN = "greater-than"
    GREATER_THAN_OR_EQUAL = "greater-than-or-equal"
    LESS_THAN = "less-than"
    LESS_THAN_OR_EQUAL = "less-than-or-equal"


class AlarmStatistic(StrEnum):
    """The statistic an extra alarm evaluates per period."""

    AVERAGE = "Average"
    MINIMUM = "Minimum"
    MAXIMUM = "Maximum"
    SUM = "Sum"
    SAMPLE_COUNT = "SampleCount"


class MissingData(StrEnum):
    """What an extra alarm makes of a period without data (CloudWatch ``TreatMissingData``)."""

    BREACHING = "breaching"
    NOT_BREACHING = "notBreaching"
    IGNORE = "ignore"
    MISSING = "missing"


@dataclass(frozen=True, kw_only=True)
class ThresholdAlarm:
    """One built-in alarm: fires when ``datapoints_to_alarm`` of the last ``evaluation_periods`` periods breach
    ``threshold``. Which side of the threshold breaches is fixed per metric (see :class:`MonitoringProps`)."""

    threshold: float
    """The value compared with the metric: a percentage (0-100) or a count (>= 0), depending on the metric."""
    evaluation_periods: int
    """How many of the most recent periods are evaluated (>= 1; with the period at most one day in total)."""
    datapoints_to_alarm: int | None = None
    """How many of those periods must breach ("M of N"). Default: all of them, so one noisy datapoint does not page."""
    enabled: bool = True
    """Whether the alarm is created. Default: true."""


@dataclass(frozen=True, kw_only=True)
class PeriodsAlarm:
    """A built-in alarm on a yes/no metric (IsIdle, HealthStatus): only how long the condition lasts is set."""

    evaluation_periods: int
    """How many consecutive periods the condition must hold before the alarm fires (>= 1)."""
    enabled: bool = True
    """Whether the alarm is created. Default: true."""


@dataclass(frozen=True, kw_only=True)
class ClusterAlarm:
    """An extra alarm on any EMR cluster metric (``AWS/ElasticMapReduce``, ``JobFlowId`` = the cluster id), added
    to every monitored cluster, e.g. ``MissingBlocks`` greater than 0."""

    metric_name: str
    """An EMR metric name, exactly as EMR publishes it (e.g. ``MissingBlocks``, ``ContainerPendingRatio``)."""
    comparison: AlarmComparison
    """Which side of ``threshold`` breaches."""
    threshold: float
    """The value compared with the metric: 0-100 for percentage metrics, >= 0 otherwise."""
    evaluation_periods: int = 3
    """How many of the most recent periods are evaluated. Default: 3 (15 minutes of EMR's five-minute data)."""
    datapoints_to_alarm: int | None = None
    """How many of those periods must breach. Default: all of them."""
    statistic: AlarmStatistic = AlarmStatistic.AVERAGE
    """The statistic evaluated per period. Default: Average."""
    missing_data: MissingData = MissingData.NOT_BREACHING
    """What a period without data means. Default: not breaching, because EMR stops publishing when a cluster
    terminates; the termination itself is reported by the cluster state-change rule."""

    def problems_at(self, period_seconds: int) -> list[Problem]:
        """Rules of this alarm evaluated with the cluster alarms' period."""
        checks = Checks()
        known = checks.require(
            self.metric_name in EMR_METRICS,
            "metric_name",
            self.metric_name,
            "unknown EMR metric (an alarm on it would never receive data)",
            "one of " + ", ".join(sorted(EMR_METRICS)),
        )
        checks.extend(_threshold_problems(self.threshold, known and self.metric_name in EMR_PERCENT_METRICS))
        checks.extend(_periods_problems(self.evaluation_periods, self.datapoints_to_alarm, period_seconds))
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class MonitoringProps(ValidatedProps):
    """What the platform monitoring alarms on and who is notified.

    The built-in cluster alarms (per cluster, namespace ``AWS/ElasticMapReduce``, dimension ``JobFlowId``):

    ========================  =================================  ================  ============================
    field                     metric                             fires when        statistic
    ========================  =================================  ================  ============================
    ``idle``                  IsIdle                             >= 1              Minimum (idle all period)
    ``apps_pending``          AppsPending                        > threshold       Average
    ``hdfs_utilization``      HDFSUtilization (%)                > threshold       Maximum
    ``unhealthy_nodes``       MRUnhealthyNodes                   > threshold       Maximum
    ``lost_nodes``            MRLostNodes                        > threshold       Maximum
    ``yarn_memory_available`` YARNMemoryAvailablePercentage (%)  < threshold       Average
    ``core_nodes_pending``    CoreNodesPending                   > threshold       Average
    ========================  =================================  ================  ============================

    The idle alarm is only added to clusters without auto-termination.
    """

    cluster_period_seconds: int = 300
    """Period of the cluster alarms. Default: 300, EMR's publishing interval; must be a multiple of 300."""
    idle: PeriodsAlarm = PeriodsAlarm(evaluation_periods=6)
    """Cluster idle (IsIdle = 1) for this many periods. Default: 6 (30 minutes, as the EMR guide suggests)."""
    apps_pending: ThresholdAlarm = ThresholdAlarm(threshold=10, evaluation_periods=3)
    """YARN applications waiting for resources. Default: more than 10 for 15 minutes."""
    hdfs_utilization: ThresholdAlarm = ThresholdAlarm(threshold=80, evaluation_periods=2)
    """HDFS space used, percent. Default: above 80% for 10 minutes (HDFS degrades well before 100%)."""
    unhealthy_nodes: ThresholdAlarm = ThresholdAlarm(threshold=0, evaluation_periods=2)
    """Nodes YARN marked UNHEALTHY (usually full local disks). Default: any, for 10 minutes."""
    lost_nodes: ThresholdAlarm = ThresholdAlarm(threshold=0, evaluation_periods=2)
    """Nodes YARN marked LOST (stopped heart-beating, e.g. Spot reclaimed). Default: any, for 10 minutes."""
    yarn_memory_available: ThresholdAlarm = ThresholdAlarm(threshold=15, evaluation_periods=3)
    """YARN memory still available, percent. Default: below 15% for 15 minutes."""
    core_nodes_pending: ThresholdAlarm = ThresholdAlarm(threshold=0, evaluation_periods=6)
    """Core nodes requested but not running (instance groups only; fleets do not publish it). Default: any, for
    30 minutes, which is how long capacity shortages last before they hurt."""
    extra_cluster_alarms: tuple[ClusterAlarm, ...] = ()
    """More alarms on EMR metrics, added to every cluster. Default: none."""
    warehouse_period_seconds: int = 300
    """Period of the warehouse alarms (Redshift publishes every minute). Default: 300."""
    warehouse_health: PeriodsAlarm = PeriodsAlarm(evaluation_periods=3)
    """Provisioned cluster HealthStatus = 0 for this many periods. Default: 3 (15 minutes)."""
    warehouse_disk_used: ThresholdAlarm = ThresholdAlarm(threshold=80, evaluation_periods=2)
    """Provisioned cluster PercentageDiskSpaceUsed. Default: above 80% for 10 minutes."""
    notify_on_ok: bool = True
    """Also notify when an alarm returns to OK, so whoever was paged knows the problem cleared. Default: true."""
    spot_interruption_warnings: bool = True
    """Forward EC2 Spot interruption warnings. They carry only an instance id, not the cluster, so every Spot
    interruption in the account and region is forwarded; turn off in accounts that run other Spot workloads.
    Default: true (the platform's accounts are dedicated to it)."""
    dashboard_name: str | None = None
    """Name of the CloudWatch dashboard (unique in the account and region, e.g. ``emr-platform-prod``). The
    bundled app names each compute stack's dashboard ``<dashboard_name>-<compute stack id>``.
    Default: a name CloudFormation generates from the stack and construct path."""
    email_subscribers: tuple[str, ...] = ()
    """E-mail addresses subscribed to the topic; each must confirm the subscription mail. Default: none."""
    https_subscribers: tuple[str, ...] = ()
    """HTTPS endpoints (chat webhooks, incident tools) subscribed to the topic; each must confirm. Default: none."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.extend(_cluster_period_problems(self.cluster_period_seconds))
        cluster_alarms: tuple[tuple[str, ThresholdAlarm, bool], ...] = (
            ("apps_pending", self.apps_pending, False),
            ("hdfs_utilization", self.hdfs_utilization, True),
            ("unhealthy_nodes", self.unhealthy_nodes, False),
            ("lost_nodes", self.lost_nodes, False),
            ("yarn_memory_available", self.yarn_memory_available, True),
            ("core_nodes_pending", self.core_nodes_pending, False),
        )
        checks.extend(_periods_problems(self.idle.evaluation_periods, None, self.cluster_period_seconds), "idle")
        for name, alarm, percent in cluster_alarms:
            checks.extend(_threshold_alarm_problems(alarm, percent, self.cluster_period_seconds), name)
        for index, extra in enumerate(self.extra_cluster_alarms):
            checks.extend(extra.problems_at(self.cluster_period_seconds), f"extra_cluster_alarms[{index}]")
        checks.extend(period_problems(self.warehouse_period_seconds, "warehouse_period_seconds"))
        checks.extend(
            _periods_problems(self.warehouse_health.evaluation_periods, None, self.warehouse_period_seconds),
            "warehouse_health",
        )
        checks.extend(
            _threshold_alarm_problems(self.warehouse_disk_used, True, self.warehouse_period_seconds),
            "warehouse_disk_used",
        )
        if self.dashboard_name is not None:
            checks.require(
                _DASHBOARD_NAME.match(self.dashboard_name) is not None,
                "dashboard_name",
                self.dashboard_name,
                "CloudWatch dashboard names are 1-255 letters, digits, '-' or '_'",
                "[A-Za-z0-9_-]{1,255}",
            )
        checks.extend(_subscriber_problems(self.email_subscribers, "email_subscribers", _email_rules))
        checks.extend(_subscriber_problems(self.https_subscribers, "https_subscribers", _https_rules))
        return checks.problems


def period_problems(period: int, field: str) -> list[Problem]:
    """Problems of an alarm period that CloudWatch's PutMetricAlarm rejects."""
    checks = Checks()
    checks.require(
        period in _HIGH_RESOLUTION_PERIODS or (period > 0 and period % 60 == 0),
        field,
        period,
        "CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 seconds",
        "10, 20, 30, 60, 120, 180, ... (a multiple of 60)",
    )
    return checks.problems


def _cluster_period_problems(period: int) -> list[Problem]:
    problems = period_problems(period, "cluster_period_seconds")
    if problems:
        return problems
    checks = Checks()
    checks.require(
        period % EMR_METRIC_INTERVAL_SECONDS == 0,
        "cluster_period_seconds",
        period,
        f"EMR publishes cluster metrics every {EMR_METRIC_INTERVAL_SECONDS} seconds, so shorter or unaligned "
        "periods have no data",
        f"a multiple of {EMR_METRIC_INTERVAL_SECONDS}",
    )
    return checks.problems


def _threshold_problems(threshold: float, percent: bool) -> list[Problem]:
    checks = Checks()
    if percent:
        checks.require(0 <= threshold <= 100, "threshold", threshold, "a percentage lies between 0 and 100", "0-100")
    else:
        checks.require(threshold >= 0, "threshold", threshold, "a count is never negative", ">= 0")
    return checks.problems


def _periods_problems(periods: int, datapoints: int | None, period: int) -> list[Problem]:
    checks = Checks()
    limit = _ONE_DAY if period < 3600 else _SEVEN_DAYS
    if checks.require(periods >= 1, "evaluation_periods", periods, "at least one period is evaluated", ">= 1"):
        most = max(limit // period, 1) if period > 0 else 1
        checks.require(
            periods * period <= limit,
            "evaluation_periods",
            periods,
            f"evaluation_periods x period ({periods} x {period} s) exceeds CloudWatch's limit of {limit} s",
            f"1-{most} with a {period} s period",
        )
    if datapoints is not None:
        checks.require(
            1 <= datapoints <= max(periods, 1),
            "datapoints_to_alarm",
            datapoints,
            "datapoints_to_alarm is between 1 and evaluation_periods",
            f"1-{max(periods, 1)}",
        )
    return checks.problems


def _threshold_alarm_problems(alarm: ThresholdAlarm, percent: bool, period: int) -> list[Problem]:
    return [
        *_threshold_problems(alarm.threshold, percent),
        *_periods_problems(alarm.evaluation_periods, alarm.datapoints_to_alarm, period),
    ]


def _email_rules(address: str) -> tuple[str, str] | None:
    if _EMAIL.match(address):
        return None
    return "not an e-mail address", "name@example.com"


def _https_rules(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    return "HTTPS subscriptions need an https:// URL with a host", "https://host/path"


def _subscriber_problems(
    endpoints: tuple[str, ...], field: str, rules: Callable[[str], tuple[str, str] | None]
) -> list[Problem]:
    checks = Checks()
    seen: set[str] = set()
    for index, endpoint in enumerate(endpoints):
        broken = rules(endpoint)
        if broken is not None:
            checks.require(False, f"{field}[{index}]", endpoint, *broken)
        checks.require(
            endpoint.lower() not in seen,
            f"{field}[{index}]",
            endpoint,
            "subscribed twice (SNS keeps one subscription per endpoint)",
            "each endpoint once",
        )
        seen.add(endpoint.lower())
    return checks.problems
