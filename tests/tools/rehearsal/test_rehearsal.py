"""The deploy rehearsal on the bundled app: every environment passes, and the mistakes it exists to catch fail it.

The failure cases copy the synthesized dev assembly and break one thing in it, the way a wrong reference, a lost
stack dependency or a duplicate export would arrive from synth.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from stacks.platform_stage import PlatformStage
from tests.tools.rehearsal.serverless_checks import (
    check_emr_egress_to_prefix_lists,
    check_pipeline_started,
    check_serverless_application,
)
from tests.tools.rehearsal.support import ENV, REGION, assembly_of
from tools.assembly import AssemblyError, StackArtifact, load_environment
from tools.rehearsal.__main__ import main, rehearse
from tools.rehearsal.report import Verdict


# dev: test_main_prints_a_summary_and_writes_the_report.
@pytest.mark.parametrize("env", ["staging", "prod"])
def test_bundled_app_environment(platform: dict[str, PlatformStage], tmp_path: Path, env: str) -> None:
    cdk_out = assembly_of(platform[env])

    def inspect(seen: Verdict) -> None:
        check_serverless_application(seen, env)
        check_pipeline_started(seen, env)
        if env == "staging":  # the environment with restricted EMR egress
            check_emr_egress_to_prefix_lists(seen)

    verdict = rehearse(cdk_out, env, report_dir=tmp_path, inspect=inspect)
    results = verdict.rehearsal.results
    assert [r.stack_name for r in results] == [s.stack_name for s in load_environment(cdk_out, env)]
    assert {r.stack_name: (r.status, r.reasons) for r in results} == {
        r.stack_name: ("CREATE_COMPLETE", []) for r in results
    }
    assert [(run.argv[0], run.exit_code) for run in verdict.cli_runs] == [("status", 0)] + [
        ("submit", 0),
        ("steps", 0),
    ] * 2
    assert "--app" in verdict.cli_runs[3].argv
    assert verdict.ok, verdict.problems
    assert (
        "## EMR Serverless applications created through the API (moto has no CloudFormation model for "
        "AWS::EMRServerless::Application)\n\n- `" + env + "-Compute` `Spark"
    ) in (tmp_path / f"rehearsal-{env}.md").read_text()
    assert (
        (tmp_path / f"rehearsal-{env}.md").read_text().startswith(f"# Deploy rehearsal: {env}\n\n- Result: **PASSED**")
    )


@pytest.fixture(scope="module")
def dev_assembly(platform: dict[str, PlatformStage]) -> Path:
    return assembly_of(platform[ENV])


@pytest.fixture(scope="module")
def dev_stacks(dev_assembly: Path) -> list[StackArtifact]:
    return load_environment(dev_assembly, ENV)


def test_main_prints_a_summary_and_writes_the_report(
    dev_assembly: Path, dev_stacks: list[StackArtifact], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--env", ENV, "--report-dir", str(tmp_path), str(dev_assembly)]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^  \d\. (\S+): (\S+)", out, re.M) == [(s.stack_name, "CREATE_COMPLETE") for s in dev_stacks]
    assert re.findall(r"^  emr-platform (\w+) .*: exit (\d+)$", out, re.M) == [
        ("status", "0"),
        ("submit", "0"),
        ("steps", "0"),
    ]
    assert re.findall(r"^  pipeline (dev-Pipelines-DailyEvents\w+-\w+): RUNNING \(cluster (j-\w+)\)$", out, re.M)
    assert out.endswith(f"result: PASSED\nreport: {tmp_path / 'rehearsal-dev.md'}\n")
    report = (tmp_path / "rehearsal-dev.md").read_text()
    for expected in (
        f"- Region: `{REGION}`, account `123456789012` (moto, in-process)",
        "(AWS::S3::BucketPolicy)",
        "(Custom::VpcRestrictDefaultSG)",
        "- `dev-Compute` <- `dev-Network`.`",
        "(AWS::KMS::Key): Tags given to moto as TagKey/TagValue",
        "state WAITING (moto ignores KeepJobFlowAliveWhenNoSteps); applications ",
        "ListInstanceFleets(j-",
        "Cluster analytics: j-",
        "added step s-",
        '## Pipelines started in moto (input {"date": "2026-11-27"})',
        "run date from the execution: yes",
        "(AWS::SSM::Parameter): named /dev-Sources/",
        "-> arn:aws:secretsmanager:eu-west-1:123456789012:secret:rehearsal-DatabaseSecretAttachment",
    ):
        assert expected in report, expected


@pytest.fixture
def broken(dev_assembly: Path, tmp_path: Path) -> Iterator[Callable[[Callable[[Path], None]], Path]]:
    """Copy the dev assembly, let the test break it, return the copy."""

    def copy(change: Callable[[Path], None]) -> Path:
        cdk_out = tmp_path / "cdk.out"
        shutil.copytree(dev_assembly, cdk_out)
        change(cdk_out / f"assembly-{ENV}")
        return cdk_out

    yield copy


def edit_json(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def template(assembly: Path, stack: str) -> Path:
    # The hash after the stack id keeps "Compute" from matching "ComputeMonitoring".
    [path] = [
        p for p in assembly.glob(f"{ENV}{stack}*.template.json") if p.name[len(ENV + stack) :][8:] == ".template.json"
    ]
    return path


def manifest_stack(manifest: dict[str, Any], stack: str) -> dict[str, Any]:
    artifacts: dict[str, Any] = manifest["artifacts"]
    return next(a for a in artifacts.values() if a.get("properties", {}).get("stackName") == f"{ENV}-{stack}")


def weak_references(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "Fn::GetStackOutput" in node:
            yield node["Fn::GetStackOutput"]
        for value in node.values():
            yield from weak_references(value)
    elif isinstance(node, list):
        for item in node:
            yield from weak_references(item)


def test_fails_missing_output(broken: Callable[[Callable[[Path], None]], Path]) -> None:
    referenced: list[str] = []

    def rename_output(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            reference = next(weak_references(data["Resources"]))
            referenced.append(reference["StackName"])
            reference["OutputName"] = "NoSuchOutput"

        edit_json(template(assembly, "Compute"), change)

    verdict = rehearse(broken(rename_output), ENV)
    compute = next(r for r in verdict.rehearsal.results if r.stack_name == f"{ENV}-Compute")
    assert (compute.status, verdict.ok, verdict.cli_runs) == ("NOT_CREATED", False, [])
    assert compute.reasons[0].startswith(
        f"Fn::GetStackOutput needs output NoSuchOutput of stack {referenced[0]}, which has none by that name "
        "(its outputs: "
    )


def test_fails_missing_stack_dependency(broken: Callable[[Callable[[Path], None]], Path]) -> None:
    """Without its dependencies in the manifest, Compute is created before the stacks its references name."""

    def drop_dependencies(assembly: Path) -> None:
        def change(manifest: dict[str, Any]) -> None:
            compute = manifest_stack(manifest, "Compute")
            compute["dependencies"] = [d for d in compute["dependencies"] if d.endswith(".assets")]

        edit_json(assembly / "manifest.json", change)

    verdict = rehearse(broken(drop_dependencies), ENV)
    compute = next(r for r in verdict.rehearsal.results if r.stack_name == f"{ENV}-Compute")
    assert compute.status == "NOT_CREATED"
    assert re.fullmatch(
        rf"Fn::GetStackOutput needs stack {ENV}-\w+ in {REGION}, which does not exist yet: "
        r"a missing stack dependency \(deployment order\) or a wrong stack name",
        compute.reasons[0],
    ), compute.reasons


def test_failed_stack_stops_its_dependents_only(
    broken: Callable[[Callable[[Path], None]], Path],
    dev_stacks: list[StackArtifact],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """moto crashes on a dangling Fn::GetAtt (TypeError); the rehearsal names it first, as CloudFormation does."""

    def break_data_lake(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            data["Outputs"]["LogsBucketName"]["Value"] = {"Fn::GetAtt": ["NoSuchBucket", "Arn"]}

        edit_json(template(assembly, "DataLake"), change)

    cdk_out = broken(break_data_lake)
    assert main(["--env", ENV, str(cdk_out)]) == 1
    out = capsys.readouterr().out
    needs_lake = {f"{ENV}-DataLake"}
    for stack in dev_stacks:  # dependencies come first, so one pass finds every stack that needs the lake
        if any(d.stack_name in needs_lake for d in dev_stacks if d.artifact_id in stack.depends_on):
            needs_lake.add(stack.stack_name)
    expected = [
        (s.stack_name, "NOT_ATTEMPTED" if s.stack_name in needs_lake else "CREATE_COMPLETE") for s in dev_stacks
    ]
    expected = [(name, "NOT_CREATED" if name == f"{ENV}-DataLake" else status) for name, status in expected]
    assert re.findall(r"^  \d\. (\S+): (\S+)", out, re.M) == expected
    assert (f"{ENV}-Network", "CREATE_COMPLETE") in expected, "a stack that does not need the lake is still created"
    assert "       - Outputs.LogsBucketName: Fn::GetAtt names NoSuchBucket, which is not in the template\n" in out
    assert f"       - not attempted: it depends on {ENV}-DataLake, which failed\n" in out
    assert out.endswith(f"result: FAILED\nreport: {cdk_out / 'rehearsal-dev.md'}\n")
    assert "- Result: **FAILED**" in (cdk_out / "rehearsal-dev.md").read_text()


def test_fails_duplicate_export(broken: Callable[[Callable[[Path], None]], Path]) -> None:
    def export_twice(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            data["Outputs"]["Again"] = {"Value": "x", "Export": {"Name": f"emr-platform-{ENV}-ArtifactsBucketName"}}

        edit_json(template(assembly, "Compute"), change)

    verdict = rehearse(broken(export_twice), ENV)
    compute = next(r for r in verdict.rehearsal.results if r.stack_name == f"{ENV}-Compute")
    assert (compute.status, compute.reasons) == (
        "CREATE_FAILED",
        ["CreateStack refused: Export names must be unique across a given region"],
    )


def test_fails_custom_resource_without_provider(broken: Callable[[Callable[[Path], None]], Path]) -> None:
    def drop_provider(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            custom = next(r for r in data["Resources"].values() if r["Type"].startswith("Custom::"))
            custom["Properties"]["ServiceToken"] = "arn:aws:lambda:eu-west-1:123456789012:function:gone"
            custom.pop("DependsOn", None)

        edit_json(template(assembly, "Network"), change)

    verdict = rehearse(broken(drop_provider), ENV)
    network = next(r for r in verdict.rehearsal.results if r.stack_name == f"{ENV}-Network")
    assert network.status == "CREATE_FAILED"
    assert network.reasons[0].startswith("moto failed creating the stack: "), network.reasons
    assert "function:gone" in network.reasons[0], network.reasons


def test_fails_no_cluster_exported(broken: Callable[[Callable[[Path], None]], Path]) -> None:
    def drop_cluster_exports(assembly: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            for output in data["Outputs"].values():
                if "-cluster-" in output.get("Export", {}).get("Name", ""):
                    del output["Export"]

        edit_json(template(assembly, "Compute"), change)

    verdict = rehearse(broken(drop_cluster_exports), ENV)
    assert verdict.rehearsal.ok and not verdict.ok
    assert verdict.problems == [
        f"no stack exports emr-platform-{ENV}-cluster-<name>-id: the CLI finds no cluster to run jobs on"
    ]


def test_fails_without_synth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", ENV, str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'manifest.json'} not found: run `make synth` first\n"


def test_fails_environment_not_synthesized(dev_assembly: Path) -> None:
    expected = f"{dev_assembly} holds no environment 'qa' (found: dev, prod, staging): run `make synth`"
    with pytest.raises(AssemblyError, match=re.escape(expected)):
        load_environment(dev_assembly, "qa")


def test_fails_dependency_cycle(broken: Callable[[Callable[[Path], None]], Path]) -> None:
    def cycle(assembly: Path) -> None:
        def change(manifest: dict[str, Any]) -> None:
            artifacts = manifest["artifacts"]
            compute = next(i for i, a in artifacts.items() if a.get("properties", {}).get("stackName") == "dev-Compute")
            manifest_stack(manifest, "Network")["dependencies"].append(compute)

        edit_json(assembly / "manifest.json", change)

    with pytest.raises(AssemblyError, match=r"^stacks depend on each other in a cycle: .*dev-Network -> dev-Compute"):
        load_environment(broken(cycle), ENV)
