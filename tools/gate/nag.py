"""cdk-nag (and other validation plugin) results, read from ``validation-report.json``.

The packs run at synth as validation plugins. aws-cdk-lib writes the report into the
top-level assembly after the templates, for all stages at once, whether or not synth then
fails. Acknowledged findings do not appear in it (cdk-nag filters them itself), except
acknowledgements in the namespaced form (``AwsSolutions::AwsSolutions-S1``), which CDK
moves to ``suppressedViolations``; the acknowledgements themselves are read from the
assembly by :mod:`policy.acknowledgements`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools.assembly import Assembly
from tools.gate.findings import Finding, Severity, Tool

#: Plugin names of the cdk-nag packs: every finding of theirs blocks, whatever its level.
NAG_PACKS = frozenset(
    {
        "AwsSolutions",
        "NIST.800.53.R5",
        "NIST.800.53.R4",
        "HIPAA.Security",
        "PCI.DSS.321",
        "Serverless",
        "EMR",
    }
)
#: CloudFormation Guard at synth (emr_constructs.guard): every finding blocks too, reported as its own tool.
GUARD_PLUGIN = "cdk-validator-cfnguard"

_SEVERITY = {"fatal": Severity.ERROR, "error": Severity.ERROR, "warning": Severity.WARNING}


def findings(assembly: Assembly) -> list[Finding]:
    report = assembly.validation_report()
    if report is None:
        return [
            _gate_problem(
                "no-validation-report",
                f"{assembly.report_file} is missing: synthesize with the policy packs registered "
                "(emr_constructs.policy.add_policy_packs)",
            )
        ]
    if assembly.report_is_stale():
        return [
            _gate_problem(
                "stale-validation-report",
                f"{assembly.report_file} is older than the assembly: it is from an earlier synth",
            )
        ]
    found: list[Finding] = []
    for plugin in report.get("pluginReports", []):
        found.extend(_plugin_findings(assembly, plugin))
    return found


def _plugin_findings(assembly: Assembly, plugin: Mapping[str, Any]) -> list[Finding]:
    name = str(plugin.get("pluginName", "?"))
    is_pack = name in NAG_PACKS or name == GUARD_PLUGIN
    tool = Tool.GUARD if name == GUARD_PLUGIN else Tool.NAG if is_pack else Tool.CDK
    error = (plugin.get("metadata") or {}).get("error")
    if plugin.get("conclusion") == "failure" and not plugin.get("violations"):
        return [_gate_problem(f"plugin-failed:{name}", str(error or f"validation plugin {name} failed"))]
    found = []
    for violation in plugin.get("violations", []):
        severity = _SEVERITY.get(str(violation.get("severity", "error")).lower(), Severity.INFO)
        for construct in violation.get("violatingConstructs", []) or [{}]:
            path = str(construct.get("constructPath") or "")
            stack = assembly.stack_of(path)
            found.append(
                Finding(
                    tool=tool,
                    rule=str(violation.get("ruleName", "?")),
                    stack=stack.path if stack else "",
                    resource=path,
                    message=f"{violation.get('description', '')} ({name})",
                    severity=severity,
                    blocking=is_pack or severity is Severity.ERROR,
                )
            )
    return found


def _gate_problem(rule: str, message: str) -> Finding:
    return Finding(Tool.GATE, rule, "", "", message)


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.gate.nag cdk.out``: fail when the synth's policy packs reported anything blocking.

    ``cdk synth`` through the CLI exits 0 even when a pack registered on the App fails for stacks inside a
    Stage (the findings only reach ``validation-report.json``), so ``make synth`` runs this right after it.
    """
    import sys

    from tools.assembly import read_assembly

    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else "cdk.out")
    blocking = [f for f in findings(read_assembly(root)) if f.blocking]
    for finding in blocking:
        print(finding.line(), file=sys.stderr)
    if blocking:
        print(
            f"policy packs: {len(blocking)} unacknowledged finding(s); see {root}/validation-report.json",
            file=sys.stderr,
        )
        return 1
    print("policy packs: no unacknowledged findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
