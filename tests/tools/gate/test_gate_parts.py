"""The gate's parts on hand-made assemblies and results: no synth, no checkov run, milliseconds."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tools.assembly import Assembly, read_assembly
from tools.gate import acknowledgement_audit as audit
from tools.gate import nag
from tools.gate.checkov_scan import CHECKOV_VERSION, SkipRule, evaluate, load_skips
from tools.gate.findings import Acknowledgement, Tool
from tools.gate.normalize import normalize_template
from tools.gate.report import GateResult, render
from tools.gate.snapshots import find_snapshots

BUCKET = {"Type": "AWS::S3::Bucket", "Properties": {}}


def write_assembly(
    root: Path,
    *,
    resources: dict[str, Any],
    metadata: dict[str, list[dict[str, Any]]],
    report: dict[str, Any] | None = None,
    nested_stacks: dict[str, dict[str, Any]] | None = None,
) -> Assembly:
    """A cloud assembly with one stage ``dev`` holding one stack ``dev/Data``, laid out as aws-cdk-lib does."""
    nested = root / "assembly-dev"
    nested.mkdir(parents=True)
    (nested / "devData.template.json").write_text(json.dumps({"Resources": resources}))
    metadata = dict(metadata)
    for index, (path, nested_resources) in enumerate((nested_stacks or {}).items()):
        (nested / f"n{index}.nested.template.json").write_text(json.dumps({"Resources": nested_resources}))
        metadata[f"/{path}"] = [{"type": "aws:cdk:templateFile", "data": f"n{index}.nested.template.json"}]
    (nested / "devData.metadata.json").write_text(json.dumps(metadata))
    stack = {
        "type": "aws:cloudformation:stack",
        "environment": "aws://unknown-account/unknown-region",
        "properties": {"templateFile": "devData.template.json", "stackName": "dev-Data"},
        "additionalMetadataFile": "devData.metadata.json",
        "displayName": "dev/Data",
    }
    (nested / "manifest.json").write_text(json.dumps({"artifacts": {"devData": stack}}))
    stage = {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-dev", "displayName": "dev"}}
    (root / "manifest.json").write_text(json.dumps({"artifacts": {"assembly-dev": stage}}))
    if report is not None:
        (root / "validation-report.json").write_text(json.dumps(report))
    return read_assembly(root)


def logical_id(path: str, logical: str) -> dict[str, list[dict[str, Any]]]:
    return {path: [{"type": "aws:cdk:logicalId", "data": logical}]}


def acknowledged(rule: str, reason: str) -> dict[str, Any]:
    return {"type": "aws:cdk:acknowledged-rules", "data": {f"Annotation::{rule}": reason}}


def suppressed(*rules: tuple[str, str]) -> dict[str, Any]:
    return {**BUCKET, "Metadata": {"cdk_nag": {"rules_to_suppress": [{"id": i, "reason": r} for i, r in rules]}}}


def test_reads_nested_stage_assemblies(tmp_path: Path) -> None:
    assembly = write_assembly(tmp_path, resources={"B": BUCKET}, metadata=logical_id("/dev/Data/B/Resource", "B"))
    (stack,) = assembly.stacks
    assert (stack.environment, stack.path, stack.region) == ("dev", "dev/Data", "us-east-1")
    assert stack.construct_path("B") == "dev/Data/B/Resource"
    assert stack.construct_path("Unknown") == "dev/Data/Unknown"


def test_nested_stacks_are_stacks_of_their_own(tmp_path: Path) -> None:
    metadata = {
        **logical_id("/dev/Data/B/Resource", "B"),
        **logical_id("/dev/Data/Inner/B/Resource", "B"),
        **logical_id("/dev/Data/Inner.NestedStack/Inner.NestedStackResource", "InnerStack"),
    }
    resources = {"B": BUCKET, "InnerStack": {"Type": "AWS::CloudFormation::Stack"}}
    assembly = write_assembly(
        tmp_path, resources=resources, metadata=metadata, nested_stacks={"dev/Data/Inner": {"B": BUCKET}}
    )
    parent, inner = assembly.stacks
    assert (parent.path, parent.nested, inner.path, inner.nested) == ("dev/Data", False, "dev/Data/Inner", True)
    assert inner.template_file.name == "n0.nested.template.json"
    assert (parent.construct_path("B"), inner.construct_path("B")) == (
        "dev/Data/B/Resource",
        "dev/Data/Inner/B/Resource",
    )
    assert parent.construct_path("InnerStack") == "dev/Data/Inner.NestedStack/Inner.NestedStackResource"
    assert assembly.stack_of("dev/Data/Inner/B/Resource") is inner


def test_acknowledgement_on_a_resource_is_listed_with_its_reason(tmp_path: Path) -> None:
    metadata = {
        **logical_id("/dev/Data/B/Resource", "B"),
        "/dev/Data/B": [acknowledged("AwsSolutions-S1", "logs bucket")],
    }
    assembly = write_assembly(
        tmp_path, resources={"B": suppressed(("AwsSolutions-S1", "logs bucket"))}, metadata=metadata
    )
    acks, problems = audit.collect(assembly)
    assert [(a.at, a.rule, a.reason, a.blanket) for a in acks] == [
        ("dev/Data/B", "AwsSolutions-S1", "logs bucket", False)
    ]
    assert problems == []


def test_stack_and_app_level_acknowledgements_are_blanket_failures(tmp_path: Path) -> None:
    metadata = {**logical_id("/dev/Data/B/Resource", "B"), "/dev/Data": [acknowledged("AwsSolutions-S10", "all")]}
    resource = suppressed(("AwsSolutions-S10", "all"), ("AwsSolutions-S1", "from the app"))
    acks, problems = audit.collect(write_assembly(tmp_path, resources={"B": resource}, metadata=metadata))
    assert {(a.at, a.rule, a.blanket) for a in acks} == {
        ("dev/Data", "AwsSolutions-S10", True),
        ("(stage or app)", "AwsSolutions-S1", True),
    }
    assert {(p.rule, p.resource) for p in problems if p.blocking} == {
        ("acknowledgement:AwsSolutions-S10", "dev/Data"),
        ("acknowledgement:AwsSolutions-S1", "dev/Data (acknowledged on a Stage or the App)"),
    }


def test_cdk_template_validation_acknowledgements_on_stacks_are_listed_not_failed(tmp_path: Path) -> None:
    rule = "CloudFormation-Validate::W3010"
    metadata = {**logical_id("/dev/Data/B/Resource", "B"), "/dev/Data": [acknowledged(rule, "aws-cdk-lib: AZs")]}
    assembly = write_assembly(tmp_path, resources={"B": suppressed((rule, "aws-cdk-lib: AZs"))}, metadata=metadata)
    acks, problems = audit.collect(assembly)
    assert [(a.rule, a.blanket) for a in acks] == [(rule, True)]
    assert problems == []


def test_acknowledgement_without_reason_or_missing_from_templates_fails(tmp_path: Path) -> None:
    metadata = {**logical_id("/dev/Data/B/Resource", "B"), "/dev/Data/B": [acknowledged("AwsSolutions-S1", " ")]}
    _, problems = audit.collect(write_assembly(tmp_path / "a", resources={"B": BUCKET}, metadata=metadata))
    assert {p.rule for p in problems} == {"acknowledgement:AwsSolutions-S1", "acknowledgements-not-in-template"}
    assert "without a reason" in " ".join(p.message for p in problems)


def test_missing_stale_and_crashed_reports_block(tmp_path: Path) -> None:
    missing = write_assembly(tmp_path / "missing", resources={}, metadata={})
    assert [f.rule for f in nag.findings(missing)] == ["no-validation-report"]

    stale = write_assembly(tmp_path / "stale", resources={}, metadata={}, report={"pluginReports": []})
    os.utime(stale.report_file, (0, 0))
    assert [f.rule for f in nag.findings(stale)] == ["stale-validation-report"]

    crashed_report = {"pluginReports": [{"pluginName": "EMR", "conclusion": "failure", "metadata": {"error": "boom"}}]}
    crashed = write_assembly(tmp_path / "crashed", resources={}, metadata={}, report=crashed_report)
    assert [(f.rule, f.message, f.blocking) for f in nag.findings(crashed)] == [("plugin-failed:EMR", "boom", True)]


def test_pack_warnings_block_but_other_plugins_warnings_do_not(tmp_path: Path) -> None:
    def violation(rule: str, severity: str) -> dict[str, Any]:
        return {
            "ruleName": rule,
            "description": "d",
            "severity": severity,
            "violatingConstructs": [{"constructPath": "dev/Data/B/Resource"}],
        }

    def plugin(name: str, conclusion: str, rule: str, severity: str) -> dict[str, Any]:
        return {"pluginName": name, "conclusion": conclusion, "violations": [violation(rule, severity)]}

    report = {
        "pluginReports": [
            plugin("AwsSolutions", "success", "AwsSolutions-S1", "warning"),
            plugin("CloudFormation Validate", "success", "W1", "warning"),
            plugin("Custom", "failure", "C1", "error"),
        ]
    }
    found = nag.findings(write_assembly(tmp_path, resources={}, metadata={}, report=report))
    assert [(f.tool, f.rule, f.stack, f.blocking) for f in found] == [
        (Tool.NAG, "AwsSolutions-S1", "dev/Data", True),
        (Tool.CDK, "W1", "dev/Data", False),
        (Tool.CDK, "C1", "dev/Data", True),
    ]


SKIPS = """
skips:
  - check: CKV_AWS_18
    resources: ["*/Data/Logs/Resource"]
    reason: access-log bucket
  - check: CKV_AWS_21
    resources: ["*/Data/*"]
    reason: whole stack
  - check: CKV_AWS_19
    resources: ["dev/Data/B/Resource"]
  - check: CKV_AWS_20
    resources: ["Data"]
    reason: no construct path
