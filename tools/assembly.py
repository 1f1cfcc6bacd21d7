"""Reading a cloud assembly (``cdk.out``): stacks of every nested stage, templates, metadata, report.

Layout written by aws-cdk-lib 2.275 (checked with fixture apps in tests/tools/gate):

* ``cdk.out/manifest.json`` lists artifacts; a Stage is a ``cdk:cloud-assembly`` artifact whose
  ``properties.directoryName`` (``assembly-dev``) holds its own ``manifest.json``.
* a stack is an ``aws:cloudformation:stack`` artifact: ``properties.templateFile``, ``displayName``
  (its construct path, ``dev/Data``), and its construct metadata either inline (``metadata``) or in
  ``additionalMetadataFile`` (``<artifact>.metadata.json``): construct path -> entries such as
  ``aws:cdk:logicalId`` and ``aws:cdk:acknowledged-rules`` (``{"Annotation::<rule>": reason}``).
* a nested stack's template is a file of the same directory, named by an ``aws:cdk:templateFile``
  entry at the nested stack's path in its parent's metadata.
* ``cdk.out/validation-report.json`` (only in the top-level assembly) holds the results of every
  validation plugin of every stage, written at synth after the templates, whether or not synth failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VALIDATION_REPORT = "validation-report.json"
DEFAULT_REGION = "us-east-1"


@dataclass
class StackTemplate:
    """One synthesized template and what the assembly says about it."""

    environment: str
    path: str
    artifact_id: str
    template_file: Path
    template: dict[str, Any]
    metadata: Mapping[str, list[Mapping[str, Any]]]
    region: str = DEFAULT_REGION
    nested: bool = False
    _paths_by_logical_id: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for construct_path, entries in self.metadata.items():
            for entry in entries:
                if entry.get("type") == "aws:cdk:logicalId" and isinstance(entry.get("data"), str):
                    self._paths_by_logical_id[entry["data"]] = construct_path.lstrip("/")
        for logical_id, body in self.resources.items():
            cdk_path = body.get("Metadata", {}).get("aws:cdk:path") if isinstance(body, Mapping) else None
            if isinstance(cdk_path, str):
                self._paths_by_logical_id.setdefault(logical_id, cdk_path)

    @property
    def resources(self) -> Mapping[str, Any]:
        resources = self.template.get("Resources", {})
        return resources if isinstance(resources, Mapping) else {}

    def construct_path(self, logical_id: str) -> str:
        """The construct path of a resource, or ``<stack path>/<logical id>`` when the assembly has no mapping."""
        return self._paths_by_logical_id.get(logical_id, f"{self.path}/{logical_id}")


@dataclass
class Assembly:
    root: Path
    stacks: list[StackTemplate]

    @property
    def report_file(self) -> Path:
        return self.root / VALIDATION_REPORT

    def stack_of(self, construct_path: str) -> StackTemplate | None:
        """The innermost stack whose path is a prefix of ``construct_path``."""
        best: StackTemplate | None = None
        for stack in self.stacks:
            if (construct_path == stack.path or construct_path.startswith(stack.path + "/")) and (
                best is None or len(stack.path) > len(best.path)
            ):
                best = stack
        return best

    def validation_report(self) -> dict[str, Any] | None:
        if not self.report_file.exists():
            return None
        report: dict[str, Any] = json.loads(self.report_file.read_text())
        return report

    def report_is_stale(self) -> bool:
        """True when the report predates the assembly's manifest, i.e. it comes from an earlier synth."""
        manifest = self.root / "manifest.json"
        return self.report_file.stat().st_mtime + 1 < manifest.stat().st_mtime


def read_assembly(root: Path) -> Assembly:
    """All stacks of the assembly at ``root``, nested stage assemblies and nested stacks included."""
    if not (root / "manifest.json").exists():
        raise FileNotFoundError(f"{root}: no manifest.json; run `cdk synth` first")
    return Assembly(root, list(_stacks(root, environment="")))


def _stacks(directory: Path, environment: str) -> Iterator[StackTemplate]:
    manifest = json.loads((directory / "manifest.json").read_text())
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        properties = artifact.get("properties", {})
        if artifact.get("type") == "cdk:cloud-assembly":
            name = artifact.get("displayName") or properties.get("displayName") or artifact_id
            yield from _stacks(directory / properties["directoryName"], environment or name)
        elif artifact.get("type") == "aws:cloudformation:stack":
            yield from _stack(directory, environment, artifact_id, artifact)


def _stack(directory: Path, environment: str, artifact_id: str, artifact: Mapping[str, Any]) -> Iterator[StackTemplate]:
    """The stack and its nested stacks, whose templates the metadata names (``aws:cdk:templateFile``)."""
    metadata: dict[str, list[Mapping[str, Any]]] = {}
    for key, entries in artifact.get("metadata", {}).items():
        metadata.setdefault(key, []).extend(entries)
    if "additionalMetadataFile" in artifact:
        for key, entries in json.loads((directory / artifact["additionalMetadataFile"]).read_text()).items():
            metadata.setdefault(key, []).extend(entries)
    path = str(artifact.get("displayName", artifact_id))
    templates = {path: str(artifact["properties"]["templateFile"])}
    for key, entries in metadata.items():
        for entry in entries:
            if entry.get("type") == "aws:cdk:templateFile" and key.lstrip("/") != path:
                templates[key.lstrip("/")] = str(entry["data"])
    region = str(artifact.get("environment", "")).rsplit("/", 1)[-1]
    for stack_path, template_file in templates.items():
        yield StackTemplate(
            environment=environment,
            path=stack_path,
            artifact_id=artifact_id if stack_path == path else template_file,
            template_file=directory / template_file,
            template=json.loads((directory / template_file).read_text()),
            metadata={k: v for k, v in metadata.items() if _innermost(k.lstrip("/"), templates) == stack_path},
            region=region if region and region != "unknown-region" else DEFAULT_REGION,
            nested=stack_path != path,
        )


def _innermost(construct_path: str, stack_paths: Iterable[str]) -> str | None:
    """The deepest of ``stack_paths`` that holds ``construct_path``."""
    holders = [p for p in stack_paths if construct_path == p or construct_path.startswith(p + "/")]
    return max(holders, key=len) if holders else None
