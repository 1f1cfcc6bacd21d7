"""The built-in alarm definitions: which metric, statistic, comparison and missing-data treatment each uses.

How missing data is treated is chosen per metric. EMR publishes metrics every five minutes only while a
cluster runs and is reachable, so for transient clusters every metric goes silent at each normal termination;
an alarm that breaches on silence would page after every successful run and stay red on the dashboard. A
failed termination is reported by the ``ClusterTerminatedWithErrors`` event rule instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_cloudwatch as cloudwatch

from emr_constructs.monitoring.props import (
    AlarmComparison,
    MissingData,
    MonitoringProps,
    PeriodsAlarm,
    ThresholdAlarm,
)

GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
LTE = cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD

COMPARISONS: dict[AlarmComparison, cloudwatch.ComparisonOperator] = {
    AlarmComparison.GREATER_THAN: GT,
    AlarmComparison.GREATER_THAN_OR_EQUAL: GTE,
    AlarmComparison.LESS_THAN: LT,
    AlarmComparison.LESS_THAN_OR_EQUAL: LTE,
}
MISSING_DATA: dict[MissingData, cloudwatch.TreatMissingData] = {
    MissingData.BREACHING: cloudwatch.TreatMissingData.BREACHING,
    MissingData.NOT_BREACHING: cloudwatch.TreatMissingData.NOT_BREACHING,
    MissingData.IGNORE: cloudwatch.TreatMissingData.IGNORE,
    MissingData.MISSING: cloudwatch.TreatMissingData.MISSING,
}
COMPARISON_WORDS: dict[cloudwatch.ComparisonOperator, str] = {
    GT: "above",
    GTE: "at or above",
    LT: "below",
    LTE: "at or below",
}


@dataclass(frozen=True)
class AlarmSpec:
    """Everything needed to create one alarm on one resource; ``key`` is the alarm's construct id."""

    key: str
    metric_name: str
    statistic: str
    comparison: cloudwatch.ComparisonOperator
    threshold: float
    evaluation_periods: int
    datapoints_to_alarm: int | None
    missing_data: cloudwatch.TreatMissingData
    advice: str


def _threshold(
    key: str,
    metric: str,
    statistic: str,
    comparison: cloudwatch.ComparisonOperator,
    alarm: ThresholdAlarm,
    missing: cloudwatch.TreatMissingData,
    advice: str,
) -> AlarmSpec | None:
    if not alarm.enabled:
        return None
    return AlarmSpec(
        key,
        metric,
        statistic,
        comparison,
        alarm.threshold,
        alarm.evaluation_periods,
        alarm.datapoints_to_alarm,
        missing,
        advice,
    )


def _periods(
    key: str,
    metric: str,
    statistic: str,
    comparison: cloudwatch.ComparisonOperator,
    threshold: float,
    alarm: PeriodsAlarm,
    missing: cloudwatch.TreatMissingData,
    advice: str,
) -> AlarmSpec | None:
    if not alarm.enabled:
        return None
    return AlarmSpec(key, metric, statistic, comparison, threshold, alarm.evaluation_periods, None, missing, advice)


NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING


