"""Spark sessions: the settings every workload relies on, and a small local session for demos and tests."""

from __future__ import annotations

import os
from pathlib import Path

from pyspark.sql import SparkSession

_QUIET_LOGGING = Path(__file__).with_name("log4j2-local.properties")

REQUIRED_CONF = {"spark.sql.session.timeZone": "UTC"}
"""Settings the transformations depend on (event days are UTC days), applied to every session a job uses."""


def require_settings(spark: SparkSession) -> SparkSession:
    """Apply :data:`REQUIRED_CONF` to a session made elsewhere (EMR's, a notebook's)."""
    for key, value in REQUIRED_CONF.items():
        spark.conf.set(key, value)
    return spark


def local_session(app_name: str = "workloads", *, cores: int = 2, shuffle_partitions: int = 2) -> SparkSession:
    """A local Spark session sized for small samples: no UI, few shuffle partitions, errors only.

    Returns the running session if there is one (Spark allows one per process).
    """
    # Local only: bind to loopback instead of warning that the host name resolves to it.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(cores))
        # Local samples are small: compiling generated code and re-planning cost more than they save, and a
        # JVM that stops at the first JIT tier starts faster.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config(
            "spark.driver.extraJavaOptions",
            f"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile={_QUIET_LOGGING.as_uri()}",
        )
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.memory", "1g")
    )
    for key, value in REQUIRED_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return require_settings(spark)


def job_session(app_name: str) -> SparkSession:
    """The session of a job's entry point: the cluster's under ``spark-submit`` (EMR step, EMR Serverless),
    else a :func:`local_session` (``python -m workloads...`` on a laptop)."""
    # spark-submit starts the JVM first and hands its gateway to Python through this variable.
    if "PYSPARK_GATEWAY_PORT" in os.environ:
        return require_settings(SparkSession.builder.appName(app_name).getOrCreate())
    return local_session(app_name)
