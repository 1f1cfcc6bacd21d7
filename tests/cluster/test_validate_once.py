"""Validate once, for the cluster: each rule function runs once in one synth of a cluster built from settings."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from emr_constructs.cluster import ClusterProps, EmrCluster, validation
from emr_constructs.cluster import cluster as cluster_module
from emr_constructs.cluster import props as props_module
from tests.cluster.builders import platform
from tests.support import new_stack

PROD = Path(__file__).resolve().parents[2] / "config" / "prod.json"


def _rule_functions() -> list[str]:
    """Every rule of the cluster's rules module: the functions named ``*_problems``."""
    return sorted(name for name, value in vars(validation).items() if name.endswith("_problems") and callable(value))


def test_each_cluster_rule_runs_once_per_synth(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()

    def counting(name: str, rule: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return rule(*args, **kwargs)

        return wrapper

    names = _rule_functions()
    assert {"cluster_problems", "capacity_problems", "managed_scaling_problems", "regional_problems"} <= set(names)
    for name in names:
        wrapped = counting(name, getattr(validation, name))
        monkeypatch.setattr(validation, name, wrapped)
        # ClusterProps and the construct import their rules by name: count the calls made through those names too.
        for module in (props_module, cluster_module):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, wrapped)

    settings = json.loads(PROD.read_text())["compute"]["clusters"]["Analytics"]["cluster"]
    props = ClusterProps.from_dict(settings, source="config/prod.json")
    stack = new_stack()
    EmrCluster(stack, "Cluster", props=props, **platform(stack).cluster_args())
    Template.from_stack(stack)  # the synth

    assert calls["cluster_problems"] == 1
    assert calls["capacity_problems"] == 1 and calls["managed_scaling_problems"] == 1
    # Nothing ran twice: the construct read the stored result of the Props' rules.
    assert max(calls.values()) == 1, calls
