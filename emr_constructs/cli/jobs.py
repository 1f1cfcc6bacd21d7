"""Spark steps: upload a script by content, add it as a step, follow it (or a job run) to the end, list steps."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from emr_constructs.cli.errors import EXIT_USAGE, CliError
from emr_constructs.cli.locations import S3Location, script_key

COMPLETED = "COMPLETED"
#: A step in one of these states will not change again.
FINAL_STATES = frozenset({COMPLETED, "CANCELLED", "FAILED", "INTERRUPTED"})

#: Polling starts quick (short jobs) and backs off to the maximum, so a long job costs few API calls.
FIRST_POLL_SECONDS = 5.0
DEFAULT_MAX_POLL_SECONDS = 30.0


@dataclass(frozen=True)
class Script:
    path: Path
    sha256: str
    body: bytes

    @classmethod
    def read(cls, path: Path) -> Script:
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise CliError(f"script not found: {path}", EXIT_USAGE) from None
        except IsADirectoryError:
            raise CliError(f"script is a directory, not a file: {path}", EXIT_USAGE) from None
        return cls(path=path, sha256=hashlib.sha256(body).hexdigest(), body=body)

    @property
    def key(self) -> str:
        return script_key(self.sha256, self.path.name)


def upload(s3: Any, bucket: str, script: Script, kms_key_arn: str | None) -> S3Location:
    """Put the script under its content-addressed key (an identical upload is harmless), encrypted with the lake's
    key when the environment exports one, so a bucket policy that requires SSE-KMS accepts it."""
    extra: dict[str, str] = {}
    if kms_key_arn:
        extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_arn}
    s3.put_object(Bucket=bucket, Key=script.key, Body=script.body, **extra)
    return S3Location(bucket, script.key)


def spark_step(name: str, script: S3Location, args: list[str]) -> dict[str, Any]:
    """A ``spark-submit --deploy-mode cluster`` step. A failed job must not stop a shared, long-running cluster,
    so the step's failure action is CONTINUE."""
    return {
        "Name": name,
        "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {
            "Jar": "command-runner.jar",
            "Args": ["spark-submit", "--deploy-mode", "cluster", str(script), *args],
        },
    }


def add_step(emr: Any, cluster_id: str, step: dict[str, Any]) -> str:
    step_ids: list[str] = emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step])["StepIds"]
    return step_ids[0]


@dataclass(frozen=True)
class StepInfo:
    step_id: str
    name: str
    state: str
    created: datetime | None
    started: datetime | None
    ended: datetime | None
    failure: str | None
    """EMR's reason and message for a failed step."""
    failure_log: str | None
    """The log file EMR names as holding the failure, when it knows one."""

    @classmethod
    def from_api(cls, step: dict[str, Any]) -> StepInfo:
        status = step.get("Status", {})
        timeline = status.get("Timeline", {})
        details = status.get("FailureDetails") or {}
        failure = "; ".join(str(details[k]) for k in ("Reason", "Message") if details.get(k)) or None
        if failure is None:
            failure = status.get("StateChangeReason", {}).get("Message") or None
        return cls(
            step_id=step["Id"],
            name=step.get("Name", ""),
            state=status.get("State", "UNKNOWN"),
            created=timeline.get("CreationDateTime"),
            started=timeline.get("StartDateTime"),
            ended=timeline.get("EndDateTime"),
            failure=failure,
            failure_log=details.get("LogFile"),
        )

    @property
    def done(self) -> bool:
        return self.state in FINAL_STATES


def describe_step(emr: Any, cluster_id: str, step_id: str) -> StepInfo:
    return StepInfo.from_api(emr.describe_step(ClusterId=cluster_id, StepId=step_id)["Step"])


def list_steps(emr: Any, cluster_id: str, limit: int) -> list[StepInfo]:
    """The ``limit`` most recent steps, newest first."""
    steps: list[StepInfo] = []
    for page in emr.get_paginator("list_steps").paginate(ClusterId=cluster_id):
        steps.extend(StepInfo.from_api(s) for s in page["Steps"])
        if len(steps) >= limit:
            break
    return steps[:limit]


def poll_intervals(maximum: float) -> Iterator[float]:
    """5 s, 10 s, 20 s, ... capped at ``maximum`` seconds."""
    interval = min(FIRST_POLL_SECONDS, maximum)
    while True:
        yield interval
        interval = min(interval * 2, maximum)


class Tracked(Protocol):
    """What :func:`follow_until_done` polls: a step, a job run."""

    @property
    def state(self) -> str: ...

    @property
    def done(self) -> bool: ...


TrackedT = TypeVar("TrackedT", bound=Tracked)


class FollowTimeout(Exception):
    def __init__(self, step: Tracked) -> None:
        super().__init__(step.state)
        self.step = step
        """The last state seen (a :class:`StepInfo` or a job run)."""


def follow_until_done(
    describe: Callable[[], TrackedT],
    *,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    max_poll_seconds: float = DEFAULT_MAX_POLL_SECONDS,
    timeout_seconds: float | None = None,
    on_poll: Callable[[TrackedT, float], None] = lambda item, elapsed: None,
) -> TrackedT:
    """Call ``describe`` until what it returns is done; ``on_poll(item, elapsed seconds)`` after every poll.

    Raises :class:`FollowTimeout` when ``timeout_seconds`` pass first (the step or job run keeps running).
    """
    started = clock()
    intervals = poll_intervals(max_poll_seconds)
    while True:
        item = describe()
        elapsed = clock() - started
        on_poll(item, elapsed)
        if item.done:
            return item
        if timeout_seconds is not None and elapsed >= timeout_seconds:
            raise FollowTimeout(item)
        sleep(next(intervals))
