"""Pure transformations of the batch ETL: DataFrame in, DataFrame out, no I/O, no actions.

The run for day D (``run_date``) sees the raw lines of ingest days D .. D + L (L = allowed lateness in days) and
decides, for every line, one disposition:

``curated``
    valid, its event day is D, it arrived within the allowed lateness (``0 <= ingest_date - event_date <= L``)
    and it is the first copy of its ``event_id`` (earliest ingest day, then smallest raw line). ``is_late`` is
    true when it arrived after its event day (``ingest_date > event_date``): late but accepted.
``quarantined``
    a line of ingest day D that is malformed (first broken rule as ``reason``), too late (arrived more than L
    days after its event day: ``too_late``), or a later copy of a curated event (``duplicate``).
``other_run``
    a line another run owns: malformed or too-late lines of ingest days after D (the run of their own ingest
    day reports them), and valid lines of other event days (the run of their event day curates them).

So every raw line is curated or quarantined by exactly one run, whatever the order the days are run in, and a
re-run of a day with the same raw input gives the same rows. A day's curated partition is final once the runs of
ingest day D + L have landed, which is why a scheduler runs day D after D + L is complete.

Timestamps are read and dates derived in UTC: the session must use ``spark.sql.session.timeZone=UTC``
(``workloads.spark.local_session`` and the job's entry point set it).
"""

from __future__ import annotations

import datetime as dt

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from workloads.events import (
    AMOUNT_PRECISION,
    AMOUNT_SCALE,
    EVENT_TYPES,
    REQUIRED_FIELDS,
    UNKNOWN_CATEGORY,
    Reason,
)

CURATED = "curated"
QUARANTINED = "quarantined"
OTHER_RUN = "other_run"

RAW_COLUMNS = ("value", "ingest_date")
"""What the raw reader hands over: the line as text and the ingest day of its folder."""

CURATED_COLUMNS = (
    "event_id",
    "event_type",
    "user_id",
    "product_id",
    "amount",
    "event_time",
    "ingest_date",
    "is_late",
    "event_date",
)
"""Columns of the curated zone, ``event_date`` last (the partition column)."""

QUARANTINE_COLUMNS = ("value", "ingest_date", "reason", "run_date")
"""Columns of the quarantine: the raw line untouched, where it came from, why, and which run put it there."""

AGGREGATE_COLUMNS = (
    "category",
    "views",
    "add_to_carts",
    "purchases",
    "revenue",
    "unique_users",
    "late_events",
    "event_date",
)
"""The daily aggregate by product category, ``event_date`` last (the partition column)."""

_CORRUPT = "_corrupt_record"
_RAW_SCHEMA = T.StructType(
    [T.StructField(name, T.StringType()) for name in (*REQUIRED_FIELDS, "amount")]
    + [T.StructField(_CORRUPT, T.StringType())]
)
_AMOUNT = T.DecimalType(AMOUNT_PRECISION, AMOUNT_SCALE)


def parse_events(raw: DataFrame) -> DataFrame:
    """Parse raw lines (``value``, ``ingest_date``) into typed columns, ``event_date`` and ``reason``.

    ``reason`` is null for a valid event, else the first malformed rule it breaks (``workloads.events``).
    """
    parsed = raw.select(
        "value",
        "ingest_date",
        F.from_json("value", _RAW_SCHEMA, {"columnNameOfCorruptRecord": _CORRUPT, "mode": "PERMISSIVE"}).alias("j"),
    )
    exact_amount = F.expr("try_cast(j.amount as decimal(38, 18))")
    event_time = F.try_to_timestamp(F.col("j.event_time"))
    typed = parsed.select(
        "value",
        "ingest_date",
        *(F.col(f"j.{name}").alias(name) for name in REQUIRED_FIELDS if name != "event_time"),
        event_time.alias("event_time"),
        F.to_date(event_time).alias("event_date"),
        F.col("j.amount").alias("_amount_text"),
        exact_amount.alias("_exact_amount"),
        # A JSON null (or no JSON at all) parses to an all-null struct without a corrupt record.
        (F.col(f"j.{_CORRUPT}").isNotNull() | F.col("j").isNull() | (F.trim("value") == "null")).alias("_corrupt"),
        F.col("j.event_time").alias("_event_time_text"),
    )
    return typed.select(
        "value",
        "ingest_date",
        *(name for name in REQUIRED_FIELDS if name != "event_time"),
        "event_time",
        "event_date",
        F.col("_exact_amount").cast(_AMOUNT).alias("amount"),
        _first_broken_rule().alias("reason"),
    )


