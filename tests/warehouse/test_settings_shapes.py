"""The warehouse settings of each environment, as JSON, parse into WarehouseProps unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from emr_constructs.errors import Problem
from emr_constructs.settings import parse_into
from emr_constructs.storage import Zone
from emr_constructs.warehouse import NodeType, WarehouseKind, WarehouseProps

WAREHOUSE_SETTINGS: dict[str, dict[str, Any]] = {
    # Two AZs (environment-agnostic dev/staging networks): Serverless needs three, so a small cluster.
    "dev": {"kind": "provisioned", "provisioned": {"node_type": "ra3.xlplus", "number_of_nodes": 1}},
    "staging": {
        "kind": "provisioned",
        "provisioned": {"node_type": "ra3.xlplus", "number_of_nodes": 2, "automated_snapshot_retention_days": 7},
        "analytics_prefix": "redshift/",
    },
    "prod": {
        "kind": "serverless",
        "serverless": {"base_capacity": 128, "max_capacity": 512},
        "analytics_prefix": "redshift/",
        "curated_prefix": "sessions/",
        "spectrum_zones": ["curated", "analytics"],
    },
}


@pytest.mark.parametrize("env", sorted(WAREHOUSE_SETTINGS))
def test_warehouse_settings_parse(env: str) -> None:
    problems: list[Problem] = []
    props = parse_into(WarehouseProps, WAREHOUSE_SETTINGS[env], "warehouse", problems)
    assert problems == []
    assert props.kind == WarehouseKind(WAREHOUSE_SETTINGS[env]["kind"])


def test_prod_shape() -> None:
    problems: list[Problem] = []
    props = parse_into(WarehouseProps, WAREHOUSE_SETTINGS["prod"], "warehouse", problems)
    assert (props.serverless.base_capacity, props.serverless.max_capacity) == (128, 512)
    assert props.spectrum_zones == (Zone.CURATED, Zone.ANALYTICS)
    assert props.provisioned.node_type == NodeType.RA3_XLPLUS


def test_fails_bad_settings_report_their_key_path() -> None:
    problems: list[Problem] = []
    parse_into(WarehouseProps, {"serverless": {"base_capacity": 100}}, "warehouse", problems)
    assert [(p.field, p.value) for p in problems] == [("warehouse.serverless.base_capacity", 100)]
