"""The batch ETL on the shared local Spark session: every Spark test lives here, so it starts once."""

from __future__ import annotations

import datetime as dt
import io as text_io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession
from pyspark.sql import types as T

from workloads import demo
from workloads.batch import io, job, transform

D = dt.date(2026, 11, 2)
NEXT = dt.date(2026, 11, 3)


def event(event_id: str, day: str, *, event_type: str = "view", user: str = "u1", **extra: Any) -> str:
    document = {
        "event_id": event_id,
        "event_type": event_type,
        "user_id": user,
        "product_id": "p1",
        "event_time": f"{day}T10:00:00Z",
    }
    return json.dumps(document | extra)


def raw_frame(spark: SparkSession, rows: list[tuple[str, dt.date]]) -> Any:
    return spark.createDataFrame(rows, "value string, ingest_date date")


def test_parse_events_gives_each_malformed_line_its_first_broken_rule(spark: SparkSession) -> None:
    lines = {
        "valid view": (event("e1", "2026-11-02"), None),
        "valid purchase": (event("e2", "2026-11-02", event_type="purchase", amount=12.5), None),
        "numeric amount as text": (event("e3", "2026-11-02", event_type="purchase", amount="3.10"), None),
        "not json": ("not json", "unparseable_json"),
        "json null": ("null", "unparseable_json"),
        "json array": ("[1, 2]", "unparseable_json"),
        "missing user": ('{"event_id":"e4","event_type":"view","product_id":"p1","event_time":"x"}', "missing_field"),
        "blank id": (event("  ", "2026-11-02"), "missing_field"),
        "bad time": (event("e5", "2026-11-02", event_time="02/11/2026 10:00"), "invalid_event_time"),
        "bad type": (event("e6", "2026-11-02", event_type="refund"), "unknown_event_type"),
        "purchase, no amount": (event("e7", "2026-11-02", event_type="purchase"), "invalid_amount"),
        "negative amount": (event("e8", "2026-11-02", event_type="purchase", amount=-1), "invalid_amount"),
        "three decimals": (event("e9", "2026-11-02", event_type="purchase", amount=1.234), "invalid_amount"),
        "amount not a number": (event("e10", "2026-11-02", amount="abc"), "invalid_amount"),
        "tomorrow": (event("e11", "2026-11-03"), "event_time_after_ingest"),
        # 23:30 at UTC-2 is 01:30 UTC the next day: event days are UTC days.
        "offset into tomorrow": (
            event("e12", "2026-11-02", event_time="2026-11-02T23:30:00-02:00"),
            "event_time_after_ingest",
        ),
    }
    frame = raw_frame(spark, [(value, D) for value, _ in lines.values()])
    got = {row["value"]: (row["reason"], row["amount"]) for row in transform.parse_events(frame).collect()}

    assert {name: got[value][0] for name, (value, _) in lines.items()} == {
        name: reason for name, (_, reason) in lines.items()
    }
    assert got[lines["valid purchase"][0]][1] == Decimal("12.50")
    assert got[lines["numeric amount as text"][0]][1] == Decimal("3.10")
    assert got[lines["valid view"][0]][1] is None


def _classification_input(spark: SparkSession) -> Any:
    before = dt.date(2026, 11, 1)
    rows = [
        (event("on-time", "2026-11-02"), D),
        (event("late-accepted", "2026-11-02"), NEXT),
        (event("too-late-own", "2026-10-31"), D),
        (event("too-late-other", "2026-11-01"), NEXT),
        (event("dup", "2026-11-02"), D),
        (event("dup", "2026-11-02"), NEXT),
        (event("same-day-dup", "2026-11-02", user="u2"), D),
        (event("same-day-dup", "2026-11-02", user="u1"), D),
        (event("next-day", "2026-11-03"), NEXT),
        (event("previous-day-late", "2026-11-01"), D),
        (event("previous-day", "2026-11-01"), before),
        ("broken own", D),
        ("broken next", NEXT),
    ]
    return transform.parse_events(raw_frame(spark, rows))


