"""cfn-lint on every template of the assembly: errors block, warnings are reported."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from tools.assembly import StackTemplate
from tools.gate.findings import Finding, Severity, Tool
from tools.lint_cache import lint_files

_SEVERITY = {"E": Severity.ERROR, "W": Severity.WARNING}


def findings(stacks: Iterable[StackTemplate]) -> list[Finding]:
    """cfn-lint's errors and warnings on ``stacks``: one run per region for the templates not linted before."""
    by_region: dict[str, list[StackTemplate]] = defaultdict(list)
    for stack in stacks:
        by_region[stack.region].append(stack)
    found: list[Finding] = []
    for region, group in by_region.items():
        by_file = {stack.template_file.resolve(): stack for stack in group}
        for file, matches in lint_files(by_file, region).items():
            stack = by_file[file]
            for match in matches:
                severity = _SEVERITY.get(match.rule[:1], Severity.INFO)
                if severity is Severity.INFO:
                    continue
                path = match.path
                resource = stack.construct_path(path[1]) if len(path) > 1 and path[0] == "Resources" else stack.path
                found.append(
                    Finding(
                        tool=Tool.CFN_LINT,
                        rule=match.rule,
                        stack=stack.path,
                        resource=resource,
                        message=f"{match.message} (line {match.line})",
                        severity=severity,
                        blocking=severity is Severity.ERROR,
                    )
                )
    return found
