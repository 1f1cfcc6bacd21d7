"""cfn-lint on every template of the assembly: errors block, warnings are reported."""

from __future__ import annotations

from collections.abc import Iterable

from cfnlint.api import ManualArgs, lint_file  # type: ignore[import-untyped]

from policy.assembly import StackTemplate
from policy.findings import Finding, Severity, Tool

_SEVERITY = {"E": Severity.ERROR, "W": Severity.WARNING}


def findings(stacks: Iterable[StackTemplate]) -> list[Finding]:
    found: list[Finding] = []
    for stack in stacks:
        for match in lint_file(stack.template_file, ManualArgs(regions=[stack.region])):
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
