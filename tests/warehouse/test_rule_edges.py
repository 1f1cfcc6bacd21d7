"""Every warehouse rule at its edges: the smallest and largest valid value build clean, one step past fails."""

from __future__ import annotations

from emr_constructs.warehouse.props import (
    BASE_CAPACITY_ALLOWED,
    NodeType,
    ProvisionedProps,
    ServerlessProps,
    WarehouseProps,
)
from tests.rule_edges import Edge, edge_tests

WINDOW_ALLOWED = "ddd:hh24:mi-ddd:hh24:mi in UTC with ddd one of mon-sun, e.g. 'sun:03:00-sun:03:30'"


def base_error(rpus: int) -> str:
    return (
        f"Test: base_capacity={rpus} is invalid: not a Redshift Serverless base capacity; "
        f"allowed: {BASE_CAPACITY_ALLOWED}"
    )


def nodes(node_type: NodeType, low: int, high: int) -> Edge:
    def error(count: int) -> str:
        return (
            f"Test: number_of_nodes={count} is invalid: {node_type.value} clusters are created with {low}-{high} "
            f"nodes; allowed: {low}-{high} for {node_type.value}"
        )

    return Edge(
        f"number_of_nodes {node_type.value}",
        ProvisionedProps,
        base={"node_type": node_type},
        valid=[{"number_of_nodes": low}, {"number_of_nodes": high}],
        invalid=[({"number_of_nodes": low - 1}, error(low - 1)), ({"number_of_nodes": high + 1}, error(high + 1))],
    )


def window_error(window: str) -> str:
    return (
        f"Test: preferred_maintenance_window={window!r} is invalid: not a maintenance window of 30 minutes to "
        f"24 hours; allowed: {WINDOW_ALLOWED}"
    )


NAME_ALLOWED = (
    "lowercase letters, digits and single hyphens, starting with a letter, not ending with '-', 3-63 characters"
)
USER_RULE = (
    "not a Redshift user name both Serverless and provisioned clusters accept ('public' is reserved, 'awsuser' is "
    "the well-known default); allowed: lowercase letters, digits and '_', starting with a letter, 1-128 characters"
)
PREFIX_RULE = (
    "a folder prefix without a trailing '/' also matches its sibling folders ('sales' matches 'sales-eu/'); "
    "allowed: '' (the whole bucket) or a key prefix ending in '/', like 'events/'"
)


def name_error(name: str) -> str:
    return (
        f"Test: name={name!r} is invalid: not a name both Redshift Serverless and provisioned clusters accept; "
        f"allowed: {NAME_ALLOWED}"
    )


def prefix_edge(field: str) -> Edge:
    return Edge(
        field,
        WarehouseProps,
        valid=[{field: ""}, {field: "sales/"}, {field: "sales/eu/"}],
        invalid=[({field: "sales"}, f"Test: {field}='sales' is invalid: {PREFIX_RULE}")],
    )


EDGES = [
    Edge(
        "name length",
        WarehouseProps,
        valid=[{"name": "abc"}, {"name": "a" * 63}, {"name": "a1-b2"}],
        invalid=[({"name": name}, name_error(name)) for name in ("ab", "a" * 64, "a--b", "ab-")],
    ),
    Edge(
        "admin_username",
        WarehouseProps,
        valid=[{"admin_username": "a"}, {"admin_username": "a" * 128}, {"admin_username": "publics"}],
        invalid=[
            ({"admin_username": name}, f"Test: admin_username={name!r} is invalid: {USER_RULE}")
            for name in ("public", "awsuser", "a" * 129, "1a")
        ],
    ),
    Edge(
        "data_api_db_user",
        WarehouseProps,
        valid=[{"data_api_db_user": "b"}, {"data_api_db_user": "b" * 128}],
        invalid=[
            ({"data_api_db_user": name}, f"Test: data_api_db_user={name!r} is invalid: {USER_RULE}")
            for name in ("public", "b" * 129)
        ],
    ),
    Edge(
        "s3_prefix_list_id",
        WarehouseProps,
        valid=[
            {"s3_prefix_list_id": None},
            {"s3_prefix_list_id": "pl-63a5400a"},
            {"s3_prefix_list_id": "pl-0123456789abcdef0"},
        ],
        invalid=[
            (
                {"s3_prefix_list_id": value},
                f"Test: s3_prefix_list_id={value!r} is invalid: not a prefix list id; "
                "allowed: pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'",
            )
            for value in ("pl-63a5400", "pl-63A5400A", "pl-0123456789abcdef01", "sg-63a5400a")
        ],
    ),
    prefix_edge("curated_prefix"),
    prefix_edge("analytics_prefix"),
    Edge(
        "base_capacity",
        ServerlessProps,
        valid=[{"base_capacity": rpus} for rpus in (4, 8, 512, 544, 1024)],
        invalid=[({"base_capacity": rpus}, base_error(rpus)) for rpus in (3, 5, 520, 1056)],
    ),
    Edge(
        "max_capacity",
        ServerlessProps,
        base={"base_capacity": 32},
        valid=[{"max_capacity": 32}, {"max_capacity": 5632}, {"max_capacity": None}],
        invalid=[
            (
                {"max_capacity": rpus},
                f"Test: max_capacity={rpus} is invalid: max capacity must be at least the base capacity and at most "
                "Redshift Serverless' ceiling; allowed: 32-5632, or null for no ceiling",
            )
            for rpus in (31, 5633)
        ],
    ),
    nodes(NodeType.RA3_XLPLUS, 1, 16),
    nodes(NodeType.RA3_4XLARGE, 2, 32),
    nodes(NodeType.RA3_16XLARGE, 2, 128),
    Edge(
        "automated_snapshot_retention_days",
        ProvisionedProps,
        valid=[{"automated_snapshot_retention_days": 1}, {"automated_snapshot_retention_days": 35}],
        invalid=[
            (
                {"automated_snapshot_retention_days": days},
                f"Test: automated_snapshot_retention_days={days} is invalid: out of range (0 would turn automated "
                "snapshots off); allowed: 1-35",
            )
            for days in (0, 36)
        ],
    ),
    Edge(
        "preferred_maintenance_window length",
        ProvisionedProps,
        valid=[
            {"preferred_maintenance_window": "sun:03:00-sun:03:30"},
            {"preferred_maintenance_window": "sun:03:00-mon:03:00"},
        ],
        invalid=[
            ({"preferred_maintenance_window": window}, window_error(window))
            for window in ("sun:03:00-sun:03:29", "sun:03:00-mon:03:01")
        ],
    ),
]


test_valid_edge_builds_clean, test_fails_one_step_past_the_edge = edge_tests(EDGES)
