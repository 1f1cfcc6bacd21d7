"""The rehearsal's stand-in for CloudFormation's AWS::EMRServerless::Application (moto has no model for it)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from tools.rehearsal.serverless import ApplicationProblem, api_request, create_applications

APPLICATION = {
    "Type": "AWS::EMRServerless::Application",
    "Properties": {
        "Name": "qa-Spark",
        "ReleaseLabel": "emr-7.1.0",
        "Type": "Spark",
        "InitialCapacity": [
            {"Key": "Driver", "Value": {"WorkerCount": 1, "WorkerConfiguration": {"Cpu": "2 vCPU", "Memory": "4 GB"}}}
        ],
        "RuntimeConfiguration": [{"Classification": "spark-defaults", "Properties": {"spark.executor.cores": "4"}}],
        "MonitoringConfiguration": {
            "CloudWatchLoggingConfiguration": {
                "Enabled": True,
                "LogTypeMap": [{"Key": "SPARK_DRIVER", "Value": ["stderr"]}],
            }
        },
        "NetworkConfiguration": {"SecurityGroupIds": [{"Fn::GetAtt": ["Group", "GroupId"]}]},
        "Tags": [{"Key": "emr-platform:application", "Value": "spark"}],
    },
}


def test_template_properties_become_the_api_request() -> None:
    assert api_request(APPLICATION["Properties"]) == {
        "name": "qa-Spark",
        "releaseLabel": "emr-7.1.0",
        "type": "SPARK",
        "initialCapacity": {"Driver": {"workerCount": 1, "workerConfiguration": {"cpu": "2 vCPU", "memory": "4 GB"}}},
        "runtimeConfiguration": [{"classification": "spark-defaults", "properties": {"spark.executor.cores": "4"}}],
        "monitoringConfiguration": {
            "cloudWatchLoggingConfiguration": {"enabled": True, "logTypes": {"SPARK_DRIVER": ["stderr"]}}
        },
        "networkConfiguration": {"securityGroupIds": [{"Fn::GetAtt": ["Group", "GroupId"]}]},
        "tags": {"emr-platform:application": "spark"},
    }


def test_literal_properties_at_creation_the_rest_after_the_stack() -> None:
    with mock_aws():
        client = boto3.client("emr-serverless", region_name="eu-west-1")
        [created] = create_applications(client, {"Resources": {"Spark": APPLICATION}})
        application = client.get_application(applicationId=created.application_id)["application"]
    assert (application["name"], application["tags"]) == ("qa-Spark", {"emr-platform:application": "spark"})
    assert created.deferred == ("networkConfiguration",)
    assert created.dropped == ("monitoringConfiguration", "runtimeConfiguration")
    assert created.attributes == {
        None: created.application_id,
        "ApplicationId": created.application_id,
        "Arn": created.arn,
    }


def test_fails_name_not_a_literal() -> None:
    template = {
        "Resources": {
            "Spark": {**APPLICATION, "Properties": {**APPLICATION["Properties"], "Name": {"Ref": "AWS::StackName"}}}
        }
    }
    with mock_aws(), pytest.raises(ApplicationProblem) as problem:
        create_applications(boto3.client("emr-serverless", region_name="eu-west-1"), template)
    assert str(problem.value) == (
        "Spark (AWS::EMRServerless::Application): name reference other resources; the rehearsal creates "
        "applications through the API and needs them as literals"
    )


def test_fails_property_the_api_does_not_know() -> None:
    properties = {**APPLICATION["Properties"], "MaximumCapacity": {"Cpus": "4 vCPU"}}
    template = {"Resources": {"Spark": {**APPLICATION, "Properties": properties}}}
    with mock_aws(), pytest.raises(ApplicationProblem) as problem:
        create_applications(boto3.client("emr-serverless", region_name="eu-west-1"), template)
    assert str(problem.value).startswith(
        "Spark (AWS::EMRServerless::Application): CreateApplication refused: Parameter validation failed:\n"
        'Missing required parameter in maximumCapacity: "cpu"'
    )
