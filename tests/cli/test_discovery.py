"""The CLI finds clusters of any app by their discovery tags, and any cluster by its ``j-...`` id.

One moto account per module: two tagged clusters of environment ``sales`` (no CloudFormation stack of that
name exists, as in a team's own app), one of ``other``, one untagged; plus a bucket for uploads.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from emr_constructs.cli.main import main
from emr_constructs.discovery import CLUSTER_TAG, ENVIRONMENT_TAG, cluster_tags, is_valid_tag_value, read_tags

REGION = "eu-west-1"
BUCKET = "team-artifacts"
ROOT = Path(__file__).resolve().parents[2]


def start_cluster(emr: Any, name: str, tags: dict[str, str]) -> str:
    answer = emr.run_job_flow(
        Name=name,
        ReleaseLabel="emr-7.14.0",
        LogUri=f"s3://team-logs/{name}/",
        Instances={"InstanceCount": 1, "MasterInstanceType": "m5.xlarge", "KeepJobFlowAliveWhenNoSteps": True},
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )
    cluster_id: str = answer["JobFlowId"]
    return cluster_id


@pytest.fixture(scope="module")
def account() -> Iterator[dict[str, str]]:
    with mock_aws():
        session = boto3.Session(region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
        emr = session.client("emr")
        session.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield {
            "etl": start_cluster(emr, "sales-etl", cluster_tags("etl", "sales")),
            "adhoc": start_cluster(emr, "sales-adhoc", cluster_tags("adhoc", "sales")),
            "other": start_cluster(emr, "other-etl", cluster_tags("etl", "other")),
            "untagged": start_cluster(emr, "hand-made", {"team": "x"}),
        }


@pytest.fixture
def session(account: dict[str, str]) -> boto3.Session:
    return boto3.Session(region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


def run(capsys: pytest.CaptureFixture[str], argv: list[str], session: boto3.Session) -> tuple[int, str, str]:
    code = main(argv, session=session)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tags_round_trip() -> None:
    tags = cluster_tags("analytics", "prod")
    assert tags == {CLUSTER_TAG: "analytics", ENVIRONMENT_TAG: "prod"}
    assert CLUSTER_TAG == "emr-platform:cluster" and ENVIRONMENT_TAG == "emr-platform:environment"
    identity = read_tags([{"Key": k, "Value": v} for k, v in tags.items()])
    assert (identity.environment, identity.cluster) == ("prod", "analytics")
    assert read_tags({}).cluster is None
    assert is_valid_tag_value("prod") and not is_valid_tag_value("") and not is_valid_tag_value("a" * 257)


def test_status_finds_tagged_clusters_without_stacks(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # moto lacks ListInstanceFleets/GetManagedScalingPolicy; these clusters are instance groups without scaling.
    monkeypatch.setattr("emr_constructs.cli.clusters._scaling", lambda emr, cluster_id: None)
    code, out, err = run(capsys, ["status", "--env", "sales", "--json"], session)
    assert (code, err) == (0, "")
    found = {c["name"]: c["cluster_id"] for c in json.loads(out)["clusters"]}
    assert found == {"adhoc": account["adhoc"], "etl": account["etl"]}


def test_steps_by_name_in_a_tagged_environment(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str]
) -> None:
    code, out, err = run(capsys, ["steps", "--env", "sales", "--cluster", "etl"], session)
    assert (code, err) == (0, "")
    assert out == f"No steps on cluster etl ({account['etl']}).\n"


def test_cluster_id_works_without_an_environment(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str]
) -> None:
    code, out, err = run(capsys, ["steps", "--cluster", account["untagged"]], session)
    assert (code, err) == (0, "")
    assert out == f"No steps on cluster hand-made ({account['untagged']}).\n"


def test_cluster_id_of_another_environment_works_too(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str]
) -> None:
    code, out, _ = run(capsys, ["steps", "--env", "sales", "--cluster", account["other"]], session)
    assert code == 0
    assert out == f"No steps on cluster etl ({account['other']}).\n"


def test_submit_by_id_with_bucket(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str], tmp_path: Path
) -> None:
    script = tmp_path / "job.py"
    script.write_text("print('hi')\n")
    code, out, err = run(capsys, ["submit", "--cluster", account["untagged"], "--bucket", BUCKET, str(script)], session)
    assert (code, err) == (0, "")
    assert f"uploaded {script} to s3://{BUCKET}/jobs/" in out
    assert f"logs: s3://team-logs/hand-made/{account['untagged']}/steps/s-" in out


def test_fails_submit_untagged_cluster_without_bucket(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str], tmp_path: Path
) -> None:
    script = tmp_path / "job.py"
    script.write_text("print('hi')\n")
    code, _, err = run(capsys, ["submit", "--cluster", account["untagged"], str(script)], session)
    assert code == 2
    assert err == (
        f"error: cluster {account['untagged']} has no emr-platform:environment tag, so its environment's artifacts "
        "bucket is unknown: pass --bucket BUCKET (and --kms-key ARN if the bucket requires SSE-KMS)\n"
    )


def test_fails_submit_tagged_cluster_whose_environment_exports_no_bucket(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, tmp_path: Path
) -> None:
    script = tmp_path / "job.py"
    script.write_text("print('hi')\n")
    code, _, err = run(capsys, ["submit", "--env", "sales", "--cluster", "etl", str(script)], session)
    assert code == 2
    assert err == (
        "error: environment 'sales' in eu-west-1 exports no emr-platform-sales-ArtifactsBucketName: pass --bucket "
        "BUCKET (the artifacts bucket of the environment's data lake), or deploy its data lake stack "
        "(stacks found: none)\n"
    )


def test_fails_two_clusters_and_no_choice(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str]
) -> None:
    code, _, err = run(capsys, ["steps", "--env", "sales"], session)
    assert code == 2
    assert err == (
        "error: pass --cluster NAME or --cluster j-...: environment 'sales' has clusters: "
        f"adhoc ({account['adhoc']}), etl ({account['etl']})\n"
    )


def test_fails_unknown_environment(capsys: pytest.CaptureFixture[str], session: boto3.Session) -> None:
    code, _, err = run(capsys, ["steps", "--env", "nope"], session)
    assert code == 2
    assert err == (
        "error: environment 'nope' is not deployed in eu-west-1: no CloudFormation stack named 'nope-*' and no "
        "active EMR cluster tagged emr-platform:environment=nope (deploy it with `cdk deploy 'nope/*'`, pass the "
        "--region it was deployed to, or pass --cluster j-... to use a cluster by id)\n"
    )


def test_fails_neither_env_nor_cluster(capsys: pytest.CaptureFixture[str], session: boto3.Session) -> None:
    code, _, err = run(capsys, ["steps"], session)
    assert code == 2
    assert err == "error: pass --env NAME (the environment, as its clusters are tagged) or --cluster j-... (an id)\n"


def test_fails_unknown_cluster_id(capsys: pytest.CaptureFixture[str], session: boto3.Session) -> None:
    code, _, err = run(capsys, ["steps", "--cluster", "j-NOSUCHCLUSTER1"], session)
    assert code != 0
    assert err.startswith("error: DescribeCluster failed: ") or err.startswith("error: access denied")


# -- the CLI stays light: no aws_cdk, no jsii, no Node.js -------------------------------------------------------


def test_cli_modules_import_neither_aws_cdk_nor_jsii() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "emr_constructs" / "cli").rglob("*.py")
    )
    modules = [m.removesuffix(".__init__") for m in modules] + ["emr_constructs.discovery"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs', 'cdk_nag'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
    assert len(modules) >= 10


def test_help_runs_without_node_in_under_half_a_second(tmp_path: Path) -> None:
    """PATH holds nothing (so no node), and JSII_NODE is unset: ``--help`` must not need Node.js."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSII")}
    env["PATH"] = str(tmp_path)
    command = [sys.executable, "-m", "emr_constructs.cli.main", "--help"]
    best = float("inf")
    for _ in range(3):  # the best of three
        # CPU time of the child (user + system), not wall time: on a loaded shared machine the wall clock
        # measures the other processes; the CPU the CLI spends starting up is what Node.js or jsii would add.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, spent)
        assert result.returncode == 0, result.stderr
    assert "cost" in result.stdout and "preflight" in result.stdout
    assert best < 0.5, f"emr-platform --help took {best:.2f} s of CPU"


def test_submit_finds_the_bucket_in_any_stacks_exports(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, account: dict[str, str], tmp_path: Path
) -> None:
    """A team app's stack, named as the team likes, exports the bucket the way ``PlatformOutputs`` does."""
    template = {
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "other-artifacts"}}},
        "Outputs": {
            "ArtifactsBucketName": {
                "Value": {"Ref": "Bucket"},
                "Export": {"Name": "emr-platform-other-ArtifactsBucketName"},
            }
        },
    }
    session.client("cloudformation").create_stack(StackName="team-lake", TemplateBody=json.dumps(template))
    script = tmp_path / "job.py"
    script.write_text("print('hi')\n")
    code, out, err = run(capsys, ["submit", "--env", "other", str(script)], session)
    assert (code, err) == (0, "")
    assert "uploaded" in out and "to s3://other-artifacts/jobs/" in out
    assert "added step s-" in out and f"to cluster etl ({account['other']})" in out
