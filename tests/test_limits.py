"""CloudFormation's 500-resource and 1 MB limits fail synth with the library's message, per stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, CfnMapping, CfnOutput, CfnParameter, CfnWaitConditionHandle, NestedStack, Stack
from aws_cdk.assertions import Annotations, Match

from emr_constructs.limits import (
    DEFAULT_ADVICE,
    NEAR_LIMIT_WARNING,
    PLUGIN_NAME,
    TEMPLATE_SIZE_RULE,
    CloudFormationLimits,
    StackFigures,
    figures_of,
    resources_in,
)
from stacks.platform_stage import PlatformStage
from tests.support import new_app

APP_ADVICE = "split the stack (e.g. move clusters to another compute stack with compute.clusters.<name>.stack)"


def _stack_with_handles(count: int, *, metadata_bytes: int = 0) -> tuple[App, Stack]:
    """Wait-condition handles are the cheapest resource to create: no props, no children."""
    app = new_app()
    stack = Stack(app, "Big")
    for i in range(count):
        CfnWaitConditionHandle(stack, f"Handle{i}")
    if metadata_bytes:
        # One resource carrying ~metadata_bytes of metadata pushes the template over the size limit.
        CfnWaitConditionHandle(stack, "Large").add_metadata("Padding", "x" * metadata_bytes)
    return app, stack


def _validation_errors(app: App) -> list[str]:
    with pytest.raises(RuntimeError) as caught:
        app.synth()
    return [line.strip() for line in str(caught.value).splitlines()]


def _report_violations(app: App) -> list[dict[str, Any]]:
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((Path(app.outdir) / "validation-report.json").read_text())
    return [v for r in report["pluginReports"] if r["pluginName"] == PLUGIN_NAME for v in r["violations"]]


def test_fails_more_than_500_resources() -> None:
    app, _ = _stack_with_handles(501)
    CloudFormationLimits.apply(app)
    assert (
        "[Big] Big: resources=501 is invalid: CloudFormation allows at most 500 resources per stack; "
        f"allowed: at most 500, {DEFAULT_ADVICE}"
    ) in _validation_errors(app)


def test_fails_more_than_500_resources_with_the_apps_advice() -> None:
    app, _ = _stack_with_handles(501)
    CloudFormationLimits.apply(app, advice=APP_ADVICE)
    assert (
        "[Big] Big: resources=501 is invalid: CloudFormation allows at most 500 resources per stack; "
        "allowed: at most 500, split the stack (e.g. move clusters to another compute stack with "
        "compute.clusters.<name>.stack)"
    ) in _validation_errors(app)


def test_500_resources_pass() -> None:
    app, stack = _stack_with_handles(500)
    CloudFormationLimits.apply(app)
    template = app.synth().get_stack_artifact(stack.artifact_id).template
    assert len(template["Resources"]) == 500


def test_fails_template_over_1_mb() -> None:
    app, stack = _stack_with_handles(1, metadata_bytes=1_000_000)
    CloudFormationLimits.apply(app, advice=APP_ADVICE)
    violations = _report_violations(app)
    size = (Path(app.outdir) / stack.template_file).stat().st_size
    assert size > 1_000_000
    assert [(v["ruleName"], v["description"], v["violatingConstructs"][0]["constructPath"]) for v in violations] == [
        (
            TEMPLATE_SIZE_RULE,
            f"Big: template_bytes={size} is invalid: CloudFormation allows templates of at most 1,000,000 bytes "
            f"per stack; allowed: at most 1000000 bytes, {APP_ADVICE}",
            "Big",
        )
    ]


def test_template_just_under_1_mb_passes() -> None:
    app, stack = _stack_with_handles(1, metadata_bytes=990_000)
    CloudFormationLimits.apply(app)
    app.synth()
    assert 990_000 < (Path(app.outdir) / stack.template_file).stat().st_size <= 1_000_000


def test_advice_per_stack() -> None:
    def advice(stack_path: str) -> str:
        return APP_ADVICE if stack_path.split("/")[-1].startswith("Compute") else "split the monitoring stack"

    app = new_app()
    for stack_id in ("Compute", "Monitoring"):
        stack = Stack(app, stack_id)
        for i in range(501):
            CfnWaitConditionHandle(stack, f"Handle{i}")
    CloudFormationLimits.apply(app, advice=advice)
    errors = _validation_errors(app)
    rule = "CloudFormation allows at most 500 resources per stack"
    assert f"[Compute] Compute: resources=501 is invalid: {rule}; allowed: at most 500, {APP_ADVICE}" in errors
    assert (
        f"[Monitoring] Monitoring: resources=501 is invalid: {rule}; allowed: at most 500, split the monitoring stack"
    ) in errors


def test_limits_are_configurable() -> None:
    limits = CloudFormationLimits(advice="move it", max_resources=10, max_template_bytes=100)
    assert limits.resource_problems(10) == [] and limits.template_problems(100) == []
    assert [p.message("s") for p in limits.resource_problems(11) + limits.template_problems(101)] == [
        "s: resources=11 is invalid: CloudFormation allows at most 10 resources per stack; "
        "allowed: at most 10, move it",
        "s: template_bytes=101 is invalid: CloudFormation allows templates of at most 100 bytes per stack; "
        "allowed: at most 100 bytes, move it",
    ]


def test_nested_stack_resources_count_in_their_own_template() -> None:
    app = new_app()
    parent = Stack(app, "Parent")
    CfnWaitConditionHandle(parent, "Own")
    nested = NestedStack(parent, "Nested")
    for i in range(3):
        CfnWaitConditionHandle(nested, f"Handle{i}")
    assembly = app.synth()
    parent_template = assembly.get_stack_artifact(parent.artifact_id).template
    nested_template = json.loads((Path(app.outdir) / nested.template_file).read_text())
    assert resources_in(parent) == len(parent_template["Resources"]) == 2  # its handle and the nested stack
    assert resources_in(nested) == len(nested_template["Resources"]) == 3


def test_bundled_app_is_within_limits_and_counts_match_templates(platform: dict[str, PlatformStage]) -> None:
    limits = CloudFormationLimits()
    seen = []
    for stage in platform.values():
        assembly = stage.synth()
        for stack in stage.stacks:
            artifact = assembly.get_stack_artifact(stack.artifact_id)
            count = resources_in(stack)
            assert count == len(artifact.template["Resources"]), stack.node.path
            size = Path(artifact.template_full_path).stat().st_size
            assert limits.resource_problems(count) + limits.template_problems(size) == [], stack.node.path
            seen.append(stack.node.path)
    assert {"prod/Network", "prod/DataLake"} <= set(seen)


def _stack_with(kind: str, count: int) -> tuple[App, Stack]:
    app = new_app()
    stack = Stack(app, "Big")
    for i in range(count):
        if kind == "outputs":
            CfnOutput(stack, f"Output{i}", value="x")
        elif kind == "parameters":
            CfnParameter(stack, f"Parameter{i}", default="x")
        else:
            CfnMapping(stack, f"Mapping{i}", mapping={"k": {"v": "x"}})
    return app, stack


@pytest.mark.parametrize("kind", ["outputs", "parameters", "mappings"])
def test_fails_more_than_200_outputs_parameters_or_mappings(kind: str) -> None:
    app, _ = _stack_with(kind, 201)
    CloudFormationLimits.apply(app, advice=APP_ADVICE)
    assert (
        f"[Big] Big: {kind}=201 is invalid: CloudFormation allows at most 200 {kind} per stack; "
        f"allowed: at most 200, {APP_ADVICE}"
    ) in _validation_errors(app)


def test_warns_from_80_percent_naming_what_to_move() -> None:
    app, stack = _stack_with_handles(400)
    for i in range(159):
        CfnOutput(stack, f"Output{i}", value="x")
    CloudFormationLimits.apply(app, advice=APP_ADVICE)
    app.synth()
    warnings = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("limit"))
    # 400 resources is 80% of 500; 159 outputs (79.5% of 200) stay quiet.
    assert [w.entry.data for w in warnings] == [
        f"Big: resources=400 is 80% of CloudFormation's limit of 500 per stack; before it is reached, {APP_ADVICE} "
        f"[ack: {NEAR_LIMIT_WARNING}]"
    ]


def test_warns_on_a_template_from_800_kb() -> None:
    app, stack = _stack_with_handles(1, metadata_bytes=850_000)
    CloudFormationLimits.apply(app, advice=APP_ADVICE)
    app.synth()
    report = json.loads((Path(app.outdir) / "validation-report.json").read_text())
    (violation,) = [v for r in report["pluginReports"] if r["pluginName"] == PLUGIN_NAME for v in r["violations"]]
    size = (Path(app.outdir) / stack.template_file).stat().st_size
    assert violation["severity"] == "warning"
    assert violation["description"] == (
        f"Big: template_bytes={size} is 85% of CloudFormation's limit of 1000000 per stack; before it is reached, "
        f"{APP_ADVICE}"
    )


def test_figures_count_outputs_parameters_and_mappings_without_a_synth() -> None:
    app = new_app()
    stack = Stack(app, "S")
    CfnWaitConditionHandle(stack, "H")
    CfnOutput(stack, "O", value="x")
    CfnParameter(stack, "P", default="x")
    CfnMapping(stack, "M", mapping={"k": {"v": "x"}})
    assert figures_of(stack) == StackFigures(resources=1, outputs=1, parameters=1, mappings=1)
