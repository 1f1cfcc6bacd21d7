"""Flink jobs as EMR steps: the step a pipeline adds, where they may run, and their rules (by message)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.cluster.applications import Application
from emr_constructs.errors import EmrConfigError
from emr_constructs.orchestration import (
    FLINK_LAUNCHER,
    RUN_DATE,
    ClusterStepsPipeline,
    FlinkJob,
    ServerlessJobPipeline,
    SparkJob,
    TransientClusterPipeline,
    TransientClusterProps,
    WorkloadAssets,
    streaming_arguments,
)
from emr_constructs.sources import DataCompute, DynamoTable, KinesisStream, KinesisStreamProps
from emr_constructs.storage import DataLake
from tests.orchestration.definitions import definition
from tests.orchestration.test_pipeline import CLUSTER_ARN, CLUSTER_ID, StandInApplication, StandInCluster
from tests.support import ROOT, nag_findings, new_app


class FlinkCluster(StandInCluster):
    """A cluster that says which applications it has, as EmrCluster does."""

    applications = (Application.HADOOP, Application.SPARK, Application.FLINK)


class SparkOnlyCluster(StandInCluster):
    applications = (Application.HADOOP, Application.SPARK)


@dataclass
class Built:
    template: dict[str, Any]
    pipeline: ClusterStepsPipeline
    dated: ClusterStepsPipeline
    findings: list[str]


@pytest.fixture(scope="module")
def built() -> Built:
    app = new_app()
    stack = Stack(app, "Streaming")
    lake = DataLake(stack, "Lake")
    stream = KinesisStream(stack, "Events", props=KinesisStreamProps(consumer_name="flink"))
    sink = DynamoTable(stack, "Windows")
    assets = WorkloadAssets(
        stack, "Workloads", root=ROOT, package="workloads", entry_points={"streaming": "workloads/streaming/job.py"}
    )
    job = assets.flink_job(
        "streaming",
        name="streaming-windows",
        arguments=streaming_arguments(stream=stream, lake=lake, sink=sink),
        jars=["s3://connectors/flink-sql-connector-kinesis.jar"],
        properties={"parallelism.default": "2"},
    )
    pipeline = ClusterStepsPipeline(stack, "Streaming", cluster=FlinkCluster(), jobs=[job])
    dated = ClusterStepsPipeline(
        stack,
        "Dated",
        cluster=FlinkCluster(),
        jobs=[FlinkJob(name="replay", script_uri="s3://b/replay.py", arguments=("--date", RUN_DATE), detached=False)],
    )
    return Built(Template.from_stack(stack).to_json(), pipeline, dated, nag_findings(app))


def states_of(built: Built, pipeline: ClusterStepsPipeline) -> dict[str, Any]:
    states: dict[str, Any] = definition(built.template, pipeline)["States"]
    return states


def test_the_step_runs_the_launcher_with_the_package_on_pyfs_and_the_jars(built: Built) -> None:
    state = states_of(built, built.pipeline)["streaming-windows"]
    assert state["Parameters"]["ClusterId"] == CLUSTER_ID
    step = state["Parameters"]["Step"]
    assert (step["Name"], step["ActionOnFailure"], step["HadoopJarStep"]["Jar"]) == (
        "streaming-windows",
        "CONTINUE",
        "command-runner.jar",
    )
    args = step["HadoopJarStep"]["Args"]
    assert args[:6] == ["bash", "-c", FLINK_LAUNCHER, "flink-step", "streaming-windows", "true"]
    script, pyfs_count, package, jar_count, jar = args[6:11]
    assert script.startswith("<{'Fn::Sub': 's3://cdk-") and script.endswith(".py'}>")
    assert (pyfs_count, jar_count, jar) == ("1", "1", "s3://connectors/flink-sql-connector-kinesis.jar")
    assert package.endswith(".zip'}>")
    separator = args.index("--")
    assert args[11:separator] == [
        "--detached", "-pyclientexec", "python3", "-pyexec", "python3", "-Dparallelism.default=2",
    ]  # fmt: skip
    assert args[separator + 1 :: 2] == [
        "--stream-name",
        "--efo-consumer-name",
        "--output-path",
        "--sink-table",
        "--region",
    ]
    assert args[args.index("--efo-consumer-name") + 1] == "flink"
    assert args[args.index("--output-path") + 1].endswith("/streaming/window_aggregates/")


def test_the_role_adds_steps_to_its_cluster_only(built: Built) -> None:
    statements = [
        statement
        for resource in built.template["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        if "elasticmapreduce:AddJobFlowSteps" in statement["Action"]
    ]
    assert [s["Resource"] for s in statements] == [CLUSTER_ARN, CLUSTER_ARN]


def states_array(expression: str) -> list[str]:
    """The arguments of ``States.Array(...)`` as Step Functions reads them: literals unescaped (a backslash escapes
    the next character; an unescaped brace is a reserved character and fails), a path as itself."""
    assert expression.startswith("States.Array(") and expression.endswith(")")
    body, items, i = expression[len("States.Array(") : -1], [], 0
    while i < len(body):
        if body[i] == "'":
            i, chars = i + 1, []
            while body[i] != "'":
                if body[i] == "\\":
                    chars.append(body[i + 1])
                    i += 2
                    continue
                assert body[i] not in "{}", f"unescaped {body[i]!r} at {i}: {body[max(0, i - 30) : i + 30]!r}"
                chars.append(body[i])
                i += 1
            items.append("".join(chars))
            i += 1
        elif body.startswith("$.", i):
            end = body.find(",", i)
            end = len(body) if end < 0 else end
            items.append(body[i:end])
            i = end
        else:
            assert body[i] in ", ", f"unexpected {body[i]!r} at {i}"
            i += 1
    return items


def test_run_date_in_a_flink_job_is_filled_in_per_execution(built: Built) -> None:
    states = states_of(built, built.dated)
    step = states["replay"]["Parameters"]["Step"]["HadoopJarStep"]
    assert "Args" not in step
    job = built.dated.jobs[0]
    # The launcher (quotes, backslashes, braces) reaches the step exactly, the day from the execution.
    assert states_array(step["Args.$"]) == ["$.run.date" if arg == RUN_DATE else arg for arg in job.step_arguments()]
    assert states["RunDate"]["Type"] == "Choice"


def test_intrinsic_reader_refuses_an_unescaped_brace() -> None:
    assert states_array("States.Array('a\\{b\\}', $.run.date)") == ["a{b}", "$.run.date"]
    with pytest.raises(AssertionError, match=re.escape("unescaped '{'")):
        states_array("States.Array('a{b')")


def test_no_unacknowledged_nag_findings(built: Built) -> None:
    assert built.findings == []


def test_fails_flink_job_on_a_cluster_without_flink() -> None:
    stack = Stack(new_app(), "S")
    job = FlinkJob(name="windows", script_uri="s3://b/job.py")
    with pytest.raises(EmrConfigError) as raised:
        ClusterStepsPipeline(stack, "P", cluster=SparkOnlyCluster(), jobs=[job])
    assert str(raised.value) == (
        "S/P: cluster='Hadoop, Spark' is invalid: the Flink jobs windows need Flink on the cluster; "
        "allowed: applications including Flink"
    )
    # A cluster known by id only says nothing of its applications: nothing to check.
    ClusterStepsPipeline(stack, "ById", cluster=StandInCluster(), jobs=[job])


def test_fails_flink_job_on_a_transient_cluster_without_flink() -> None:
    stack = Stack(new_app(), "S")
    role = iam.Role(stack, "R", assumed_by=iam.ServicePrincipal("elasticmapreduce.amazonaws.com"))
    with pytest.raises(EmrConfigError) as raised:
        TransientClusterPipeline(
            stack,
            "P",
            cluster=TransientClusterProps(),
            jobs=[SparkJob(name="batch", script_uri="s3://b/a.py"), FlinkJob(name="replay", script_uri="s3://b/r.py")],
            service_role=role,
            instance_role=role,
            autoscaling_role=role,
            subnet_id="subnet-0a1b2c3d",
            primary_security_group=_group(stack, "A"),
            core_security_group=_group(stack, "B"),
            service_access_security_group=_group(stack, "C"),
            security_configuration_name="sec",
            log_uri="s3://logs/emr/",
        )
    assert str(raised.value) == (
        "S/P: cluster.applications='Spark' is invalid: the Flink jobs replay need Flink on the cluster; "
        "allowed: applications including Flink"
    )


def _group(stack: Stack, id: str) -> ec2.ISecurityGroup:
    return ec2.SecurityGroup.from_security_group_id(stack, id, f"sg-0a1b2c3{id.lower()}")


def test_fails_flink_job_on_emr_serverless() -> None:
    stack = Stack(new_app(), "S")
    with pytest.raises(EmrConfigError) as raised:
        ServerlessJobPipeline(
            stack, "P", application=StandInApplication(stack), jobs=[FlinkJob(name="w", script_uri="s3://b/j.py")]
        )
    assert str(raised.value) == (
        "S/P: jobs[0]=\"FlinkJob 'w'\" is invalid: EMR Serverless runs Spark and Hive, not Flink; "
        "allowed: a SparkJob; run Flink jobs on a cluster (ClusterStepsPipeline, TransientClusterPipeline)"
    )


def test_fails_flink_job_fields() -> None:
    job = FlinkJob(
        name="",
        script_uri="jobs/w.py",
        python_files=("workloads.zip",),
        jars=("s3://b/connector.zip", "/opt/k.jar"),
        properties=(("Parallelism", "2"), ("parallelism.default", "2")),
        python_executable="python3 -u",
    )
    assert [p.message("j") for p in job.problems()] == [
        "j: name='' is invalid: not an EMR step name; allowed: 1-256 printable characters",
        "j: script_uri='jobs/w.py' is invalid: EMR runs scripts from S3; allowed: an s3:// URI",
        "j: python_files[0]='workloads.zip' is invalid: the step copies them from S3; allowed: an s3:// URI",
        "j: jars[1]='/opt/k.jar' is invalid: the step copies them from S3; allowed: an s3:// URI",
        "j: jars[0]='s3://b/connector.zip' is invalid: not a jar; allowed: an s3:// URI ending in .jar",
        "j: properties[0]='Parallelism' is invalid: not a Flink configuration key; "
        "allowed: dotted lower-case words, e.g. parallelism.default",
        "j: python_executable='python3 -u' is invalid: not a command; "
        "allowed: a Python interpreter on every node, e.g. python3 or /usr/bin/python3.11",
    ]


def test_valid_flink_job_edges() -> None:
    job = FlinkJob(
        name="x" * 256,
        script_uri="s3://b/j.py",
        python_files=("s3://b/w.zip",),
        jars=("s3://b/k.jar",),
        properties=(("state.backend.type", "rocksdb"), ("taskmanager.numberOfTaskSlots", "2")),
        python_executable="/usr/bin/python3.11",
    )
    assert job.problems() == []
    assert FlinkJob(name="x" * 257, script_uri="s3://b/j.py").problems()[0].field == "name"


def test_assets_grant_read_of_named_entry_points_only() -> None:
    stack = Stack(new_app(), "S")
    assets = WorkloadAssets(
        stack,
        "W",
        root=ROOT,
        package="workloads",
        entry_points={"batch": "workloads/batch/job.py", "streaming": "workloads/streaming/job.py"},
    )
    role = iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    assets.grant_read(DataCompute(role=role), ["streaming"])
    [policy] = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    keys = [part["Fn::Join"][1][-1] for part in statement["Resource"]]
    expected = [assets.package.s3_object_key, assets.scripts["streaming"].s3_object_key]
    assert sorted(keys) == sorted(f"/{key}" for key in expected)
    with pytest.raises(EmrConfigError) as raised:
        assets.grant_read(DataCompute(role=role), ["batch", "stream"])
    assert str(raised.value) == (
        "S/W.grant_read(): entry_points[1]='stream' is invalid: no such entry point; allowed: batch, streaming"
    )
