"""Typed per-environment settings, loaded from ``config/<env>.json`` and validated once, before any construct exists.

Each environment file is plain data. Its sections are parsed straight into the library's Props classes, so a
setting means exactly what the construct's docstring says, and the construct's own rules report a bad value
with the file and key it came from::

    config/prod.json: network.max_azs=9 is invalid: AZ count out of range; allowed: 1-6
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from emr_constructs.catalog import DataCatalogProps, GlueJobProps, ZonePrefix
from emr_constructs.cluster import ClusterProps
from emr_constructs.errors import Checks, EmrConfigError, Problem
from emr_constructs.monitoring import MonitoringProps
from emr_constructs.network import ExistingNetworkProps, VpcProps
from emr_constructs.orchestration import PipelineProps, TransientClusterProps, jar_key_problems, maven_fetch_problems
from emr_constructs.props import ValidatedProps
from emr_constructs.serverless import ServerlessApplicationProps
from emr_constructs.settings import parse_into
from emr_constructs.sources import DynamoTableProps, KinesisStreamProps, RelationalDatabaseProps
from emr_constructs.storage import DataLakeProps
from emr_constructs.studio import EmrStudioProps
from emr_constructs.tags import tag_problems
from emr_constructs.warehouse import WarehouseProps

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPOSITORY_ROOT / "config"

_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
_POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
_ENV_NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
_CONSTRUCT_ID = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")
_COMPUTE_STACK_ID = re.compile(r"^Compute[A-Za-z0-9]{0,32}$")
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
_CONSTRUCT_ID_ALLOWED = "letters and digits, starting with a capital letter (e.g. 'Analytics')"


@dataclass(frozen=True, kw_only=True)
class NetworkSettings(ValidatedProps):
    """``network`` section: build a VPC (``vpc``) or use an existing one (``existing``), not both."""

    vpc: VpcProps | None = None
    """Props of the VPC the platform builds. Used when ``existing`` is not given (default: ``VpcProps()``)."""
    existing: ExistingNetworkProps | None = None
    """An existing VPC and its private subnets, described without lookups."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            self.vpc is None or self.existing is None,
            "existing",
            self.existing.vpc_id if self.existing else None,
            "a network is either built ('vpc') or brought ('existing'), not both",
            "one of 'vpc' or 'existing'",
        )
        if self.existing is not None:
            checks.extend(self.existing.problems(), prefix="existing")
        else:
            checks.extend((self.vpc or VpcProps()).problems(), prefix="vpc")
        return checks.problems

    @property
    def internet_egress(self) -> bool:
        """Whether the compute subnets reach the internet (the built VPC's NAT gateways, or as the brought
        network's settings say)."""
        return self.existing.internet_egress if self.existing is not None else (self.vpc or VpcProps()).internet_egress


class _HasProblems(Protocol):
    def problems(self) -> list[Problem]: ...


def _check_by_construct_id(checks: Checks, field_name: str, sections: Mapping[str, _HasProblems]) -> None:
    """Sections keyed by construct id (jobs, clusters): each key must be a usable id, each value valid."""
    for name, section in sections.items():
        checks.require(
            bool(_CONSTRUCT_ID.match(name)),
            f"{field_name}.{name}",
            name,
            "not a usable construct id",
            _CONSTRUCT_ID_ALLOWED,
        )
        checks.extend(section.problems(), prefix=f"{field_name}.{name}")


