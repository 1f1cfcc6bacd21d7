"""``emr-platform`` against EMR Serverless applications, in moto's emr-serverless backend.

Two applications of environment ``ana`` (region eu-central-1, apart from the package's dev rehearsal): ``spark``,
exported as the bundled compute stack exports it (id, runtime role, log URI), and ``adhoc``, found only by the
discovery tags ``EmrServerlessApplication`` writes (as in a team's own app without exports). moto creates every job
run in state SUCCESS; the failing case makes new runs start RUNNING and fails them from the injected ``sleep``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.emrserverless import models as serverless_models
from moto.emrserverless.models import emrserverless_backends

from emr_constructs.cli.main import main
from emr_constructs.discovery import APPLICATION_TAG, ENVIRONMENT_TAG
from tests.cli.stubs import OperationStubber

ENV = "ana"
REGION = "eu-central-1"
ARTIFACTS = "ana-artifacts-bucket"
LOGS = "ana-logs-bucket"
LOG_URI = f"s3://{LOGS}/emr-serverless/spark/"


@dataclass(frozen=True)
class World:
    spark: str
    adhoc: str
    role_arn: str
    key_arn: str

    def backend(self) -> Any:
        return emrserverless_backends[DEFAULT_ACCOUNT_ID][REGION]


def new_session() -> boto3.Session:
    return boto3.Session(region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


def create_application(client: Any, name: str, key: str) -> str:
    return str(
        client.create_application(
            name=name,
            releaseLabel="emr-7.1.0",
            type="SPARK",
            maximumCapacity={"cpu": "64 vCPU", "memory": "256 GB"},
            autoStopConfiguration={"enabled": True, "idleTimeoutMinutes": 15},
            tags={ENVIRONMENT_TAG: ENV, APPLICATION_TAG: key},
        )["applicationId"]
    )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with mock_aws():
        session = new_session()
        serverless = session.client("emr-serverless")
        spark = create_application(serverless, "ana-Compute-Spark-A1B2C3", "spark")
        adhoc = create_application(serverless, "ana-adhoc", "adhoc")
        role_arn = session.client("iam").create_role(RoleName="ana-spark-runtime", AssumeRolePolicyDocument="{}")[
            "Role"
        ]["Arn"]
        key_arn = session.client("kms").create_key()["KeyMetadata"]["Arn"]
        s3 = session.client("s3")
        for bucket in (ARTIFACTS, LOGS):
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        outputs = {
            "ArtifactsBucketName": ("emr-platform-ana-ArtifactsBucketName", ARTIFACTS),
            "DataLakeKeyArn": ("emr-platform-ana-DataLakeKeyArn", key_arn),
            "SparkId": ("emr-platform-ana-serverless-spark-id", spark),
            "SparkRoleArn": ("emr-platform-ana-serverless-spark-role-arn", role_arn),
            "SparkLogUri": ("emr-platform-ana-serverless-spark-log-uri", LOG_URI),
        }
        template = {
            "Resources": {"Marker": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {k: {"Value": v, "Export": {"Name": n}} for k, (n, v) in outputs.items()},
        }
        session.client("cloudformation").create_stack(StackName="ana-Compute", TemplateBody=json.dumps(template))
        yield World(spark=spark, adhoc=adhoc, role_arn=role_arn, key_arn=key_arn)


def run(capsys: pytest.CaptureFixture[str], *argv: str, **kwargs: Any) -> tuple[int, str, str]:
    code = main(list(argv), session=new_session(), sleep=kwargs.pop("sleep", lambda _: None), **kwargs)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def script(tmp_path: Path, body: str = "print('hello')\n") -> Path:
    path = tmp_path / "daily.py"
    path.write_text(body)
    return path


def last_run(world: World, application_id: str) -> Any:
    return world.backend().job_runs[application_id][-1]


# -- status ---------------------------------------------------------------------------------------------------


def test_status_lists_applications_next_to_clusters(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "status", "--env", ENV)
    assert (code, err) == (0, "")
    assert f"Serverless application spark: {world.spark} (ana-Compute-Spark-A1B2C3) STARTED\n" in out
    assert f"Serverless application adhoc: {world.adhoc} (ana-adhoc) STARTED\n" in out
    assert "  release:         emr-7.1.0 (Spark, -)\n" in out
    assert "                   maximum 64 vCPU, 256 GB\n" in out
    assert "  auto-stop:       after 15 idle minutes\n" in out
    assert f"  runtime role:    {world.role_arn}\n" in out
    assert "  runtime role:    - (not exported: submit needs --role)\n" in out
    assert f"  logs:            {LOG_URI}\n" in out
    assert "No active cluster is tagged emr-platform:environment=ana" in out


def test_status_json(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--env", ENV, "--json")
    assert code == 0
    apps = {a["name"]: a for a in json.loads(out)["applications"]}
    assert (apps["spark"]["application_id"], apps["spark"]["role_arn"], apps["spark"]["log_uri"]) == (
        world.spark,
        world.role_arn,
        LOG_URI,
    )
    assert (apps["adhoc"]["role_arn"], apps["adhoc"]["state"]) == (None, "STARTED")


# -- submit ---------------------------------------------------------------------------------------------------


def test_submit_wait_starts_a_job_run_with_the_runtime_role_and_log_location(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = script(tmp_path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    code, out, err = run(
        capsys, "submit", "--env", ENV, "--app", "Spark", "--wait", str(path), "--", "--date", "2024-06-01"
    )
    assert code == 0, err
    job = last_run(world, world.spark)
    location = f"s3://{ARTIFACTS}/jobs/{digest}/daily.py"
    assert out == (
        f"uploaded {path} to {location}\n"
        f"started job run {job.id} on application spark ({world.spark})\n"
        f"job run {job.id} SUCCESS\n"
        f"logs: {LOG_URI}applications/{world.spark}/jobs/{job.id}/SPARK_DRIVER/\n"
    )
    assert err == f"[0:00:00] {job.id} SUCCESS\n"
    assert (job.execution_role_arn, job.name) == (world.role_arn, "daily.py")
    assert job.job_driver == {"sparkSubmit": {"entryPoint": location, "entryPointArguments": ["--date", "2024-06-01"]}}
    assert job.configuration_overrides == {
        "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": LOG_URI, "encryptionKeyArn": world.key_arn}}
    }
    uploaded = new_session().client("s3").head_object(Bucket=ARTIFACTS, Key=f"jobs/{digest}/daily.py")
    assert (uploaded["ServerSideEncryption"], uploaded["SSEKMSKeyId"]) == ("aws:kms", world.key_arn)


def test_submit_without_wait_prints_where_the_logs_go(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "submit", "--env", ENV, "--app", world.spark, str(script(tmp_path)))
    job = last_run(world, world.spark)
    assert code == 0
    assert out.endswith(f"logs: {LOG_URI}applications/{world.spark}/jobs/{job.id}/SPARK_DRIVER/\n")


def test_submit_wait_fails_unless_success(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(serverless_models, "JOB_STATUS", "RUNNING")

    def fail(_: float) -> None:
        job = last_run(world, world.spark)
        job.state, job.state_details = "FAILED", "Job failed, ExitCode: 1. Last few exceptions: ValueError: bad date"

    code, out, err = run(capsys, "submit", "--env", ENV, "--app", "spark", "--wait", str(script(tmp_path)), sleep=fail)
    job = last_run(world, world.spark)
    assert code == 1
    reason = "Job failed, ExitCode: 1. Last few exceptions: ValueError: bad date"
    assert f"job run {job.id} FAILED\nreason: {reason}\n" in out
    assert err == f"[0:00:00] {job.id} RUNNING\n[0:00:00] {job.id} FAILED\n"


def test_submit_to_a_tagged_application_by_id_with_a_role(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No --env: the id names the application; its environment tag finds the artifacts bucket."""
    code, out, err = run(capsys, "submit", "--app", world.adhoc, "--role", world.role_arn, str(script(tmp_path)))
    assert code == 0, err
    job = last_run(world, world.adhoc)
    assert f"started job run {job.id} on application adhoc ({world.adhoc})\n" in out
    # The tagged application's monitoring configuration holds no log URI in moto (it drops it).
    assert out.endswith("logs: the application exports no log URI\n")
    assert job.execution_role_arn == world.role_arn


