"""Every network rule at its edges: the smallest and largest valid value build clean, one step past fails."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from aws_cdk import Fn, Token

from emr_constructs.network import ExistingNetworkProps, InterfaceEndpoint, VpcProps
from emr_constructs.network.props import allocate_subnets
from tests.rule_edges import Edge, edge_tests

RETENTIONS = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
ONE_AZ_ISOLATED: dict[str, Any] = {"max_azs": 1, "nat_gateways": 0, "interface_endpoints": ()}
SUBNETS_ALLOWED = "a larger VPC CIDR, a longer subnet prefix (smaller subnets) or fewer AZs"
#: Values known only at deploy time (an imported CIDR, the region's AZs): rules skip them, never refuse them.
CIDR_TOKEN = Fn.import_value("shared-vpc-cidr")
AZ_TOKEN = Fn.select(0, Fn.get_azs())
MASK_TOKEN = Token.as_number(Fn.import_value("shared-subnet-mask"))
EXISTING: dict[str, Any] = {
    "vpc_id": "vpc-0a1b2c3d",
    "vpc_cidr": "10.8.0.0/16",
    "availability_zones": ("eu-west-1a", "eu-west-1b"),
    "private_subnet_ids": ("subnet-0a1b2c3d", "subnet-0a1b2c3e"),
}


def mask_error(field: str, mask: int, lowest: int = 16) -> str:
    return (
        f"Test: {field}={mask} is invalid: subnet prefix must lie between the VPC's prefix and /28; "
        f"allowed: {lowest}-28"
    )


def cidr_range_error(cidr: str) -> str:
    return (
        f"Test: cidr={cidr!r} is invalid: EC2 only accepts VPC CIDR prefixes from /16 to /28; "
        "allowed: a prefix length of 16-28"
    )


EDGES = [
    Edge(
        "max_azs",
        VpcProps,
        valid=[{"max_azs": 1}, {"max_azs": 6}],
        invalid=[
            ({"max_azs": 0}, "Test: max_azs=0 is invalid: number of Availability Zones out of range; allowed: 1-6"),
            ({"max_azs": 7}, "Test: max_azs=7 is invalid: number of Availability Zones out of range; allowed: 1-6"),
        ],
    ),
    Edge(
        "nat_gateways",
        VpcProps,
        base={"max_azs": 3},
        valid=[{"nat_gateways": 0}, {"nat_gateways": 3}],
        invalid=[
            (
                {"nat_gateways": -1},
                "Test: nat_gateways=-1 is invalid: NAT gateway count must be between 0 and max_azs; "
                "allowed: 0-3 (at most one per AZ)",
            ),
            (
                {"nat_gateways": 4},
                "Test: nat_gateways=4 is invalid: NAT gateway count must be between 0 and max_azs; "
                "allowed: 0-3 (at most one per AZ)",
            ),
            # Dependent rules together: with max_azs out of range, NAT gateways are held to the AWS maximum.
            (
                {"max_azs": 7, "nat_gateways": 7},
                [
                    "Test: max_azs=7 is invalid: number of Availability Zones out of range; allowed: 1-6",
                    "Test: nat_gateways=7 is invalid: NAT gateway count must be between 0 and max_azs; "
                    "allowed: 0 to max_azs",
                ],
            ),
        ],
    ),
    Edge(
        "cidr prefix",
        VpcProps,
        base=ONE_AZ_ISOLATED,
        valid=[{"cidr": "10.0.0.0/16"}, {"cidr": "10.0.0.0/28", "private_subnet_mask": 28}],
        invalid=[
            ({"cidr": "10.0.0.0/15"}, cidr_range_error("10.0.0.0/15")),
            (
                {"cidr": "10.0.0.1/16"},
                "Test: cidr='10.0.0.1/16' is invalid: not an IPv4 network in CIDR notation; allowed: an IPv4 CIDR "
                "block with its host bits zero, e.g. '10.0.0.0/16'",
            ),
            ({"cidr": "10.0.0.0/29", "private_subnet_mask": 28}, cidr_range_error("10.0.0.0/29")),
        ],
    ),
    Edge(
        "private_subnet_mask",
        VpcProps,
        base=ONE_AZ_ISOLATED,
        valid=[{"private_subnet_mask": 16}, {"private_subnet_mask": 28}],
        invalid=[
            ({"private_subnet_mask": 15}, mask_error("private_subnet_mask", 15)),
            ({"private_subnet_mask": 29}, mask_error("private_subnet_mask", 29)),
            ({"cidr": "10.0.0.0/20", "private_subnet_mask": 19}, mask_error("private_subnet_mask", 19, lowest=20)),
        ],
    ),
    Edge(
        "public_subnet_mask",
        VpcProps,
        base={"max_azs": 1, "nat_gateways": 1, "private_subnet_mask": 17},
        valid=[{"public_subnet_mask": 17}, {"public_subnet_mask": 28}],
        invalid=[
            ({"public_subnet_mask": 15}, mask_error("public_subnet_mask", 15)),
            ({"public_subnet_mask": 29}, mask_error("public_subnet_mask", 29)),
        ],
    ),
    Edge(
        "public_subnet_mask unused without NAT gateways",
        VpcProps,
        base=ONE_AZ_ISOLATED,
        valid=[{"public_subnet_mask": 4}, {"public_subnet_mask": 32}],
        invalid=[({"nat_gateways": 1, "public_subnet_mask": 32}, mask_error("public_subnet_mask", 32))],
    ),
    Edge(
        "subnets fit in the VPC",
        VpcProps,
        base={"nat_gateways": 0, "interface_endpoints": (), "private_subnet_mask": 17},
        valid=[{"max_azs": 2}, {"max_azs": 1, "nat_gateways": 1, "public_subnet_mask": 17}],
        invalid=[
            (
                {"max_azs": 3},
                "Test: cidr='10.0.0.0/16' is invalid: the subnets (3 x /17) do not fit in the VPC's 65536 addresses "
                f"without overlapping; allowed: {SUBNETS_ALLOWED}",
            ),
            (
                {"max_azs": 1, "nat_gateways": 1, "public_subnet_mask": 16},
                "Test: cidr='10.0.0.0/16' is invalid: the subnets (1 x /17 and 1 x /16) do not fit in the VPC's "
                f"65536 addresses without overlapping; allowed: {SUBNETS_ALLOWED}",
            ),
        ],
    ),
    Edge(
        "flow_log_retention_days",
        VpcProps,
        valid=[{"flow_log_retention_days": 1}, {"flow_log_retention_days": 3653}],
        invalid=[
            (
                {"flow_log_retention_days": days},
                f"Test: flow_log_retention_days={days} is invalid: CloudWatch Logs does not offer this retention "
                f"period; allowed: {RETENTIONS}",
            )
            for days in (0, 2, 3654)
        ],
    ),
    Edge(
        "availability_zones match max_azs",
        VpcProps,
        base={"nat_gateways": 0, "interface_endpoints": ()},
        valid=[
            {"max_azs": 1, "availability_zones": ("eu-west-1a",)},
            {"max_azs": 3, "availability_zones": ("eu-west-1a", "eu-west-1b", "eu-west-1c")},
        ],
        invalid=[
            (
                {"max_azs": 3, "availability_zones": ("eu-west-1a", "eu-west-1b")},
                "Test: availability_zones=('eu-west-1a', 'eu-west-1b') is invalid: 2 AZs named but max_azs is 3; "
                "allowed: exactly max_azs (3) AZ names, or () to let CDK pick",
            ),
            (
                {"max_azs": 1, "availability_zones": ("eu-west-1a", "eu-west-1b")},
                "Test: availability_zones=('eu-west-1a', 'eu-west-1b') is invalid: 2 AZs named but max_azs is 1; "
                "allowed: exactly max_azs (1) AZ names, or () to let CDK pick",
            ),
        ],
    ),
    Edge(
        "interface_endpoints each once",
        VpcProps,
        valid=[{"interface_endpoints": ()}, {"interface_endpoints": tuple(InterfaceEndpoint)}],
        invalid=[
            (
                {"interface_endpoints": (InterfaceEndpoint.STS, InterfaceEndpoint.STS)},
                f"Test: interface_endpoints[1]={InterfaceEndpoint.STS!r} is invalid: endpoint listed more than once; "
                "allowed: each once",
            ),
        ],
    ),
    Edge(
        "unresolved values are skipped, the resolved ones beside them still checked",
        VpcProps,
        base=ONE_AZ_ISOLATED,
        valid=[{"cidr": CIDR_TOKEN}, {"availability_zones": (AZ_TOKEN,)}, {"private_subnet_mask": MASK_TOKEN}],
        invalid=[
            (
                {"max_azs": 2, "availability_zones": (AZ_TOKEN, "eu-west-1")},
                "Test: availability_zones[1]='eu-west-1' is invalid: not an Availability Zone name (AZ ids such "
                "as 'use1-az1' are not accepted); allowed: a name such as 'eu-west-1a'",
            ),
            ({"cidr": CIDR_TOKEN, "private_subnet_mask": 29}, mask_error("private_subnet_mask", 29)),
        ],
    ),
    Edge(
        "existing network route tables, one per subnet or none",
        ExistingNetworkProps,
        base=EXISTING,
        valid=[{"private_route_table_ids": ()}, {"private_route_table_ids": ("rtb-0a1b2c3d", "rtb-0a1b2c3e")}],
        invalid=[
            (
                {"private_route_table_ids": ("rtb-0a1b2c3d",)},
                "Test: private_route_table_ids=('rtb-0a1b2c3d',) is invalid: one route table per subnet: got 1 for "
                "2 subnets; allowed: exactly 2 route table ids, or none",
            )
        ],
    ),
    Edge(
        "existing network subnets",
        ExistingNetworkProps,
        base=EXISTING,
        valid=[{}, {"availability_zones": ("eu-west-1a",), "private_subnet_ids": ("subnet-0a1b2c3d",)}],
        invalid=[
            (
                {"private_subnet_ids": ("subnet-0a1b2c3d", "subnet-0a1b2c3d")},
                "Test: private_subnet_ids[1]='subnet-0a1b2c3d' is invalid: id listed more than once; "
                "allowed: each id once",
            ),
        ],
    ),
]


test_valid_edge_builds_clean, test_fails_one_step_past_the_edge = edge_tests(EDGES)


def test_subnets_are_allocated_in_order_each_aligned_to_its_size() -> None:
    """The blocks the fit rule checks are the blocks the VPC gets: private tier first, then public."""
    network = ipaddress.IPv4Network("10.0.0.0/16")
    assert allocate_subnets(network, 2, [20, 26]) == [
        ipaddress.IPv4Network(block) for block in ("10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/26", "10.0.32.64/26")
    ]
    assert allocate_subnets(network, 2, [17]) == [ipaddress.IPv4Network(b) for b in ("10.0.0.0/17", "10.0.128.0/17")]
    with pytest.raises(ValueError, match="does not fit"):
        allocate_subnets(network, 3, [17])