def _dispositions(classified: Any) -> list[tuple[Any, ...]]:
    rows = classified.collect()
    return sorted(
        (row["event_id"] or row["value"], str(row["ingest_date"]), row["disposition"], row["reason"], row["is_late"])
        for row in rows
    )


def test_classify_curates_late_records_within_the_allowed_lateness_and_quarantines_the_rest(
    spark: SparkSession,
) -> None:
    parsed = _classification_input(spark).cache()
    one_day = transform.classify(parsed, run_date=D, allowed_lateness_days=1)
    zero_days = transform.classify(parsed, run_date=D, allowed_lateness_days=0)

    assert _dispositions(one_day) == [
        ("broken next", "2026-11-03", "other_run", "unparseable_json", False),
        ("broken own", "2026-11-02", "quarantined", "unparseable_json", False),
        ("dup", "2026-11-02", "curated", None, False),
        ("dup", "2026-11-03", "quarantined", "duplicate", False),
        ("late-accepted", "2026-11-03", "curated", None, True),
        ("next-day", "2026-11-03", "other_run", None, False),
        ("on-time", "2026-11-02", "curated", None, False),
        ("previous-day", "2026-11-01", "other_run", None, False),
        ("previous-day-late", "2026-11-02", "other_run", None, False),
        ("same-day-dup", "2026-11-02", "curated", None, False),
        ("same-day-dup", "2026-11-02", "quarantined", "duplicate", False),
        ("too-late-other", "2026-11-03", "other_run", None, False),
        ("too-late-own", "2026-11-02", "quarantined", "too_late", False),
    ]
    # The copy that wins is the same on every run: earliest ingest day, then the smaller raw line ("u1" < "u2").
    kept = transform.curated_events(one_day).where("event_id = 'same-day-dup'").collect()
    assert [row["user_id"] for row in kept] == ["u1"]
    # Without lateness, yesterday's arrivals of today are too late for today's run, and today's for yesterday's.
    assert [r for r in _dispositions(zero_days) if r[0] in ("late-accepted", "previous-day-late", "dup")] == [
        ("dup", "2026-11-02", "curated", None, False),
        ("dup", "2026-11-03", "other_run", None, False),
        ("late-accepted", "2026-11-03", "other_run", None, False),
        ("previous-day-late", "2026-11-02", "quarantined", "too_late", False),
    ]
    quarantine = transform.quarantined(one_day, run_date=D)
    assert tuple(quarantine.columns) == transform.QUARANTINE_COLUMNS
    assert {row["run_date"] for row in quarantine.collect()} == {D}
    parsed.unpersist()


def test_classify_fails_on_negative_lateness(spark: SparkSession) -> None:
    with pytest.raises(ValueError, match=r"^allowed_lateness_days=-1 is invalid: must be >= 0$"):
        transform.classify(_classification_input(spark), run_date=D, allowed_lateness_days=-1)


def test_daily_aggregate_counts_by_category_with_unknown_products_and_no_double_counting(spark: SparkSession) -> None:
    schema = T.StructType(
        [
            T.StructField("event_id", T.StringType()),
            T.StructField("event_type", T.StringType()),
            T.StructField("user_id", T.StringType()),
            T.StructField("product_id", T.StringType()),
            T.StructField("amount", T.DecimalType(12, 2)),
            T.StructField("event_time", T.TimestampType()),
            T.StructField("ingest_date", T.DateType()),
            T.StructField("is_late", T.BooleanType()),
            T.StructField("event_date", T.DateType()),
        ]
    )
    at = dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone.utc)
    curated = spark.createDataFrame(
        [
            ("e1", "view", "u1", "p1", None, at, D, False, D),
            ("e2", "purchase", "u1", "p1", Decimal("10.50"), at, D, False, D),
            ("e3", "purchase", "u2", "p1", Decimal("4.25"), at, NEXT, True, D),
            ("e4", "add_to_cart", "u3", "p2", None, at, D, False, D),
            ("e5", "view", "u3", "p3", None, at, NEXT, True, D),
        ],
        schema,
    )
    products = spark.createDataFrame(
        [("p1", "books"), ("p2", "toys"), ("p2", "garden")], "product_id string, category string"
    )
    rows = [row.asDict() for row in transform.daily_aggregate(curated, products).orderBy("category").collect()]

    common = {"event_date": D}
    assert rows == [
        common | {"category": "books", "views": 1, "add_to_carts": 0, "purchases": 2, "revenue": Decimal("14.75"),
                  "unique_users": 2, "late_events": 1},
        common | {"category": "garden", "views": 0, "add_to_carts": 1, "purchases": 0, "revenue": Decimal("0.00"),
                  "unique_users": 1, "late_events": 0},
        common | {"category": "unknown", "views": 1, "add_to_carts": 0, "purchases": 0, "revenue": Decimal("0.00"),
                  "unique_users": 1, "late_events": 1},
    ]  # fmt: skip
    assert list(rows[0]) == list(transform.AGGREGATE_COLUMNS)


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*.parquet"))}


