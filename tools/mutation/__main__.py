"""Mutation testing of the rule modules against their own tests: ``python -m tools.mutation [--module NAME ...]``.

Each module of :data:`MODULES` is mutated by mutmut in a scratch copy of the repository (``.mutation/<name>/``,
so runs never touch the working tree and modules can run one at a time), against only the test files listed
for it. The report (``tools/mutation/report.md``) gives the score per module, the command and the time, and
every surviving mutant with its diff; a survivor is either killed by a new test or listed in
:data:`EQUIVALENT` with the reason no test can kill it. Not part of ``make test``: a full run takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = ROOT / ".mutation"
REPORT = Path(__file__).resolve().parent / "report.md"
RESULTS = Path(__file__).resolve().parent / "results.json"


@dataclass(frozen=True)
class RuleModule:
    """A rule module and the tests that should kill its mutants (missing test files are skipped)."""

    name: str
    sources: tuple[str, ...]
    tests: tuple[str, ...]


#: The rule modules and their own tests: the one place to update when modules move or tests are added.
MODULES: tuple[RuleModule, ...] = (
    RuleModule(
        "network",
        ("emr_constructs/network/props.py",),
        ("tests/network/test_validation.py", "tests/network/test_rule_edges.py"),
    ),
    RuleModule(
        "storage",
        ("emr_constructs/storage/props.py",),
        ("tests/storage/test_validation.py", "tests/storage/test_rule_edges.py"),
    ),
    RuleModule(
        "catalog",
        ("emr_constructs/catalog/props.py",),
        ("tests/catalog/test_catalog.py", "tests/catalog/test_settings_shapes.py", "tests/catalog/test_rule_edges.py"),
    ),
    RuleModule(
        "warehouse",
        ("emr_constructs/warehouse/props.py",),
        (
            "tests/warehouse/test_warehouse.py",
            "tests/warehouse/test_settings_shapes.py",
            "tests/warehouse/test_rule_edges.py",
        ),
    ),
    RuleModule(
        "monitoring",
        ("emr_constructs/monitoring/props.py",),
        ("tests/monitoring/test_monitoring_settings.py", "tests/monitoring/test_rule_edges.py"),
    ),
    RuleModule(
        "orchestration",
        ("emr_constructs/orchestration/props.py", "emr_constructs/orchestration/jars.py"),
        (
            "tests/orchestration/test_flink_jobs.py",
            "tests/orchestration/test_flink_launcher.py",
            "tests/orchestration/test_jars.py",
            "tests/orchestration/test_pipeline.py",
            "tests/orchestration/test_props_edges.py",
            "tests/orchestration/test_run_date.py",
            "tests/orchestration/test_transient_like.py",
        ),
    ),
    # The cluster's rule modules, in three runs of a few minutes each (one run of all of them takes too long).
    *(
        RuleModule(
            name,
            sources,
            (
                "tests/cluster/test_validation.py",
                "tests/cluster/test_releases.py",
                "tests/cluster/test_configurations.py",
                "tests/cluster/test_rule_edges.py",
            ),
        )
        for name, sources in (
            (
                "cluster-capacity",
                (
                    "emr_constructs/cluster/capacity_rules.py",
                    "emr_constructs/cluster/fleets.py",
                    "emr_constructs/cluster/groups.py",
                    "emr_constructs/cluster/scaling.py",
                ),
            ),
            (
                "cluster-releases",
                ("emr_constructs/cluster/release_rules.py", "emr_constructs/cluster/releases.py"),
            ),
            (
                "cluster-props",
                (
                    "emr_constructs/cluster/props.py",
                    "emr_constructs/cluster/storage.py",
                    "emr_constructs/cluster/steps.py",
                ),
            ),
        )
    ),
)

#: Survivors no test can kill, by mutmut's mutant name, with the reason (checked by a reviewer). mutmut numbers
#: the mutants of a function in order, so an edit to that function renumbers them: re-check after a change.
_FALSE_TO_NONE = (
    "``checks.require(False, ...)`` to ``require(None, ...)``: both are falsy, the same problem is recorded"
)
_SWALLOWED = (
    "the ValueError text of allocate_subnets is never shown: the fit rule catches it and writes its own message"
)
_FIRST_CLASS = (
    "the STANDARD_IA entry of ``by_class`` is never looked up: it names the class a transition goes to, and "
    "STANDARD_IA is always the first transition, never the one after another"
)
_TOKEN_SKIPPED = (
    "the early skip of an unresolved value is repeated by ``Checks.require``, which records nothing for a token: "
    "without it the rule runs on the token and still records nothing"
)
_SPLIT_FIRST = (
    "``split('.', 1)[0]`` to ``split('.')[0]`` or ``split('.', 2)[0]``: the part before the first '.' is the same "
    "whatever the number of splits"
)
EQUIVALENT: dict[str, str] = {
    **{f"emr_constructs.storage.props.xǁZoneLifecycleǁ_rules__mutmut_{n}": _FIRST_CLASS for n in (44, 45, 46, 47)},
    **{
        f"emr_constructs.orchestration.{name}": _TOKEN_SKIPPED
        for name in (
            "jars.x_jar_key_problems__mutmut_5",
            "jars.x_jar_key_problems__mutmut_7",
            "props.x__require_s3__mutmut_13",
            "props.xǁFlinkJobǁproblems__mutmut_72",
        )
    },
    "emr_constructs.orchestration.jars.x_jar_key_problems__mutmut_28": (
        "``why or ''`` to ``why or 'XXXX'``: the fallback text goes with a passing check, which records nothing"
    ),
    **{
        f"emr_constructs.orchestration.jars.x_maven_options__mutmut_{n}": (
            "``split('=', 1)[0]`` to ``split('=', 2)[0]`` or ``split('=')[0]``: the first piece is the same"
        )
        for n in (7, 14)
    },
    "emr_constructs.orchestration.props.xǁTransientClusterPropsǁ_rules__mutmut_40": (
        "the empty field prefix to ``None``: both are falsy, so the instance-type fields are named as given"
    ),
    "emr_constructs.monitoring.props.x__subscriber_problems__mutmut_7": _FALSE_TO_NONE,
    "emr_constructs.monitoring.props.x_period_problems__mutmut_16": (
        "``period > 0`` to ``period > 1``: the only period between, 1 s, is not a multiple of 60 and fails either way"
    ),
    "emr_constructs.monitoring.props.x__periods_problems__mutmut_35": (
        "the most periods allowed for a period of 0 s or less (1 or 2) is never shown: periods x period is then "
        "never above the limit, so the message that names it is never recorded (the period rule reports the period)"
    ),
    **{
        name: _FALSE_TO_NONE
        for name in (
            "emr_constructs.cluster.capacity_rules.x_capacity_problems__mutmut_4",
            "emr_constructs.cluster.capacity_rules.x_managed_scaling_problems__mutmut_60",
            "emr_constructs.cluster.fleets.xǁInstanceFleetǁ_primary_problems__mutmut_8",
        )
    },
    **{
        f"emr_constructs.cluster.release_rules.{name}": _FALSE_TO_NONE
        for name in (
            "x_application_problems__mutmut_11",
            "x_instance_type_release_problems__mutmut_14",
            "x_release_problems__mutmut_3",
            "x_release_problems__mutmut_26",
        )
    },
    **{
        f"emr_constructs.cluster.releases.{name}": _SPLIT_FIRST
        for name in (
            "x_closest_instance_types__mutmut_6",
            "x_closest_instance_types__mutmut_9",
            "x_closest_instance_types__mutmut_15",
            "x_closest_instance_types__mutmut_18",
            "x_instance_family_range__mutmut_5",
            "x_instance_family_range__mutmut_8",
        )
    },
    "emr_constructs.cluster.releases.x_closest_instance_types__mutmut_16": (
        "``t.split('.', 1)[0]`` to ``t.rsplit('.', 1)[0]`` over EMR's instance types: every type in "
        "instance_types.json has exactly one '.', so both give the family"
    ),
    **{
        f"emr_constructs.cluster.releases.x__sort_key__mutmut_{n}": (
            "the fallback key of an unparsable label in ``ReleaseRange.describe``: the excluded and also-supported "
            "labels of releases.json all parse, so the fallback is never used"
        )
        for n in (3, 4, 5)
    },
    "emr_constructs.cluster.releases.xǁReleaseRangeǁsupported_by__mutmut_16": (
        "``version[0] > max(majors)`` to ``>=``: the branch runs only when the major has no minimum, and the "
        "newest major always has one"
    ),
    "emr_constructs.cluster.releases.x_get_release__mutmut_15": (
        "``version <= newest`` to ``<`` for an unknown label: the newest known label is known, so an unknown "
        "label never equals it"
    ),
    "emr_constructs.cluster.releases.x_get_release__mutmut_24": (
        "``r.version <= version`` to ``<``: a label equal to a table release returned from the table earlier "
        "in the function, so no table release equals it here"
    ),
    "emr_constructs.cluster.storage.xǁEbsVolumeǁ_rules__mutmut_68": (
        "the value shown by the io1-needs-IOPS rule, ``self.iops`` to ``None``: that branch runs only when iops is None"
    ),
    "emr_constructs.cluster.groups.xǁScalingRuleǁ_rules__mutmut_78": (
        "``period_seconds > 0`` to ``> 1``: the only period between, 1 s, is not a multiple of 300 and fails either way"
    ),
    "emr_constructs.cluster.groups.xǁInstanceGroupsǁ_rules__mutmut_39": (
        "the value shown for ``primary.auto_scaling`` when it is None: the rule only fails (and shows the value) "
        "when the primary group has a policy, where both give 'AutoScalingPolicy(...)'"
    ),
    "emr_constructs.network.props.x__require_subnets_fit__mutmut_11": _FALSE_TO_NONE,
    "emr_constructs.network.props.x_vpc_cidr_problems__mutmut_8": _FALSE_TO_NONE,
    "emr_constructs.network.props.x__availability_zone_problems__mutmut_24": _TOKEN_SKIPPED,
    "emr_constructs.network.props.x_vpc_cidr_problems__mutmut_1": _TOKEN_SKIPPED,
    "emr_constructs.network.props.x_vpc_cidr_problems__mutmut_6": (
        "``IPv4Network(cidr, strict=True)`` to ``IPv4Network(cidr)``: strict=True is the default (host bits are "
        "still refused; the cidr edge row '10.0.0.1/16' proves it)"
    ),
    "emr_constructs.network.props.x_allocate_subnets__mutmut_23": _SWALLOWED,
    "emr_constructs.network.props.x_allocate_subnets__mutmut_6": (
        "``end = broadcast + 2`` instead of ``+ 1``: blocks are aligned to their power-of-two size, so a block "
        "either ends at or before broadcast + 1 or at least a whole block past it; one more address changes nothing"
    ),
}

#: The rule tables (tests/rule_edges.py); ``--without-edges`` leaves them out to measure what they add.
EDGE_TESTS = "test_rule_edges.py"

#: What the table cannot say; kept with the code so a rerun keeps it.
NOTES: tuple[str, ...] = (
    "- The cluster's rule modules run as three modules (`cluster-capacity`, `cluster-releases`, `cluster-props`),",
    "  each against the cluster's rule tests (`test_validation.py`, `test_releases.py`, `test_configurations.py`,",
    "  `test_rule_edges.py`).",
    "- The `(without edge tables)` rows of monitoring and the cluster modules ran after this round's other new",
    "  tests (loader, release-range and configuration tests in `tests/cluster/test_releases.py` and",
    "  `test_configurations.py`), so they overstate the score before the round a little.",
    "- Rows are rebuilt inside each test (`tests/rule_edges.py`, `rebuilt`): Props run their rules when built, and",
    "  rows are built at collection, where mutmut cannot tie a nested Props' rules to a test.",
    "- Times are on a shared 2-core machine (other work running beside it); compare ratios, not seconds.",
)

#: What each scratch copy needs besides the library and the tests.
ALSO_COPY = ("app.py", "cdk.json", "config", "stacks", "tools", "examples", "workloads")


@dataclass
class Outcome:
    module: str
    seconds: float
    status: dict[str, str] = field(default_factory=dict)
    diffs: dict[str, str] = field(default_factory=dict)

    def count(self, *statuses: str) -> int:
        return sum(1 for name, s in self.status.items() if s in statuses and name not in EQUIVALENT)

    @property
    def killed(self) -> int:
        return self.count("killed", "timeout", "caught by type check")

    @property
    def survived(self) -> list[str]:
        return sorted(n for n, s in self.status.items() if s == "survived" and n not in EQUIVALENT)

    @property
    def scored(self) -> int:
        return self.killed + len(self.survived)

    @property
    def score(self) -> float:
        return 100.0 * self.killed / self.scored if self.scored else 0.0


def _config(module: RuleModule, without_edges: bool) -> str:
    tests = [t for t in module.tests if (ROOT / t).exists() and not (without_edges and t.endswith(EDGE_TESTS))]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pytest_options = pyproject["tool"]["pytest"]["ini_options"]
    lines = [
        "[tool.pytest.ini_options]",
        f"addopts = {json.dumps(pytest_options.get('addopts', ''))}",
        'pythonpath = ["."]',
        "",
        "[tool.mutmut]",
        'source_paths = ["emr_constructs"]',
        f"only_mutate = {json.dumps(list(module.sources))}",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:xdist", "-q"]',
        f"also_copy = {json.dumps(list(ALSO_COPY))}",
    ]
    return "\n".join(lines) + "\n"


def _prepare(module: RuleModule, without_edges: bool) -> Path:
    work = SCRATCH / module.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for tree in ("emr_constructs", "tests"):
        shutil.copytree(ROOT / tree, work / tree, ignore=ignore)
    for item in ALSO_COPY:
        source, target = ROOT / item, work / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)
    (work / "pyproject.toml").write_text(_config(module, without_edges))
    return work


def _mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mutmut", *args], cwd=work, env=env, capture_output=True, text=True, check=False
    )


def run(module: RuleModule, max_children: int, without_edges: bool = False) -> Outcome:
    work = _prepare(module, without_edges)
    log = work / "mutmut-run.log"
    started = time.monotonic()
    with log.open("w") as output:
        returncode = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)],
            cwd=work,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    seconds = time.monotonic() - started
    if returncode != 0:
        raise SystemExit(f"{module.name}: mutmut failed (exit {returncode}); see {log}")
    listed = _mutmut(work, "results", "--all", "true")
    outcome = Outcome(module.name, seconds)
    for line in listed.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            outcome.status[name] = status
    if not outcome.status:
        raise SystemExit(f"{module.name}: mutmut produced no results; see {work / 'mutmut-run.log'}")
    for name in sorted(n for n, st in outcome.status.items() if st == "survived"):
        outcome.diffs[name] = _mutmut(work, "show", name).stdout.split("\n", 1)[-1].strip()
    return outcome


def _outcome(record: dict[str, Any]) -> Outcome:
    """A stored run; records from before statuses were stored hold the names and the survivors' diffs."""
    diffs: dict[str, str] = record["diffs"]
    status: dict[str, str] = record.get("status") or {
        name: "survived" if name in diffs else "killed" for name in record["names"]
    }
    return Outcome(record["module"], record["seconds"], status, diffs)


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """What the history keeps of a run: the counts, the score, the time and the commit (not the diffs)."""
    o = _outcome(record)
    return {
        "commit": record["commit"],
        "seconds": round(o.seconds),
        "mutants": len(o.status),
        "killed": o.killed,
        "survived": len(o.survived),
        "score": round(o.score, 1),
    }


