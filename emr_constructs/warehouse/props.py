"""Settings of the Redshift warehouse: plain data, validated before any resource exists.

Sources of the rules: Redshift Serverless capacity
(https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html, max capacity in
serverless-billing.html), the ``AWS::RedshiftServerless::Workgroup`` schema (ports), Redshift node types
(https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html, "Node range with create cluster"),
CreateCluster and CreateNamespace (names and ports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from emr_constructs.catalog.props import key_prefix_problems
from emr_constructs.errors import Checks, Problem
from emr_constructs.network.prefix_lists import prefix_list_problems
from emr_constructs.props import ValidatedProps
from emr_constructs.storage import DATA_ZONES, Zone


class WarehouseKind(StrEnum):
    """Redshift Serverless (namespace + workgroup) or a provisioned cluster."""

    SERVERLESS = "serverless"
    PROVISIONED = "provisioned"


class NodeType(StrEnum):
    """Node types a new provisioned cluster can use (DS2 and DC1 are retired)."""

    RA3_LARGE = "ra3.large"
    RA3_XLPLUS = "ra3.xlplus"
    RA3_4XLARGE = "ra3.4xlarge"
    RA3_16XLARGE = "ra3.16xlarge"
    DC2_LARGE = "dc2.large"
    DC2_8XLARGE = "dc2.8xlarge"


#: Nodes a cluster of each type can be created with (elastic resize can go further later).
NODE_RANGES: dict[NodeType, tuple[int, int]] = {
    NodeType.RA3_LARGE: (1, 16),
    NodeType.RA3_XLPLUS: (1, 16),
    NodeType.RA3_4XLARGE: (2, 32),
    NodeType.RA3_16XLARGE: (2, 128),
    NodeType.DC2_LARGE: (1, 32),
    NodeType.DC2_8XLARGE: (2, 128),
}

#: Base capacity in RPUs: 4, then 8-512 in steps of 8, then 512-1024 in steps of 32 (1024 only in the regions
#: that offer the extended maximum; elsewhere Redshift rejects values above 512 at deploy time).
BASE_CAPACITIES: frozenset[int] = frozenset({4, *range(8, 513, 8), *range(544, 1025, 32)})
BASE_CAPACITY_ALLOWED = "4, 8-512 in steps of 8, or 544-1024 in steps of 32 (above 512 only in some regions)"
MAX_CAPACITY_CEILING = 5632
#: Workgroup ports, from the AWS::RedshiftServerless::Workgroup schema.
SERVERLESS_PORTS: tuple[range, ...] = (range(5431, 5456), range(8191, 8216))
PROVISIONED_PORTS = range(1150, 65536)

# Names that both CreateNamespace and CreateCluster accept (the stricter of the two rules).
_DATABASE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_USER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,127}$")
_RESOURCE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_MAINTENANCE_WINDOW = re.compile(
    r"^(?P<d1>mon|tue|wed|thu|fri|sat|sun):(?P<h1>[01]\d|2[0-3]):(?P<m1>[0-5]\d)-"
    r"(?P<d2>mon|tue|wed|thu|fri|sat|sun):(?P<h2>[01]\d|2[0-3]):(?P<m2>[0-5]\d)$"
)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _window_minutes(window: str) -> int | None:
    """Length of a ``ddd:hh:mi-ddd:hh:mi`` window in minutes, or ``None`` if malformed."""
    match = _MAINTENANCE_WINDOW.match(window)
    if match is None:
        return None

    def minute_of_week(day: str, hour: str, minute: str) -> int:
        return (_DAYS.index(day) * 24 + int(hour)) * 60 + int(minute)

    start = minute_of_week(match["d1"], match["h1"], match["m1"])
    end = minute_of_week(match["d2"], match["h2"], match["m2"])
    return (end - start) % (7 * 24 * 60)


def user_name_problems(field_name: str, name: str) -> list[Problem]:
    checks = Checks()
    checks.require(
        bool(_USER_NAME.match(name)) and name not in {"public", "awsuser"},
        field_name,
        name,
        "not a Redshift user name both Serverless and provisioned clusters accept ('public' is reserved, "
        "'awsuser' is the well-known default)",
        "lowercase letters, digits and '_', starting with a letter, 1-128 characters",
    )
    return checks.problems


@dataclass(frozen=True, kw_only=True)
class ServerlessProps(ValidatedProps):
    """Capacity of a Redshift Serverless workgroup."""

    base_capacity: int = 8
    """Base RPUs. Default 8, the smallest that holds up to 128 TB (AWS's own default is 128)."""
    max_capacity: int | None = None
    """Ceiling in RPUs (base capacity to 5632), or ``None`` for no ceiling. Default ``None``."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            self.base_capacity in BASE_CAPACITIES,
            "base_capacity",
            self.base_capacity,
            "not a Redshift Serverless base capacity",
            BASE_CAPACITY_ALLOWED,
        )
        if self.max_capacity is not None:
            checks.require(
                self.base_capacity <= self.max_capacity <= MAX_CAPACITY_CEILING,
                "max_capacity",
                self.max_capacity,
                "max capacity must be at least the base capacity and at most Redshift Serverless' ceiling",
                f"{self.base_capacity}-{MAX_CAPACITY_CEILING}, or null for no ceiling",
            )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class ProvisionedProps(ValidatedProps):
    """Size and maintenance of a provisioned Redshift cluster."""

    node_type: NodeType = NodeType.RA3_XLPLUS
    """Node type. Default ``ra3.xlplus``, the smallest RA3 type with managed storage and multi-node support."""
    number_of_nodes: int = 2
    """Compute nodes; 1 creates a single-node cluster where the type allows it. Default 2."""
    automated_snapshot_retention_days: int = 7
    """Days automated snapshots are kept, 1-35. Default 7."""
    preferred_maintenance_window: str = "sun:03:00-sun:03:30"
    """Weekly maintenance window in UTC, ``ddd:hh24:mi-ddd:hh24:mi``, at least 30 minutes. Default Sunday 03:00."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        low, high = NODE_RANGES[self.node_type]
        checks.require(
            low <= self.number_of_nodes <= high,
            "number_of_nodes",
            self.number_of_nodes,
            f"{self.node_type.value} clusters are created with {low}-{high} nodes",
            f"{low}-{high} for {self.node_type.value}",
        )
        checks.require(
            1 <= self.automated_snapshot_retention_days <= 35,
            "automated_snapshot_retention_days",
            self.automated_snapshot_retention_days,
            "out of range (0 would turn automated snapshots off)",
            "1-35",
        )
        length = _window_minutes(self.preferred_maintenance_window)
        checks.require(
            length is not None and 30 <= length <= 24 * 60,
            "preferred_maintenance_window",
            self.preferred_maintenance_window,
            "not a maintenance window of 30 minutes to 24 hours",
            "ddd:hh24:mi-ddd:hh24:mi in UTC with ddd one of mon-sun, e.g. 'sun:03:00-sun:03:30'",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class WarehouseProps(ValidatedProps):
    """A Redshift warehouse next to the lake: kind, names, capacity and the lake access of its IAM role."""

    kind: WarehouseKind = WarehouseKind.SERVERLESS
    """``serverless`` (default: pay per query, no maintenance) or ``provisioned``."""
    name: str | None = None
    """Namespace and workgroup name, or cluster identifier: lowercase letters, digits and single hyphens,
    3-63 characters. Default ``None``: derived from the construct path. Changing it replaces the warehouse."""
    database_name: str = "warehouse"
    """The first database. Default ``warehouse``."""
    admin_username: str = "platform_admin"
    """Admin user; its password is generated and kept in Secrets Manager by Redshift. Default ``platform_admin``."""
    port: int = 5439
    """Port: 5431-5455 or 8191-8215 for Serverless, 1150-65535 for a cluster. Default 5439."""
    serverless: ServerlessProps = ServerlessProps()
    """Capacity when ``kind`` is ``serverless``."""
    provisioned: ProvisionedProps = ProvisionedProps()
    """Cluster size when ``kind`` is ``provisioned``."""
    curated_prefix: str = ""
    """Curated-zone prefix the warehouse role may read (COPY, Spectrum). Default ``''``: the whole bucket."""
    analytics_prefix: str = ""
    """Analytics-zone prefix the warehouse role may read and write (COPY, UNLOAD, Spectrum, the spark-redshift
    connector's ``tempdir``). Default ``''``: the whole bucket."""
    spectrum_zones: tuple[Zone, ...] = (Zone.CURATED, Zone.ANALYTICS)
    """Zones whose Glue databases Spectrum may read through the warehouse role. Default curated and analytics."""
    data_api_db_user: str = "emr_etl"
    """Database user that :meth:`Warehouse.grant_data_api` issues temporary credentials for on a provisioned
    cluster (Serverless maps the caller's IAM identity instead). Default ``emr_etl``."""
    s3_prefix_list_id: str | None = None
    """The region's AWS-managed S3 prefix list (``pl-...``): the warehouse's group then sends HTTPS to S3 only,
    besides the interface endpoints' group. Default none: HTTPS to any address (acknowledged in the template);
    enhanced VPC routing sends COPY/UNLOAD traffic through the VPC's routes either way. (Its id differs per
    region and needs a lookup, which the library does not make at synth.)"""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        if self.name is not None:
            checks.require(
                3 <= len(self.name) <= 63 and bool(_RESOURCE_NAME.match(self.name)),
                "name",
                self.name,
                "not a name both Redshift Serverless and provisioned clusters accept",
                "lowercase letters, digits and single hyphens, starting with a letter, not ending with '-', "
                "3-63 characters",
            )
        checks.require(
            bool(_DATABASE_NAME.match(self.database_name)),
            "database_name",
            self.database_name,
            "not a Redshift database name",
            "lowercase letters, digits and '_', starting with a letter, 1-64 characters",
        )
        checks.extend(user_name_problems("admin_username", self.admin_username))
        checks.extend(prefix_list_problems("s3_prefix_list_id", self.s3_prefix_list_id))
        checks.extend(user_name_problems("data_api_db_user", self.data_api_db_user))
        checks.require(
            self.data_api_db_user != self.admin_username,
            "data_api_db_user",
            self.data_api_db_user,
            "jobs must not get temporary credentials of the admin user",
            f"a user other than {self.admin_username!r}",
        )
        if self.kind == WarehouseKind.SERVERLESS:
            checks.require(
                any(self.port in ports for ports in SERVERLESS_PORTS),
                "port",
                self.port,
                "not a Redshift Serverless port",
                "5431-5455 or 8191-8215",
            )
            checks.extend(self.serverless.problems(), "serverless")
        else:
            checks.require(
                self.port in PROVISIONED_PORTS, "port", self.port, "not a Redshift cluster port", "1150-65535"
            )
            checks.extend(self.provisioned.problems(), "provisioned")
        checks.extend(key_prefix_problems("curated_prefix", self.curated_prefix))
        checks.extend(key_prefix_problems("analytics_prefix", self.analytics_prefix))
        for index, zone in enumerate(self.spectrum_zones):
            checks.require(
                zone in DATA_ZONES,
                f"spectrum_zones[{index}]",
                zone.value,
                "only the data zones have a Glue database",
                ", ".join(z.value for z in DATA_ZONES),
            )
        return checks.problems