def _first_broken_rule() -> Column:
    missing = F.lit(False)
    for name in REQUIRED_FIELDS:
        text = F.col("_event_time_text") if name == "event_time" else F.col(name)
        missing = missing | text.isNull() | (F.trim(text) == "")
    amount = F.col("_exact_amount")
    amount_ok = F.when(F.col("_amount_text").isNull(), F.col("event_type") != "purchase").otherwise(
        amount.isNotNull()
        & (amount >= 0)
        & (amount == F.round(amount, AMOUNT_SCALE))
        & (amount < 10 ** (AMOUNT_PRECISION - AMOUNT_SCALE))
    )
    return (
        F.when(F.col("_corrupt"), F.lit(Reason.UNPARSEABLE_JSON.value))
        .when(missing, F.lit(Reason.MISSING_FIELD.value))
        .when(F.col("event_time").isNull(), F.lit(Reason.INVALID_EVENT_TIME.value))
        .when(~F.col("event_type").isin(*EVENT_TYPES), F.lit(Reason.UNKNOWN_EVENT_TYPE.value))
        .when(~amount_ok, F.lit(Reason.INVALID_AMOUNT.value))
        .when(F.col("event_date") > F.col("ingest_date"), F.lit(Reason.EVENT_TIME_AFTER_INGEST.value))
    )


def classify(parsed: DataFrame, *, run_date: dt.date, allowed_lateness_days: int) -> DataFrame:
    """Give every parsed line its ``disposition`` for the run of ``run_date`` (see the module docstring).

    Adds ``disposition`` and ``is_late``; ``reason`` gains ``too_late`` and ``duplicate``.
    """
    if allowed_lateness_days < 0:
        raise ValueError(f"allowed_lateness_days={allowed_lateness_days} is invalid: must be >= 0")
    day = F.lit(run_date)
    own = F.col("ingest_date") == day
    lag = F.datediff("ingest_date", "event_date")
    malformed = F.col("reason").isNotNull()
    too_late = lag > allowed_lateness_days
    disposition = (
        F.when(malformed, F.when(own, F.lit(QUARANTINED)).otherwise(F.lit(OTHER_RUN)))
        .when((F.col("event_date") == day) & ~too_late, F.lit(CURATED))
        .when(too_late & own, F.lit(QUARANTINED))
        .otherwise(F.lit(OTHER_RUN))
    )
    reason = F.when(~malformed & too_late & own, F.lit(Reason.TOO_LATE.value)).otherwise(F.col("reason"))
    decided = parsed.select("*", disposition.alias("disposition")).withColumn("reason", reason)

    # The first copy of an event wins; the order is total, so re-runs keep the same copy.
    first = Window.partitionBy("event_id").orderBy("ingest_date", "value")
    candidates = decided.where(F.col("disposition") == CURATED).withColumn("_copy", F.row_number().over(first))
    deduplicated = candidates.select(
        *(c for c in decided.columns if c not in ("disposition", "reason")),
        F.when(F.col("_copy") == 1, F.lit(CURATED)).otherwise(F.lit(QUARANTINED)).alias("disposition"),
        F.when(F.col("_copy") == 1, F.lit(None).cast("string"))
        .otherwise(F.lit(Reason.DUPLICATE.value))
        .alias("reason"),
    )
    rest = decided.where(F.col("disposition") != CURATED)
    return deduplicated.unionByName(rest).withColumn(
        "is_late", (F.col("disposition") == CURATED) & (F.col("ingest_date") > F.col("event_date"))
    )


def curated_events(classified: DataFrame) -> DataFrame:
    """The rows for the curated zone, in :data:`CURATED_COLUMNS` order."""
    return classified.where(F.col("disposition") == CURATED).select(*CURATED_COLUMNS)


def quarantined(classified: DataFrame, *, run_date: dt.date) -> DataFrame:
    """The rows for the quarantine, in :data:`QUARANTINE_COLUMNS` order."""
    return classified.where(F.col("disposition") == QUARANTINED).select(
        "value", "ingest_date", "reason", F.lit(run_date).alias("run_date")
    )


def daily_aggregate(curated: DataFrame, products: DataFrame) -> DataFrame:
    """Per event day and product category: counts by event type, revenue, distinct users, late events.

    ``products`` needs ``product_id`` and ``category``. Events of a product the dimension does not know count
    under ``unknown``. A product listed twice takes its smallest category, so a bad dimension row can never
    count an event twice.
    """
    categories = products.groupBy("product_id").agg(F.min("category").alias("category"))
    enriched = curated.join(categories, "product_id", "left").withColumn(
        "category", F.coalesce(F.col("category"), F.lit(UNKNOWN_CATEGORY))
    )

    def count_of(event_type: str) -> Column:
        return F.count(F.when(F.col("event_type") == event_type, True))

    return (
        enriched.groupBy("event_date", "category")
        .agg(
            count_of("view").alias("views"),
            count_of("add_to_cart").alias("add_to_carts"),
            count_of("purchase").alias("purchases"),
            F.coalesce(F.sum(F.when(F.col("event_type") == "purchase", F.col("amount"))), F.lit(0).cast(_AMOUNT))
            .cast(T.DecimalType(AMOUNT_PRECISION + 8, AMOUNT_SCALE))
            .alias("revenue"),
            F.countDistinct("user_id").alias("unique_users"),
            F.count(F.when(F.col("is_late"), True)).alias("late_events"),
        )
        .select(*AGGREGATE_COLUMNS)
    )