def render(records: list[dict[str, Any]]) -> str:
    rows = [
        "# Mutation testing of the rule modules",
        "",
        "`make mutation` (`python -m tools.mutation`; one module: `--module network`). mutmut mutates each rule",
        "module and runs only that module's own tests (listed in `tools/mutation/__main__.py`, `MODULES`).",
        "Score = killed / (killed + survived); mutants listed as equivalent (with the reason) are left out.",
        "A row `(without edge tables)` ran with `--without-edges`: the module's tests before the rule tables",
        "(`tests/<concept>/test_rule_edges.py`) existed, i.e. the score before and after them.",
        "",
        "| module | sources | mutants | killed | survived | equivalent | no tests | score | time | run at |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    outcomes = [(record, _outcome(record)) for record in records]
    for record, o in outcomes:
        equivalent = sum(1 for n, st in o.status.items() if st == "survived" and n in EQUIVALENT)
        sources = ", ".join(f"`{source}`" for source in record["sources"])
        rows.append(
            f"| {o.module} | {sources} | {len(o.status)} | {o.killed} | {len(o.survived)} | {equivalent} "
            f"| {o.count('no tests')} | {o.score:.1f}% | {o.seconds:.0f} s | {record['commit']} |"
        )
    earlier = [(record["module"], run) for record in records for run in record.get("history", ())]
    if earlier:
        rows += [
            "",
            "Earlier runs of a module (kept when it runs again; scored with the equivalent list of the next run):",
            "",
            "| module | mutants | killed | survived | score | time | run at |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        rows += [
            f"| {name} | {run['mutants']} | {run['killed']} | {run['survived']} | {run['score']:.1f}% "
            f"| {run['seconds']} s | {run['commit']} |"
            for name, run in earlier
        ]
    for _, o in outcomes:
        rows += ["", f"## {o.module}: surviving mutants", ""]
        if not o.survived:
            rows.append("None.")
        for name in o.survived:
            rows += [f"### `{name}`", "", "```diff", o.diffs.get(name, "(diff not recorded)"), "```", ""]
        listed = sorted(n for n, st in o.status.items() if st == "survived" and n in EQUIVALENT)
        if listed:
            rows += ["", "Equivalent (not scored):", ""]
            rows += [f"- `{n}`: {EQUIVALENT[n]}" for n in listed]
    rows += ["", "## Notes", "", *NOTES]
    return "\n".join(rows).rstrip() + "\n"


def _commit() -> str:
    proc = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__.splitlines()[0])
    names = [m.name for m in MODULES]
    parser.add_argument("--module", action="append", choices=names, help="run only this module (repeatable)")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutant runs (default 1)")
    parser.add_argument(
        "--without-edges", action="store_true", help=f"leave out the rule tables ({EDGE_TESTS}): the 'before' score"
    )
    args = parser.parse_args(argv)
    chosen = [m for m in MODULES if not args.module or m.name in args.module]
    # Earlier results of modules not run this time stay in the report.
    results: dict[str, dict[str, Any]] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for module in chosen:
        print(f"==> mutmut: {module.name} ({', '.join(module.sources)})", flush=True)
        outcome = run(module, args.max_children, args.without_edges)
        key = f"{module.name} (without edge tables)" if args.without_edges else module.name
        history = [*results[key].get("history", ()), summary(results[key])] if key in results else []
        results[key] = {
            "history": history,
            "module": key,
            "sources": list(module.sources),
            "status": outcome.status,
            "seconds": outcome.seconds,
            "commit": _commit(),
            "diffs": outcome.diffs,
        }
        print(
            f"    {outcome.score:.1f}% ({outcome.killed} killed, {len(outcome.survived)} survived) "
            f"in {outcome.seconds:.0f} s",
            flush=True,
        )
    ordered = [results[k] for n in names for k in (f"{n} (without edge tables)", n) if k in results]
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    REPORT.write_text(render(ordered))
    print(f"report: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
