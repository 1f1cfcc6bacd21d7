"""The rehearsal's verdict, as a short console summary and a Markdown report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import boto3
import moto

from tools.rehearsal.deploy import CliRun, Rehearsal
from tools.rehearsal.pipelines import NOT_RUN, REHEARSAL_DATE, PipelineRun

#: What a moto rehearsal cannot tell: the report repeats it so nobody reads PASSED as "deploy will succeed".
NOT_CHECKED = (
    "IAM, bucket and KMS key policies are not evaluated (moto stores most of them without enforcing them).",
    "EMR service rules (instance types offered in the region, capacity, release/application compatibility) are "
    "not applied: moto accepts any cluster definition.",
    "Custom resource handlers (Lambda) are not run.",
    "Jobs do not run: moto ends every EMR Serverless job run SUCCESS at once and never runs an EMR step (the "
    "team-app rehearsal marks the steps it waits on COMPLETED); the scripts are uploaded, not executed.",
    "Pipelines are started, not run: " + NOT_RUN,
    "Service quotas and account limits, other than the template quotas checked here, are not checked.",
)


@dataclass(frozen=True)
class Verdict:
    env: str
    rehearsal: Rehearsal
    cli_runs: Sequence[CliRun]
    problems: Sequence[str]
    """Failures outside the stacks themselves (CLI runs, missing exports, pipelines)."""
    pipeline_runs: Sequence[PipelineRun] = ()
    """The state machines started in moto."""

    @property
    def ok(self) -> bool:
        return self.rehearsal.ok and not self.problems


def summary(verdict: Verdict) -> str:
    r = verdict.rehearsal
    lines = [f"rehearsal of {verdict.env} in moto ({r.region}):"]
    for index, result in enumerate(r.results, 1):
        extra = []
        if result.skipped:
            extra.append(f"{len(result.skipped)} resources skipped by moto")
        if result.custom_resources:
            extra.append(f"{len(result.custom_resources)} custom resources not run")
        if result.sdk_calls:
            extra.append(f"{len(result.sdk_calls)} SDK calls made in moto")
        note = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"  {index}. {result.stack_name}: {result.status}{note}")
        lines += [f"       - {reason}" for reason in result.reasons]
    for run in verdict.cli_runs:
        lines.append(f"  emr-platform {' '.join(run.argv)}: exit {run.exit_code}")
    lines += [
        f"  pipeline {p.state_machine}: {p.status} ({', '.join(p.targets) or 'no fixed target'})"
        for p in verdict.pipeline_runs
    ]
    lines += [f"  problem: {p}" for p in verdict.problems]
    lines.append(f"result: {'PASSED' if verdict.ok else 'FAILED'}")
    return "\n".join(lines)


def markdown(verdict: Verdict, cdk_out: Path) -> str:
    r = verdict.rehearsal
    account = r.session().client("sts").get_caller_identity()["Account"]
    out = [
        f"# Deploy rehearsal: {verdict.env}",
        "",
        f"- Result: **{'PASSED' if verdict.ok else 'FAILED'}**",
        f"- Cloud assembly: `{cdk_out}`",
        f"- Region: `{r.region}`, account `{account}` (moto, in-process)",
        f"- moto {moto.__version__}, boto3 {boto3.__version__}",
        "",
        "## Stacks, in deployment order",
        "",
        "| # | Stack | Status | Resources | Skipped by moto | Custom resources not run |",
        "|---|---|---|---|---|---|",
    ]
    for index, result in enumerate(r.results, 1):
        out.append(
            f"| {index} | `{result.stack_name}` | {result.status} | {result.resource_count} | "
            f"{len(result.skipped)} | {len(result.custom_resources)} |"
        )
    failures = [res for res in r.results if res.reasons]
    if failures or verdict.problems:
        out += ["", "## Failures", ""]
        for result in failures:
            out += [f"- `{result.stack_name}` ({result.status}):"] + [f"  - {reason}" for reason in result.reasons]
        out += [f"- {problem}" for problem in verdict.problems]
    skipped = [(res.stack_name, lid, kind) for res in r.results for lid, kind in res.skipped]
    out += ["", "## Resources moto skipped (no CloudFormation model in moto; the rest of each stack was created)", ""]
    out += [f"- `{stack}`: `{lid}` ({kind})" for stack, lid, kind in skipped] or ["- none"]
    custom = [(res.stack_name, lid, kind) for res in r.results for lid, kind in res.custom_resources]
    out += ["", "## Custom resources created without running their handler (moto would need Docker)", ""]
    out += [f"- `{stack}`: `{lid}` ({kind})" for stack, lid, kind in custom] or ["- none"]
    calls = [(res.stack_name, lid, call) for res in r.results for lid, call in res.sdk_calls]
    out += ["", "## `Custom::AWS` resources whose SDK call was made against moto", ""]
    out += [f"- `{stack}`: `{lid}` ({call})" for stack, lid, call in calls] or ["- none"]
    adapted = [(res.stack_name, note) for res in r.results for note in res.adaptations]
    out += [
        "",
        "## Rewritten for moto (tags moto misreads; references to resources it skips, given placeholders)",
        "",
    ]
    out += [f"- `{stack}`: {note}" for stack, note in adapted] or ["- none"]
    references = [(res.stack_name, ref) for res in r.results for ref in res.references]
    out += ["", "## Cross-stack references resolved (`Fn::GetStackOutput`, which moto lacks)", ""]
    out += [f"- `{stack}` <- `{ref.stack}`.`{ref.output}`" for stack, ref in references] or ["- none"]
    clusters = [(res.stack_name, c) for res in r.results for c in res.clusters]
    out += ["", "## EMR clusters: what the rehearsal set from the template because moto drops it", ""]
    for stack, cluster in clusters:
        corrections = "; ".join(cluster.corrections) or "nothing"
        out.append(f"- `{stack}` `{cluster.logical_id}` = `{cluster.cluster_id}`: {corrections}")
    if not clusters:
        out.append("- no cluster")
    applications = [(res.stack_name, a) for res in r.results for a in res.applications]
    out += [
        "",
        "## EMR Serverless applications created through the API (moto has no CloudFormation model for "
        "AWS::EMRServerless::Application)",
        "",
    ]
    out += [f"- `{stack}` `{a.logical_id}`: {a.note}" for stack, a in applications] or ["- no application"]
    if r.emr_answers.answered:
        out += ["", f"EMR calls answered from the template (moto lacks them): {', '.join(r.emr_answers.answered)}"]
    out += [f"- {note}" for note in r.notes]
    out += ["", "## Assets published to the bootstrap bucket", ""]
    out += [f"- `{a.location}` ({a.note})" for a in r.assets] or ["- none"]
    out += ["", f'## Pipelines started in moto (input {{"date": "{REHEARSAL_DATE}"}})', ""]
    out += [
        f"- `{p.state_machine}`: {p.status}; targets {', '.join(p.targets) or 'none fixed'}; "
        f"run date from the execution: {'yes' if p.dated else 'no'}"
        for p in verdict.pipeline_runs
    ] or ["- no pipeline"]
    if verdict.pipeline_runs:
        out.append(f"- {NOT_RUN}")
    for run in verdict.cli_runs:
        out += ["", f"## `emr-platform {' '.join(run.argv)}` (exit {run.exit_code})", "", "```", run.stdout.rstrip()]
        if run.stderr.strip():
            out += ["--- stderr ---", run.stderr.rstrip()]
        out.append("```")
    out += ["", "## Not checked by a moto rehearsal", ""] + [f"- {item}" for item in NOT_CHECKED]
    return "\n".join(out) + "\n"