def cluster_alarm_specs(props: MonitoringProps, *, auto_terminates: bool) -> list[AlarmSpec]:
    """The built-in alarms of one cluster, in a stable order, without the disabled ones."""
    specs = [
        # Silence means terminated or unreachable, and neither is "idle": only a reachable cluster that
        # reported 1 in every sample of every period is idle. Minimum makes one busy sample reset the count.
        None
        if auto_terminates
        else _periods(
            "IsIdle",
            "IsIdle",
            "Minimum",
            GTE,
            1,
            props.idle,
            NOT_BREACHING,
            "Terminate it or give it an auto-termination policy: an idle cluster is billed like a busy one.",
        ),
        # Published only while YARN runs; no data means no applications, so nothing is pending.
        _threshold(
            "AppsPending",
            "AppsPending",
            "Average",
            GT,
            props.apps_pending,
            NOT_BREACHING,
            "Applications wait for YARN resources: raise the managed-scaling maximum or add task capacity.",
        ),
        # Silence at termination must neither page nor leave a terminated cluster red; a full HDFS on a running
        # cluster keeps reporting. Maximum: the fullest sample counts.
        _threshold(
            "HDFSUtilization",
            "HDFSUtilization",
            "Maximum",
            GT,
            props.hdfs_utilization,
            NOT_BREACHING,
            "HDFS is filling up: add core capacity or move data to S3; writes fail near 100%.",
        ),
        # YARN marks nodes UNHEALTHY when local disks fill up; silence is a stopped cluster, not a sick node.
        _threshold(
            "MRUnhealthyNodes",
            "MRUnhealthyNodes",
            "Maximum",
            GT,
            props.unhealthy_nodes,
            NOT_BREACHING,
            "YARN marked nodes UNHEALTHY (usually full local disks): check the node manager logs.",
        ),
        # Lost nodes (Spot reclaims, hardware) are reported while the cluster runs; silence is a stopped cluster.
        _threshold(
            "MRLostNodes",
            "MRLostNodes",
            "Maximum",
            GT,
            props.lost_nodes,
            NOT_BREACHING,
            "YARN lost nodes (Spot reclaim or instance failure): running containers were lost.",
        ),
        # A low-side alarm: breaching on silence would read a stopped cluster as "out of memory".
        _threshold(
            "YARNMemoryAvailablePercentage",
            "YARNMemoryAvailablePercentage",
            "Average",
            LT,
            props.yarn_memory_available,
            NOT_BREACHING,
            "YARN is running out of memory: raise the managed-scaling maximum or use larger instances.",
        ),
        # Instance fleets never publish CoreNodesPending (EMR reports it only for instance groups), so silence
        # is the normal state of a fleet cluster.
        _threshold(
            "CoreNodesPending",
            "CoreNodesPending",
            "Average",
            GT,
            props.core_nodes_pending,
            NOT_BREACHING,
            "Core nodes stay pending (no EC2 capacity for the requested types): diversify instance types or AZs.",
        ),
    ]
    return [spec for spec in specs if spec is not None]


def extra_cluster_alarm_specs(props: MonitoringProps) -> list[AlarmSpec]:
    """The extra alarms of the settings, with construct ids ``Extra0``, ``Extra1``, ... in settings order."""
    return [
        AlarmSpec(
            f"Extra{index}",
            extra.metric_name,
            extra.statistic.value,
            COMPARISONS[extra.comparison],
            extra.threshold,
            extra.evaluation_periods,
            extra.datapoints_to_alarm,
            MISSING_DATA[extra.missing_data],
            "Extra alarm from the platform settings.",
        )
        for index, extra in enumerate(props.extra_cluster_alarms)
    ]


def provisioned_warehouse_alarm_specs(props: MonitoringProps) -> list[AlarmSpec]:
    """Alarms of a provisioned Redshift cluster (namespace ``AWS/Redshift``, ``ClusterIdentifier``)."""
    specs = [
        # Redshift reports HealthStatus 0 itself when its health query fails, so an unhealthy cluster is not
        # silent; silence means paused or deleted, which are deliberate.
        _periods(
            "HealthStatus",
            "HealthStatus",
            "Minimum",
            LT,
            1,
            props.warehouse_health,
            NOT_BREACHING,
            "Redshift's health check query fails: the cluster is overloaded or misconfigured.",
        ),
        _threshold(
            "PercentageDiskSpaceUsed",
            "PercentageDiskSpaceUsed",
            "Maximum",
            GT,
            props.warehouse_disk_used,
            NOT_BREACHING,
            "The warehouse is running out of disk: vacuum, unload cold data or resize.",
        ),
    ]
    return [spec for spec in specs if spec is not None]
