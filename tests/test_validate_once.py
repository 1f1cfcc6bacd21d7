"""Validate once: every Props instance runs its rules exactly once per synth, whoever reads its problems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import app as bundled_app
from emr_constructs.cluster import ClusterProps
from emr_constructs.props import ValidatedProps
from tests.support import new_app


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_each_props_instance_runs_its_rules_once_per_synth(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: Counter[int] = Counter()
    kinds: Counter[str] = Counter()

    def counting(rules: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def wrapper(self: Any) -> Any:
            runs[id(self)] += 1
            kinds[type(self).__name__] += 1
            return rules(self)

        return wrapper

    for cls in set(_subclasses(ValidatedProps)):
        if "_rules" in vars(cls):
            monkeypatch.setattr(cls, "_rules", counting(vars(cls)["_rules"]))
    built = bundled_app.build(new_app(env="prod"), policy_packs=False)
    assert runs and max(runs.values()) == 1
    # The constructs read the stored result: building them ran no rule a second time (checked above), and the
    # clusters' props were validated when the settings were parsed.
    clusters = sum(len(stack.clusters) for stage in built for stack in stage.compute)
    assert kinds[ClusterProps.__name__] >= clusters > 0
    assert ClusterProps(step_concurrency_level=999).problems()  # the counting wrapper still returns the rules
