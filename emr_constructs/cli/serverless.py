"""EMR Serverless: an application's state and capacity, job runs started, followed and listed, their driver logs.

A job run gets what the application's construct prepared for it: the job runtime role (exported by the stack,
since the EMR Serverless API does not name it), a script under ``jobs/`` of the artifacts bucket (the only prefix
the role may read), and the application's log location and the lake key for its logs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from emr_constructs.cli.errors import CliError
from emr_constructs.cli.locations import S3Location
from emr_constructs.cli.platform import ApplicationRef

SUCCESS = "SUCCESS"
#: A job run in one of these states will not change again.
FINAL_STATES = frozenset({SUCCESS, "FAILED", "CANCELLED"})
#: The EMR Serverless calls of the CLI.
OPERATIONS = frozenset({"ListApplications", "GetApplication", "StartJobRun", "GetJobRun", "ListJobRuns"})
#: What EMR Serverless writes for the Spark driver of a job run (gzipped): stderr holds Spark's own log.
DRIVER_STREAMS = ("stderr", "stdout")


@dataclass(frozen=True)
class ApplicationStatus:
    name: str
    """The application's name in the app (its construct id lowercased, from its tag or export)."""
    application_id: str
    application_name: str
    """The EMR Serverless application name."""
    state: str
    state_details: str | None
    release: str | None
    type: str | None
    architecture: str | None
    maximum_capacity: str | None
    auto_stop: str
    initial_capacity: tuple[str, ...]
    log_uri: str | None
    role_arn: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def describe(serverless: Any, ref: ApplicationRef) -> ApplicationStatus:
    application: dict[str, Any] = serverless.get_application(applicationId=ref.application_id)["application"]
    maximum = application.get("maximumCapacity") or {}
    stop = application.get("autoStopConfiguration") or {}
    initial = application.get("initialCapacity") or {}
    workers = tuple(
        f"{name} {config.get('workerCount', 0)} x {_worker(config.get('workerConfiguration') or {})}"
        for name, config in sorted(initial.items())
    )
    auto_stop = f"after {stop.get('idleTimeoutMinutes', 15)} idle minutes" if stop.get("enabled") else "off"
    return ApplicationStatus(
        name=ref.name,
        application_id=ref.application_id,
        application_name=str(application.get("name", "")),
        state=str(application.get("state", "UNKNOWN")),
        state_details=application.get("stateDetails") or None,
        release=application.get("releaseLabel"),
        type=application.get("type"),
        architecture=application.get("architecture"),
        maximum_capacity=_worker(maximum) or None,
        auto_stop=auto_stop,
        initial_capacity=workers,
        log_uri=ref.log_uri,
        role_arn=ref.role_arn,
    )


def _worker(configuration: dict[str, Any]) -> str:
    return ", ".join(str(configuration[k]) for k in ("cpu", "memory", "disk") if configuration.get(k))


def job_driver(application_type: str | None, script: S3Location, args: list[str]) -> dict[str, Any]:
    """``sparkSubmit`` with the script as entry point, or ``hive`` with it as the query file."""
    if (application_type or "SPARK").upper() == "HIVE":
        driver: dict[str, Any] = {"query": str(script)}
        if args:
            driver["parameters"] = " ".join(args)
        return {"hive": driver}
    spark: dict[str, Any] = {"entryPoint": str(script)}
    if args:
        spark["entryPointArguments"] = args
    return {"sparkSubmit": spark}


def start_job_run(
    serverless: Any,
    ref: ApplicationRef,
    *,
    name: str,
    role_arn: str,
    driver: dict[str, Any],
    log_uri: str | None,
    kms_key_arn: str | None,
) -> str:
    """Start a job run; its logs go to ``log_uri`` (the application's own location), encrypted with the lake key,
    so ``emr-platform logs`` finds them whatever the application's defaults become."""
    overrides: dict[str, Any] = {}
    if log_uri:
        s3: dict[str, str] = {"logUri": log_uri}
        if kms_key_arn:
            s3["encryptionKeyArn"] = kms_key_arn
        overrides = {"monitoringConfiguration": {"s3MonitoringConfiguration": s3}}
    answer = serverless.start_job_run(
        applicationId=ref.application_id,
        executionRoleArn=role_arn,
        name=name,
        jobDriver=driver,
        configurationOverrides=overrides,
    )
    return str(answer["jobRunId"])


@dataclass(frozen=True)
class JobRunInfo:
    run_id: str
    name: str
    state: str
    details: str | None
    """EMR Serverless's explanation of the state (why a run failed)."""
    created: datetime | None
    updated: datetime | None

    @classmethod
    def from_api(cls, run: dict[str, Any]) -> JobRunInfo:
        return cls(
            run_id=str(run.get("jobRunId") or run.get("id")),
            name=str(run.get("name") or ""),
            state=str(run.get("state", "UNKNOWN")),
            details=run.get("stateDetails") or None,
            created=run.get("createdAt"),
            updated=run.get("updatedAt"),
        )

    @property
    def done(self) -> bool:
        return self.state in FINAL_STATES


def get_job_run(serverless: Any, application_id: str, run_id: str) -> JobRunInfo:
    return JobRunInfo.from_api(serverless.get_job_run(applicationId=application_id, jobRunId=run_id)["jobRun"])


def list_job_runs(serverless: Any, application_id: str, limit: int) -> list[JobRunInfo]:
    """The ``limit`` most recent job runs, newest first (as EMR Serverless lists them)."""
    runs: list[JobRunInfo] = []
    for page in serverless.get_paginator("list_job_runs").paginate(applicationId=application_id):
        runs.extend(JobRunInfo.from_api(r) for r in page["jobRuns"])
        if len(runs) >= limit:
            break
    return runs[:limit]


def driver_logs(log_uri: str, application_id: str, run_id: str) -> S3Location:
    """The folder EMR Serverless writes a job run's Spark driver ``stderr.gz``/``stdout.gz`` into."""
    return S3Location.parse(log_uri).child("applications", application_id, "jobs", run_id, "SPARK_DRIVER/")


def require_role(ref: ApplicationRef, env: str | None) -> str:
    if ref.role_arn:
        return ref.role_arn
    where = f"emr-platform-{env}-serverless-{ref.name}-role-arn" if env else "a role-arn export"
    raise CliError(
        f"EMR Serverless application {ref.name} ({ref.application_id}) has no job runtime role exported "
        f"({where}): pass --role ARN (the application's runtime role, EmrServerlessApplication.runtime_role)"
    )
