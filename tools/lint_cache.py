"""cfn-lint with its answers kept between runs: the same template text, region and cfn-lint version always
give the same matches, so a template that did not change is not linted again.

The cache lives outside the checkout (``$EMR_TEST_CACHE``, default ``~/.cache/emr-constructs``, as the team-app
wheel's), one small JSON file per (cfn-lint version, region, template digest). Writes go through a temporary
file and a rename, so parallel test workers never read half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import cfnlint.version  # type: ignore[import-untyped]
from cfnlint.api import ManualArgs, lint, lint_by_config  # type: ignore[import-untyped]


@dataclass(frozen=True)
class LintMatch:
    """One cfn-lint match, in the parts the gate and the tests read."""

    rule: str
    message: str
    path: tuple[str, ...]
    line: int

    @property
    def is_error(self) -> bool:
        return self.rule.startswith("E")

    def __str__(self) -> str:
        return f"{self.rule}: {self.message} ({'/'.join(self.path)}, line {self.line})"


def cache_dir() -> Path:
    root = Path(os.environ.get("EMR_TEST_CACHE", Path.home() / ".cache" / "emr-constructs"))
    return root / "cfn-lint" / str(cfnlint.version.__version__)


def _key(text: str, region: str) -> Path:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return cache_dir() / region / f"{digest}.json"


def _read(path: Path) -> list[LintMatch] | None:
    try:
        rows = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return [LintMatch(r["rule"], r["message"], tuple(r["path"]), r["line"]) for r in rows]


def _write(path: Path, matches: Sequence[LintMatch]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as out:
        json.dump([asdict(m) for m in matches], out)
    os.replace(out.name, path)


def _match(raw: object) -> LintMatch:
    return LintMatch(
        str(raw.rule.id),  # type: ignore[attr-defined]
        str(raw.message),  # type: ignore[attr-defined]
        tuple(str(p) for p in (raw.path or [])),  # type: ignore[attr-defined]
        int(raw.linenumber),  # type: ignore[attr-defined]
    )


def lint_text(text: str, region: str = "us-east-1") -> list[LintMatch]:
    """cfn-lint's matches for one template's text in ``region`` (from the cache when it has them)."""
    key = _key(text, region)
    cached = _read(key)
    if cached is not None:
        return cached
    matches = [_match(m) for m in lint(text, config=ManualArgs(regions=[region]))]
    _write(key, matches)
    return matches


def lint_template(template: dict[str, object], region: str = "us-east-1") -> list[LintMatch]:
    return lint_text(json.dumps(template), region)


def lint_files(files: Iterable[Path], region: str) -> dict[Path, list[LintMatch]]:
    """Matches per template file (resolved path) in ``region``: cached ones read, the others linted in one
    cfn-lint run (loading its rules and schemas is most of the cost of a run)."""
    found: dict[Path, list[LintMatch]] = {}
    missing: dict[Path, Path] = {}
    for file in (f.resolve() for f in files):
        key = _key(file.read_text(encoding="utf-8"), region)
        cached = _read(key)
        if cached is None:
            missing[file] = key
        else:
            found[file] = cached
    if missing:
        fresh: dict[Path, list[LintMatch]] = {file: [] for file in missing}
        for raw in lint_by_config(ManualArgs(templates=[str(f) for f in missing], regions=[region])):
            fresh[Path(raw.filename).resolve()].append(_match(raw))
        for file, matches in fresh.items():
            _write(missing[file], matches)
            found[file] = matches
    return found
