"""Starting pipelines in moto: what the definition names must exist there, and the execution must be accepted."""

from __future__ import annotations

import json

import boto3
from moto import mock_aws

from tools.rehearsal.pipelines import start_pipelines

ROLE = "arn:aws:iam::123456789012:role/pipeline"


def machine(definition: dict[str, object]) -> None:
    boto3.client("stepfunctions", region_name="eu-west-1").create_state_machine(
        name="p", definition=json.dumps(definition), roleArn=ROLE
    )


@mock_aws
def test_a_pipeline_naming_a_cluster_moto_does_not_have_is_a_problem() -> None:
    step = {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:addStep.sync",
        "End": True,
        "Parameters": {"ClusterId": "j-NOTTHERE", "Step": {"HadoopJarStep": {"Args.$": "States.Array($.run.date)"}}},
    }
    machine({"StartAt": "s", "States": {"s": step}})
    [run] = start_pipelines(boto3.Session(region_name="eu-west-1"))
    assert (run.status, run.targets, run.dated) == ("RUNNING", ("cluster j-NOTTHERE",), True)
    assert run.problems == ("p: state s names cluster j-NOTTHERE, not in moto",)


@mock_aws
def test_a_pipeline_on_an_existing_application_starts_without_problems() -> None:
    serverless = boto3.client("emr-serverless", region_name="eu-west-1")
    application = serverless.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")["applicationId"]
    step = {
        "Type": "Task",
        "Resource": "arn:aws:states:::emr-serverless:startJobRun.sync",
        "End": True,
        "Parameters": {"ApplicationId": application},
    }
    machine({"StartAt": "s", "States": {"s": step}})
    [run] = start_pipelines(boto3.Session(region_name="eu-west-1"))
    assert (run.targets, run.dated, run.problems) == ((f"application {application}",), False, ())
