"""Event-time tumbling windows with a watermark and allowed lateness, in plain Python (no Flink needed).

The semantics are Flink's, so the PyFlink job (``workloads.streaming.job``) and the tests share one definition:

- An event with timestamp ``ts`` (ms) belongs to the window ``[start, start + size)`` with
  ``start = ts - ts % size``; the window's last timestamp is ``end - 1``.
- The watermark is the largest timestamp seen minus the out-of-orderness bound minus 1 ms (Flink's
  ``WatermarkStrategy.for_bounded_out_of_orderness``): "no event older than this is expected any more".
- A window fires once, with its final figures, when the watermark reaches its last timestamp.
- An event whose window has fired but whose last timestamp + allowed lateness is still after the watermark is
  **late**: it is added and the window fires again at once with the updated figures (``late_update``), so a
  sink keyed by (event type, window start) converges to the right value.
- An event whose window's last timestamp + allowed lateness is at or before the watermark is **too late**: it
  changes nothing and goes to a side output. The window's state is dropped at that same moment.

Windows are per event type (the key). Amounts are exact decimals; users are counted distinct per window.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from workloads.compat import StrEnum, keyword_only
from workloads.events import AMOUNT_SCALE, EVENT_TYPES, REQUIRED_FIELDS, parse_event_time

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

MIN_WATERMARK = -(2**63)
"""Flink's watermark before any event (``Long.MIN_VALUE``)."""


@keyword_only
@dataclass(frozen=True)
class WindowSpec:
    """Window size, allowed lateness and watermark delay, in milliseconds."""

    size_ms: int = 60_000
    allowed_lateness_ms: int = 0
    out_of_orderness_ms: int = 0

    def __post_init__(self) -> None:
        problems = []
        if self.size_ms <= 0:
            problems.append(f"size_ms={self.size_ms} is invalid: a window has a length; allowed: > 0")
        for name in ("allowed_lateness_ms", "out_of_orderness_ms"):
            value = getattr(self, name)
            if value < 0:
                problems.append(f"{name}={value} is invalid: a duration; allowed: >= 0")
        if problems:
            raise ValueError("; ".join(problems))


@dataclass(frozen=True)
class Window:
    start: int
    end: int

    @property
    def max_timestamp(self) -> int:
        """The last timestamp inside the window: it fires when the watermark reaches this."""
        return self.end - 1


class Lateness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    TOO_LATE = "too_late"


def assign(ts: int, spec: WindowSpec) -> Window:
    """The tumbling window holding timestamp ``ts`` (also right for timestamps before 1970)."""
    start = ts - ts % spec.size_ms
    return Window(start, start + spec.size_ms)


def watermark_for(max_timestamp_seen: int, spec: WindowSpec) -> int:
    """The watermark after seeing ``max_timestamp_seen`` (bounded out-of-orderness)."""
    return max_timestamp_seen - spec.out_of_orderness_ms - 1


def cleanup_time(window: Window, spec: WindowSpec) -> int:
    """When the window's state is dropped: its last timestamp plus the allowed lateness."""
    return window.max_timestamp + spec.allowed_lateness_ms


def lateness(window: Window, watermark: int, spec: WindowSpec) -> Lateness:
    """How an event of ``window`` arriving at ``watermark`` is treated (module docstring)."""
    if cleanup_time(window, spec) <= watermark:
        return Lateness.TOO_LATE
    if window.max_timestamp <= watermark:
        return Lateness.LATE
    return Lateness.ON_TIME


@dataclass(frozen=True)
class StreamEvent:
    """The fields the windows need from one event (``workloads.events``)."""

    event_type: str
    timestamp_ms: int
    user_id: str
    amount: Decimal | None = None


def parse_event(text: str) -> StreamEvent | None:
    """One Kinesis record as an event, or None when it breaks the event contract (counted, not windowed)."""
    try:
        document = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    if any(not isinstance(document.get(name), str) or not document[name].strip() for name in REQUIRED_FIELDS):
        return None
    if document["event_type"] not in EVENT_TYPES:
        return None
    moment = parse_event_time(document["event_time"])
    if moment is None:
        return None
    raw_amount = document.get("amount")
    amount: Decimal | None = None
    if raw_amount is not None:
        if isinstance(raw_amount, bool):
            return None
        try:
            amount = Decimal(str(raw_amount))
        except InvalidOperation:
            return None
        if not amount.is_finite() or amount < 0 or amount != round(amount, AMOUNT_SCALE):
            return None
    elif document["event_type"] == "purchase":
        return None
    millis = (moment - _EPOCH) // dt.timedelta(milliseconds=1)
    return StreamEvent(document["event_type"], millis, document["user_id"], amount)


@dataclass
class Accumulator:
    """Running figures of one window of one key."""

    events: int = 0
    revenue: Decimal = Decimal("0.00")
    users: set[str] = field(default_factory=set)

    def add(self, event: StreamEvent) -> None:
        self.events += 1
        if event.event_type == "purchase" and event.amount is not None:
            self.revenue += event.amount
        self.users.add(event.user_id)

    def to_json(self) -> str:
        """As Flink state (a string value in a MapState)."""
        return json.dumps({"events": self.events, "revenue": str(self.revenue), "users": sorted(self.users)})

    @classmethod
    def from_json(cls, text: str) -> Accumulator:
        document = json.loads(text)
        return cls(document["events"], Decimal(document["revenue"]), set(document["users"]))


