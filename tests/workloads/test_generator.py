"""The sample generator: same seed, same bytes; known proportions; an oracle consistent with itself."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from workloads import generator
from workloads.generator import Proportions, generate


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", seed=7, days=2, events_per_day=500)
    again = generate(tmp_path / "b", seed=7, days=2, events_per_day=500)
    other = generate(tmp_path / "c", seed=8, days=2, events_per_day=500)

    assert _digest(first.out) == _digest(again.out)
    assert _digest(first.out) != _digest(other.out)
    assert first.lines == again.lines


def test_sample_is_pinned(tmp_path: Path) -> None:
    # A change here changes every figure the demo and the tests print: update both on purpose, never by accident.
    sample = generate(tmp_path, seed=7, days=1, events_per_day=200)
    assert _digest(sample.out) == PINNED


def test_proportions_are_exact_counts_of_each_kind(tmp_path: Path) -> None:
    sample = generate(tmp_path, seed=1, days=2, events_per_day=1000)
    kinds = Counter(line.kind for line in sample.lines)
    assert kinds == {
        "on_time": 2 * 970,
        "late": 2 * 30,
        "duplicate": 2 * 20,
        "too_late": 2 * 5,
        **{reason: 2 * 2 for reason in generator.KINDS[4:]},
    }
    assert sorted(p.name for p in sample.raw_path.iterdir()) == [
        "ingest_date=2026-11-02",
        "ingest_date=2026-11-03",
        "ingest_date=2026-11-04",
    ]
    assert sample.dimension_path.read_text().splitlines()[:2] == ["product_id,category", "p-000,books"]


def test_every_line_is_owned_by_exactly_one_run(tmp_path: Path) -> None:
    sample = generate(tmp_path, seed=3, days=3, events_per_day=300, proportions=Proportions(late=0.1))
    owned = 0
    for day in sample.run_days:
        expected = sample.expected(day)
        assert expected["read"] == expected["curated"] + sum(expected["rejected"].values()) + expected["other_runs"]
        owned += expected["curated"] + sum(expected["rejected"].values())
    assert owned == len(sample.lines)
    assert sample.expected(dt.date(2026, 11, 2))["late_accepted"] == 30


def test_fails_generate_without_days() -> None:
    with pytest.raises(ValueError, match="days and events_per_day must be >= 1"):
        generate(Path("unused"), days=0)


def test_generator_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert generator.main(["--out", str(tmp_path), "--days", "1", "--events-per-day", "100"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote 102 lines under {tmp_path / 'raw' / 'events'}: ")


PINNED = "dc91bb45aed39f33e935bdcc1cd2046d8d1a85d3112f09ed1227be3d4cea0a98"
