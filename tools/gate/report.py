"""``policy-report.md``: what a reviewer reads in the pull request (job summary or comment).

Short first: the verdict, a table per environment and stack, the blocking findings. The long
lists (counts per rule, acknowledgements, skips, warnings, template changes) sit in
``<details>`` blocks. Acknowledgements and skips that are the same in every environment are
listed once, with the environments they apply to (the environment's name in a rule id or
reason shows as ``<env>``); rules acknowledged on the same construct for the same reason
share a row. Acknowledgements and skips are never cut; long lists of findings are.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tools.assembly import StackTemplate
from tools.gate.acknowledgement_audit import CDK_TEMPLATE_VALIDATION
from tools.gate.findings import Acknowledgement, Finding, Skip, Tool
from tools.gate.nag import GUARD_PLUGIN
from tools.gate.snapshots import StackChanges

MAX_LINES = 60


@dataclass
class GateResult:
    stacks: list[StackTemplate]
    findings: list[Finding] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    snapshot_changes: list[StackChanges] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def passed(self) -> bool:
        return not self.blocking


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _short(text: str, limit: int = 240) -> str:
    """Findings stay one readable line; the full text is in validation-report.json and the tools' output."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _capped(lines: Sequence[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return list(lines)
    return [*lines[:MAX_LINES], f"| … {len(lines) - MAX_LINES} more | | | |"]


def _generic(path: str, environment: str) -> str:
    """``dev/Data/B`` -> ``*/Data/B`` so the same acknowledgement in every environment is listed once."""
    if environment and (path == environment or path.startswith(environment + "/")):
        return "*" + path[len(environment) :]
    return path


def _without_environment(text: str, environment: str) -> str:
    """``table/dev_lake_raw/*`` -> ``table/<env>_lake_raw/*``: the environment's name as a word only."""
    if not environment:
        return text
    return re.sub(rf"(?<![A-Za-z0-9]){re.escape(environment)}(?![A-Za-z0-9])", "<env>", text)


def _environments(environments: Iterable[str]) -> str:
    return ", ".join(sorted(set(environments)))


def _environment_of(stacks: Iterable[StackTemplate]) -> dict[str, str]:
    return {stack.path: stack.environment for stack in stacks}


def render(result: GateResult) -> str:
    env_of = _environment_of(result.stacks)
    lines = [
        f"# Policy gate: {'PASSED' if result.passed else 'FAILED'}",
        "",
        f"{len(result.blocking)} blocking finding(s), {len(result.acknowledgements)} acknowledgement(s), "
        f"{len(result.skips)} checkov skip(s) over {len(result.stacks)} template(s).",
        *(f"> {note}" for note in result.notes),
        "",
        *_stack_table(result),
    ]
    if result.blocking:
        lines += ["", "## Blocking", ""]
        lines += _capped([f"- {_short(_cell(f.line()))}" for f in result.blocking])
    lines += _counts(result)
    lines += _acknowledgements(result.acknowledgements, env_of)
    lines += _skips(result.skips, env_of)
    warnings = [f for f in result.findings if not f.blocking]
    if warnings:
        lines += _details(f"Warnings ({len(warnings)})", _capped([f"- {_short(_cell(f.line()))}" for f in warnings]))
    lines += _changes(result.snapshot_changes)
    return "\n".join(lines) + "\n"


def _stack_table(result: GateResult) -> list[str]:
    rows = [
        "| environment | stack | cdk-nag/Guard open | acknowledged | cfn-lint errors/warnings | checkov failed/skipped "
        "| template vs snapshot |",
        "|---|---|---|---|---|---|---|",
    ]
    changes = {c.stack: c.status for c in result.snapshot_changes}
    for stack in result.stacks:
        mine = [f for f in result.findings if f.stack == stack.path]
        nag = sum(1 for f in mine if f.tool in (Tool.NAG, Tool.GUARD, Tool.CDK) and f.blocking)
        lint_errors = sum(1 for f in mine if f.tool is Tool.CFN_LINT and f.blocking)
        lint_warnings = sum(1 for f in mine if f.tool is Tool.CFN_LINT and not f.blocking)
        checkov = sum(1 for f in mine if f.tool is Tool.CHECKOV)
        skipped = sum(1 for s in result.skips if s.stack == stack.path)
        acknowledged = sum(1 for a in result.acknowledgements if a.stack == stack.path)
        rows.append(
            f"| {stack.environment or '(app)'} | `{stack.path}` | {nag} | {acknowledged} "
            f"| {lint_errors}/{lint_warnings} | {checkov}/{skipped} | {changes.get(stack.path, 'not compared')} |"
        )
    return rows


