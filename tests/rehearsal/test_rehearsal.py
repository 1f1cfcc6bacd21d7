"""The deploy rehearsal: each environment of the bundled app, the stand-in app's cluster, the mistakes it catches."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rehearsal.__main__ import main, rehearse
from rehearsal.assembly import AssemblyError, load_environment
from stacks.platform_stage import PlatformStage
from tests.rehearsal.support import ENV, REGION, assembly_of, exports_clusters, stand_in_assembly


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_bundled_app_environment(platform: dict[str, PlatformStage], tmp_path: Path, env: str) -> None:
    cdk_out = assembly_of(platform[env])
    verdict = rehearse(cdk_out, env, report_dir=tmp_path)
    results = verdict.rehearsal.results
    assert [r.stack_name for r in results] == [s.stack_name for s in load_environment(cdk_out, env)]
    assert {r.stack_name: (r.status, r.reasons) for r in results} == {
        r.stack_name: ("CREATE_COMPLETE", []) for r in results
    }
    assert verdict.cli_runs[0].argv[:3] == ("status", "--env", env)
    assert verdict.cli_runs[0].exit_code == 0, verdict.cli_runs[0].stderr
    assert (tmp_path / f"rehearsal-{env}.md").read_text().startswith(f"# Deploy rehearsal: {env}\n")
    if not exports_clusters(cdk_out, env):
        pytest.xfail("the bundled app has no stack exporting a cluster yet, so submit cannot be rehearsed")
    assert verdict.ok, verdict.problems


@pytest.fixture(scope="module")
def stand_in() -> Path:
    return stand_in_assembly()


def test_stand_in_environment_runs_status_submit_and_steps(
    stand_in: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--env", ENV, str(stand_in)]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^  \d\. (\S+): (\S+)", out, re.M) == [
        ("dev-DataLake", "CREATE_COMPLETE"),
        ("dev-Network", "CREATE_COMPLETE"),
        ("dev-Compute", "CREATE_COMPLETE"),
    ], "dependencies first, the manifest's order otherwise"
    assert re.findall(r"^  emr-platform (\w+) .*: exit (\d+)$", out, re.M) == [
        ("status", "0"),
        ("submit", "0"),
        ("steps", "0"),
    ]
    assert out.endswith(f"result: PASSED\nreport: {stand_in / 'rehearsal-dev.md'}\n")
    report = (stand_in / "rehearsal-dev.md").read_text()
    for expected in (
        "- Result: **PASSED**",
        f"- Region: `{REGION}`, account `123456789012` (moto, in-process)",
        "(AWS::S3::BucketPolicy)",
        "`VpcRestrictDefaultSecurityGroupCustomResourceC73DA2BE` (Custom::VpcRestrictDefaultSG)",
        "- `dev-Compute` <- `dev-Network`.`PublishOutputRefVpcPrivateSubnet1Subnet536B997ACF478E51`",
        "state WAITING (moto ignores KeepJobFlowAliveWhenNoSteps); applications Spark, Hadoop",
        "ListInstanceFleets(j-",
        ".zip` (zip, ",
        "  MASTER  Primary  RUNNING  m7g.xlarge",
        "added step s-",
    ):
        assert expected in report, expected


def broken_copy(stand_in: Path, tmp_path: Path, change: Callable[[Path], None]) -> Path:
    cdk_out = tmp_path / "cdk.out"
    shutil.copytree(stand_in, cdk_out)
    change(cdk_out / "assembly-dev")
    return cdk_out


def edit_json(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def template(assembly: Path, stack: str) -> Path:
    [path] = assembly.glob(f"dev{stack}*.template.json")
    return path


def test_fails_missing_output(stand_in: Path, tmp_path: Path) -> None:
    def rename_output(assembly: Path) -> None:
        path = template(assembly, "Compute")
        path.write_text(path.read_text().replace("PublishOutputRefLogsBucket9C4D884365EB831F", "NoSuchOutput"))

    verdict = rehearse(broken_copy(stand_in, tmp_path, rename_output), ENV)
    compute = verdict.rehearsal.results[-1]
    assert (compute.stack_name, compute.status, verdict.ok) == ("dev-Compute", "NOT_CREATED", False)
    assert compute.reasons == [
        "Fn::GetStackOutput needs output NoSuchOutput of stack dev-DataLake, which has none by that name "
        "(its outputs: ArtifactsBucketName, DataLakeKeyArn, LogsBucketName, "
        "PublishOutputFnGetAttArtifactsBucket2AAC5544ArnE18AB387, PublishOutputFnGetAttKey961B73FDArn43BC6B29, "
        "PublishOutputFnGetAttLogsBucket9C4D8843ArnEA733603, PublishOutputRefLogsBucket9C4D884365EB831F)"
    ]
    assert verdict.cli_runs == [], "the CLI runs only against a complete environment"


def test_fails_missing_stack_dependency(stand_in: Path, tmp_path: Path) -> None:
    """Without its dependencies in the manifest, Compute sorts first and its references find nothing."""

    def drop_dependencies(assembly: Path) -> None:
        def change(manifest: dict[str, Any]) -> None:
            compute = next(a for i, a in manifest["artifacts"].items() if i.startswith("devCompute") and "." not in i)
            compute["dependencies"] = [d for d in compute["dependencies"] if d.endswith(".assets")]

        edit_json(assembly / "manifest.json", change)

    verdict = rehearse(broken_copy(stand_in, tmp_path, drop_dependencies), ENV)
    first = verdict.rehearsal.results[0]
    assert (first.stack_name, first.status) == ("dev-Compute", "NOT_CREATED")
    assert first.reasons[0].startswith("Fn::GetStackOutput needs stack dev-")
    assert first.reasons[0].endswith(
        "which does not exist yet: a missing stack dependency (deployment order) or a wrong stack name"
    )


def test_failed_stack_stops_its_dependents_only(
    stand_in: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """moto crashes on a dangling Fn::GetAtt (TypeError); the rehearsal names it first, as CloudFormation does."""

    def break_data_lake(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            data["Outputs"]["LogsBucketName"]["Value"] = {"Fn::GetAtt": ["NoSuchBucket", "Arn"]}

        edit_json(template(assembly, "DataLake"), change)

    cdk_out = broken_copy(stand_in, tmp_path, break_data_lake)
    assert main(["--env", ENV, str(cdk_out)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[1:6] == [
        "  1. dev-DataLake: NOT_CREATED",
        "       - Outputs.LogsBucketName: Fn::GetAtt names NoSuchBucket, which is not in the template",
        "  2. dev-Network: CREATE_COMPLETE (1 custom resources not run)",
        "  3. dev-Compute: NOT_ATTEMPTED",
        "       - not attempted: it depends on dev-DataLake, which failed",
    ]
    assert out.endswith(f"result: FAILED\nreport: {cdk_out / 'rehearsal-dev.md'}\n")
    report = (cdk_out / "rehearsal-dev.md").read_text()
    assert "- Result: **FAILED**" in report
    assert "- `dev-Compute` (NOT_ATTEMPTED):\n  - not attempted: it depends on dev-DataLake, which failed" in report


def test_fails_duplicate_export(stand_in: Path, tmp_path: Path) -> None:
    def export_twice(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            data["Outputs"]["Again"] = {"Value": "x", "Export": {"Name": "emr-platform-dev-ArtifactsBucketName"}}

        edit_json(template(assembly, "Compute"), change)

    verdict = rehearse(broken_copy(stand_in, tmp_path, export_twice), ENV)
    compute = verdict.rehearsal.results[-1]
    assert (compute.stack_name, compute.status) == ("dev-Compute", "CREATE_FAILED")
    assert compute.reasons == ["CreateStack refused: Export names must be unique across a given region"]


def test_fails_custom_resource_without_provider(stand_in: Path, tmp_path: Path) -> None:
    def drop_provider(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            resources = data["Resources"]
            handler = next(i for i, r in resources.items() if r["Type"] == "AWS::Lambda::Function")
            custom = next(r for r in resources.values() if r["Type"].startswith("Custom::"))
            custom["Properties"]["ServiceToken"] = "arn:aws:lambda:eu-west-1:123456789012:function:gone"
            custom["DependsOn"] = [d for d in custom.get("DependsOn", []) if d != handler]

        edit_json(template(assembly, "Network"), change)

    verdict = rehearse(broken_copy(stand_in, tmp_path, drop_provider), ENV)
    network = next(r for r in verdict.rehearsal.results if r.stack_name == "dev-Network")
    assert network.status == "CREATE_FAILED"
    assert "function:gone" in network.reasons[0], network.reasons


def test_fails_no_cluster_exported(stand_in: Path, tmp_path: Path) -> None:
    def drop_cluster_outputs(assembly: Path) -> None:
        edit_json(template(assembly, "Compute"), lambda data: data.pop("Outputs"))

    verdict = rehearse(broken_copy(stand_in, tmp_path, drop_cluster_outputs), ENV)
    assert verdict.rehearsal.ok and not verdict.ok
    assert verdict.problems == [
        "no stack exports emr-platform-dev-cluster-<name>-id: the CLI finds no cluster to run jobs on"
    ]


def test_fails_without_synth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", ENV, str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'manifest.json'} not found: run `make synth` first\n"


def test_fails_environment_not_synthesized(stand_in: Path) -> None:
    with pytest.raises(
        AssemblyError, match=re.escape(f"{stand_in} holds no environment 'prod' (found: dev): run `make synth`")
    ):
        load_environment(stand_in, "prod")


def test_fails_dependency_cycle(stand_in: Path, tmp_path: Path) -> None:
    def cycle(assembly: Path) -> None:
        def change(manifest: dict[str, Any]) -> None:
            network = next(a for i, a in manifest["artifacts"].items() if i.startswith("devNetwork") and "." not in i)
            compute = next(i for i in manifest["artifacts"] if i.startswith("devCompute") and "." not in i)
            network["dependencies"].append(compute)

        edit_json(assembly / "manifest.json", change)

    with pytest.raises(
        AssemblyError, match="stacks depend on each other in a cycle: dev-Compute -> dev-Network -> dev-Compute"
    ):
        load_environment(broken_copy(stand_in, tmp_path, cycle), ENV)
