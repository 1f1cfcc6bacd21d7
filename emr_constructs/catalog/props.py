"""Settings of the Glue catalog, its crawlers and Glue jobs: plain data, validated before any resource exists.

Every class here is built straight from the JSON settings (keys are the field names, enums by value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from emr_constructs.catalog.schedule import cron_problems
from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps
from emr_constructs.storage.data_lake import grant_prefix_problems
from emr_constructs.storage.zones import DATA_ZONES, Zone

#: Glue accepts any single-line UTF-8 string of 1-255 bytes as a database name, but Athena, Hive and Spark
#: only handle lowercase letters, digits and '_' without quoting, and a leading digit or '_' needs backticks
#: in Athena DDL: https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
GLUE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
GLUE_NAME_MAX = 255

_PREFIX_ALLOWED = "'' (the whole bucket) or a key prefix ending in '/', like 'events/'"


def key_prefix_problems(field_name: str, prefix: str) -> list[Problem]:
    """Problems of an S3 key prefix naming a folder of a zone bucket ('' is the whole bucket)."""
    problems = [replace(p, field=field_name) for p in grant_prefix_problems(prefix)]
    checks = Checks()
    checks.require(
        prefix == "" or prefix.endswith("/"),
        field_name,
        prefix,
        "a folder prefix without a trailing '/' also matches its sibling folders ('sales' matches 'sales-eu/')",
        _PREFIX_ALLOWED,
    )
    return problems + checks.problems


def _data_zone_problems(field_name: str, zone: Zone) -> list[Problem]:
    checks = Checks()
    checks.require(
        zone in DATA_ZONES,
        field_name,
        zone.value,
        "only the data zones have a Glue database",
        ", ".join(z.value for z in DATA_ZONES),
    )
    return checks.problems


@dataclass(frozen=True, kw_only=True)
class ZonePrefix(ValidatedProps):
    """A folder of one data zone: ``zone`` and a key ``prefix`` in its bucket."""

    zone: Zone
    """The data zone (``raw``, ``curated`` or ``analytics``)."""
    prefix: str = ""
    """Key prefix in the zone bucket, ending in ``/``. Default ``''``: the whole bucket."""

    def _rules(self) -> list[Problem]:
        return _data_zone_problems("zone", self.zone) + key_prefix_problems("prefix", self.prefix)


@dataclass(frozen=True, kw_only=True)
class CrawlerProps(ValidatedProps):
    """A Glue crawler over one zone prefix that writes tables into that zone's database."""

    zone: Zone
    """The data zone to crawl; its tables go to the zone's database."""
    prefix: str = ""
    """Key prefix to crawl, ending in ``/``. Default ``''``: the whole zone bucket."""
    schedule: str | None = None
    """Glue cron expression in UTC, e.g. ``cron(15 2 * * ? *)``. Default ``None``: runs on demand only."""

    def _rules(self) -> list[Problem]:
        problems = _data_zone_problems("zone", self.zone) + key_prefix_problems("prefix", self.prefix)
        if self.schedule is not None:
            problems += cron_problems("schedule", self.schedule)
        return problems


