"""EmrRoles: exact trust policies, PassRole, instance-role permissions, toggles, brought roles, nag."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnResource, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.errors import EmrConfigError
from emr_constructs.iam import EmrRoles, EmrRolesProps
from tests.support import assert_no_nag_findings, new_stack

PARTITION = {"Ref": "AWS::Partition"}
REGION = {"Ref": "AWS::Region"}
ACCOUNT = {"Ref": "AWS::AccountId"}


def _aws_policy(name: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":iam::aws:policy/{name}"]]}


def _log_arn(suffix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["arn:", PARTITION, ":logs:", REGION, ":", ACCOUNT, f":log-group:{suffix}"]]}


class Built:
    def __init__(self, props: EmrRolesProps) -> None:
        self.stack = new_stack()
        self.roles = EmrRoles(self.stack, "Roles", props=props)
        self.template = dict(Template.from_stack(self.stack).to_json())

    def resources(self, cfn_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == cfn_type}

    def props(self, construct: Any) -> dict[str, Any]:
        logical_id = self.stack.get_logical_id(construct.node.default_child)
        props: dict[str, Any] = self.template["Resources"][logical_id]["Properties"]
        return props


@pytest.fixture(scope="module")
def default() -> Built:
    return Built(EmrRolesProps())


@pytest.fixture(scope="module")
def custom() -> Built:
    return Built(
        EmrRolesProps(
            enable_ssm=False, create_autoscaling_role=True, log_group_prefix="/acme/dev/", metrics_namespace=None
        )
    )


SERVICE_TRUST = {
    "Statement": [
        {
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {
                    "aws:SourceArn": {
                        "Fn::Join": ["", ["arn:", PARTITION, ":elasticmapreduce:", REGION, ":", ACCOUNT, ":*"]]
                    }
                },
            },
            "Effect": "Allow",
            "Principal": {"Service": "elasticmapreduce.amazonaws.com"},
        }
    ],
    "Version": "2012-10-17",
}

EC2_TRUST = {
    "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}],
    "Version": "2012-10-17",
}


def _pass_role(role_logical_id: str, service: str) -> dict[str, Any]:
    return {
        "Action": "iam:PassRole",
        "Condition": {"StringLike": {"iam:PassedToService": f"{service}*"}},
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [role_logical_id, "Arn"]},
    }


def _managed_policy_statements(built: Built, construct_id: str) -> list[dict[str, Any]]:
    policy = built.roles.node.find_child(construct_id)
    statements: list[dict[str, Any]] = built.props(policy)["PolicyDocument"]["Statement"]
    return statements


def test_service_role_trust_is_limited_to_this_account(default: Built) -> None:
    props = default.props(default.roles.service_role)
    assert props["AssumeRolePolicyDocument"] == SERVICE_TRUST
    assert props["ManagedPolicyArns"] == [_aws_policy("service-role/AmazonEMRServicePolicy_v2")]
    assert "Policies" not in props


def test_service_role_passes_exactly_the_instance_role(default: Built) -> None:
    instance_id = default.stack.get_logical_id(default.roles.instance_role.node.default_child)  # type: ignore[arg-type]
    assert _managed_policy_statements(default, "ServiceRolePolicy") == [_pass_role(instance_id, "ec2.amazonaws.com")]
    service_id = default.stack.get_logical_id(default.roles.service_role.node.default_child)  # type: ignore[arg-type]
    assert default.props(default.roles.node.find_child("ServiceRolePolicy"))["Roles"] == [{"Ref": service_id}]


def test_instance_role_trust_and_managed_policies(default: Built) -> None:
    props = default.props(default.roles.instance_role)
    assert props["AssumeRolePolicyDocument"] == EC2_TRUST
    assert props["ManagedPolicyArns"] == [_aws_policy("AmazonSSMManagedInstanceCore")]


def test_instance_role_starts_with_logs_and_metrics_only(default: Built) -> None:
    assert _managed_policy_statements(default, "InstanceRolePolicy") == [
        {
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
                "logs:PutRetentionPolicy",
            ],
            "Effect": "Allow",
            "Resource": [_log_arn("/aws/emr/*"), _log_arn("/aws/emr/*:log-stream:*")],
            "Sid": "WriteLogsUnderPrefix",
        },
        {
            "Action": "cloudwatch:PutMetricData",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "CWAgent"}},
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "PutMetricsInNamespace",
        },
    ]
    assert default.resources("AWS::IAM::Policy") == {}, "no data access until a construct grants it"


def test_instance_profile_wraps_the_instance_role(default: Built) -> None:
    assert isinstance(default.roles.instance_profile, iam.InstanceProfile)
    profiles = default.resources("AWS::IAM::InstanceProfile")
    instance_id = default.stack.get_logical_id(default.roles.instance_role.node.default_child)  # type: ignore[arg-type]
    assert [p["Properties"]["Roles"] for p in profiles.values()] == [[{"Ref": instance_id}]]


def test_no_autoscaling_role_by_default(default: Built) -> None:
    assert default.roles.autoscaling_role is None
    assert len(default.resources("AWS::IAM::Role")) == 2


def test_logical_ids(default: Built) -> None:
    assert sorted(default.template["Resources"]) == [
        "RolesInstanceProfile9A5EB5E6",
        "RolesInstanceRole80CBE9C3",
        "RolesInstanceRolePolicyDACE7772",
        "RolesServiceRoleE105F0D1",
        "RolesServiceRolePolicy5B92D4D8",
    ]


def _acknowledged(construct: Any) -> list[str]:
    ids = []
    for entry in construct.node.metadata:
        if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
            ids += [key.split("::", 1)[1] for key in entry.data]
    return ids


INLINE = ["NIST.800.53.R5-IAMNoInlinePolicy", "HIPAA.Security-IAMNoInlinePolicy", "PCI.DSS.321-IAMNoInlinePolicy"]


def test_acknowledgements_are_precise(default: Built) -> None:
    roles = default.roles
    assert _acknowledged(roles.service_role) == [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2]",
        *INLINE,
    ]
    assert _acknowledged(roles.instance_role) == [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]",
        *INLINE,
    ]
    assert _acknowledged(roles.node.find_child("InstanceRolePolicy")) == [
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/emr/*]",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/emr/*"
        ":log-stream:*]",
        "AwsSolutions-IAM5[Resource::*]",
    ]
    assert _acknowledged(roles.node.find_child("ServiceRolePolicy")) == []


def test_zero_nag_findings(default: Built, custom: Built) -> None:
    assert_no_nag_findings(default.stack)
    assert_no_nag_findings(custom.stack)


def test_ssm_off_means_no_managed_policy(custom: Built) -> None:
    assert "ManagedPolicyArns" not in custom.props(custom.roles.instance_role)
    assert _acknowledged(custom.roles.instance_role) == INLINE


def test_log_prefix_and_no_metrics(custom: Built) -> None:
    assert _managed_policy_statements(custom, "InstanceRolePolicy") == [
        {
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
                "logs:PutRetentionPolicy",
            ],
            "Effect": "Allow",
            "Resource": [_log_arn("/acme/dev/*"), _log_arn("/acme/dev/*:log-stream:*")],
            "Sid": "WriteLogsUnderPrefix",
        }
    ]


def test_autoscaling_role_trust_and_policy(custom: Built) -> None:
    assert custom.roles.autoscaling_role is not None
    props = custom.props(custom.roles.autoscaling_role)
    assert props["AssumeRolePolicyDocument"] == {
        "Statement": [
            {
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": ["application-autoscaling.amazonaws.com", "elasticmapreduce.amazonaws.com"]},
            }
        ],
        "Version": "2012-10-17",
    }
    assert props["ManagedPolicyArns"] == [_aws_policy("service-role/AmazonElasticMapReduceforAutoScalingRole")]


def test_service_role_passes_the_autoscaling_role(custom: Built) -> None:
    stack, roles = custom.stack, custom.roles
    instance_id = stack.get_logical_id(roles.instance_role.node.default_child)  # type: ignore[arg-type]
    autoscaling_id = stack.get_logical_id(roles.autoscaling_role.node.default_child)  # type: ignore[arg-type,union-attr]
    assert _managed_policy_statements(custom, "ServiceRolePolicy") == [
        _pass_role(instance_id, "ec2.amazonaws.com"),
        _pass_role(autoscaling_id, "application-autoscaling.amazonaws.com"),
    ]


# -- brought roles ----------------------------------------------------------------------------------------


def _imported(stack: Stack, name: str) -> iam.IRole:
    return iam.Role.from_role_arn(stack, name, f"arn:aws:iam::123456789012:role/{name}")


def test_brought_roles_create_nothing_but_the_instance_profile() -> None:
    stack = new_stack()
    service, instance, autoscaling = (_imported(stack, n) for n in ("Service", "Instance", "Autoscaling"))
    roles = EmrRoles(
        stack,
        "Roles",
        props=EmrRolesProps(create_autoscaling_role=True),
        service_role=service,
        instance_role=instance,
        autoscaling_role=autoscaling,
    )
    assert (roles.service_role, roles.instance_role, roles.autoscaling_role) == (service, instance, autoscaling)
    template = dict(Template.from_stack(stack).to_json())
    assert [(v["Type"], v["Properties"]["Roles"]) for v in template["Resources"].values()] == [
        ("AWS::IAM::InstanceProfile", ["Instance"])
    ]
    assert_no_nag_findings(stack)


def test_brought_instance_profile_creates_nothing() -> None:
    stack = new_stack()
    instance = _imported(stack, "Instance")
    profile = iam.InstanceProfile.from_instance_profile_attributes(
        stack, "Profile", instance_profile_arn="arn:aws:iam::123456789012:instance-profile/p", role=instance
    )
    roles = EmrRoles(stack, "Roles", service_role=_imported(stack, "Service"), instance_profile=profile)
    assert roles.instance_profile is profile
    assert roles.instance_role.role_arn == instance.role_arn
    # (An empty stack does not synthesize, so look at the tree.)
    assert [c.node.path for c in roles.node.find_all() if CfnResource.is_cfn_resource(c)] == []


def test_brought_instance_role_is_passed_by_the_created_service_role() -> None:
    stack = new_stack()
    roles = EmrRoles(stack, "Roles", instance_role=_imported(stack, "Instance"))
    statements = dict(Template.from_stack(stack).to_json())["Resources"]["RolesServiceRolePolicy5B92D4D8"]["Properties"]
    assert statements["PolicyDocument"]["Statement"] == [
        {
            "Action": "iam:PassRole",
            "Condition": {"StringLike": {"iam:PassedToService": "ec2.amazonaws.com*"}},
            "Effect": "Allow",
            "Resource": "arn:aws:iam::123456789012:role/Instance",
        }
    ]
    assert roles.node.try_find_child("InstanceRole") is None
    assert_no_nag_findings(stack)


def test_brought_service_role_gets_no_pass_role_policy() -> None:
    stack = new_stack()
    roles = EmrRoles(stack, "Roles", service_role=_imported(stack, "Service"))
    assert roles.node.try_find_child("ServiceRole") is None
    assert roles.node.try_find_child("ServiceRolePolicy") is None
    assert roles.node.try_find_child("InstanceRole") is not None


# -- validation -------------------------------------------------------------------------------------------


def _error(**kwargs: Any) -> str:
    stack = new_stack()
    with pytest.raises(EmrConfigError) as caught:
        EmrRoles(stack, "Roles", **kwargs)
    return str(caught.value)


def test_fails_instance_profile_without_role() -> None:
    stack = new_stack()
    profile = iam.InstanceProfile.from_instance_profile_name(stack, "Profile", "p")
    with pytest.raises(EmrConfigError) as caught:
        EmrRoles(stack, "Roles", instance_profile=profile)
    assert str(caught.value) == (
        "Test/Roles: instance_role=None is invalid: a brought instance_profile without a role needs the "
        "instance_role it carries; allowed: instance_role=<the profile's role>, or an instance_profile with its role"
    )


def test_fails_log_group_prefix_characters() -> None:
    assert _error(props=EmrRolesProps(log_group_prefix="/emr logs/")) == (
        "Test/Roles: log_group_prefix='/emr logs/' is invalid: CloudWatch log group names hold letters, digits "
        "and . - _ / # only; allowed: [.-_/#A-Za-z0-9]+"
    )


def test_fails_log_group_prefix_length() -> None:
    assert _error(props=EmrRolesProps(log_group_prefix="")).splitlines() == [
        "Test/Roles: log_group_prefix='' is invalid: CloudWatch log group names are 1-512 characters, and the "
        "prefix must leave room for one more; allowed: 1-511 characters",
        "Test/Roles: log_group_prefix='' is invalid: CloudWatch log group names hold letters, digits and "
        ". - _ / # only; allowed: [.-_/#A-Za-z0-9]+",
    ]


@pytest.mark.parametrize("namespace", ["AWS/EMR", "", "has space"])
def test_fails_metrics_namespace(namespace: str) -> None:
    assert _error(props=EmrRolesProps(metrics_namespace=namespace)) == (
        f"Test/Roles: metrics_namespace={namespace!r} is invalid: CloudWatch namespaces are 1-255 letters, digits "
        "or . - _ / # : and AWS/ is reserved; allowed: e.g. CWAgent, or null for no metrics permission"
    )
