"""EmrSecurityGroups with egress=VPC_ENDPOINTS: only what a cluster in a private subnet needs goes out."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnResource
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from emr_constructs.errors import EmrConfigError
from emr_constructs.guard import GUARD_PLUGIN, GuardRule
from emr_constructs.network import EmrEgress, EmrSecurityGroups, ExistingNetwork
from tests.network.test_security_groups import NETWORK
from tests.support import new_stack


def _build(**kwargs: Any) -> tuple[EmrSecurityGroups, dict[str, Any]]:
    stack = new_stack()
    network = ExistingNetwork(stack, "Network", props=NETWORK)
    endpoints = ec2.SecurityGroup(stack, "Endpoints", vpc=network.vpc, allow_all_outbound=False)
    kwargs.setdefault("endpoint_security_group", endpoints)
    groups = EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc, egress=EmrEgress.VPC_ENDPOINTS, **kwargs)
    # Stands in for the EMR cluster, which must not be created before the rules.
    CfnResource(stack, "Cluster", type="AWS::CloudFormation::WaitConditionHandle").node.add_dependency(groups.rules)
    return groups, Template.from_stack(stack).to_json()["Resources"]


def _egress(resources: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """Every egress rule of the group whose logical id starts with ``prefix``: inline and separate resources."""
    ((group_id, body),) = [
        (k, b) for k, b in resources.items() if k.startswith(prefix) and b["Type"] == "AWS::EC2::SecurityGroup"
    ]
    rules = list(body["Properties"].get("SecurityGroupEgress", []))
    for other in resources.values():
        props = other.get("Properties", {})
        if other["Type"] == "AWS::EC2::SecurityGroupEgress" and props["GroupId"] == {
            "Fn::GetAtt": [group_id, "GroupId"]
        }:
            rules.append({k: v for k, v in props.items() if k != "GroupId"})
    return rules


ID_PATH = "PrefixLists.0.PrefixListId"
#: CDK's "match no traffic" entry of a group with allow_all_outbound=False.
NO_TRAFFIC = {
    "CidrIp": "255.255.255.255/32",
    "Description": "Disallow all traffic",
    "FromPort": 252,
    "IpProtocol": "icmp",
    "ToPort": 86,
}


def _prefix_lists(egress: list[dict[str, Any]]) -> list[Any]:
    return [rule["DestinationPrefixListId"] for rule in egress if "DestinationPrefixListId" in rule]


@pytest.mark.parametrize("given", [True, False], ids=["given", "looked-up"])
def test_no_all_traffic_to_any_address(given: bool) -> None:
    ids = {"s3_prefix_list_id": "pl-6ea54007", "dynamodb_prefix_list_id": "pl-66a5400f"} if given else {}
    _, resources = _build(**ids)
    for prefix in ("EmrGroupsPrimary", "EmrGroupsCore"):
        egress = _egress(resources, prefix)
        # Only CDK's placeholder names an address: it keeps EC2's default all-traffic rule off the group.
        assert [rule for rule in egress if "CidrIp" in rule or "CidrIpv6" in rule] == [NO_TRAFFIC]
        assert len(_prefix_lists(egress)) == 2
        to_addresses = [rule for rule in egress if "DestinationSecurityGroupId" not in rule and rule != NO_TRAFFIC]
        assert all((rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 443, 443) for rule in to_addresses)
    if given:
        assert _prefix_lists(_egress(resources, "EmrGroupsCore")) == ["pl-6ea54007", "pl-66a5400f"]
        assert not [b for b in resources.values() if b["Type"] == "Custom::AWS"]


def test_prefix_lists_not_given_are_looked_up_at_deployment() -> None:
    groups, resources = _build()
    lookups = {k: b["Properties"] for k, b in resources.items() if b["Type"] == "Custom::AWS"}
    by_service = {}
    for logical_id, props in lookups.items():
        call = props["Create"]["Fn::Join"][1]
        assert call[0].startswith('{"action":"describeManagedPrefixLists","service":"EC2"')
        assert call[1] == {"Ref": "AWS::Region"}
        by_service[call[2].split('"')[0]] = logical_id
    assert set(by_service) == {".s3", ".dynamodb"}
    egress = _egress(resources, "EmrGroupsPrimary")
    assert [(r["DestinationPrefixListId"], r["Description"]) for r in egress if "DestinationPrefixListId" in r] == [
        ({"Fn::GetAtt": [by_service[".s3"], "PrefixLists.0.PrefixListId"]}, "HTTPS to S3 (gateway endpoint)"),
        (
            {"Fn::GetAtt": [by_service[".dynamodb"], "PrefixLists.0.PrefixListId"]},
            "HTTPS to DynamoDB (gateway endpoint)",
        ),
    ]
    # The lookup may describe prefix lists and nothing else.
    policies = [b["Properties"]["PolicyDocument"] for b in resources.values() if b["Type"] == "AWS::IAM::Policy"]
    statements = [st for doc in policies for st in doc["Statement"]]
    assert {(st["Action"], st["Resource"]) for st in statements} == {("ec2:DescribeManagedPrefixLists", "*")}
    # Nothing left to acknowledge on the groups: no rule to any address.
    entries = [m.data for m in groups.primary.node.metadata if m.type == "aws:cdk:acknowledged-rules"]
    assert entries == []


def test_all_traffic_only_among_the_cluster_groups_and_9443_to_service_access() -> None:
    _, resources = _build()
    separate = {k: b["Properties"] for k, b in resources.items() if b["Type"] == "AWS::EC2::SecurityGroupEgress"}
    all_traffic = [p for p in separate.values() if p["IpProtocol"] == "-1"]
    assert len(all_traffic) == 4
    assert all("DestinationSecurityGroupId" in p and "CidrIp" not in p for p in all_traffic)
    to_service_access = [p for k, p in separate.items() if k.startswith("EmrGroupsPrimaryToServiceAccess")]
    assert [(p["IpProtocol"], p["FromPort"], p["ToPort"]) for p in to_service_access] == [("tcp", 9443, 9443)]
    # The cluster waits for every egress rule.
    egress_ids = {k for k, b in resources.items() if b["Type"] == "AWS::EC2::SecurityGroupEgress"}
    assert egress_ids <= set(resources["Cluster"]["DependsOn"])


def test_open_egress_is_acknowledged_with_reason() -> None:
    stack = new_stack()
    network = ExistingNetwork(stack, "Network", props=NETWORK)
    groups = EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc)
    entries = [m.data for m in groups.core.node.metadata if m.type == "aws:cdk:acknowledged-rules"]
    acknowledged = {k: v for e in entries for k, v in e.items()}
    assert set(acknowledged) == {
        f"{GUARD_PLUGIN}::{GuardRule.EGRESS_OPEN_TO_WORLD}",
        f"{GUARD_PLUGIN}::{GuardRule.EGRESS_ALL_PROTOCOLS}",
    }
    assert all("EMR Management Guide" in reason for reason in acknowledged.values())


@pytest.mark.parametrize("field", ["s3_prefix_list_id", "dynamodb_prefix_list_id"])
def test_fails_prefix_list_id(field: str) -> None:
    with pytest.raises(EmrConfigError) as caught:
        _build(**{field: "pl-xyz"})
    assert str(caught.value) == (
        f"Test/EmrGroups: {field}='pl-xyz' is invalid: not a prefix list id; "
        "allowed: pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'"
    )


def test_fails_narrowing_open_egress() -> None:
    stack = new_stack()
    network = ExistingNetwork(stack, "Network", props=NETWORK)
    with pytest.raises(EmrConfigError) as caught:
        EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc, s3_prefix_list_id="pl-6ea54007")
    assert str(caught.value) == (
        "Test/EmrGroups: egress='open' is invalid: endpoint_security_group and the prefix list ids only narrow "
        "restricted egress; allowed: vpc-endpoints"
    )


@pytest.mark.parametrize("prefix_list", ["pl-6ea54007", "pl-0123456789abcdef0"])
def test_shortest_and_longest_prefix_list_ids_synthesize(prefix_list: str) -> None:
    _, resources = _build(s3_prefix_list_id=prefix_list)
    assert prefix_list in _prefix_lists(_egress(resources, "EmrGroupsCore"))
