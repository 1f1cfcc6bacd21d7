"""The Glue Data Catalog of the lake: databases per zone, crawlers, Glue jobs and the security configuration."""

from emr_constructs.catalog.access import grant_zone_access
from emr_constructs.catalog.catalog import DataCatalog, ZoneCrawler
from emr_constructs.catalog.job import GlueJob
from emr_constructs.catalog.props import (
    GLUE_VERSIONS,
    CrawlerProps,
    DataCatalogProps,
    GlueJobKind,
    GlueJobProps,
    WorkerType,
    ZonePrefix,
)
from emr_constructs.catalog.schedule import cron_problems

__all__ = [
    "GLUE_VERSIONS",
    "CrawlerProps",
    "DataCatalog",
    "DataCatalogProps",
    "GlueJob",
    "GlueJobKind",
    "GlueJobProps",
    "WorkerType",
    "ZoneCrawler",
    "ZonePrefix",
    "cron_problems",
    "grant_zone_access",
]
