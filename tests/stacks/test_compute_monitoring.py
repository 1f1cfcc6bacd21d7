"""Monitoring follows the compute stacks: each one's clusters are watched from ``<stack>Monitoring``, and the
environment's notification channel keeps its logical ids."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Template

from stacks.platform_stage import PlatformStage

ENVIRONMENTS = ("dev", "staging", "prod")

#: The notification key, topic and dead-letter queue: replacing them would drop every confirmed subscription.
PINNED_CHANNEL_IDS = {
    "AWS::KMS::Key": ["MonitoringKey61F0DC42"],
    "AWS::SNS::Topic": ["MonitoringTopic2EDA8B02"],
    "AWS::SQS::Queue": ["MonitoringDeadLetterQueue5C1A4660"],
}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_notification_channel_logical_ids_are_pinned(platform: dict[str, PlatformStage], env: str) -> None:
    template = Template.from_stack(platform[env].monitoring)
    assert {kind: sorted(template.find_resources(kind)) for kind in PINNED_CHANNEL_IDS} == PINNED_CHANNEL_IDS


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_compute_stack_with_clusters_has_its_monitoring_stack(
    platform: dict[str, PlatformStage], env: str
) -> None:
    stage = platform[env]
    with_clusters = [stack for stack in stage.compute if stack.clusters]
    assert [s.node.id for s in stage.compute_monitoring] == [f"{s.node.id}Monitoring" for s in with_clusters]
    for compute, watching in zip(with_clusters, stage.compute_monitoring, strict=True):
        assert set(watching.monitoring.cluster_alarms) == set(compute.clusters)
        assert {compute, stage.monitoring} <= set(watching.dependencies)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_environment_monitoring_does_not_grow_with_the_clusters(
    platform: dict[str, PlatformStage], env: str
) -> None:
    monitoring = platform[env].monitoring
    assert monitoring.monitoring.cluster_alarms == {}
    assert not any(stack in monitoring.dependencies for stack in platform[env].compute)
    # Its own alarms: undelivered notifications, and the provisioned warehouse's where there is one.
    assert len(Template.from_stack(monitoring).find_resources("AWS::CloudWatch::Alarm")) <= 3
