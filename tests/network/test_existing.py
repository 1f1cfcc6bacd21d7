"""ExistingNetwork: imports a VPC from settings without lookups and creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import CfnResource, Environment, Stack
from aws_cdk.assertions import Annotations, Match, Template

from emr_constructs.network import ExistingNetwork, ExistingNetworkProps, IPlatformNetwork
from tests.support import new_app

PROPS = ExistingNetworkProps(
    vpc_id="vpc-0a1b2c3d4e5f60718",
    vpc_cidr="10.8.0.0/16",
    availability_zones=("eu-west-1a", "eu-west-1b", "eu-west-1c"),
    private_subnet_ids=("subnet-0a1b2c3d", "subnet-0a1b2c3e", "subnet-0a1b2c3f"),
    private_route_table_ids=("rtb-0a1b2c3d", "rtb-0a1b2c3e", "rtb-0a1b2c3f"),
)


def _placeholder(stack: Stack) -> None:
    """CDK refuses to synthesize a stack without resources, and an ExistingNetwork creates none."""
    CfnResource(stack, "Placeholder", type="AWS::CloudFormation::WaitConditionHandle").override_logical_id(
        "Placeholder"
    )


def test_imports_the_vpc_and_subnets_from_settings_and_creates_nothing() -> None:
    stack = Stack(new_app(), "Test", env=Environment(account="123456789012", region="eu-west-1"))
    network = ExistingNetwork(stack, "Network", props=PROPS)
    _placeholder(stack)

    assert isinstance(network, IPlatformNetwork)
    assert stack.resolve(network.vpc.vpc_id) == PROPS.vpc_id
    assert stack.resolve(network.vpc.vpc_cidr_block) == PROPS.vpc_cidr
    assert [s.subnet_id for s in network.cluster_subnets] == list(PROPS.private_subnet_ids)
    assert [s.availability_zone for s in network.cluster_subnets] == list(PROPS.availability_zones)
    assert [s.route_table.route_table_id for s in network.cluster_subnets] == list(PROPS.private_route_table_ids)
    assert network.availability_zones == list(PROPS.availability_zones)
    assert list(Template.from_stack(stack).to_json()["Resources"]) == ["Placeholder"]
    # No lookup: nothing is missing from the context, so `cdk synth` never needs AWS.
    assembly = stack.node.scope.synth()  # type: ignore[union-attr]
    assert "missing" not in json.loads((Path(assembly.directory) / "manifest.json").read_text())


def test_without_route_tables_synthesizes_without_warnings() -> None:
    stack = Stack(new_app(), "Test")
    props = ExistingNetworkProps(
        vpc_id=PROPS.vpc_id,
        vpc_cidr=PROPS.vpc_cidr,
        availability_zones=PROPS.availability_zones,
        private_subnet_ids=PROPS.private_subnet_ids,
    )
    ExistingNetwork(stack, "Network", props=props)
    _placeholder(stack)
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []
