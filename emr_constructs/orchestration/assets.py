"""Workload code shipped as CDK assets, and the job arguments built from the constructs the job uses.

A workload is a Python package (the repository's ``workloads/``) with one entry-point script per job. EMR runs a
script by its S3 URI and imports the rest from ``--py-files`` (Spark) or ``-pyfs`` (PyFlink): the package is
shipped once as a zip with the package folder at its root, each entry point as its own object. Arguments follow
the workloads' argparse contract (``--raw-path``, ``--jdbc-url``, ``--jdbc-secret-name``, ``--sink-table``, ...):
locations come from the constructs, never from hard-coded names, and no password is ever an argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks
from emr_constructs.orchestration.jars import SparkJars, jar_uris
from emr_constructs.orchestration.props import FlinkJob, SparkJob
from emr_constructs.sources.compute import IDataCompute
from emr_constructs.sources.database import RelationalDatabase
from emr_constructs.sources.dynamodb import DynamoTable
from emr_constructs.sources.stream import KinesisStream
from emr_constructs.storage import DataLake, Zone

#: Left out of the package zip: bytecode and caches differ per machine and would change the asset hash.
_NOT_SHIPPED = ("**/__pycache__", "**/*.pyc", "**/.pytest_cache")


class WorkloadAssets(Construct):
    """A workload package and its entry points as CDK assets (``Package``, ``<name>Script``).

    Example::

        assets = WorkloadAssets(stack, "Workloads", root=".", package="workloads",
                                entry_points={"batch": "workloads/batch/job.py"})
        assets.grant_read(DataCompute.of_cluster(cluster))
        job = assets.spark_job("batch", name="batch-etl", arguments=batch_etl_arguments(...))
        stream = assets.flink_job("streaming", name="streaming-windows", arguments=streaming_arguments(...))
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        root: str | Path,
        package: str,
        entry_points: Mapping[str, str],
    ) -> None:
        """
        :param root: the folder holding the package folder (the zip has ``<package>/`` at its root).
        :param package: the package folder's name, e.g. ``workloads``.
        :param entry_points: job name to script path relative to ``root``, e.g. ``{"batch": "workloads/batch/job.py"}``.
        """
        super().__init__(scope, id)
        base = Path(root)
        checks = Checks()
        checks.require(
            lambda: (base / package / "__init__.py").is_file(),
            "package",
            package,
            f"no Python package of that name under {base}",
            "a folder with an __init__.py next to the entry points",
        )
        checks.require(len(entry_points) >= 1, "entry_points", len(entry_points), "nothing to run", "1 or more")
        for name, script in entry_points.items():
            checks.require(
                lambda script=script: script.endswith(".py") and (base / script).is_file(),  # type: ignore[misc]
                f"entry_points.{name}",
                script,
                "not a local Python file",
                f"a .py file under {base}",
            )
        checks.raise_if_any(self.node.path)
        # A glob exclude with negations keeps exactly the package folder: CDK zips it with the folder at the root.
        # "*" does not match names starting with a dot (.git, .venv, .github): ".*" keeps them out, or the zip
        # would ship them and its hash would follow the checkout's state.
        self.package = s3_assets.Asset(
            self, "Package", path=str(base), exclude=["*", ".*", f"!{package}", f"!{package}/**", *_NOT_SHIPPED]
        )
        self.scripts: dict[str, s3_assets.Asset] = {
            name: s3_assets.Asset(self, f"{name.capitalize()}Script", path=str(base / script))
            for name, script in entry_points.items()
        }

    @property
    def py_files_uri(self) -> str:
        """``s3://`` URI of the package zip: ``--py-files`` for Spark, ``-pyfs`` for PyFlink."""
        return self.package.s3_object_url

    def script_uri(self, name: str) -> str:
        """``s3://`` URI of the entry point ``name``."""
        return self.scripts[name].s3_object_url

    @checked_arguments
    def grant_read(self, compute: IDataCompute, entry_points: Sequence[str] | None = None) -> iam.Grant:
        """``s3:GetObject`` on exactly these objects (the zip and the scripts), not the whole asset bucket.

        :param entry_points: only these scripts (the jobs ``compute`` runs). Default: every entry point.
        """
        names = list(self.scripts) if entry_points is None else list(entry_points)
        checks = Checks()
        for index, name in enumerate(names):
            checks.require(
                name in self.scripts,
                f"entry_points[{index}]",
                name,
                "no such entry point",
                ", ".join(self.scripts),
            )
        checks.raise_if_any(f"{self.node.path}.grant_read()")
        assets = [self.package, *(self.scripts[name] for name in names)]
        return iam.Grant.add_to_principal(
            grantee=compute.role,
            actions=["s3:GetObject"],
            resource_arns=[asset.bucket.arn_for_objects(asset.s3_object_key) for asset in assets],
        )

    def spark_job(
        self,
        entry_point: str,
        *,
        name: str,
        arguments: Sequence[str],
        spark_submit_options: Sequence[str] = (),
        jars: SparkJars | None = None,
    ) -> SparkJob:
        """A :class:`SparkJob` running ``entry_point`` with the package on ``--py-files`` and ``jars`` (if given)
        on ``--jars``. Grant the compute ``jars.grant_read`` as well as :meth:`grant_read`."""
        checks = Checks()
        given = jar_uris(spark_submit_options)
        checks.require(
            jars is None or not given,
            "spark_submit_options",
            list(spark_submit_options),
            "--jars is given twice (spark-submit keeps only the last one)",
            "the jars in 'jars' only",
        )
        checks.raise_if_any(f"{self.node.path}.spark_job()")
        return SparkJob(
            name=name,
            script_uri=self.script_uri(entry_point),
            arguments=tuple(arguments),
            spark_submit_options=(
                "--py-files",
                self.py_files_uri,
                *(jars.spark_submit_options if jars is not None else ()),
                *spark_submit_options,
            ),
        )

    def flink_job(
        self,
        entry_point: str,
        *,
        name: str,
        arguments: Sequence[str],
        jars: Sequence[str] = (),
        properties: Mapping[str, str] | None = None,
        python_executable: str = "python3",
    ) -> FlinkJob:
        """A detached :class:`FlinkJob` running ``entry_point`` with the package on ``-pyfs``."""
        return FlinkJob(
            name=name,
            script_uri=self.script_uri(entry_point),
            arguments=tuple(arguments),
            python_files=(self.py_files_uri,),
            jars=tuple(jars),
            properties=tuple((properties or {}).items()),
            python_executable=python_executable,
        )