"""


def test_skip_file_needs_reasons_and_resource_paths(tmp_path: Path) -> None:
    path = tmp_path / "skips.yaml"
    path.write_text(SKIPS)
    rules, problems = load_skips(path)
    assert rules == [SkipRule("CKV_AWS_18", ("*/Data/Logs/Resource",), "access-log bucket")]
    assert [p.resource for p in problems] == ["skips.yaml: skips[1]", "skips.yaml: skips[2]", "skips.yaml: skips[3]"]
    assert all(p.blocking for p in problems)
    assert load_skips(tmp_path / "absent.yaml") == ([], [])


def test_skip_patterns_match_one_segment_per_wildcard() -> None:
    rule = SkipRule("CKV_AWS_18", ("*/Data/Logs/Resource",), "r")
    assert rule.matches("CKV_AWS_18", "prod/Data/Logs/Resource")
    assert not rule.matches("CKV_AWS_18", "prod/x/Data/Logs/Resource")
    assert not rule.matches("CKV_AWS_21", "prod/Data/Logs/Resource")


def checkov_result(template: Path, *, failed: list[str], skipped: list[tuple[str, str]]) -> dict[str, Any]:
    def check(check_id: str) -> dict[str, Any]:
        return {
            "check_id": check_id,
            "check_name": "n",
            "file_abs_path": str(template),
            "resource": "AWS::S3::Bucket.B",
        }

    return {
        "check_type": "cloudformation",
        "summary": {"checkov_version": CHECKOV_VERSION},
        "results": {
            "failed_checks": [check(c) for c in failed],
            "skipped_checks": [{**check(c), "check_result": {"suppress_comment": why}} for c, why in skipped],
        },
    }


def test_inline_skips_are_reported_and_need_a_comment(tmp_path: Path) -> None:
    assembly = write_assembly(tmp_path, resources={"B": BUCKET}, metadata=logical_id("/dev/Data/B/Resource", "B"))
    template = assembly.stacks[0].template_file
    inline = [("CKV_AWS_21", "versioned elsewhere"), ("CKV_AWS_19", "No comment provided")]
    result = checkov_result(template, failed=["CKV_AWS_18"], skipped=inline)
    unused = SkipRule("CKV_AWS_99", ("dev/Data/Other/Resource",), "stale")
    found, skips = evaluate([result], assembly.stacks, [unused])
    assert [(s.check, s.resource, s.reason, s.source) for s in skips] == [
        ("CKV_AWS_21", "dev/Data/B/Resource", "versioned elsewhere", "template Metadata.checkov"),
        ("CKV_AWS_19", "dev/Data/B/Resource", "No comment provided", "template Metadata.checkov"),
    ]
    assert [(f.rule, f.resource, f.blocking) for f in found] == [
        ("CKV_AWS_18", "dev/Data/B/Resource", True),
        ("CKV_AWS_19", "dev/Data/B/Resource", True),
        ("checkov-skip-unused", "dev/Data/Other/Resource", False),
    ]


def test_another_checkov_version_blocks(tmp_path: Path) -> None:
    assembly = write_assembly(tmp_path, resources={}, metadata={})
    result = checkov_result(assembly.stacks[0].template_file, failed=[], skipped=[])
    result["summary"]["checkov_version"] = "3.0.0"
    found, _ = evaluate([result], assembly.stacks, [])
    assert [f.rule for f in found] == ["checkov-version"]


def test_normalization_drops_what_only_the_cli_or_the_packs_write() -> None:
    template = {
        "Resources": {
            "B": {**suppressed(("AwsSolutions-S1", "r")), "Metadata": {"aws:cdk:path": "dev/Data/B", "cdk_nag": {}}},
            "CDKMetadata": {"Type": "AWS::CDK::Metadata"},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Key": "a" * 64 + ".zip"}}},
        },
        "Parameters": {"BootstrapVersion": {"Type": "String"}},
    }
    assert normalize_template(template) == {
        "Resources": {
            "B": BUCKET,
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Key": "<asset-hash>.zip"}}},
        }
    }


@pytest.mark.parametrize(
    ("file", "content", "stack"),
    [
        ("test_dev_data.json", {"Resources": {}}, "dev/Data"),
        ("test_platform/test_templates[dev].json", {"Data": {"Resources": {}}}, "dev/Data"),
        ("test_platform/test_network.json", {"Data": {"Resources": {}}}, "network/Data"),
    ],
)
def test_snapshot_files_are_matched_to_stacks(tmp_path: Path, file: str, content: Any, stack: str) -> None:
    path = tmp_path / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))
    found = find_snapshots(tmp_path, [stack, "other/Stack"])
    assert list(found) == [stack]
    assert found[stack].template() == {"Resources": {}}


def test_snapshot_mapping_points_into_a_file(tmp_path: Path) -> None:
    (tmp_path / "all.json").write_text(json.dumps({"Net": {"Resources": {"A": BUCKET}}}))
    found = find_snapshots(tmp_path, ["dev/Network"], {"dev/Network": "all.json#Net", "dev/Data": "missing.json"})
    assert list(found) == ["dev/Network"]
    assert found["dev/Network"].template() == {"Resources": {"A": BUCKET}}


def test_report_lists_an_acknowledgement_repeated_per_environment_once(tmp_path: Path) -> None:
    stacks = []
    for environment in ("dev", "prod"):
        stack = write_assembly(tmp_path / environment, resources={}, metadata={}).stacks[0]
        stack.environment, stack.path = environment, f"{environment}/Data"
        stacks.append(stack)
    acks = [
        Acknowledgement(f"{env}/Data", f"{env}/Data/Role", f"AwsSolutions-IAM5[Resource::table/{env}_raw/*]",
                        f"reads {env}_raw only", blanket=False)
        for env in ("dev", "prod")
    ]  # fmt: skip
    report = render(GateResult(stacks=stacks, acknowledgements=acks))
    row = "| AwsSolutions-IAM5[Resource::table/<env>_raw/*] | `*/Data/Role` | reads <env>_raw only | dev, prod |"
    assert row in report.splitlines()
