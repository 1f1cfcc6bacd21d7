"""Jars a Spark job loads from S3 (``--jars``), and the rule that keeps Maven out of networks without internet.

``--packages org.postgresql:postgresql:42.7.4`` makes Spark download the driver from Maven Central when the job
starts. In a network without internet egress (an isolated VPC: no NAT gateway, AWS reached through VPC endpoints
only) there is no route to Maven, and the job run fails at start, long after the deploy. Such a job ships its jars
instead: a team puts them in the platform's artifacts bucket (as it does the TLS certificates), and the job
reads them from S3, which the VPC's gateway endpoint reaches::

    jars = SparkJars.from_bucket(lake.bucket(Zone.ARTIFACTS), ["jars/postgresql-42.7.4.jar"])
    job = assets.spark_job("batch", name="batch-etl", arguments=..., jars=jars)
    jars.grant_read(DataCompute.of_serverless(application))   # s3:GetObject on exactly those objects

Spark steps and EMR Serverless job runs both accept ``--jars`` with ``s3://`` URIs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Self

from aws_cdk import CfnResource
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.cluster.artifacts import S3File, object_read_statements
from emr_constructs.discovery import JARS_METADATA
from emr_constructs.errors import Checks, Problem, is_token
from emr_constructs.orchestration.props import FlinkJob, StepJob
from emr_constructs.sources.compute import IDataCompute

#: ``spark-submit`` options that make Spark resolve packages from a Maven repository when the job starts.
MAVEN_OPTIONS = ("--packages", "--repositories")
#: The Spark properties behind those options (``--conf spark.jars.packages=...``).
MAVEN_PROPERTIES = ("spark.jars.packages", "spark.jars.repositories")
JARS_OPTION = "--jars"
JAR_KEY_ALLOWED = (
    "an S3 object key ending in '.jar', without a leading '/', 's3://', commas or spaces, "
    "e.g. 'jars/postgresql-42.7.4.jar'"
)
_SPACE = re.compile(r"\s")


def _key_problem(key: str) -> str | None:
    """Why ``key`` cannot name a jar on ``--jars`` (a comma separates jars there; EMR Serverless splits its
    ``SparkSubmitParameters`` on spaces), or ``None``."""
    if not key:
        return "empty"
    if "://" in key:
        return "a URI, not an object key (the bucket is given separately)"
    if key.startswith("/"):
        return "S3 object keys do not start with '/'"
    if "," in key or _SPACE.search(key):
        return "a comma or space would split it on --jars"
    if not key.endswith(".jar"):
        return "not a jar"
    return None


def jar_key_problems(field: str, object_keys: Sequence[str]) -> list[Problem]:
    """Problems of the jar object keys listed under ``field`` (``<field>[<index>]``): each a usable ``.jar`` key,
    none twice. Keys that are unresolved tokens are skipped."""
    checks = Checks()
    seen: set[str] = set()
    for index, key in enumerate(object_keys):
        why = None if is_token(key) else _key_problem(key)
        if why is None and key in seen:
            why = "listed twice"
        seen.add(key)
        checks.require(why is None, f"{field}[{index}]", key, why or "", JAR_KEY_ALLOWED)
    return checks.problems


def _words(options: Sequence[str]) -> list[str]:
    # A settings file may hold "--conf spark.jars.packages=..." as one string: read it as spark-submit would.
    return [word for option in options for word in option.split()]


def maven_options(options: Sequence[str]) -> list[str]:
    """The options (or ``--conf`` properties) of ``options`` that make Spark fetch from a Maven repository."""
    found: list[str] = []
    for word in _words(options):
        name = word.removeprefix("--conf=").split("=", 1)[0]
        if name in MAVEN_OPTIONS or name in MAVEN_PROPERTIES:
            found.append(name)
    return list(dict.fromkeys(found))


def maven_fetch_problems(
    options: Sequence[str],
    *,
    internet_egress: bool,
    network: str = "the network",
    jars: str = "SparkJars.from_bucket(bucket, object_keys)",
) -> list[Problem]:
    """The problem (field ``spark_submit_options``) of a job that asks Spark to download packages from a Maven
    repository when the compute it runs on has no internet egress; nothing when it has.

    :param internet_egress: whether the job's compute reaches the internet (a NAT gateway or a proxy route).
    :param network: how the message names the network, e.g. ``"staging's network"``.
    :param jars: where the user names the jars instead (a settings key or this library's API).
    """
    found = [] if internet_egress else maven_options(options)
    if not found:
        return []
    return [
        Problem(
            "spark_submit_options",
            list(options),
            f"{network} has no internet egress: Spark cannot download packages from Maven Central at job start "
            f"({', '.join(found)})",
            f"ship the jar: {jars} (object keys in the artifacts bucket, passed to Spark as --jars s3://...), and "
            f"no {', '.join(MAVEN_OPTIONS)} or --conf {'/'.join(MAVEN_PROPERTIES)}",
        )
    ]


def jar_uris(options: Sequence[str]) -> list[str]:
    """The ``s3://`` URIs (or tokens resolving to them) on the ``--jars`` options of ``options``."""
    words = _words(options)
    uris: list[str] = []
    for index, word in enumerate(words):
        if word == JARS_OPTION and index + 1 < len(words):
            listed = words[index + 1]
        elif word.startswith(f"{JARS_OPTION}="):
            listed = word.removeprefix(f"{JARS_OPTION}=")
        else:
            continue
        uris.extend(uri for uri in listed.split(",") if uri and not uri.startswith(("file:", "local:", "/")))
    return list(dict.fromkeys(uris))


def job_jar_uris(job: StepJob) -> list[str]:
    """The ``s3://`` jars ``job`` loads: a Spark job's ``--jars``, a Flink job's ``jars``."""
    return list(job.jars) if isinstance(job, FlinkJob) else jar_uris(job.spark_submit_options)


def record_jars(resource: Construct, jobs: Sequence[StepJob]) -> None:
    """Write the jars ``jobs`` load from S3 into the template metadata of ``resource`` (its CloudFormation
    resource), where ``emr-platform preflight`` finds them and checks each object exists before the first run."""
    uris = list(dict.fromkeys(uri for job in jobs for uri in job_jar_uris(job)))
    child = resource.node.default_child
    if uris and isinstance(child, CfnResource):
        child.add_metadata(JARS_METADATA, uris)


class SparkJars:
    """Jars a Spark job adds to its classpath from S3 (``--jars``): no Maven repository at run time.

    :meth:`spark_submit_options` go to the job (:meth:`WorkloadAssets.spark_job` takes the object itself), and
    :meth:`grant_read` gives the compute that runs it ``s3:GetObject`` on exactly these objects (and the bucket's
    KMS key through S3 for that bucket only, as for the TLS certificates). The objects must exist before the job
    runs: ``emr-platform preflight`` reports a missing one.
    """

    @checked_arguments
    def __init__(self, files: Sequence[S3File]) -> None:
        """:param files: the jars, 1 or more (:meth:`from_bucket` builds them from object keys and checks the keys)."""
        checks = Checks()
        checks.require(len(files) >= 1, "files", len(files), "no jar given", "1 or more S3File")
        checks.raise_if_any("SparkJars()")
        self.files = tuple(files)

    @classmethod
    @checked_arguments
    def from_bucket(cls, bucket: s3.IBucket, object_keys: Sequence[str]) -> Self:
        """Jars a team put in ``bucket`` (e.g. the lake's artifacts bucket) under ``object_keys``,
        e.g. ``["jars/postgresql-42.7.4.jar"]``."""
        checks = Checks()
        checks.require(len(object_keys) >= 1, "object_keys", list(object_keys), "no jar given", "1 or more keys")
        checks.extend(jar_key_problems("object_keys", object_keys))
        checks.raise_if_any("SparkJars.from_bucket()")
        return cls([S3File.from_bucket(bucket, key) for key in object_keys])

    @property
    def uris(self) -> tuple[str, ...]:
        """``s3://`` URI of each jar, in order."""
        return tuple(file.s3_uri for file in self.files)

    @property
    def spark_submit_options(self) -> tuple[str, ...]:
        """``("--jars", "s3://.../a.jar,s3://.../b.jar")``."""
        return (JARS_OPTION, ",".join(self.uris))

    @checked_arguments
    def read_policy(self, scope: Construct, id: str, compute: IDataCompute) -> iam.ManagedPolicy:
        """The reads of :meth:`grant_read` as a managed policy of their own in ``scope``, attached to the compute's
        role (a customer managed policy: the packs' no-inline-policy rules hold):
        use it from the stack that ships the job when the role lives in another stack. That stack then owns the
        grant (deployed and removed with the job), and the role's own policy does not change: adding statements
        to a role of another stack after its policy overflowed the inline size limit made CDK place them in its
        default or overflow policy differently from one synth to the next (aws-cdk-lib 2.275)."""
        statements = [
            statement for file in self.files for statement in object_read_statements(file.bucket, file.object_key)
        ]
        return iam.ManagedPolicy(scope, id, roles=[compute.role], statements=statements)

    @checked_arguments
    def grant_read(self, compute: IDataCompute) -> iam.Grant:
        """``s3:GetObject`` on exactly these objects for the role the job runs as."""
        first, *rest = (file.grant_read(compute.role) for file in self.files)
        for grant in rest:
            first = first.combine(grant)
        return first
