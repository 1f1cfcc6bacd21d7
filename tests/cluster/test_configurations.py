"""Configuration classifications: helpers, merge, duplicate detection, CloudFormation shape."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from emr_constructs.arguments import EmrTypeError
from emr_constructs.cluster import (
    Application,
    ClusterProps,
    Configuration,
    EmrCluster,
    glue_data_catalog_metastore,
    maximize_resource_allocation,
    merge_configurations,
    spark_defaults,
    spark_dynamic_allocation,
)
from emr_constructs.cluster.configurations import (
    GLUE_METASTORE_CLIENT_FACTORY,
    METASTORE_FACTORY_PROPERTY,
    configuration_problems,
)
from emr_constructs.errors import EmrConfigError
from tests.cluster.builders import platform
from tests.support import new_stack

GLUE = {METASTORE_FACTORY_PROPERTY: GLUE_METASTORE_CLIENT_FACTORY}


def test_glue_metastore_for_hive_and_spark() -> None:
    assert glue_data_catalog_metastore() == (
        Configuration(classification="hive-site", properties=GLUE),
        Configuration(classification="spark-hive-site", properties=GLUE),
    )
    assert GLUE_METASTORE_CLIENT_FACTORY == "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"


def test_glue_metastore_for_trino_and_presto() -> None:
    configs = glue_data_catalog_metastore(hive=False, spark=False, trino=True, presto=True)
    assert [(c.classification, c.properties) for c in configs] == [
        ("trino-connector-hive", {"hive.metastore": "glue"}),
        ("presto-connector-hive", {"hive.metastore": "glue"}),
    ]


def test_spark_helpers() -> None:
    assert maximize_resource_allocation() == Configuration(
        classification="spark", properties={"maximizeResourceAllocation": "true"}
    )
    assert spark_dynamic_allocation(False, min_executors=1, max_executors=20).properties == {
        "spark.dynamicAllocation.enabled": "false",
        "spark.dynamicAllocation.minExecutors": "1",
        "spark.dynamicAllocation.maxExecutors": "20",
    }


def test_merge_folds_same_classification_and_later_wins() -> None:
    merged = merge_configurations(
        [spark_dynamic_allocation(True), spark_defaults({"spark.executor.memory": "4g"})],
        [spark_defaults({"spark.dynamicAllocation.enabled": "false"}), maximize_resource_allocation()],
    )
    assert merged == (
        Configuration(
            classification="spark-defaults",
            properties={"spark.dynamicAllocation.enabled": "false", "spark.executor.memory": "4g"},
        ),
        maximize_resource_allocation(),
    )


def test_merge_is_recursive() -> None:
    export_a = Configuration(classification="export", properties={"A": "1"})
    export_b = Configuration(classification="export", properties={"B": "2"})
    merged = merge_configurations(
        [Configuration(classification="hadoop-env", configurations=(export_a,))],
        [Configuration(classification="hadoop-env", configurations=(export_b,))],
    )
    assert merged == (
        Configuration(
            classification="hadoop-env",
            configurations=(Configuration(classification="export", properties={"A": "1", "B": "2"}),),
        ),
    )


def test_duplicates_are_reported_at_any_level() -> None:
    nested = Configuration(
        classification="hadoop-env",
        configurations=(Configuration(classification="export"), Configuration(classification="export")),
    )
    problems = configuration_problems([nested, spark_defaults({}), spark_defaults({})], "configurations")
    assert [p.field for p in problems] == [
        "configurations[0].configurations[1].classification",
        "configurations[2].classification",
    ]


def test_cluster_props_merge_helpers_with_user_configurations() -> None:
    props = ClusterProps(
        applications=(Application.SPARK, Application.HIVE, Application.TRINO),
        glue_data_catalog=True,
        spark_dynamic_allocation=True,
        spark_defaults={"spark.sql.shuffle.partitions": "64"},
        configurations=(Configuration(classification="hive-site", properties={"hive.exec.parallel": "true"}),),
    )
    assert [(c.classification, c.properties) for c in props.effective_configurations()] == [
        ("hive-site", {**GLUE, "hive.exec.parallel": "true"}),
        ("spark-hive-site", GLUE),
        ("trino-connector-hive", {"hive.metastore": "glue"}),
        ("spark-defaults", {"spark.dynamicAllocation.enabled": "true", "spark.sql.shuffle.partitions": "64"}),
    ]
    assert props.problems() == []


def test_default_props_have_no_configurations() -> None:
    assert ClusterProps().effective_configurations() == ()


def _cluster(props: ClusterProps) -> tuple[Any, EmrCluster]:
    stack = new_stack()
    return stack, EmrCluster(stack, "Cluster", props=props, **platform(stack).cluster_args())


def test_add_configurations_merges_after_the_props_and_wins() -> None:
    stack, cluster = _cluster(ClusterProps(spark_defaults={"spark.sql.shuffle.partitions": "64"}))
    cluster.add_configurations(
        [
            spark_defaults({"spark.sql.shuffle.partitions": "128", "spark.jars": "/opt/connector.jar"}),
            Configuration(classification="hive-site", properties={"hive.execution.engine": "tez"}),
        ]
    )
    expected = [
        {
            "Classification": "spark-defaults",
            "ConfigurationProperties": {"spark.sql.shuffle.partitions": "128", "spark.jars": "/opt/connector.jar"},
        },
        {"Classification": "hive-site", "ConfigurationProperties": {"hive.execution.engine": "tez"}},
    ]
    Template.from_stack(stack).has_resource_properties("AWS::EMR::Cluster", {"Configurations": expected})
    assert [c.classification for c in cluster.configurations] == ["spark-defaults", "hive-site"]


def test_add_configurations_refuses_a_classification_twice_with_the_path() -> None:
    _, cluster = _cluster(ClusterProps())
    twice = [Configuration(classification="core-site"), Configuration(classification="core-site")]
    with pytest.raises(EmrConfigError) as raised:
        cluster.add_configurations(twice)
    assert str(raised.value) == (
        "Test/Cluster: add_configurations[1].classification='core-site' is invalid: classification appears twice "
        "at the same level; EMR rejects duplicate classifications; allowed: each classification once: put all its "
        "properties in one entry"
    )


def test_add_configurations_refuses_a_wrong_type_by_name() -> None:
    _, cluster = _cluster(ClusterProps())
    with pytest.raises(EmrTypeError, match=r"configurations=.*str.* is invalid: wrong type"):
        cluster.add_configurations("spark-defaults")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("applications", "classifications"),
    [
        ((Application.HADOOP, Application.SPARK), ["spark-hive-site"]),
        ((Application.HADOOP, Application.HIVE), ["hive-site"]),
        (
            (Application.HADOOP, Application.PRESTO, Application.TRINO),
            ["trino-connector-hive", "presto-connector-hive"],
        ),
    ],
)
def test_glue_metastore_configures_only_the_installed_applications(
    applications: tuple[Application, ...], classifications: list[str]
) -> None:
    props = ClusterProps(glue_data_catalog=True, applications=applications)
    assert [c.classification for c in props.effective_configurations()] == classifications


def test_maximize_resource_allocation_flag_adds_its_classification() -> None:
    assert ClusterProps(maximize_resource_allocation=True).effective_configurations() == (
        Configuration(classification="spark", properties={"maximizeResourceAllocation": "true"}),
    )
