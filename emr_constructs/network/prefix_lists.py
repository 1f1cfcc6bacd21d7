"""AWS-managed prefix lists (S3, DynamoDB gateway endpoints) as security-group destinations."""

from __future__ import annotations

import re

from emr_constructs.errors import Problem

_PREFIX_LIST = re.compile(r"^pl-([0-9a-f]{8}|[0-9a-f]{17})$")


def prefix_list_problems(field: str, value: str | None) -> list[Problem]:
    """The problem with ``value`` as a prefix list id (``None`` means "not given" and is fine)."""
    if value is None or _PREFIX_LIST.match(value):
        return []
    return [Problem(field, value, "not a prefix list id", "pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'")]
