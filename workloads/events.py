"""The event contract shared by the batch and streaming workloads, the sample generator and the tests.

One raw event is one JSON object per line (raw zone) or per Kinesis record::

    {"event_id": "e-00000042", "event_type": "purchase", "user_id": "u-0193", "product_id": "p-017",
     "event_time": "2026-11-27T10:15:03Z", "amount": 12.50}

``event_id``, ``event_type``, ``user_id``, ``product_id`` and ``event_time`` (ISO 8601, UTC) are required;
``amount`` is required on purchases and, when present, a number >= 0 with at most two decimals. A record that
breaks a rule is quarantined with the first broken rule as its reason (the order of :data:`MALFORMED_REASONS`).
"""

from __future__ import annotations

import datetime as dt
import re

from workloads.compat import StrEnum

EVENT_TYPES = ("view", "add_to_cart", "purchase")
"""Closed set of event types; anything else is ``unknown_event_type``."""

REQUIRED_FIELDS = ("event_id", "event_type", "user_id", "product_id", "event_time")
"""Fields every event carries; a missing or empty one is ``missing_field``."""

AMOUNT_PRECISION = 12
AMOUNT_SCALE = 2
"""Amounts are decimals (12, 2): exact sums, and DynamoDB numbers without float rounding."""

UNKNOWN_CATEGORY = "unknown"
"""Category of an event whose product is not in the product dimension (kept, never dropped)."""


class Reason(StrEnum):
    """Why a record did not reach the curated zone (the quarantine's ``reason`` column)."""

    UNPARSEABLE_JSON = "unparseable_json"
    """Not a JSON object, or a field of the wrong JSON type."""
    MISSING_FIELD = "missing_field"
    """A required field is absent, null or empty."""
    INVALID_EVENT_TIME = "invalid_event_time"
    """``event_time`` is not an ISO 8601 timestamp."""
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    """``event_type`` is not one of :data:`EVENT_TYPES`."""
    INVALID_AMOUNT = "invalid_amount"
    """``amount`` is negative, not a number, has more than two decimals, or is missing on a purchase."""
    EVENT_TIME_AFTER_INGEST = "event_time_after_ingest"
    """The event's day is after the day it reached the raw zone (a producer clock in the future)."""
    DUPLICATE = "duplicate"
    """Another record with the same ``event_id`` for the same day reached the raw zone first."""
    TOO_LATE = "too_late"
    """The record arrived more than the allowed lateness after its event day (see ``workloads.batch``)."""


MALFORMED_REASONS = (
    Reason.UNPARSEABLE_JSON,
    Reason.MISSING_FIELD,
    Reason.INVALID_EVENT_TIME,
    Reason.UNKNOWN_EVENT_TYPE,
    Reason.INVALID_AMOUNT,
    Reason.EVENT_TIME_AFTER_INGEST,
)
"""Validation rules in the order they are checked: a record gets the first one it breaks."""


_EVENT_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?)?"
    r"(?P<offset>Z|(?P<sign>[+-])(?P<offset_hours>\d{2})(?::?(?P<offset_minutes>\d{2}))?)?)?"
)


def parse_event_time(text: str) -> dt.datetime | None:
    """``event_time`` as an aware datetime, or None when it is not an ISO 8601 timestamp of the accepted form.

    Accepted: ``YYYY-MM-DD``, optionally followed by ``T`` (or a space) and ``HH[:MM[:SS[.fraction]]]`` (1 to 9
    fraction digits, cut to microseconds) and an offset ``Z``, ``+HH:MM``, ``+HHMM`` or ``+HH``; no offset means
    UTC. Parsed here rather than by ``datetime.fromisoformat``, which accepts far fewer forms on Python 3.9 (EMR's)
    than on 3.11, so the same record would be an event in the tests and malformed on the cluster.
    """
    match = _EVENT_TIME.fullmatch(text)
    if match is None:
        return None
    part = match.groupdict()
    zone = dt.timezone.utc
    if part["sign"]:
        sign = -1 if part["sign"] == "-" else 1
        offset = dt.timedelta(hours=int(part["offset_hours"]), minutes=int(part["offset_minutes"] or 0))
        if offset >= dt.timedelta(hours=24):
            return None
        zone = dt.timezone(sign * offset)
    try:
        return dt.datetime(
            int(part["year"]),
            int(part["month"]),
            int(part["day"]),
            int(part["hour"] or 0),
            int(part["minute"] or 0),
            int(part["second"] or 0),
            int((part["fraction"] or "").ljust(6, "0")[:6]),
            tzinfo=zone,
        )
    except ValueError:
        return None
