"""Which resources changed against the committed template snapshots.

The snapshots are syrupy JSON files in any directory. A file holds one template, or an
object of templates keyed by stack id (``{"Network": {...}, "DataLake": {...}}``). Which
snapshot belongs to which stack is given by a mapping ``stack path -> "file"`` or
``"file#key"`` (relative to the directory). Without one, names are matched with case and
punctuation ignored: a one-template file by its name less a ``test_`` prefix
(``test_dev_data.json`` <-> ``dev/Data``), a file of templates by the pytest parameter in
its name and each key (``test_templates[dev].json#Network`` <-> ``dev/Network``), or by its
name and the key. A stack without a snapshot is reported as such.

Both sides are normalized the same way, so only meaningful changes count: asset hashes and
CDK version data are masked, and metadata that only the CLI or the policy packs write
(``aws:cdk:path``, ``aws:asset:*``, ``cdk_nag``) is dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.gate.normalize import normalize_template

_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_SYRUPY_INDEX = re.compile(r"\.\d+$")
_PARAMETER = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True)
class Change:
    logical_id: str
    resource_type: str
    kind: str  # "added", "removed" or "modified"
    keys: tuple[str, ...] = ()

    def describe(self) -> str:
        mark = {"added": "+", "removed": "-", "modified": "~"}[self.kind]
        detail = f" [{', '.join(self.keys)}]" if self.keys else ""
        return f"{mark} {self.logical_id} ({self.resource_type}){detail}"


@dataclass(frozen=True)
class StackChanges:
    stack: str
    snapshot: Snapshot | None
    changes: tuple[Change, ...] = field(default=())
    other_sections: tuple[str, ...] = field(default=())

    @property
    def status(self) -> str:
        if self.snapshot is None:
            return "no snapshot"
        if not self.changes and not self.other_sections:
            return "unchanged"
        return f"{len(self.changes)} resource(s) changed"


def _key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.lower())


@dataclass(frozen=True)
class Snapshot:
    """One stored template: the file and, for a file of several templates, its key."""

    file: Path
    key: str | None = None

    def __str__(self) -> str:
        return f"{self.file.name}#{self.key}" if self.key else self.file.name

    def template(self) -> Any:
        document = json.loads(self.file.read_text())
        return document[self.key] if self.key else document


def _is_template(document: Any) -> bool:
    return isinstance(document, Mapping) and "Resources" in document


def _candidates(file: Path) -> Iterable[tuple[str, Snapshot]]:
    """(matching name, snapshot) for every template in ``file``."""
    document = json.loads(file.read_text())
    stem = _SYRUPY_INDEX.sub("", file.stem)
    if _is_template(document):
        yield _PARAMETER.sub(r"\1", stem).removeprefix("test_"), Snapshot(file)
    elif isinstance(document, Mapping):
        parameter = _PARAMETER.search(stem)
        for key, value in document.items():
            if _is_template(value):
                if parameter:
                    yield f"{parameter.group(1)}/{key}", Snapshot(file, key)
                yield f"{_PARAMETER.sub('', stem).removeprefix('test_')}/{key}", Snapshot(file, key)


def find_snapshots(
    directory: Path, stack_paths: Iterable[str], mapping: Mapping[str, str] | None = None
) -> dict[str, Snapshot]:
    """stack path -> snapshot, for the stacks that have one."""
    if mapping is not None:
        found = {}
        for stack, where in mapping.items():
            name, _, key = where.partition("#")
            if (directory / name).exists():
                found[stack] = Snapshot(directory / name, key or None)
        return found
    if not directory.is_dir():
        return {}
    by_name: dict[str, Snapshot] = {}
    for file in sorted(directory.rglob("*.json")):
        for name, snapshot in _candidates(file):
            by_name.setdefault(_key(name), snapshot)
    return {stack: by_name[_key(stack)] for stack in stack_paths if _key(stack) in by_name}


def compare(stack: str, actual: Mapping[str, Any], snapshot: Snapshot | None) -> StackChanges:
    """The resource-level differences between ``actual`` and the template in ``snapshot``."""
    if snapshot is None:
        return StackChanges(stack, None)
    expected = normalize_template(snapshot.template())
    current = normalize_template(actual)
    old, new = expected.get("Resources", {}), current.get("Resources", {})
    changes = [Change(lid, str(new[lid].get("Type")), "added") for lid in sorted(new.keys() - old.keys())]
    changes += [Change(lid, str(old[lid].get("Type")), "removed") for lid in sorted(old.keys() - new.keys())]
    for lid in sorted(old.keys() & new.keys()):
        if old[lid] != new[lid]:
            changes.append(Change(lid, str(new[lid].get("Type")), "modified", _changed_keys(old[lid], new[lid])))
    others = tuple(
        sorted(k for k in (expected.keys() | current.keys()) - {"Resources"} if expected.get(k) != current.get(k))
    )
    return StackChanges(stack, snapshot, tuple(changes), others)


def _changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    keys = []
    for key in sorted(old.keys() | new.keys()):
        if key == "Properties":
            props_old, props_new = old.get(key, {}), new.get(key, {})
            keys += [
                f"Properties.{p}"
                for p in sorted(props_old.keys() | props_new.keys())
                if props_old.get(p) != props_new.get(p)
            ]
        elif old.get(key) != new.get(key):
            keys.append(key)
    return tuple(keys)


def changes(
    templates: Mapping[str, Mapping[str, Any]], directory: Path, mapping: Mapping[str, str] | None = None
) -> list[StackChanges]:
    """Changes of every stack in ``templates`` (stack path -> template) against ``directory``."""
    found = find_snapshots(directory, templates, mapping)
    return [compare(stack, template, found.get(stack)) for stack, template in templates.items()]
