"""The benchmark's generated settings load (validated like config/*.json), with the cluster counts and stacks."""

from __future__ import annotations

from pathlib import Path

from stacks.settings import known_environments, load_environment
from tools.bench.make_configs import CLUSTER_COUNTS, CLUSTERS_PER_STACK, config_name, write
from tools.bench.run import ROOT, linear_fit, peer_cases, synth_cases


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
