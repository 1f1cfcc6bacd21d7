"""spark-redshift connector settings per EMR release."""

from __future__ import annotations

import pytest

from emr_constructs.cluster import Configuration, merge_configurations, spark_defaults
from emr_constructs.errors import EmrConfigError
from emr_constructs.warehouse import CONNECTOR_JARS, spark_redshift_configurations


@pytest.mark.parametrize("release", ["emr-6.4.0", "emr-6.5.0", "emr-6.9.0", "emr-6.9.1"])
def test_releases_before_6_10_load_the_shipped_jars(release: str) -> None:
    assert spark_redshift_configurations(release) == (
        Configuration(
            classification="spark-defaults",
            properties={
                "spark.jars": "/usr/share/aws/redshift/jdbc/RedshiftJDBC.jar,"
                "/usr/share/aws/redshift/spark-redshift/lib/spark-redshift.jar,"
                "/usr/share/aws/redshift/spark-redshift/lib/spark-avro.jar,"
                "/usr/share/aws/redshift/spark-redshift/lib/minimal-json.jar"
            },
        ),
    )
    assert len(CONNECTOR_JARS) == 4


@pytest.mark.parametrize("release", ["emr-6.10.0", "emr-6.15.0", "emr-7.0.0", "emr-7.14.0"])
def test_releases_from_6_10_need_nothing(release: str) -> None:
    assert spark_redshift_configurations(release) == ()


def test_fails_release_without_the_connector() -> None:
    with pytest.raises(EmrConfigError) as raised:
        spark_redshift_configurations("emr-5.36.2")
    assert str(raised.value) == (
        "spark_redshift_configurations: release_label='emr-5.36.2' is invalid: EMR ships the spark-redshift "
        "connector from emr-6.4.0; allowed: emr-6.4.0 or later"
    )


def test_fails_malformed_release_label() -> None:
    with pytest.raises(EmrConfigError) as raised:
        spark_redshift_configurations("6.10.0")
    assert str(raised.value) == (
        "spark_redshift_configurations: release_label='6.10.0' is invalid: not an EMR release label; "
        "allowed: emr-<major>.<minor>.<patch>"
    )


def test_merges_with_the_clusters_own_spark_defaults() -> None:
    merged = merge_configurations(
        (spark_defaults({"spark.sql.shuffle.partitions": "200"}),), spark_redshift_configurations("emr-6.9.0")
    )
    assert len(merged) == 1
    assert set(merged[0].properties) == {"spark.sql.shuffle.partitions", "spark.jars"}
