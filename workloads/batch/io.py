"""Reading and writing for the batch ETL: every touch of S3, local folders, JDBC and DynamoDB lives here.

Zone layout (the same on S3 and in local folders)::

    <raw>/ingest_date=YYYY-MM-DD/*.json           one JSON event a line, folder = day the line arrived
    <curated>/event_date=YYYY-MM-DD/*.parquet     CURATED_COLUMNS
    <quarantine>/run_date=YYYY-MM-DD/*.parquet    QUARANTINE_COLUMNS
    <analytics>/event_date=YYYY-MM-DD/*.parquet   AGGREGATE_COLUMNS

Writes replace only the partitions present in the data (dynamic partition overwrite, set on the writer so the
cluster's defaults do not matter); a partition the run owns but has no rows for is deleted, so a re-run never
leaves yesterday's rows behind.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from workloads.secrets import JdbcCredentials

_RAW_SCHEMA = T.StructType([T.StructField("value", T.StringType()), T.StructField("ingest_date", T.DateType())])


def _hadoop_path(spark: SparkSession, path: str) -> tuple[Any, Any]:
    # The Hadoop FileSystem of the session speaks s3:// (EMRFS) and local paths alike.
    jvm: Any = spark._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(spark._jsc.hadoopConfiguration()), hadoop_path


def path_exists(spark: SparkSession, path: str) -> bool:
    """Whether a file or folder exists, on S3 or locally."""
    fs, hadoop_path = _hadoop_path(spark, path)
    return bool(fs.exists(hadoop_path))


def delete_path(spark: SparkSession, path: str) -> None:
    """Delete a folder and everything under it, if it exists."""
    fs, hadoop_path = _hadoop_path(spark, path)
    if fs.exists(hadoop_path):
        fs.delete(hadoop_path, True)


def partition_path(base: str, column: str, day: dt.date) -> str:
    """``<base>/<column>=YYYY-MM-DD``, the folder Spark writes a date partition to."""
    return f"{base.rstrip('/')}/{column}={day.isoformat()}"


def read_raw(spark: SparkSession, raw_path: str, days: Sequence[dt.date]) -> DataFrame:
    """The raw lines of the given ingest days (missing days are skipped) as ``value``, ``ingest_date``.

    Only the named day folders are listed, never the whole raw history.
    """
    folders = [p for p in (partition_path(raw_path, "ingest_date", d) for d in days) if path_exists(spark, p)]
    if not folders:
        return spark.createDataFrame([], _RAW_SCHEMA)
    lines = spark.read.option("basePath", raw_path).text(folders)
    return lines.select("value", lines["ingest_date"].cast("date").alias("ingest_date"))


def write_partitions(
    spark: SparkSession, frame: DataFrame, path: str, column: str, owned: Iterable[dt.date], *, rows: int
) -> None:
    """Replace the ``column`` partitions present in ``frame``; delete the ``owned`` ones when it has no rows.

    ``rows`` is the row count the caller already has (no second pass over the data).
    """
    if rows == 0:
        for day in owned:
            delete_path(spark, partition_path(path, column, day))
        return
    frame.write.mode("overwrite").option("partitionOverwriteMode", "dynamic").partitionBy(column).parquet(path)


def read_dimension_file(spark: SparkSession, path: str) -> DataFrame:
    """The product dimension from a local CSV file with a header (the relational source's stand-in)."""
    return spark.read.option("header", True).csv(path).select("product_id", "category")


def read_dimension_jdbc(spark: SparkSession, *, url: str, table: str, credentials: JdbcCredentials) -> DataFrame:
    """The product dimension from a relational database table over JDBC (driver on the cluster's classpath)."""
    return (
        spark.read.format("jdbc")
        .option("url", url)
        .option("dbtable", table)
        .option("user", credentials.username)
        .option("password", credentials.password)
        .load()
        .select("product_id", "category")
    )


AGGREGATE_KEY = ("event_date", "category")
"""Key of an aggregate row in every sink: DynamoDB partition key ``event_date`` (S), sort key ``category`` (S)."""


class AggregateSink(Protocol):
    """Where the daily aggregate goes; a put replaces the row with the same :data:`AGGREGATE_KEY`."""

    def put(self, rows: Sequence[Mapping[str, Any]]) -> None: ...


def to_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """An aggregate row as a sink item: dates as ISO strings; counts stay ints and money exact Decimals."""
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in row.items()}


@dataclass(frozen=True)
class LocalTableSink:
    """A JSON-lines file standing in for the DynamoDB table: one item a line, upserted by key, sorted."""

    path: Path

    def put(self, rows: Sequence[Mapping[str, Any]]) -> None:
        items: dict[tuple[str, ...], dict[str, Any]] = {}
        if self.path.exists():
            for line in self.path.read_text().splitlines():
                item = json.loads(line, parse_float=Decimal)
                items[tuple(item[k] for k in AGGREGATE_KEY)] = item
        for row in rows:
            item = to_item(row)
            items[tuple(item[k] for k in AGGREGATE_KEY)] = item
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(items[key], default=str, sort_keys=True) for key in sorted(items)]
        self.path.write_text("".join(f"{line}\n" for line in lines))


@dataclass(frozen=True)
class DynamoDbSink:
    """A DynamoDB table keyed by ``event_date`` (partition) and ``category`` (sort); put overwrites."""

    table_name: str
    region: str | None = None

    def put(self, rows: Sequence[Mapping[str, Any]]) -> None:
        import boto3  # only the cluster needs it; the local run never does

        table = boto3.resource("dynamodb", region_name=self.region).Table(self.table_name)
        with table.batch_writer(overwrite_by_pkeys=list(AGGREGATE_KEY)) as batch:
            for row in rows:
                batch.put_item(Item=to_item(row))
