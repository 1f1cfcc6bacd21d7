"""DataPlatformVpc: subnets, endpoints, flow log, default security group, nag packs, cfn-lint, snapshot."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from typing import Any

import pytest
from aws_cdk import App, Environment, RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Annotations, Match, Template
from constructs import IConstruct

from emr_constructs.network import (
    CLOUDWATCH_RETENTION_DAYS,
    DataPlatformVpc,
    EmrSecurityGroups,
    FlowLogTrafficType,
    InterfaceEndpoint,
    IPlatformNetwork,
    VpcProps,
)
from emr_constructs.network.props import allocate_subnets
from emr_constructs.network.vpc import RETENTION_DAYS
from emr_constructs.removal import ALLOW_DESTROY_CONTEXT
from emr_constructs.tags import EMR_MANAGED_POLICY_TAG_KEY, EMR_MANAGED_POLICY_TAG_VALUE
from tests.guard import DENY_GRANTS
from tests.support import assert_no_nag_findings, cfn_lint, new_app, new_stack

EMR_TAG = {"Key": EMR_MANAGED_POLICY_TAG_KEY, "Value": EMR_MANAGED_POLICY_TAG_VALUE}
ACCOUNT, REGION = "123456789012", "eu-west-1"
THREE_AZS = [f"{REGION}a", f"{REGION}b", f"{REGION}c"]
THREE_AZ_PROPS = VpcProps(
    cidr="10.20.0.0/18",
    max_azs=3,
    nat_gateways=2,
    private_subnet_mask=21,
    public_subnet_mask=27,
    flow_log_retention_days=30,
    flow_log_traffic_type=FlowLogTrafficType.REJECT,
    interface_endpoints=(InterfaceEndpoint.STS, InterfaceEndpoint.EMR),
)


class Built:
    """One app, synthesized once for the whole module."""

    def __init__(self) -> None:
        # A committed AZ lookup answer lets an environment-specific stack use three AZs without AWS.
        self.app = new_app(**{f"availability-zones:account={ACCOUNT}:region={REGION}": THREE_AZS})
        self.default_stack = Stack(self.app, "Test")
        self.default = DataPlatformVpc(self.default_stack, "Network")
        self.groups = EmrSecurityGroups(self.default_stack, "EmrGroups", vpc=self.default.vpc)
        self.isolated_stack = Stack(self.app, "Isolated")
        self.isolated = DataPlatformVpc(self.isolated_stack, "Network", props=VpcProps(nat_gateways=0))
        EmrSecurityGroups(self.isolated_stack, "EmrGroups", vpc=self.isolated.vpc)
        self.three_stack = Stack(self.app, "ThreeAz", env=Environment(account=ACCOUNT, region=REGION))
        self.given_key = kms.Key(self.three_stack, "GivenKey", enable_key_rotation=True)
        self.three = DataPlatformVpc(self.three_stack, "Network", props=THREE_AZ_PROPS, flow_log_key=self.given_key)
        self.default_t = Template.from_stack(self.default_stack)
        self.isolated_t = Template.from_stack(self.isolated_stack)
        self.three_t = Template.from_stack(self.three_stack)


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def resources(template: Template, type_: str) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(type_)
    return found


def paths(constructs: Sequence[IConstruct]) -> list[str]:
    return [c.node.path for c in constructs]


def subnet_cidrs(template: Template, tier: str) -> list[str]:
    subnets = resources(template, "AWS::EC2::Subnet")
    tagged = [
        s["Properties"]
        for s in subnets.values()
        if {"Key": "aws-cdk:subnet-name", "Value": tier} in s["Properties"]["Tags"]
    ]
    ordered = sorted(tagged, key=lambda p: ipaddress.IPv4Network(p["CidrBlock"]))
    return [p["CidrBlock"] for p in ordered]


# --- stable identity -----------------------------------------------------------------------------------


def test_logical_ids_of_vpc_flow_log_group_and_key_are_pinned(built: Built) -> None:
    # Changing any of these replaces the resource (the VPC) or orphans a RETAINed one (group, key).
    assert list(resources(built.default_t, "AWS::EC2::VPC")) == ["Network6E62CE96"]
    assert list(resources(built.default_t, "AWS::Logs::LogGroup")) == ["NetworkFlowLogGroup4F8CEEEF"]
    assert list(resources(built.default_t, "AWS::KMS::Key")) == ["NetworkFlowLogKeyF785E5F9"]


def test_default_vpc_snapshot(built: Built, template_snapshot: Any) -> None:
    assert template_snapshot == built.default_t.to_json()


def test_both_satisfy_the_platform_network_protocol(built: Built) -> None:
    assert isinstance(built.default, IPlatformNetwork)
    assert paths(built.default.cluster_subnets) == [
        "Test/Network/Resource/PrivateSubnet1",
        "Test/Network/Resource/PrivateSubnet2",
        "Test/Network/Resource/PrivateSubnet3",
    ]
    assert paths(built.isolated.cluster_subnets) == paths(built.isolated.vpc.isolated_subnets)
    assert len(paths(built.isolated.cluster_subnets)) == 3
    assert len(built.three.availability_zones) == 3


# --- subnets and NAT --------------------------------------------------------------------------------------


def test_default_has_one_nat_gateway_and_a_public_tier_without_public_ips(built: Built) -> None:
    built.default_t.resource_count_is("AWS::EC2::NatGateway", 1)
    built.default_t.resource_count_is("AWS::EC2::InternetGateway", 1)
    assert subnet_cidrs(built.default_t, "Private") == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    assert subnet_cidrs(built.default_t, "Public") == ["10.0.48.0/26", "10.0.48.64/26", "10.0.48.128/26"]
    for subnet in resources(built.default_t, "AWS::EC2::Subnet").values():
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False


def test_isolated_vpc_has_no_public_subnet_no_internet_gateway_and_no_nat(built: Built) -> None:
    built.isolated_t.resource_count_is("AWS::EC2::NatGateway", 0)
    built.isolated_t.resource_count_is("AWS::EC2::InternetGateway", 0)
    built.isolated_t.resource_count_is("AWS::EC2::EIP", 0)
    assert subnet_cidrs(built.isolated_t, "Public") == []
    assert subnet_cidrs(built.isolated_t, "Private") == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    # Isolated: no default route at all, only the gateway endpoints' prefix-list routes.
    built.isolated_t.resource_count_is("AWS::EC2::Route", 0)
    assert built.isolated.vpc.public_subnets == []


def test_nat_gateway_count_follows_props_across_three_azs(built: Built) -> None:
    built.three_t.resource_count_is("AWS::EC2::NatGateway", 2)
    assert subnet_cidrs(built.three_t, "Private") == ["10.20.0.0/21", "10.20.8.0/21", "10.20.16.0/21"]
    assert [s.availability_zone for s in built.three.cluster_subnets] == THREE_AZS


@pytest.mark.parametrize(
    ("stack", "props"), [("default", VpcProps()), ("three", THREE_AZ_PROPS)], ids=["default", "three-azs"]
)
def test_validation_uses_the_same_subnet_allocation_as_cdk(built: Built, stack: str, props: VpcProps) -> None:
    template = {"default": built.default_t, "three": built.three_t}[stack]
    azs = len({"default": built.default, "three": built.three}[stack].availability_zones)
    blocks = [str(b) for b in allocate_subnets(ipaddress.IPv4Network(props.cidr), azs, [props.private_subnet_mask])]
    assert subnet_cidrs(template, "Private") == blocks
    both = allocate_subnets(
        ipaddress.IPv4Network(props.cidr), azs, [props.private_subnet_mask, props.public_subnet_mask]
    )
    assert subnet_cidrs(template, "Public") == [str(b) for b in both[azs:]]


def test_only_cluster_subnets_carry_the_emr_managed_policy_tag(built: Built) -> None:
    for subnet in resources(built.default_t, "AWS::EC2::Subnet").values():
        tags = subnet["Properties"]["Tags"]
        is_private = {"Key": "aws-cdk:subnet-name", "Value": "Private"} in tags
        assert (EMR_TAG in tags) is is_private
    for subnet in resources(built.isolated_t, "AWS::EC2::Subnet").values():
        assert EMR_TAG in subnet["Properties"]["Tags"]


def test_an_environment_agnostic_stack_gets_the_azs_asked_for_from_the_deploy_region(built: Built) -> None:
    stack = new_stack()
    network = DataPlatformVpc(stack, "Network", props=VpcProps(max_azs=4, nat_gateways=0))
    assert len(network.cluster_subnets) == 4
    zones = [
        s["Properties"]["AvailabilityZone"] for s in resources(Template.from_stack(stack), "AWS::EC2::Subnet").values()
    ]
    assert sorted(z["Fn::Select"][0] for z in zones) == [0, 1, 2, 3]
    assert all(z["Fn::Select"][1] == {"Fn::GetAZs": ""} for z in zones)
    for module_stack in (built.default_stack, built.isolated_stack, built.three_stack):
        assert Annotations.from_stack(module_stack).find_warning("*", Match.any_value()) == []


# --- endpoints ---------------------------------------------------------------------------------------------


def cluster_route_tables(template: Template) -> list[dict[str, str]]:
    tables = resources(template, "AWS::EC2::RouteTable")
    return [{"Ref": k} for k in sorted(tables) if "PrivateSubnet" in k]


@pytest.mark.parametrize("which", ["default", "isolated"])
def test_s3_and_dynamodb_gateway_endpoints_serve_the_cluster_subnets(built: Built, which: str) -> None:
    template = built.default_t if which == "default" else built.isolated_t
    for service in ("s3", "dynamodb"):
        template.has_resource_properties(
            "AWS::EC2::VPCEndpoint",
            {
                "VpcEndpointType": "Gateway",
                "ServiceName": {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, f".{service}"]]},
                "RouteTableIds": Match.array_equals(cluster_route_tables(template)),
            },
        )


def interface_services(template: Template) -> list[str]:
    endpoints = resources(template, "AWS::EC2::VPCEndpoint")
    names = []
    for endpoint in endpoints.values():
        props = endpoint["Properties"]
        if props.get("VpcEndpointType") == "Interface":
            names.append(json.dumps(props["ServiceName"]).rsplit(".", 1)[-1].strip('"]}'))
    return sorted(names)


def test_isolated_vpc_gets_every_interface_endpoint_with_private_dns(built: Built) -> None:
    assert interface_services(built.isolated_t) == sorted(e.value for e in InterfaceEndpoint)
    subnets = [{"Ref": k} for k in sorted(resources(built.isolated_t, "AWS::EC2::Subnet"))]
    for endpoint in InterfaceEndpoint:
        built.isolated_t.has_resource_properties(
            "AWS::EC2::VPCEndpoint",
            {
                "VpcEndpointType": "Interface",
                "ServiceName": {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, f".{endpoint.value}"]]},
                "PrivateDnsEnabled": True,
                "SubnetIds": Match.array_equals(subnets),
                "SecurityGroupIds": [
                    {"Fn::GetAtt": [Match.string_like_regexp("^NetworkEndpointSecurityGroup"), "GroupId"]}
                ],
            },
        )


def test_vpc_with_nat_gets_no_interface_endpoint_unless_asked(built: Built) -> None:
    assert interface_services(built.default_t) == []
    assert built.default.endpoint_security_group is None
    assert interface_services(built.three_t) == ["elasticmapreduce", "sts"]


def test_endpoint_security_group_admits_https_from_the_vpc_cidr_only(built: Built) -> None:
    groups = [
        g["Properties"]
        for g in resources(built.isolated_t, "AWS::EC2::SecurityGroup").values()
        if g["Properties"]["GroupDescription"].startswith("Interface VPC endpoints")
    ]
    assert len(groups) == 1
    assert groups[0]["SecurityGroupIngress"] == [
        {
            "CidrIp": "10.0.0.0/16",
            "Description": "HTTPS from the VPC to the interface endpoints",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    # CDK's placeholder for "no egress": the endpoints only answer, they never open connections.
    assert groups[0]["SecurityGroupEgress"] == [
        {
            "CidrIp": "255.255.255.255/32",
            "Description": "Disallow all traffic",
            "FromPort": 252,
            "IpProtocol": "icmp",
            "ToPort": 86,
        }
    ]
    built.isolated_t.resource_count_is("AWS::EC2::SecurityGroupIngress", 1)  # the EMR groups' 9443 rule only


# --- flow log ----------------------------------------------------------------------------------------------


def test_flow_log_records_all_traffic_of_the_vpc_into_the_encrypted_group(built: Built) -> None:
    built.default_t.has_resource_properties(
        "AWS::EC2::FlowLog",
        {
            "ResourceType": "VPC",
            "ResourceId": {"Ref": "Network6E62CE96"},
            "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs",
            "LogGroupName": {"Ref": "NetworkFlowLogGroup4F8CEEEF"},
            "DeliverLogsPermissionArn": {"Fn::GetAtt": [Match.string_like_regexp("^NetworkFlowLogRole"), "Arn"]},
        },
    )
    built.default_t.has_resource(
        "AWS::Logs::LogGroup",
        {
            "Properties": {
                "KmsKeyId": {"Fn::GetAtt": ["NetworkFlowLogKeyF785E5F9", "Arn"]},
                "RetentionInDays": 365,
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    built.three_t.has_resource_properties("AWS::EC2::FlowLog", {"TrafficType": "REJECT"})
    built.three_t.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_created_key_rotates_and_only_cloudwatch_logs_of_this_region_may_use_it(built: Built) -> None:
    key = resources(built.default_t, "AWS::KMS::Key")["NetworkFlowLogKeyF785E5F9"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert DENY_GRANTS in statements
    logs_statement = next(s for s in statements if s.get("Sid", "").startswith("Allow"))
    assert logs_statement == {
        "Sid": "AllowCloudWatchLogsOfThisRegion",
        "Effect": "Allow",
        "Principal": {"Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}]]}},
        "Action": ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        "Resource": "*",
        "Condition": {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":logs:",
                            {"Ref": "AWS::Region"},
                            ":",
                            {"Ref": "AWS::AccountId"},
                            ":log-group:*",
                        ],
                    ]
                }
            }
        },
    }


def test_a_given_key_is_used_and_gets_the_logs_statement(built: Built) -> None:
    assert built.three.flow_log_key is built.given_key
    keys = resources(built.three_t, "AWS::KMS::Key")
    assert len(keys) == 1
    (key_id,) = keys
    built.three_t.has_resource_properties("AWS::Logs::LogGroup", {"KmsKeyId": {"Fn::GetAtt": [key_id, "Arn"]}})
    sids = [s.get("Sid") for s in keys[key_id]["Properties"]["KeyPolicy"]["Statement"]]
    assert "AllowCloudWatchLogsOfThisRegion" in sids


def test_flow_log_role_is_limited_to_this_account_and_holds_a_managed_policy(built: Built) -> None:
    roles = {k: v for k, v in resources(built.default_t, "AWS::IAM::Role").items() if k.startswith("NetworkFlowLog")}
    assert len(roles) == 1
    ((role_id, role),) = roles.items()
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Condition": {
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                "ArnLike": {
                    "aws:SourceArn": {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":ec2:",
                                {"Ref": "AWS::Region"},
                                ":",
                                {"Ref": "AWS::AccountId"},
                                ":vpc-flow-log/*",
                            ],
                        ]
                    }
                },
            },
        }
    ]
    built.default_t.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "Roles": [{"Ref": role_id}],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                        "Resource": {"Fn::GetAtt": ["NetworkFlowLogGroup4F8CEEEF", "Arn"]},
                    }
                ],
            },
        },
    )
    # No inline policy anywhere: CDK's own grant to the role was suppressed, not duplicated.
    built.default_t.resource_count_is("AWS::IAM::Policy", 0)
    built.default_t.resource_count_is("AWS::Logs::ResourcePolicy", 0)
    flow_log = next(iter(resources(built.default_t, "AWS::EC2::FlowLog").values()))
    assert flow_log["DependsOn"] == [next(iter(resources(built.default_t, "AWS::IAM::ManagedPolicy")))]


def test_retention_table_gives_cloudwatch_the_days_it_names() -> None:
    assert tuple(RETENTION_DAYS) == CLOUDWATCH_RETENTION_DAYS
    stack = new_stack()
    for days, retention in RETENTION_DAYS.items():
        logs.LogGroup(stack, f"Group{days}", retention=retention)
    found = sorted(
        g["Properties"]["RetentionInDays"]
        for g in resources(Template.from_stack(stack), "AWS::Logs::LogGroup").values()
    )
    assert found == list(CLOUDWATCH_RETENTION_DAYS)


# --- default security group and policy packs ----------------------------------------------------------------


def test_default_security_group_is_stripped_by_the_cdk_custom_resource(built: Built) -> None:
    for template in (built.default_t, built.isolated_t):
        template.has_resource_properties(
            "Custom::VpcRestrictDefaultSG",
            {"DefaultSecurityGroupId": {"Fn::GetAtt": ["Network6E62CE96", "DefaultSecurityGroup"]}},
        )


@pytest.mark.parametrize("which", ["default_stack", "isolated_stack", "three_stack"])
def test_no_unacknowledged_nag_findings(built: Built, which: str) -> None:
    assert_no_nag_findings(getattr(built, which))


@pytest.mark.parametrize("which", ["default_t", "isolated_t", "three_t"])
def test_cfn_lint_reports_no_errors(built: Built, which: str) -> None:
    assert cfn_lint(getattr(built, which).to_json(), region=REGION, errors_only=True) == []


# --- removal safety ---------------------------------------------------------------------------------------


def deletion_policies(app: App) -> tuple[list[str], list[Any]]:
    stack = app.node.find_child("Test")
    assert isinstance(stack, Stack)
    template = Template.from_stack(stack)
    policies = [
        r["DeletionPolicy"] for t in ("AWS::Logs::LogGroup", "AWS::KMS::Key") for r in resources(template, t).values()
    ]
    warnings = Annotations.from_stack(stack).find_warning("/Test/Network", Match.string_like_regexp("DESTROY"))
    return policies, warnings


def test_destroy_is_reverted_to_retain_without_the_context_flag() -> None:
    stack = new_stack()
    DataPlatformVpc(stack, "Network", removal_policy=RemovalPolicy.DESTROY)
    policies, warnings = deletion_policies(stack.node.scope)  # type: ignore[arg-type]
    assert policies == ["Retain", "Retain"]
    assert len(warnings) == 1


def test_destroy_applies_with_the_context_flag() -> None:
    stack = new_stack(**{ALLOW_DESTROY_CONTEXT: "true"})
    DataPlatformVpc(stack, "Network", removal_policy=RemovalPolicy.DESTROY)
    policies, warnings = deletion_policies(stack.node.scope)  # type: ignore[arg-type]
    assert policies == ["Delete", "Delete"]
    assert warnings == []
