"""EmrStudio: security groups, roles, storage, access to clusters and applications, nag packs, snapshot, rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from emr_constructs.cluster import EmrCluster
from emr_constructs.errors import EmrConfigError
from emr_constructs.network import DataPlatformVpc, EmrSecurityGroups
from emr_constructs.serverless import EmrServerlessApplication, ServerlessApplicationProps
from emr_constructs.storage import DataLake, Zone
from emr_constructs.studio import AuthMode, EmrStudio, EmrStudioProps
from tests.support import nag_findings, new_app, new_stack

IDC_ARN = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
STORE = "d-0123456789"
WHERE = "Test/Studio"


@dataclass
class Built:
    iam_template: dict[str, Any]
    sso_template: dict[str, Any]
    findings: list[str]


def _resources(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _statements(template: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    (policy,) = [v for k, v in _resources(template, "AWS::IAM::Policy").items() if k.startswith(prefix)]
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}


@pytest.fixture(scope="module")
def built() -> Built:
    app = new_app()
    base = Stack(app, "Base")
    network = DataPlatformVpc(base, "Network")
    lake = DataLake(base, "Lake")
    compute = Stack(app, "Compute")
    cluster = EmrCluster(
        compute,
        "Cluster",
        network=network,
        security_groups=EmrSecurityGroups(base, "EmrGroups", vpc=network.vpc),
        log_bucket=lake.bucket(Zone.LOGS),
        encryption_key=lake.key,
        artifacts_bucket=lake.bucket(Zone.ARTIFACTS),
    )
    spark = EmrServerlessApplication(
        compute, "Spark", network=network, lake=lake, props=ServerlessApplicationProps(studio_enabled=True)
    )
    iam_stack = Stack(app, "Studio")
    EmrStudio(iam_stack, "Studio", network=network, lake=lake, clusters=[cluster], applications=[spark])
    sso_stack = Stack(app, "SsoStudio")
    EmrStudio(
        sso_stack,
        "Studio",
        network=network,
        lake=lake,
        props=EmrStudioProps(
            auth_mode=AuthMode.IDENTITY_CENTER, idc_instance_arn=IDC_ARN, identity_store_id=STORE, name="analytics"
        ),
    )
    return Built(
        iam_template=Template.from_stack(iam_stack).to_json(),
        sso_template=Template.from_stack(sso_stack).to_json(),
        findings=nag_findings(app),
    )


def _studio(template: dict[str, Any]) -> dict[str, Any]:
    (studio,) = _resources(template, "AWS::EMR::Studio").values()
    return studio


def test_iam_studio_in_the_vpc_with_workspace_storage_encrypted(built: Built) -> None:
    props = _studio(built.iam_template)["Properties"]
    assert props["AuthMode"] == "IAM"
    assert "UserRole" not in props and "IdcInstanceArn" not in props
    assert len(props["SubnetIds"]) == 3  # DataPlatformVpc's default: three AZs
    assert props["DefaultS3Location"]["Fn::Join"][1][-1] == "/emr-studio/"
    assert "LakeKey" in json.dumps(props["EncryptionKeyArn"])
    assert "LakeArtifactsBucket" in json.dumps(props["DefaultS3Location"])


def test_security_groups_have_exactly_the_studio_rules(built: Built) -> None:
    groups = _resources(built.iam_template, "AWS::EC2::SecurityGroup")
    engine = next(v for k, v in groups.items() if k.startswith("StudioEngine"))["Properties"]
    workspace = next(v for k, v in groups.items() if k.startswith("StudioWorkspace"))["Properties"]
    # CDK's placeholder rule for "no egress at all".
    assert engine["SecurityGroupEgress"] == [
        {
            "CidrIp": "255.255.255.255/32",
            "Description": "Disallow all traffic",
            "FromPort": 252,
            "IpProtocol": "icmp",
            "ToPort": 86,
        }
    ]
    assert "SecurityGroupIngress" not in engine and "SecurityGroupIngress" not in workspace
    assert [(r["FromPort"], r["CidrIp"]) for r in workspace["SecurityGroupEgress"]] == [(443, "0.0.0.0/0")]
    for group in (engine, workspace):
        assert {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"} in group["Tags"]
    (ingress,) = _resources(built.iam_template, "AWS::EC2::SecurityGroupIngress").values()
    (egress,) = _resources(built.iam_template, "AWS::EC2::SecurityGroupEgress").values()
    assert ingress["Properties"]["FromPort"] == ingress["Properties"]["ToPort"] == 18888
    assert ingress["Properties"]["GroupId"]["Fn::GetAtt"][0].startswith("StudioEngine")
    assert ingress["Properties"]["SourceSecurityGroupId"]["Fn::GetAtt"][0].startswith("StudioWorkspace")
    assert egress["Properties"]["FromPort"] == 18888
    assert egress["Properties"]["GroupId"]["Fn::GetAtt"][0].startswith("StudioWorkspace")
    assert egress["Properties"]["DestinationSecurityGroupId"]["Fn::GetAtt"][0].startswith("StudioEngine")


def test_studio_waits_for_its_rules_and_service_role(built: Built) -> None:
    depends = _studio(built.iam_template)["DependsOn"]
    assert any(d.startswith("StudioEngineFromWorkspace") for d in depends)
    assert any(d.startswith("StudioWorkspaceToEngine") for d in depends)
    assert any(d.startswith("StudioServiceRoleDefaultPolicy") for d in depends)


def test_service_role_manages_only_tagged_interfaces_and_its_groups(built: Built) -> None:
    statements = _statements(built.iam_template, "StudioServiceRole")
    by_action = {json.dumps(s["Action"]): s for s in statements}
    manage = by_action[
        json.dumps(
            [
                "ec2:CreateNetworkInterfacePermission",
                "ec2:DeleteNetworkInterface",
                "ec2:ModifyNetworkInterfaceAttribute",
            ]
        )
    ]
    assert manage["Condition"] == {"StringEquals": {"aws:ResourceTag/for-use-with-amazon-emr-managed-policies": "true"}}
    groups = by_action[
        json.dumps(
            [
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
            ]
        )
    ]
    assert len(groups["Resource"]) == 2
    wildcard = [s for s in statements if s["Resource"] == "*"]
    assert _actions(wildcard) == {
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeTags",
        "ec2:DescribeVpcs",
    }
    assert "elasticmapreduce:DescribeCluster" in _actions(statements)  # the cluster's own grant_describe


def test_user_role_reaches_the_given_cluster_and_application(built: Built) -> None:
    statements = _statements(built.iam_template, "StudioUserRole")
    actions = _actions(statements)
    assert {
        "elasticmapreduce:CreateEditor",
        "elasticmapreduce:DescribeCluster",
        "emr-serverless:StartJobRun",
        "emr-serverless:AccessInteractiveEndpoints",
        "iam:PassRole",
    } <= actions
    (pass_role,) = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert "SparkRuntimeRole" in json.dumps(pass_role["Resource"])
    assert not any(a.endswith(":*") for a in actions)


def test_iam_mode_user_role_is_assumed_by_the_account(built: Built) -> None:
    roles = _resources(built.iam_template, "AWS::IAM::Role")
    user = next(v for k, v in roles.items() if k.startswith("StudioUserRole"))
    (statement,) = user["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRole"
    assert "root" in json.dumps(statement["Principal"])


def test_identity_center_studio(built: Built) -> None:
    props = _studio(built.sso_template)["Properties"]
    assert props["AuthMode"] == "SSO"
    assert props["Name"] == "analytics"
    assert props["IdcInstanceArn"] == IDC_ARN
    assert props["IdcUserAssignment"] == "REQUIRED"
    assert props["UserRole"]["Fn::GetAtt"][0].startswith("StudioUserRole")
    assert props["Tags"] == [{"Key": "emr-platform:identity-store-id", "Value": STORE}]
    roles = _resources(built.sso_template, "AWS::IAM::Role")
    user = next(v for k, v in roles.items() if k.startswith("StudioUserRole"))
    (statement,) = user["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == ["sts:AssumeRole", "sts:SetContext"]
    assert statement["Principal"] == {"Service": "elasticmapreduce.amazonaws.com"}


def test_nag_packs_have_no_unacknowledged_findings(built: Built) -> None:
    assert built.findings == []


def test_snapshot(built: Built, template_snapshot: Any) -> None:
    assert template_snapshot == built.iam_template


# -- rules --------------------------------------------------------------------------------------------


def message(props: EmrStudioProps) -> str:
    with pytest.raises(EmrConfigError) as raised:
        props.raise_if_invalid(WHERE)
    return str(raised.value)


def test_fails_identity_center_without_its_ids() -> None:
    assert message(EmrStudioProps(auth_mode=AuthMode.IDENTITY_CENTER)) == "\n".join(
        [
            f"{WHERE}: idc_instance_arn=None is invalid: IAM Identity Center authentication needs the Identity Center "
            "instance; allowed: arn:aws:sso:::instance/ssoins-<16 hex digits>",
            f"{WHERE}: identity_store_id=None is invalid: IAM Identity Center authentication needs the identity store "
            "its users and groups come from; allowed: d-<10 hex digits>",
        ]
    )


def test_fails_identity_center_with_malformed_ids() -> None:
    props = EmrStudioProps(auth_mode=AuthMode.IDENTITY_CENTER, idc_instance_arn="ssoins-1", identity_store_id=STORE)
    assert message(props) == (
        f"{WHERE}: idc_instance_arn='ssoins-1' is invalid: IAM Identity Center authentication needs the Identity "
        "Center instance; allowed: arn:aws:sso:::instance/ssoins-<16 hex digits>"
    )


def test_fails_identity_center_settings_in_iam_mode() -> None:
    assert message(EmrStudioProps(identity_store_id=STORE)) == (
        f"{WHERE}: identity_store_id='{STORE}' is invalid: Identity Center settings only apply with auth_mode 'SSO' "
        "(IAM Identity Center); allowed: null, or auth_mode 'SSO'"
    )


@pytest.mark.parametrize("name", ["", "a b", "x" * 257])
def test_fails_name(name: str) -> None:
    assert message(EmrStudioProps(name=name)) == (
        f"{WHERE}: name={name!r} is invalid: EMR Studio names are 1-256 letters, digits, '_' or '-'; "
        "allowed: e.g. 'analytics-studio'"
    )


def test_name_edges_build() -> None:
    assert EmrStudioProps(name="a").problems() == []
    assert EmrStudioProps(name="a" * 256).problems() == []


def test_fails_description_too_long() -> None:
    assert message(EmrStudioProps(description="d" * 257)) == (
        f"{WHERE}: description={'d' * 257!r} is invalid: too long; allowed: at most 256 characters"
    )


def test_fails_workspace_prefix() -> None:
    assert message(EmrStudioProps(workspace_prefix="studio")) == (
        f"{WHERE}: workspace_prefix='studio' is invalid: the Workspace storage location is a folder; "
        "allowed: a prefix ending in '/', e.g. 'emr-studio/'"
    )


def test_fails_at_the_construct_path() -> None:
    stack = new_stack()
    network = DataPlatformVpc(stack, "Network")
    with pytest.raises(EmrConfigError) as raised:
        EmrStudio(stack, "Studio", network=network, lake=DataLake(stack, "Lake"), props=EmrStudioProps(name=""))
    assert str(raised.value).startswith("Test/Studio: name='' is invalid")


def test_parses_from_settings() -> None:
    props = EmrStudioProps.from_dict({"auth_mode": "SSO", "idc_instance_arn": IDC_ARN, "identity_store_id": STORE})
    assert props.auth_mode == AuthMode.IDENTITY_CENTER
