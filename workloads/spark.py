"""Spark sessions: the settings every workload relies on, and a small local session for demos and tests."""

from __future__ import annotations

from pyspark.sql import SparkSession

REQUIRED_CONF = {"spark.sql.session.timeZone": "UTC"}
"""Settings the transformations depend on (event days are UTC days), applied to every session a job uses."""


def require_settings(spark: SparkSession) -> SparkSession:
    """Apply :data:`REQUIRED_CONF` to a session made elsewhere (EMR's, a notebook's)."""
    for key, value in REQUIRED_CONF.items():
        spark.conf.set(key, value)
    return spark


def local_session(app_name: str = "workloads", *, cores: int = 2, shuffle_partitions: int = 2) -> SparkSession:
    """A local Spark session sized for this machine: no UI, few shuffle partitions, warnings only.

    Returns the running session if there is one (Spark allows one per process).
    """
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(cores))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.memory", "1g")
    )
    for key, value in REQUIRED_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return require_settings(spark)
