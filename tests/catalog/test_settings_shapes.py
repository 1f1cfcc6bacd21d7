"""The catalog and Glue job settings as they appear in config/<env>.json parse into the props unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from emr_constructs.catalog import CrawlerProps, DataCatalogProps, GlueJobKind, GlueJobProps, WorkerType, ZonePrefix
from emr_constructs.errors import Problem
from emr_constructs.settings import parse_into
from emr_constructs.storage import Zone

CATALOG_SETTINGS: dict[str, dict[str, Any]] = {
    "dev": {"database_prefix": "dev_lake", "crawlers": [{"zone": "raw", "prefix": "events/"}]},
    "staging": {
        "database_prefix": "staging_lake",
        "crawlers": [{"zone": "raw", "prefix": "events/", "schedule": "cron(0 3 * * ? *)"}],
    },
    "prod": {
        "database_prefix": "prod_lake",
        "crawlers": [
            {"zone": "raw", "prefix": "events/", "schedule": "cron(0/30 * * * ? *)"},
            {"zone": "curated", "prefix": "sessions/", "schedule": "cron(15 2 * * ? *)"},
        ],
        "encrypt_catalog": True,
    },
}


@pytest.mark.parametrize("env", sorted(CATALOG_SETTINGS))
def test_catalog_settings_parse(env: str) -> None:
    problems: list[Problem] = []
    props = parse_into(DataCatalogProps, CATALOG_SETTINGS[env], "catalog", problems)
    assert problems == []
    assert props.database_name(Zone.RAW) == f"{env}_lake_raw"
    assert props.crawlers[0] == CrawlerProps(
        zone=Zone.RAW, prefix="events/", schedule=CATALOG_SETTINGS[env]["crawlers"][0].get("schedule")
    )


def test_glue_job_settings_parse() -> None:
    problems: list[Problem] = []
    props = parse_into(
        GlueJobProps,
        {
            "glue_version": "5.0",
            "worker_type": "G.2X",
            "number_of_workers": 10,
            "timeout_minutes": 120,
            "read": [{"zone": "raw", "prefix": "events/"}],
            "write": [{"zone": "curated", "prefix": "sessions/"}],
            "arguments": {"--target": "sessions"},
        },
        "jobs.sessionize",
        problems,
    )
    assert problems == []
    assert props.kind == GlueJobKind.ETL and props.worker_type == WorkerType.G_2X
    assert props.write == (ZonePrefix(zone=Zone.CURATED, prefix="sessions/"),)


def test_fails_bad_settings_report_their_key_path() -> None:
    problems: list[Problem] = []
    parse_into(DataCatalogProps, {"crawlers": [{"zone": "raw", "schedule": "cron(* * * * ? *)"}]}, "catalog", problems)
    assert [p.field for p in problems] == ["catalog.crawlers[0].schedule"]
