"""The catalog and Glue job settings of every environment, read from config/<env>.json by the app's loader."""

from __future__ import annotations

import pytest

from emr_constructs.catalog import CrawlerProps, DataCatalogProps, GlueJobKind, ZonePrefix
from emr_constructs.errors import Problem
from emr_constructs.settings import parse_into
from emr_constructs.storage import Zone
from stacks.settings import EnvironmentSettings, GlueJobSettings, Workload, load_environment

ENVIRONMENTS = ("dev", "staging", "prod")


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def settings(request: pytest.FixtureRequest) -> EnvironmentSettings:
    return load_environment(request.param)


def test_databases_are_named_after_the_environment(settings: EnvironmentSettings) -> None:
    assert settings.catalog.catalog.database_name(Zone.RAW) == f"{settings.name}_lake_raw"


def test_raw_events_are_crawled_everywhere_and_on_a_schedule_outside_dev(settings: EnvironmentSettings) -> None:
    raw = [c for c in settings.catalog.catalog.crawlers if c.zone == Zone.RAW]
    assert [c.prefix for c in raw] == ["events/"]
    assert (raw[0].schedule is None) == (settings.name == "dev")


def test_only_prod_encrypts_the_catalog(settings: EnvironmentSettings) -> None:
    assert settings.catalog.catalog.encrypt_catalog == (settings.name == "prod")


def test_curation_runs_in_the_batch_etl_pipeline_not_in_a_glue_job(settings: EnvironmentSettings) -> None:
    # One writer of curated/events/: the batch ETL (validation, de-duplication, quarantine) on EMR.
    assert settings.catalog.jobs == {}
    # (DailyEvents on the long-running cluster, Backfill on transient ones: the same job, one writer at a time.)
    assert {p.workload for p in settings.pipelines.values() if p.workload is not Workload.STREAMING} == {
        Workload.BATCH_ETL
    }


def test_a_glue_job_setting_reads_and_writes_inside_the_lake_zones() -> None:
    problems: list[Problem] = []
    job = parse_into(
        GlueJobSettings,
        {"script": "workloads/batch/job.py", "job": {"read": [{"zone": "raw", "prefix": "events/"}],
         "write": [{"zone": "curated", "prefix": "events/"}]}},
        "job",
        problems,
    )  # fmt: skip
    assert problems == [] and job.job.kind == GlueJobKind.ETL
    assert all(isinstance(p, ZonePrefix) for p in (*job.job.read, *job.job.write))
    assert {p.zone for p in job.job.write} == {Zone.CURATED}


def test_fails_bad_settings_report_their_key_path() -> None:
    problems: list[Problem] = []
    parse_into(DataCatalogProps, {"crawlers": [{"zone": "raw", "schedule": "cron(* * * * ? *)"}]}, "catalog", problems)
    assert [p.field for p in problems] == ["catalog.crawlers[0].schedule"]


def test_crawler_settings_parse_into_props() -> None:
    problems: list[Problem] = []
    props = parse_into(CrawlerProps, {"zone": "curated", "prefix": "events/"}, "crawler", problems)
    assert problems == [] and props == CrawlerProps(zone=Zone.CURATED, prefix="events/")
