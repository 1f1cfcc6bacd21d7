"""apply_permissions_boundary: once on the app, every role of every stack gets the boundary."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.iam import EmrRoles, EmrRolesProps, apply_permissions_boundary
from emr_constructs.removal import ALLOW_DESTROY_CONTEXT
from emr_constructs.storage import DataLake, DataLakeProps
from tests.support import new_app

BOUNDARY = "arn:aws:iam::123456789012:policy/emr-platform-boundary"


@pytest.fixture(scope="module")
def templates() -> list[dict[str, Any]]:
    app = new_app(**{ALLOW_DESTROY_CONTEXT: "true"})
    lake_stack, cluster_stack = Stack(app, "Lake"), Stack(app, "Cluster")
    # auto_delete_objects adds CDK's own custom-resource provider role: it must get the boundary too.
    DataLake(lake_stack, "Lake", props=DataLakeProps(auto_delete_objects=True), removal_policy=RemovalPolicy.DESTROY)
    EmrRoles(cluster_stack, "Roles", props=EmrRolesProps(create_autoscaling_role=True))
    apply_permissions_boundary(app, iam.ManagedPolicy.from_managed_policy_arn(lake_stack, "Boundary", BOUNDARY))
    return [dict(Template.from_stack(s).to_json()) for s in (lake_stack, cluster_stack)]


def _roles(templates: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: v for t in templates for k, v in t["Resources"].items() if v["Type"] == "AWS::IAM::Role"}


def test_every_role_gets_the_boundary(templates: list[dict[str, Any]]) -> None:
    roles = _roles(templates)
    assert sorted(roles) == [
        "CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092",
        "RolesAutoscalingRole529B79E2",
        "RolesInstanceRole80CBE9C3",
        "RolesServiceRoleE105F0D1",
    ]
    assert {k: v["Properties"].get("PermissionsBoundary") for k, v in roles.items()} == dict.fromkeys(roles, BOUNDARY)


def test_without_the_aspect_there_is_no_boundary() -> None:
    app = new_app()
    stack = Stack(app, "Cluster")
    EmrRoles(stack, "Roles")
    roles = _roles([dict(Template.from_stack(stack).to_json())])
    assert [v["Properties"].get("PermissionsBoundary") for v in roles.values()] == [None, None]
