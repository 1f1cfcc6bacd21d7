from __future__ import annotations

import pytest
from aws_cdk import Token

from emr_constructs.errors import Checks, EmrConfigError, Problem


def test_problem_message_names_where_field_value_rule_and_allowed() -> None:
    problem = Problem("max_azs", 9, "AZ count out of range", "1-6")
    assert problem.message("Net/Vpc") == "Net/Vpc: max_azs=9 is invalid: AZ count out of range; allowed: 1-6"


def test_problem_under_prefixes_fields_and_indexes() -> None:
    assert Problem("target", 2, "r", "a").under("fleets[0]").field == "fleets[0].target"
    assert Problem("[1]", 2, "r", "a").under("fleets").field == "fleets[1]"
    assert Problem("x", 2, "r", "a").under("").field == "x"


def test_checks_collect_every_problem_and_raise_once() -> None:
    checks = Checks()
    checks.require(False, "a", 1, "rule a", "x")
    checks.require(True, "b", 2, "rule b", "y")
    checks.require(False, "c", "v", "rule c", "z")
    with pytest.raises(EmrConfigError) as raised:
        checks.raise_if_any("S/C")
    assert str(raised.value) == ("S/C: a=1 is invalid: rule a; allowed: x\nS/C: c='v' is invalid: rule c; allowed: z")
    assert [p.field for p in raised.value.problems] == ["a", "c"]


def test_checks_skip_unresolved_tokens_without_evaluating_the_rule() -> None:
    checks = Checks()
    token = Token.as_number({"Ref": "Param"})

    def explode() -> bool:
        raise AssertionError("a rule must not be evaluated on a token")

    assert checks.require(explode, "count", token, "r", "a")
    assert checks.require(False, "names", ["ok", Token.as_string({"Ref": "P"})], "r", "a")
    checks.raise_if_any("S")  # nothing recorded


def test_checks_extend_prefixes_nested_problems() -> None:
    checks = Checks(prefix="compute")
    checks.extend([Problem("target", 0, "r", "a")], prefix="fleets[1]")
    assert checks.problems[0].field == "compute.fleets[1].target"