@dataclass(frozen=True, kw_only=True)
class DataCatalogProps(ValidatedProps):
    """The Glue databases of the data zones, their crawlers and the catalog's encryption."""

    database_prefix: str = "datalake"
    """Database names are ``<database_prefix>_<zone>`` (``datalake_raw``...). Glue names are unique per account
    and region: give each environment sharing an account its own prefix."""
    location_prefix: str = ""
    """Key prefix of the databases' ``LocationUri`` in each zone bucket. Default ``''``: the bucket root."""
    crawlers: tuple[CrawlerProps, ...] = ()
    """Crawlers, at most one per zone and prefix. Default none: tables come from EMR or Glue jobs."""
    encrypt_catalog: bool = False
    """Opt-in: encrypt the Data Catalog's metadata and connection passwords with the lake key. This setting is
    ACCOUNT-WIDE for the region (``AWS::Glue::DataCatalogEncryptionSettings``): it changes every database of
    the account, only one stack may own it, and every principal that reads the catalog then needs
    ``kms:Decrypt`` on the lake key (the grants of :class:`DataCatalog` add it). Default ``False``."""

    def database_name(self, zone: Zone) -> str:
        return f"{self.database_prefix}_{zone.value}"

    def _rules(self) -> list[Problem]:
        checks = Checks()
        longest = max(DATA_ZONES, key=lambda z: len(z.value))
        checks.require(
            bool(GLUE_NAME.match(self.database_prefix)) and len(self.database_name(longest)) <= GLUE_NAME_MAX,
            "database_prefix",
            self.database_prefix,
            "database names '<prefix>_<zone>' would not be Glue database names that Athena, Hive and Spark "
            "accept unquoted",
            f"lowercase letters, digits and '_', starting with a letter, at most "
            f"{GLUE_NAME_MAX - len(longest.value) - 1} characters",
        )
        checks.extend(key_prefix_problems("location_prefix", self.location_prefix))
        seen: set[tuple[Zone, str]] = set()
        for index, crawler in enumerate(self.crawlers):
            checks.extend(crawler.problems(), f"crawlers[{index}]")
            target = (crawler.zone, crawler.prefix)
            checks.require(
                target not in seen,
                f"crawlers[{index}]",
                f"{crawler.zone.value}:{crawler.prefix}",
                "two crawlers over the same zone prefix would overwrite each other's tables",
                "one crawler per zone and prefix",
            )
            seen.add(target)
        return checks.problems


class WorkerType(StrEnum):
    """Glue worker types: https://docs.aws.amazon.com/glue/latest/dg/worker-types.html"""

    G_025X = "G.025X"
    """0.25 DPU; streaming jobs only (Glue 3.0+)."""
    G_1X = "G.1X"
    """1 DPU (4 vCPU, 16 GB)."""
    G_2X = "G.2X"
    """2 DPU (8 vCPU, 32 GB)."""
    G_4X = "G.4X"
    """4 DPU (16 vCPU, 64 GB); Glue 3.0+."""
    G_8X = "G.8X"
    """8 DPU (32 vCPU, 128 GB); Glue 3.0+."""
    Z_2X = "Z.2X"
    """Ray jobs only; not a PySpark worker, so :class:`GlueJob` rejects it."""


class GlueJobKind(StrEnum):
    """The Glue job command that runs the PySpark script."""

    ETL = "glueetl"
    """Batch Spark ETL."""
    STREAMING = "gluestreaming"
    """Spark Structured Streaming."""


#: Glue versions the construct supports (Spark 3.1, 3.3, 3.5): https://docs.aws.amazon.com/glue/latest/dg/release-notes.html
GLUE_VERSIONS: tuple[str, ...] = ("3.0", "4.0", "5.0")
#: The documented ceilings of workers per job; other types are limited by the account's Glue quotas.
#: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html (NumberOfWorkers)
MAX_WORKERS: dict[WorkerType, int] = {WorkerType.G_1X: 299, WorkerType.G_2X: 149}
#: A Spark job needs a driver and at least one executor.
MIN_WORKERS = 2
#: Glue stops accepting job timeouts above 7 days; its own default is 2880 minutes (48 h).
MAX_TIMEOUT_MINUTES = 10080
MAX_RETRIES = 10

#: Default arguments the construct owns (bookmarks, logging, catalog, temp dir): settings may not override them.
RESERVED_ARGUMENTS: tuple[str, ...] = (
    "--job-language",
    "--job-bookmark-option",
    "--enable-continuous-cloudwatch-log",
    "--enable-continuous-log-filter",
    "--enable-glue-datacatalog",
    "--TempDir",
)


