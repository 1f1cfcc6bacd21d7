"""The gate on two synthesized fixture apps: every tool fails on the insecure one, the clean one passes.

Both apps are synthesized once for the module and checkov (slow to start) runs once over all their
templates; each assembly then gets its own share of the results.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.tools.gate.fixture_apps import CLEAN_ACKNOWLEDGEMENTS, CLEAN_CHECKOV_SKIPS, clean_app, insecure_app
from tools.assembly import Assembly, read_assembly
from tools.gate.checkov_scan import evaluate, find_checkov, run_checkov
from tools.gate.findings import Finding, Tool
from tools.gate.gate import main, run_gate
from tools.gate.report import GateResult, render

NO_SKIPS = Path("/nonexistent/checkov-skips.yaml")


@pytest.fixture(scope="module")
def assemblies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Assembly]:
    found = {}
    for name, build in (("insecure", insecure_app), ("clean", clean_app)):
        outdir = tmp_path_factory.mktemp(name)
        build(outdir).synth()
        found[name] = read_assembly(outdir)
    return found


@pytest.fixture(scope="module")
def checkov_results(assemblies: dict[str, Assembly]) -> list[dict[str, Any]]:
    executable = find_checkov(None)
    assert executable, "install checkov: see tools/gate/requirements-checkov.txt"
    templates = [stack.template_file for assembly in assemblies.values() for stack in assembly.stacks]
    started = time.perf_counter()
    results = run_checkov(executable, templates)
    print(f"\ncheckov over {len(templates)} templates: {time.perf_counter() - started:.1f} s")
    return results


def share(results: Sequence[Mapping[str, Any]], assembly: Assembly) -> list[dict[str, Any]]:
    """The part of one checkov run that belongs to ``assembly``."""
    root = assembly.root.resolve()

    def mine(check: Mapping[str, Any]) -> bool:
        return Path(check["file_abs_path"]).resolve().is_relative_to(root)

    return [
        {**result, "results": {key: [c for c in checks if mine(c)] for key, checks in result["results"].items()}}
        for result in results
    ]


@pytest.fixture(scope="module")
def insecure(assemblies: dict[str, Assembly], checkov_results: list[dict[str, Any]]) -> GateResult:
    assembly = assemblies["insecure"]
    return run_gate(assembly, checkov_results=share(checkov_results, assembly), skips_file=NO_SKIPS)


@pytest.fixture(scope="module")
def skips_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("skips") / "checkov-skips.yaml"
    path.write_text(CLEAN_CHECKOV_SKIPS)
    return path


@pytest.fixture(scope="module")
def snapshot_dir(assemblies: dict[str, Assembly], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dev's snapshot is its template; prod's has the bucket's versioning removed and an extra resource."""
    directory = tmp_path_factory.mktemp("snapshots")
    templates = {stack.path: stack.template for stack in assemblies["clean"].stacks}
    (directory / "test_templates[dev].json").write_text(json.dumps({"Data": templates["dev/Data"]}))
    old_prod = json.loads(json.dumps(templates["prod/Data"]))
    logs = next(k for k, v in old_prod["Resources"].items() if v["Type"] == "AWS::S3::Bucket")
    del old_prod["Resources"][logs]["Properties"]["VersioningConfiguration"]
    old_prod["Resources"]["Removed"] = {"Type": "AWS::SNS::Topic", "Properties": {}}
    (directory / "test_templates[prod].json").write_text(json.dumps({"Data": old_prod}))
    return directory


@pytest.fixture(scope="module")
def clean(
    assemblies: dict[str, Assembly], checkov_results: list[dict[str, Any]], skips_file: Path, snapshot_dir: Path
) -> GateResult:
    assembly = assemblies["clean"]
    return run_gate(
        assembly,
        checkov_results=share(checkov_results, assembly),
        skips_file=skips_file,
        snapshot_dir=snapshot_dir,
    )


def open_findings(result: GateResult, tool: Tool, environment: str) -> set[tuple[str, str]]:
    return {(f.rule, f.resource) for f in result.blocking if f.tool is tool and f.stack.startswith(environment + "/")}


def test_public_bucket_fails_nag_and_checkov(insecure: GateResult) -> None:
    nag = open_findings(insecure, Tool.NAG, "bucket")
    assert ("AwsSolutions-S2", "bucket/Data/Public/Resource") in nag
    for pack in ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"):
        assert (f"{pack}-S3BucketPublicReadProhibited", "bucket/Data/Public/Resource") in nag
    checkov = open_findings(insecure, Tool.CHECKOV, "bucket")
    assert {
        (c, "bucket/Data/Public/Resource") for c in ("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56")
    } <= checkov


def test_raw_cluster_without_security_configuration_fails_emr_checks(insecure: GateResult) -> None:
    assert open_findings(insecure, Tool.NAG, "cluster") >= {
        ("EMR-SecurityConfiguration", "cluster/Data/Cluster"),
        ("EMR-LogUri", "cluster/Data/Cluster"),
        ("EMR-ScalingOrAutoTermination", "cluster/Data/Cluster"),
        ("AwsSolutions-EMR4", "cluster/Data/Cluster"),
    }


