"""Start each deployed pipeline's state machine in moto, after checking what its definition names exists there.

What moto 5.2.5 runs of it (checked, see :data:`NOT_RUN`): nothing past ``StartExecution``. Its default Step
Functions backend records the execution and keeps it RUNNING without entering a state; its interpreter
(``execute_state_machine``) needs the ``antlr4`` runtime and models no EMR or EMR Serverless optimized
integration (``addStep.sync``, ``startJobRun.sync``), so it could not run the job states either. The rehearsal
therefore checks, before starting it, that every cluster and application a job state names is the one moto
created, and that a dated pipeline takes the run's day from the execution (``$.run.date``). A state that creates
a cluster (``createCluster``, a transient cluster) is rehearsed by making its RunJobFlow call in moto, after
checking that the instance profile, roles, subnet, security groups and security configuration it names exist
there; the cluster moto creates is terminated at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

#: The day a rehearsal execution is started for (as ``{"date": ...}``: a re-run of that day).
REHEARSAL_DATE = "2026-11-27"
RUN_DATE_PATH = "$.run.date"
NOT_RUN = (
    "moto accepts StartExecution and keeps the execution RUNNING without running a state (its interpreter needs "
    "antlr4 and has no EMR or EMR Serverless .sync integration): no step or job run is added by a pipeline; the "
    "definition's targets are checked against moto instead."
)


@dataclass(frozen=True)
class PipelineRun:
    """One state machine started in moto."""

    state_machine: str
    execution_arn: str
    status: str
    targets: tuple[str, ...]
    """``cluster j-...`` / ``application ...`` the job states name (each found in moto)."""
    dated: bool
    """Whether a job takes the run's day from the execution."""
    problems: tuple[str, ...]


def _states(definition: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in definition.get("States", {}).items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from _states(branch)


CREATE_CLUSTER = ":states:::elasticmapreduce:createCluster.sync"


def rehearse_create_cluster(session: boto3.Session, parameters: dict[str, Any]) -> tuple[str | None, list[str]]:
    """What a ``createCluster`` state would ask EMR for: every named resource looked up in moto, then the
    RunJobFlow call itself. Returns the id of the cluster moto created (terminated again) and what was missing."""
    iam, ec2, emr = (session.client(service) for service in ("iam", "ec2", "emr"))
    instances = parameters.get("Instances", {})
    missing: list[str] = []

    def check(what: str, name: str | None, lookup: Any) -> None:
        if name is None:
            return
        try:
            lookup(name)
        except Exception:
            missing.append(f"{what} {name} not found")

    check(
        "instance profile (JobFlowRole)",
        parameters.get("JobFlowRole"),
        lambda n: iam.get_instance_profile(InstanceProfileName=n),
    )
    for key in ("ServiceRole", "AutoScalingRole"):
        check(f"role ({key})", parameters.get(key), lambda n: iam.get_role(RoleName=n))
    check("subnet", instances.get("Ec2SubnetId"), lambda n: ec2.describe_subnets(SubnetIds=[n]))
    for key in ("EmrManagedMasterSecurityGroup", "EmrManagedSlaveSecurityGroup", "ServiceAccessSecurityGroup"):
        check(f"security group ({key})", instances.get(key), lambda n: ec2.describe_security_groups(GroupIds=[n]))
    check(
        "security configuration",
        parameters.get("SecurityConfiguration"),
        lambda n: emr.describe_security_configuration(Name=n),
    )
    if missing:
        return None, missing
    cluster_id = str(emr.run_job_flow(**parameters)["JobFlowId"])
    emr.terminate_job_flows(JobFlowIds=[cluster_id])
    return cluster_id, []


def start_pipelines(session: boto3.Session, date: str = REHEARSAL_DATE) -> list[PipelineRun]:
    """Check and start every state machine of the account/region of ``session``, with ``{"date": date}``."""
    sfn = session.client("stepfunctions")
    clusters = {c["Id"] for c in session.client("emr").list_clusters()["Clusters"]}
    applications = {a["id"] for a in session.client("emr-serverless").list_applications()["applications"]}
    runs = []
    for machine in sfn.list_state_machines()["stateMachines"]:
        arn, name = machine["stateMachineArn"], machine["name"]
        definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
        problems, targets = [], []
        for state_name, state in _states(definition):
            parameters = state.get("Parameters", {})
            for key, known, kind in (
                ("ClusterId", clusters, "cluster"),
                ("ApplicationId", applications, "application"),
            ):
                if key in parameters:
                    targets.append(f"{kind} {parameters[key]}")
                    if parameters[key] not in known:
                        problems.append(f"{name}: state {state_name} names {kind} {parameters[key]}, not in moto")
            if str(state.get("Resource", "")).endswith(CREATE_CLUSTER):
                created, missing = rehearse_create_cluster(session, parameters)
                targets.append(f"creates cluster ({created}, terminated)" if created else "creates cluster")
                problems.extend(f"{name}: state {state_name}: {problem}" for problem in missing)
        dated = RUN_DATE_PATH in json.dumps(definition)
        execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"date": date}))["executionArn"]
        status = sfn.describe_execution(executionArn=execution)["status"]
        if status not in ("RUNNING", "SUCCEEDED"):
            problems.append(f"{name}: execution {status}")
        runs.append(PipelineRun(name, execution, status, tuple(targets), dated, tuple(problems)))
    return runs
