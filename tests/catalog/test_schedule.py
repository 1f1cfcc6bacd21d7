"""Glue cron expressions: what Glue accepts passes, each kind of mistake gets its exact message."""

from __future__ import annotations

import pytest

from emr_constructs.catalog.schedule import CRON_SYNTAX, cron_problems
from emr_constructs.errors import Problem


@pytest.mark.parametrize(
    "expression",
    [
        "cron(15 12 * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0 8 1 * ? *)",
        "cron(0/15 * * * ? *)",
        "cron(0/10 * ? * MON-FRI *)",
        "cron(0/5 8-17 ? * MON-FRI *)",
        "cron(0 2 L * ? *)",
        "cron(0 2 15W * ? *)",
        "cron(0 2 ? * 6#3 *)",
        "cron(0 2 ? * 2L 2026-2030)",
        "cron(0,30 * * JAN,JUL ? *)",
        "cron(55 * * * ? *)",
    ],
)
def test_glue_documented_examples_pass(expression: str) -> None:
    assert cron_problems("schedule", expression) == []


def test_fails_not_wrapped_in_cron() -> None:
    assert cron_problems("schedule", "rate(1 hour)") == [
        Problem("schedule", "rate(1 hour)", "not a Glue schedule expression", CRON_SYNTAX)
    ]


def test_fails_five_fields_like_unix_cron() -> None:
    assert cron_problems("schedule", "cron(0 2 * * ?)") == [
        Problem("schedule", "cron(0 2 * * ?)", "cron expression has 5 fields, Glue needs 6", CRON_SYNTAX)
    ]


@pytest.mark.parametrize(
    ("expression", "rule", "allowed"),
    [
        ("cron(60 2 * * ? *)", "minutes field '60' is out of range or malformed", "0-59, wildcards , - * /"),
        ("cron(0 24 * * ? *)", "hours field '24' is out of range or malformed", "0-23, wildcards , - * /"),
        ("cron(0 2 32 * ? *)", "day-of-month field '32' is out of range or malformed", "1-31, wildcards , - * ? / L W"),
        ("cron(0 2 * 13 ? *)", "month field '13' is out of range or malformed", "1-12 or JAN-DEC, wildcards , - * /"),
        (
            "cron(0 2 ? * FUN *)",
            "day-of-week field 'FUN' is out of range or malformed",
            "1-7 or SUN-SAT, wildcards , - * ? / L #",
        ),
        ("cron(0 2 * * ? 1969)", "year field '1969' is out of range or malformed", "1970-2199, wildcards , - * /"),
        ("cron(0 ? * * ? *)", "hours field '?' is out of range or malformed", "0-23, wildcards , - * /"),
        ("cron(0 10-2 * * ? *)", "hours field '10-2' is out of range or malformed", "0-23, wildcards , - * /"),
        ("cron(0/0 2 * * ? *)", "minutes field '0/0' is out of range or malformed", "0-59, wildcards , - * /"),
    ],
)
def test_fails_field_out_of_range(expression: str, rule: str, allowed: str) -> None:
    assert cron_problems("crawlers[0].schedule", expression) == [
        Problem("crawlers[0].schedule", expression, rule, allowed)
    ]


@pytest.mark.parametrize("expression", ["cron(0 2 * * * *)", "cron(0 2 ? * ? *)", "cron(0 2 1 * MON *)"])
def test_fails_day_of_month_and_day_of_week(expression: str) -> None:
    assert cron_problems("schedule", expression) == [
        Problem(
            "schedule",
            expression,
            "exactly one of day-of-month and day-of-week must be '?'",
            "e.g. cron(0 2 * * ? *) (daily) or cron(0 2 ? * MON-FRI *) (weekdays)",
        )
    ]


@pytest.mark.parametrize(
    "expression",
    [
        "cron(* * * * ? *)",
        "cron(0/2 * * * ? *)",
        "cron(0,3 2 * * ? *)",
        "cron(0-10 2 * * ? *)",
        "cron(0,58 * * * ? *)",
        "cron(0,58 2-3 * * ? *)",
    ],
)
def test_fails_more_often_than_every_five_minutes(expression: str) -> None:
    assert cron_problems("schedule", expression) == [
        Problem(
            "schedule",
            expression,
            "runs more often than every 5 minutes, which Glue does not support",
            "at least 5 minutes between runs, e.g. cron(0/15 * * * ? *)",
        )
    ]


def test_gap_across_the_hour_only_counts_when_the_next_hour_fires() -> None:
    assert cron_problems("schedule", "cron(0,58 2,5 * * ? *)") == []
