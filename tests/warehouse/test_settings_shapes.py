"""The warehouse settings of every environment, read from config/<env>.json by the app's loader."""

from __future__ import annotations

import pytest

from emr_constructs.errors import Problem
from emr_constructs.settings import parse_into
from emr_constructs.warehouse import WarehouseKind, WarehouseProps
from stacks.settings import load_environment


@pytest.mark.parametrize(("env", "kind"), [("dev", "provisioned"), ("staging", "provisioned"), ("prod", "serverless")])
def test_warehouse_kind_per_environment(env: str, kind: str) -> None:
    # Redshift Serverless needs subnets in three AZs; dev and staging networks are environment-agnostic (two).
    assert load_environment(env).warehouse.kind == WarehouseKind(kind)


def test_prod_serverless_capacity_leaves_room_to_scale() -> None:
    serverless = load_environment("prod").warehouse.serverless
    assert serverless.base_capacity < serverless.max_capacity


def test_provisioned_environments_grow_towards_prod() -> None:
    dev, staging = (load_environment(env).warehouse.provisioned for env in ("dev", "staging"))
    assert dev.number_of_nodes <= staging.number_of_nodes


def test_fails_bad_settings_report_their_key_path() -> None:
    problems: list[Problem] = []
    parse_into(WarehouseProps, {"serverless": {"base_capacity": 100}}, "warehouse", problems)
    assert [(p.field, p.value) for p in problems] == [("warehouse.serverless.base_capacity", 100)]
