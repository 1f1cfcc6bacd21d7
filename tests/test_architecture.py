"""The import direction of docs/architecture.md, enforced by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        check=False,
    )


def verdicts(output: str) -> dict[str, str]:
    """Contract name -> ``KEPT`` or ``BROKEN``, from the summary lint-imports prints (names wrap over lines)."""
    summary = " ".join(output.split("Analyzed", 1)[1].split("Contracts:", 1)[0].split("\n")[2:])
    found: dict[str, str] = {}
    for word in ("KEPT", "BROKEN"):
        summary = summary.replace(f" {word}", f" {word}\0")
    for row in filter(None, (r.strip() for r in summary.split("\0"))):
        name, _, verdict = row.rpartition(" ")
        found[" ".join(name.split())] = verdict
    return found


def test_repository_keeps_every_import_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(verdicts(result.stdout).values()) == {"KEPT"}
    assert len(verdicts(result.stdout)) == 4


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("emr_constructs/errors.py", "import stacks.settings", "the library stands alone"),
        ("emr_constructs/storage/zones.py", "import tools.assembly", "the library stands alone"),
        ("stacks/base.py", "import tools.gate.findings", "the bundled stacks compose the library only"),
        ("emr_constructs/discovery.py", "import aws_cdk", "the operator CLI runs without Node.js"),
        ("emr_constructs/network/props.py", "import emr_constructs.cluster.props", "library layers"),
        ("emr_constructs/iam/boundary.py", "import emr_constructs.storage.zones", "library layers"),
    ],
)
def test_fails_on_an_import_against_the_direction(tmp_path: Path, module: str, line: str, contract: str) -> None:
    """A copy of the code with one import added against the direction breaks that contract."""
    for package in ("emr_constructs", "stacks", "tools", "workloads"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.json", "__pycache__"))
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    broken = [name for name, verdict in verdicts(result.stdout).items() if verdict == "BROKEN"]
    assert any(name.startswith(contract) for name in broken), result.stdout


def test_every_library_package_has_a_layer() -> None:
    """A new package must take its place in the layers contract, or nothing checks what it imports."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    layered = {name.strip() for line in layers for name in line.split("|")}
    library = {
        path.stem
        for path in (ROOT / "emr_constructs").iterdir()
        if path.suffix == ".py" or (path / "__init__.py").exists()
    }
    assert library - layered - {"__init__", "cli"} == set()
