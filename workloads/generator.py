"""Deterministic sample data for the workloads: raw events with known late, duplicate and malformed records.

The same seed and sizes give byte-identical files on every machine (``random.Random`` is stable across
platforms and Python versions). For each event day D of ``start .. start + days - 1``, with ``events`` valid
events a day and allowed lateness L days:

- ``events`` distinct valid events of day D; ``late`` of them arrive on day D + 1 (late but within the allowed
  lateness when L >= 1), the others on D;
- ``duplicates`` extra copies of day-D events, in the same ingest day as their original;
- ``too_late`` distinct valid events of day D - L - 1 arriving on D (quarantined by the run of D);
- ``malformed_each`` lines per malformed reason arriving on D (``workloads.events.MALFORMED_REASONS``).

Layout written under ``out``::

    raw/events/ingest_date=YYYY-MM-DD/part-00000.json   JSON lines, shuffled
    products.csv                                        the product dimension (5 sold products are missing)

    python -m workloads.generator --out build/sample --days 3 --events-per-day 10000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from workloads.compat import keyword_only
from workloads.events import MALFORMED_REASONS, Reason

CATEGORIES = ("books", "electronics", "garden", "grocery", "home", "music", "sports", "toys")
KNOWN_PRODUCTS = 100
UNKNOWN_PRODUCTS = 5
USERS = 2000
EVENT_WEIGHTS = {"view": 70, "add_to_cart": 20, "purchase": 10}

ON_TIME = "on_time"
LATE = "late"
KINDS = (ON_TIME, LATE, Reason.DUPLICATE.value, Reason.TOO_LATE.value, *(r.value for r in MALFORMED_REASONS))


@keyword_only
@dataclass(frozen=True)
class Proportions:
    """Shares of a day's valid events; every count is ``round(share * events_per_day)``."""

    late: float = 0.03
    duplicates: float = 0.02
    too_late: float = 0.005
    malformed_each: float = 0.002

    def counts(self, events_per_day: int) -> dict[str, int]:
        return {
            "late": round(self.late * events_per_day),
            "duplicates": round(self.duplicates * events_per_day),
            "too_late": round(self.too_late * events_per_day),
            "malformed_each": round(self.malformed_each * events_per_day),
        }


@dataclass(frozen=True)
class RawLine:
    """One generated line, with what the generator made it to be."""

    ingest_date: dt.date
    text: str
    kind: str
    event_date: dt.date | None


@keyword_only
@dataclass(frozen=True)
class Sample:
    """What :func:`generate` wrote: the lines with their kinds, and the run days they were made for."""

    out: Path
    raw_path: Path
    dimension_path: Path
    run_days: tuple[dt.date, ...]
    allowed_lateness_days: int
    lines: tuple[RawLine, ...] = field(repr=False)

    def expected(self, day: dt.date) -> dict[str, Any]:
        """The figures the batch ETL must report for the run of ``day`` (an independent oracle)."""
        window = {day + dt.timedelta(days=n) for n in range(self.allowed_lateness_days + 1)}
        of_day = Counter(line.kind for line in self.lines if line.event_date == day)
        ingested = Counter(line.kind for line in self.lines if line.ingest_date == day)
        rejected = {Reason.DUPLICATE.value: of_day[Reason.DUPLICATE.value]}
        for kind in (Reason.TOO_LATE.value, *(r.value for r in MALFORMED_REASONS)):
            rejected[kind] = ingested[kind]
        rejected = {k: v for k, v in sorted(rejected.items()) if v}
        read = sum(1 for line in self.lines if line.ingest_date in window)
        curated = of_day[ON_TIME] + of_day[LATE]
        return {
            "read": read,
            "curated": curated,
            "late_accepted": of_day[LATE],
            "rejected": rejected,
            "other_runs": read - curated - sum(rejected.values()),
        }


def _timestamp(day: dt.date, seconds: int) -> str:
    moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Events:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next_id = 0
        self.types = list(EVENT_WEIGHTS)
        self.weights = list(EVENT_WEIGHTS.values())

    def event(self, day: dt.date) -> dict[str, Any]:
        self.next_id += 1
        event_type = self.rng.choices(self.types, self.weights)[0]
        event: dict[str, Any] = {
            "event_id": f"e-{self.next_id:08d}",
            "event_type": event_type,
            "user_id": f"u-{self.rng.randrange(USERS):04d}",
            "product_id": f"p-{self.rng.randrange(KNOWN_PRODUCTS + UNKNOWN_PRODUCTS):03d}",
            "event_time": _timestamp(day, self.rng.randrange(86_400)),
        }
        if event_type == "purchase":
            event["amount"] = Decimal(self.rng.randrange(100, 20_000)) / 100
        return event


