"""The generic settings parser: types, nesting, unknown and missing keys, and the Props' own rules."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from emr_constructs.errors import Checks, Problem
from emr_constructs.settings import parse_into


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, kw_only=True)
class Inner:
    size: int = 1
    colour: Colour = Colour.RED


@dataclass(frozen=True, kw_only=True)
class Outer:
    name: str
    ratio: float = 0.5
    limit: int | None = None
    inners: tuple[Inner, ...] = ()
    by_name: dict[str, Inner] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[Problem]:
        checks = Checks()
        for i, inner in enumerate(self.inners):
            checks.require(inner.size > 0, f"inners[{i}].size", inner.size, "must be positive", ">= 1")
        return checks.problems


def parse(data: Any) -> tuple[Any, list[str]]:
    problems: list[Problem] = []
    result = parse_into(Outer, data, "section", problems)
    return result, [p.message("f.json") for p in problems]


def test_parses_nested_values_and_enums_by_value() -> None:
    result, problems = parse(
        {"name": "a", "ratio": 2, "inners": [{"size": 3, "colour": "blue"}], "by_name": {"x": {}}, "labels": {"k": "v"}}
    )
    assert problems == []
    assert result == Outer(
        name="a", ratio=2.0, inners=(Inner(size=3, colour=Colour.BLUE),), by_name={"x": Inner()}, labels={"k": "v"}
    )


def test_reports_every_problem_with_its_key_path() -> None:
    _, problems = parse({"ratio": "high", "inners": [{"size": 1, "colour": "green", "weight": 2}], "limit": True})
    assert problems == [
        "f.json: section.name=None is invalid: required key is missing; allowed: str",
        "f.json: section.ratio='high' is invalid: wrong type; allowed: float",
        "f.json: section.limit=True is invalid: wrong type; allowed: int",
        "f.json: section.inners[0].weight=2 is invalid: unknown key; allowed: colour, size",
        "f.json: section.inners[0].colour='green' is invalid: unknown Colour; allowed: one of 'red', 'blue'",
    ]


def test_runs_the_props_rules_once_the_types_are_right() -> None:
    _, problems = parse({"name": "a", "inners": [{"size": 0}]})
    assert problems == ["f.json: section.inners[0].size=0 is invalid: must be positive; allowed: >= 1"]


def test_rejects_non_objects() -> None:
    _, problems = parse(["not", "an", "object"])
    assert problems == ["f.json: section=['not', 'an', 'object'] is invalid: wrong type; allowed: object"]
