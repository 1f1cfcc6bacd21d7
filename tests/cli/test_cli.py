"""The operator CLI against an environment the rehearsal deployed into moto from the synthesized templates.

moto 5.2.5 lacks emr:ListInstanceFleets and emr:GetManagedScalingPolicy: the ``emr_stub`` fixture stubs exactly
those two calls with botocore's Stubber; every other call goes to moto. moto never moves a step on from RUNNING,
so the ``--wait`` tests set the step's state through moto's backend from the injected ``sleep``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from emr_constructs.cli.main import main
from emr_constructs.cli.platform import ARTIFACTS_BUCKET
from tests.cli.conftest import Deployed
from tests.cli.stubs import OperationStubber
from tests.tools.rehearsal.support import ENV, REGION
from tools.rehearsal.deploy import new_session

FLEET_TYPES = {"MasterInstanceFleet": "MASTER", "CoreInstanceFleet": "CORE"}
#: The environment has two clusters (Analytics, Streaming): commands on one cluster name it.
CLUSTER = "analytics"


def fleets_of(properties: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    instances = properties["Instances"]
    fleets = [(role, instances[key]) for key, role in FLEET_TYPES.items() if key in instances]
    return fleets + [("TASK", fleet) for fleet in instances.get("TaskInstanceFleets", [])]


def answer_fleets_and_scaling(stub: OperationStubber, deployed: Deployed) -> list[dict[str, Any]]:
    """Queue what EMR would say for the template's cluster: spot capacity one short of target (still growing)."""
    fleets = []
    for index, (role, fleet) in enumerate(fleets_of(deployed.cluster_properties)):
        on_demand, spot = int(fleet.get("TargetOnDemandCapacity", 0)), int(fleet.get("TargetSpotCapacity", 0))
        fleets.append(
            {
                "Id": f"if-{index}",
                "Name": fleet.get("Name", role),
                "Status": {"State": "RESIZING" if spot else "RUNNING"},
                "InstanceFleetType": role,
                "TargetOnDemandCapacity": on_demand,
                "TargetSpotCapacity": spot,
                "ProvisionedOnDemandCapacity": on_demand,
                "ProvisionedSpotCapacity": max(spot - 1, 0),
                "InstanceTypeSpecifications": [
                    {"InstanceType": c["InstanceType"]} for c in fleet["InstanceTypeConfigs"]
                ],
            }
        )
    cluster = {"ClusterId": deployed.cluster.cluster_id}
    stub.add_response("list_instance_fleets", {"InstanceFleets": fleets}, cluster)
    limits = deployed.cluster_properties.get("ManagedScalingPolicy", {}).get("ComputeLimits")
    answer = {}
    if limits:
        answer = {
            "ManagedScalingPolicy": {"ComputeLimits": {k: v if k == "UnitType" else int(v) for k, v in limits.items()}}
        }
    stub.add_response("get_managed_scaling_policy", answer, cluster)
    # Status describes every cluster of the environment, in name order: the others (instance groups, which moto
    # lists itself) without managed scaling.
    for other in deployed.platform.clusters:
        if other.cluster_id != deployed.cluster.cluster_id:
            stub.add_response("get_managed_scaling_policy", {}, {"ClusterId": other.cluster_id})
    return fleets


def run(capsys: pytest.CaptureFixture[str], argv: list[str], **kwargs: Any) -> tuple[int, str, str]:
    code = main(argv, **kwargs)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_error_line(err: str, expected: str) -> None:
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert expected in err, err


def script(tmp_path: Path, body: str = "print('hello')\n", name: str = "job.py") -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


# -- status ---------------------------------------------------------------------------------------------------


