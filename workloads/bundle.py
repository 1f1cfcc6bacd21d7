"""The ``workloads`` package as one zip for ``--py-files`` (Spark) and ``-pyfs`` (PyFlink), byte-for-byte stable.

The same sources always give the same bytes (sorted entries, fixed timestamps and permissions), so a CDK asset
built from the zip changes hash only when a workload changes. The entry-point scripts go next to it as their own
files: EMR runs a script by its S3 URI and imports the rest from the zip.

    python -m workloads.bundle build/workloads.zip
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent

ENTRY_POINTS = {
    "batch": PACKAGE_ROOT / "batch" / "job.py",
    "streaming": PACKAGE_ROOT / "streaming" / "job.py",
}
"""The script EMR runs for each job; its arguments are in the script's docstring."""

_SHIPPED_SUFFIXES = (".py", ".properties")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def package_files() -> list[Path]:
    """Every file the zip holds, in archive order."""
    return sorted(
        path
        for path in PACKAGE_ROOT.rglob("*")
        if path.is_file() and path.suffix in _SHIPPED_SUFFIXES and "__pycache__" not in path.parts
    )


def build_zip(destination: Path) -> Path:
    """Write the package to ``destination`` with ``workloads/`` at the root of the archive; returns the path."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in package_files():
            info = zipfile.ZipInfo(f"workloads/{path.relative_to(PACKAGE_ROOT).as_posix()}", date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return destination


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m workloads.bundle DESTINATION.zip", file=sys.stderr)
        return 2
    print(build_zip(Path(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
