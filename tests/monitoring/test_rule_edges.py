"""Every monitoring rule at its edges: the smallest and largest valid value build clean, one step past fails."""

from __future__ import annotations

from typing import Any

from emr_constructs.monitoring import (
    EMR_METRICS,
    AlarmComparison,
    ClusterAlarm,
    MonitoringProps,
    PeriodsAlarm,
    ThresholdAlarm,
)
from tests.rule_edges import Edge, edge_tests

PERIOD_RULE = (
    "CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 seconds; allowed: 10, 20, 30, 60, 120, 180, ... "
    "(a multiple of 60)"
)
EMR_PERIOD_RULE = (
    "EMR publishes cluster metrics every 300 seconds, so shorter or unaligned periods have no data; "
    "allowed: a multiple of 300"
)
PERCENT_RULE = "a percentage lies between 0 and 100; allowed: 0-100"
COUNT_RULE = "a count is never negative; allowed: >= 0"
NO_PERIOD = "at least one period is evaluated; allowed: >= 1"


def threshold(value: float, periods: int = 2, datapoints: int | None = None) -> ThresholdAlarm:
    return ThresholdAlarm(threshold=value, evaluation_periods=periods, datapoints_to_alarm=datapoints)


def periods_limit(field: str, periods: int, period: int, limit: int, most: int) -> str:
    return (
        f"Test: {field}.evaluation_periods={periods} is invalid: evaluation_periods x period ({periods} x {period} s) "
        f"exceeds CloudWatch's limit of {limit} s; allowed: 1-{most} with a {period} s period"
    )


def datapoints_error(field: str, datapoints: int, most: int) -> str:
    return (
        f"Test: {field}.datapoints_to_alarm={datapoints} is invalid: datapoints_to_alarm is between 1 and "
        f"evaluation_periods; allowed: 1-{most}"
    )


def percent_alarm(field: str) -> Edge:
    return Edge(
        f"{field} is a percentage",
        MonitoringProps,
        valid=[{field: threshold(0)}, {field: threshold(100)}],
        invalid=[({field: threshold(t)}, f"Test: {field}.threshold={t} is invalid: {PERCENT_RULE}") for t in (-1, 101)],
    )


def count_alarm(field: str) -> Edge:
    return Edge(
        f"{field} is a count",
        MonitoringProps,
        valid=[{field: threshold(0)}, {field: threshold(1_000_000)}],
        invalid=[({field: threshold(-1)}, f"Test: {field}.threshold=-1 is invalid: {COUNT_RULE}")],
    )


def extra(metric: str, value: float, **changes: Any) -> dict[str, Any]:
    alarm = ClusterAlarm(metric_name=metric, comparison=AlarmComparison.GREATER_THAN, threshold=value, **changes)
    return {"extra_cluster_alarms": (alarm,)}


def subscriber_error(field: str, index: int, endpoint: str, rule: str) -> str:
    return f"Test: {field}[{index}]={endpoint!r} is invalid: {rule}"


TWICE = "subscribed twice (SNS keeps one subscription per endpoint); allowed: each endpoint once"

