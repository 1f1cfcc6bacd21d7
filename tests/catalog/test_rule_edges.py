"""Every catalog rule at its edges: the smallest and largest valid value build clean, one step past fails."""

from __future__ import annotations

from typing import Any

from emr_constructs.catalog.props import (
    CrawlerProps,
    DataCatalogProps,
    GlueJobKind,
    GlueJobProps,
    WorkerType,
    ZonePrefix,
)
from emr_constructs.storage import Zone
from tests.rule_edges import Edge, edge_tests

JOB: dict[str, Any] = {"write": (ZonePrefix(zone=Zone.CURATED, prefix="events/"),)}
DATABASE_RULE = (
    "database names '<prefix>_<zone>' would not be Glue database names that Athena, Hive and Spark accept unquoted; "
    "allowed: lowercase letters, digits and '_', starting with a letter, at most 245 characters"
)


def workers(worker_type: WorkerType, low: int, high: int) -> Edge:
    def error(count: int) -> str:
        return (
            f"Test: number_of_workers={count} is invalid: worker count out of range for {worker_type.value}; "
            f"allowed: {low}-{high}"
        )

    return Edge(
        f"number_of_workers {worker_type.value}",
        GlueJobProps,
        base={**JOB, "worker_type": worker_type},
        valid=[{"number_of_workers": low}, {"number_of_workers": high}],
        invalid=[({"number_of_workers": low - 1}, error(low - 1)), ({"number_of_workers": high + 1}, error(high + 1))],
    )


