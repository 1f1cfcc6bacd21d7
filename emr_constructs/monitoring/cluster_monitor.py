"""EMR on EC2 clusters: per-cluster alarms, the cluster event rules and one dashboard row per cluster."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from emr_constructs.errors import Problem
from emr_constructs.monitoring import dashboard
from emr_constructs.monitoring import events as patterns
from emr_constructs.monitoring.alarms import cluster_alarm_specs, extra_cluster_alarm_specs
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.monitor import MonitoringScope, unique_ids
from emr_constructs.monitoring.protocols import MonitoredCluster


class ClusterMonitor:
    """Alarms ``ClusterAlarms/<cluster id>/<alarm>``; rules for clusters that terminate with errors, failed
    steps and capacity problems (one rule each for all ``clusters``); with ``spot_interruptions``, the
    account-wide Spot interruption rule too (it cannot be narrowed to a cluster, so only one monitor of an
    account should forward it)."""

    def __init__(self, clusters: Sequence[MonitoredCluster], *, spot_interruptions: bool) -> None:
        self.clusters = list(clusters)
        self.spot_interruptions = spot_interruptions
        #: Alarms by cluster ``node.id`` and alarm id (``HDFSUtilization``, ``Extra0``, ...).
        self.alarms: dict[str, dict[str, cloudwatch.Alarm]] = {}

    def problems(self) -> list[Problem]:
        return unique_ids("clusters", self.clusters)

    def add_alarms(self, scope: MonitoringScope) -> None:
        cluster_scope = Construct(scope, "ClusterAlarms")
        props = scope.props
        period = props.cluster_period_seconds
        for cluster in self.clusters:
            alarm_scope = Construct(cluster_scope, cluster.node.id)
            specs = [
                *cluster_alarm_specs(props, auto_terminates=cluster.auto_terminates),
                *extra_cluster_alarm_specs(props),
            ]
            self.alarms[cluster.node.id] = {
                spec.key: scope.add_alarm(
                    alarm_scope,
                    spec,
                    dashboard.emr_metric(cluster.cluster_id, spec.metric_name, spec.statistic, period, label=False),
                    f"EMR cluster {cluster.node.id} ({cluster.cluster_id})",
                    period,
                )
                for spec in specs
            }

    def add_rules(self, scope: MonitoringScope) -> None:
        cluster_ids = [cluster.cluster_id for cluster in self.clusters]
        if not cluster_ids:
            return
        scope.add_rule(
            EventConcern.CLUSTER_TERMINATED_WITH_ERRORS,
            patterns.cluster_terminated_with_errors(cluster_ids),
            "An EMR cluster of the platform terminated with errors",
        )
        scope.add_rule(
            EventConcern.STEP_FAILED,
            patterns.step_failed(cluster_ids),
            "A step of an EMR cluster of the platform failed or was cancelled",
        )
        scope.add_rule(
            EventConcern.CAPACITY_PROBLEM,
            patterns.capacity_problem(cluster_ids),
            "An instance fleet or group of the platform cannot provision or keep capacity",
        )
        if self.spot_interruptions:
            add_spot_interruption_rule(scope)

    def widget_rows(self, scope: MonitoringScope) -> list[list[cloudwatch.IWidget]]:
        return [dashboard.cluster_widgets(cluster, scope.props.cluster_period_seconds) for cluster in self.clusters]


def add_spot_interruption_rule(scope: MonitoringScope) -> None:
    """The Spot interruption rule, once per scope, when the props ask for it."""
    if scope.props.spot_interruption_warnings and EventConcern.SPOT_INTERRUPTION not in scope.rules:
        scope.add_rule(
            EventConcern.SPOT_INTERRUPTION,
            patterns.spot_interruption(),
            "EC2 reclaims a Spot instance in two minutes (any Spot instance of the account and region)",
        )
