"""Batch ETL entry point: raw JSON events of one day -> curated Parquet, quarantine, daily aggregate, sink.

Runs unchanged as an EMR step, an EMR Serverless job run or locally; only the arguments differ::

    # EMR step / serverless job run (the package travels as --py-files workloads.zip)
    spark-submit --py-files s3://<artifacts>/workloads.zip s3://<artifacts>/workloads/batch/job.py \\
        --date 2026-11-27 \\
        --raw-path s3://<raw-bucket>/events/ --curated-path s3://<curated-bucket>/events/ \\
        --quarantine-path s3://<curated-bucket>/quarantine/events/ \\
        --analytics-path s3://<analytics-bucket>/daily_category/ \\
        --jdbc-url jdbc:postgresql://<host>:5432/shop --jdbc-secret-name <secret-name> \\
        --jdbc-table public.products --sink-table <dynamodb-table> --region eu-west-1

    # EMR Serverless job run: entryPoint = the job.py URI, entryPointArguments = the same flags,
    # sparkSubmitParameters = "--py-files s3://<artifacts>/workloads.zip --jars <JDBC driver JAR>"
    # (the zip: `python -m workloads.bundle build/workloads.zip`, byte-stable for CDK assets)

    # locally (what `make demo` runs)
    python -m workloads.batch.job --date 2026-11-27 --raw-path build/demo/raw/events ... \\
        --dimension-path build/demo/products.csv --sink-path build/demo/sink/daily_category.jsonl

Argument contract (all values are plain strings; paths are ``s3://`` URIs on EMR, folders or files locally):

``--date YYYY-MM-DD`` (required)
    The event day to (re)build. The run reads raw ingest days ``date`` .. ``date + allowed lateness``; schedule
    it once those have landed. Re-running a day replaces exactly that day's partitions.
``--raw-path`` (required)
    Raw zone folder holding ``ingest_date=YYYY-MM-DD/`` folders of JSON lines (read only).
``--curated-path``, ``--quarantine-path``, ``--analytics-path`` (required)
    Folders written: curated events (``event_date=`` partitions), quarantined lines with a reason
    (``run_date=`` partitions), the daily aggregate (``event_date=`` partitions).
``--allowed-lateness-days N`` (default 1)
    How many days after its event day a record is still curated; later ones are quarantined as ``too_late``.
Product dimension, exactly one of:
    ``--jdbc-url URL --jdbc-secret-name NAME --jdbc-table TABLE``: a relational table with ``product_id`` and
    ``category``; user and password come from the Secrets Manager secret NAME at run time (never an argument,
    and a URL carrying a password is refused). The JDBC driver must be on the classpath (``--jars``).
    ``--dimension-path FILE``: a local CSV file with a header, the stand-in for the table.
Aggregate sink, exactly one of:
    ``--sink-table NAME``: a DynamoDB table, partition key ``event_date`` (S), sort key ``category`` (S).
    ``--sink-path FILE``: a local JSON-lines file, upserted by the same key, the stand-in for the table.
``--region REGION`` (optional)
    Region for Secrets Manager and DynamoDB; default: the SDK's (``AWS_REGION``, instance metadata).

The run prints one JSON line with its figures (``RunSummary``) and exits 0; any error exits non-zero.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from workloads.batch import io, transform
from workloads.compat import keyword_only
from workloads.secrets import read_jdbc_credentials
from workloads.spark import job_session, require_settings

DEFAULT_ALLOWED_LATENESS_DAYS = 1


@keyword_only
@dataclass(frozen=True)
class BatchOptions:
    """The parsed arguments of one run (see the module docstring for each)."""

    date: dt.date
    raw_path: str
    curated_path: str
    quarantine_path: str
    analytics_path: str
    allowed_lateness_days: int = DEFAULT_ALLOWED_LATENESS_DAYS
    dimension_path: str | None = None
    jdbc_url: str | None = None
    jdbc_secret_name: str | None = None
    jdbc_table: str | None = None
    sink_table: str | None = None
    sink_path: str | None = None
    region: str | None = None


@keyword_only
@dataclass(frozen=True)
class RunSummary:
    """What one run read, rejected and wrote.

    ``read`` counts every line of the ingest days read; ``read == curated + sum(rejected) + other_runs``.
    """

    date: str
    read: int
    curated: int
    late_accepted: int
    rejected: dict[str, int] = field(default_factory=dict)
    other_runs: int = 0
    aggregate_rows: int = 0
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; allowed: YYYY-MM-DD") from None


def _non_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is invalid; allowed: a whole number of days >= 0")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workloads.batch.job",
        description="Batch ETL: raw JSON events of one day to curated Parquet, quarantine, aggregate and a sink.",
    )
    parser.add_argument("--date", type=_date, required=True, help="event day to (re)build, YYYY-MM-DD")
    for zone in ("raw", "curated", "quarantine", "analytics"):
        parser.add_argument(f"--{zone}-path", required=True, help=f"{zone} folder (s3:// URI or local folder)")
    parser.add_argument(
        "--allowed-lateness-days",
        type=_non_negative,
        default=DEFAULT_ALLOWED_LATENESS_DAYS,
        help="days after its event day a record is still curated (default %(default)s)",
    )
    dimension = parser.add_mutually_exclusive_group(required=True)
    dimension.add_argument("--jdbc-url", help="JDBC URL of the database holding the product dimension")
    dimension.add_argument("--dimension-path", help="local CSV file standing in for the product table")
    parser.add_argument("--jdbc-secret-name", help="Secrets Manager secret NAME with username and password")
    parser.add_argument("--jdbc-table", help="table with product_id and category, e.g. public.products")
    sink = parser.add_mutually_exclusive_group(required=True)
    sink.add_argument("--sink-table", help="DynamoDB table for the daily aggregate")
    sink.add_argument("--sink-path", help="local JSON-lines file standing in for the DynamoDB table")
    parser.add_argument("--region", help="AWS region for Secrets Manager and DynamoDB (default: the SDK's)")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> BatchOptions:
    """Parse and check the arguments; a mistake exits 2 with argparse's usage and the reason."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jdbc_url is not None:
        missing = [
            flag
            for flag, value in (("--jdbc-secret-name", args.jdbc_secret_name), ("--jdbc-table", args.jdbc_table))
            if not value
        ]
        if missing:
            parser.error(f"--jdbc-url needs {' and '.join(missing)}")
        if "password" in args.jdbc_url.lower():
            parser.error("--jdbc-url must not carry a password; the job reads it from --jdbc-secret-name")
    elif args.jdbc_secret_name or args.jdbc_table:
        parser.error("--jdbc-secret-name and --jdbc-table go with --jdbc-url, not --dimension-path")
    return BatchOptions(**vars(args))


