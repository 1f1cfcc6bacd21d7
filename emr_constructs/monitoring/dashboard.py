"""The widgets of the platform dashboard: one row per cluster, per Glue job pair and per warehouse."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch

from emr_constructs.monitoring.metrics import (
    EMR_CLUSTER_DIMENSION,
    EMR_NAMESPACE,
    GLUE_JOB_METRICS,
    GLUE_NAMESPACE,
    REDSHIFT_NAMESPACE,
    REDSHIFT_SERVERLESS_NAMESPACE,
)
from emr_constructs.monitoring.protocols import (
    MonitoredCluster,
    MonitoredGlueJob,
    MonitoredWarehouse,
    WarehouseKind,
)

_FULL_WIDTH = 24
_HEIGHT = 6


def emr_metric(
    cluster_id: str, name: str, statistic: str, period_seconds: int, *, label: bool = True
) -> cloudwatch.Metric:
    """An EMR metric of one cluster. Alarms take it unlabelled: a label turns the alarm into the metric-math
    form (a ``Metrics`` list), which is harder to read in the console and in templates."""
    return cloudwatch.Metric(
        namespace=EMR_NAMESPACE,
        metric_name=name,
        dimensions_map={EMR_CLUSTER_DIMENSION: cluster_id},
        statistic=statistic,
        period=Duration.seconds(period_seconds),
        label=name if label else None,
    )


def _graph(
    title: str,
    left: Sequence[cloudwatch.IMetric],
    width: int,
    *,
    right: Sequence[cloudwatch.IMetric] = (),
    left_y_axis: cloudwatch.YAxisProps | None = None,
    right_y_axis: cloudwatch.YAxisProps | None = None,
) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=title,
        left=list(left),
        right=list(right) or None,
        left_y_axis=left_y_axis,
        right_y_axis=right_y_axis,
        width=width,
        height=_HEIGHT,
    )


def cluster_widgets(cluster: MonitoredCluster, period_seconds: int) -> list[cloudwatch.IWidget]:
    """YARN, storage, node health and capacity of one cluster: the alarmed metrics and what explains them."""

    def metric(name: str, statistic: str = "Average") -> cloudwatch.Metric:
        return emr_metric(cluster.cluster_id, name, statistic, period_seconds)

    name = cluster.node.id
    percent = cloudwatch.YAxisProps(min=0, max=100)
    return [
        _graph(
            f"{name}: YARN applications",
            [metric("AppsRunning"), metric("AppsPending")],
            6,
            right=[metric("YARNMemoryAvailablePercentage")],
            right_y_axis=percent,
        ),
        _graph(f"{name}: HDFS used (%)", [metric("HDFSUtilization", "Maximum")], 6, left_y_axis=percent),
        _graph(
            f"{name}: nodes",
            [
                metric("MRActiveNodes"),
                metric("MRUnhealthyNodes", "Maximum"),
                metric("MRLostNodes", "Maximum"),
                metric("CoreNodesPending"),
            ],
            6,
        ),
        _graph(
            f"{name}: capacity (managed scaling)",
            [
                metric("TotalUnitsRunning"),
                metric("TotalUnitsRequested"),
                metric("TotalNodesRunning"),
                metric("TotalNodesRequested"),
            ],
            6,
        ),
    ]


def glue_job_widgets(jobs: Sequence[MonitoredGlueJob], period_seconds: int) -> list[cloudwatch.IWidget]:
    """Task failures and run time of each Glue job (published only for jobs run with ``--enable-metrics``)."""
    widgets: list[cloudwatch.IWidget] = []
    for job in jobs:
        counts: list[cloudwatch.IMetric] = []
        gauges: list[cloudwatch.IMetric] = []
        for metric_name, kind in GLUE_JOB_METRICS:
            metric = cloudwatch.Metric(
                namespace=GLUE_NAMESPACE,
                metric_name=metric_name,
                dimensions_map={"JobName": job.job_name, "JobRunId": "ALL", "Type": kind},
                statistic="Sum" if kind == "count" else "Maximum",
                period=Duration.seconds(period_seconds),
                label=metric_name.rsplit(".", 1)[-1],
            )
            (counts if kind == "count" else gauges).append(metric)
        widgets.append(_graph(f"Glue job {job.job_name}", counts, 12, right=gauges))
    return widgets


def warehouse_widgets(warehouse: MonitoredWarehouse, period_seconds: int) -> list[cloudwatch.IWidget]:
    """Compute of a serverless workgroup, or CPU, disk, health and connections of a provisioned cluster."""
    period = Duration.seconds(period_seconds)
    name = warehouse.node.id
    if warehouse.kind == WarehouseKind.SERVERLESS:

        def serverless(metric_name: str, statistic: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=REDSHIFT_SERVERLESS_NAMESPACE,
                metric_name=metric_name,
                dimensions_map={"Workgroup": warehouse.identifier},
                statistic=statistic,
                period=period,
                label=metric_name,
            )

        return [
            _graph(f"{name}: RPU capacity", [serverless("ComputeCapacity", "Maximum")], 12),
            _graph(f"{name}: RPU seconds billed", [serverless("ComputeSeconds", "Sum")], 12),
        ]

    def provisioned(metric_name: str, statistic: str = "Average") -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace=REDSHIFT_NAMESPACE,
            metric_name=metric_name,
            dimensions_map={"ClusterIdentifier": warehouse.identifier},
            statistic=statistic,
            period=period,
            label=metric_name,
        )

    percent = cloudwatch.YAxisProps(min=0, max=100)
    return [
        _graph(f"{name}: CPU (%)", [provisioned("CPUUtilization")], 6, left_y_axis=percent),
        _graph(f"{name}: disk used (%)", [provisioned("PercentageDiskSpaceUsed", "Maximum")], 6, left_y_axis=percent),
        _graph(f"{name}: health (1 = healthy)", [provisioned("HealthStatus", "Minimum")], 6),
        _graph(f"{name}: connections", [provisioned("DatabaseConnections", "Maximum")], 6),
    ]


def header(markdown: str) -> cloudwatch.TextWidget:
    return cloudwatch.TextWidget(markdown=markdown, width=_FULL_WIDTH, height=2)


def alarm_status(alarms: Sequence[cloudwatch.IAlarm]) -> cloudwatch.AlarmStatusWidget:
    rows = max(2, (len(alarms) + 3) // 4 + 1)
    return cloudwatch.AlarmStatusWidget(
        title="Alarms",
        alarms=list(alarms),
        width=_FULL_WIDTH,
        height=min(rows, 12),
        sort_by=cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
    )
