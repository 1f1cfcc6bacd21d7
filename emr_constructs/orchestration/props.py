"""What a pipeline runs and when: Spark steps (one script each) and a schedule, validated before any resource."""

from __future__ import annotations

import re
from dataclasses import dataclass

from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.releases import DEFAULT_RELEASE_LABEL, get_release
from emr_constructs.errors import Checks, Problem, is_token
from emr_constructs.props import ValidatedProps

#: EventBridge Scheduler expressions: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
_SCHEDULE = re.compile(r"^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$")
_STEP_NAME = re.compile(r"^[\x20-\x7e]{1,256}$")
#: Step Functions: a state machine execution runs for at most one year; the library caps a pipeline at 7 days.
MAX_TIMEOUT_MINUTES = 7 * 24 * 60
#: A job argument a pipeline replaces, per execution, with the run's day (``YYYY-MM-DD``): the execution input's
#: ``date`` when given (``{"date": "2026-11-27"}`` re-runs that day), else the UTC day the execution started (a
#: scheduled run starts at its scheduled time). Step Functions has no date arithmetic: a job that processes
#: "yesterday" derives it from this day itself.
RUN_DATE = "<run-date>"


@dataclass(frozen=True, kw_only=True)
class SparkJob:
    """One ``spark-submit`` of one script: an EMR step on a cluster, or a job run on EMR Serverless."""

    name: str
    """Step or job-run name, 1-256 printable ASCII characters."""
    script_uri: str
    """``s3://`` URI of the entry-point script (e.g. :attr:`WorkloadAssets.script_uri`)."""
    arguments: tuple[str, ...] = ()
    """The script's arguments (zone paths, JDBC URL, secret name, table names: never a password)."""
    spark_submit_options: tuple[str, ...] = ()
    """Options before the script, e.g. ``("--py-files", "s3://.../workloads.zip")``."""

    def problems(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            bool(_STEP_NAME.match(self.name)), "name", self.name, "not an EMR step name", "1-256 printable characters"
        )
        checks.require(
            is_token(self.script_uri) or self.script_uri.startswith("s3://"),
            "script_uri",
            self.script_uri,
            "EMR runs scripts from S3",
            "an s3:// URI",
        )
        return checks.problems

    @property
    def uses_run_date(self) -> bool:
        """Whether an argument is :data:`RUN_DATE`, filled in when the pipeline runs."""
        return RUN_DATE in self.arguments

    def spark_submit(self) -> list[str]:
        """``spark-submit <options> <script> <arguments>``: the command-runner.jar arguments of a step."""
        return ["spark-submit", *self.spark_submit_options, self.script_uri, *self.arguments]


@dataclass(frozen=True, kw_only=True)
class PipelineProps(ValidatedProps):
    """When a pipeline runs and how long it may take."""

    schedule: str | None = None
    """EventBridge Scheduler expression, ``cron(m h dom mon dow y)`` or ``rate(n unit)``. Default ``None``:
    started by hand or by another system."""
    schedule_time_zone: str = "UTC"
    """IANA time zone of a cron schedule. Default ``UTC``."""
    schedule_enabled: bool = True
    """Create the schedule enabled. Default ``True``; turn it off in an environment that should not run alone."""
    timeout_minutes: int = 360
    """Execution timeout, 1-10080 minutes (7 days). Default 360 (6 hours)."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        if self.schedule is not None:
            checks.require(
                bool(_SCHEDULE.match(self.schedule)),
                "schedule",
                self.schedule,
                "not an EventBridge Scheduler cron or rate expression",
                "cron(minutes hours day-of-month month day-of-week year), e.g. 'cron(0 3 * * ? *)', or "
                "rate(<n> minutes|hours|days)",
            )
        checks.require(
            1 <= self.timeout_minutes <= MAX_TIMEOUT_MINUTES,
            "timeout_minutes",
            self.timeout_minutes,
            "out of range",
            f"1-{MAX_TIMEOUT_MINUTES}",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class TransientClusterProps(ValidatedProps):
    """The cluster a transient pipeline creates for one run: one primary, ``core_instance_count`` core nodes."""

    release_label: str = DEFAULT_RELEASE_LABEL
    """EMR release. Default: the library's default release."""
    applications: tuple[Application, ...] = (Application.SPARK,)
    """Applications, each in the release. Default Spark."""
    primary_instance_type: str = "m7g.xlarge"
    """Primary node type. Default ``m7g.xlarge`` (Graviton)."""
    core_instance_type: str = "m7g.xlarge"
    """Core node type. Default ``m7g.xlarge``."""
    core_instance_count: int = 2
    """Core nodes, 1-256. Default 2."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        release = get_release(self.release_label)
        checks.require(
            release is not None,
            "release_label",
            self.release_label,
            "not an EMR release",
            "emr-<major>.<minor>.<patch> of 5.0.0 or later, e.g. " + DEFAULT_RELEASE_LABEL,
        )
        if release is not None:
            for index, application in enumerate(self.applications):
                checks.require(
                    release.has_application(application.value),
                    f"applications[{index}]",
                    application.value,
                    f"not in {self.release_label}",
                    ", ".join(sorted(release.applications)),
                )
        checks.require(
            1 <= self.core_instance_count <= 256,
            "core_instance_count",
            self.core_instance_count,
            "out of range",
            "1-256",
        )
        return checks.problems
