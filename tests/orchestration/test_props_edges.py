"""The orchestration rules one by one, each test building what it checks (no module fixture), by exact message."""

from __future__ import annotations

import pytest
from aws_cdk import Fn, Stack, Token
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from emr_constructs.cluster.applications import Application
from emr_constructs.orchestration import FLINK_LAUNCHER, FlinkJob, SparkJob, TransientClusterProps
from emr_constructs.orchestration.jars import (
    JAR_KEY_ALLOWED,
    jar_key_problems,
    jar_uris,
    maven_fetch_problems,
    maven_options,
    record_jars,
)
from tests.support import new_app

#: A deploy-time value that is not an s3:// URI when read at synth (a Ref rendered as a token string).
TOKEN = Token.as_string(Fn.ref("Somewhere"))


def test_fails_spark_job_name_and_script() -> None:
    assert [p.message("j") for p in SparkJob(name="", script_uri="jobs/a.py").problems()] == [
        "j: name='' is invalid: not an EMR step name; allowed: 1-256 printable characters",
        "j: script_uri='jobs/a.py' is invalid: EMR runs scripts from S3; allowed: an s3:// URI",
    ]
    assert SparkJob(name="x" * 256, script_uri=TOKEN).problems() == []
    assert [p.field for p in SparkJob(name="x" * 257, script_uri="s3://b/a.py").problems()] == ["name"]


def test_spark_job_step_is_spark_submit_of_options_script_and_arguments() -> None:
    job = SparkJob(name="a", script_uri="s3://b/a.py", arguments=("--x", "1"), spark_submit_options=("--py-files", "z"))
    assert job.spark_submit() == ["spark-submit", "--py-files", "z", "s3://b/a.py", "--x", "1"]
    assert job.step_arguments() == job.spark_submit()


def test_flink_job_says_whether_it_is_detached_and_accepts_tokens() -> None:
    attached = FlinkJob(name="w", script_uri=TOKEN, jars=(TOKEN,), python_files=(TOKEN,), detached=False)
    assert attached.problems() == []
    assert attached.step_arguments()[:7] == ["bash", "-c", FLINK_LAUNCHER, "flink-step", "w", "false", TOKEN]
    assert FlinkJob(name="w", script_uri="s3://b/j.py").step_arguments()[5] == "true"


def test_transient_cluster_core_count_edges_and_applications_of_the_release() -> None:
    assert TransientClusterProps(core_instance_count=1).problems() == []
    assert [p.message("c") for p in TransientClusterProps(core_instance_count=257).problems()] == [
        "c: core_instance_count=257 is invalid: out of range; allowed: 1-256"
    ]
    problems = TransientClusterProps(release_label="emr-5.36.2", applications=(Application.TRINO,)).problems()
    [message] = [p.message("c") for p in problems]
    assert message.startswith("c: applications[0]='Trino' is invalid: not in emr-5.36.2; allowed: ")
    assert ", Spark, " in message and "Trino" not in message.split("allowed: ")[1]


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("", "empty"),
        ("/jars/x.jar", "S3 object keys do not start with '/'"),
        ("jars/a b.jar", "a comma or space would split it on --jars"),
        ("jars/a,b.jar", "a comma or space would split it on --jars"),
        ("jars/x.zip", "not a jar"),
        ("s3://b/x.jar", "a URI, not an object key (the bucket is given separately)"),
    ],
)
def test_fails_jar_key(key: str, why: str) -> None:
    assert [p.message("p") for p in jar_key_problems("jars", ["ok.jar", key])] == [
        f"p: jars[1]={key!r} is invalid: {why}; allowed: {JAR_KEY_ALLOWED}"
    ]


def test_fails_jar_key_listed_twice_and_skips_tokens() -> None:
    assert [p.message("p") for p in jar_key_problems("jars", ["a.jar", "b.jar", "a.jar"])] == [
        f"p: jars[2]='a.jar' is invalid: listed twice; allowed: {JAR_KEY_ALLOWED}"
    ]
    assert jar_key_problems("jars", [TOKEN, "a.jar"]) == []


def test_jar_uris_are_the_remote_ones_on_jars() -> None:
    options = ["--jars", "s3://b/a.jar,file:/x.jar,local:/y.jar,/z.jar,,s3://b/c.jar", "--jars=s3://b/d.jar"]
    assert jar_uris(options) == ["s3://b/a.jar", "s3://b/c.jar", "s3://b/d.jar"]
    assert jar_uris(["--conf", "spark.x=1", "--jars"]) == []  # nothing after the last --jars


def test_maven_options_read_names_before_the_first_equals_sign() -> None:
    options = ["--packages", "x:y:1", "--conf", "spark.jars.repositories=https://repo/path?a=b", "--conf=spark.x=1"]
    assert maven_options(options) == ["--packages", "spark.jars.repositories"]
    assert maven_options(["--conf spark.jars.packages=a:b:1"]) == ["spark.jars.packages"]


def test_fails_maven_options_without_egress_naming_each() -> None:
    options = ["--repositories", "https://repo", "--packages", "x:y:1"]
    assert maven_fetch_problems(options, internet_egress=True) == []
    [problem] = maven_fetch_problems(options, internet_egress=False, network="qa's network", jars="pipelines.D.jars")
    assert problem.rule == (
        "qa's network has no internet egress: Spark cannot download packages from Maven Central at job start "
        "(--repositories, --packages)"
    )
    assert problem.allowed.startswith("ship the jar: pipelines.D.jars (object keys in the artifacts bucket")


def test_record_jars_writes_the_jars_of_the_jobs_on_the_resource_once() -> None:
    stack = Stack(new_app(), "S")
    with_jars, without = s3.Bucket(stack, "A"), s3.Bucket(stack, "B")
    spark = SparkJob(name="a", script_uri="s3://b/a.py", spark_submit_options=("--jars", "s3://b/j.jar"))
    flink = FlinkJob(name="f", script_uri="s3://b/f.py", jars=("s3://b/k.jar", "s3://b/j.jar"))
    record_jars(with_jars, [spark, flink])
    record_jars(without, [SparkJob(name="a", script_uri="s3://b/a.py")])
    template = Template.from_stack(stack).to_json()["Resources"]
    metadata = {k[0]: r.get("Metadata", {}).get("emr-platform:jars") for k, r in template.items()}
    assert metadata == {"A": ["s3://b/j.jar", "s3://b/k.jar"], "B": None}