def test_status_table(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, emr_stub: OperationStubber
) -> None:
    fleets = answer_fleets_and_scaling(emr_stub, deployed)
    code, out, err = run(capsys, ["status", "--env", ENV], session=session)
    assert (code, err) == (0, "")
    emr_stub.assert_no_pending_responses()
    assert out.startswith(f"Environment {ENV} in {REGION}\n")
    for stack in deployed.rehearsal.results:
        assert re.search(rf"^{stack.stack_name}\s+CREATE_COMPLETE$", out, re.M), stack.stack_name
    assert f"emr-platform-{ENV}-{ARTIFACTS_BUCKET}" in out
    cluster, properties = deployed.cluster, deployed.cluster_properties
    assert f"Cluster {cluster.name}: {cluster.cluster_id} ({properties['Name']}) {deployed.moto_cluster().state}" in out
    assert f"release:         {properties['ReleaseLabel']}\n" in out
    assert f"applications:    {', '.join(a['Name'] for a in properties['Applications'])}\n" in out
    limits = properties.get("ManagedScalingPolicy", {}).get("ComputeLimits")
    if limits:
        low, high = limits["MinimumCapacityUnits"], limits["MaximumCapacityUnits"]
        assert f"managed scaling: {low}-{high} {limits['UnitType']}" in out
    else:
        assert "managed scaling: off\n" in out
    assert f"logs:            {cluster.log_uri}\n" in out
    for fleet in fleets:
        spot, on_demand = fleet["TargetSpotCapacity"], fleet["TargetOnDemandCapacity"]
        columns = [
            fleet["InstanceFleetType"],
            re.escape(fleet["Name"]),
            fleet["Status"]["State"],
            re.escape(", ".join(s["InstanceType"] for s in fleet["InstanceTypeSpecifications"])),
            f"{on_demand}/{on_demand}" if on_demand else "-",
            f"{spot - 1}/{spot}" if spot else "-",
        ]
        assert re.search(r"^  " + r"\s+".join(str(c) for c in columns) + "$", out, re.M), (columns, out)


def test_status_json(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, emr_stub: OperationStubber
) -> None:
    fleets = answer_fleets_and_scaling(emr_stub, deployed)
    code, out, _ = run(capsys, ["status", "--env", ENV, "--json"], session=session)
    assert code == 0
    data = json.loads(out)
    assert (data["environment"], data["region"]) == (ENV, REGION)
    assert {s["name"]: s["status"] for s in data["stacks"]} == {
        r.stack_name: "CREATE_COMPLETE" for r in deployed.rehearsal.results
    }
    assert data["exports"][f"emr-platform-{ENV}-cluster-{deployed.cluster.name}-id"] == deployed.cluster.cluster_id
    assert [c["name"] for c in data["clusters"]] == ["analytics", "streaming"]
    [cluster] = [c for c in data["clusters"] if c["cluster_id"] == deployed.cluster.cluster_id]
    assert cluster["collection"] == "INSTANCE_FLEET"
    assert [(n["role"], n["on_demand_target"], n["spot_target"], n["spot_provisioned"]) for n in cluster["nodes"]] == [
        (f["InstanceFleetType"], f["TargetOnDemandCapacity"], f["TargetSpotCapacity"], f["ProvisionedSpotCapacity"])
        for f in fleets
    ]
    limits = deployed.cluster_properties.get("ManagedScalingPolicy", {}).get("ComputeLimits")
    expected = int(limits["MaximumCapacityUnits"]) if limits else None
    assert (cluster["scaling"] or {}).get("maximum") == expected


# -- submit ---------------------------------------------------------------------------------------------------


def test_submit_uploads_by_content_and_adds_a_spark_step(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, tmp_path: Path
) -> None:
    path = script(tmp_path, "print('content addressed')\n")
    argv = ["submit", "--env", ENV, "--cluster", deployed.cluster.name, str(path), "--date", "2024-06-01"]
    code, out, err = run(capsys, argv, session=session)
    assert (code, err) == (0, "")
    bucket = deployed.platform.require_export(ARTIFACTS_BUCKET)
    key = f"jobs/{hashlib.sha256(path.read_bytes()).hexdigest()}/job.py"
    stored = session.client("s3").get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == path.read_bytes()
    assert stored["ServerSideEncryption"] == "aws:kms"
    step = deployed.moto_cluster().steps[-1]
    assert (step.name, step.action_on_failure, step.jar) == ("job.py", "CONTINUE", "command-runner.jar")
    assert step.args == ["spark-submit", "--deploy-mode", "cluster", f"s3://{bucket}/{key}", "--date", "2024-06-01"]
    assert out.splitlines() == [
        f"uploaded {path} to s3://{bucket}/{key}",
        f"added step {step.id} to cluster {deployed.cluster.name} ({deployed.cluster.cluster_id})",
        f"logs: {deployed.log_uri}/{deployed.cluster.cluster_id}/steps/{step.id}/",
    ]


