"""The policy gate: ``python -m tools.gate [cdk.out]``.

Reads the cloud assembly ``cdk synth`` wrote (every nested stage assembly, every template):

1. cdk-nag results of the packs that ran at synth (``validation-report.json``);
2. every acknowledgement, from the stack metadata and the templates' ``cdk_nag`` metadata,
   failing blanket ones (made on a stack, a Stage or the App);
3. cfn-lint on every template (errors block, warnings are reported);
4. checkov (pinned) on all templates in one run, minus the skips with recorded reasons;
5. the resources whose template changed against the committed snapshots.

Exits 1 when anything blocks, 2 when the assembly is missing, and writes
``<assembly>/policy-report.md`` either way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tools.assembly import Assembly, AssemblyError, read_assembly
from tools.gate import acknowledgement_audit, checkov_scan, lint, nag, snapshots
from tools.gate.findings import Finding, Tool
from tools.gate.report import GateResult, render

REPORT_NAME = "policy-report.md"
DEFAULT_SNAPSHOTS = Path("tests/stacks/__snapshots__")


def run_gate(
    assembly: Assembly,
    *,
    snapshot_dir: Path | None = None,
    snapshot_map: Mapping[str, str] | None = None,
    skips_file: Path = checkov_scan.DEFAULT_SKIPS_FILE,
    checkov: str | None = None,
    checkov_results: Sequence[Mapping[str, Any]] | None = None,
    run_checkov: bool = True,
) -> GateResult:
    """Run every check over ``assembly``. ``checkov_results`` replaces running checkov (tests share one run)."""
    result = GateResult(stacks=assembly.stacks)
    result.findings += nag.findings(assembly)
    acks, problems = acknowledgement_audit.collect(assembly)
    result.acknowledgements, result.findings = acks, result.findings + problems
    result.findings += lint.findings(assembly.stacks)
    if checkov_results is None and run_checkov:
        checkov_results = _scan(assembly, checkov, result)
    if checkov_results is not None:
        rules, rule_problems = checkov_scan.load_skips(skips_file)
        found, skips = checkov_scan.evaluate(checkov_results, assembly.stacks, rules)
        result.findings += rule_problems + found
        result.skips = skips
    else:
        result.notes.append("checkov was not run (--no-checkov): this result does not cover it")
    if snapshot_dir is not None:
        templates = {stack.path: stack.template for stack in assembly.stacks}
        result.snapshot_changes = snapshots.changes(templates, snapshot_dir, snapshot_map)
    return result


def _scan(assembly: Assembly, checkov: str | None, result: GateResult) -> list[dict[str, Any]] | None:
    executable = checkov_scan.find_checkov(checkov)
    if executable is None:
        result.findings.append(
            Finding(
                Tool.GATE,
                "checkov-missing",
                "",
                "",
                f"checkov {checkov_scan.CHECKOV_VERSION} not found: install tools/gate/requirements-checkov.txt into "
                ".tools/checkov, or pass --checkov / set CHECKOV",
            )
        )
        return None
    try:
        return checkov_scan.run_checkov(executable, [stack.template_file for stack in assembly.stacks])
    except RuntimeError as error:
        result.findings.append(Finding(Tool.GATE, "checkov-crashed", "", "", str(error)))
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gate", description=__doc__.splitlines()[0])
    parser.add_argument("assembly", nargs="?", default="cdk.out", type=Path, help="cloud assembly (default: cdk.out)")
    parser.add_argument("--snapshots", type=Path, default=DEFAULT_SNAPSHOTS, help="directory of template snapshots")
    parser.add_argument("--snapshot-map", type=Path, help="JSON file: stack path -> snapshot file in --snapshots")
    parser.add_argument("--checkov-skips", type=Path, default=checkov_scan.DEFAULT_SKIPS_FILE)
    parser.add_argument("--checkov", help="checkov executable (default: $CHECKOV, .tools/checkov, PATH)")
    parser.add_argument("--no-checkov", action="store_true", help="skip checkov (local runs only; CI must not)")
    parser.add_argument("--report", type=Path, help=f"where to write the report (default: <assembly>/{REPORT_NAME})")
    args = parser.parse_args(argv)

    try:
        assembly = read_assembly(args.assembly)
    except AssemblyError as error:
        print(f"policy gate: {error}", file=sys.stderr)
        return 2
    snapshot_map = json.loads(args.snapshot_map.read_text()) if args.snapshot_map else None
    result = run_gate(
        assembly,
        snapshot_dir=args.snapshots,
        snapshot_map=snapshot_map,
        skips_file=args.checkov_skips,
        checkov=args.checkov,
        run_checkov=not args.no_checkov,
    )
    report = args.report or args.assembly / REPORT_NAME
    report.write_text(render(result))
    for finding in result.blocking:
        print(finding.line(), file=sys.stderr)
    verdict = "passed" if result.passed else f"FAILED with {len(result.blocking)} blocking finding(s)"
    print(
        f"policy gate {verdict}: {len(assembly.stacks)} template(s), "
        f"{len(result.acknowledgements)} acknowledgement(s), {len(result.skips)} checkov skip(s); report: {report}"
    )
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