EDGES = [
    workers(WorkerType.G_1X, 2, 299),
    workers(WorkerType.G_2X, 2, 149),
    Edge(
        "number_of_workers without a documented ceiling",
        GlueJobProps,
        base={**JOB, "worker_type": WorkerType.G_4X},
        valid=[{"number_of_workers": 2}, {"number_of_workers": 10_000}],
        invalid=[
            (
                {"number_of_workers": 1},
                "Test: number_of_workers=1 is invalid: worker count out of range for G.4X; "
                "allowed: at least 2 (the ceiling is the account's quota)",
            )
        ],
    ),
    Edge(
        "timeout_minutes",
        GlueJobProps,
        base=JOB,
        valid=[{"timeout_minutes": 1}, {"timeout_minutes": 10080}],
        invalid=[
            (
                {"timeout_minutes": minutes},
                f"Test: timeout_minutes={minutes} is invalid: timeout out of range; allowed: 1-10080 minutes",
            )
            for minutes in (0, 10081)
        ],
    ),
    Edge(
        "max_retries",
        GlueJobProps,
        base=JOB,
        valid=[{"max_retries": 0}, {"max_retries": 10}],
        invalid=[
            ({"max_retries": retries}, f"Test: max_retries={retries} is invalid: out of range; allowed: 0-10")
            for retries in (-1, 11)
        ],
    ),
    Edge(
        "max_concurrent_runs",
        GlueJobProps,
        base=JOB,
        valid=[{"max_concurrent_runs": 1}, {"max_concurrent_runs": 1000}],
        invalid=[
            (
                {"max_concurrent_runs": 0},
                "Test: max_concurrent_runs=0 is invalid: a job needs at least one run slot; allowed: 1 or more",
            )
        ],
    ),
    Edge(
        "G.025X only for streaming jobs",
        GlueJobProps,
        base={**JOB, "worker_type": WorkerType.G_025X},
        valid=[{"kind": GlueJobKind.STREAMING}],
        invalid=[
            (
                {"kind": GlueJobKind.ETL},
                "Test: worker_type='G.025X' is invalid: G.025X workers only run streaming jobs; "
                "allowed: G.1X, G.2X, G.4X or G.8X for batch jobs, or kind 'gluestreaming'",
            )
        ],
    ),
    Edge(
        "read or write zones",
        GlueJobProps,
        valid=[{"read": (ZonePrefix(zone=Zone.RAW),)}, JOB],
        invalid=[
            (
                {},
                "Test: read=[] is invalid: a job with neither read nor write zones can do nothing with the lake; "
                "allowed: at least one zone prefix in read or write",
            )
        ],
    ),
    Edge(
        "temp_prefix is a folder of its own",
        GlueJobProps,
        base=JOB,
        valid=[{"temp_prefix": "t/"}, {"temp_prefix": "glue/temp/"}],
        invalid=[
            (
                {"temp_prefix": ""},
                "Test: temp_prefix='' is invalid: the temp dir must be a folder of its own, not the whole artifacts "
                "bucket; allowed: a key prefix ending in '/', like 'glue/temp/'",
            ),
            (
                {"temp_prefix": "glue/temp"},
                "Test: temp_prefix='glue/temp' is invalid: a folder prefix without a trailing '/' also matches its "
                "sibling folders ('sales' matches 'sales-eu/'); allowed: '' (the whole bucket) or a key prefix "
                "ending in '/', like 'events/'",
            ),
        ],
    ),
    Edge(
        "read and write folders",
        GlueJobProps,
        valid=[{"read": (ZonePrefix(zone=Zone.RAW, prefix="events/"),)}],
        invalid=[
            (
                {"read": (ZonePrefix(zone=Zone.RAW, prefix="events"),)},
                "Test: read[0].prefix='events' is invalid: a folder prefix without a trailing '/' also matches its "
                "sibling folders ('sales' matches 'sales-eu/'); allowed: '' (the whole bucket) or a key prefix "
                "ending in '/', like 'events/'",
            ),
        ],
    ),
    Edge(
        "Ray workers refused",
        GlueJobProps,
        base=JOB,
        valid=[{"worker_type": WorkerType.G_8X}],
        invalid=[
            (
                {"worker_type": WorkerType.Z_2X},
                "Test: worker_type='Z.2X' is invalid: Z.2X runs Ray jobs, not PySpark; "
                "allowed: G.1X, G.2X, G.4X, G.8X (G.025X for streaming jobs)",
            )
        ],
    ),
    Edge(
        "crawler zone, prefix and schedule together",
        CrawlerProps,
        base={"zone": Zone.RAW},
        valid=[
            {"prefix": "events/", "schedule": "cron(0 2 * * ? *)"},
            {"zone": Zone.ANALYTICS, "prefix": "", "schedule": None},
        ],
        invalid=[
            (
                {"zone": Zone.LOGS, "prefix": "events", "schedule": "cron(bad)"},
                [
                    "Test: zone='logs' is invalid: only the data zones have a Glue database; "
                    "allowed: raw, curated, analytics",
                    "Test: prefix='events' is invalid: a folder prefix without a trailing '/' also matches its "
                    "sibling folders ('sales' matches 'sales-eu/'); allowed: '' (the whole bucket) or a key prefix "
                    "ending in '/', like 'events/'",
                    "Test: schedule='cron(bad)' is invalid: cron expression has 1 fields, Glue needs 6; allowed: "
                    "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) in UTC, e.g. "
                    "cron(15 2 * * ? *)",
                ],
            )
        ],
    ),
    Edge(
        "database_prefix length",
        DataCatalogProps,
        valid=[{"database_prefix": "a"}, {"database_prefix": "a" * 245}],
        invalid=[
            ({"database_prefix": "a" * 246}, f"Test: database_prefix={'a' * 246!r} is invalid: {DATABASE_RULE}"),
            ({"database_prefix": ""}, f"Test: database_prefix='' is invalid: {DATABASE_RULE}"),
        ],
    ),
    Edge(
        "location_prefix is a folder",
        DataCatalogProps,
        valid=[{"location_prefix": ""}, {"location_prefix": "tables/"}],
        invalid=[
            (
                {"location_prefix": "tables"},
                "Test: location_prefix='tables' is invalid: a folder prefix without a trailing '/' also matches its "
                "sibling folders ('sales' matches 'sales-eu/'); allowed: '' (the whole bucket) or a key prefix "
                "ending in '/', like 'events/'",
            )
        ],
    ),
]


test_valid_edge_builds_clean, test_fails_one_step_past_the_edge = edge_tests(EDGES)