def test_demo_runs_each_day_end_to_end_and_a_rerun_of_a_day_replaces_only_that_day(
    spark: SparkSession, tmp_path: Path
) -> None:
    out = text_io.StringIO()
    result = demo.run(tmp_path / "demo", days=2, events_per_day=400, spark=spark, stream=out)
    sample = result.sample
    first, second = sample.run_days

    assert result.matches_expectation
    assert result.summaries[0] == job.RunSummary(
        date="2026-11-02",
        read=819,
        curated=400,
        late_accepted=12,
        rejected={
            "duplicate": 8,
            "event_time_after_ingest": 1,
            "invalid_amount": 1,
            "invalid_event_time": 1,
            "missing_field": 1,
            "too_late": 2,
            "unknown_event_type": 1,
            "unparseable_json": 1,
        },
        other_runs=403,
        aggregate_rows=9,
        seconds=result.summaries[0].seconds,
    )
    printed = out.getvalue()
    assert "figures match what the generator put in: yes" in printed
    assert "rejected: 32 (duplicate 16, event_time_after_ingest 2, invalid_amount 2," in printed

    options = demo.options_for(sample, first)
    figures = ("count(*) AS n", "count(DISTINCT event_id) AS ids", "count_if(is_late) AS late")
    assert spark.read.parquet(options.curated_path).selectExpr(*figures).first().asDict() == {
        "n": 800,
        "ids": 800,
        "late": 24,
    }
    reasons = spark.read.parquet(options.quarantine_path).groupBy("reason").count().collect()
    assert {row["reason"]: row["count"] for row in reasons} == result.rejected
    sink_items = [json.loads(line) for line in Path(str(options.sink_path)).read_text().splitlines()]
    assert len(sink_items) == 18
    assert {(i["event_date"], i["category"]) for i in sink_items} >= {("2026-11-02", "unknown")}

    # Re-run of the first day: same figures, its partitions replaced, the second day's files untouched.
    curated_root = Path(options.curated_path)
    second_day_files = _listing(curated_root / f"event_date={second}")
    rerun = job.run(spark, options)
    assert rerun == replace(result.summaries[0], seconds=rerun.seconds)
    assert spark.read.parquet(options.curated_path).count() == 800
    assert spark.read.parquet(options.quarantine_path).count() == 32
    assert _listing(curated_root / f"event_date={second}") == second_day_files
    assert len(Path(str(options.sink_path)).read_text().splitlines()) == 18


def test_write_partitions_deletes_an_owned_partition_when_the_run_has_no_rows(
    spark: SparkSession, tmp_path: Path
) -> None:
    path = str(tmp_path / "curated")
    frame = spark.createDataFrame([("a", D), ("b", NEXT)], "event_id string, event_date date")
    io.write_partitions(spark, frame, path, "event_date", [D], rows=2)
    assert sorted(p.name for p in Path(path).iterdir() if p.is_dir()) == [
        "event_date=2026-11-02",
        "event_date=2026-11-03",
    ]

    io.write_partitions(spark, frame.limit(0), path, "event_date", [D], rows=0)

    assert sorted(p.name for p in Path(path).iterdir() if p.is_dir()) == ["event_date=2026-11-03"]
    assert io.read_raw(spark, str(tmp_path / "no-raw"), [D]).count() == 0