# -- steps and logs -------------------------------------------------------------------------------------------


def test_steps_lists_job_runs(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "submit", "--env", ENV, "--app", "spark", str(script(tmp_path)))
    code, out, _ = run(capsys, "steps", "--env", ENV, "--app", "spark", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["application"], data["application_id"]) == ("spark", world.spark)
    assert {r["id"] for r in data["job_runs"]} == {j.id for j in world.backend().job_runs[world.spark]}
    code, out, _ = run(capsys, "steps", "--env", ENV, "--app", "spark")
    assert re.search(rf"^{last_run(world, world.spark).id}\s+daily.py\s+SUCCESS", out, re.M), out


def test_logs_prints_the_driver_stderr(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "submit", "--env", ENV, "--app", "spark", str(script(tmp_path)))
    job_id = last_run(world, world.spark).id
    key = f"emr-serverless/spark/applications/{world.spark}/jobs/{job_id}/SPARK_DRIVER/stderr.gz"
    new_session().client("s3").put_object(Bucket=LOGS, Key=key, Body=gzip.compress(b"INFO SparkContext: done\n"))
    code, out, err = run(capsys, "logs", "--env", ENV, "--app", "spark", job_id)
    assert (code, out, err) == (0, "INFO SparkContext: done\n", f"==> s3://{LOGS}/{key}\n")


