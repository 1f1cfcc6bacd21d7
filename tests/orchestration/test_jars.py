"""Jars from S3 (``SparkJars``): the ``--jars`` option, the exact-object grant, the preflight metadata, the rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from emr_constructs.discovery import JARS_METADATA
from emr_constructs.errors import EmrConfigError
from emr_constructs.network import ExistingNetwork
from emr_constructs.orchestration import (
    ClusterStepsPipeline,
    FlinkJob,
    ServerlessJobPipeline,
    SparkJars,
    WorkloadAssets,
    maven_fetch_problems,
)
from emr_constructs.orchestration.jars import jar_uris, maven_options
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.sources import DataCompute
from emr_constructs.storage import DataLake, Zone
from tests.catalog.policies import get_att, in_order, ref, role_statements
from tests.orchestration.definitions import definition, state_machine
from tests.orchestration.test_flink_jobs import FlinkCluster
from tests.orchestration.test_pipeline import StandInCluster
from tests.support import ROOT, TWO_AZ_NETWORK, nag_findings, new_app, new_stack

KEYS = ["jars/postgresql-42.7.4.jar", "jars/mysql-connector-j-9.1.0.jar"]


@dataclass
class Built:
    template: dict[str, Any]
    lake: DataLake
    jars: SparkJars
    reader: DataCompute
    steps: ClusterStepsPipeline
    serverless: ServerlessJobPipeline
    plain: ServerlessJobPipeline
    flink: ClusterStepsPipeline
    findings: list[str]


@pytest.fixture(scope="module")
def built() -> Built:
    app = new_app()
    stack = Stack(app, "Jobs")
    lake = DataLake(stack, "Lake")
    application = EmrServerlessApplication(
        stack, "Spark", network=ExistingNetwork(stack, "Network", props=TWO_AZ_NETWORK), lake=lake
    )
    assets = WorkloadAssets(
        stack, "Workloads", root=ROOT, package="workloads", entry_points={"batch": "workloads/batch/job.py"}
    )
    jars = SparkJars.from_bucket(lake.bucket(Zone.ARTIFACTS), KEYS)
    reader = DataCompute(role=iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com")))
    acknowledge_inline_policies(reader.role, "Test stand-in for a compute role.")
    jars.grant_read(reader)
    job = assets.spark_job("batch", name="batch-etl", arguments=["--date", "2026-11-27"], jars=jars)
    steps = ClusterStepsPipeline(stack, "Steps", cluster=StandInCluster(), jobs=[job])
    serverless = ServerlessJobPipeline(stack, "Serverless", application=application, jobs=[job])
    without = assets.spark_job("batch", name="batch-etl", arguments=[], spark_submit_options=["--conf", "a=b"])
    plain = ServerlessJobPipeline(stack, "Plain", application=application, jobs=[without])
    connector = FlinkJob(name="windows", script_uri="s3://b/windows.py", jars=("s3://connectors/kinesis.jar",))
    flink = ClusterStepsPipeline(stack, "Flink", cluster=FlinkCluster(), jobs=[connector])
    return Built(
        template=Template.from_stack(stack).to_json(),
        lake=lake,
        jars=jars,
        reader=reader,
        steps=steps,
        serverless=serverless,
        plain=plain,
        flink=flink,
        findings=nag_findings(app),
    )


def jar_uri(lake: DataLake, key: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["s3://", ref(lake.bucket(Zone.ARTIFACTS)), f"/{key}"]]}


def test_jars_go_to_spark_as_one_comma_separated_jars_option(built: Built) -> None:
    stack = Stack.of(built.lake)
    assert [stack.resolve(uri) for uri in built.jars.uris] == [jar_uri(built.lake, key) for key in KEYS]
    option, listed = built.jars.spark_submit_options
    assert option == "--jars"
    assert stack.resolve(listed) == {
        "Fn::Join": [
            "",
            ["s3://", ref(built.lake.bucket(Zone.ARTIFACTS)), f"/{KEYS[0]},s3://",
             ref(built.lake.bucket(Zone.ARTIFACTS)), f"/{KEYS[1]}"],
        ]
    }  # fmt: skip


def test_grant_reads_exactly_the_jar_objects_and_the_key_through_s3_for_that_bucket(built: Built) -> None:
    bucket = built.lake.bucket(Zone.ARTIFACTS)
    assert role_statements(built.template, built.reader.role) == [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": in_order([{"Fn::Join": ["", [get_att(bucket, "Arn"), f"/{key}"]]} for key in KEYS]),
        },
        {
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": [get_att(built.lake.key, "Arn")],
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": {"Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]},
                    "kms:EncryptionContext:aws:s3:arn": get_att(bucket, "Arn"),
                }
            },
        },
    ]


def machine(built: Built, pipeline: ClusterStepsPipeline | ServerlessJobPipeline) -> dict[str, Any]:
    return state_machine(built.template, pipeline)


def definition_text(built: Built, pipeline: ClusterStepsPipeline | ServerlessJobPipeline) -> str:
    return json.dumps(definition(built.template, pipeline, values="<ref>"))


def test_steps_and_job_runs_load_the_jars_after_the_package(built: Built) -> None:
    steps = json.loads(definition_text(built, built.steps))["States"]["batch-etl"]
    assert steps["Parameters"]["Step"]["HadoopJarStep"]["Args"] == [
        "spark-submit", "--py-files", "<ref>", "--jars", f"s3://<ref>/{KEYS[0]},s3://<ref>/{KEYS[1]}", "<ref>",
        "--date", "2026-11-27",
    ]  # fmt: skip
    run = json.loads(definition_text(built, built.serverless))["States"]["batch-etl"]
    assert run["Parameters"]["JobDriver"]["SparkSubmit"]["SparkSubmitParameters"] == (
        f"--py-files <ref> --jars s3://<ref>/{KEYS[0]},s3://<ref>/{KEYS[1]}"
    )


def test_each_pipeline_records_the_jars_its_jobs_load_for_preflight(built: Built) -> None:
    expected = [jar_uri(built.lake, key) for key in KEYS]
    assert machine(built, built.steps)["Metadata"][JARS_METADATA] == expected
    assert machine(built, built.serverless)["Metadata"][JARS_METADATA] == expected
    assert JARS_METADATA not in machine(built, built.plain).get("Metadata", {})
    assert machine(built, built.flink)["Metadata"][JARS_METADATA] == ["s3://connectors/kinesis.jar"]


def test_no_unacknowledged_nag_findings(built: Built) -> None:
    assert built.findings == []


def test_jars_named_in_options_are_found_in_every_spelling() -> None:
    assert jar_uris(["--jars", "s3://a/x.jar,s3://a/y.jar", "--jars=s3://b/z.jar,local:/opt/l.jar"]) == [
        "s3://a/x.jar",
        "s3://a/y.jar",
        "s3://b/z.jar",
    ]
    assert jar_uris(["--jars s3://a/x.jar", "--py-files", "s3://a/p.zip"]) == ["s3://a/x.jar"]
    assert jar_uris(["--conf", "spark.jars=s3://a/x.jar"]) == []


def test_maven_rule_passes_with_egress_or_without_maven_options() -> None:
    packages = ["--packages", "org.postgresql:postgresql:42.7.4"]
    assert maven_fetch_problems(packages, internet_egress=True) == []
    assert maven_fetch_problems(["--jars", "s3://a/x.jar", "--conf", "spark.jars=x"], internet_egress=False) == []
    assert maven_options(["--conf=spark.jars.packages=a:b:1", "--repositories", "r"]) == [
        "spark.jars.packages",
        "--repositories",
    ]


def test_fails_maven_packages_without_internet_egress_in_the_library_words() -> None:
    [problem] = maven_fetch_problems(["--packages", "a:b:1"], internet_egress=False)
    assert problem.message("Jobs/Batch") == (
        "Jobs/Batch: spark_submit_options=['--packages', 'a:b:1'] is invalid: the network has no internet egress: "
        "Spark cannot download packages from Maven Central at job start (--packages); allowed: ship the jar: "
        "SparkJars.from_bucket(bucket, object_keys) (object keys in the artifacts bucket, passed to Spark as --jars "
        "s3://...), and no --packages, --repositories or --conf spark.jars.packages/spark.jars.repositories"
    )


def test_fails_jar_keys_of_from_bucket() -> None:
    bucket = s3.Bucket(new_stack(), "Artifacts")
    with pytest.raises(EmrConfigError) as raised:
        SparkJars.from_bucket(bucket, ["s3://b/jars/a.jar", "jars/a.txt"])
    allowed = (
        "allowed: an S3 object key ending in '.jar', without a leading '/', 's3://', commas or spaces, "
        "e.g. 'jars/postgresql-42.7.4.jar'"
    )
    assert str(raised.value).splitlines() == [
        "SparkJars.from_bucket(): object_keys[0]='s3://b/jars/a.jar' is invalid: a URI, not an object key (the "
        f"bucket is given separately); {allowed}",
        f"SparkJars.from_bucket(): object_keys[1]='jars/a.txt' is invalid: not a jar; {allowed}",
    ]
    with pytest.raises(EmrConfigError) as empty:
        SparkJars.from_bucket(bucket, [])
    assert str(empty.value) == (
        "SparkJars.from_bucket(): object_keys=[] is invalid: no jar given; allowed: 1 or more keys"
    )


def test_fails_no_files() -> None:
    with pytest.raises(EmrConfigError) as raised:
        SparkJars([])
    assert str(raised.value) == "SparkJars(): files=0 is invalid: no jar given; allowed: 1 or more S3File"


def test_fails_from_bucket_with_wrong_types() -> None:
    with pytest.raises(EmrConfigError) as raised:
        SparkJars.from_bucket("artifacts", "jars/a.jar")  # type: ignore[arg-type]
    assert str(raised.value).splitlines() == [
        "SparkJars.from_bucket(): bucket=<builtins.str> is invalid: wrong type; allowed: IBucket",
        "SparkJars.from_bucket(): object_keys=<builtins.str> is invalid: wrong type; allowed: Sequence of str",
    ]
    jars = SparkJars.from_bucket(s3.Bucket(new_stack(), "Artifacts"), ["jars/a.jar"])
    with pytest.raises(EmrConfigError) as grant:
        jars.grant_read("arn:aws:iam::111122223333:role/x")  # type: ignore[arg-type]
    assert str(grant.value).startswith(
        "SparkJars.grant_read(): compute=<builtins.str> is invalid: wrong type; allowed: IDataCompute"
    )


def test_fails_jars_given_twice_to_a_job(built: Built) -> None:
    stack = new_stack()
    assets = WorkloadAssets(
        stack, "Workloads", root=ROOT, package="workloads", entry_points={"batch": "workloads/batch/job.py"}
    )
    jars = SparkJars.from_bucket(s3.Bucket(stack, "Artifacts"), ["jars/a.jar"])
    with pytest.raises(EmrConfigError) as raised:
        assets.spark_job("batch", name="b", arguments=[], spark_submit_options=["--jars", "s3://x/b.jar"], jars=jars)
    assert str(raised.value) == (
        "Test/Workloads.spark_job(): spark_submit_options=['--jars', 's3://x/b.jar'] is invalid: --jars is given "
        "twice (spark-submit keeps only the last one); allowed: the jars in 'jars' only"
    )
