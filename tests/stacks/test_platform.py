"""The bundled app: stacks per environment, their differences, snapshots, policy packs and stable ids."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

import app as bundled_app
from emr_constructs.limits import DEFAULT_ADVICE, MAX_RESOURCES, MAX_TEMPLATE_BYTES
from emr_constructs.removal import ALLOW_DESTROY_CONTEXT
from stacks.platform_stage import PlatformStage
from stacks.policy import split_advice
from tests.conftest import Platform
from tests.support import APP_PACKS, nag_findings, new_app
from tools.assembly import read_assembly
from tools.gate import lint
from tools.gate.findings import Severity

ENVIRONMENTS = ("dev", "staging", "prod")


def stack_of(platform: dict[str, PlatformStage], env: str, name: str) -> Stack:
    stage = platform[env]
    found = [s for s in stage.stacks if s.node.id == name]
    assert found, f"{env} has no stack {name}: {[s.node.id for s in stage.stacks]}"
    return found[0]


def stack_names(platform: dict[str, PlatformStage], env: str) -> list[str]:
    return [s.node.id for s in platform[env].stacks]


def resources_of(stack: Stack, type_: str) -> dict[str, Any]:
    return Template.from_stack(stack).find_resources(type_)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_environment_is_a_stage_with_env_prefixed_stack_names(
    platform: dict[str, PlatformStage], env: str
) -> None:
    stage = platform[env]
    assert stage.node.id == env
    assert {s.stack_name for s in stage.stacks} == {f"{env}-{n}" for n in stack_names(platform, env)}
    assert {"Network", "DataLake"} <= set(stack_names(platform, env))
    # "cdk deploy 'prod/*'" selects by the artifact's hierarchical id.
    assert all(s.artifact_id.startswith(env) for s in stage.stacks)


def test_termination_protection_outside_dev_only(platform: dict[str, PlatformStage]) -> None:
    assert {s.termination_protection for s in platform["dev"].stacks} == {False}
    assert {s.termination_protection for s in platform["staging"].stacks} == {True}
    assert {s.termination_protection for s in platform["prod"].stacks} == {True}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_unacknowledged_policy_findings(platform: dict[str, PlatformStage], env: str) -> None:
    findings = nag_findings(platform[env], APP_PACKS)
    assert findings == [], "unacknowledged cdk-nag findings:\n" + "\n".join(findings)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_stateful_resources_retained_outside_dev(platform: dict[str, PlatformStage], env: str) -> None:
    lake = stack_of(platform, env, "DataLake")
    policies = {
        r.get("DeletionPolicy") for t in ("AWS::S3::Bucket", "AWS::KMS::Key") for r in resources_of(lake, t).values()
    }
    # dev asks for DESTROY, but without -c emr-platform:allow-destroy=true it is reverted to RETAIN.
    assert policies == {"Retain"}


def test_data_lake_logical_ids_are_pinned(platform: dict[str, PlatformStage]) -> None:
    """Renaming a construct would replace the bucket or key, which loses data: these ids must never change."""
    for env in ENVIRONMENTS:
        lake = stack_of(platform, env, "DataLake")
        ids = sorted(resources_of(lake, "AWS::S3::Bucket")) + sorted(resources_of(lake, "AWS::KMS::Key"))
        assert ids == PINNED_LAKE_IDS, env


PINNED_LAKE_IDS = [
    "DataLakeAccessLogsBucket7B54C271",
    "DataLakeAnalyticsBucket218960F6",
    "DataLakeArtifactsBucket98FD8488",
    "DataLakeCuratedBucketFF1C9EA8",
    "DataLakeLogsBucketC579BDB7",
    "DataLakeRawBucket881B694B",
    "DataLakeKey6ACD72F9",
]


def test_data_lake_exports_have_stable_names(platform: dict[str, PlatformStage]) -> None:
    outputs = Template.from_stack(stack_of(platform, "prod", "DataLake")).find_outputs("*")
    exports = {o["Export"]["Name"] for o in outputs.values() if "Export" in o}
    assert {e for e in exports if e.startswith("emr-platform-")} == {
        "emr-platform-prod-ArtifactsBucketName",
        "emr-platform-prod-LogsBucketName",
        "emr-platform-prod-DataLakeKeyArn",
    }


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_lake_is_referenced_strongly_everything_else_weakly(platform: dict[str, PlatformStage], env: str) -> None:
    # CloudFormation refuses to remove or replace an export another stack imports: the lake's key and buckets
    # cannot disappear under a consumer. Other producers (network, catalog) stay weak so they can be refactored.
    for stack in platform[env].stacks:
        text = json.dumps(Template.from_stack(stack).to_json())
        imports = set(re.findall(r'"Fn::ImportValue": "([^"]+)"', text))
        assert all(name.startswith(f"{env}-DataLake:") for name in imports), (stack.stack_name, imports)
        weak = set(re.findall(r'"StackName": "([^"]+)"', text))
        assert f"{env}-DataLake" not in weak, stack.stack_name
    consumers = [s for s in platform[env].stacks if f'"{env}-DataLake:' in json.dumps(Template.from_stack(s).to_json())]
    assert {s.node.id for s in consumers} >= {"Catalog", "Warehouse"}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_templates_match_snapshots(platform: dict[str, PlatformStage], env: str, template_snapshot: Any) -> None:
    templates = {s.node.id: Template.from_stack(s).to_json() for s in platform[env].stacks}
    assert templates == template_snapshot


def test_cfn_lint_reports_no_errors_on_any_template(synthesized_platform: Platform) -> None:
    assembly = read_assembly(synthesized_platform.assembly_dir)
    assert len(assembly.stacks) >= 3 * 6
    errors = [f.line() for f in lint.findings(assembly.stacks) if f.severity is Severity.ERROR]
    assert errors == []


def test_destroy_needs_the_environment_setting_and_the_flag() -> None:
    """With -c emr-platform:allow-destroy=true only dev's stateful resources become deletable; prod keeps them."""
    app = new_app(**{ALLOW_DESTROY_CONTEXT: "true"})
    stages = {s.settings.name: s for s in bundled_app.build(app, policy_packs=False)}
    for env, expected in (("dev", "Delete"), ("prod", "Retain")):
        lake = Template.from_stack(stages[env].data_lake)
        policies = {r.get("DeletionPolicy") for r in lake.find_resources("AWS::S3::Bucket").values()}
        assert policies == {expected}, env


