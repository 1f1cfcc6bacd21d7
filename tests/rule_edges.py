"""Rule tables: every validation rule proven at its edges (issue 19).

A row names a rule and gives, on top of a valid base, the smallest and largest value that must build without
problems and one step past each, with the exact message the Props record. ``tests/<concept>/test_rule_edges.py``
holds one table (``EDGES``) per concept; ``tests/test_rule_edges_complete.py`` checks every row has both kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

import pytest

from emr_constructs.props import ValidatedProps

#: Where the messages say the problem is; a construct raises the same text with its path.
WHERE = "Test"


@dataclass(frozen=True)
class Edge:
    """One rule: valid edges (each a change to ``base`` that builds clean) and invalid ones with the messages."""

    rule: str
    build: Callable[..., ValidatedProps]
    valid: Sequence[Mapping[str, Any]]
    invalid: Sequence[tuple[Mapping[str, Any], str | Sequence[str]]]
    base: Mapping[str, Any] = ()  # type: ignore[assignment]

    def props(self, changes: Mapping[str, Any]) -> ValidatedProps:
        return self.build(**{key: rebuilt(value) for key, value in {**dict(self.base), **dict(changes)}.items()})


def rebuilt(value: Any) -> Any:
    """``value`` with every nested dataclass built again, so their rules run inside the test.

    Rows are built when the module is collected; Props run their rules once, when built. Without this, a
    nested Props' rules would run at collection only, where mutation testing cannot tie them to a test.
    """
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: rebuilt(getattr(value, f.name)) for f in fields(value) if f.init})
    if isinstance(value, tuple):
        return tuple(rebuilt(item) for item in value)
    if isinstance(value, dict):
        return {key: rebuilt(item) for key, item in value.items()}
    return value


def messages(props: ValidatedProps) -> list[str]:
    return [problem.message(WHERE) for problem in props.problems()]


def valid_cases(edges: Sequence[Edge]) -> list[Any]:
    return [
        pytest.param(edge, changes, id=f"{edge.rule}-{'-'.join(f'{k}={v}' for k, v in changes.items())}"[:90])
        for edge in edges
        for changes in edge.valid
    ]


def invalid_cases(edges: Sequence[Edge]) -> list[Any]:
    return [
        pytest.param(edge, changes, [expected] if isinstance(expected, str) else list(expected), id=f"{edge.rule}-{i}")
        for edge in edges
        for i, (changes, expected) in enumerate(edge.invalid)
    ]


# Plain asserts here are not rewritten by pytest (not a test module): the messages go into the assertion text.
def assert_valid(edge: Edge, changes: Mapping[str, Any]) -> None:
    found = messages(edge.props(changes))
    assert found == [], f"{edge.rule}: {dict(changes)} should build clean, got {found}"


def assert_invalid(edge: Edge, changes: Mapping[str, Any], expected: list[str]) -> None:
    found = messages(edge.props(changes))
    assert found == expected, f"{edge.rule}: {dict(changes)}\n got      {found}\n expected {expected}"


def edge_tests(edges: Sequence[Edge]) -> tuple[Callable[..., None], Callable[..., None]]:
    """A table module's two tests: ``test_valid_edge_builds_clean, test_fails_one_step_past_the_edge =
    edge_tests(EDGES)`` (every valid edge builds clean; every invalid one fails with exactly its messages)."""

    @pytest.mark.parametrize(("edge", "changes"), valid_cases(edges))
    def test_valid_edge_builds_clean(edge: Edge, changes: dict[str, Any]) -> None:
        assert_valid(edge, changes)

    @pytest.mark.parametrize(("edge", "changes", "expected"), invalid_cases(edges))
    def test_fails_one_step_past_the_edge(edge: Edge, changes: dict[str, Any], expected: list[str]) -> None:
        assert_invalid(edge, changes, expected)

    return test_valid_edge_builds_clean, test_fails_one_step_past_the_edge
