"""Rehearse a team's own app (stacks outside any Stage, e.g. ``examples/team_app``) in moto, then run the operator
CLI against it the way its operators would: found by its discovery tags (``--env NAME``), then by ``--cluster j-...``.

    python -m tools.rehearsal.team_app --env sales examples/team_app/cdk.out

Its stacks name no environment (no ``<env>-*`` stack names, no Stage): the CLI finds the cluster only through the
tags the library writes and the exports ``PlatformOutputs`` writes. moto never runs a step, so while the CLI waits
(``submit --wait``) the rehearsal completes the steps it added (reported as a moto gap).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from moto.emr.models import emr_backends

from emr_constructs.cli.platform import discover
from tools.assembly import AssemblyError, StackArtifact, _ordered, _stack_artifacts, read_manifest
from tools.rehearsal.deploy import DEFAULT_REGION, SMOKE_JOB, CliRun, Rehearsal, rehearsal
from tools.rehearsal.report import Verdict, markdown, summary

STEPS_COMPLETED_NOTE = "moto never runs a step: the rehearsal marked the steps the CLI waited on COMPLETED"


def load_app(cdk_out: Path) -> list[StackArtifact]:
    """The stacks at the top of ``cdk_out`` (an app without Stages), dependencies first."""
    read_manifest(cdk_out)
    stacks = _ordered(_stack_artifacts(cdk_out))
    if not stacks:
        raise AssemblyError(f"{cdk_out} holds no stack outside a Stage: synthesize the app first")
    return stacks


@dataclass
class _StepRunner:
    """Stands in for EMR running steps: each poll of ``--wait`` finds the cluster's pending and running steps done."""

    run: Rehearsal
    completed: list[str] = field(default_factory=list)

    def __call__(self, _seconds: float) -> None:
        account = self.run.account_of(self.run.stacks[0])
        for cluster in emr_backends[account][self.run.region].clusters.values():
            for step in cluster.steps:
                if step.state in ("PENDING", "RUNNING"):
                    step.state = "COMPLETED"
                    self.completed.append(step.id)


def exercise_team_cli(run: Rehearsal, env: str) -> tuple[list[CliRun], list[str]]:
    """``status``, ``submit --wait`` and ``steps`` on the environment's cluster found by tags, then by its id."""
    region = run.region
    where = ("--region", region)
    runs = [run.run_cli("status", "--env", env, *where)]
    found = discover(run.session().client("cloudformation"), env, region, emr=run.session().client("emr"))
    if len(found.clusters) != 1:
        return runs, [f"the CLI finds {len(found.clusters)} clusters tagged emr-platform:environment={env}, not 1"]
    cluster = found.clusters[0]
    steps = _StepRunner(run)
    for selector in (("--env", env, "--cluster", cluster.name), ("--cluster", cluster.cluster_id)):
        runs.append(run.run_cli("submit", *selector, *where, "--wait", str(SMOKE_JOB), sleep=steps))
        runs.append(run.run_cli("steps", *selector, *where))
    problems = [
        f"emr-platform {' '.join(r.argv)} exited {r.exit_code}: {r.stderr.strip()}" for r in runs if r.exit_code
    ]
    if steps.completed:
        run.notes.append(f"{STEPS_COMPLETED_NOTE} ({', '.join(steps.completed)})")
    return runs, problems


def rehearse_app(cdk_out: Path, env: str, region: str = DEFAULT_REGION, report_dir: Path | None = None) -> Verdict:
    """Rehearse the app in ``cdk_out`` as environment ``env`` (its discovery tag); write ``rehearsal-<env>.md``."""
    stacks = load_app(cdk_out)
    with rehearsal(stacks, env=env, region=region) as run:
        run.deploy()
        runs, problems = exercise_team_cli(run, env) if run.ok else ([], [])
        verdict = Verdict(env=env, rehearsal=run, cli_runs=runs, problems=problems)
        report = markdown(verdict, cdk_out)
    (report_dir or cdk_out).joinpath(f"rehearsal-{env}.md").write_text(report)
    return verdict


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.rehearsal.team_app",
        description="Create a Stage-less app's stacks in moto, then run emr-platform status, submit --wait and "
        "steps against its cluster, found by its tags and by its id. Exits 1 if anything fails.",
    )
    parser.add_argument("--env", required=True, help="the environment its resources are tagged with, e.g. sales")
    parser.add_argument("--region", default=DEFAULT_REGION, help=f"region (default {DEFAULT_REGION})")
    parser.add_argument("--report-dir", type=Path, help="where to write rehearsal-<env>.md (default: the cdk.out)")
    parser.add_argument("cdk_out", type=Path, help="the app's cloud assembly")
    args = parser.parse_args(argv)
    try:
        verdict = rehearse_app(args.cdk_out, args.env, args.region, args.report_dir)
    except AssemblyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary(verdict))
    print(f"report: {(args.report_dir or args.cdk_out) / f'rehearsal-{args.env}.md'}")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
