"""Settings of an EMR Serverless application: plain data, validated before any resource exists.

CloudFormation checks worker sizes only against a pattern (``^[1-9][0-9]*(\\s)?(vCPU|vcpu|VCPU)?$``), so cfn-lint
passes "3 vCPU", "4 vCPU" with 64 GB, a 500 GB standard disk or an idle timeout of a month; EMR Serverless rejects
them at deploy time. The rules here, with their sources, are listed in ``docs/emr-serverless-rules.md``:

- Worker sizes: "Supported worker configurations",
  https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html#worker-configs
- Shuffle-optimized disks: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/jobs-shuffle-optimized-disks.html
- Releases and features per release: ``releases.json`` (sources inside).
- Names, idle timeout, worker counts, image URI: the ``AWS::EMRServerless::Application`` schema and the
  CreateApplication API reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from emr_constructs.errors import Checks, Problem
from emr_constructs.network.prefix_lists import prefix_list_problems
from emr_constructs.network.props import CLOUDWATCH_RETENTION_DAYS
from emr_constructs.props import ValidatedProps
from emr_constructs.serverless.releases import (
    Feature,
    applications_of,
    minimum_release,
    supported_releases,
    supports,
)
from emr_constructs.storage.data_lake import grant_prefix_problems


class ApplicationType(StrEnum):
    """The engine of an application (one engine per application)."""

    SPARK = "Spark"
    HIVE = "Hive"


class Architecture(StrEnum):
    ARM64 = "ARM64"
    X86_64 = "X86_64"


class DiskType(StrEnum):
    STANDARD = "STANDARD"
    SHUFFLE_OPTIMIZED = "SHUFFLE_OPTIMIZED"


#: vCPU -> (minimum memory GB, maximum memory GB, increment GB), from "Supported worker configurations".
WORKER_MEMORY: dict[int, tuple[int, int, int]] = {
    1: (2, 8, 1),
    2: (4, 16, 1),
    4: (8, 30, 1),
    8: (16, 60, 4),
    16: (32, 120, 8),
}
#: Disk GB per worker: standard 20-200 ("Supported worker configurations"); shuffle-optimized 20 GB to 2 TB.
DISK_RANGES: dict[DiskType, tuple[int, int]] = {
    DiskType.STANDARD: (20, 200),
    DiskType.SHUFFLE_OPTIMIZED: (20, 2000),
}
#: Worker type names of the initial capacity, per application type (driver, executor).
WORKER_TYPES: dict[ApplicationType, tuple[str, str]] = {
    ApplicationType.SPARK: ("Driver", "Executor"),
    ApplicationType.HIVE: ("HiveDriver", "TezTask"),
}
#: ``AutoStopConfiguration.IdleTimeoutMinutes`` range of the CloudFormation schema (1 minute to 7 days).
IDLE_TIMEOUT_MINUTES = (1, 10080)
#: ``InitialCapacityConfig.WorkerCount`` range of the CloudFormation schema.
WORKER_COUNT = (1, 1_000_000)
DEFAULT_RELEASE = "emr-7.14.0"

_NAME = re.compile(r"^[A-Za-z0-9._/#-]{1,64}$")
# An ECR image: <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>:<tag> or @sha256:<digest>.
_IMAGE_URI = re.compile(
    r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/[a-z0-9][a-z0-9._/-]*(:[\w.-]{1,128}|@sha256:[a-f0-9]{64})$"
)


def _release_allowed(feature: Feature) -> str:
    return f"{minimum_release(feature)} or later"


@dataclass(frozen=True, kw_only=True)
class WorkerSize(ValidatedProps):
    """One worker's size. Default 4 vCPU, 16 GB, 20 GB standard disk (a mid-size Spark executor)."""

    cpu: int = 4
    """vCPUs per worker: 1, 2, 4, 8 or 16."""
    memory_gb: int = 16
    """Memory per worker, within the range of its vCPU count: 1 vCPU 2-8 GB, 2 vCPU 4-16 GB, 4 vCPU 8-30 GB
    (1 GB steps), 8 vCPU 16-60 GB (4 GB steps), 16 vCPU 32-120 GB (8 GB steps)."""
    disk_gb: int = 20
    """Ephemeral disk per worker: 20-200 GB standard, 20-2000 GB shuffle-optimized. Default 20 (the minimum)."""
    disk_type: DiskType = DiskType.STANDARD
    """``SHUFFLE_OPTIMIZED`` (emr-7.1.0+) gives higher IOPS and up to 2 TB for shuffle-heavy jobs."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        memory = WORKER_MEMORY.get(self.cpu)
        checks.require(
            memory is not None,
            "cpu",
            self.cpu,
            "EMR Serverless workers have 1, 2, 4, 8 or 16 vCPUs",
            "1, 2, 4, 8 or 16",
        )
        if memory is not None:
            low, high, step = memory
            worker = f"{'an' if self.cpu == 8 else 'a'} {self.cpu} vCPU worker"
            checks.require(
                low <= self.memory_gb <= high,
                "memory_gb",
                self.memory_gb,
                f"{worker} has {low}-{high} GB of memory",
                f"{low}-{high}",
            )
            checks.require(
                self.memory_gb % step == 0 or not low <= self.memory_gb <= high,
                "memory_gb",
                self.memory_gb,
                f"{worker}'s memory comes in {step} GB increments",
                f"multiples of {step} from {low} to {high}",
            )
        low, high = DISK_RANGES[DiskType(self.disk_type)]
        checks.require(
            low <= self.disk_gb <= high,
            "disk_gb",
            self.disk_gb,
            f"a {DiskType(self.disk_type).value} disk has {low}-{high} GB",
            f"{low}-{high}",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class WorkerGroup(ValidatedProps):
    """Pre-initialized workers of one type (the driver or the executors): started with the application and kept
    warm, so jobs start in seconds. They are billed while the application runs, even when idle."""

    count: int
    """Number of pre-initialized workers, 1-1000000."""
    size: WorkerSize = WorkerSize()
    """The size of each worker."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        low, high = WORKER_COUNT
        checks.require(low <= self.count <= high, "count", self.count, "worker count out of range", f"{low}-{high}")
        checks.extend(self.size.problems(), prefix="size")
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class MaximumCapacity(ValidatedProps):
    """The most the application may scale to, summed over all its workers (pre-initialized and on demand).

    EMR Serverless recommends multiples of a worker size: 50 workers of 2 vCPU, 16 GB and 20 GB of disk are
    100 vCPU, 800 GB and 1000 GB.
    """

    cpu: int
    """Total vCPUs."""
    memory_gb: int
    """Total memory in GB."""
    disk_gb: int | None = None
    """Total disk in GB; ``None`` leaves disk unbounded (vCPU and memory still bound the workers)."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        for name, value in (("cpu", self.cpu), ("memory_gb", self.memory_gb), ("disk_gb", self.disk_gb)):
            if value is not None:
                checks.require(value >= 1, name, value, "a maximum capacity must be positive", "1 or more")
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class ServerlessApplicationProps(ValidatedProps):
    """Data part of an :class:`~emr_constructs.serverless.EmrServerlessApplication`."""

    type: ApplicationType = ApplicationType.SPARK
    """``Spark`` (default) or ``Hive``; the release must run it (``emr-spark-8.0.0`` runs Spark only)."""
    release_label: str = DEFAULT_RELEASE
    """An EMR Serverless release (emr-6.6.0 or later, from the library's table). Default emr-7.14.0, the
    release the library's clusters use, so a job runs the same Spark on both."""
    name: str | None = None
    """Application name (1-64 letters, digits and ``. _ / # -``). Default: derived from the construct path."""
    architecture: Architecture | None = None
    """``ARM64`` (Graviton, about 20% cheaper) or ``X86_64``. Default: ``ARM64`` where the release supports it
    (emr-6.9.0 and later), else ``X86_64``. Pick ``X86_64`` for jobs with x86-only native libraries."""
    driver: WorkerGroup | None = None
    """Pre-initialized drivers (Spark ``Driver``, Hive ``HiveDriver``). Default none: workers start on demand."""
    executor: WorkerGroup | None = None
    """Pre-initialized executors (Spark ``Executor``, Hive ``TezTask``). Default none."""
    maximum_capacity: MaximumCapacity = MaximumCapacity(cpu=200, memory_gb=1000, disk_gb=4000)
    """Upper bound of the application's resources. Default 200 vCPU, 1000 GB memory, 4000 GB disk: a cap on
    spend, not a size to plan by. It must hold the pre-initialized workers."""
    auto_start: bool = True
    """Start the application when a job is submitted. Default True."""
    auto_stop_idle_minutes: int | None = 15
    """Stop the application (and release pre-initialized capacity) after this many idle minutes, 1-10080.
    Default 15, the service's default; ``None`` never stops it (pre-initialized workers are billed until an
    operator stops it)."""
    image_uri: str | None = None
    """A custom image in ECR (emr-6.9.0+), ``<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>``. Default:
    the release's own image. The image must be built on the release's base image and for the architecture."""
    studio_enabled: bool = False
    """Let EMR Studio Workspaces attach to the application for interactive notebooks (emr-6.14.0+)."""
    livy_endpoint_enabled: bool = False
    """Enable the application's Apache Livy endpoint (emr-6.14.0+)."""
    log_prefix: str | None = None
    """Key prefix in the lake's logs bucket for job logs. Default ``emr-serverless/<unique id>/``."""
    scripts_prefix: str | None = "jobs/"
    """Key prefix in the lake's artifacts bucket the jobs may read their scripts from: where
    ``emr-platform submit`` uploads them (``jobs/<sha256>/<name>``). ``None`` grants no artifacts access."""
    cloudwatch_logging: bool = True
    """Also send driver and executor logs to a KMS-encrypted CloudWatch log group. Default True."""
    log_retention_days: int = 90
    """Days the CloudWatch log group keeps logs; a value CloudWatch offers (1, 3, 5, 7, 14, 30, 60, 90, ...)."""
    s3_prefix_list_id: str | None = None
    """The region's AWS-managed S3 prefix list (``pl-...``, ``com.amazonaws.<region>.s3``): the security group
    then allows HTTPS to S3 only, not to any address. Default none: HTTPS to any address, which in an isolated VPC
    reaches only the gateway and interface endpoints. (Its id differs per region and needs a lookup, which the
    library does not make at synth.)"""
    managed_persistence: bool = True
    """Keep the Spark UI and history of finished jobs in EMR Serverless's managed storage (30 days),
    encrypted with the log key. Default True."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags on the application (the stage's tags are added by the app)."""

    # -- derived --------------------------------------------------------------------------------------

    @property
    def resolved_architecture(self) -> Architecture:
        if self.architecture is not None:
            return Architecture(self.architecture)
        return Architecture.ARM64 if supports(self.release_label, Feature.ARM64) else Architecture.X86_64

    def worker_groups(self) -> list[tuple[str, WorkerGroup]]:
        """(worker type name, group) of the initial capacity, driver first."""
        driver_name, executor_name = WORKER_TYPES[ApplicationType(self.type)]
        groups = [(driver_name, self.driver), (executor_name, self.executor)]
        return [(name, group) for name, group in groups if group is not None]

    # -- rules ----------------------------------------------------------------------------------------

    def _rules(self) -> list[Problem]:
        checks = Checks()
        known = self.release_label in supported_releases()
        releases = supported_releases()
        checks.require(
            known,
            "release_label",
            self.release_label,
            "release not in the library's EMR Serverless release table (EMR Serverless starts at emr-6.6.0 and "
            "has no patch releases)",
            f"{releases[0]}, ..., {releases[-1]}",
        )
        if known:
            self._release_rules(checks)
        checks.require(
            self.name is None or _NAME.match(self.name) is not None,
            "name",
            self.name,
            "EMR Serverless application names are 1-64 letters, digits and . _ / # -",
            "e.g. 'analytics-spark'",
        )
        for key, group in (("driver", self.driver), ("executor", self.executor)):
            if group is not None:
                checks.extend(group.problems(), prefix=key)
        checks.extend(self.maximum_capacity.problems(), prefix="maximum_capacity")
        self._capacity_rules(checks)
        if self.auto_stop_idle_minutes is not None:
            low, high = IDLE_TIMEOUT_MINUTES
            checks.require(
                low <= self.auto_stop_idle_minutes <= high,
                "auto_stop_idle_minutes",
                self.auto_stop_idle_minutes,
                "idle timeout out of range",
                f"{low}-{high} minutes, or null to never stop",
            )
        checks.require(
            self.image_uri is None or _IMAGE_URI.match(self.image_uri) is not None,
            "image_uri",
            self.image_uri,
            "not an ECR image URI",
            "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (or @sha256:<digest>)",
        )
        checks.require(
            self.log_retention_days in CLOUDWATCH_RETENTION_DAYS,
            "log_retention_days",
            self.log_retention_days,
            "CloudWatch Logs does not offer this retention period",
            ", ".join(str(d) for d in CLOUDWATCH_RETENTION_DAYS),
        )
        if self.log_prefix is not None:
            checks.extend(replace(p, field="log_prefix") for p in grant_prefix_problems(self.log_prefix))
            checks.require(
                self.log_prefix == "" or self.log_prefix.endswith("/"),
                "log_prefix",
                self.log_prefix,
                "a log prefix is a folder: EMR Serverless appends applications/<id>/jobs/... to it",
                "a prefix ending in '/', e.g. 'emr-serverless/analytics/'",
            )
        checks.extend(prefix_list_problems("s3_prefix_list_id", self.s3_prefix_list_id))
        if self.scripts_prefix is not None:
            checks.extend(replace(p, field="scripts_prefix") for p in grant_prefix_problems(self.scripts_prefix))
        for key, value in self.tags.items():
            checks.require(
                1 <= len(key) <= 128 and len(value) <= 256 and not key.startswith("aws:"),
                f"tags.{key}",
                value,
                "tag keys are 1-128 characters (not starting with aws:) and values at most 256",
                "a shorter tag",
            )
        return checks.problems

    def _release_rules(self, checks: Checks) -> None:
        label = self.release_label
        applications = applications_of(label)
        checks.require(
            ApplicationType(self.type).value in applications,
            "type",
            ApplicationType(self.type).value,
            f"{label} does not run this application type",
            " or ".join(applications),
        )
        checks.require(
            self.architecture != Architecture.ARM64 or supports(label, Feature.ARM64),
            "architecture",
            self.architecture,
            f"ARM64 (Graviton) is not available on {label}",
            f"X86_64, or a release {_release_allowed(Feature.ARM64)}",
        )
        checks.require(
            self.image_uri is None or supports(label, Feature.CUSTOM_IMAGES),
            "image_uri",
            self.image_uri,
            f"custom images are not available on {label}",
            f"no image_uri, or a release {_release_allowed(Feature.CUSTOM_IMAGES)}",
        )
        for key, enabled in (
            ("studio_enabled", self.studio_enabled),
            ("livy_endpoint_enabled", self.livy_endpoint_enabled),
        ):
            checks.require(
                not enabled or supports(label, Feature.INTERACTIVE),
                key,
                enabled,
                f"interactive workloads (EMR Studio, Livy) are not available on {label}",
                f"false, or a release {_release_allowed(Feature.INTERACTIVE)}",
            )
        for key, group in (("driver", self.driver), ("executor", self.executor)):
            if group is not None and group.size.disk_type == DiskType.SHUFFLE_OPTIMIZED:
                checks.require(
                    supports(label, Feature.SHUFFLE_OPTIMIZED_DISKS),
                    f"{key}.size.disk_type",
                    DiskType.SHUFFLE_OPTIMIZED.value,
                    f"shuffle-optimized disks are not available on {label}",
                    f"STANDARD, or a release {_release_allowed(Feature.SHUFFLE_OPTIMIZED_DISKS)}",
                )

    def _capacity_rules(self, checks: Checks) -> None:
        groups = [g for _, g in self.worker_groups()]
        if not groups or any(g.problems() for g in groups):
            return
        need = {
            "cpu": sum(g.count * g.size.cpu for g in groups),
            "memory_gb": sum(g.count * g.size.memory_gb for g in groups),
            "disk_gb": sum(g.count * g.size.disk_gb for g in groups),
        }
        maximum = self.maximum_capacity
        for name, value in (("cpu", maximum.cpu), ("memory_gb", maximum.memory_gb), ("disk_gb", maximum.disk_gb)):
            if value is None:
                continue
            checks.require(
                value >= need[name],
                f"maximum_capacity.{name}",
                value,
                f"the maximum capacity is less than the pre-initialized workers need ({need[name]})",
                f"{need[name]} or more",
            )