EDGES = [
    Edge(
        "cluster_period_seconds",
        MonitoringProps,
        valid=[{"cluster_period_seconds": 300}, {"cluster_period_seconds": 3300}, {"cluster_period_seconds": 3600}],
        invalid=[
            ({"cluster_period_seconds": 0}, f"Test: cluster_period_seconds=0 is invalid: {PERIOD_RULE}"),
            ({"cluster_period_seconds": -300}, f"Test: cluster_period_seconds=-300 is invalid: {PERIOD_RULE}"),
            ({"cluster_period_seconds": 30}, f"Test: cluster_period_seconds=30 is invalid: {EMR_PERIOD_RULE}"),
            ({"cluster_period_seconds": 299}, f"Test: cluster_period_seconds=299 is invalid: {PERIOD_RULE}"),
            ({"cluster_period_seconds": 360}, f"Test: cluster_period_seconds=360 is invalid: {EMR_PERIOD_RULE}"),
        ],
    ),
    Edge(
        "warehouse_period_seconds",
        MonitoringProps,
        valid=[{"warehouse_period_seconds": p} for p in (10, 20, 30, 60, 3600)],
        invalid=[
            ({"warehouse_period_seconds": p}, f"Test: warehouse_period_seconds={p} is invalid: {PERIOD_RULE}")
            for p in (0, -60, 9, 11, 40, 61)
        ],
    ),
    Edge(
        "evaluation periods within one day (periods under an hour)",
        MonitoringProps,
        valid=[{"apps_pending": threshold(1, periods=1)}, {"apps_pending": threshold(1, periods=288)}],
        invalid=[
            (
                {"apps_pending": threshold(1, periods=0)},
                f"Test: apps_pending.evaluation_periods=0 is invalid: {NO_PERIOD}",
            ),
            ({"apps_pending": threshold(1, periods=289)}, periods_limit("apps_pending", 289, 300, 86400, 288)),
        ],
    ),
    Edge(
        "evaluation periods within one day at the longest period under an hour",
        MonitoringProps,
        base={"cluster_period_seconds": 3300},
        valid=[{"lost_nodes": threshold(0, periods=26)}],
        invalid=[({"lost_nodes": threshold(0, periods=27)}, periods_limit("lost_nodes", 27, 3300, 86400, 26))],
    ),
    Edge(
        "evaluation periods within seven days (periods of an hour or more)",
        MonitoringProps,
        base={"cluster_period_seconds": 3600},
        valid=[{"unhealthy_nodes": threshold(0, periods=168)}, {"idle": PeriodsAlarm(evaluation_periods=168)}],
        invalid=[
            ({"unhealthy_nodes": threshold(0, periods=169)}, periods_limit("unhealthy_nodes", 169, 3600, 604800, 168)),
            ({"idle": PeriodsAlarm(evaluation_periods=169)}, periods_limit("idle", 169, 3600, 604800, 168)),
        ],
    ),
    Edge(
        "idle evaluation periods",
        MonitoringProps,
        valid=[{"idle": PeriodsAlarm(evaluation_periods=1)}, {"idle": PeriodsAlarm(evaluation_periods=288)}],
        invalid=[
            ({"idle": PeriodsAlarm(evaluation_periods=0)}, f"Test: idle.evaluation_periods=0 is invalid: {NO_PERIOD}"),
            ({"idle": PeriodsAlarm(evaluation_periods=289)}, periods_limit("idle", 289, 300, 86400, 288)),
        ],
    ),
    Edge(
        "warehouse_health evaluation periods at the warehouse period",
        MonitoringProps,
        base={"warehouse_period_seconds": 60},
        valid=[
            {"warehouse_health": PeriodsAlarm(evaluation_periods=1)},
            {"warehouse_health": PeriodsAlarm(evaluation_periods=1440)},
        ],
        invalid=[
            (
                {"warehouse_health": PeriodsAlarm(evaluation_periods=0)},
                f"Test: warehouse_health.evaluation_periods=0 is invalid: {NO_PERIOD}",
            ),
            (
                {"warehouse_health": PeriodsAlarm(evaluation_periods=1441)},
                periods_limit("warehouse_health", 1441, 60, 86400, 1440),
            ),
        ],
    ),
    Edge(
        "evaluation periods at a period of a week: one period at most",
        MonitoringProps,
        base={"warehouse_period_seconds": 604_800, "warehouse_disk_used": threshold(80, periods=1)},
        valid=[{"warehouse_health": PeriodsAlarm(evaluation_periods=1)}],
        invalid=[
            (
                {"warehouse_health": PeriodsAlarm(evaluation_periods=2)},
                periods_limit("warehouse_health", 2, 604_800, 604_800, 1),
            )
        ],
    ),
    Edge(
        "evaluation periods at an invalid one-second period: both rules report",
        MonitoringProps,
        base={"warehouse_period_seconds": 1},
        valid=[{"warehouse_period_seconds": 60, "warehouse_health": PeriodsAlarm(evaluation_periods=1440)}],
        invalid=[
            (
                {"warehouse_health": PeriodsAlarm(evaluation_periods=86_401)},
                [
                    f"Test: warehouse_period_seconds=1 is invalid: {PERIOD_RULE}",
                    periods_limit("warehouse_health", 86_401, 1, 86_400, 86_400),
                ],
            )
        ],
    ),
    Edge(
        "datapoints_to_alarm",
        MonitoringProps,
        valid=[
            {"yarn_memory_available": threshold(15, periods=3, datapoints=1)},
            {"yarn_memory_available": threshold(15, periods=3, datapoints=3)},
        ],
        invalid=[
            (
                {"yarn_memory_available": threshold(15, periods=3, datapoints=d)},
                datapoints_error("yarn_memory_available", d, 3),
            )
            for d in (0, 4)
        ],
    ),
    Edge(
        "datapoints_to_alarm without a valid period count",
        MonitoringProps,
        valid=[{"core_nodes_pending": threshold(0, periods=1, datapoints=1)}],
        invalid=[
            (
                {"core_nodes_pending": threshold(0, periods=0, datapoints=2)},
                [
                    f"Test: core_nodes_pending.evaluation_periods=0 is invalid: {NO_PERIOD}",
                    datapoints_error("core_nodes_pending", 2, 1),
                ],
            )
        ],
    ),
    percent_alarm("hdfs_utilization"),
    percent_alarm("yarn_memory_available"),
    percent_alarm("warehouse_disk_used"),
    count_alarm("apps_pending"),
    count_alarm("unhealthy_nodes"),
    count_alarm("lost_nodes"),
    count_alarm("core_nodes_pending"),
    Edge(
        "warehouse_disk_used periods at the warehouse period",
        MonitoringProps,
        base={"warehouse_period_seconds": 30},
        valid=[{"warehouse_disk_used": threshold(80, periods=2880, datapoints=2880)}],
        invalid=[
            (
                {"warehouse_disk_used": threshold(80, periods=2881)},
                periods_limit("warehouse_disk_used", 2881, 30, 86400, 2880),
            )
        ],
    ),
    Edge(
        "extra alarm metric and threshold",
        MonitoringProps,
        valid=[
            extra("HDFSUtilization", 0),
            extra("HDFSUtilization", 100),
            extra("MissingBlocks", 0),
            extra("MissingBlocks", 1_000_000),
        ],
        invalid=[
            (
                extra("HDFSUtilization", 101),
                f"Test: extra_cluster_alarms[0].threshold=101 is invalid: {PERCENT_RULE}",
            ),
            (extra("MissingBlocks", -1), f"Test: extra_cluster_alarms[0].threshold=-1 is invalid: {COUNT_RULE}"),
            (
                # An unknown metric is neither a percentage nor a count: only the metric is reported.
                extra("HdfsUtilization", 150),
                "Test: extra_cluster_alarms[0].metric_name='HdfsUtilization' is invalid: unknown EMR metric (an alarm "
                "on it would never receive data); allowed: one of " + ", ".join(sorted(EMR_METRICS)),
            ),
        ],
    ),
    Edge(
        "extra alarm periods at the cluster period",
        MonitoringProps,
        valid=[extra("MissingBlocks", 0, evaluation_periods=288, datapoints_to_alarm=1)],
        invalid=[
            (
                extra("MissingBlocks", 0, evaluation_periods=289),
                periods_limit("extra_cluster_alarms[0]", 289, 300, 86400, 288),
            ),
            (
                extra("MissingBlocks", 0, evaluation_periods=3, datapoints_to_alarm=4),
                datapoints_error("extra_cluster_alarms[0]", 4, 3),
            ),
        ],
    ),
    Edge(
        "dashboard_name",
        MonitoringProps,
        valid=[{"dashboard_name": "a"}, {"dashboard_name": "A_b-9" + "x" * 250}, {"dashboard_name": None}],
        invalid=[
            (
                {"dashboard_name": name},
                f"Test: dashboard_name={name!r} is invalid: CloudWatch dashboard names are 1-255 letters, digits, '-' "
                "or '_'; allowed: [A-Za-z0-9_-]{1,255}",
            )
            for name in ("", "x" * 256, "emr platform", "emr.platform")
        ],
    ),
    Edge(
        "email_subscribers",
        MonitoringProps,
        valid=[{"email_subscribers": ("a@b.co",)}, {"email_subscribers": ("ops@example.com", "oncall@example.com")}],
        invalid=[
            (
                {"email_subscribers": (address,)},
                subscriber_error("email_subscribers", 0, address, "not an e-mail address; allowed: name@example.com"),
            )
            for address in ("ops@example", "ops example.com", "@example.com", "ops@example.")
        ]
        + [
            (
                {"email_subscribers": ("ops@example.com", "Ops@Example.com")},
                subscriber_error("email_subscribers", 1, "Ops@Example.com", TWICE),
            )
        ],
    ),
    Edge(
        "https_subscribers",
        MonitoringProps,
        valid=[
            {"https_subscribers": ("https://h",)},
            {"https_subscribers": ("https://a.example/x", "https://b.example/x")},
        ],
        invalid=[
            (
                {"https_subscribers": (url,)},
                subscriber_error(
                    "https_subscribers",
                    0,
                    url,
                    "HTTPS subscriptions need an https:// URL with a host; allowed: https://host/path",
                ),
            )
            for url in ("http://hooks.example/x", "https:///x", "hooks.example/x")
        ]
        + [
            (
                {"https_subscribers": ("https://a.example/x", "HTTPS://A.example/x")},
                subscriber_error("https_subscribers", 1, "HTTPS://A.example/x", TWICE),
            ),
            (
                # A broken endpoint given twice breaks both rules.
                {"https_subscribers": ("http://h", "http://h")},
                [
                    subscriber_error(
                        "https_subscribers",
                        0,
                        "http://h",
                        "HTTPS subscriptions need an https:// URL with a host; allowed: https://host/path",
                    ),
                    subscriber_error(
                        "https_subscribers",
                        1,
                        "http://h",
                        "HTTPS subscriptions need an https:// URL with a host; allowed: https://host/path",
                    ),
                    subscriber_error("https_subscribers", 1, "http://h", TWICE),
                ],
            ),
        ],
    ),
]


test_valid_edge_builds_clean, test_fails_one_step_past_the_edge = edge_tests(EDGES)