def zone_path(lake: DataLake, zone: Zone, prefix: str) -> str:
    """``s3://<zone bucket>/<prefix>``, from the lake's bucket (never a hard-coded name)."""
    return f"s3://{lake.bucket(zone).bucket_name}/{prefix}"


def batch_etl_arguments(
    *,
    date: str,
    lake: DataLake,
    database: RelationalDatabase,
    jdbc_table: str,
    sink: DynamoTable,
    raw_prefix: str = "events/",
    curated_prefix: str = "events/",
    quarantine_prefix: str = "quarantine/events/",
    analytics_prefix: str = "daily_category/",
) -> tuple[str, ...]:
    """The batch ETL's arguments (``workloads/batch/job.py``): zones from the lake, the dimension's JDBC URL and
    secret NAME from the database, the aggregate's table from the sink, the region from the stack."""
    return (
        "--date", date,
        "--raw-path", zone_path(lake, Zone.RAW, raw_prefix),
        "--curated-path", zone_path(lake, Zone.CURATED, curated_prefix),
        "--quarantine-path", zone_path(lake, Zone.CURATED, quarantine_prefix),
        "--analytics-path", zone_path(lake, Zone.ANALYTICS, analytics_prefix),
        "--jdbc-url", database.jdbc_url,
        "--jdbc-secret-name", database.secret_name,
        "--jdbc-table", jdbc_table,
        "--sink-table", sink.table_name,
        "--region", Stack.of(database).region,
    )  # fmt: skip


def streaming_arguments(
    *, stream: KinesisStream, lake: DataLake, sink: DynamoTable, output_prefix: str = "streaming/window_aggregates/"
) -> tuple[str, ...]:
    """The streaming job's arguments (``workloads/streaming/job.py``), with the enhanced fan-out consumer if the
    stream has one."""
    consumer = ("--efo-consumer-name", stream.props.consumer_name) if stream.props.consumer_name is not None else ()
    return (
        "--stream-name", stream.stream_name,
        *consumer,
        "--output-path", zone_path(lake, Zone.ANALYTICS, output_prefix),
        "--sink-table", sink.table_name,
        "--region", Stack.of(stream).region,
    )  # fmt: skip
