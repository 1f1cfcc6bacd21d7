"""checkov (pinned) over every template, with skips that carry a reason.

A failure is skipped in one of two ways, and both land in the report with their reason:

* an entry of the committed skips file (``tools/gate/checkov-skips.yaml``), reviewed with the
  code like any other change: the check id, the construct paths it covers (``*`` matches one
  path segment, so ``*/Data/AccessLogs/Resource`` covers that bucket in every environment),
  and the reason;
* a ``Metadata.checkov.skip`` entry a construct wrote into its resource (checkov's own inline
  form, honoured by checkov itself); it must carry a ``comment``.

The file is the default: skips stay out of the deployed templates and the snapshots, so the
library's constructs do not have to know which scanner an app runs. A skip must name
resources: a pattern ending in ``*`` (a whole stack or construct subtree) is rejected.
checkov is big and pins old dependencies (``boto3==1.35.49``), so it lives in its own
virtualenv (``tools/gate/requirements-checkov.txt``); the gate finds it with ``--checkov``, the
``CHECKOV`` variable, ``.tools/checkov/bin/checkov`` or ``PATH``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from tools.assembly import StackTemplate
from tools.gate.findings import Finding, Severity, Skip, Tool

CHECKOV_VERSION = "3.3.30"
REPO = Path(__file__).resolve().parents[2]
DEFAULT_SKIPS_FILE = REPO / "tools" / "gate" / "checkov-skips.yaml"


@dataclass(frozen=True)
class SkipRule:
    check: str
    resources: tuple[str, ...]
    reason: str

    def matches(self, check: str, construct_path: str) -> bool:
        return check == self.check and any(_path_matches(pattern, construct_path) for pattern in self.resources)


def _path_matches(pattern: str, construct_path: str) -> bool:
    wanted, actual = pattern.split("/"), construct_path.split("/")
    return len(wanted) == len(actual) and all(fnmatchcase(a, w) for w, a in zip(wanted, actual, strict=True))


def load_skips(path: Path) -> tuple[list[SkipRule], list[Finding]]:
    """The skip rules of ``path`` and the problems with them (each a blocking finding)."""
    if not path.exists():
        return [], []
    data = yaml.safe_load(path.read_text()) or {}
    rules: list[SkipRule] = []
    problems: list[Finding] = []
    for index, entry in enumerate(data.get("skips") or []):
        where = f"{path.name}: skips[{index}]"
        check = str(entry.get("check", "")).strip() if isinstance(entry, Mapping) else ""
        reason = str(entry.get("reason", "")).strip() if isinstance(entry, Mapping) else ""
        resources = entry.get("resources") if isinstance(entry, Mapping) else None
        patterns = tuple(str(r) for r in resources) if isinstance(resources, list) else ()
        bad = [p for p in patterns if p.count("/") < 1 or p.rsplit("/", 1)[-1].strip("*") == ""]
        if not check or not reason or not patterns or bad:
            problems.append(
                Finding(
                    Tool.GATE,
                    "checkov-skip-invalid",
                    "",
                    where,
                    "a skip needs `check`, a non-empty `reason` and `resources` naming constructs "
                    f"(no pattern ending in a wildcard); got check={check!r}, resources={list(patterns)!r}",
                )
            )
            continue
        rules.append(SkipRule(check, patterns, reason))
    return rules, problems


def find_checkov(explicit: str | None) -> str | None:
    for candidate in (explicit, os.environ.get("CHECKOV"), str(REPO / ".tools" / "checkov" / "bin" / "checkov")):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("checkov")


def run_checkov(executable: str, templates: Sequence[Path]) -> list[dict[str, Any]]:
    """checkov's JSON results for ``templates``, scanned in one process (start-up dominates)."""
    command = [executable, "--framework", "cloudformation", "--output", "json", "--compact", "--skip-download"]
    for template in templates:
        command += ["--file", str(template)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        parsed = json.loads(done.stdout)
    except ValueError as error:
        raise RuntimeError(f"checkov exited {done.returncode} without JSON: {done.stderr.strip()[-800:]}") from error
    results = parsed if isinstance(parsed, list) else [parsed]
    return [r for r in results if isinstance(r, dict) and r.get("check_type") == "cloudformation"]


def evaluate(
    results: Iterable[Mapping[str, Any]], stacks: Iterable[StackTemplate], skip_rules: Sequence[SkipRule]
) -> tuple[list[Finding], list[Skip]]:
    """Failures not covered by a skip rule (blocking), and every skip with its reason."""
    by_file = {stack.template_file.resolve(): stack for stack in stacks}
    found: list[Finding] = []
    skips: list[Skip] = []
    used: set[SkipRule] = set()
    for result in results:
        version = result.get("summary", {}).get("checkov_version")
        if version and version != CHECKOV_VERSION:
            found.append(
                Finding(Tool.GATE, "checkov-version", "", "", f"checkov {version} ran; the gate pins {CHECKOV_VERSION}")
            )
        checks = result.get("results", {})
        for check in checks.get("failed_checks", []):
            stack, resource = _locate(by_file, check)
            rule = next((r for r in skip_rules if r.matches(check["check_id"], resource)), None)
            if rule is None:
                message = f"{check.get('check_name', '')} ({check.get('resource', '')})"
                found.append(Finding(Tool.CHECKOV, check["check_id"], stack, resource, message))
            else:
                used.add(rule)
                skips.append(Skip(stack, resource, check["check_id"], rule.reason, "tools/gate/checkov-skips.yaml"))
        for check in checks.get("skipped_checks", []):
            stack, resource = _locate(by_file, check)
            reason = str(check.get("check_result", {}).get("suppress_comment", "")).strip()
            skips.append(Skip(stack, resource, check["check_id"], reason, "template Metadata.checkov"))
            if not reason or reason == "No comment provided":
                found.append(
                    Finding(Tool.CHECKOV, check["check_id"], stack, resource, "inline checkov skip without a comment")
                )
    for rule in skip_rules:
        if rule not in used:
            found.append(
                Finding(
                    Tool.GATE,
                    "checkov-skip-unused",
                    "",
                    ", ".join(rule.resources),
                    f"skip of {rule.check} matches no failure any more: remove it",
                    severity=Severity.WARNING,
                    blocking=False,
                )
            )
    return found, skips


def _locate(by_file: Mapping[Path, StackTemplate], check: Mapping[str, Any]) -> tuple[str, str]:
    """(stack path, construct path) of a checkov result."""
    file = Path(str(check.get("file_abs_path") or check.get("file_path", ""))).resolve()
    stack = by_file.get(file)
    logical_id = str(check.get("resource", "")).split(".", 1)[-1]
    if stack is None:
        return "", logical_id
    return stack.path, stack.construct_path(logical_id)
