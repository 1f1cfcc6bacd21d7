"""Plain-text tables for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from emr_constructs.cli.clusters import ClusterStatus, NodeCapacity
from emr_constructs.cli.jobs import StepInfo
from emr_constructs.cli.platform import Platform
from emr_constructs.cli.serverless import ApplicationStatus, JobRunInfo
from emr_constructs.discovery import ENVIRONMENT_TAG


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in [headers, *rows]]
    return "\n".join(indent + line.rstrip() for line in lines)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, default=_json_default)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}"


def _capacity(provisioned: int, target: int) -> str:
    return f"{provisioned}/{target}" if target or provisioned else "-"


def _node_row(node: NodeCapacity) -> list[str]:
    return [
        node.role,
        node.name,
        node.state,
        ", ".join(node.instance_types) or "-",
        _capacity(node.on_demand_provisioned, node.on_demand_target),
        _capacity(node.spot_provisioned, node.spot_target),
    ]


def status_text(
    platform: Platform, clusters: Sequence[ClusterStatus], applications: Sequence[ApplicationStatus] = ()
) -> str:
    parts = [f"Environment {platform.env} in {platform.region}", ""]
    stacks = [[s.name, s.status + (f" ({s.status_reason})" if s.status_reason else "")] for s in platform.stacks]
    if stacks:
        parts.append(table(["STACK", "STATUS"], stacks))
    else:
        parts.append(f"No CloudFormation stack is named {platform.env}-*: found by its tags and exports.")
    exported = sorted(platform.exports.items())
    if exported:
        parts += ["", table(["EXPORT", "VALUE"], [[k, v] for k, v in exported])]
    if not clusters:
        parts += ["", f"No active cluster is tagged {ENVIRONMENT_TAG}={platform.env} or exported by its stacks."]
    for cluster in clusters:
        parts += ["", f"Cluster {cluster.name}: {cluster.cluster_id} ({cluster.cluster_name}) {cluster.state}"]
        if cluster.state_reason:
            parts.append(f"  reason:          {cluster.state_reason}")
        parts.append(f"  release:         {cluster.release or '-'}")
        parts.append(f"  applications:    {', '.join(cluster.applications) or '-'}")
        if cluster.scaling:
            s = cluster.scaling
            limits = [f"{s.minimum}-{s.maximum} {s.unit_type}"]
            if s.maximum_on_demand is not None:
                limits.append(f"on-demand <= {s.maximum_on_demand}")
            if s.maximum_core is not None:
                limits.append(f"core <= {s.maximum_core}")
            parts.append(f"  managed scaling: {', '.join(limits)}")
        elif not cluster.ended:
            parts.append("  managed scaling: off")
        parts.append(f"  logs:            {cluster.log_uri or '-'}")
        if cluster.nodes:
            unit = "units" if cluster.collection == "INSTANCE_FLEET" else "instances"
            headers = ["ROLE", "NAME", "STATE", "INSTANCE TYPES", f"ON-DEMAND ({unit})", f"SPOT ({unit})"]
            parts += ["", table(headers, [_node_row(n) for n in cluster.nodes], indent="  ")]
            parts.append("  (capacity shown as provisioned/target)")
    for app in applications:
        parts += ["", f"Serverless application {app.name}: {app.application_id} ({app.application_name}) {app.state}"]
        if app.state_details:
            parts.append(f"  reason:          {app.state_details}")
        parts.append(f"  release:         {app.release or '-'} ({app.type or '-'}, {app.architecture or '-'})")
        parts.append(f"  capacity:        initial {'; '.join(app.initial_capacity) or 'none'}")
        parts.append(f"                   maximum {app.maximum_capacity or '-'}")
        parts.append(f"  auto-stop:       {app.auto_stop}")
        parts.append(f"  runtime role:    {app.role_arn or '- (not exported: submit needs --role)'}")
        parts.append(f"  logs:            {app.log_uri or '-'}")
    return "\n".join(parts)


def status_json(
    platform: Platform, clusters: Sequence[ClusterStatus], applications: Sequence[ApplicationStatus] = ()
) -> str:
    return to_json(
        {
            "environment": platform.env,
            "region": platform.region,
            "stacks": [{"name": s.name, "status": s.status, "reason": s.status_reason} for s in platform.stacks],
            "exports": platform.exports,
            "clusters": [c.to_json() for c in clusters],
            "applications": [a.to_json() for a in applications],
        }
    )


def steps_text(cluster_name: str, cluster_id: str, steps: Sequence[StepInfo]) -> str:
    if not steps:
        return f"No steps on cluster {cluster_name} ({cluster_id})."
    rows = [[s.step_id, s.name, s.state, _when(s.created), _when(s.started), _when(s.ended)] for s in steps]
    return table(["STEP", "NAME", "STATE", "CREATED", "STARTED", "ENDED"], rows)


def steps_json(cluster_name: str, cluster_id: str, steps: Sequence[StepInfo]) -> str:
    return to_json(
        {
            "cluster": cluster_name,
            "cluster_id": cluster_id,
            "steps": [
                {
                    "id": s.step_id,
                    "name": s.name,
                    "state": s.state,
                    "created": s.created,
                    "started": s.started,
                    "ended": s.ended,
                    "failure": s.failure,
                }
                for s in steps
            ],
        }
    )


def job_runs_text(app_name: str, application_id: str, runs: Sequence[JobRunInfo]) -> str:
    if not runs:
        return f"No job runs on application {app_name} ({application_id})."
    rows = [[r.run_id, r.name, r.state, _when(r.created), _when(r.updated)] for r in runs]
    return table(["JOB RUN", "NAME", "STATE", "CREATED", "UPDATED"], rows)


def job_runs_json(app_name: str, application_id: str, runs: Sequence[JobRunInfo]) -> str:
    return to_json(
        {
            "application": app_name,
            "application_id": application_id,
            "job_runs": [
                {
                    "id": r.run_id,
                    "name": r.name,
                    "state": r.state,
                    "created": r.created,
                    "updated": r.updated,
                    "details": r.details,
                }
                for r in runs
            ],
        }
    )