def read_dimension(spark: SparkSession, options: BatchOptions) -> DataFrame:
    if options.dimension_path is not None:
        return io.read_dimension_file(spark, options.dimension_path)
    assert options.jdbc_url and options.jdbc_secret_name and options.jdbc_table  # guaranteed by parse_args
    credentials = read_jdbc_credentials(options.jdbc_secret_name, region=options.region)
    return io.read_dimension_jdbc(spark, url=options.jdbc_url, table=options.jdbc_table, credentials=credentials)


def make_sink(options: BatchOptions) -> io.AggregateSink:
    if options.sink_path is not None:
        return io.LocalTableSink(Path(options.sink_path))
    assert options.sink_table  # guaranteed by parse_args
    return io.DynamoDbSink(options.sink_table, region=options.region)


def run(spark: SparkSession, options: BatchOptions, *, sink: io.AggregateSink | None = None) -> RunSummary:
    """One run of the batch ETL for ``options.date`` on ``spark``; returns its figures.

    ``sink`` replaces the one the options name (tests pass a recording sink).
    """
    started = time.perf_counter()
    require_settings(spark)
    day, lateness = options.date, options.allowed_lateness_days
    raw = io.read_raw(spark, options.raw_path, [day + dt.timedelta(days=n) for n in range(lateness + 1)])
    classified = transform.classify(transform.parse_events(raw), run_date=day, allowed_lateness_days=lateness)
    classified = classified.cache()
    try:
        counts = classified.groupBy("disposition", "reason", "is_late").count().collect()
        by_disposition: dict[str, int] = {}
        rejected: dict[str, int] = {}
        late = 0
        for row in counts:
            by_disposition[row["disposition"]] = by_disposition.get(row["disposition"], 0) + row["count"]
            if row["disposition"] == transform.QUARANTINED:
                rejected[row["reason"]] = rejected.get(row["reason"], 0) + row["count"]
            if row["is_late"]:
                late += row["count"]
        curated_rows = by_disposition.get(transform.CURATED, 0)

        curated = transform.curated_events(classified)
        io.write_partitions(spark, curated, options.curated_path, "event_date", [day], rows=curated_rows)
        io.write_partitions(
            spark,
            transform.quarantined(classified, run_date=day),
            options.quarantine_path,
            "run_date",
            [day],
            rows=by_disposition.get(transform.QUARANTINED, 0),
        )
        aggregate = transform.daily_aggregate(curated, read_dimension(spark, options))
        # One row per day and category: collected once, the same rows go to the analytics zone and the sink.
        rows = [row.asDict() for row in aggregate.orderBy("category").collect()]
        io.write_partitions(
            spark,
            spark.createDataFrame(rows, aggregate.schema) if rows else aggregate,
            options.analytics_path,
            "event_date",
            [day],
            rows=len(rows),
        )
        (sink or make_sink(options)).put(rows)
    finally:
        classified.unpersist()
    return RunSummary(
        date=day.isoformat(),
        read=sum(by_disposition.values()),
        curated=curated_rows,
        late_accepted=late,
        rejected=dict(sorted(rejected.items())),
        other_runs=by_disposition.get(transform.OTHER_RUN, 0),
        aggregate_rows=len(rows),
        seconds=round(time.perf_counter() - started, 2),
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    spark = job_session(f"workloads-batch-{options.date.isoformat()}")
    summary = run(spark, options)
    print(summary.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