# -- failures -------------------------------------------------------------------------------------------------


def test_fails_no_runtime_role(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "submit", "--env", ENV, "--app", "adhoc", str(script(tmp_path)))
    assert (code, out) == (2, "")
    assert err == (
        f"error: EMR Serverless application adhoc ({world.adhoc}) has no job runtime role exported "
        "(emr-platform-ana-serverless-adhoc-role-arn): pass --role ARN (the application's runtime role, "
        "EmrServerlessApplication.runtime_role)\n"
    )


def test_fails_unknown_application(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "steps", "--env", ENV, "--app", "nightly")
    assert code == 2
    assert err == (
        f"error: no EMR Serverless application 'nightly' in environment 'ana' ({REGION}); its applications: "
        f"adhoc ({world.adhoc}), spark ({world.spark})\n"
    )


def test_fails_cluster_and_app(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "submit", "--env", ENV, "--app", "spark", "--cluster", "etl", str(script(tmp_path)))
    assert (code, err) == (
        2,
        "error: pass --cluster (an EMR cluster) or --app (an EMR Serverless application), not both\n",
    )


def test_fails_role_without_app(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "submit", "--env", ENV, "--role", world.role_arn, str(script(tmp_path)))
    assert (code, err) == (
        2,
        "error: --role is the job runtime role of an EMR Serverless application: pass it with --app\n",
    )


def test_fails_application_terminated(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(world.backend().applications[world.spark], "state", "TERMINATING")
    runs_before = len(world.backend().job_runs.get(world.spark, []))
    code, _, err = run(capsys, "submit", "--env", ENV, "--app", "spark", str(script(tmp_path)))
    assert (code, err) == (
        2,
        f"error: EMR Serverless application spark ({world.spark}) is TERMINATING: it cannot run jobs; "
        "redeploy the environment's compute stack\n",
    )
    assert len(world.backend().job_runs.get(world.spark, [])) == runs_before


def test_fails_log_stream_a_driver_does_not_write(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "logs", "--env", ENV, "--app", "spark", "--stream", "syslog", "00000000000000aa")
    assert (code, err) == (2, "error: --stream syslog: a job run's driver writes stderr and stdout\n")


def test_status_without_serverless_access_shows_the_rest(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    session = new_session()
    denied = OperationStubber(session, "emr-serverless", ["ListApplications"])
    denied.add_client_error("list_applications", service_error_code="AccessDeniedException", http_status_code=403)
    denied.activate()
    code = main(["status", "--env", ENV], session=session)
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == (
        "note: EMR Serverless applications not listed: access denied: your AWS identity may not call "
        "emr-serverless:ListApplications: ask for it in your role\n"
    )
    assert "emr-platform-ana-serverless-spark-id" in captured.out
    assert "Serverless application" not in captured.out
