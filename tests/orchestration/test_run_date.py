"""RUN_DATE: a pipeline whose job takes it resolves the run's day per execution and keeps it to the last job."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.orchestration import (
    RUN_DATE,
    ClusterStepsPipeline,
    ServerlessJobPipeline,
    SparkJob,
    TransientClusterPipeline,
    TransientClusterProps,
)
from tests.orchestration.definitions import definition
from tests.orchestration.test_pipeline import StandInCluster
from tests.support import new_app

START_DAY = "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)"
DATED = SparkJob(name="daily", script_uri="s3://bucket/daily.py", arguments=("--date", RUN_DATE, "--x", "1"))
PLAIN = SparkJob(name="after", script_uri="s3://bucket/after.py", arguments=("--y",))


class StandInApplication:
    application_id = "00abcdefghijklmn"
    application_arn = "arn:aws:emr-serverless:us-east-1:111122223333:/applications/00abcdefghijklmn"

    def __init__(self, stack: Stack) -> None:
        self.runtime_role = iam.Role.from_role_arn(stack, "Runtime", "arn:aws:iam::111122223333:role/runtime")


_TEMPLATES: dict[str, dict[str, Any]] = {}


def definition_of(pipeline: Any) -> dict[str, Any]:
    stack = Stack.of(pipeline)
    if stack.stack_name not in _TEMPLATES:  # one synth of the stack for the module
        _TEMPLATES[stack.stack_name] = Template.from_stack(stack).to_json()
    return definition(_TEMPLATES[stack.stack_name], pipeline, values="<ref>")


@pytest.fixture(scope="module")
def pipelines() -> dict[str, Any]:
    app = new_app()
    stack = Stack(app, "Dated")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=1, nat_gateways=0)
    groups = [ec2.SecurityGroup(stack, f"G{i}", vpc=vpc) for i in range(3)]
    role = iam.Role.from_role_arn(stack, "Any", "arn:aws:iam::111122223333:role/any")
    return {
        "steps": ClusterStepsPipeline(stack, "Steps", cluster=StandInCluster(), jobs=[DATED, PLAIN]),
        "plain": ClusterStepsPipeline(stack, "Plain", cluster=StandInCluster(), jobs=[PLAIN]),
        "serverless": ServerlessJobPipeline(stack, "Serverless", application=StandInApplication(stack), jobs=[DATED]),
        "transient": TransientClusterPipeline(
            stack,
            "Transient",
            cluster=TransientClusterProps(),
            jobs=[DATED, PLAIN],
            service_role=role,
            instance_role=role,
            autoscaling_role=role,
            subnet_id="subnet-0a1b2c3d",
            primary_security_group=groups[0],
            core_security_group=groups[1],
            service_access_security_group=groups[2],
            security_configuration_name="sc",
            log_uri="s3://logs/",
        ),
    }


def test_steps_start_by_resolving_the_run_date_and_every_job_keeps_its_input(pipelines: dict[str, Any]) -> None:
    states = definition_of(pipelines["steps"])["States"]
    assert definition_of(pipelines["steps"])["StartAt"] == "RunDate"
    assert states["RunDate"] == {
        "Type": "Choice",
        "Choices": [{"Variable": "$.date", "IsPresent": True, "Next": "GivenDate"}],
        "Default": "StartDate",
    }
    assert states["GivenDate"] == {
        "Type": "Pass", "ResultPath": "$.run", "Parameters": {"date.$": "$.date"}, "Next": "daily"
    }  # fmt: skip
    assert states["StartDate"] == {
        "Type": "Pass", "ResultPath": "$.run", "Parameters": {"date.$": START_DAY}, "Next": "daily"
    }  # fmt: skip
    daily = states["daily"]
    assert daily["ResultPath"] is None and daily["Next"] == "after"
    assert daily["Parameters"]["Step"]["HadoopJarStep"] == {
        "Jar": "command-runner.jar",
        "Args.$": "States.Array('spark-submit', 's3://bucket/daily.py', '--date', $.run.date, '--x', '1')",
    }
    # A job without RUN_DATE keeps plain arguments, and still passes $.run on.
    assert states["after"]["Parameters"]["Step"]["HadoopJarStep"]["Args"] == [
        "spark-submit",
        "s3://bucket/after.py",
        "--y",
    ]
    assert states["after"]["ResultPath"] is None


def test_a_pipeline_without_run_date_is_unchanged(pipelines: dict[str, Any]) -> None:
    definition = definition_of(pipelines["plain"])
    assert definition["StartAt"] == "after" and "ResultPath" not in definition["States"]["after"]
    assert not pipelines["plain"].uses_run_date and pipelines["steps"].uses_run_date


def test_serverless_job_run_arguments_take_the_run_date(pipelines: dict[str, Any]) -> None:
    state = definition_of(pipelines["serverless"])["States"]["daily"]
    assert state["ResultPath"] is None
    assert state["Parameters"]["JobDriver"]["SparkSubmit"] == {
        "EntryPoint": "s3://bucket/daily.py",
        "EntryPointArguments.$": "States.Array('--date', $.run.date, '--x', '1')",
    }


def test_transient_steps_discard_their_result_so_the_cluster_id_reaches_terminate(pipelines: dict[str, Any]) -> None:
    states = definition_of(pipelines["transient"])["States"]
    assert definition_of(pipelines["transient"])["StartAt"] == "RunDate"
    branch = states["RunSteps"]["Branches"][0]["States"]
    assert branch["daily"]["ResultPath"] is None and branch["after"]["ResultPath"] is None
    assert branch["daily"]["Parameters"]["ClusterId.$"] == "$.Cluster.ClusterId"
    assert "$.run.date" in branch["daily"]["Parameters"]["Step"]["HadoopJarStep"]["Args.$"]
