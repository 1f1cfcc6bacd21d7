"""The benchmark's generated settings load (validated like config/*.json), with the cluster counts and stacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacks.settings import known_environments, load_environment
from tools.bench import run as bench_run
from tools.bench.make_configs import CLUSTER_COUNTS, CLUSTERS_PER_STACK, config_name, write
from tools.bench.run import ROOT, Case, linear_fit, peer_cases, summarize, synth_cases


def test_generated_configs_load_with_the_cluster_counts_and_stacks(tmp_path: Path) -> None:
    write(tmp_path)
    assert sorted(known_environments(tmp_path)) == sorted(config_name(n) for n in CLUSTER_COUNTS)
    for count in CLUSTER_COUNTS:
        clusters = load_environment(config_name(count), tmp_path).compute.clusters
        assert len(clusters) == count
        per_stack: dict[str, int] = {}
        for cluster in clusters.values():
            per_stack[cluster.stack] = per_stack.get(cluster.stack, 0) + 1
        assert max(per_stack.values()) <= CLUSTERS_PER_STACK
        assert len(per_stack) == -(-count // CLUSTERS_PER_STACK)
        assert len({c.cluster.name for c in clusters.values()}) == count


def test_linear_fit() -> None:
    fit = linear_fit([1, 10, 25, 50], [2.0, 2.9, 4.4, 6.9])
    assert (fit["slope_s_per_cluster"], fit["intercept_s"], fit["r2"]) == (0.1, 1.9, 1.0)
    assert fit["residuals_s"] == [0.0, 0.0, 0.0, 0.0]
    curved = linear_fit([1, 10, 25, 50], [1.0, 2.0, 7.0, 26.0])
    assert curved["r2"] < 0.98


def test_every_case_runs_a_script_that_exists(tmp_path: Path) -> None:
    """Each case's script path resolves from the repository root, where the benchmark runs it (a moved file
    would otherwise fail only in a full ``make bench``)."""
    cases = [*synth_cases(tmp_path), *peer_cases(tmp_path / "python")]
    scripts = [case.argv[1] for case in cases]
    assert scripts and all((ROOT / script).is_file() for script in scripts), scripts
    assert {"floor", "full", "peer-floor", "peer"} <= {case.key for case in cases}


def _row(median: float, clusters: int | None = None, **extra: object) -> dict[str, object]:
    return {"median_s": median, "cpu_median_s": median, "clusters": clusters, **extra}


def test_scaling_targets_per_added_cluster_and_limits_of_the_largest_environment() -> None:
    floor = 4.0
    synth = {"floor": _row(floor)}
    for count in CLUSTER_COUNTS:  # 0.3 s per cluster: 0.075x the floor
        synth[config_name(count)] = _row(5.0 + 0.3 * count, count)
    largest = max(CLUSTER_COUNTS)
    synth[config_name(largest)]["stack_details"] = [
        {"resources": 99, "bytes": 500_764, "outputs": 36},
        {"resources": 12, "bytes": 90_000, "outputs": 170},
    ]
    targets = {t["target"]: t for t in summarize(synth, {}, 5)["targets"]}
    per_cluster = targets["each added cluster <= 0.1x floor, linear (R² >= 0.98)"]
    assert (per_cluster["value"], per_cluster["met"]) == ("0.075x per cluster, R²=1.0", True)
    limits = targets[f"{largest} clusters: every stack under 80% of each limit"]
    assert limits["value"] == "largest shares: resources 19.8%, bytes 50.1%, outputs 85.0%"
    assert limits["met"] is False  # 170 outputs is 85% of 200


def test_warm_up_runs_each_script_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[str] = []

    def fake_run(case: Case, env: dict[str, str]) -> tuple[float, float, dict[str, object]]:
        runs.append(case.key)
        return 1.0, 1.0, {}

    monkeypatch.setattr(bench_run, "run_once", fake_run)
    cases = [c for c in synth_cases(tmp_path) if c.key != "floor-novalidation"]
    bench_run.measure(cases, 1, {})
    warm_ups = runs[: len(runs) - len(cases)]
    # app.py is warmed once (by the full app, before the cluster counts): no scaling case runs unmeasured.
    assert warm_ups == ["floor", "full"]
