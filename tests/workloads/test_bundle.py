"""The zip shipped with --py-files: stable bytes, the whole package, importable from the archive alone."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from workloads import bundle


def test_zip_is_byte_stable_and_holds_the_package(tmp_path: Path) -> None:
    first = bundle.build_zip(tmp_path / "a" / "workloads.zip")
    second = bundle.build_zip(tmp_path / "b" / "workloads.zip")

    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert names == sorted(names)
    assert {"workloads/__init__.py", "workloads/batch/job.py", "workloads/streaming/windows.py"} <= set(names)
    assert "workloads/log4j2-local.properties" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert {path.name for path in bundle.ENTRY_POINTS.values()} == {"job.py"}
    assert all(path.is_file() for path in bundle.ENTRY_POINTS.values())


def test_entry_points_import_from_the_zip_alone(tmp_path: Path) -> None:
    archive = bundle.build_zip(tmp_path / "workloads.zip")
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import workloads.batch.job, workloads.streaming.job; print(workloads.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(archive)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(archive / "workloads" / "__init__.py")
