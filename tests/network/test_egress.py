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


def test_no_all_traffic_to_any_address() -> None:
    _, resources = _build(s3_prefix_list_id="pl-6ea54007")
    for prefix in ("EmrGroupsPrimary", "EmrGroupsCore"):
        egress = _egress(resources, prefix)
        assert not [rule for rule in egress if rule.get("CidrIp") == "0.0.0.0/0"]
        assert {rule.get("DestinationPrefixListId") for rule in egress} >= {"pl-6ea54007"}
        to_addresses = [rule for rule in egress if "DestinationSecurityGroupId" not in rule]
        assert all(rule["IpProtocol"] == "tcp" and rule["FromPort"] == 443 for rule in to_addresses)


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


def test_https_anywhere_without_prefix_list_is_acknowledged() -> None:
    groups, resources = _build()
    egress = _egress(resources, "EmrGroupsPrimary")
    assert {
        "CidrIp": "0.0.0.0/0",
        "Description": "HTTPS to S3 (gateway endpoint)",
        "FromPort": 443,
        "IpProtocol": "tcp",
        "ToPort": 443,
    } in egress
    entries = [m.data for m in groups.primary.node.metadata if m.type == "aws:cdk:acknowledged-rules"]
    assert {f"{GUARD_PLUGIN}::{GuardRule.EGRESS_OPEN_TO_WORLD}"} == {k for e in entries for k in e}


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


def test_fails_s3_prefix_list_id() -> None:
    with pytest.raises(EmrConfigError) as caught:
        _build(s3_prefix_list_id="pl-xyz")
    assert str(caught.value) == (
        "Test/EmrGroups: s3_prefix_list_id='pl-xyz' is invalid: not a prefix list id; "
        "allowed: pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'"
    )


def test_fails_narrowing_open_egress() -> None:
    stack = new_stack()
    network = ExistingNetwork(stack, "Network", props=NETWORK)
    with pytest.raises(EmrConfigError) as caught:
        EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc, s3_prefix_list_id="pl-6ea54007")
    assert str(caught.value) == (
        "Test/EmrGroups: egress='open' is invalid: endpoint_security_group and s3_prefix_list_id only narrow "
        "restricted egress; allowed: vpc-endpoints"
    )


@pytest.mark.parametrize("prefix_list", ["pl-6ea54007", "pl-0123456789abcdef0"])
def test_shortest_and_longest_prefix_list_ids_synthesize(prefix_list: str) -> None:
    _, resources = _build(s3_prefix_list_id=prefix_list)
    assert {r.get("DestinationPrefixListId") for r in _egress(resources, "EmrGroupsCore")} >= {prefix_list}