def _acknowledged_tool(rule: str) -> Tool:
    if rule.startswith(CDK_TEMPLATE_VALIDATION):
        return Tool.CDK
    return Tool.GUARD if rule.startswith(f"{GUARD_PLUGIN}::") else Tool.NAG


def _counts(result: GateResult) -> list[str]:
    counts: Counter[tuple[str, str]] = Counter((str(f.tool), f.rule) for f in result.findings if f.blocking)
    handled: Counter[tuple[str, str]] = Counter(
        (str(_acknowledged_tool(a.rule)), a.rule.removeprefix(f"{GUARD_PLUGIN}::")) for a in result.acknowledgements
    )
    handled.update((str(Tool.CHECKOV), s.check) for s in result.skips)
    keys = sorted(counts.keys() | handled.keys())
    if not keys:
        return []
    rows = ["| tool | rule | open | acknowledged or skipped |", "|---|---|---|---|"]
    rows += [f"| {tool} | {_cell(rule)} | {counts[(tool, rule)]} | {handled[(tool, rule)]} |" for tool, rule in keys]
    return _details(f"Counts per tool and rule ({len(keys)} rules)", _capped(rows))


def _acknowledgements(acknowledgements: Sequence[Acknowledgement], env_of: dict[str, str]) -> list[str]:
    if not acknowledgements:
        return []
    # Same acknowledgement in several environments: one row. Then rules with the same construct,
    # reason and environments (typically one finding in NIST, HIPAA and PCI): one row.
    by_rule: dict[tuple[str, str, str, bool], list[str]] = defaultdict(list)
    for ack in acknowledgements:
        environment = env_of.get(ack.stack, "")
        rule, reason = _without_environment(ack.rule, environment), _without_environment(ack.reason, environment)
        by_rule[(rule, _generic(ack.at, environment), reason, ack.blanket)].append(environment or "(app)")
    grouped: dict[tuple[str, str, bool, str], list[str]] = defaultdict(list)
    for (rule, at, reason, blanket), found_in in by_rule.items():
        grouped[(at, reason, blanket, _environments(found_in))].append(rule)
    rows = ["| rules | acknowledged on | reason | environments |", "|---|---|---|---|"]
    for (at, reason, blanket, environments), rules in sorted(grouped.items()):
        flag = " **(blanket)**" if blanket else ""
        listed = "<br>".join(_cell(rule) for rule in sorted(rules))
        rows.append(f"| {listed} | `{_cell(at)}`{flag} | {_cell(reason)} | {environments} |")
    # Never capped: a reviewer must see every acknowledgement and its reason.
    return _details(f"Acknowledgements ({len(acknowledgements)})", rows)


def _skips(skips: Sequence[Skip], env_of: dict[str, str]) -> list[str]:
    if not skips:
        return []
    grouped: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for skip in skips:
        environment = env_of.get(skip.stack, "")
        key = (skip.check, _generic(skip.resource, environment), skip.reason, skip.source)
        grouped[key].append(environment or "(app)")
    rows = ["| check | resource | reason | recorded in | environments |", "|---|---|---|---|---|"]
    for (check, resource, reason, source), environments in sorted(grouped.items()):
        rows.append(f"| {check} | `{_cell(resource)}` | {_cell(reason)} | {source} | {_environments(environments)} |")
    return _details(f"checkov skips ({len(skips)})", rows)


def _changes(stack_changes: Sequence[StackChanges]) -> list[str]:
    if not stack_changes:
        return []
    lines: list[str] = []
    for stack in stack_changes:
        lines.append(f"- `{stack.stack}`: {stack.status}")
        lines += [f"  - `{_cell(change.describe())}`" for change in stack.changes[:20]]
        if len(stack.changes) > 20:
            lines.append(f"  - … {len(stack.changes) - 20} more")
        if stack.other_sections:
            lines.append(f"  - other sections changed: {', '.join(stack.other_sections)}")
    changed = sum(1 for s in stack_changes if s.changes or s.other_sections)
    return _details(f"Template changes against snapshots ({changed} stack(s) changed)", lines)


def _details(summary: str, body: Sequence[str]) -> list[str]:
    return ["", f"<details><summary>{summary}</summary>", "", *body, "", "</details>"]
