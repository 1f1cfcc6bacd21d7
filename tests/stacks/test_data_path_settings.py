"""Settings of the data path (``sources``, ``pipelines``): each rule fails by its exact message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emr_constructs.errors import EmrConfigError
from stacks.settings import PipelineSettings, Workload, load_environment
from tests.stacks.test_settings import base, write_env

CLUSTER = {"Analytics": {}}
SERVERLESS = {"Spark": {}}
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:products-AbCdEf"
BROUGHT = {
    "existing": {"endpoint": "db.example.internal", "security_group_id": "sg-0123abcd", "secret_arn": SECRET_ARN}
}
SINK = {"partition_key": "event_date", "sort_key": "category"}


def failure(tmp_path: Path, **settings: Any) -> list[str]:
    config = write_env(tmp_path, "qa", base(compute={"clusters": CLUSTER, "serverless": SERVERLESS}, **settings))
    with pytest.raises(EmrConfigError) as raised:
        load_environment("qa", config)
    return str(raised.value).splitlines()


def test_the_bundled_environments_run_the_batch_etl_where_their_settings_say() -> None:
    where = {
        env: {name: (p.workload, p.cluster, p.serverless) for name, p in load_environment(env).pipelines.items()}
        for env in ("dev", "staging", "prod")
    }
    assert where == {
        "dev": {
            "DailyEvents": (Workload.BATCH_ETL, "Analytics", None),
            "Backfill": (Workload.BATCH_ETL, "Analytics", None),
            "StreamingWindows": (Workload.STREAMING, "Streaming", None),
        },
        "staging": {"DailyEvents": (Workload.BATCH_ETL, None, "Spark")},
        "prod": {
            "DailyEvents": (Workload.BATCH_ETL, "Analytics", None),
            "Backfill": (Workload.BATCH_ETL, "Analytics", None),
            "StreamingWindows": (Workload.STREAMING, "Streaming", None),
        },
    }
    # Backfill runs like Analytics, on a cluster of its own per execution.
    transient = {env: load_environment(env).pipelines["Backfill"].transient for env in ("dev", "prod")}
    assert {env: (t.core_instance_type, t.core_instance_count) for env, t in transient.items() if t} == {
        "dev": ("m7g.2xlarge", 2),
        "prod": ("m7g.2xlarge", 6),
    }
    dev, prod = load_environment("dev"), load_environment("prod")
    assert dev.sources.database is not None and dev.sources.database.create is not None
    assert prod.sources.database is not None and prod.sources.database.existing is not None
    assert (dev.pipelines["DailyEvents"].pipeline.schedule, prod.pipelines["DailyEvents"].pipeline.schedule) == (
        None,
        "cron(0 3 * * ? *)",
    )


def test_fails_database_created_where_the_environment_does_not_allow_destroy(tmp_path: Path) -> None:
    assert failure(tmp_path, sources={"database": {"create": {}}}) == [
        "config/qa.json: sources.database.create='set' is invalid: the library creates a database only where the "
        "environment allows destroy (dev); others bring theirs; allowed: sources.database.existing, or "
        "allow_destroy: true"
    ]


def test_fails_pipeline_on_an_unknown_cluster_and_without_its_sources(tmp_path: Path) -> None:
    assert failure(tmp_path, pipelines={"Daily": {"cluster": "Batch"}}) == [
        "config/qa.json: pipelines.Daily.cluster='Batch' is invalid: no such cluster; allowed: Analytics",
        "config/qa.json: pipelines.Daily.workload='batch_etl' is invalid: the batch ETL reads the dimension from "
        "sources.database and writes the aggregate to sources.sink; allowed: a 'sources' section with 'database' "
        "and 'sink'",
    ]


def test_fails_pipeline_on_an_unknown_serverless_application(tmp_path: Path) -> None:
    sources = {"database": BROUGHT, "sink": SINK}
    assert failure(tmp_path, sources=sources, pipelines={"Daily": {"serverless": "Flink"}}) == [
        "config/qa.json: pipelines.Daily.serverless='Flink' is invalid: no such serverless application; allowed: Spark"
    ]


@pytest.mark.parametrize("where", [{}, {"cluster": "Analytics", "serverless": "Spark"}])
def test_fails_pipeline_that_runs_on_no_compute_or_two(tmp_path: Path, where: dict[str, str]) -> None:
    sources = {"database": BROUGHT, "sink": SINK}
    cluster = where.get("cluster")
    assert failure(tmp_path, sources=sources, pipelines={"Daily": where}) == [
        f"config/qa.json: pipelines.Daily.cluster={cluster!r} is invalid: a pipeline runs on one compute; "
        "allowed: exactly one of 'cluster' (steps) and 'serverless' (job runs)"
    ]


def test_fails_pipeline_key_that_is_not_a_construct_id(tmp_path: Path) -> None:
    sources = {"database": BROUGHT, "sink": SINK}
    assert failure(tmp_path, sources=sources, pipelines={"daily-etl": {"cluster": "Analytics"}}) == [
        "config/qa.json: pipelines.daily-etl='daily-etl' is invalid: not a usable construct id; allowed: letters "
        "and digits, starting with a capital letter (e.g. 'Analytics')"
    ]


def test_fails_stream_readers_unknown_or_without_a_stream(tmp_path: Path) -> None:
    assert failure(tmp_path, sources={"stream_readers": ["Ghost"]}) == [
        "config/qa.json: sources.stream_readers=['Ghost'] is invalid: no stream to read; allowed: an empty list, "
        "or a 'stream' section",
        "config/qa.json: sources.stream_readers[0]='Ghost' is invalid: no such cluster or serverless application; "
        "allowed: Analytics, Spark",
    ]


def test_fails_dimension_table_that_is_not_a_table_name(tmp_path: Path) -> None:
    assert failure(tmp_path, sources={"dimension_table": "products; drop"}) == [
        "config/qa.json: sources.dimension_table='products; drop' is invalid: not a table name; allowed: table or "
        "schema.table of letters, digits and '_', e.g. 'public.products'"
    ]


def test_fails_library_rules_of_sources_are_reported_under_their_key(tmp_path: Path) -> None:
    lines = failure(tmp_path, sources={"stream": {"retention_hours": 1}, "sink": {"table_arn": "orders"}})
    assert lines == [
        "config/qa.json: sources.sink.table_arn='orders' is invalid: not an ARN of this kind; "
        "allowed: arn:aws:dynamodb:<region>:<account>:table/<name>",
        "config/qa.json: sources.stream.retention_hours=1 is invalid: out of range; allowed: 24-8760 (1-365 days)",
    ]


def test_pipeline_compute_is_the_one_it_names() -> None:
    assert PipelineSettings(serverless="Spark").compute == "Spark"
    assert PipelineSettings(cluster="Analytics").compute == "Analytics"


def test_fails_streaming_on_emr_serverless_and_with_spark_options(tmp_path: Path) -> None:
    sources = {"stream": {}, "sink": SINK, "stream_readers": ["Spark"]}
    pipeline = {"workload": "streaming", "serverless": "Spark", "spark_submit_options": ["--packages", "x:y:1"]}
    assert failure(tmp_path, sources=sources, pipelines={"Windows": pipeline}) == [
        "config/qa.json: pipelines.Windows.spark_submit_options=['--packages', 'x:y:1'] is invalid: the streaming "
        "workload runs on Flink, not Spark; allowed: no spark_submit_options; flink_properties for Flink settings",
        "config/qa.json: pipelines.Windows.serverless='Spark' is invalid: the streaming workload runs on Flink, and "
        "EMR Serverless runs Spark and Hive only; allowed: 'cluster': a cluster with Flink",
    ]


def test_fails_flink_properties_on_a_spark_workload(tmp_path: Path) -> None:
    sources = {"database": BROUGHT, "sink": SINK}
    pipeline = {"cluster": "Analytics", "flink_properties": {"parallelism.default": "2"}}
    assert failure(tmp_path, sources=sources, pipelines={"Daily": pipeline}) == [
        "config/qa.json: pipelines.Daily.flink_properties={'parallelism.default': '2'} is invalid: the batch_etl "
        "workload runs on Spark, not Flink; allowed: no flink_properties; spark_submit_options for Spark settings"
    ]


def test_fails_streaming_without_a_stream_or_on_a_cluster_that_does_not_read_it(tmp_path: Path) -> None:
    pipeline = {"workload": "streaming", "cluster": "Analytics"}
    assert failure(tmp_path, sources={"sink": SINK}, pipelines={"Windows": pipeline}) == [
        "config/qa.json: pipelines.Windows.workload='streaming' is invalid: the streaming job reads sources.stream "
        "and writes its windows to sources.sink; allowed: a 'sources' section with 'stream' and 'sink'",
        "config/qa.json: pipelines.Windows.cluster='Analytics' is invalid: the streaming job's cluster is granted "
        "nothing on the stream; allowed: a cluster listed in sources.stream_readers: (none)",
    ]


def test_streaming_on_a_stream_reader_cluster_passes(tmp_path: Path) -> None:
    sources = {"stream": {}, "sink": SINK, "stream_readers": ["Analytics"]}
    pipeline = {"workload": "streaming", "cluster": "Analytics", "flink_properties": {"parallelism.default": "2"}}
    config = write_env(tmp_path, "qa", base(compute={"clusters": CLUSTER}, sources=sources, pipelines={"W": pipeline}))
    settings = load_environment("qa", config)
    assert settings.pipelines["W"].workload is Workload.STREAMING
    assert settings.pipelines["W"].flink_properties == {"parallelism.default": "2"}


ISOLATED = {"vpc": {"nat_gateways": 0}}
PACKAGES = ["--packages", "org.postgresql:postgresql:42.7.4"]
MAVEN_RULE = (
    "config/qa.json: pipelines.Daily.spark_submit_options={options!r} is invalid: qa's network has no internet "
    "egress: Spark cannot download packages from Maven Central at job start ({found}); allowed: ship the jar: "
    "pipelines.Daily.jars (object keys in the artifacts bucket, passed to Spark as --jars s3://...), and no "
    "--packages, --repositories or --conf spark.jars.packages/spark.jars.repositories"
)


def daily(**pipeline: Any) -> dict[str, Any]:
    return {"sources": {"database": BROUGHT, "sink": SINK}, "pipelines": {"Daily": {"serverless": "Spark", **pipeline}}}


@pytest.mark.parametrize(
    ("options", "found"),
    [
        (PACKAGES, "--packages"),
        (["--repositories", "https://repo.example.com/maven", "--conf", "spark.jars.packages=a:b:1"],
         "--repositories, spark.jars.packages"),
        (["--conf spark.jars.repositories=https://repo.example.com"], "spark.jars.repositories"),
        (["--packages=org.postgresql:postgresql:42.7.4"], "--packages"),
    ],
)  # fmt: skip
def test_fails_maven_packages_where_the_network_has_no_internet_egress(
    tmp_path: Path, options: list[str], found: str
) -> None:
    assert failure(tmp_path, network=ISOLATED, **daily(spark_submit_options=options)) == [
        MAVEN_RULE.format(options=options, found=found)
    ]


EXISTING = {
    "vpc_id": "vpc-0123abcd",
    "vpc_cidr": "10.1.0.0/16",
    "availability_zones": ["eu-west-1a"],
    "private_subnet_ids": ["subnet-0123abcd"],
}


def test_fails_maven_packages_in_a_brought_network_said_to_have_no_internet_egress(tmp_path: Path) -> None:
    existing = {**EXISTING, "internet_egress": False}
    lines = failure(tmp_path, network={"existing": existing}, **daily(spark_submit_options=PACKAGES))
    assert lines == [MAVEN_RULE.format(options=PACKAGES, found="--packages")]


def test_a_brought_network_is_taken_to_reach_the_internet_unless_its_settings_say_otherwise(tmp_path: Path) -> None:
    compute = {"compute": {"clusters": CLUSTER, "serverless": SERVERLESS}}
    data = base(network={"existing": EXISTING}, **compute, **daily(spark_submit_options=PACKAGES))
    settings = load_environment("qa", write_env(tmp_path, "qa", data))
    assert settings.network.internet_egress is True
    assert settings.pipelines["Daily"].spark_submit_options == tuple(PACKAGES)


def test_jars_replace_maven_in_an_isolated_network_and_maven_stays_allowed_with_nat(tmp_path: Path) -> None:
    compute = {"compute": {"clusters": CLUSTER, "serverless": SERVERLESS}}
    shipped = daily(jars=["jars/postgresql-42.7.4.jar"], spark_submit_options=["--conf", "spark.executor.cores=2"])
    isolated = load_environment("qa", write_env(tmp_path, "qa", base(network=ISOLATED, **compute, **shipped)))
    assert isolated.pipelines["Daily"].jars == ("jars/postgresql-42.7.4.jar",)
    assert isolated.network.internet_egress is False
    with_nat = base(network={"vpc": {"nat_gateways": 1}}, **compute, **daily(spark_submit_options=PACKAGES))
    assert load_environment("qa", write_env(tmp_path, "qa", with_nat)).network.internet_egress is True
    bundled = {env: load_environment(env) for env in ("dev", "staging", "prod")}
    assert {env: s.network.internet_egress for env, s in bundled.items()} == {
        "dev": True,
        "staging": False,
        "prod": True,
    }
    assert {env: s.pipelines["DailyEvents"].jars for env, s in bundled.items()} == {
        "dev": (),
        "staging": ("jars/postgresql-42.7.4.jar",),
        "prod": (),
    }


def test_fails_jar_keys_that_cannot_name_a_jar_in_the_artifacts_bucket(tmp_path: Path) -> None:
    keys = ["/jars/a.jar", "s3://bucket/jars/a.jar", "jars/a,b.jar", "jars/a b.jar", "jars/a.zip", "", "jars/ok.jar",
            "jars/ok.jar"]  # fmt: skip
    allowed = (
        "allowed: an S3 object key ending in '.jar', without a leading '/', 's3://', commas or spaces, "
        "e.g. 'jars/postgresql-42.7.4.jar'"
    )
    reasons = {
        0: "S3 object keys do not start with '/'",
        1: "a URI, not an object key (the bucket is given separately)",
        2: "a comma or space would split it on --jars",
        3: "a comma or space would split it on --jars",
        4: "not a jar",
        5: "empty",
        7: "listed twice",
    }
    assert failure(tmp_path, **daily(jars=keys)) == [
        f"config/qa.json: pipelines.Daily.jars[{index}]={keys[index]!r} is invalid: {why}; {allowed}"
        for index, why in reasons.items()
    ]


def test_fails_transient_without_a_cluster_to_run_like(tmp_path: Path) -> None:
    sources = {"database": BROUGHT, "sink": SINK}
    pipeline = {"serverless": "Spark", "transient": {"core_instance_count": 0}}
    assert failure(tmp_path, sources=sources, pipelines={"Backfill": pipeline}) == [
        "config/qa.json: pipelines.Backfill.transient='set' is invalid: a transient cluster is created like one of "
        "compute.clusters (its roles, groups and logs); allowed: 'cluster' naming that cluster",
        "config/qa.json: pipelines.Backfill.transient.core_instance_count=0 is invalid: out of range; allowed: 1-256",
    ]


def test_fails_transient_like_a_cluster_without_an_autoscaling_role(tmp_path: Path) -> None:
    sources = {"database": BROUGHT, "sink": SINK}
    pipeline = {"cluster": "Analytics", "transient": {}}
    assert failure(tmp_path, sources=sources, pipelines={"Backfill": pipeline}) == [
        "config/qa.json: compute.clusters.Analytics.cluster.roles.create_autoscaling_role=False is invalid: the "
        "transient clusters of pipelines.Backfill take this cluster's roles, and Step Functions gives a cluster it "
        "creates an autoscaling role; allowed: true"
    ]
