"""Every network rule fails at construction with the field, the value and what is allowed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aws_cdk import CfnParameter, Environment, Fn, Stack
from aws_cdk.assertions import Template

from emr_constructs.errors import EmrConfigError
from emr_constructs.network import (
    DataPlatformVpc,
    ExistingNetwork,
    ExistingNetworkProps,
    InterfaceEndpoint,
    VpcProps,
)
from tests.support import new_app, new_stack

RETENTIONS = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
CIDR_FORMAT = (
    "not an IPv4 network in CIDR notation; allowed: an IPv4 CIDR block with its host bits zero, e.g. '10.0.0.0/16'"
)
EXISTING = ExistingNetworkProps(
    vpc_id="vpc-0a1b2c3d",
    vpc_cidr="10.8.0.0/16",
    availability_zones=("eu-west-1a", "eu-west-1b"),
    private_subnet_ids=("subnet-0a1b2c3d", "subnet-0a1b2c3e"),
)


def vpc_error(**props: Any) -> str:
    with pytest.raises(EmrConfigError) as caught:
        DataPlatformVpc(new_stack(), "Network", props=VpcProps(**props))
    return str(caught.value)


def existing_error(stack: Stack | None = None, **changes: Any) -> str:
    with pytest.raises(EmrConfigError) as caught:
        ExistingNetwork(stack or new_stack(), "Network", props=dataclasses.replace(EXISTING, **changes))
    return str(caught.value)


# --- DataPlatformVpc ---------------------------------------------------------------------------------------


def test_fails_cidr_that_does_not_parse() -> None:
    assert vpc_error(cidr="10.0.0.300/16") == f"Test/Network: cidr='10.0.0.300/16' is invalid: {CIDR_FORMAT}"


def test_fails_cidr_with_host_bits_set() -> None:
    assert vpc_error(cidr="10.0.0.1/16") == f"Test/Network: cidr='10.0.0.1/16' is invalid: {CIDR_FORMAT}"


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "10.0.0.0/29"])
def test_fails_cidr_prefix_outside_16_to_28(cidr: str) -> None:
    assert vpc_error(cidr=cidr) == (
        f"Test/Network: cidr={cidr!r} is invalid: EC2 only accepts VPC CIDR prefixes from /16 to /28; "
        "allowed: a prefix length of 16-28"
    )


def test_fails_subnets_that_do_not_fit_without_overlapping() -> None:
    # Six /22 cluster subnets need 6,144 addresses; a /20 has 4,096.
    assert vpc_error(cidr="10.0.0.0/20", max_azs=6, nat_gateways=0, private_subnet_mask=22) == (
        "Test/Network: cidr='10.0.0.0/20' is invalid: the subnets (6 x /22) do not fit in the VPC's 4096 addresses "
        "without overlapping; allowed: a larger VPC CIDR, a longer subnet prefix (smaller subnets) or fewer AZs"
    )


def test_fails_public_tier_that_no_longer_fits_after_the_private_one() -> None:
    # Two /21 cluster subnets fill the /20 exactly; the public tier has no room left.
    assert vpc_error(cidr="10.0.0.0/20", max_azs=2, private_subnet_mask=21) == (
        "Test/Network: cidr='10.0.0.0/20' is invalid: the subnets (2 x /21 and 2 x /26) do not fit in the VPC's "
        "4096 addresses without overlapping; allowed: a larger VPC CIDR, a longer subnet prefix (smaller subnets) "
        "or fewer AZs"
    )


def test_public_subnet_mask_is_ignored_without_nat_gateways() -> None:
    # The same sizes fail with a NAT gateway (test above): without one there is no public tier to place.
    props = VpcProps(cidr="10.0.0.0/20", max_azs=2, private_subnet_mask=21, nat_gateways=0)
    assert props.problems() == []
    network = DataPlatformVpc(new_stack(), "Network", props=props)
    assert network.vpc.public_subnets == []
    assert [s.ipv4_cidr_block for s in network.cluster_subnets] == ["10.0.0.0/21", "10.0.8.0/21"]


@pytest.mark.parametrize(("field", "mask"), [("private_subnet_mask", 15), ("public_subnet_mask", 29)])
def test_fails_subnet_mask_outside_vpc_prefix_to_28(field: str, mask: int) -> None:
    assert vpc_error(**{field: mask}) == (
        f"Test/Network: {field}={mask} is invalid: subnet prefix must lie between the VPC's prefix and /28; "
        "allowed: 16-28"
    )


def test_fails_subnet_larger_than_the_vpc() -> None:
    assert vpc_error(cidr="10.0.0.0/24") == (
        "Test/Network: private_subnet_mask=20 is invalid: subnet prefix must lie between the VPC's prefix and /28; "
        "allowed: 24-28"
    )


@pytest.mark.parametrize("azs", [0, 7])
def test_fails_max_azs_outside_1_to_6(azs: int) -> None:
    assert vpc_error(max_azs=azs, nat_gateways=0) == (
        f"Test/Network: max_azs={azs} is invalid: number of Availability Zones out of range; allowed: 1-6"
    )


def test_fails_nat_gateways_above_max_azs() -> None:
    assert vpc_error(max_azs=2, nat_gateways=3) == (
        "Test/Network: nat_gateways=3 is invalid: NAT gateway count must be between 0 and max_azs; "
        "allowed: 0-2 (at most one per AZ)"
    )


def test_fails_negative_nat_gateways() -> None:
    assert vpc_error(nat_gateways=-1) == (
        "Test/Network: nat_gateways=-1 is invalid: NAT gateway count must be between 0 and max_azs; "
        "allowed: 0-3 (at most one per AZ)"
    )


def test_fails_retention_that_cloudwatch_does_not_offer() -> None:
    assert vpc_error(flow_log_retention_days=10) == (
        "Test/Network: flow_log_retention_days=10 is invalid: CloudWatch Logs does not offer this retention "
        f"period; allowed: {RETENTIONS}"
    )


def test_fails_unknown_interface_endpoint() -> None:
    endpoints = "elasticmapreduce, sts, kms, logs, monitoring, ssm, ssmmessages, ec2messages, secretsmanager, glue"
    assert vpc_error(interface_endpoints=(InterfaceEndpoint.STS, "s3")) == (
        f"Test/Network: interface_endpoints[1]='s3' is invalid: unknown interface endpoint; allowed: {endpoints}"
    )


def test_fails_interface_endpoint_listed_twice() -> None:
    assert vpc_error(interface_endpoints=(InterfaceEndpoint.KMS, InterfaceEndpoint.KMS)) == (
        "Test/Network: interface_endpoints[1]=<InterfaceEndpoint.KMS: 'kms'> is invalid: endpoint listed more "
        "than once; allowed: each once"
    )


def test_fails_unknown_flow_log_traffic_type() -> None:
    assert vpc_error(flow_log_traffic_type="SOME") == (
        "Test/Network: flow_log_traffic_type='SOME' is invalid: unknown flow log traffic type; "
        "allowed: ALL, ACCEPT, REJECT"
    )


def test_fails_with_every_problem_at_once() -> None:
    assert vpc_error(cidr="10.0.0.0/33", max_azs=9, flow_log_retention_days=0).splitlines() == [
        f"Test/Network: cidr='10.0.0.0/33' is invalid: {CIDR_FORMAT}",
        "Test/Network: max_azs=9 is invalid: number of Availability Zones out of range; allowed: 1-6",
        "Test/Network: flow_log_retention_days=0 is invalid: CloudWatch Logs does not offer this retention "
        f"period; allowed: {RETENTIONS}",
    ]


def test_unresolved_tokens_are_left_to_deploy_time() -> None:
    stack = new_stack()
    props = VpcProps(
        cidr=CfnParameter(stack, "Cidr").value_as_string,
        max_azs=CfnParameter(stack, "Azs", type="Number").value_as_number,
        flow_log_retention_days=CfnParameter(stack, "Days", type="Number").value_as_number,
    )
    assert props.problems() == []
    vpc_id = CfnParameter(stack, "VpcId").value_as_string
    subnets = (CfnParameter(stack, "SubnetA").value_as_string, CfnParameter(stack, "SubnetB").value_as_string)
    zones = (Fn.select(0, Fn.get_azs()), Fn.select(1, Fn.get_azs()))
    existing = dataclasses.replace(EXISTING, vpc_id=vpc_id, private_subnet_ids=subnets, availability_zones=zones)
    assert existing.problems() == []


def test_interface_endpoint_default_follows_nat_gateways() -> None:
    assert VpcProps().resolved_interface_endpoints() == ()
    isolated = dataclasses.replace(VpcProps(), nat_gateways=0)
    assert isolated.resolved_interface_endpoints() == tuple(InterfaceEndpoint)
    chosen = VpcProps(nat_gateways=0, interface_endpoints=(InterfaceEndpoint.STS,))
    assert chosen.resolved_interface_endpoints() == (InterfaceEndpoint.STS,)
    assert VpcProps(nat_gateways=0, interface_endpoints=()).resolved_interface_endpoints() == ()


# --- ExistingNetwork ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("vpc_id", ["vpc-0a1b2c3", "vpc-0A1B2C3D", "subnet-0a1b2c3d", "vpc-0a1b2c3d4e5f6071"])
def test_fails_malformed_vpc_id(vpc_id: str) -> None:
    assert existing_error(vpc_id=vpc_id) == (
        f"Test/Network: vpc_id={vpc_id!r} is invalid: not a VPC id; "
        "allowed: 'vpc-' followed by 8 or 17 lowercase hex digits"
    )


def test_fails_malformed_subnet_id() -> None:
    assert existing_error(private_subnet_ids=("subnet-0a1b2c3d", "sub-0a1b2c3e")) == (
        "Test/Network: private_subnet_ids[1]='sub-0a1b2c3e' is invalid: not a subnet id; "
        "allowed: 'subnet-' followed by 8 or 17 lowercase hex digits"
    )


def test_fails_subnet_listed_twice() -> None:
    assert existing_error(private_subnet_ids=("subnet-0a1b2c3d", "subnet-0a1b2c3d")) == (
        "Test/Network: private_subnet_ids[1]='subnet-0a1b2c3d' is invalid: id listed more than once; "
        "allowed: each id once"
    )


def test_fails_subnet_count_different_from_az_count() -> None:
    assert existing_error(private_subnet_ids=("subnet-0a1b2c3d",)) == (
        "Test/Network: private_subnet_ids=('subnet-0a1b2c3d',) is invalid: one subnet per Availability Zone: "
        "got 1 for 2 AZs; allowed: exactly 2 subnet ids, in the order of availability_zones"
    )


def test_fails_malformed_vpc_cidr() -> None:
    assert existing_error(vpc_cidr="10.8.0.0") == (
        "Test/Network: vpc_cidr='10.8.0.0' is invalid: EC2 only accepts VPC CIDR prefixes from /16 to /28; "
        "allowed: a prefix length of 16-28"
    )
    assert existing_error(vpc_cidr="vpc") == f"Test/Network: vpc_cidr='vpc' is invalid: {CIDR_FORMAT}"


def test_fails_az_id_instead_of_az_name() -> None:
    assert existing_error(availability_zones=("euw1-az1", "eu-west-1b")) == (
        "Test/Network: availability_zones[0]='euw1-az1' is invalid: not an Availability Zone name (AZ ids such "
        "as 'use1-az1' are not accepted); allowed: a name such as 'eu-west-1a'"
    )


def test_fails_az_listed_twice() -> None:
    assert existing_error(availability_zones=("eu-west-1a", "eu-west-1a")) == (
        "Test/Network: availability_zones[1]='eu-west-1a' is invalid: AZ listed more than once; allowed: each AZ once"
    )


def test_fails_azs_of_two_regions() -> None:
    assert existing_error(availability_zones=("eu-west-1a", "us-east-1b")) == (
        "Test/Network: availability_zones=('eu-west-1a', 'us-east-1b') is invalid: AZs of more than one region "
        "(eu-west-1, us-east-1); allowed: AZs of the VPC's region only"
    )


def test_fails_no_az() -> None:
    assert existing_error(availability_zones=(), private_subnet_ids=()) == (
        "Test/Network: availability_zones=() is invalid: no Availability Zone given; allowed: 1 or more AZ names"
    )


def test_fails_az_of_another_region_than_the_stack() -> None:
    stack = Stack(new_app(), "Test", env=Environment(account="123456789012", region="us-east-1"))
    assert existing_error(stack).splitlines() == [
        "Test/Network: availability_zones[0]='eu-west-1a' is invalid: AZ of another region than the stack's "
        "(us-east-1); allowed: an AZ of us-east-1",
        "Test/Network: availability_zones[1]='eu-west-1b' is invalid: AZ of another region than the stack's "
        "(us-east-1); allowed: an AZ of us-east-1",
    ]


def test_accepts_local_zone_and_govcloud_names() -> None:
    for zones in (("us-west-2a", "us-west-2-lax-1a"), ("us-gov-west-1a", "us-gov-west-1b")):
        assert dataclasses.replace(EXISTING, availability_zones=zones).problems() == []


def test_fails_malformed_route_table_id_and_count() -> None:
    assert existing_error(private_route_table_ids=("rtb-xyz",)).splitlines() == [
        "Test/Network: private_route_table_ids[0]='rtb-xyz' is invalid: not a route table id; "
        "allowed: 'rtb-' followed by 8 or 17 lowercase hex digits",
        "Test/Network: private_route_table_ids=('rtb-xyz',) is invalid: one route table per subnet: got 1 for 2 "
        "subnets; allowed: exactly 2 route table ids, or none",
    ]


def test_fails_named_azs_that_disagree_with_max_azs() -> None:
    assert vpc_error(max_azs=3, nat_gateways=0, availability_zones=("eu-west-1a", "eu-west-1b")) == (
        "Test/Network: availability_zones=('eu-west-1a', 'eu-west-1b') is invalid: 2 AZs named but max_azs is 3; "
        "allowed: exactly max_azs (3) AZ names, or () to let CDK pick"
    )


def test_fails_named_az_that_is_an_az_id() -> None:
    assert vpc_error(max_azs=1, nat_gateways=0, availability_zones=("euw1-az1",)) == (
        "Test/Network: availability_zones[0]='euw1-az1' is invalid: not an Availability Zone name "
        "(AZ ids such as 'use1-az1' are not accepted); allowed: a name such as 'eu-west-1a'"
    )


def test_named_azs_give_three_azs_without_a_lookup_in_an_agnostic_stack() -> None:
    stack = new_stack()
    DataPlatformVpc(
        stack,
        "Network",
        props=VpcProps(max_azs=3, nat_gateways=0, availability_zones=("eu-west-1a", "eu-west-1b", "eu-west-1c")),
    )
    subnets = Template.from_stack(stack).find_resources("AWS::EC2::Subnet")
    assert sorted(s["Properties"]["AvailabilityZone"] for s in subnets.values()) == [
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    ]