def test_submit_by_cluster_id_with_a_step_name(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, tmp_path: Path
) -> None:
    argv = [
        "submit",
        "--env",
        ENV,
        "--cluster",
        deployed.cluster.cluster_id,
        "--name",
        "nightly",
        str(script(tmp_path)),
    ]
    code, _, _ = run(capsys, argv, session=session)
    assert code == 0
    assert deployed.moto_cluster().steps[-1].name == "nightly"


class FakeTime:
    """An injected clock and sleep; ``on_sleep(n)`` runs at the n-th sleep, to move the step on in moto."""

    def __init__(self, on_sleep: Callable[[int], None]) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.on_sleep(len(self.sleeps))

    def clock(self) -> float:
        return self.now


def step_becomes(deployed: Deployed, state: str, *, at_sleep: int, reason: str | None = None) -> Callable[[int], None]:
    def advance(count: int) -> None:
        if count == at_sleep:
            step = deployed.moto_cluster().steps[-1]
            step.state = state
            if reason:
                step.last_state_change_reason = reason

    return advance


def test_submit_wait_completed(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, tmp_path: Path
) -> None:
    time = FakeTime(step_becomes(deployed, "COMPLETED", at_sleep=4))
    argv = ["submit", "--env", ENV, "--cluster", CLUSTER, "--wait", "--poll-seconds", "12", str(script(tmp_path))]
    code, out, err = run(capsys, argv, session=session, sleep=time.sleep, clock=time.clock)
    step = deployed.moto_cluster().steps[-1]
    assert code == 0
    assert time.sleeps == [5, 10, 12, 12], "polls back off from 5 s and stay within --poll-seconds"
    assert err.splitlines() == [f"[0:00:00] {step.id} {step_state_before(deployed)}", f"[0:00:39] {step.id} COMPLETED"]
    assert out.splitlines()[-2:] == [
        f"step {step.id} COMPLETED",
        f"logs: {deployed.log_uri}/{deployed.cluster.cluster_id}/steps/{step.id}/",
    ]


def step_state_before(deployed: Deployed) -> str:
    # moto runs a cluster's first step at once and queues later ones as PENDING.
    return "RUNNING" if len(deployed.moto_cluster().steps) == 1 else "PENDING"


@pytest.mark.parametrize("final", ["FAILED", "CANCELLED", "INTERRUPTED"])
def test_submit_wait_fails_unless_completed(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, tmp_path: Path, final: str
) -> None:
    time = FakeTime(step_becomes(deployed, final, at_sleep=1, reason="Step failed with exitCode 1"))
    code, out, err = run(
        capsys,
        ["submit", "--env", ENV, "--cluster", CLUSTER, "--wait", str(script(tmp_path))],
        session=session,
        sleep=time.sleep,
        clock=time.clock,
    )
    step = deployed.moto_cluster().steps[-1]
    assert code == 1
    assert err.splitlines()[-1] == f"[0:00:05] {step.id} {final}"
    assert out.splitlines()[-3:] == [
        f"step {step.id} {final}",
        "reason: Step failed with exitCode 1",
        f"logs: {deployed.log_uri}/{deployed.cluster.cluster_id}/steps/{step.id}/",
    ]


def test_submit_wait_gives_up_after_timeout(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, tmp_path: Path
) -> None:
    time = FakeTime(lambda count: None)
    argv = ["submit", "--env", ENV, "--cluster", CLUSTER, "--wait", "--timeout", "60", str(script(tmp_path))]
    code, out, _ = run(capsys, argv, session=session, sleep=time.sleep, clock=time.clock)
    assert code == 1
    assert time.sleeps == [5, 10, 20, 30]
    assert re.search(r"^step s-\w+ is still (RUNNING|PENDING) after 0:01:00$", out, re.M), out


# -- steps and logs -------------------------------------------------------------------------------------------


def test_steps_lists_newest_first(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session, tmp_path: Path
) -> None:
    run(
        capsys,
        ["submit", "--env", ENV, "--cluster", CLUSTER, "--name", "listed", str(script(tmp_path))],
        session=session,
    )
    newest = deployed.moto_cluster().steps[-1]
    code, out, _ = run(capsys, ["steps", "--env", ENV, "--cluster", deployed.cluster.name], session=session)
    assert code == 0
    header, first = out.splitlines()[:2]
    assert header.split() == ["STEP", "NAME", "STATE", "CREATED", "STARTED", "ENDED"]
    assert first.split()[:3] == [newest.id, "listed", newest.state]
    code, out, _ = run(capsys, ["steps", "--env", ENV, "--cluster", CLUSTER, "--json", "--limit", "1"], session=session)
    data = json.loads(out)
    assert [(s["id"], s["name"]) for s in data["steps"]] == [(newest.id, "listed")]
    assert data["cluster_id"] == deployed.cluster.cluster_id


def put_log(deployed: Deployed, session: boto3.Session, step_id: str, name: str, body: bytes) -> None:
    bucket, _, prefix = deployed.log_uri.removeprefix("s3://").partition("/")
    key = f"{prefix.rstrip('/')}/{deployed.cluster.cluster_id}/steps/{step_id}/{name}".lstrip("/")
    session.client("s3").put_object(Bucket=bucket, Key=key, Body=body)


def test_logs_prints_the_gzipped_stderr(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session
) -> None:
    put_log(deployed, session, "s-LOGS1", "stderr.gz", gzip.compress(b"Traceback: job failed\nexit 1\n"))
    code, out, err = run(capsys, ["logs", "--env", ENV, "--cluster", CLUSTER, "s-LOGS1"], session=session)
    assert (code, out) == (0, "Traceback: job failed\nexit 1\n")
    assert err.startswith("==> s3://") and err.rstrip().endswith(
        f"/{deployed.cluster.cluster_id}/steps/s-LOGS1/stderr.gz"
    )


def test_logs_reads_a_plain_stream_when_no_gzip_exists(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session
) -> None:
    put_log(deployed, session, "s-LOGS2", "stdout", b"42\n")
    code, out, _ = run(
        capsys, ["logs", "--env", ENV, "--cluster", CLUSTER, "--stream", "stdout", "s-LOGS2"], session=session
    )
    assert (code, out) == (0, "42\n")


def test_fails_log_not_there_yet(
    capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session
) -> None:
    code, _, err = run(capsys, ["logs", "--env", ENV, "--cluster", CLUSTER, "s-NOLOGS"], session=session)
    assert code == 1
    assert_one_error_line(err, "no stderr log at s3://")
    assert "EMR uploads a step's logs about every five minutes" in err


# -- errors an operator hits ----------------------------------------------------------------------------------


