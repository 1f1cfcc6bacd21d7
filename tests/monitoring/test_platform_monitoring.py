"""PlatformMonitoring on a synthesized app: alarms, event patterns, topic and key policies, dashboard, nag, lint.

One app, synthesized once: a ``Sources`` stack with raw L1 stand-ins of the watched resources, the ``Monitoring``
stack (defaults; one cluster, job, crawler and serverless warehouse; snapshotted) and the ``FullMonitoring``
stack (two clusters, both warehouse kinds, extra alarm, subscribers, custom rule and alarm).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import CfnResource, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk.assertions import Template

from emr_constructs.monitoring import (
    AlarmComparison,
    ClusterAlarm,
    EventConcern,
    MonitoringProps,
    PlatformMonitoring,
    ThresholdAlarm,
)
from tests.guard import DENY_GRANTS
from tests.monitoring import stand_ins
from tests.support import assert_no_nag_findings, cfn_lint, new_app

PARTITION = {"Ref": "AWS::Partition"}
REGION = {"Ref": "AWS::Region"}
ACCOUNT = {"Ref": "AWS::AccountId"}

#: The concerns this module's world routes (serverless applications: tests/monitoring/test_serverless_monitor.py).
PLATFORM_CONCERNS = [c for c in EventConcern if not c.name.startswith("SERVERLESS_")]


def arn(service: str, resource: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":{service}:", REGION, ":", ACCOUNT, f":{resource}"]]}


@dataclass
class World:
    sources: Stack
    stack: Stack
    monitoring: PlatformMonitoring
    template: dict[str, Any]
    full_stack: Stack
    full: PlatformMonitoring
    full_template: dict[str, Any]
    analytics: stand_ins.Cluster
    transient: stand_ins.Cluster
    job: stand_ins.GlueJob
    crawler: stand_ins.Crawler
    serverless: stand_ins.Warehouse
    provisioned: stand_ins.Warehouse
    custom_rule: events.Rule
    custom_alarm: cloudwatch.Alarm

    def ref(self, resource: CfnResource) -> dict[str, Any]:
        return stand_ins.cross_stack_ref(self.sources, resource)

    def props_of(self, stack: Stack, construct: Any) -> dict[str, Any]:
        template = self.template if stack is self.stack else self.full_template
        child = construct.node.default_child
        resource: dict[str, Any] = template["Resources"][stack.resolve(child.logical_id)]
        return dict(resource.get("Properties", {}))

    def queue_arn(self, monitoring: PlatformMonitoring) -> dict[str, Any]:
        queue = monitoring.dead_letter_queue.node.default_child
        return {"Fn::GetAtt": [self.stack.resolve(queue.logical_id), "Arn"]}  # type: ignore[union-attr]

    def topic_ref(self, stack: Stack, monitoring: PlatformMonitoring) -> dict[str, Any]:
        return {"Ref": stack.resolve(monitoring.topic.node.default_child.logical_id)}  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def world() -> World:
    app = new_app()
    sources = Stack(app, "Sources")
    analytics = stand_ins.emr_cluster(sources, "Analytics")
    transient = stand_ins.emr_cluster(sources, "Transient", auto_terminates=True)
    job = stand_ins.glue_job(sources, "Ingest")
    crawler = stand_ins.crawler(sources, "RawCrawler")
    serverless = stand_ins.serverless_warehouse(sources, "Warehouse")
    provisioned = stand_ins.provisioned_warehouse(sources, "Reporting")

    stack = Stack(app, "Monitoring")
    monitoring = PlatformMonitoring(
        stack, "Monitoring", clusters=[analytics], glue_jobs=[job], crawlers=[crawler], warehouses=[serverless]
    )

    full_stack = Stack(app, "FullMonitoring")
    full = PlatformMonitoring(
        full_stack,
        "Monitoring",
        props=MonitoringProps(
            core_nodes_pending=ThresholdAlarm(threshold=0, evaluation_periods=6, enabled=False),
            hdfs_utilization=ThresholdAlarm(threshold=75, evaluation_periods=3, datapoints_to_alarm=2),
            extra_cluster_alarms=(
                ClusterAlarm(metric_name="MissingBlocks", comparison=AlarmComparison.GREATER_THAN, threshold=0),
            ),
            notify_on_ok=False,
            spot_interruption_warnings=False,
            dashboard_name="emr-platform-test",
            email_subscribers=("data-platform-alerts@example.com",),
            https_subscribers=("https://hooks.example.com/services/platform",),
        ),
        clusters=[analytics, transient],
        glue_jobs=[job],
        warehouses=[provisioned, serverless],
    )
    custom_rule = full.route_events("S3Replication", events.EventPattern(source=["aws.s3"]), "Custom rule")
    custom_alarm = cloudwatch.Alarm(
        full_stack,
        "CustomAlarm",
        metric=cloudwatch.Metric(namespace="Custom", metric_name="Errors", period=Duration.minutes(5)),
        threshold=1,
        evaluation_periods=1,
    )
    full.notify(custom_alarm)

    return World(
        sources=sources,
        stack=stack,
        monitoring=monitoring,
        template=dict(Template.from_stack(stack).to_json()),
        full_stack=full_stack,
        full=full,
        full_template=dict(Template.from_stack(full_stack).to_json()),
        analytics=analytics,
        transient=transient,
        job=job,
        crawler=crawler,
        serverless=serverless,
        provisioned=provisioned,
        custom_rule=custom_rule,
        custom_alarm=custom_alarm,
    )


# -- alarms -------------------------------------------------------------------------------------------------

DEFAULT_CLUSTER_ALARMS = {
    # metric: (statistic, comparison, threshold, evaluation periods)
    "IsIdle": ("Minimum", "GreaterThanOrEqualToThreshold", 1, 6),
    "AppsPending": ("Average", "GreaterThanThreshold", 10, 3),
    "HDFSUtilization": ("Maximum", "GreaterThanThreshold", 80, 2),
    "MRUnhealthyNodes": ("Maximum", "GreaterThanThreshold", 0, 2),
    "MRLostNodes": ("Maximum", "GreaterThanThreshold", 0, 2),
    "YARNMemoryAvailablePercentage": ("Average", "LessThanThreshold", 15, 3),
    "CoreNodesPending": ("Average", "GreaterThanThreshold", 0, 6),
}


@pytest.mark.parametrize("metric", list(DEFAULT_CLUSTER_ALARMS))
def test_cluster_alarm(world: World, metric: str) -> None:
    statistic, comparison, threshold, periods = DEFAULT_CLUSTER_ALARMS[metric]
    props = world.props_of(world.stack, world.monitoring.cluster_alarms["Analytics"][metric])
    props.pop("AlarmDescription")
    topic = world.topic_ref(world.stack, world.monitoring)
    assert props == {
        "Namespace": "AWS/ElasticMapReduce",
        "MetricName": metric,
        "Dimensions": [{"Name": "JobFlowId", "Value": world.ref(world.analytics.resource)}],
        "Statistic": statistic,
        "Period": 300,
        "ComparisonOperator": comparison,
        "Threshold": threshold,
        "EvaluationPeriods": periods,
        "TreatMissingData": "notBreaching",
        "AlarmActions": [topic],
        "OKActions": [topic],
    }


def test_alarm_descriptions_say_what_breached_and_what_to_do(world: World) -> None:
    props = world.props_of(world.stack, world.monitoring.cluster_alarms["Analytics"]["HDFSUtilization"])
    assert props["AlarmDescription"] == {
        "Fn::Join": [
            "",
            [
                "EMR cluster Analytics (",
                world.ref(world.analytics.resource),
                "): Maximum HDFSUtilization above 80 in 2 of 2 periods of 300 s. HDFS is filling up: add core "
                "capacity or move data to S3; writes fail near 100%.",
            ],
        ]
    }


def test_every_alarm_of_the_defaults_is_created_once(world: World) -> None:
    alarms = Template.from_json(world.template).find_resources("AWS::CloudWatch::Alarm")
    # Plus one: the alarm on the events dead-letter queue.
    assert len(alarms) == len(DEFAULT_CLUSTER_ALARMS) + 1 == len(world.monitoring.alarms)


def test_auto_terminating_cluster_has_no_idle_alarm_and_disabled_alarms_are_skipped(world: World) -> None:
    common = {"AppsPending", "HDFSUtilization", "MRUnhealthyNodes", "MRLostNodes", "YARNMemoryAvailablePercentage"}
    assert set(world.full.cluster_alarms["Analytics"]) == {*common, "IsIdle", "Extra0"}
    assert set(world.full.cluster_alarms["Transient"]) == {*common, "Extra0"}


def test_settings_change_threshold_periods_and_datapoints(world: World) -> None:
    props = world.props_of(world.full_stack, world.full.cluster_alarms["Transient"]["HDFSUtilization"])
    assert (props["Threshold"], props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (75, 3, 2)
    assert props["Dimensions"] == [{"Name": "JobFlowId", "Value": world.ref(world.transient.resource)}]


def test_extra_cluster_alarm(world: World) -> None:
    props = world.props_of(world.full_stack, world.full.cluster_alarms["Transient"]["Extra0"])
    props.pop("AlarmDescription")
    assert props == {
        "Namespace": "AWS/ElasticMapReduce",
        "MetricName": "MissingBlocks",
        "Dimensions": [{"Name": "JobFlowId", "Value": world.ref(world.transient.resource)}],
        "Statistic": "Average",
        "Period": 300,
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": 0,
        "EvaluationPeriods": 3,
        "TreatMissingData": "notBreaching",
        "AlarmActions": [world.topic_ref(world.full_stack, world.full)],
    }


@pytest.mark.parametrize(
    ("metric", "statistic", "comparison", "threshold", "periods"),
    [
        ("HealthStatus", "Minimum", "LessThanThreshold", 1, 3),
        ("PercentageDiskSpaceUsed", "Maximum", "GreaterThanThreshold", 80, 2),
    ],
)
def test_provisioned_warehouse_alarm(
    world: World, metric: str, statistic: str, comparison: str, threshold: int, periods: int
) -> None:
    props = world.props_of(world.full_stack, world.full.warehouse_alarms["Reporting"][metric])
    props.pop("AlarmDescription")
    assert props == {
        "Namespace": "AWS/Redshift",
        "MetricName": metric,
        "Dimensions": [{"Name": "ClusterIdentifier", "Value": world.ref(world.provisioned.resource)}],
        "Statistic": statistic,
        "Period": 300,
        "ComparisonOperator": comparison,
        "Threshold": threshold,
        "EvaluationPeriods": periods,
        "TreatMissingData": "notBreaching",
        "AlarmActions": [world.topic_ref(world.full_stack, world.full)],
    }


def test_serverless_warehouse_has_events_not_alarms(world: World) -> None:
    assert list(world.full.warehouse_alarms) == ["Reporting"]
    assert world.monitoring.warehouse_alarms == {}


def test_notify_routes_a_foreign_alarm_to_the_topic(world: World) -> None:
    props = world.props_of(world.full_stack, world.custom_alarm)
    assert props["AlarmActions"] == [world.topic_ref(world.full_stack, world.full)]
    assert "OKActions" not in props  # notify_on_ok=False


# -- event rules --------------------------------------------------------------------------------------------


def expected_patterns(world: World) -> dict[EventConcern, dict[str, Any]]:
    cluster = world.ref(world.analytics.resource)
    return {
        EventConcern.CLUSTER_TERMINATED_WITH_ERRORS: {
            "source": ["aws.emr"],
            "detail-type": ["EMR Cluster State Change"],
            "detail": {"state": ["TERMINATED_WITH_ERRORS"], "clusterId": [cluster]},
        },
        EventConcern.STEP_FAILED: {
            "source": ["aws.emr"],
            "detail-type": ["EMR Step Status Change"],
            "detail": {"state": ["FAILED", "CANCELLED"], "clusterId": [cluster]},
        },
        EventConcern.CAPACITY_PROBLEM: {
            "source": ["aws.emr"],
            "detail-type": [
                "EMR Instance Fleet State Change",
                "EMR Instance Group State Change",
                "EMR Instance Fleet Provisioning",
                "EMR Instance Group Provisioning",
                "EMR Instance Fleet Resize",
                "EMR Instance Group Resize",
            ],
            "detail": {"severity": ["WARN", "WARNING", "ERROR", "CRITICAL"], "clusterId": [cluster]},
        },
        EventConcern.SPOT_INTERRUPTION: {
            "source": ["aws.ec2"],
            "detail-type": ["EC2 Spot Instance Interruption Warning"],
        },
        EventConcern.GLUE_JOB_FAILED: {
            "source": ["aws.glue"],
            "detail-type": ["Glue Job State Change"],
            "detail": {"state": ["FAILED", "TIMEOUT", "STOPPED"], "jobName": [world.ref(world.job.resource)]},
        },
        EventConcern.CRAWLER_FAILED: {
            "source": ["aws.glue"],
            "detail-type": ["Glue Crawler State Change"],
            "detail": {"state": ["Failed"], "crawlerName": [world.ref(world.crawler.resource)]},
        },
        EventConcern.REDSHIFT_SERVERLESS: {
            "source": ["aws.redshift-serverless"],
            "detail-type": [
                "Redshift Serverless Management",
                "Redshift Serverless Data Sharing",
                "Redshift Serverless Rate change",
                "Redshift Serverless Base RPU Change",
                "Redshift Serverless Configuration",
                "Redshift Serverless Monitoring",
                "Redshift Serverless Security",
                "Redshift Serverless Pending",
            ],
        },
    }


@pytest.mark.parametrize("concern", PLATFORM_CONCERNS)
def test_event_rule(world: World, concern: EventConcern) -> None:
    props = world.props_of(world.stack, world.monitoring.rules[concern])
    assert props["EventPattern"] == expected_patterns(world)[concern]
    assert props["State"] == "ENABLED"
    assert props["Targets"] == [
        {
            "Arn": world.topic_ref(world.stack, world.monitoring),
            "Id": "Target0",
            "DeadLetterConfig": {"Arn": world.queue_arn(world.monitoring)},
            "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185},
        }
    ]


def test_undeliverable_events_wait_in_an_encrypted_queue_only_the_rules_may_fill(world: World) -> None:
    template = Template.from_json(world.template)
    template.has_resource_properties(
        "AWS::SQS::Queue", {"SqsManagedSseEnabled": True, "MessageRetentionPeriod": 14 * 24 * 3600}
    )
    policies = template.find_resources("AWS::SQS::QueuePolicy")
    (policy,) = policies.values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    send = [s for s in statements if s.get("Sid") == "AllowPlatformEventRulesToDeadLetter"]
    assert len(send) == 1
    assert send[0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert send[0]["Action"] == "sqs:SendMessage"
    assert len(send[0]["Condition"]["ArnEquals"]["aws:SourceArn"]) == len(world.monitoring.rules)
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
    )
    alarm = world.props_of(world.stack, world.monitoring.alarms[0])
    assert (alarm["MetricName"], alarm["Namespace"], alarm["Threshold"]) == (
        "ApproximateNumberOfMessagesVisible",
        "AWS/SQS",
        0,
    )


def test_rules_follow_what_is_watched_and_the_settings(world: World) -> None:
    assert set(world.full.rules) == {
        EventConcern.CLUSTER_TERMINATED_WITH_ERRORS,
        EventConcern.STEP_FAILED,
        EventConcern.CAPACITY_PROBLEM,
        EventConcern.GLUE_JOB_FAILED,
        EventConcern.REDSHIFT_SERVERLESS,
    }  # no crawler given, Spot warnings turned off
    pattern = world.props_of(world.full_stack, world.full.rules[EventConcern.STEP_FAILED])["EventPattern"]
    assert pattern["detail"]["clusterId"] == [world.ref(world.analytics.resource), world.ref(world.transient.resource)]


# -- topic, key, subscriptions ------------------------------------------------------------------------------


def rule_arns(world: World, stack: Stack, rules: list[events.Rule]) -> list[dict[str, Any]]:
    return [{"Fn::GetAtt": [stack.resolve(rule.node.default_child.logical_id), "Arn"]} for rule in rules]  # type: ignore[union-attr]


def test_topic_policy_lets_only_cloudwatch_alarms_and_the_rules_publish(world: World) -> None:
    topic = world.topic_ref(world.stack, world.monitoring)
    policies = Template.from_json(world.template).find_resources("AWS::SNS::TopicPolicy")
    assert len(policies) == 1
    (policy,) = policies.values()
    assert policy["Properties"]["Topics"] == [topic]
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Sid": "AllowPublishThroughSSLOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": topic,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "DenyPublishingByAnyoneButAwsServices",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": topic,
            "Condition": {"Bool": {"aws:PrincipalIsAWSService": "false"}},
        },
        {
            "Sid": "AllowCloudWatchAlarmsToPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": arn("cloudwatch", "alarm:*")},
            },
        },
        {
            "Sid": "AllowPlatformEventRulesToPublish",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic,
            "Condition": {
                "ArnEquals": {
                    "aws:SourceArn": rule_arns(
                        world, world.stack, [world.monitoring.rules[c] for c in PLATFORM_CONCERNS]
                    )
                }
            },
        },
    ]


def test_rules_added_later_may_publish_too(world: World) -> None:
    (policy,) = Template.from_json(world.full_template).find_resources("AWS::SNS::TopicPolicy").values()
    statement = policy["Properties"]["PolicyDocument"]["Statement"][-1]
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == rule_arns(
        world, world.full_stack, [*world.full.rules.values(), world.custom_rule]
    )


def test_topic_is_encrypted_with_the_monitoring_key(world: World) -> None:
    props = world.props_of(world.stack, world.monitoring.topic)
    key_id = world.stack.resolve(world.monitoring.key.node.default_child.logical_id)  # type: ignore[union-attr]
    assert props == {"KmsMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]}}


def test_key_is_rotated_and_usable_only_by_alarms_and_rules_for_topics_here(world: World) -> None:
    props = world.props_of(world.stack, world.monitoring.key)
    assert props["EnableKeyRotation"] is True
    statements = props["KeyPolicy"]["Statement"]
    assert statements[0] == {
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Join": ["", ["arn:", PARTITION, ":iam::", ACCOUNT, ":root"]]}},
        "Action": "kms:*",
        "Resource": "*",
    }

    def service_statement(sid: str, service: str, source: dict[str, Any]) -> dict[str, Any]:
        return {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": source},
                "StringLike": {"kms:EncryptionContext:aws:sns:topicArn": arn("sns", "*")},
            },
        }

    assert statements[1:] == [
        DENY_GRANTS,
        service_statement("AllowCloudWatchAlarmsToUseTheKey", "cloudwatch.amazonaws.com", arn("cloudwatch", "alarm:*")),
        service_statement("AllowEventBridgeRulesToUseTheKey", "events.amazonaws.com", arn("events", "rule/*")),
    ]


def test_key_and_topic_logical_ids_are_stable(world: World) -> None:
    """Renaming them would replace the key (retained, orphaned) and the topic (every subscriber re-confirms)."""
    assert world.stack.resolve(world.monitoring.key.node.default_child.logical_id) == "MonitoringKey61F0DC42"  # type: ignore[union-attr]
    assert world.stack.resolve(world.monitoring.topic.node.default_child.logical_id) == "MonitoringTopic2EDA8B02"  # type: ignore[union-attr]
    key = world.template["Resources"]["MonitoringKey61F0DC42"]
    assert (key["DeletionPolicy"], key["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_subscriptions(world: World) -> None:
    subscriptions = Template.from_json(world.full_template).find_resources("AWS::SNS::Subscription")
    topic = world.topic_ref(world.full_stack, world.full)
    assert sorted((s["Properties"]["Protocol"], s["Properties"]["Endpoint"]) for s in subscriptions.values()) == [
        ("email", "data-platform-alerts@example.com"),
        ("https", "https://hooks.example.com/services/platform"),
    ]
    assert all(s["Properties"]["TopicArn"] == topic for s in subscriptions.values())
    # A notification SNS cannot deliver to a subscriber waits in the dead-letter queue.
    queue = world.full.dead_letter_queue.node.default_child
    dead_letter = {"Fn::GetAtt": [world.full_stack.resolve(queue.logical_id), "Arn"]}  # type: ignore[union-attr]
    assert all(s["Properties"]["RedrivePolicy"] == {"deadLetterTargetArn": dead_letter} for s in subscriptions.values())
    assert Template.from_json(world.template).find_resources("AWS::SNS::Subscription") == {}


# -- dashboard ----------------------------------------------------------------------------------------------


def dashboard_widgets(template: dict[str, Any], stack: Stack, monitoring: PlatformMonitoring) -> list[dict[str, Any]]:
    resource = template["Resources"][stack.resolve(monitoring.dashboard.node.default_child.logical_id)]  # type: ignore[union-attr]
    body = resource["Properties"]["DashboardBody"]
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in body["Fn::Join"][1])
    widgets: list[dict[str, Any]] = json.loads(text)["widgets"]
    return widgets


def metric_names(widget: dict[str, Any]) -> set[str]:
    return {entry[1] for entry in widget.get("properties", {}).get("metrics", [])}


def test_dashboard_has_alarm_cluster_glue_and_warehouse_widgets(world: World) -> None:
    widgets = dashboard_widgets(world.template, world.stack, world.monitoring)
    titles = [w["properties"].get("title") for w in widgets]
    assert titles == [
        None,  # header text
        "Alarms",
        "Analytics: YARN applications",
        "Analytics: HDFS used (%)",
        "Analytics: nodes",
        "Analytics: capacity (managed scaling)",
        "Glue job TOKEN",
        "Warehouse: RPU capacity",
        "Warehouse: RPU seconds billed",
    ]
    by_title = {w["properties"].get("title"): w for w in widgets}
    assert len(by_title["Alarms"]["properties"]["alarms"]) == len(world.monitoring.alarms)
    assert metric_names(by_title["Analytics: YARN applications"]) == {
        "AppsRunning",
        "AppsPending",
        "YARNMemoryAvailablePercentage",
    }
    assert metric_names(by_title["Glue job TOKEN"]) == {
        "glue.driver.aggregate.numFailedTasks",
        "glue.driver.aggregate.numCompletedTasks",
        "glue.driver.aggregate.elapsedTime",
    }
    assert metric_names(by_title["Warehouse: RPU capacity"]) == {"ComputeCapacity"}


def test_dashboard_of_a_provisioned_warehouse_and_its_name(world: World) -> None:
    props = world.props_of(world.full_stack, world.full.dashboard)
    assert props["DashboardName"] == "emr-platform-test"
    widgets = dashboard_widgets(world.full_template, world.full_stack, world.full)
    names = set().union(*(metric_names(w) for w in widgets))
    assert {"CPUUtilization", "PercentageDiskSpaceUsed", "HealthStatus", "DatabaseConnections"} <= names


# -- whole-template checks ----------------------------------------------------------------------------------


def test_snapshot(world: World, template_snapshot: Any) -> None:
    assert template_snapshot == world.template


def test_no_nag_findings(world: World) -> None:
    assert_no_nag_findings(world.stack)
    assert_no_nag_findings(world.full_stack)


def test_cfn_lint_clean(world: World) -> None:
    assert {"monitoring": cfn_lint(world.template), "full": cfn_lint(world.full_template)} == {
        "monitoring": [],
        "full": [],
    }
