"""cfn-lint on every template of the assembly: errors block, warnings are reported."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from cfnlint.api import ManualArgs, lint_by_config  # type: ignore[import-untyped]

from tools.assembly import StackTemplate
from tools.gate.findings import Finding, Severity, Tool

_SEVERITY = {"E": Severity.ERROR, "W": Severity.WARNING}


def findings(stacks: Iterable[StackTemplate]) -> list[Finding]:
    """One cfn-lint run per region (loading the rules and schemas is most of the cost)."""
    by_region: dict[str, list[StackTemplate]] = defaultdict(list)
    for stack in stacks:
        by_region[stack.region].append(stack)
    found: list[Finding] = []
    for region, group in by_region.items():
        by_file = {stack.template_file.resolve(): stack for stack in group}
        config = ManualArgs(templates=[str(file) for file in by_file], regions=[region])
        for match in lint_by_config(config):
            matched = by_file.get(Path(match.filename).resolve()) if match.filename else None
            if matched is None:
                found.append(Finding(Tool.CFN_LINT, str(match.rule.id), "", "", str(match.message)))
                continue
            stack = matched
            rule_id = str(match.rule.id)
            severity = _SEVERITY.get(rule_id[:1], Severity.INFO)
            if severity is Severity.INFO:
                continue
            path = [str(p) for p in (match.path or [])]
            resource = stack.construct_path(path[1]) if len(path) > 1 and path[0] == "Resources" else stack.path
            found.append(
                Finding(
                    tool=Tool.CFN_LINT,
                    rule=rule_id,
                    stack=stack.path,
                    resource=resource,
                    message=f"{match.message} (line {match.linenumber})",
                    severity=severity,
                    blocking=severity is Severity.ERROR,
                )
            )
    return found