@pytest.fixture
def no_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing but the environment variables a test sets: no profile, config file or instance metadata."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("deployed", "no_aws_config")
def test_fails_no_credentials(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    code, _, err = run(capsys, ["status", "--env", ENV, "--region", REGION])
    assert code == 2
    assert_one_error_line(err, "error: no AWS credentials found: set AWS_PROFILE (or pass --profile)")


@pytest.mark.usefixtures("deployed", "no_aws_config")
def test_fails_no_region(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, ["status", "--env", ENV])
    assert code == 2
    assert_one_error_line(err, "error: no AWS region: pass --region (e.g. --region eu-west-1) or set AWS_REGION")


def test_fails_wrong_region(capsys: pytest.CaptureFixture[str], deployed: Deployed) -> None:
    code, _, err = run(capsys, ["status", "--env", ENV, "--region", "us-east-1"], session=new_session())
    assert code == 2
    assert_one_error_line(
        err,
        f"error: environment '{ENV}' is not deployed in us-east-1: no CloudFormation stack named '{ENV}-*' and "
        f"no active EMR cluster tagged emr-platform:environment={ENV} (deploy it with `cdk deploy '{ENV}/*'`, "
        "pass the --region it was deployed to, or pass --cluster j-... to use a cluster by id)",
    )


def test_fails_unreachable_region(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, deployed: Deployed
) -> None:
    """A mistyped region has no endpoint: the DNS lookup fails (simulated before moto answers)."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    session = new_session()

    def no_such_host(request: Any, **_: Any) -> None:
        raise EndpointConnectionError(endpoint_url=request.url)

    session.events.register_first("before-send.cloudformation", no_such_host)
    code, _, err = run(capsys, ["status", "--env", ENV, "--region", "eu-wets-1"], session=session)
    assert code == 2
    assert_one_error_line(err, "error: cannot reach https://cloudformation.eu-wets-1.amazonaws.com/: check that region")


def test_fails_environment_not_deployed(capsys: pytest.CaptureFixture[str], session: boto3.Session) -> None:
    code, _, err = run(capsys, ["steps", "--env", "qa"], session=session)
    assert code == 2
    assert_one_error_line(err, "error: environment 'qa' is not deployed in eu-west-1")


def test_fails_unknown_cluster(capsys: pytest.CaptureFixture[str], deployed: Deployed, session: boto3.Session) -> None:
    code, _, err = run(capsys, ["steps", "--env", ENV, "--cluster", "nightly"], session=session)
    assert code == 2
    assert_one_error_line(
        err,
        f"error: no cluster 'nightly' in environment '{ENV}' ({REGION}); its clusters: "
        f"{deployed.cluster.name} ({deployed.cluster.cluster_id})",
    )


def test_fails_script_not_found(capsys: pytest.CaptureFixture[str], session: boto3.Session, tmp_path: Path) -> None:
    code, _, err = run(
        capsys, ["submit", "--env", ENV, "--cluster", CLUSTER, str(tmp_path / "missing.py")], session=session
    )
    assert code == 2
    assert_one_error_line(err, f"error: script not found: {tmp_path / 'missing.py'}")


def test_fails_cluster_terminated(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    deployed: Deployed,
    session: boto3.Session,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(deployed.moto_cluster(), "state", "TERMINATED")
    steps_before = len(deployed.moto_cluster().steps)
    path = script(tmp_path, "print('never uploaded')\n")
    code, out, err = run(capsys, ["submit", "--env", ENV, "--cluster", CLUSTER, str(path)], session=session)
    assert (code, out) == (2, "")
    assert_one_error_line(
        err,
        f"error: cluster {deployed.cluster.name} ({deployed.cluster.cluster_id}) is TERMINATED: it cannot run steps",
    )
    assert len(deployed.moto_cluster().steps) == steps_before
    listed = session.client("s3").list_objects_v2(
        Bucket=deployed.platform.require_export(ARTIFACTS_BUCKET),
        Prefix=f"jobs/{hashlib.sha256(path.read_bytes()).hexdigest()}/",
    )
    assert listed["KeyCount"] == 0, "nothing is uploaded for a cluster that cannot run it"


DENIED = "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: {action} on resource: {resource}"


@pytest.mark.parametrize(
    ("service", "operation", "code", "message", "expected"),
    [
        (
            "cloudformation",
            "DescribeStacks",
            "AccessDenied",
            DENIED.format(action="cloudformation:DescribeStacks", resource="*"),
            "cloudformation:DescribeStacks",
        ),
        # S3 names no action; the CLI knows which one the call needs.
        ("s3", "PutObject", "AccessDenied", "Access Denied", "s3:PutObject"),
        # Uploading with SSE-KMS is refused by KMS: the message names the key action.
        (
            "s3",
            "PutObject",
            "AccessDenied",
            DENIED.format(action="kms:GenerateDataKey", resource="key"),
            "kms:GenerateDataKey",
        ),
        (
            "emr",
            "AddJobFlowSteps",
            "AccessDeniedException",
            DENIED.format(action="elasticmapreduce:AddJobFlowSteps", resource="cluster"),
            "elasticmapreduce:AddJobFlowSteps",
        ),
    ],
)
def test_fails_access_denied(
    capsys: pytest.CaptureFixture[str],
    session: boto3.Session,
    tmp_path: Path,
    service: str,
    operation: str,
    code: str,
    message: str,
    expected: str,
) -> None:
    """AWS refuses one call (stubbed: moto does not enforce IAM by default); the CLI names the denied action."""
    denied = OperationStubber(session, service, [operation])
    denied.add_client_error(
        re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower(),
        service_error_code=code,
        service_message=message,
        http_status_code=403,
    )
    denied.activate()
    exit_code, _, err = run(
        capsys, ["submit", "--env", ENV, "--cluster", CLUSTER, str(script(tmp_path))], session=session
    )
    assert exit_code == 2
    assert_one_error_line(
        err, f"error: access denied: your AWS identity may not call {expected}: ask for it in your role"
    )
    denied.assert_no_pending_responses()
