"""EMR Serverless applications are monitored in their compute stack's monitoring stack: alarm, rules, dashboard."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from stacks.platform_stage import PlatformStage


def _template(platform: dict[str, PlatformStage], env: str) -> dict[str, Any]:
    stage = platform[env]
    stack = next(s for s in stage.stacks if s.node.id == "ComputeMonitoring")
    return dict(Template.from_stack(stack).to_json())


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_failed_job_runs_raise_an_alarm_that_notifies_the_topic(platform: dict[str, PlatformStage], env: str) -> None:
    resources = _template(platform, env)["Resources"]
    alarms = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::CloudWatch::Alarm" and r["Properties"].get("Namespace") == "AWS/EMRServerless"
    ]
    assert len(alarms) == 1
    alarm = alarms[0]
    assert (alarm["MetricName"], alarm["Statistic"], alarm["Threshold"]) == ("FailedJobs", "Sum", 0)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold" and alarm["EvaluationPeriods"] == 1
    assert alarm["TreatMissingData"] == "notBreaching"
    assert [d["Name"] for d in alarm["Dimensions"]] == ["ApplicationId"]
    assert alarm["AlarmActions"], "the alarm must notify the platform's topic"


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_failed_runs_and_state_changes_are_routed_by_application_id(
    platform: dict[str, PlatformStage], env: str
) -> None:
    resources = _template(platform, env)["Resources"]
    rules = {
        r["Properties"]["Name"].rsplit("-", 1)[-1]: r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Events::Rule" and "emr-serverless" in json.dumps(r["Properties"]["EventPattern"])
    }
    assert set(rules) == {"ServerlessJobRunFailed", "ServerlessApplicationState"}
    failed = rules["ServerlessJobRunFailed"]["EventPattern"]
    assert failed["source"] == ["aws.emr-serverless"]
    assert failed["detail-type"] == ["EMR Serverless Job Run State Change"]
    assert failed["detail"]["state"] == ["FAILED"] and len(failed["detail"]["applicationId"]) == 1
    state = rules["ServerlessApplicationState"]["EventPattern"]
    assert state["detail-type"] == ["EMR Serverless Application State Change"]
    assert "state" not in state["detail"]
    for rule in rules.values():
        assert rule["Targets"] and rule["Targets"][0]["DeadLetterConfig"]


def test_dev_has_no_serverless_monitoring(platform: dict[str, PlatformStage]) -> None:
    assert "AWS/EMRServerless" not in json.dumps(_template(platform, "dev"))