def test_limit_advice_names_the_setting_that_moves_clusters() -> None:
    assert split_advice("prod/ComputeBatch") == (
        "split the stack (move clusters to another compute stack with compute.clusters.<name>.stack)"
    )
    assert split_advice("prod/Monitoring") == DEFAULT_ADVICE


def test_every_stack_is_within_cloudformation_limits(platform: dict[str, PlatformStage]) -> None:
    for stage in platform.values():
        for stack in stage.stacks:
            template = Template.from_stack(stack).to_json()
            assert len(template["Resources"]) <= MAX_RESOURCES, stack.stack_name
            assert len(json.dumps(template)) <= MAX_TEMPLATE_BYTES, stack.stack_name


@pytest.mark.parametrize(
    ("env", "boundary"), [("dev", None), ("staging", "emr-platform-boundary"), ("prod", "emr-platform-boundary")]
)
def test_every_role_has_the_environments_permissions_boundary(
    platform: dict[str, PlatformStage], env: str, boundary: str | None
) -> None:
    attached = {
        json.dumps(role["Properties"].get("PermissionsBoundary"), sort_keys=True)
        for stack in platform[env].stacks
        for role in resources_of(stack, "AWS::IAM::Role").values()
    }
    expected = None
    if boundary is not None:
        # Prod names its region, so the partition is known there; account (and staging's partition) at deploy.
        partition: list[Any] = ["arn:aws:iam::"] if env == "prod" else ["arn:", {"Ref": "AWS::Partition"}, ":iam::"]
        arn = [*partition, {"Ref": "AWS::AccountId"}, f":policy/{boundary}"]
        expected = {"Fn::Join": ["", arn]}
    assert attached == {json.dumps(expected, sort_keys=True)}
