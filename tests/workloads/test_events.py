"""The event contract's ``event_time``: one grammar, the same result on Python 3.9 (EMR) and 3.11 (tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from workloads.events import parse_event_time

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27", dt.datetime(2026, 11, 27, tzinfo=UTC)),
        ("2026-11-27T10:15:03Z", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
        ("2026-11-27 10:15:03", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
        ("2026-11-27T10:15Z", dt.datetime(2026, 11, 27, 10, 15, tzinfo=UTC)),
        ("2026-11-27T10Z", dt.datetime(2026, 11, 27, 10, tzinfo=UTC)),
        ("2026-11-27T10:15:03.123Z", dt.datetime(2026, 11, 27, 10, 15, 3, 123_000, tzinfo=UTC)),
        ("2026-11-27T10:15:03.123456+00:00", dt.datetime(2026, 11, 27, 10, 15, 3, 123_456, tzinfo=UTC)),
        # Python 3.9's fromisoformat refuses these, 3.11's accepts them: both accept them here.
        ("2026-11-27T10:15:03.5Z", dt.datetime(2026, 11, 27, 10, 15, 3, 500_000, tzinfo=UTC)),
        ("2026-11-27T10:15:03.123456789Z", dt.datetime(2026, 11, 27, 10, 15, 3, 123_456, tzinfo=UTC)),
        ("2026-11-27T11:15:03+0100", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
        ("2026-11-27T05:15:03-05", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
        ("2026-11-27T16:00:03+05:45", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_accepted_forms(text: str, expected: dt.datetime) -> None:
    parsed = parse_event_time(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "27/11/2026 10:00",
        "2026-11-27T10:15:03,5Z",  # decimal comma, week dates, basic format and odd separators: only 3.11
        "2026-W48-5",
        "20261127T101503Z",
        "2026-11-27X10:15:03",
        "2026-11-27Z",
        " 2026-11-27",
        "2026-11-27T10:15:03.Z",
        "2026-11-27T10:15:03.1234567890Z",
        "2026-13-01",
        "2026-02-29",
        "2026-11-27T24:00:00Z",
        "2026-11-27T10:60Z",
        "2026-11-27T10:15:03+24:00",
        "2026-11-27T10:15:03+01:00:30",
    ],
)
def test_refused_forms(text: str) -> None:
    assert parse_event_time(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-27",
        "2026-11-27T10",
        "2026-11-27T10:15",
        "2026-11-27 10:15:03",
        "2026-11-27T10:15:03.123",
        "2026-11-27T10:15:03.123456",
        "2026-11-27T10:15:03+01:00",
        "2026-11-27T10:15:03.123-11:30",
    ],
)
def test_same_instant_as_fromisoformat_where_3_9_and_3_11_agree(text: str) -> None:
    """The forms both versions' ``fromisoformat`` take give the instant they gave before (no offset = UTC)."""
    reference = dt.datetime.fromisoformat(text)
    assert parse_event_time(text) == (reference if reference.tzinfo else reference.replace(tzinfo=UTC))
