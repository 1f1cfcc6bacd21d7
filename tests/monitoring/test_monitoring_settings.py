"""Rules of MonitoringProps (exact messages), the per-environment settings, and the key's removal policy."""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk.assertions import Annotations, Match, Template

from emr_constructs.errors import EmrConfigError, Problem
from emr_constructs.monitoring import (
    EMR_METRICS,
    AlarmComparison,
    ClusterAlarm,
    MonitoringProps,
    PeriodsAlarm,
    PlatformMonitoring,
    ThresholdAlarm,
)
from emr_constructs.removal import ALLOW_DESTROY_CONTEXT
from emr_constructs.settings import parse_into
from stacks.settings import load_environment
from tests.monitoring import stand_ins
from tests.support import new_stack


def fails(props: MonitoringProps, *lines: str) -> None:
    """Building the monitoring with ``props`` raises exactly ``lines`` (one per problem, in order)."""
    with pytest.raises(EmrConfigError) as raised:
        PlatformMonitoring(new_stack(), "Monitoring", props=props)
    assert str(raised.value) == "\n".join(f"Test/Monitoring: {line}" for line in lines)


def test_defaults_have_no_problems() -> None:
    assert MonitoringProps().problems() == []


def test_fails_percentage_threshold_out_of_range() -> None:
    fails(
        MonitoringProps(hdfs_utilization=ThresholdAlarm(threshold=120, evaluation_periods=2)),
        "hdfs_utilization.threshold=120 is invalid: a percentage lies between 0 and 100; allowed: 0-100",
    )


def test_fails_negative_count_threshold() -> None:
    fails(
        MonitoringProps(apps_pending=ThresholdAlarm(threshold=-1, evaluation_periods=3)),
        "apps_pending.threshold=-1 is invalid: a count is never negative; allowed: >= 0",
    )


def test_fails_no_evaluation_period() -> None:
    fails(
        MonitoringProps(idle=PeriodsAlarm(evaluation_periods=0)),
        "idle.evaluation_periods=0 is invalid: at least one period is evaluated; allowed: >= 1",
    )


def test_fails_datapoints_above_evaluation_periods() -> None:
    fails(
        MonitoringProps(lost_nodes=ThresholdAlarm(threshold=0, evaluation_periods=2, datapoints_to_alarm=3)),
        "lost_nodes.datapoints_to_alarm=3 is invalid: datapoints_to_alarm is between 1 and evaluation_periods; "
        "allowed: 1-2",
    )


def test_fails_evaluation_range_longer_than_cloudwatch_allows() -> None:
    fails(
        MonitoringProps(idle=PeriodsAlarm(evaluation_periods=300)),
        "idle.evaluation_periods=300 is invalid: evaluation_periods x period (300 x 300 s) exceeds CloudWatch's "
        "limit of 86400 s; allowed: 1-288 with a 300 s period",
    )


def test_fails_period_cloudwatch_rejects() -> None:
    fails(
        MonitoringProps(warehouse_period_seconds=45),
        "warehouse_period_seconds=45 is invalid: CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 "
        "seconds; allowed: 10, 20, 30, 60, 120, 180, ... (a multiple of 60)",
    )


def test_fails_cluster_period_shorter_than_emr_publishes() -> None:
    fails(
        MonitoringProps(cluster_period_seconds=120),
        "cluster_period_seconds=120 is invalid: EMR publishes cluster metrics every 300 seconds, so shorter or "
        "unaligned periods have no data; allowed: a multiple of 300",
    )


def test_fails_malformed_email() -> None:
    fails(
        MonitoringProps(email_subscribers=("ops@example.com", "ops at example.com")),
        "email_subscribers[1]='ops at example.com' is invalid: not an e-mail address; allowed: name@example.com",
    )


def test_fails_email_subscribed_twice() -> None:
    fails(
        MonitoringProps(email_subscribers=("ops@example.com", "OPS@example.com")),
        "email_subscribers[1]='OPS@example.com' is invalid: subscribed twice (SNS keeps one subscription per "
        "endpoint); allowed: each endpoint once",
    )


def test_fails_non_https_url() -> None:
    fails(
        MonitoringProps(https_subscribers=("http://hooks.example.com/x", "https:///no-host")),
        "https_subscribers[0]='http://hooks.example.com/x' is invalid: HTTPS subscriptions need an https:// URL "
        "with a host; allowed: https://host/path",
        "https_subscribers[1]='https:///no-host' is invalid: HTTPS subscriptions need an https:// URL with a host; "
        "allowed: https://host/path",
    )


def test_fails_unknown_metric_name() -> None:
    fails(
        MonitoringProps(
            extra_cluster_alarms=(
                ClusterAlarm(metric_name="HdfsUtilisation", comparison=AlarmComparison.GREATER_THAN, threshold=90),
            )
        ),
        "extra_cluster_alarms[0].metric_name='HdfsUtilisation' is invalid: unknown EMR metric (an alarm on it would "
        "never receive data); allowed: one of " + ", ".join(sorted(EMR_METRICS)),
    )


def test_fails_extra_alarm_on_percentage_above_100() -> None:
    fails(
        MonitoringProps(
            extra_cluster_alarms=(
                ClusterAlarm(metric_name="MissingBlocks", comparison=AlarmComparison.GREATER_THAN, threshold=0),
                ClusterAlarm(metric_name="LiveDataNodes", comparison=AlarmComparison.LESS_THAN, threshold=150),
            )
        ),
        "extra_cluster_alarms[1].threshold=150 is invalid: a percentage lies between 0 and 100; allowed: 0-100",
    )


