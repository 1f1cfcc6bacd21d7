"""Validate once, for the cluster: each rule function runs once in one synth of a cluster built from settings."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from emr_constructs.cluster import ClusterProps, EmrCluster, capacity_rules, release_rules, steps, storage
from emr_constructs.cluster import cluster as cluster_module
from emr_constructs.cluster import props as props_module
from tests.cluster.builders import platform
from tests.support import new_stack

PROD = Path(__file__).resolve().parents[2] / "config" / "prod.json"


#: The modules that define the cluster's rules (ClusterProps composes them).
RULE_MODULES = (release_rules, capacity_rules, storage, steps)


def _rule_functions() -> dict[str, Any]:
    """Every rule the rule modules define: the module-level functions named ``*_problems``, by name."""
    return {
        name: module
        for module in RULE_MODULES
        for name, value in vars(module).items()
        if name.endswith("_problems") and callable(value) and value.__module__ == module.__name__
    }


def test_each_cluster_rule_runs_once_per_synth(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()

    def counting(name: str, rule: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return rule(*args, **kwargs)

        return wrapper

    rules = _rule_functions()
    assert {"capacity_problems", "managed_scaling_problems", "regional_problems", "work_problems"} <= set(rules)
    for name, home in rules.items():
        wrapped = counting(name, getattr(home, name))
        # Modules import their rules by name: count the calls made through every name bound to the rule.
        for module in (*RULE_MODULES, props_module, cluster_module):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, wrapped)
    monkeypatch.setattr(ClusterProps, "_rules", counting("ClusterProps._rules", ClusterProps._rules))

    settings = json.loads(PROD.read_text())["compute"]["clusters"]["Analytics"]["cluster"]
    props = ClusterProps.from_dict(settings, source="config/prod.json")
    stack = new_stack()
    EmrCluster(stack, "Cluster", props=props, **platform(stack).cluster_args())
    Template.from_stack(stack)  # the synth

    assert calls["ClusterProps._rules"] == 1
    assert calls["capacity_problems"] == 1 and calls["managed_scaling_problems"] == 1
    # Nothing ran twice: the construct read the stored result of the Props' rules.
    assert max(calls.values()) == 1, calls
