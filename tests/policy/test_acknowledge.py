"""The acknowledgement helpers name findings exactly as cdk-nag does, wherever the grantee lives."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Environment, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.iam import EmrRoles, managed_policy_finding
from emr_constructs.policy.acknowledge import flatten_reference
from emr_constructs.storage import DataLake, Zone
from tests.support import NAG_PACKS, assert_no_nag_findings, nag_findings, new_app


@pytest.mark.parametrize(
    ("value", "flat"),
    [
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/*"),
        ({"Ref": "AWS::Partition"}, "<AWS::Partition>"),
        ({"Fn::GetAtt": ["Bucket1", "Arn"]}, "<Bucket1.Arn>"),
        ({"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/x/*"]]}, "<B.Arn>/x/*"),
        ({"Fn::Sub": "arn:${AWS::Partition}:s3:::b"}, "arn:<AWS::Partition>:s3:::b"),
        ({"Fn::ImportValue": "Lake:ExportsOutputB"}, "Lake:ExportsOutputB"),
        (
            {"Fn::GetStackOutput": {"StackName": "L", "OutputName": "O"}},
            '{"Fn::GetStackOutput":{"StackName":"L","OutputName":"O"}}',
        ),
        (None, ""),
    ],
)
def test_flatten_reference_matches_cdk_nag(value: Any, flat: str) -> None:
    assert flatten_reference(value) == flat


def test_managed_policy_finding_in_a_regional_stack() -> None:
    stack = Stack(new_app(), "Prod", env=Environment(account="123456789012", region="eu-west-1"))
    roles = EmrRoles(stack, "Roles")
    ssm = iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")
    assert managed_policy_finding(roles, ssm) == (
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]"
    )
    # The id is computed from the resolved ARN, so it follows whatever CDK writes for the partition.
    role = dict(Template.from_stack(stack).to_json())["Resources"]["RolesInstanceRole80CBE9C3"]
    assert role["Properties"]["ManagedPolicyArns"] == [
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonSSMManagedInstanceCore"]]}
    ]
    assert_no_nag_findings(stack)


def test_strong_cross_stack_references_are_acknowledged_too() -> None:
    app = new_app(**{"@aws-cdk/core:defaultCrossStackReferences": "strong"})
    lake = DataLake(Stack(app, "Lake"), "Lake")
    cluster = Stack(app, "Cluster")
    roles = EmrRoles(cluster, "Roles")
    lake.grant_read(Zone.RAW, roles.instance_role, prefix="landing/")
    policy = Template.from_stack(cluster).find_resources("AWS::IAM::Policy")
    assert "Fn::ImportValue" in str(policy), "the app should use strong references (exports) here"
    assert nag_findings(app) == []


def test_registered_packs_pass_a_real_synth_with_cross_stack_grants() -> None:
    """The path `cdk synth` takes: packs registered on the app, validation after references are resolved."""
    app = new_app()
    for pack in NAG_PACKS:
        Validations.of(app).add_plugins(pack(app))
    lake = DataLake(Stack(app, "Lake"), "Lake")
    roles = EmrRoles(Stack(app, "Cluster"), "Roles")
    lake.grant_read_write(Zone.CURATED, roles.instance_role, prefix="sales/")
    lake.grant_read(Zone.ARTIFACTS, roles.instance_role, prefix="bootstrap/")
    assembly = app.synth()  # raises ValidationFailed on any unacknowledged finding
    assert {s.stack_name for s in assembly.stacks} == {"Lake", "Cluster"}