@dataclass(frozen=True, kw_only=True)
class GlueJobSettings(ValidatedProps):
    """One Glue job of the ``catalog.jobs`` section."""

    script: str
    """Path of the PySpark script, relative to the repository root (e.g. ``jobs/sessionize.py``)."""
    job: GlueJobProps = GlueJobProps()
    """Capacity, limits and the zone folders the job reads and writes."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            self.script.endswith(".py") and (REPOSITORY_ROOT / self.script).is_file(),
            "script",
            self.script,
            "no such PySpark file in the repository",
            "the path of a .py file relative to the repository root, e.g. 'jobs/sessionize.py'",
        )
        checks.extend(self.job.problems(), prefix="job")
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class CatalogSettings(ValidatedProps):
    """``catalog`` section: the Glue databases and crawlers, and the Glue jobs by construct id."""

    catalog: DataCatalogProps = DataCatalogProps()
    jobs: dict[str, GlueJobSettings] = field(default_factory=dict)
    """Glue jobs by construct id (the id is part of the job's logical id: do not rename a deployed job)."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.extend(self.catalog.problems(), prefix="catalog")
        _check_by_construct_id(checks, "jobs", self.jobs)
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class ClusterSettings(ValidatedProps):
    """One EMR cluster of the ``compute.clusters`` section and what it may touch."""

    stack: str = "Compute"
    """Id of the compute stack that holds the cluster (``Compute``, ``ComputeBatch``, ...). Clusters share a
    stack by default; move some to another one when a stack nears CloudFormation's limits. The 1 MB template
    limit binds first: a production cluster adds about 63 KB, so about 15 such clusters fit one stack (the
    synth fails with this advice before that)."""
    cluster: ClusterProps = ClusterProps()
    """The cluster itself: release, applications, capacity, scaling, lifecycle, security configuration."""
    read: tuple[ZonePrefix, ...] = ()
    """Lake folders the cluster reads (S3 read with key usage, and read access to the zone's Glue database)."""
    write: tuple[ZonePrefix, ...] = ()
    """Lake folders the cluster writes (S3 read-write with key usage, and its zone's Glue tables)."""
    warehouse_access: bool = False
    """Let the cluster use the warehouse through the Redshift Data API and temporary credentials
    (spark-redshift connector), on this environment's warehouse only."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        _check_compute_stack(checks, self.stack)
        checks.extend(self.cluster.problems(), prefix="cluster")
        _check_folders(checks, self.read, self.write)
        return checks.problems


def _check_compute_stack(checks: Checks, stack: str) -> None:
    checks.require(
        bool(_COMPUTE_STACK_ID.match(stack)),
        "stack",
        stack,
        "not a compute stack id",
        "'Compute' followed by up to 32 letters or digits, e.g. 'Compute' or 'ComputeBatch'",
    )


def _check_folders(checks: Checks, read: tuple[ZonePrefix, ...], write: tuple[ZonePrefix, ...]) -> None:
    for field_name, folders in (("read", read), ("write", write)):
        for index, folder in enumerate(folders):
            checks.extend(folder.problems(), prefix=f"{field_name}[{index}]")


@dataclass(frozen=True, kw_only=True)
class ServerlessSettings(ValidatedProps):
    """One EMR Serverless application of the ``compute.serverless`` section and what its jobs may touch; granted
    exactly like a cluster (``compute.clusters``)."""

    stack: str = "Compute"
    """Id of the compute stack that holds the application (with the clusters by default)."""
    application: ServerlessApplicationProps = ServerlessApplicationProps()
    """The application: type, release, pre-initialized and maximum capacity, auto-start/stop, logs."""
    read: tuple[ZonePrefix, ...] = ()
    """Lake folders the jobs read (S3 read with key usage, and the zone's Glue database)."""
    write: tuple[ZonePrefix, ...] = ()
    """Lake folders the jobs write (S3 read-write with key usage, and the zone's Glue tables)."""
    warehouse_access: bool = False
    """Let the jobs use this environment's warehouse (Data API, temporary credentials, the warehouse port)."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        _check_compute_stack(checks, self.stack)
        checks.extend(self.application.problems(), prefix="application")
        _check_folders(checks, self.read, self.write)
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class ComputeSettings(ValidatedProps):
    """``compute`` section: the environment's EMR clusters and EMR Serverless applications by construct id."""

    clusters: dict[str, ClusterSettings] = field(default_factory=dict)
    """Clusters by construct id. The id is part of every logical id of the cluster and of the export names
    the operator CLI reads (``emr-platform-<env>-cluster-<id lowercased>-id``): do not rename a deployed one."""
    serverless: dict[str, ServerlessSettings] = field(default_factory=dict)
    """EMR Serverless applications by construct id (exports ``emr-platform-<env>-serverless-<id lowercased>-id``,
    ``-role-arn`` and ``-log-uri``); an id may not be a cluster's id too."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        _check_by_construct_id(checks, "clusters", self.clusters)
        _check_by_construct_id(checks, "serverless", self.serverless)
        for name in self.serverless:
            checks.require(
                name not in self.clusters,
                f"serverless.{name}",
                name,
                "a cluster has this construct id already",
                "an id no cluster uses",
            )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class SourcesSettings(ValidatedProps):
    """``sources`` section: what the workloads read and write beyond the lake (its own ``Sources`` stack)."""

    database: RelationalDatabaseProps | None = None
    """The relational database holding the product dimension: brought (``existing``) or, only where
    ``allow_destroy`` is true (dev), created (``create``). Default none."""
    dimension_table: str = "public.products"
    """Table of the database with ``product_id`` and ``category`` (the batch ETL's ``--jdbc-table``)."""
    sink: DynamoTableProps | None = None
    """The DynamoDB table the aggregates are written to (created, or brought with ``table_arn``). Default none."""
    stream: KinesisStreamProps | None = None
    """The Kinesis stream streaming jobs read (created, or brought with ``stream_arn``). Default none."""
    stream_readers: tuple[str, ...] = ()
    """Clusters or serverless applications (ids of ``compute``) granted to read the stream and write the sink."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        if self.database is not None:
            checks.extend(self.database.problems(), prefix="database")
        checks.require(
            bool(_TABLE_NAME.match(self.dimension_table)),
            "dimension_table",
            self.dimension_table,
            "not a table name",
            "table or schema.table of letters, digits and '_', e.g. 'public.products'",
        )
        if self.sink is not None:
            checks.extend(self.sink.problems(), prefix="sink")
        if self.stream is not None:
            checks.extend(self.stream.problems(), prefix="stream")
        checks.require(
            self.stream is not None or not self.stream_readers,
            "stream_readers",
            list(self.stream_readers),
            "no stream to read",
            "an empty list, or a 'stream' section",
        )
        return checks.problems


class Workload(StrEnum):
    """The repository's reference workloads (``workloads/``) a pipeline runs."""

    BATCH_ETL = "batch_etl"
    """``workloads/batch/job.py``: raw events -> curated -> daily aggregate, dimension from the database, the
    aggregate to the DynamoDB sink. Needs ``sources.database`` and ``sources.sink``."""
    STREAMING = "streaming"
    """``workloads/streaming/job.py``: the stream's events -> event-time windows -> the analytics zone and the
    DynamoDB sink, a detached PyFlink job. Runs on a cluster with Flink that is one of ``sources.stream_readers``;
    needs ``sources.stream`` and ``sources.sink``."""

    @property
    def engine(self) -> str:
        return "Flink" if self is Workload.STREAMING else "Spark"


@dataclass(frozen=True, kw_only=True)
class PipelineSettings(ValidatedProps):
    """One pipeline of the ``pipelines`` section: a workload, where it runs, and when."""

    workload: Workload = Workload.BATCH_ETL
    """Which workload. Default ``batch_etl``."""
    cluster: str | None = None
    """Run as steps on this long-running cluster (an id of ``compute.clusters``), or, with ``transient``, on a
    cluster created for each run like it."""
    serverless: str | None = None
    """Run as job runs on this EMR Serverless application (an id of ``compute.serverless``)."""
    pipeline: PipelineProps = PipelineProps()
    """Schedule (EventBridge Scheduler expression; none: started by hand) and timeout."""
    transient: TransientClusterProps | None = None
    """Run each execution on a cluster created for it and always terminated (``TransientClusterPipeline``), with
    the roles, security groups, security configuration and logs of ``cluster``: its size and release. Default:
    none (steps on ``cluster`` itself)."""
    spark_submit_options: tuple[str, ...] = ()
    """Extra ``spark-submit`` options, e.g. the JDBC driver: ``["--packages", "org.postgresql:postgresql:42.7.4"]``
    (fetched from Maven Central at run time: the compute needs a route to it, so not in a network without
    internet egress). Spark workloads only."""
    flink_properties: dict[str, str] = field(default_factory=dict)
    """Flink configuration of a Flink workload (``-D<key>=<value>``), e.g. ``{"parallelism.default": "2"}``."""
    jars: tuple[str, ...] = ()
    """Object keys of jars in the environment's artifacts bucket the job loads (``--jars s3://...``), e.g.
    ``["jars/postgresql-42.7.4.jar"]``: how a job gets its JDBC driver without Maven. The compute is granted
    ``s3:GetObject`` on exactly those objects; they must be uploaded before the first run."""

    @property
    def compute(self) -> str:
        return self.cluster or self.serverless or ""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            (self.cluster is None) != (self.serverless is None),
            "cluster",
            self.cluster,
            "a pipeline runs on one compute",
            "exactly one of 'cluster' (steps) and 'serverless' (job runs)",
        )
        checks.extend(self.pipeline.problems(), prefix="pipeline")
        if self.transient is not None:
            checks.require(
                self.cluster is not None,
                "transient",
                "set",
                "a transient cluster is created like one of compute.clusters (its roles, groups and logs)",
                "'cluster' naming that cluster",
            )
            checks.extend(self.transient.problems(), prefix="transient")
        engine = self.workload.engine
        checks.require(
            engine == "Spark" or not self.spark_submit_options,
            "spark_submit_options",
            list(self.spark_submit_options),
            f"the {self.workload.value} workload runs on {engine}, not Spark",
            "no spark_submit_options; flink_properties for Flink settings",
        )
        checks.require(
            engine == "Flink" or not self.flink_properties,
            "flink_properties",
            self.flink_properties,
            f"the {self.workload.value} workload runs on {engine}, not Flink",
            "no flink_properties; spark_submit_options for Spark settings",
        )
        checks.require(
            engine != "Flink" or self.serverless is None,
            "serverless",
            self.serverless,
            f"the {self.workload.value} workload runs on Flink, and EMR Serverless runs Spark and Hive only",
            "'cluster': a cluster with Flink",
        )
        checks.extend(jar_key_problems("jars", self.jars))
        return checks.problems


def _check_data_path(checks: Checks, settings: EnvironmentSettings) -> None:
    """Cross-section rules of ``sources``, ``pipelines`` and ``network``: names resolve, a created database only in
    dev, no Maven downloads where the network has no internet egress."""
    sources, compute = settings.sources, settings.compute
    database = sources.database
    checks.require(
        database is None or database.create is None or settings.allow_destroy,
        "sources.database.create",
        "set" if database is not None and database.create is not None else None,
        "the library creates a database only where the environment allows destroy (dev); others bring theirs",
        "sources.database.existing, or allow_destroy: true",
    )
    for index, reader in enumerate(sources.stream_readers):
        checks.require(
            reader in compute.clusters or reader in compute.serverless,
            f"sources.stream_readers[{index}]",
            reader,
            "no such cluster or serverless application",
            ", ".join([*compute.clusters, *compute.serverless]) or "(none)",
        )
    for name, pipeline in settings.pipelines.items():
        if pipeline.cluster is not None:
            checks.require(
                pipeline.cluster in compute.clusters,
                f"pipelines.{name}.cluster",
                pipeline.cluster,
                "no such cluster",
                ", ".join(compute.clusters) or "(none)",
            )
        if pipeline.transient is not None and pipeline.cluster in compute.clusters:
            checks.require(
                compute.clusters[pipeline.cluster].cluster.roles.create_autoscaling_role,
                f"compute.clusters.{pipeline.cluster}.cluster.roles.create_autoscaling_role",
                False,
                f"the transient clusters of pipelines.{name} take this cluster's roles, and Step Functions gives a "
                "cluster it creates an autoscaling role",
                "true",
            )
        if pipeline.serverless is not None:
            checks.require(
                pipeline.serverless in compute.serverless,
                f"pipelines.{name}.serverless",
                pipeline.serverless,
                "no such serverless application",
                ", ".join(compute.serverless) or "(none)",
            )
        checks.extend(
            maven_fetch_problems(
                pipeline.spark_submit_options,
                internet_egress=settings.network.internet_egress,
                network=f"{settings.name}'s network",
                jars=f"pipelines.{name}.jars",
            ),
            prefix=f"pipelines.{name}",
        )
        if pipeline.workload is Workload.BATCH_ETL:
            checks.require(
                database is not None and sources.sink is not None,
                f"pipelines.{name}.workload",
                pipeline.workload.value,
                "the batch ETL reads the dimension from sources.database and writes the aggregate to sources.sink",
                "a 'sources' section with 'database' and 'sink'",
            )
        if pipeline.workload is Workload.STREAMING:
            checks.require(
                sources.stream is not None and sources.sink is not None,
                f"pipelines.{name}.workload",
                pipeline.workload.value,
                "the streaming job reads sources.stream and writes its windows to sources.sink",
                "a 'sources' section with 'stream' and 'sink'",
            )
            checks.require(
                pipeline.cluster is None or pipeline.cluster in sources.stream_readers,
                f"pipelines.{name}.cluster",
                pipeline.cluster,
                "the streaming job's cluster is granted nothing on the stream",
                "a cluster listed in sources.stream_readers: " + (", ".join(sources.stream_readers) or "(none)"),
            )


@dataclass(frozen=True, kw_only=True)
class EnvironmentSettings(ValidatedProps):
    """Everything that differs between environments. Documented key by key in ``config/README.md``."""

    name: str
    """Environment name; the CDK Stage id, so ``cdk deploy "<name>/*"`` deploys exactly this environment."""
    account: str | None = None
    """12-digit AWS account id. ``None`` synthesizes environment-agnostic stacks."""
    region: str | None = None
    """AWS region, e.g. ``eu-west-1``. ``None`` synthesizes environment-agnostic stacks."""
    termination_protection: bool = True
    """CloudFormation termination protection on every stack of the environment."""
    allow_destroy: bool = False
    """Whether stateful resources of this environment may be destroyed. Even when true, DESTROY only takes
    effect with ``-c emr-platform:allow-destroy=true`` on the command line."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags applied to every resource of the environment."""
    permissions_boundary: str | None = None
    """Name of an existing customer-managed IAM policy set as permissions boundary on every role of the
    environment (the library's and those CDK creates for custom resources), so no role can exceed what the
    account's owners allow even if its own policies are widened later. ``None``: no boundary (dev)."""
    network: NetworkSettings = NetworkSettings()
    """The VPC (built or brought) and its endpoints and flow logs."""
    data_lake: DataLakeProps = DataLakeProps()
    """Key, buckets, names and lifecycle of the data lake."""
    catalog: CatalogSettings = CatalogSettings()
    """Glue databases per zone, crawlers and Glue jobs."""
    warehouse: WarehouseProps = WarehouseProps()
    """The Redshift warehouse (serverless by default; serverless needs 3 AZs)."""
    compute: ComputeSettings = ComputeSettings()
    """The EMR clusters, and which lake folders each may read and write."""
    monitoring: MonitoringProps = MonitoringProps()
    """Alarm thresholds, notification subscribers and the dashboard name."""
    sources: SourcesSettings = SourcesSettings()
    """Relational database, DynamoDB sink and Kinesis stream of the data path (the ``Sources`` stack)."""
    pipelines: dict[str, PipelineSettings] = field(default_factory=dict)
    """Step Functions pipelines by construct id (the ``Pipelines`` stack): which workload runs where and when."""
    studio: EmrStudioProps | None = None
    """An EMR Studio (its own ``Studio`` stack) over the environment's clusters and serverless applications.
    Default none."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            bool(_ENV_NAME.match(self.name)),
            "name",
            self.name,
            "not a valid environment name",
            "lowercase letters, digits and '-', starting with a letter, at most 20 characters",
        )
        if self.account is not None:
            checks.require(
                bool(_ACCOUNT.match(self.account)),
                "account",
                self.account,
                "not an AWS account id",
                "12 digits, or null for environment-agnostic stacks",
            )
        if self.region is not None:
            checks.require(
                bool(_REGION.match(self.region)),
                "region",
                self.region,
                "not an AWS region name",
                "e.g. 'eu-west-1', or null for environment-agnostic stacks",
            )
        checks.require(
            not (self.allow_destroy and self.termination_protection),
            "allow_destroy",
            self.allow_destroy,
            "an environment whose stacks are termination-protected cannot allow destroying data",
            "false, or set termination_protection to false (dev only)",
        )
        checks.extend(tag_problems(self.tags))
        if self.permissions_boundary is not None:
            checks.require(
                bool(_POLICY_NAME.match(self.permissions_boundary)),
                "permissions_boundary",
                self.permissions_boundary,
                "not an IAM managed policy name",
                "1-128 characters of letters, digits and +=,.@_-",
            )
        checks.extend(self.network.problems(), prefix="network")
        checks.extend(self.data_lake.problems(), prefix="data_lake")
        checks.extend(self.catalog.problems(), prefix="catalog")
        checks.extend(self.warehouse.problems(), prefix="warehouse")
        checks.extend(self.compute.problems(), prefix="compute")
        checks.extend(self.monitoring.problems(), prefix="monitoring")
        checks.extend(self.sources.problems(), prefix="sources")
        _check_by_construct_id(checks, "pipelines", self.pipelines)
        _check_data_path(checks, self)
        if self.studio is not None:
            checks.extend(self.studio.problems(), prefix="studio")
        return checks.problems


#: Promotion order: environments are listed (and synthesized) in this order, others after them by name.
PROMOTION_ORDER = ("dev", "staging", "prod")


def known_environments(config_dir: Path = CONFIG_DIR) -> list[str]:
    names = [p.stem for p in config_dir.glob("*.json")]
    return sorted(names, key=lambda n: (PROMOTION_ORDER.index(n) if n in PROMOTION_ORDER else len(PROMOTION_ORDER), n))


def load_environment(name: str, config_dir: Path = CONFIG_DIR) -> EnvironmentSettings:
    """Load and validate ``<config_dir>/<name>.json``; raise :class:`EmrConfigError` naming the file and keys."""
    known = known_environments(config_dir)
    if name not in known:
        raise EmrConfigError("-c env=NAME", [Problem("env", name, "unknown environment", ", ".join(known) or "(none)")])
    path = config_dir / f"{name}.json"
    # Name the file as a user finds it: from the repository root when it is in it (tools/bench/config/x.json).
    base = REPOSITORY_ROOT if path.resolve().is_relative_to(REPOSITORY_ROOT) else config_dir.parent
    where = str(path.resolve().relative_to(base.resolve()))
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise EmrConfigError(where, [Problem("(file)", f"line {exc.lineno}", exc.msg, "valid JSON")]) from None
    problems: list[Problem] = []
    if isinstance(data, dict) and data.get("name", name) != name:
        problems.append(Problem("name", data["name"], "must match the file name", name))
    settings = parse_into(EnvironmentSettings, {"name": name, **data} if isinstance(data, dict) else data, "", problems)
    if problems:
        raise EmrConfigError(where, problems)
    return settings


def load_environments(selected: str | None, config_dir: Path = CONFIG_DIR) -> list[EnvironmentSettings]:
    """The environment named by ``-c env=NAME``, or every environment when none is named."""
    names = [selected] if selected else known_environments(config_dir)
    return [load_environment(n, config_dir) for n in names]
