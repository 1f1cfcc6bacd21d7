"""Every row of every rule table (``tests/<concept>/test_rule_edges.py``) has a valid and an invalid edge."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.rule_edges import Edge

TESTS = Path(__file__).resolve().parent
TABLES = sorted(path.parent.name for path in TESTS.glob("*/test_rule_edges.py"))


def test_rule_tables_exist_for_the_rule_modules() -> None:
    assert {"network", "storage", "catalog", "warehouse", "monitoring", "cluster"} <= set(TABLES)


@pytest.mark.parametrize("concept", TABLES)
def test_every_rule_row_has_both_edges(concept: str) -> None:
    edges = importlib.import_module(f"tests.{concept}.test_rule_edges").EDGES
    assert edges and all(isinstance(edge, Edge) for edge in edges)
    incomplete = [edge.rule for edge in edges if not edge.valid or not edge.invalid]
    assert incomplete == [], f"{concept}: rules without a valid and an invalid edge: {incomplete}"
    names = [edge.rule for edge in edges]
    assert len(names) == len(set(names)), f"{concept}: rule names repeat"
