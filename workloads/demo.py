"""Run the batch ETL end to end on this machine: generate a sample, run every day with local Spark, report.

Local folders stand in for the zones and local files for the relational source and the DynamoDB sink, so the
job takes exactly the arguments it takes on EMR, with other values (see ``workloads.batch.job``)::

    python -m workloads.demo                     # what `make demo` runs; writes under build/demo/
    python -m workloads.demo --events-per-day 2000 --days 2 --out /tmp/demo

:func:`run` is the same thing for callers (the operator CLI): it returns the figures it printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pyspark.sql import SparkSession

from workloads.batch import job
from workloads.compat import keyword_only
from workloads.generator import Sample, generate

DEFAULT_OUT = Path("build/demo")


@keyword_only
@dataclass(frozen=True)
class DemoResult:
    """The sample, one summary per run day, and the wall-clock split."""

    sample: Sample
    summaries: tuple[job.RunSummary, ...]
    generate_seconds: float
    spark_seconds: float
    total_seconds: float

    @property
    def rejected(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for summary in self.summaries:
            total.update(summary.rejected)
        return dict(sorted(total.items()))

    @property
    def curated(self) -> int:
        return sum(s.curated for s in self.summaries)

    @property
    def matches_expectation(self) -> bool:
        """Whether every run reported exactly what the generator says it put in."""
        for summary in self.summaries:
            expected = self.sample.expected(dt.date.fromisoformat(summary.date))
            got = {k: getattr(summary, k) for k in ("read", "curated", "late_accepted", "rejected", "other_runs")}
            if got != expected:
                return False
        return True


def options_for(sample: Sample, day: dt.date) -> job.BatchOptions:
    """The local arguments of the run of ``day``: the same flags as on EMR, pointing at ``sample.out``."""
    zones = sample.out / "zones"
    return job.parse_args(
        [
            f"--date={day.isoformat()}",
            f"--raw-path={sample.raw_path}",
            f"--curated-path={zones / 'curated' / 'events'}",
            f"--quarantine-path={zones / 'curated' / 'quarantine' / 'events'}",
            f"--analytics-path={zones / 'analytics' / 'daily_category'}",
            f"--allowed-lateness-days={sample.allowed_lateness_days}",
            f"--dimension-path={sample.dimension_path}",
            f"--sink-path={sample.out / 'sink' / 'daily_category.jsonl'}",
        ]
    )


def run(
    out: Path = DEFAULT_OUT,
    *,
    seed: int = 7,
    days: int = 3,
    events_per_day: int = 10_000,
    spark: SparkSession | None = None,
    stream: TextIO = sys.stdout,
) -> DemoResult:
    """Generate a fresh sample under ``out`` (deleting what was there), run the ETL for each day, print figures.

    ``spark`` is an existing session to use (tests pass theirs); by default a local one is started.
    """
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    sample = generate(out, seed=seed, days=days, events_per_day=events_per_day)
    generated = time.perf_counter()
    print(
        f"sample: {len(sample.lines):,} raw lines (seed {seed}, {days} days x {events_per_day:,} events) "
        f"-> {sample.raw_path} ({generated - started:.1f} s)",
        file=stream,
    )
    if spark is None:
        from workloads.spark import local_session

        spark = local_session("workloads-demo")
    spark_ready = time.perf_counter()
    print(f"spark {spark.version} {spark.sparkContext.master} ready ({spark_ready - generated:.1f} s)", file=stream)

    header = (
        f"{'day':<12}{'read':>8}{'curated':>9}{'late':>6}{'rejected':>10}{'other runs':>12}{'aggregate':>11}{'s':>7}"
    )
    print(header, file=stream)
    summaries = []
    for day in sample.run_days:
        summary = job.run(spark, options_for(sample, day))
        summaries.append(summary)
        print(
            f"{summary.date:<12}{summary.read:>8,}{summary.curated:>9,}{summary.late_accepted:>6,}"
            f"{sum(summary.rejected.values()):>10,}{summary.other_runs:>12,}{summary.aggregate_rows:>11,}"
            f"{summary.seconds:>7.1f}",
            file=stream,
        )
    finished = time.perf_counter()
    result = DemoResult(
        sample=sample,
        summaries=tuple(summaries),
        generate_seconds=round(generated - started, 2),
        spark_seconds=round(spark_ready - generated, 2),
        total_seconds=round(finished - started, 2),
    )
    options = options_for(sample, sample.run_days[0])
    rejected = ", ".join(f"{reason} {count:,}" for reason, count in result.rejected.items())
    print(f"read: {len(sample.lines):,} raw lines, each owned by exactly one run", file=stream)
    print(f"rejected: {sum(result.rejected.values()):,} ({rejected}) -> {options.quarantine_path}", file=stream)
    print(
        f"wrote: {result.curated:,} curated events -> {options.curated_path}; "
        f"{sum(s.aggregate_rows for s in summaries)} aggregate rows -> {options.analytics_path} "
        f"and {options.sink_path}",
        file=stream,
    )
    verdict = "yes" if result.matches_expectation else "NO"
    print(f"figures match what the generator put in: {verdict}", file=stream)
    print(
        f"took: {result.total_seconds:.1f} s (sample {result.generate_seconds:.1f} s, "
        f"Spark start {result.spark_seconds:.1f} s, ETL {finished - spark_ready:.1f} s)",
        file=stream,
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workloads.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the sample and zones")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--events-per-day", type=int, default=10_000)
    args = parser.parse_args(argv)
    result = run(args.out, seed=args.seed, days=args.days, events_per_day=args.events_per_day)
    return 0 if result.matches_expectation else 1


if __name__ == "__main__":
    sys.exit(main())
