"""Glue schedule expressions (``cron(...)``), checked the way Glue checks them at deploy time.

Glue takes six fields, ``cron(Minutes Hours Day-of-month Month Day-of-week Year)``, in UTC, and rejects
schedules that fire more often than every 5 minutes:
https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from emr_constructs.errors import Problem

#: What every schedule message offers as the fix.
CRON_SYNTAX = "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) in UTC, e.g. cron(15 2 * * ? *)"

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_WRAPPED = re.compile(r"^cron\((?P<body>.*)\)$")
_STEP = re.compile(r"^(?P<base>[^/]+)(/(?P<step>\d+))?$")
_MIN_INTERVAL_MINUTES = 5


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    wildcards: str
    names: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        values = f"{self.low}-{self.high}"
        if self.names:
            values += f" or {self.names[0]}-{self.names[-1]}"
        return f"{values}, wildcards {self.wildcards}"


_FIELDS = (
    _Field("minutes", 0, 59, ", - * /"),
    _Field("hours", 0, 23, ", - * /"),
    _Field("day-of-month", 1, 31, ", - * ? / L W"),
    _Field("month", 1, 12, ", - * /", _MONTHS),
    _Field("day-of-week", 1, 7, ", - * ? / L #", _DAYS),
    _Field("year", 1970, 2199, ", - * /"),
)


def cron_problems(field: str, expression: str) -> list[Problem]:
    """Problems of a Glue schedule expression; ``field`` names the setting in the messages."""
    wrapped = _WRAPPED.match(expression.strip())
    if wrapped is None:
        return [Problem(field, expression, "not a Glue schedule expression", CRON_SYNTAX)]
    parts = wrapped.group("body").split()
    if len(parts) != len(_FIELDS):
        return [Problem(field, expression, f"cron expression has {len(parts)} fields, Glue needs 6", CRON_SYNTAX)]
    problems = [
        Problem(field, expression, f"{spec.name} field {text!r} is out of range or malformed", spec.allowed)
        for spec, text in zip(_FIELDS, parts, strict=True)
        if not _field_ok(spec, text)
    ]
    if problems:
        return problems
    day_of_month, day_of_week = parts[2], parts[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        problems.append(
            Problem(
                field,
                expression,
                "exactly one of day-of-month and day-of-week must be '?'",
                "e.g. cron(0 2 * * ? *) (daily) or cron(0 2 ? * MON-FRI *) (weekdays)",
            )
        )
    if _fires_too_often(parts[0], parts[1]):
        problems.append(
            Problem(
                field,
                expression,
                f"runs more often than every {_MIN_INTERVAL_MINUTES} minutes, which Glue does not support",
                f"at least {_MIN_INTERVAL_MINUTES} minutes between runs, e.g. cron(0/15 * * * ? *)",
            )
        )
    return problems


def _value(spec: _Field, text: str) -> int | None:
    upper = text.upper()
    if upper in spec.names:
        return spec.names.index(upper) + spec.low
    if text.isdigit() and spec.low <= int(text) <= spec.high:
        return int(text)
    return None


def _item_ok(spec: _Field, item: str) -> bool:
    if spec.name == "day-of-month" and (item in ("L", "LW") or (item.endswith("W") and _value(spec, item[:-1]))):
        return True
    if spec.name == "day-of-week":
        if item == "L" or (item.endswith("L") and _value(spec, item[:-1]) is not None):
            return True
        if "#" in item:
            day, _, nth = item.partition("#")
            return _value(spec, day) is not None and nth in {"1", "2", "3", "4", "5"}
    stepped = _STEP.match(item)
    if stepped is None:
        return False
    base, step = stepped.group("base"), stepped.group("step")
    if step is not None and int(step) == 0:
        return False
    if base == "*":
        return True
    low, dash, high = base.partition("-")
    if not dash:
        return _value(spec, base) is not None
    first, last = _value(spec, low), _value(spec, high)
    return first is not None and last is not None and first <= last


def _field_ok(spec: _Field, text: str) -> bool:
    if text == "?":
        return "?" in spec.wildcards
    return all(item and _item_ok(spec, item) for item in text.split(","))


def _expand(text: str, high: int) -> set[int]:
    """The values a valid minutes or hours field fires on (0 to ``high``)."""
    fired: set[int] = set()
    for item in text.split(","):
        stepped = _STEP.match(item)
        assert stepped is not None  # validated before
        base, step = stepped.group("base"), int(stepped.group("step") or 1)
        if base == "*":
            first, last = 0, high
        elif "-" in base:
            low, _, top = base.partition("-")
            first, last = int(low), int(top)
        else:
            first = int(base)
            last = high if stepped.group("step") else first
        fired.update(range(first, last + 1, step))
    return fired


def _fires_too_often(minutes: str, hours: str) -> bool:
    fired = sorted(_expand(minutes, 59))
    gaps = [b - a for a, b in itertools.pairwise(fired)]
    hours_fired = _expand(hours, 23)
    # The last run of one hour and the first of the next are close when both hours fire.
    if any((hour + 1) % 24 in hours_fired for hour in hours_fired):
        gaps.append(60 - fired[-1] + fired[0])
    return any(gap < _MIN_INTERVAL_MINUTES for gap in gaps)
