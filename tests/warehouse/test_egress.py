"""The warehouse's security group: HTTPS out to the interface endpoints and S3 only, or acknowledged."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from emr_constructs.errors import EmrConfigError
from emr_constructs.guard import GUARD_PLUGIN, GuardRule
from emr_constructs.network import DataPlatformVpc, VpcProps
from emr_constructs.storage import DataLake
from emr_constructs.warehouse import Warehouse, WarehouseProps
from tests.support import new_stack


def _build(props: WarehouseProps) -> tuple[Warehouse, list[dict[str, Any]]]:
    stack = new_stack()
    warehouse = Warehouse(
        stack,
        "Warehouse",
        network=DataPlatformVpc(stack, "Network", props=VpcProps(nat_gateways=0)),
        lake=DataLake(stack, "Lake"),
        props=props,
    )
    resources = Template.from_stack(stack).to_json()["Resources"]
    group_id = stack.get_logical_id(warehouse.security_group.node.default_child)  # type: ignore[arg-type]
    rules = list(resources[group_id]["Properties"].get("SecurityGroupEgress", []))
    rules += [
        body["Properties"]
        for body in resources.values()
        if body["Type"] == "AWS::EC2::SecurityGroupEgress"
        and body["Properties"]["GroupId"] == {"Fn::GetAtt": [group_id, "GroupId"]}
    ]
    return warehouse, rules


def _acknowledged(warehouse: Warehouse) -> set[str]:
    entries = [m.data for m in warehouse.security_group.node.metadata if m.type == "aws:cdk:acknowledged-rules"]
    return {key for entry in entries for key in entry}


@pytest.mark.parametrize("prefix_list", ["pl-6ea54007", "pl-0123456789abcdef0"])
def test_with_prefix_list_https_goes_to_s3_and_the_endpoints_only(prefix_list: str) -> None:
    warehouse, rules = _build(WarehouseProps(s3_prefix_list_id=prefix_list))
    assert not [rule for rule in rules if rule.get("CidrIp") == "0.0.0.0/0"]
    assert [rule.get("DestinationPrefixListId") for rule in rules if "DestinationPrefixListId" in rule] == [prefix_list]
    assert len([rule for rule in rules if "DestinationSecurityGroupId" in rule]) == 1
    assert all((rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 443, 443) for rule in rules)
    assert _acknowledged(warehouse) == set()


def test_without_prefix_list_https_anywhere_is_acknowledged() -> None:
    warehouse, rules = _build(WarehouseProps())
    assert [rule["CidrIp"] for rule in rules if "CidrIp" in rule] == ["0.0.0.0/0"]
    assert _acknowledged(warehouse) == {f"{GUARD_PLUGIN}::{GuardRule.EGRESS_OPEN_TO_WORLD}"}


def test_fails_s3_prefix_list_id() -> None:
    with pytest.raises(EmrConfigError) as raised:
        _build(WarehouseProps(s3_prefix_list_id="pl-6EA54007"))
    assert str(raised.value) == (
        "Test/Warehouse: s3_prefix_list_id='pl-6EA54007' is invalid: not a prefix list id; "
        "allowed: pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'"
    )
