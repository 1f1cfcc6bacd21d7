"""What a pipeline runs and when: Spark steps (one script each) and a schedule, validated before any resource."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.release_rules import instance_type_release_problems
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
        _require_s3(checks, "script_uri", [self.script_uri], "EMR runs scripts from S3")
        return checks.problems

    @property
    def uses_run_date(self) -> bool:
        """Whether an argument is :data:`RUN_DATE`, filled in when the pipeline runs."""
        return RUN_DATE in self.arguments

    def spark_submit(self) -> list[str]:
        """``spark-submit <options> <script> <arguments>``: the command-runner.jar arguments of a step."""
        return ["spark-submit", *self.spark_submit_options, self.script_uri, *self.arguments]

    def step_arguments(self) -> list[str]:
        """The ``command-runner.jar`` arguments of this job as an EMR step (:meth:`spark_submit`)."""
        return self.spark_submit()


#: Fetches a PyFlink job's files from S3 onto the primary node and runs ``flink run`` there (``bash -c`` through
#: command-runner.jar): ``flink run -py`` and its ``-pyfs`` files must be local paths on the client, and jars reach
#: the job through ``pipeline.jars`` as ``file://`` URLs. Positional arguments: the YARN application name,
#: ``true`` when detached, the script's URI, the number of ``-pyfs`` URIs then those URIs, the number of jar URIs
#: then those URIs, ``flink run`` options up to ``--``, then the job's own arguments. A detached job whose
#: application YARN is already running (or accepting) is not submitted again: a pipeline that starts a streaming
#: job may run on a schedule and only restarts it when it has stopped.
FLINK_LAUNCHER = r"""set -euo pipefail
name=$1 detached=$2 script_uri=$3
shift 3
work=$(mktemp -d)
fetch() { aws s3 cp --only-show-errors "$1" "$work/$2" >&2 && printf '%s' "$work/$2"; }
pyfs=() jars=() options=()
count=$1
shift
for ((i = 0; i < count; i++)); do pyfs+=("$(fetch "$1" "pyfs$i-${1##*/}")"); shift; done
count=$1
shift
for ((i = 0; i < count; i++)); do jars+=("file://$(fetch "$1" "jar$i-${1##*/}")"); shift; done
while [ "$1" != "--" ]; do options+=("$1"); shift; done
shift
if [ "$detached" = true ] && yarn application -list -appStates SUBMITTED,ACCEPTED,RUNNING 2>/dev/null |
    awk -F '\t' -v name="$name" '{ gsub(/^ +| +$/, "", $2) } $2 == name { found = 1 } END { exit !found }'; then
  echo "Flink job $name is already running on YARN: not submitted again"
  exit 0
fi
script=$(fetch "$script_uri" "job-${script_uri##*/}")
if [ ${#pyfs[@]} -gt 0 ]; then options+=(-pyfs "$(IFS=,; printf '%s' "${pyfs[*]}")"); fi
if [ ${#jars[@]} -gt 0 ]; then options+=("-Dpipeline.jars=$(IFS=';'; printf '%s' "${jars[*]}")"); fi
exec flink run -t yarn-per-job "-Dyarn.application.name=$name" "${options[@]}" -py "$script" "$@"
"""


@dataclass(frozen=True, kw_only=True)
class FlinkJob:
    """A PyFlink job on YARN (Flink on EMR on EC2): an EMR step through ``command-runner.jar`` that copies the
    script, its ``-pyfs`` files and jars from S3 to the primary node and runs ``flink run -t yarn-per-job``.

    Detached by default: the step ends once YARN has accepted the job, which then runs until stopped (a streaming
    job). A detached job already running under the same name is not submitted twice (:data:`FLINK_LAUNCHER`).
    The cluster needs the ``Flink`` application and PyFlink (``apache-flink`` of the cluster's Flink version) in
    the Python the job names; EMR Serverless runs no Flink.
    """

    name: str
    """Step name and YARN application name, 1-256 printable ASCII characters."""
    script_uri: str
    """``s3://`` URI of the entry-point script (e.g. :attr:`WorkloadAssets.script_uri`)."""
    arguments: tuple[str, ...] = ()
    """The script's arguments (stream and table names, output paths: never a password)."""
    python_files: tuple[str, ...] = ()
    """``s3://`` URIs of zips or ``.py`` files put on the job's Python path (``-pyfs``)."""
    jars: tuple[str, ...] = ()
    """``s3://`` URIs of jars the job needs beyond Flink's own (connectors), given through ``pipeline.jars``."""
    properties: tuple[tuple[str, str], ...] = ()
    """Flink configuration for this job, ``-D<key>=<value>``, e.g. ``(("parallelism.default", "2"),)``."""
    python_executable: str = "python3"
    """The Python with PyFlink on every node (``-pyclientexec`` and ``-pyexec``). Default ``python3``."""
    detached: bool = True
    """Submit and return (``--detached``). Default ``True``; ``False`` waits for a bounded job to finish."""

    def problems(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            bool(_STEP_NAME.match(self.name)), "name", self.name, "not an EMR step name", "1-256 printable characters"
        )
        _require_s3(checks, "script_uri", [self.script_uri], "EMR runs scripts from S3")
        _require_s3(checks, "python_files", self.python_files, "the step copies them from S3")
        _require_s3(checks, "jars", self.jars, "the step copies them from S3")
        for index, jar in enumerate(self.jars):
            checks.require(
                is_token(jar) or jar.endswith(".jar"), f"jars[{index}]", jar, "not a jar", "an s3:// URI ending in .jar"
            )
        for index, (key, _) in enumerate(self.properties):
            checks.require(
                bool(_FLINK_KEY.match(key)),
                f"properties[{index}]",
                key,
                "not a Flink configuration key",
                "dotted lower-case words, e.g. parallelism.default",
            )
        checks.require(
            bool(self.python_executable.strip()) and " " not in self.python_executable,
            "python_executable",
            self.python_executable,
            "not a command",
            "a Python interpreter on every node, e.g. python3 or /usr/bin/python3.11",
        )
        return checks.problems

    @property
    def uses_run_date(self) -> bool:
        """Whether an argument is :data:`RUN_DATE`, filled in when the pipeline runs."""
        return RUN_DATE in self.arguments

    def flink_options(self) -> list[str]:
        """The ``flink run`` options the launcher passes before ``-pyfs``, ``pipeline.jars`` and ``-py``."""
        detached = ["--detached"] if self.detached else []
        python = ["-pyclientexec", self.python_executable, "-pyexec", self.python_executable]
        return [*detached, *python, *(f"-D{key}={value}" for key, value in self.properties)]

    def step_arguments(self) -> list[str]:
        """The ``command-runner.jar`` arguments of this job as an EMR step: ``bash -c`` :data:`FLINK_LAUNCHER`."""
        return [
            "bash", "-c", FLINK_LAUNCHER, "flink-step",  # $0: names the launcher in bash's own messages
            self.name, "true" if self.detached else "false", self.script_uri,
            str(len(self.python_files)), *self.python_files,
            str(len(self.jars)), *self.jars,
            *self.flink_options(), "--",
            *self.arguments,
        ]  # fmt: skip


#: A job a cluster runs as an EMR step.
StepJob = SparkJob | FlinkJob
_FLINK_KEY = re.compile(r"^[a-z0-9-]+(\.[a-zA-Z0-9-]+)+$")


def _require_s3(checks: Checks, field: str, uris: Sequence[str], rule: str) -> None:
    for index, uri in enumerate(uris):
        checks.require(
            is_token(uri) or uri.startswith("s3://"),
            field if field == "script_uri" else f"{field}[{index}]",
            uri,
            rule,
            "an s3:// URI",
        )


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
        # Step Functions passes these to RunJobFlow at run time; cfn-lint never sees them in the definition.
        instance_type_release_problems(
            checks,
            "",
            [("primary_instance_type", self.primary_instance_type), ("core_instance_type", self.core_instance_type)],
            release,
        )
        checks.require(
            1 <= self.core_instance_count <= 256,
            "core_instance_count",
            self.core_instance_count,
            "out of range",
            "1-256",
        )
        return checks.problems