def test_wildcard_iam_policy_fails_every_pack_and_checkov(insecure: GateResult) -> None:
    policy = "iam/Data/Role/DefaultPolicy/Resource"
    assert open_findings(insecure, Tool.NAG, "iam") >= {
        ("AwsSolutions-IAM5[Action::*]", policy),
        ("AwsSolutions-IAM5[Resource::*]", policy),
        ("NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess", policy),
        ("HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess", policy),
        ("PCI.DSS.321-IAMPolicyNoStatementsWithAdminAccess", policy),
    }
    assert {("CKV_AWS_62", policy), ("CKV_AWS_63", policy)} <= open_findings(insecure, Tool.CHECKOV, "iam")


def test_open_ingress_on_emr_groups_across_stacks_fails(insecure: GateResult) -> None:
    emr = {f for f in open_findings(insecure, Tool.NAG, "ingress") if f[0] == "EMR-NoOpenIngress"}
    assert emr == {
        ("EMR-NoOpenIngress", "ingress/Network/Primary/Resource"),
        ("EMR-NoOpenIngress", "ingress/Data/OpenWorkers"),
    }


def test_cfn_lint_errors_block(insecure: GateResult) -> None:
    assert open_findings(insecure, Tool.CFN_LINT, "lint") == {("E3002", "lint/Data/Broken")}


def test_blanket_acknowledgements_fail(insecure: GateResult) -> None:
    blanket = {(f.rule, f.resource) for f in insecure.blocking if f.tool is Tool.GATE}
    assert ("acknowledgement:AwsSolutions-S10", "bucket/Data") in blanket
    stacks = {s.path for s in insecure.stacks}
    assert {r for rule, r in blanket if rule == "acknowledgement:AwsSolutions-S1"} == {
        f"{stack} (acknowledged on a Stage or the App)" for stack in stacks
    }


def test_cli_fails_with_a_readable_message_and_writes_the_report(
    assemblies: dict[str, Assembly], capsys: pytest.CaptureFixture[str]
) -> None:
    root = assemblies["insecure"].root
    assert main([str(root), "--no-checkov", "--checkov-skips", str(NO_SKIPS)]) == 1
    out, err = capsys.readouterr()
    message = "The EMR cluster has no security configuration. (EMR)"
    assert f"[cdk-nag] EMR-SecurityConfiguration @ cluster/Data/Cluster: {message}" in err.splitlines()
    assert "[cfn-lint] E3002 @ lint/Data/Broken: Additional properties are not allowed" in err
    assert out.startswith("policy gate FAILED with ")
    report = (root / "policy-report.md").read_text()
    assert report.startswith("# Policy gate: FAILED\n")
    assert "checkov was not run" in report


def test_clean_app_passes(clean: GateResult) -> None:
    assert clean.blocking == []
    assert clean.passed


def acknowledgement_rows(report: str) -> set[tuple[str, str, str, str]]:
    """(rule, acknowledged on, reason, environments) of the report's acknowledgement table."""
    table = report.split("<summary>Acknowledgements", 1)[1].split("</details>", 1)[0]
    rows = [line[2:-2].split(" | ") for line in table.splitlines() if line.startswith("| ") and "`" in line]
    return {(rule, at, reason, envs) for rules, at, reason, envs in rows for rule in rules.split("<br>")}


def test_report_lists_every_acknowledgement_with_its_reason(clean: GateResult) -> None:
    expected = {(rule, f"`*/Data/{on}`", reason, "dev, prod") for on, rule, reason in CLEAN_ACKNOWLEDGEMENTS}
    assert acknowledgement_rows(render(clean)) == expected


def test_report_lists_checkov_skips_with_their_reason(clean: GateResult) -> None:
    report = render(clean)
    row = "| CKV_AWS_18 | `*/Data/Logs/Resource` | fixture: the access-log bucket does not log to itself "
    assert row + "| tools/gate/checkov-skips.yaml | dev, prod |" in report


def test_the_skip_file_is_what_lets_checkov_pass(
    assemblies: dict[str, Assembly], checkov_results: list[dict[str, Any]]
) -> None:
    assembly = assemblies["clean"]
    found, skips = evaluate(share(checkov_results, assembly), assembly.stacks, [])
    assert {(f.rule, f.resource) for f in found} == {
        ("CKV_AWS_18", "dev/Data/Logs/Resource"),
        ("CKV_AWS_18", "prod/Data/Logs/Resource"),
    }
    assert skips == []


def test_template_changes_against_snapshots(clean: GateResult) -> None:
    by_stack = {c.stack: c for c in clean.snapshot_changes}
    assert by_stack["dev/Data"].status == "unchanged"
    prod = [change.describe() for change in by_stack["prod/Data"].changes]
    assert prod == [
        "- Removed (AWS::SNS::Topic)",
        "~ Logs6819BB44 (AWS::S3::Bucket) [Properties.VersioningConfiguration]",
    ]
    assert "  - `~ Logs6819BB44 (AWS::S3::Bucket) [Properties.VersioningConfiguration]`" in render(clean)


def test_cli_passes_on_the_clean_app(assemblies: dict[str, Assembly], skips_file: Path) -> None:
    root = assemblies["clean"].root
    report = root / "elsewhere.md"
    assert main([str(root), "--no-checkov", "--checkov-skips", str(skips_file), "--report", str(report)]) == 0
    assert report.read_text().startswith("# Policy gate: PASSED\n")


def test_missing_assembly_is_a_usage_error(tmp_path: Path) -> None:
    assert main([str(tmp_path / "cdk.out")]) == 2


def blocking_rules(findings: Sequence[Finding]) -> set[str]:
    return {f.rule for f in findings if f.blocking}