def test_fails_bad_dashboard_name() -> None:
    fails(
        MonitoringProps(dashboard_name="emr platform/prod"),
        "dashboard_name='emr platform/prod' is invalid: CloudWatch dashboard names are 1-255 letters, digits, '-' "
        "or '_'; allowed: [A-Za-z0-9_-]{1,255}",
    )


def test_fails_two_clusters_with_one_construct_id() -> None:
    stack = new_stack()
    first = stand_ins.emr_cluster(Stack(stack.node.root, "A"), "Analytics")  # type: ignore[arg-type]
    second = stand_ins.emr_cluster(Stack(stack.node.root, "B"), "Analytics")  # type: ignore[arg-type]
    with pytest.raises(
        EmrConfigError,
        match=re.escape(
            "Test/Monitoring: clusters[1]='B/Analytics' is invalid: construct id 'Analytics' is already used by "
            "clusters[0]; alarms are named after it; allowed: clusters with distinct construct ids"
        ),
    ):
        PlatformMonitoring(stack, "Monitoring", clusters=[first, second])


def test_reports_every_problem_at_once() -> None:
    props = MonitoringProps(
        cluster_period_seconds=45,
        yarn_memory_available=ThresholdAlarm(threshold=101, evaluation_periods=0),
        email_subscribers=("nobody",),
    )
    assert [(p.field, p.value) for p in props.problems()] == [
        ("cluster_period_seconds", 45),
        ("yarn_memory_available.threshold", 101),
        ("yarn_memory_available.evaluation_periods", 0),
        ("email_subscribers[0]", "nobody"),
    ]


# -- settings files ---------------------------------------------------------------------------------------


def load(environment: str) -> MonitoringProps:
    """The monitoring of config/<environment>.json, as the app reads it."""
    return load_environment(environment).monitoring


def test_environment_settings_parse_and_prod_is_strictest() -> None:
    dev, staging, prod = (load(name) for name in ("dev", "staging", "prod"))
    for name in ("apps_pending", "hdfs_utilization", "warehouse_disk_used"):
        assert getattr(dev, name).threshold >= getattr(staging, name).threshold > getattr(prod, name).threshold
    assert dev.yarn_memory_available.threshold < staging.yarn_memory_available.threshold
    assert staging.yarn_memory_available.threshold < prod.yarn_memory_available.threshold
    assert dev.idle.evaluation_periods >= staging.idle.evaluation_periods > prod.idle.evaluation_periods
    assert len(prod.extra_cluster_alarms) > len(staging.extra_cluster_alarms) > len(dev.extra_cluster_alarms)


def test_settings_file_errors_name_the_key() -> None:
    problems: list[Problem] = []
    parse_into(
        MonitoringProps,
        {"hdfs_utilization": {"threshold": 180, "evaluation_periods": 2}, "email_subscribers": ["x"]},
        "monitoring",
        problems,
    )
    assert [p.field for p in problems] == ["monitoring.hdfs_utilization.threshold", "monitoring.email_subscribers[0]"]


# -- removal policy -----------------------------------------------------------------------------------------


def key_deletion_policy(stack: Stack) -> str:
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    policy: str = key["DeletionPolicy"]
    return policy


def test_destroy_without_the_flag_keeps_the_key() -> None:
    stack = new_stack()
    PlatformMonitoring(stack, "Monitoring", removal_policy=RemovalPolicy.DESTROY)
    assert key_deletion_policy(stack) == "Retain"
    Annotations.from_stack(stack).has_warning("/Test/Monitoring", Match.string_like_regexp("DESTROY was requested"))


def test_destroy_with_the_flag_deletes_the_key() -> None:
    stack = new_stack(**{ALLOW_DESTROY_CONTEXT: "true"})
    PlatformMonitoring(stack, "Monitoring", removal_policy=RemovalPolicy.DESTROY)
    assert key_deletion_policy(stack) == "Delete"


class OtherWarehouseKind(StrEnum):
    """Like the warehouse construct's own enum: same values, another class."""

    SERVERLESS = "serverless"
    PROVISIONED = "provisioned"


def test_warehouse_kind_of_another_enum_with_the_same_values_is_understood() -> None:
    stack = new_stack()
    provisioned = stand_ins.provisioned_warehouse(stack, "Reporting")
    foreign = replace(provisioned, kind=OtherWarehouseKind.PROVISIONED)
    monitoring = PlatformMonitoring(stack, "Monitoring", warehouses=[foreign])
    assert set(monitoring.warehouse_alarms["Reporting"]) == {"HealthStatus", "PercentageDiskSpaceUsed"}


def test_fails_unknown_warehouse_kind() -> None:
    stack = new_stack()
    warehouse = replace(stand_ins.serverless_warehouse(stack, "Warehouse"), kind="aurora")
    with pytest.raises(EmrConfigError) as raised:
        PlatformMonitoring(stack, "Monitoring", warehouses=[warehouse])
    assert str(raised.value) == (
        "Test/Monitoring: warehouses[0].kind='aurora' is invalid: unknown warehouse kind; "
        "allowed: serverless, provisioned"
    )
