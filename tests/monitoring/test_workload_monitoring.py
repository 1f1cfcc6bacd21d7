"""WorkloadMonitoring: a compute stack's clusters watched from beside them, notifying the platform's topic; and
the synth warning on placeholder subscribers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match, Template

from emr_constructs.errors import EmrConfigError
from emr_constructs.monitoring import (
    PLACEHOLDER_WARNING,
    EventConcern,
    MonitoringProps,
    PlatformMonitoring,
    WorkloadMonitoring,
)
from emr_constructs.monitoring.workload_monitoring import default_prefix
from tests.monitoring import stand_ins
from tests.support import assert_no_nag_findings, new_app


@dataclass
class Split:
    platform_stack: Stack
    platform: PlatformMonitoring
    compute: Stack
    workload: WorkloadMonitoring
    other: WorkloadMonitoring
    analytics: stand_ins.Cluster

    def template(self, stack: Stack) -> dict[str, Any]:
        return dict(Template.from_stack(stack).to_json())


@pytest.fixture(scope="module")
def split() -> Split:
    app = new_app()
    platform_stack = Stack(app, "Monitoring")
    platform = PlatformMonitoring(platform_stack, "Monitoring")
    compute = Stack(app, "Compute")
    analytics = stand_ins.emr_cluster(compute, "Analytics")
    workload = WorkloadMonitoring(compute, "Monitoring", platform=platform, clusters=[analytics])
    compute2 = Stack(app, "Compute2")
    other = WorkloadMonitoring(
        compute2, "Monitoring", platform=platform, clusters=[stand_ins.emr_cluster(compute2, "Batch")]
    )
    return Split(platform_stack, platform, compute, workload, other, analytics)


def test_alarms_live_with_the_clusters_and_notify_the_platform_topic(split: Split) -> None:
    assert set(split.workload.cluster_alarms["Analytics"]) == {
        "IsIdle",
        "AppsPending",
        "HDFSUtilization",
        "MRUnhealthyNodes",
        "MRLostNodes",
        "YARNMemoryAvailablePercentage",
        "CoreNodesPending",
    }
    compute = Template.from_stack(split.compute)
    compute.resource_count_is("AWS::CloudWatch::Alarm", 7)
    compute.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "HDFSUtilization", "AlarmActions": [{"Fn::GetStackOutput": Match.any_value()}]},
    )
    Template.from_stack(split.platform_stack).resource_count_is("AWS::CloudWatch::Alarm", 1)


def test_cluster_rules_are_named_with_the_stack_prefix(split: Split) -> None:
    assert set(split.workload.rules) == {
        EventConcern.CLUSTER_TERMINATED_WITH_ERRORS,
        EventConcern.STEP_FAILED,
        EventConcern.CAPACITY_PROBLEM,
    }
    rules = Template.from_stack(split.compute).find_resources("AWS::Events::Rule")
    assert sorted(r["Properties"]["Name"] for r in rules.values()) == [
        "Compute-CapacityProblem",
        "Compute-ClusterTerminatedWithErrors",
        "Compute-StepFailed",
    ]


def test_spot_interruptions_are_forwarded_once_by_the_platform(split: Split) -> None:
    assert EventConcern.SPOT_INTERRUPTION in split.platform.rules
    assert EventConcern.SPOT_INTERRUPTION not in split.workload.rules
    Template.from_stack(split.platform_stack).resource_count_is("AWS::Events::Rule", 1)


def _rule_arn(name: str) -> dict[str, Any]:
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":events:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":rule/{name}*",
            ],
        ]
    }


def test_topic_and_dead_letter_queue_let_exactly_the_prefixed_rules_in(split: Split) -> None:
    template = Template.from_stack(split.platform_stack)
    allowed = {"ArnLike": {"aws:SourceArn": [_rule_arn("Compute-"), _rule_arn("Compute2-")]}}
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Sid": "AllowPlatformRulesByNameToPublish", "Condition": allowed})]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Sid": "AllowPlatformRulesByNameToDeadLetter", "Condition": allowed})]
                )
            }
        },
    )


def test_platform_stack_does_not_reference_the_compute_stacks(split: Split) -> None:
    # The compute stacks need the topic's ARN; a reference back would be a cycle.
    assert split.platform_stack in split.compute.dependencies
    assert split.compute not in split.platform_stack.dependencies
    assert "Fn::GetStackOutput" not in str(split.template(split.platform_stack))


def test_each_workload_has_its_own_dashboard(split: Split) -> None:
    Template.from_stack(split.compute).resource_count_is("AWS::CloudWatch::Dashboard", 1)


def test_no_nag_findings(split: Split) -> None:
    assert_no_nag_findings(split.workload)
    assert_no_nag_findings(split.platform_stack)


def test_fails_rule_name_prefix_too_long() -> None:
    app = new_app()
    platform = PlatformMonitoring(Stack(app, "Monitoring"), "Monitoring")
    with pytest.raises(EmrConfigError) as caught:
        WorkloadMonitoring(Stack(app, "Compute"), "Monitoring", platform=platform, rule_name_prefix="x" * 38)
    assert str(caught.value) == (
        f"Compute/Monitoring: rule_name_prefix='{'x' * 38}' is invalid: EventBridge rule names are 1-64 of "
        "[.-_A-Za-z0-9] and the longest concern adds 27 characters; allowed: 1-37 of [.-_A-Za-z0-9] (pass a "
        "shorter rule_name_prefix)"
    )


def test_fails_rule_name_prefix_used_twice() -> None:
    app = new_app()
    platform = PlatformMonitoring(Stack(app, "Monitoring"), "Monitoring")
    WorkloadMonitoring(Stack(app, "Compute"), "Monitoring", platform=platform, rule_name_prefix="compute-")
    with pytest.raises(EmrConfigError) as caught:
        WorkloadMonitoring(Stack(app, "Compute2"), "Monitoring", platform=platform, rule_name_prefix="compute-")
    assert str(caught.value) == (
        "Compute2/Monitoring: rule_name_prefix='compute-' is invalid: already used by another WorkloadMonitoring of "
        "this platform (rule names would clash); allowed: a prefix unique per platform"
    )


def test_fails_duplicate_cluster_ids() -> None:
    app = new_app()
    platform = PlatformMonitoring(Stack(app, "Monitoring"), "Monitoring")
    compute = Stack(app, "Compute")
    cluster = stand_ins.emr_cluster(compute, "Analytics")
    with pytest.raises(EmrConfigError, match=r"clusters\[1\]='Compute/Analytics' is invalid: construct id 'Analytics'"):
        WorkloadMonitoring(compute, "Monitoring", platform=platform, clusters=[cluster, cluster])


# -- placeholder subscribers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("emails", "https", "found"),
    [
        ((), (), "no subscribers"),
        (("alerts@example.com",), (), "placeholder subscribers alerts@example.com"),
        (("ops@company.io",), ("https://hooks.example.org/x",), "placeholder subscribers https://hooks.example.org/x"),
    ],
)
def test_placeholder_subscribers_warn_on_the_topic(emails: tuple[str, ...], https: tuple[str, ...], found: str) -> None:
    stack = Stack(new_app(), "Monitoring")
    monitoring = PlatformMonitoring(
        stack, "Monitoring", props=MonitoringProps(email_subscribers=emails, https_subscribers=https)
    )
    warnings = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("reach nobody"))
    assert [(w.id, w.entry.data) for w in warnings] == [
        (
            f"/{monitoring.topic.node.path}",
            f"Alarms and events reach nobody: the topic has {found}. Set the monitoring's email_subscribers or "
            f"https_subscribers to real endpoints before deploying. [ack: {PLACEHOLDER_WARNING}]",
        )
    ]


def test_real_subscribers_do_not_warn() -> None:
    stack = Stack(new_app(), "Monitoring")
    PlatformMonitoring(
        stack,
        "Monitoring",
        props=MonitoringProps(email_subscribers=("ops@company.io",), https_subscribers=("https://hooks.company.io/x",)),
    )
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []


def test_long_stack_names_get_a_shortened_unique_prefix() -> None:
    long_name = "analytics-platform-eu-ComputeNightlyBatchMonitoring"
    prefix = default_prefix(long_name)
    assert len(prefix) == 37 and prefix.startswith("analytics-platform-eu-Comp") and prefix.endswith("-")
    assert default_prefix(long_name + "2") != prefix
    assert default_prefix("prod-ComputeMonitoring") == "prod-ComputeMonitoring-"