def _dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, default=float, separators=(",", ":"))


def _malformed(reason: Reason, event: dict[str, Any], ingest: dt.date) -> str:
    broken = dict(event)
    if reason is Reason.UNPARSEABLE_JSON:
        text = _dumps(broken)
        return text[: len(text) // 2]
    if reason is Reason.MISSING_FIELD:
        del broken["user_id"]
    elif reason is Reason.INVALID_EVENT_TIME:
        broken["event_time"] = ingest.strftime("%d/%m/%Y 10:00")
    elif reason is Reason.UNKNOWN_EVENT_TYPE:
        broken["event_type"] = "refund"
    elif reason is Reason.INVALID_AMOUNT:
        broken["event_type"], broken["amount"] = "purchase", Decimal("-5.00")
    elif reason is Reason.EVENT_TIME_AFTER_INGEST:
        broken["event_time"] = _timestamp(ingest + dt.timedelta(days=1), 3600)
    return _dumps(broken)


def generate(
    out: Path,
    *,
    seed: int = 7,
    start: dt.date = dt.date(2026, 11, 2),
    days: int = 3,
    events_per_day: int = 10_000,
    allowed_lateness_days: int = 1,
    proportions: Proportions = Proportions(),
) -> Sample:
    """Write the sample under ``out`` (replacing an earlier one there) and return what it holds."""
    if days < 1 or events_per_day < 1 or allowed_lateness_days < 0:
        raise ValueError("days and events_per_day must be >= 1, allowed_lateness_days >= 0")
    rng = random.Random(seed)
    make = _Events(rng)
    counts = proportions.counts(events_per_day)
    lines: list[RawLine] = []
    run_days = tuple(start + dt.timedelta(days=n) for n in range(days))
    for day in run_days:
        valid = [make.event(day) for _ in range(events_per_day)]
        late_ids = {e["event_id"] for e in rng.sample(valid, counts["late"])}
        delivered: list[RawLine] = []
        for event in valid:
            late = event["event_id"] in late_ids
            ingest = day + dt.timedelta(days=1) if late else day
            delivered.append(RawLine(ingest, _dumps(event), LATE if late else ON_TIME, day))
        for original in rng.sample(delivered, counts["duplicates"]):
            delivered.append(RawLine(original.ingest_date, original.text, Reason.DUPLICATE.value, day))
        too_late_day = day - dt.timedelta(days=allowed_lateness_days + 1)
        for _ in range(counts["too_late"]):
            delivered.append(RawLine(day, _dumps(make.event(too_late_day)), Reason.TOO_LATE.value, too_late_day))
        for reason in MALFORMED_REASONS:
            for _ in range(counts["malformed_each"]):
                delivered.append(RawLine(day, _malformed(reason, make.event(day), day), reason.value, None))
        lines.extend(delivered)

    raw_path = out / "raw" / "events"
    by_day: dict[dt.date, list[str]] = {}
    for line in lines:
        by_day.setdefault(line.ingest_date, []).append(line.text)
    for ingest, texts in sorted(by_day.items()):
        rng.shuffle(texts)
        folder = raw_path / f"ingest_date={ingest.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*"):
            old.unlink()
        (folder / "part-00000.json").write_text("".join(f"{text}\n" for text in texts))

    dimension_path = out / "products.csv"
    dimension_path.parent.mkdir(parents=True, exist_ok=True)
    rows = [f"p-{n:03d},{CATEGORIES[n % len(CATEGORIES)]}" for n in range(KNOWN_PRODUCTS)]
    dimension_path.write_text("product_id,category\n" + "".join(f"{row}\n" for row in rows))
    return Sample(
        out=out,
        raw_path=raw_path,
        dimension_path=dimension_path,
        run_days=run_days,
        allowed_lateness_days=allowed_lateness_days,
        lines=tuple(lines),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workloads.generator", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the sample into")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 11, 2))
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--events-per-day", type=int, default=10_000)
    args = parser.parse_args(argv)
    sample = generate(args.out, seed=args.seed, start=args.start, days=args.days, events_per_day=args.events_per_day)
    kinds = Counter(line.kind for line in sample.lines)
    print(f"wrote {len(sample.lines)} lines under {sample.raw_path}: {dict(sorted(kinds.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
