"""The workloads run on EMR's Python (3.9 on EMR 7.x): no 3.10+ feature, and the stand-ins behave as 3.11's.

vermin finds the standard-library members, keyword arguments and syntax newer than 3.9. It cannot tell an
annotation from a run-time ``X | Y`` union, so :func:`union_problems` checks those: annotations are fine only
where ``from __future__ import annotations`` keeps them unevaluated.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from workloads.compat import StrEnum
from workloads.events import Reason
from workloads.streaming.job import StreamingOptions, parse_args
from workloads.streaming.windows import Lateness, WindowSpec

WORKLOADS = Path(__file__).resolve().parents[2] / "workloads"
VERMIN = Path(sys.executable).with_name("vermin")
TARGET = "3.9"


def vermin(path: Path) -> subprocess.CompletedProcess[str]:
    """vermin over ``path`` against :data:`TARGET`: exit 1 and one line per feature when something is newer."""
    return subprocess.run(
        [str(VERMIN), "--no-config-file", "--no-tips", "--violations", "--quiet", "-p=1", f"-t={TARGET}-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


_RUNTIME_TYPES = {"None", "bool", "bytes", "dict", "float", "frozenset", "int", "list", "object", "set", "str", "tuple"}


def _looks_like_a_type(node: ast.expr) -> bool:
    """A builtin type, None, a generic alias or a CamelCase class; not ``FLAG_A | FLAG_B`` or ``flags | 2``."""
    if isinstance(node, ast.Constant):
        return node.value is None
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    if name is not None:
        return name in _RUNTIME_TYPES or (name[:1].isupper() and not name.isupper())
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _looks_like_a_type(node.left) or _looks_like_a_type(node.right)
    return isinstance(node, ast.Subscript)


def union_problems(root: Path) -> list[str]:
    """``file:line`` of each ``X | Y`` of types that Python 3.9 would evaluate and fail on.

    Annotations count unless the module has ``from __future__ import annotations``; elsewhere (``isinstance``,
    aliases, defaults) a ``|`` with a type operand always counts.
    """
    problems: list[tuple[str, int]] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        postponed = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "__future__"
            and any(alias.name == "annotations" for alias in node.names)
            for node in tree.body
        )
        annotations: set[int] = set()
        for node in ast.walk(tree):
            for annotation in _annotations_of(node):
                annotations.update(id(part) for part in ast.walk(annotation))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr) and _looks_like_a_type(node)):
                continue
            if id(node) in annotations and postponed:
                continue
            problems.append((path.relative_to(root).as_posix(), node.lineno))
    return [f"{file}:{line}" for file, line in sorted(set(problems))]


def _annotations_of(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.arg) and node.annotation is not None:
        return [node.annotation]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
        return [node.returns]
    if isinstance(node, ast.AnnAssign):
        return [node.annotation]
    return []


def test_workloads_need_nothing_newer_than_python_3_9() -> None:
    result = vermin(WORKLOADS)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert union_problems(WORKLOADS) == []


def test_vermin_fails_on_3_10_and_3_11_features(tmp_path: Path) -> None:
    (tmp_path / "newer.py").write_text(
        "import datetime as dt\n"
        "from dataclasses import dataclass\n"
        "from enum import StrEnum\n\n\n"
        "class Kind(StrEnum):\n"
        "    A = 'a'\n\n\n"
        "@dataclass(kw_only=True)\n"
        "class Options:\n"
        "    at: dt.datetime = dt.datetime.now(dt.UTC)\n\n\n"
        "def pairs(a, b):\n"
        "    match a:\n"
        "        case []:\n"
        "            return []\n"
        "    return list(zip(a, b, strict=True))\n"
    )
    result = vermin(tmp_path)
    assert result.returncode == 1
    for feature in (
        "'enum.StrEnum' member requires !2, 3.11",
        "'datetime.UTC' member requires !2, 3.11",
        "'dataclasses.dataclass(kw_only)' requires !2, 3.10",
        "'zip(strict)' requires !2, 3.10",
        "pattern matching requires !2, 3.10",
    ):
        assert feature in result.stdout


def test_fails_on_unions_evaluated_at_run_time(tmp_path: Path) -> None:
    (tmp_path / "eager.py").write_text(
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Options:\n    region: str | None = None\n"
    )
    (tmp_path / "postponed.py").write_text(
        "from __future__ import annotations\n\n"
        "import re\n\n"
        "Number = int | float\n\n\n"
        "def check(value: int | None, flags: int) -> bool:\n"
        "    flags |= 1\n"
        "    return isinstance(value, (int, float)) or isinstance(value, int | str) or bool(flags | re.I | re.M)\n"
    )
    assert union_problems(tmp_path) == ["eager.py:6", "postponed.py:5", "postponed.py:10"]


def test_str_enum_prints_its_value_as_3_11_does() -> None:
    assert str(Reason.TOO_LATE) == f"{Reason.TOO_LATE}" == "too_late"
    assert f"{Lateness.LATE:>6}|" == "  late|"
    assert Reason.DUPLICATE == "duplicate" and {"duplicate": 1}[Reason.DUPLICATE] == 1
    assert Reason("too_late") is Reason.TOO_LATE
    assert repr(Reason.TOO_LATE) == "<Reason.TOO_LATE: 'too_late'>"
    if sys.version_info >= (3, 11):  # these tests also run on 3.9, which has no enum.StrEnum to compare with
        standard = enum.StrEnum("Reason", {m.name: m.value for m in Reason})
        ours = StrEnum("Reason", {m.name: m.value for m in Reason})
        for name in Reason.__members__:
            mine, theirs = ours[name], standard[name]
            assert (str(mine), f"{mine}", f"{mine:^20}", repr(mine)) == (
                str(theirs),
                f"{theirs}",
                f"{theirs:^20}",
                repr(theirs),
            )


def test_keyword_only_dataclasses_refuse_positional_arguments() -> None:
    with pytest.raises(TypeError, match="positional argument"):
        WindowSpec(1000)  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional argument"):
        StreamingOptions("build/stream")  # type: ignore[misc]
    assert str(inspect.signature(WindowSpec)).startswith("(*, size_ms: 'int' = 60000")

    options = parse_args(["--input-file", "in.jsonl", "--output-path", "out", "--sink-path", "sink.jsonl"])
    assert options == StreamingOptions(input_file="in.jsonl", output_path="out", sink_path="sink.jsonl")
    assert dataclasses.replace(options, window_seconds=5).spec == WindowSpec(
        size_ms=5000, allowed_lateness_ms=30_000, out_of_orderness_ms=10_000
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.region = "eu-west-1"  # type: ignore[misc]