def _iso(ms: int) -> str:
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@dataclass(frozen=True)
class WindowResult:
    """One firing of one window: final figures, or updated ones after a late event (``late_update``)."""

    event_type: str
    window_start: int
    window_end: int
    events: int
    revenue: Decimal
    unique_users: int
    late_update: bool = False

    def to_item(self) -> dict[str, Any]:
        """As a DynamoDB item / JSON record: partition key ``event_type`` (S), sort key ``window_start`` (S)."""
        return {
            "event_type": self.event_type,
            "window_start": _iso(self.window_start),
            "window_end": _iso(self.window_end),
            "events": self.events,
            "revenue": self.revenue,
            "unique_users": self.unique_users,
            "late_update": self.late_update,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_item(), default=str, sort_keys=True)


def _result(key: str, window: Window, acc: Accumulator, *, late_update: bool) -> WindowResult:
    return WindowResult(key, window.start, window.end, acc.events, acc.revenue, len(acc.users), late_update)


def on_event(
    windows: MutableMapping[int, Accumulator], event: StreamEvent, watermark: int, spec: WindowSpec
) -> tuple[Lateness, WindowResult | None]:
    """Add ``event`` to the open windows of its key (``windows``: start -> accumulator, updated in place).

    Returns how late it was and, for a late event, the window's updated figures to emit now.
    """
    window = assign(event.timestamp_ms, spec)
    decision = lateness(window, watermark, spec)
    if decision is Lateness.TOO_LATE:
        return decision, None
    accumulator = windows.setdefault(window.start, Accumulator())
    accumulator.add(event)
    if decision is Lateness.LATE:
        return decision, _result(event.event_type, window, accumulator, late_update=True)
    return decision, None


def timers_for(window: Window, spec: WindowSpec, watermark: int = MIN_WATERMARK) -> tuple[int, ...]:
    """Event-time timers a window needs after an event at ``watermark``: fire at its last timestamp, drop its
    state at cleanup time. Times the watermark has passed are left out: Flink would run such a timer at the
    next watermark, firing a window twice (a late event's update is emitted at once instead)."""
    return tuple(sorted({t for t in (window.max_timestamp, cleanup_time(window, spec)) if t > watermark}))


def on_timer(
    windows: MutableMapping[int, Accumulator], key: str, timestamp: int, spec: WindowSpec
) -> tuple[list[WindowResult], list[int]]:
    """The watermark reached ``timestamp``: fire the windows ending there, drop those past cleanup time.

    Returns the results to emit and the starts of the windows removed from ``windows``.
    """
    fired = []
    expired = []
    for start in sorted(windows):
        window = Window(start, start + spec.size_ms)
        if window.max_timestamp == timestamp:
            fired.append(_result(key, window, windows[start], late_update=False))
        if cleanup_time(window, spec) <= timestamp:
            expired.append(start)
    for start in expired:
        del windows[start]
    return fired, expired


class WindowedAggregator:
    """The whole operator for many keys, driven by events in arrival order (the reference model).

    The watermark advances after every event, which is what Flink's periodic watermark converges to when
    events arrive slower than the emit interval; :meth:`finish` is the end of a bounded input.
    """

    def __init__(self, spec: WindowSpec) -> None:
        self.spec = spec
        self.watermark = MIN_WATERMARK
        self.windows: dict[str, dict[int, Accumulator]] = {}
        self.timers: set[tuple[int, str]] = set()
        self.too_late: list[StreamEvent] = []
        self._max_seen: int | None = None

    def process(self, event: StreamEvent) -> list[WindowResult]:
        windows = self.windows.setdefault(event.event_type, {})
        decision, result = on_event(windows, event, self.watermark, self.spec)
        out: list[WindowResult] = []
        if decision is Lateness.TOO_LATE:
            self.too_late.append(event)
        else:
            window = assign(event.timestamp_ms, self.spec)
            self.timers.update((ts, event.event_type) for ts in timers_for(window, self.spec, self.watermark))
            if result is not None:
                out.append(result)
        self._max_seen = event.timestamp_ms if self._max_seen is None else max(self._max_seen, event.timestamp_ms)
        out.extend(self.advance(watermark_for(self._max_seen, self.spec)))
        return out

    def advance(self, watermark: int) -> list[WindowResult]:
        """Move the watermark forward (never back) and run the timers it passes, in time order."""
        if watermark <= self.watermark:
            return []
        self.watermark = watermark
        out: list[WindowResult] = []
        for timer in sorted(t for t in self.timers if t[0] <= watermark):
            self.timers.discard(timer)
            fired, _ = on_timer(self.windows[timer[1]], timer[1], timer[0], self.spec)
            out.extend(fired)
        return out

    def finish(self) -> list[WindowResult]:
        """End of input: Flink's final watermark fires every open window."""
        return self.advance(2**63 - 1)

    def run(self, events: Iterable[StreamEvent]) -> list[WindowResult]:
        out: list[WindowResult] = []
        for event in events:
            out.extend(self.process(event))
        return out + self.finish()
