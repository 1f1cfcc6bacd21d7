"""Enum membership checks every Props module uses: settings parse into members, Python callers may pass raw strings."""

from __future__ import annotations

from enum import Enum
from typing import Any

from emr_constructs.errors import Checks


def value_of(value: Any) -> Any:
    """The plain value for messages: an enum member shows as its value (``'gp3'``), not its repr."""
    return value.value if isinstance(value, Enum) else value


def is_member(enum_type: type[Enum], value: Any) -> bool:
    try:
        enum_type(value)
    except ValueError:
        return False
    return True


def one_of(enum_type: type[Enum]) -> str:
    return ", ".join(str(m.value) for m in enum_type)


def require_member(checks: Checks, enum_type: type[Enum], field_name: str, value: Any) -> None:
    """Settings are parsed into members; this catches a raw string given from Python code."""
    checks.require(
        is_member(enum_type, value),
        field_name,
        value_of(value),
        f"unknown {enum_type.__name__}",
        one_of(enum_type),
    )
