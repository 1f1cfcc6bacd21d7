"""The pull-request workflow is valid (GitHub's schema), passes zizmor, and runs and publishes the gate.

Both linters run offline from the virtualenv (check-jsonschema ships the schema); each is also shown
to reject a broken copy, so a pass means something.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[3]
WORKFLOW = ROOT / ".github" / "workflows" / "pr.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed (requirements-dev.txt)"
    return found


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    command = [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool("zizmor"), "--offline", str(path)], capture_output=True, text=True, check=False)


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = WORKFLOW.read_text()
    assert old in text
    path = tmp_path / "pr.yml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


def test_matches_githubs_workflow_schema() -> None:
    result = schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_misspelt_key(tmp_path: Path) -> None:
    assert schema_check(broken_copy(tmp_path, "runs-on:", "runs-onn:")).returncode != 0


def test_zizmor_finds_nothing() -> None:
    result = zizmor(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("old", "new", "audit"),
    [
        ("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4", "unpinned-uses"),
        ("run: make check", 'run: echo "${{ github.event.pull_request.title }}"', "template-injection"),
    ],
)
def test_zizmor_rejects_unpinned_actions_and_injection(tmp_path: Path, old: str, new: str, audit: str) -> None:
    result = zizmor(broken_copy(tmp_path, old, new))
    assert result.returncode != 0
    assert audit in result.stdout + result.stderr


def test_runs_tests_and_gate_and_publishes_the_report(workflow: dict[Any, Any]) -> None:
    assert list(workflow[True]) == ["pull_request"]  # YAML 1.1 reads the `on` key as True
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in job["steps"]]
    assert runs.index("make test") < runs.index("make check")
    assert any('cat cdk.out/policy-report.md >> "$GITHUB_STEP_SUMMARY"' in run for run in runs)
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "cdk.out"
    assert upload["if"] == "${{ !cancelled() }}"


def test_every_action_is_pinned_by_commit(workflow: dict[Any, Any]) -> None:
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []
