"""``python -m tools.rehearsal --env dev [--env prod ...] [cdk.out]``: rehearse deploys in moto; exit 1 if one fails."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from emr_constructs.cli.platform import discover
from tools.assembly import AssemblyError, load_environment
from tools.rehearsal.deploy import DEFAULT_REGION, SMOKE_JOB, CliRun, Rehearsal, rehearsal
from tools.rehearsal.pipelines import start_pipelines
from tools.rehearsal.report import Verdict, markdown, summary


def exercise_cli(run: Rehearsal) -> tuple[list[CliRun], list[str]]:
    """``status``, then ``submit`` of the smoke job to the environment's first cluster and ``steps``; the same with
    ``--app --wait`` on its first EMR Serverless application, when it has one."""
    env, region = run.env, run.region
    runs = [run.run_cli("status", "--env", env, "--region", region)]
    problems: list[str] = []
    session = run.session()
    found = discover(session.client("cloudformation"), env, region, serverless=session.client("emr-serverless"))
    clusters = found.clusters
    if not clusters:
        problems.append(
            f"no stack exports emr-platform-{env}-cluster-<name>-id: the CLI finds no cluster to run jobs on"
        )
    else:
        cluster = clusters[0].name
        runs.append(run.run_cli("submit", "--env", env, "--region", region, "--cluster", cluster, str(SMOKE_JOB)))
        runs.append(run.run_cli("steps", "--env", env, "--region", region, "--cluster", cluster))
    if found.applications:
        app = found.applications[0].name
        runs.append(run.run_cli("submit", "--env", env, "--region", region, "--app", app, "--wait", str(SMOKE_JOB)))
        runs.append(run.run_cli("steps", "--env", env, "--region", region, "--app", app))
    problems += [
        f"emr-platform {' '.join(r.argv)} exited {r.exit_code}: {r.stderr.strip()}" for r in runs if r.exit_code
    ]
    return runs, problems


def rehearse(
    cdk_out: Path,
    env: str,
    region: str = DEFAULT_REGION,
    report_dir: Path | None = None,
    inspect: Callable[[Verdict], None] | None = None,
) -> Verdict:
    """Rehearse ``env`` from the assembly ``cdk_out``; write ``<report_dir or cdk_out>/rehearsal-<env>.md``.
    ``inspect(verdict)`` runs while the moto world still exists (the tests look into it)."""
    stacks = load_environment(cdk_out, env)
    with rehearsal(stacks, env=env, region=region) as run:
        run.deploy()
        runs, problems = exercise_cli(run) if run.ok else ([], [])
        pipelines = start_pipelines(run.session()) if run.ok else []
        problems += [problem for pipeline in pipelines for problem in pipeline.problems]
        verdict = Verdict(env=env, rehearsal=run, cli_runs=runs, problems=problems, pipeline_runs=pipelines)
        if inspect is not None:
            inspect(verdict)
        report = markdown(verdict, cdk_out)
    (report_dir or cdk_out).joinpath(f"rehearsal-{env}.md").write_text(report)
    return verdict


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.rehearsal",
        description="Create each environment's synthesized stacks in moto, in dependency order, then run the "
        "operator CLI's status and submit against them. Writes <cdk.out>/rehearsal-<env>.md per environment; "
        "exits 1 if any environment fails.",
    )
    parser.add_argument(
        "--env", required=True, action="append", help="environment (CDK Stage) to rehearse, e.g. dev; repeatable"
    )
    parser.add_argument(
        "--region", default=DEFAULT_REGION, help=f"region for environment-agnostic stacks (default {DEFAULT_REGION})"
    )
    parser.add_argument("--report-dir", type=Path, help="where to write rehearsal-<env>.md (default: the cdk.out)")
    parser.add_argument("cdk_out", nargs="?", default="cdk.out", type=Path, help="cloud assembly (default cdk.out)")
    args = parser.parse_args(argv)
    report_dir: Path = args.report_dir or args.cdk_out
    failed = False
    for env in args.env:
        try:
            verdict = rehearse(args.cdk_out, env, args.region, report_dir)
        except AssemblyError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(summary(verdict))
        print(f"report: {report_dir / f'rehearsal-{env}.md'}")
        failed = failed or not verdict.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