@dataclass(frozen=True, kw_only=True)
class GlueJobProps(ValidatedProps):
    """A PySpark Glue job: capacity, limits and the zone prefixes it may read and write."""

    kind: GlueJobKind = GlueJobKind.ETL
    """Batch (``glueetl``) or streaming (``gluestreaming``). Default batch."""
    glue_version: str = "5.0"
    """Glue version; one of :data:`GLUE_VERSIONS`. Default ``5.0`` (Spark 3.5, Python 3.11)."""
    worker_type: WorkerType = WorkerType.G_1X
    """Worker type. Default ``G.1X``, the smallest batch worker."""
    number_of_workers: int = 2
    """Workers including the driver, at least 2; at most 299 for G.1X and 149 for G.2X. Default 2."""
    timeout_minutes: int = 60
    """Run timeout, 1-10080 minutes. Default 60: a stuck run stops within the hour instead of Glue's 48 h."""
    max_retries: int = 0
    """Retries of a failed run, 0-10. Default 0: pipelines retry on their own terms."""
    max_concurrent_runs: int = 1
    """Concurrent runs allowed. Default 1, so job bookmarks are never advanced by two runs at once."""
    read: tuple[ZonePrefix, ...] = ()
    """Zone prefixes the job reads (S3 and their Glue databases, read-only)."""
    write: tuple[ZonePrefix, ...] = ()
    """Zone prefixes the job writes (S3 read-write and their Glue databases' tables)."""
    temp_prefix: str = "glue/temp/"
    """Prefix in the artifacts bucket for ``--TempDir`` (Glue's shuffle and staging files)."""
    arguments: dict[str, str] = field(default_factory=dict)
    """Extra default arguments of every run (``--my-arg``); the construct's own arguments may not be set here."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            self.glue_version in GLUE_VERSIONS,
            "glue_version",
            self.glue_version,
            "not a Glue version this construct supports",
            ", ".join(GLUE_VERSIONS),
        )
        checks.require(
            self.worker_type != WorkerType.Z_2X,
            "worker_type",
            self.worker_type.value,
            "Z.2X runs Ray jobs, not PySpark",
            "G.1X, G.2X, G.4X, G.8X (G.025X for streaming jobs)",
        )
        checks.require(
            self.worker_type != WorkerType.G_025X or self.kind == GlueJobKind.STREAMING,
            "worker_type",
            self.worker_type.value,
            "G.025X workers only run streaming jobs",
            "G.1X, G.2X, G.4X or G.8X for batch jobs, or kind 'gluestreaming'",
        )
        ceiling = MAX_WORKERS.get(self.worker_type)
        checks.require(
            self.number_of_workers >= MIN_WORKERS and (ceiling is None or self.number_of_workers <= ceiling),
            "number_of_workers",
            self.number_of_workers,
            f"worker count out of range for {self.worker_type.value}",
            f"{MIN_WORKERS}-{ceiling}" if ceiling else f"at least {MIN_WORKERS} (the ceiling is the account's quota)",
        )
        checks.require(
            1 <= self.timeout_minutes <= MAX_TIMEOUT_MINUTES,
            "timeout_minutes",
            self.timeout_minutes,
            "timeout out of range",
            f"1-{MAX_TIMEOUT_MINUTES} minutes",
        )
        checks.require(
            0 <= self.max_retries <= MAX_RETRIES, "max_retries", self.max_retries, "out of range", f"0-{MAX_RETRIES}"
        )
        checks.require(
            self.max_concurrent_runs >= 1,
            "max_concurrent_runs",
            self.max_concurrent_runs,
            "a job needs at least one run slot",
            "1 or more",
        )
        checks.require(
            bool(self.read or self.write),
            "read",
            list(self.read),
            "a job with neither read nor write zones can do nothing with the lake",
            "at least one zone prefix in read or write",
        )
        for name, folders in (("read", self.read), ("write", self.write)):
            for index, folder in enumerate(folders):
                checks.extend(folder.problems(), f"{name}[{index}]")
        checks.extend(key_prefix_problems("temp_prefix", self.temp_prefix))
        checks.require(
            self.temp_prefix != "",
            "temp_prefix",
            self.temp_prefix,
            "the temp dir must be a folder of its own, not the whole artifacts bucket",
            "a key prefix ending in '/', like 'glue/temp/'",
        )
        for key in self.arguments:
            checks.require(
                key.startswith("--") and key not in RESERVED_ARGUMENTS,
                f"arguments.{key}",
                self.arguments[key],
                "job arguments start with '--' and may not replace the ones the construct sets",
                "a '--name' not in " + ", ".join(RESERVED_ARGUMENTS),
            )
        return checks.problems
