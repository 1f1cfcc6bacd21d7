"""Settings of the network constructs, and the pure-data rules EC2 and CloudWatch enforce at deploy time.

Both props classes are parsed straight from the JSON settings files (keys = field names, enums by
value), so every field is plain data and every rule lives in ``problems()``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from emr_constructs.errors import Checks, Problem, is_token
from emr_constructs.props import ValidatedProps

#: EC2 accepts VPC (and subnet) CIDR blocks from /16 to /28.
#: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
MIN_PREFIX = 16
MAX_PREFIX = 28

#: The retention periods (days) ``PutRetentionPolicy`` accepts.
#: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip

#: Largest AZ count a region offers today (us-east-1 has six).
MAX_AZS = 6

_VPC_ID = re.compile(r"^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_SUBNET_ID = re.compile(r"^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_ROUTE_TABLE_ID = re.compile(r"^rtb-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
# Region name plus a zone letter (``eu-west-1a``, ``us-gov-west-1b``), or a Local Zone (``us-west-2-lax-1a``).
_AZ_NAME = re.compile(r"^(?P<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)(?:[a-z]|-[a-z]+-\d+[a-z])$")

_HEX_ID_ALLOWED = "'{prefix}-' followed by 8 or 17 lowercase hex digits"


class InterfaceEndpoint(StrEnum):
    """AWS services a cluster in a private subnet talks to; the value is the endpoint's service name.

    ``com.amazonaws.<region>.<value>`` is the interface endpoint; with private DNS on, the service's
    normal host name resolves to it, so nothing on the cluster needs configuring.
    """

    EMR = "elasticmapreduce"
    STS = "sts"
    KMS = "kms"
    CLOUDWATCH_LOGS = "logs"
    CLOUDWATCH_MONITORING = "monitoring"
    SSM = "ssm"
    #: Session Manager's data channel; without it ``aws ssm start-session`` hangs.
    SSM_MESSAGES = "ssmmessages"
    #: Used by the SSM agent on Amazon Linux 2 based EMR releases.
    EC2_MESSAGES = "ec2messages"
    SECRETS_MANAGER = "secretsmanager"
    GLUE = "glue"


class FlowLogTrafficType(StrEnum):
    """Which traffic the VPC flow log records."""

    ALL = "ALL"
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"


@dataclass(frozen=True, kw_only=True)
class VpcProps(ValidatedProps):
    """The data part of :class:`~emr_constructs.network.DataPlatformVpc`."""

    cidr: str = "10.0.0.0/16"
    """IPv4 CIDR of the VPC. Default ``10.0.0.0/16``, the largest block EC2 allows, so clusters never run out
    of addresses. Must parse, have its host bits zero and a prefix from /16 to /28."""

    max_azs: int = 3
    """Availability Zones to spread subnets over, 1-6. Default 3: a cluster lives in one AZ, more let instance
    fleets pick the AZ with capacity, and Redshift Serverless needs subnets in three AZs (so the default network
    and the default :class:`~emr_constructs.warehouse.Warehouse` fit together). In an environment-agnostic stack
    the first ``max_azs`` AZs of the deploy region are selected with ``Fn::GetAZs``."""

    availability_zones: tuple[str, ...] = ()
    """Explicit AZ names (``eu-west-1a``, ...), ``max_azs`` of them. Default ``()``: CDK picks the first
    ``max_azs`` AZs of the region (``Fn::GetAZs`` in an environment-agnostic stack; a context lookup for a stack
    with an account and region). Naming them needs no lookup, so a region-specific environment gets its AZs
    without AWS credentials at synth time."""

    nat_gateways: int = 1
    """NAT gateways, 0 to ``max_azs``. Default 1 (cheap egress for package installs). 0 makes the cluster
    subnets ISOLATED and removes the public tier and internet gateway entirely; >0 makes them
    PRIVATE_WITH_EGRESS and adds a small public tier that holds only the NAT gateways."""

    private_subnet_mask: int = 20
    """Prefix length of each cluster subnet (one per AZ). Default /20: 4,091 usable addresses per AZ,
    room for large fleets plus endpoints and Redshift. Allocated first, so switching NAT on or off never
    moves these subnets."""

    public_subnet_mask: int = 26
    """Prefix length of each public subnet, used only when ``nat_gateways > 0``. Default /26: 59 usable
    addresses, plenty for a NAT gateway (and an ALB should one be added later)."""

    interface_endpoints: tuple[InterfaceEndpoint, ...] | None = None
    """Interface endpoints to create in the cluster subnets. Default ``None`` means computed: every
    :class:`InterfaceEndpoint` when ``nat_gateways == 0`` (isolated subnets have no other way to reach those
    services), none otherwise (the NAT gateway reaches them, and each endpoint costs per AZ-hour). Give an
    explicit tuple (``()`` for none) to override. Kept ``None`` rather than filled in at construction so that
    ``dataclasses.replace(props, nat_gateways=0)`` recomputes it."""

    flow_log_retention_days: int = 365
    """Days CloudWatch Logs keeps the VPC flow log. Default 365 (a year, what PCI DSS asks for). Must be a
    value CloudWatch offers: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
    2192, 2557, 2922, 3288, 3653."""

    flow_log_traffic_type: FlowLogTrafficType = FlowLogTrafficType.ALL
    """Traffic the flow log records. Default ``ALL``: accepted and rejected flows are both needed to
    investigate an incident."""

    @property
    def internet_egress(self) -> bool:
        """Whether the cluster subnets reach the internet: only through a NAT gateway (none: isolated subnets)."""
        return self.nat_gateways > 0

    def resolved_interface_endpoints(self) -> tuple[InterfaceEndpoint, ...]:
        """The endpoints the VPC gets: ``interface_endpoints``, or the computed default when it is ``None``."""
        if self.interface_endpoints is not None:
            return tuple(InterfaceEndpoint(e) for e in self.interface_endpoints)
        return tuple(InterfaceEndpoint) if self.nat_gateways == 0 else ()

    def _rules(self) -> list[Problem]:
        checks = Checks()
        network = vpc_cidr_problems(checks, "cidr", self.cidr)
        azs_ok = checks.require(
            1 <= self.max_azs <= MAX_AZS,
            "max_azs",
            self.max_azs,
            "number of Availability Zones out of range",
            f"1-{MAX_AZS}",
        )
        if self.availability_zones:
            _availability_zone_problems(checks, self.availability_zones)
            checks.require(
                len(self.availability_zones) == self.max_azs,
                "availability_zones",
                self.availability_zones,
                f"{len(self.availability_zones)} AZs named but max_azs is {self.max_azs}",
                f"exactly max_azs ({self.max_azs}) AZ names, or () to let CDK pick",
            )
        azs_known = azs_ok and not is_token(self.max_azs)
        nat_allowed = f"0-{self.max_azs} (at most one per AZ)" if azs_known else "0 to max_azs"
        nat_ok = checks.require(
            0 <= self.nat_gateways <= (self.max_azs if azs_known else MAX_AZS),
            "nat_gateways",
            self.nat_gateways,
            "NAT gateway count must be between 0 and max_azs",
            nat_allowed,
        )
        tiers = [("private_subnet_mask", self.private_subnet_mask)]
        if nat_ok and self.nat_gateways != 0:
            tiers.append(("public_subnet_mask", self.public_subnet_mask))
        lowest = network.prefixlen if network is not None else MIN_PREFIX
        masks_ok = True
        for field, mask in tiers:
            masks_ok &= checks.require(
                lowest <= mask <= MAX_PREFIX,
                field,
                mask,
                "subnet prefix must lie between the VPC's prefix and /28",
                f"{lowest}-{MAX_PREFIX}",
            )
        if network is not None and azs_known and masks_ok and not is_token([m for _, m in tiers]):
            _require_subnets_fit(checks, network, self.max_azs, [m for _, m in tiers])
        checks.require(
            self.flow_log_retention_days in CLOUDWATCH_RETENTION_DAYS,
            "flow_log_retention_days",
            self.flow_log_retention_days,
            "CloudWatch Logs does not offer this retention period",
            ", ".join(str(d) for d in CLOUDWATCH_RETENTION_DAYS),
        )
        if self.interface_endpoints is not None:
            _endpoint_problems(checks, self.interface_endpoints)
        checks.require(
            self.flow_log_traffic_type in [t.value for t in FlowLogTrafficType],
            "flow_log_traffic_type",
            self.flow_log_traffic_type,
            "unknown flow log traffic type",
            ", ".join(t.value for t in FlowLogTrafficType),
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class ExistingNetworkProps(ValidatedProps):
    """An existing VPC to build in, described without any lookup (``cdk synth`` never calls AWS).

    The subnets must already carry the tag ``for-use-with-amazon-emr-managed-policies=true``: the
    library cannot tag resources it did not create, and ``AmazonEMRServicePolicy_v2`` will not launch
    into an untagged subnet.
    """

    vpc_id: str
    """The VPC id, ``vpc-`` plus 8 or 17 hex digits. Required: there is no sensible default."""

    vpc_cidr: str
    """The VPC's primary IPv4 CIDR; interface endpoint and Redshift rules admit traffic from it. Required."""

    availability_zones: tuple[str, ...]
    """AZ names (``eu-west-1a``), one per subnet in ``private_subnet_ids``, same order. Required."""

    private_subnet_ids: tuple[str, ...]
    """The subnets clusters, endpoints and Redshift use, one per AZ. Required."""

    private_route_table_ids: tuple[str, ...] = ()
    """Route table of each subnet, same order. Default ``()``: unknown, which is fine unless something
    adds routes or gateway endpoints to these subnets (CDK then warns)."""

    internet_egress: bool = True
    """Whether the subnets reach the internet (a NAT gateway, a proxy or firewall route). Default ``True``: the
    library cannot look the routes up. Set ``False`` for subnets that reach AWS through VPC endpoints only, so
    what needs the internet at run time (Spark's ``--packages``) fails at synth instead of at job start."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            bool(_VPC_ID.match(self.vpc_id)),
            "vpc_id",
            self.vpc_id,
            "not a VPC id",
            _HEX_ID_ALLOWED.format(prefix="vpc"),
        )
        vpc_cidr_problems(checks, "vpc_cidr", self.vpc_cidr)
        _availability_zone_problems(checks, self.availability_zones)
        _id_list_problems(checks, "private_subnet_ids", self.private_subnet_ids, _SUBNET_ID, "subnet", "a subnet id")
        azs = len(self.availability_zones)
        checks.require(
            len(self.private_subnet_ids) == azs,
            "private_subnet_ids",
            self.private_subnet_ids,
            f"one subnet per Availability Zone: got {len(self.private_subnet_ids)} for {azs} AZs",
            f"exactly {azs} subnet ids, in the order of availability_zones",
        )
        if self.private_route_table_ids:
            _id_list_problems(
                checks,
                "private_route_table_ids",
                self.private_route_table_ids,
                _ROUTE_TABLE_ID,
                "rtb",
                "a route table id",
            )
            subnets = len(self.private_subnet_ids)
            checks.require(
                len(self.private_route_table_ids) == subnets,
                "private_route_table_ids",
                self.private_route_table_ids,
                f"one route table per subnet: got {len(self.private_route_table_ids)} for {subnets} subnets",
                f"exactly {subnets} route table ids, or none",
            )
        return checks.problems


def region_of_availability_zone(name: str) -> str | None:
    """``eu-west-1`` for ``eu-west-1a`` (or ``eu-west-1-lax-1a``); ``None`` when ``name`` is not an AZ name."""
    match = _AZ_NAME.match(name)
    return match.group("region") if match else None


def vpc_cidr_problems(checks: Checks, field: str, cidr: str) -> ipaddress.IPv4Network | None:
    """Record why ``cidr`` cannot be a VPC CIDR; return the parsed network when it can."""
    if is_token(cidr):
        return None
    try:
        network = ipaddress.IPv4Network(cidr, strict=True)
    except (ValueError, TypeError):
        checks.require(
            False,
            field,
            cidr,
            "not an IPv4 network in CIDR notation",
            "an IPv4 CIDR block with its host bits zero, e.g. '10.0.0.0/16'",
        )
        return None
    in_range = checks.require(
        MIN_PREFIX <= network.prefixlen <= MAX_PREFIX,
        field,
        cidr,
        "EC2 only accepts VPC CIDR prefixes from /16 to /28",
        f"a prefix length of {MIN_PREFIX}-{MAX_PREFIX}",
    )
    return network if in_range else None


def allocate_subnets(network: ipaddress.IPv4Network, azs: int, masks: Sequence[int]) -> list[ipaddress.IPv4Network]:
    """The CIDRs ``ec2.Vpc`` gives ``azs`` subnets of each mask, tier after tier.

    Mirrors CDK's allocator: each block starts at the next address aligned to its own size, after the
    previous block. Raises ``ValueError`` when a block would end past the VPC.
    """
    start = int(network.network_address)
    end = int(network.broadcast_address) + 1
    cursor = start
    blocks: list[ipaddress.IPv4Network] = []
    for mask in masks:
        size = 2 ** (32 - mask)
        for _ in range(azs):
            cursor = -(-cursor // size) * size
            if cursor + size > end:
                raise ValueError(f"/{mask} block at offset {cursor - start} does not fit in {network}")
            blocks.append(ipaddress.IPv4Network((cursor, mask)))
            cursor += size
    return blocks


def _require_subnets_fit(checks: Checks, network: ipaddress.IPv4Network, azs: int, masks: Sequence[int]) -> None:
    try:
        allocate_subnets(network, azs, masks)
    except ValueError:
        tiers = " and ".join(f"{azs} x /{m}" for m in masks)
        checks.require(
            False,
            "cidr",
            str(network),
            f"the subnets ({tiers}) do not fit in the VPC's {network.num_addresses} addresses without overlapping",
            "a larger VPC CIDR, a longer subnet prefix (smaller subnets) or fewer AZs",
        )


def _endpoint_problems(checks: Checks, endpoints: tuple[InterfaceEndpoint, ...]) -> None:
    known = [e.value for e in InterfaceEndpoint]
    seen: set[str] = set()
    for index, endpoint in enumerate(endpoints):
        field = f"interface_endpoints[{index}]"
        if checks.require(endpoint in known, field, endpoint, "unknown interface endpoint", ", ".join(known)):
            checks.require(str(endpoint) not in seen, field, endpoint, "endpoint listed more than once", "each once")
            seen.add(str(endpoint))


def _availability_zone_problems(checks: Checks, zones: tuple[str, ...]) -> None:
    checks.require(len(zones) > 0, "availability_zones", zones, "no Availability Zone given", "1 or more AZ names")
    regions: set[str] = set()
    for index, zone in enumerate(zones):
        field = f"availability_zones[{index}]"
        if is_token(zone):
            continue
        region = region_of_availability_zone(zone)
        if checks.require(
            region is not None,
            field,
            zone,
            "not an Availability Zone name (AZ ids such as 'use1-az1' are not accepted)",
            "a name such as 'eu-west-1a'",
        ):
            checks.require(zone not in zones[:index], field, zone, "AZ listed more than once", "each AZ once")
            regions.add(str(region))
    checks.require(
        len(regions) <= 1,
        "availability_zones",
        zones,
        f"AZs of more than one region ({', '.join(sorted(regions))})",
        "AZs of the VPC's region only",
    )


def _id_list_problems(
    checks: Checks, field: str, ids: tuple[str, ...], pattern: re.Pattern[str], prefix: str, noun: str
) -> None:
    for index, value in enumerate(ids):
        name = f"{field}[{index}]"
        if checks.require(
            bool(pattern.match(value)),
            name,
            value,
            f"not {noun}",
            _HEX_ID_ALLOWED.format(prefix=prefix),
        ):
            checks.require(value not in ids[:index], name, value, "id listed more than once", "each id once")
