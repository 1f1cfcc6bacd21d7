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


def create_cluster_state(**parameters: object) -> dict[str, object]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:createCluster.sync",
        "End": True,
        "Parameters": {
            "Name": "transient",
            "ReleaseLabel": "emr-7.14.0",
            "Applications": [{"Name": "Spark"}],
            "Instances": {
                "InstanceGroups": [
                    {"InstanceCount": 1, "InstanceRole": "MASTER", "InstanceType": "m7g.xlarge"},
                    {"InstanceCount": 2, "InstanceRole": "CORE", "InstanceType": "m7g.xlarge"},
                ],
                "KeepJobFlowAliveWhenNoSteps": True,
            },
            "ServiceRole": "emr-service",
            "JobFlowRole": "emr-instance",
            "VisibleToAllUsers": True,
            **parameters,
        },
    }


def emr_roles(profile: bool) -> None:
    iam = boto3.client("iam", region_name="eu-west-1")
    for name in ("emr-service", "emr-instance"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    if profile:
        iam.create_instance_profile(InstanceProfileName="emr-instance")
        iam.add_role_to_instance_profile(InstanceProfileName="emr-instance", RoleName="emr-instance")


@mock_aws
def test_a_transient_cluster_is_created_in_moto_and_terminated() -> None:
    emr_roles(profile=True)
    machine({"StartAt": "s", "States": {"s": create_cluster_state()}})
    [run] = start_pipelines(boto3.Session(region_name="eu-west-1"))
    assert run.problems == ()
    [target] = run.targets
    cluster_id = target.removeprefix("creates cluster (").removesuffix(", terminated)")
    cluster = boto3.client("emr", region_name="eu-west-1").describe_cluster(ClusterId=cluster_id)["Cluster"]
    assert cluster["Status"]["State"] in ("TERMINATING", "TERMINATED")
    assert cluster["ReleaseLabel"] == "emr-7.14.0"


@mock_aws
def test_a_transient_cluster_naming_what_moto_lacks_is_a_problem_and_not_created() -> None:
    # The role exists but no instance profile of its name: RunJobFlow would fail on the first run.
    emr_roles(profile=False)
    state = create_cluster_state(
        Instances={"Ec2SubnetId": "subnet-0a1b2c3d", "EmrManagedMasterSecurityGroup": "sg-0a1b2c3d"},
        SecurityConfiguration="missing-configuration",
    )
    machine({"StartAt": "s", "States": {"s": state}})
    [run] = start_pipelines(boto3.Session(region_name="eu-west-1"))
    assert run.targets == ("creates cluster",)
    assert run.problems == (
        "p: state s: instance profile (JobFlowRole) emr-instance not found",
        "p: state s: subnet subnet-0a1b2c3d not found",
        "p: state s: security group (EmrManagedMasterSecurityGroup) sg-0a1b2c3d not found",
        "p: state s: security configuration missing-configuration not found",
    )
    assert boto3.client("emr", region_name="eu-west-1").list_clusters()["Clusters"] == []
