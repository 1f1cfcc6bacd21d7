"""``python -m tools.gate.nag``: what ``make synth`` runs so that a policy-pack finding fails the synth."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tools.gate.nag import main


def assembly(tmp_path: Path, violations: list[dict[str, object]]) -> Path:
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": {}}))
    report = {
        "pluginReports": [
            {
                "pluginName": "AwsSolutions",
                "conclusion": "failure" if violations else "success",
                "violations": violations,
            }
        ]
    }
    (tmp_path / "validation-report.json").write_text(json.dumps(report))
    later = (tmp_path / "manifest.json").stat().st_mtime + 5
    os.utime(tmp_path / "validation-report.json", (later, later))
    return tmp_path


def test_fails_on_a_finding_and_names_rule_and_construct(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    violation = {
        "ruleName": "AwsSolutions-S10",
        "description": "The S3 Bucket or bucket policy does not require requests to use SSL.",
        "severity": "error",
        "violatingConstructs": [{"constructPath": "dev/S/B/Resource"}],
    }
    assert main([str(assembly(tmp_path, [violation]))]) == 1
    err = capsys.readouterr().err
    assert "[cdk-nag] AwsSolutions-S10 @ dev/S/B/Resource: The S3 Bucket or bucket policy does not require" in err
    assert "1 unacknowledged finding(s)" in err


def test_passes_without_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(assembly(tmp_path, []))]) == 0
    assert capsys.readouterr().out == "policy packs: no unacknowledged findings\n"


def test_fails_without_a_report(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": {}}))
    assert main([str(tmp_path)]) == 1
