"""The one reader of a cloud assembly (``cdk.out``) for the repository's tools: the policy gate reads every
template with its metadata and validation report (:func:`read_assembly`); the deploy rehearsal reads one
environment's stacks in deployment order with the files they publish (:func:`load_environment`).

It reads ``manifest.json`` files only: ``aws_cdk.cx_api.CloudAssembly`` would start jsii (about 2 s) for a gate
that otherwise needs no aws-cdk at all. (The operator CLI keeps its own small reader: it must not import tools/.)

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
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VALIDATION_REPORT = "validation-report.json"
DEFAULT_REGION = "us-east-1"
STACK = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
ASSET_MANIFEST = "cdk:asset-manifest"
_UNKNOWN = {"unknown-account", "unknown-region"}
_ENVIRONMENT = re.compile(r"^aws://(?P<account>[^/]+)/(?P<region>[^/]+)$")


class AssemblyError(Exception):
    """The cloud assembly is missing or does not hold what a tool needs."""


def read_manifest(directory: Path) -> dict[str, Any]:
    """``directory/manifest.json``; :class:`AssemblyError` naming the file and the fix when it is missing."""
    path = directory / "manifest.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise AssemblyError(f"{path} not found: run `make synth` first") from None
    return data


def artifacts(manifest: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = manifest.get("artifacts", {})
    return found


def stages(root: Path) -> dict[str, Path]:
    """Each Stage (nested assembly) of the assembly at ``root``: its display name -> its directory."""
    return dict(
        _stage(root, artifact_id, artifact)
        for artifact_id, artifact in artifacts(read_manifest(root)).items()
        if artifact.get("type") == NESTED_ASSEMBLY
    )


def _stage(root: Path, artifact_id: str, artifact: Mapping[str, Any]) -> tuple[str, Path]:
    properties = artifact.get("properties", {})
    name = artifact.get("displayName") or properties.get("displayName") or artifact_id
    return str(name), root / properties["directoryName"]


def environment_of(artifact: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The account and region a stack artifact is pinned to (``None`` for environment-agnostic parts)."""
    match = _ENVIRONMENT.match(str(artifact.get("environment", "")))
    if not match:
        return None, None
    account, region = match.group("account"), match.group("region")
    return (None if account in _UNKNOWN else account), (None if region in _UNKNOWN else region)


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
    return Assembly(root, list(_templates(root, environment="")))


def _templates(directory: Path, environment: str) -> Iterator[StackTemplate]:
    for artifact_id, artifact in artifacts(read_manifest(directory)).items():
        if artifact.get("type") == NESTED_ASSEMBLY:
            name, stage_directory = _stage(directory, artifact_id, artifact)
            yield from _templates(stage_directory, environment or name)
        elif artifact.get("type") == STACK:
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
    region = environment_of(artifact)[1] or DEFAULT_REGION
    for stack_path, template_file in templates.items():
        yield StackTemplate(
            environment=environment,
            path=stack_path,
            artifact_id=artifact_id if stack_path == path else template_file,
            template_file=directory / template_file,
            template=json.loads((directory / template_file).read_text()),
            metadata={k: v for k, v in metadata.items() if _innermost(k.lstrip("/"), templates) == stack_path},
            region=region,
            nested=stack_path != path,
        )


def _innermost(construct_path: str, stack_paths: Iterable[str]) -> str | None:
    """The deepest of ``stack_paths`` that holds ``construct_path``."""
    holders = [p for p in stack_paths if construct_path == p or construct_path.startswith(p + "/")]
    return max(holders, key=len) if holders else None


@dataclass(frozen=True)
class FileAsset:
    """A file or directory CDK publishes to the bootstrap bucket before deploying (Lambda code, templates)."""

    asset_id: str
    source: Path
    packaging: str
    """``file`` or ``zip`` (a directory zipped)."""
    bucket: str
    """Bucket name with ``${AWS::AccountId}``/``${AWS::Region}`` placeholders."""
    key: str


@dataclass(frozen=True)
class StackArtifact:
    artifact_id: str
    stack_name: str
    display_name: str
    template_path: Path
    account: str | None
    """The account the stack is pinned to; ``None`` for environment-agnostic stacks."""
    region: str | None
    depends_on: tuple[str, ...]
    """Artifact ids of the stacks this one needs first."""
    tags: dict[str, str]
    assets: tuple[FileAsset, ...]
    docker_images: tuple[str, ...]

    def template(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.template_path.read_text())
        return data


def load_environment(cdk_out: Path, env: str) -> list[StackArtifact]:
    """The stacks of Stage ``env`` in ``cdk_out``, ordered so every stack comes after the stacks it depends on."""
    found = stages(cdk_out)
    directory = found.get(env) or next((d for d in found.values() if d.name == f"assembly-{env}"), None)
    if directory is None:
        raise AssemblyError(
            f"{cdk_out} holds no environment {env!r} (found: {', '.join(sorted(found)) or 'none'}): "
            f"run `make synth` (or `cdk synth -c env={env}`) first"
        )
    return _ordered(_stack_artifacts(directory))


def _stack_artifacts(directory: Path) -> list[StackArtifact]:
    artifacts_by_id = artifacts(read_manifest(directory))
    stack_ids = {i for i, a in artifacts_by_id.items() if a.get("type") == STACK}
    stacks = []
    for artifact_id in sorted(stack_ids):
        artifact = artifacts_by_id[artifact_id]
        properties = artifact.get("properties", {})
        dependencies = artifact.get("dependencies", [])
        asset_files = [
            directory / artifacts_by_id[d]["properties"]["file"]
            for d in dependencies
            if artifacts_by_id.get(d, {}).get("type") == ASSET_MANIFEST
        ]
        assets: list[FileAsset] = []
        images: list[str] = []
        for asset_file in asset_files:
            file_assets, docker = _assets(asset_file)
            assets += file_assets
            images += docker
        account, region = environment_of(artifact)
        stacks.append(
            StackArtifact(
                artifact_id=artifact_id,
                stack_name=properties.get("stackName", artifact_id),
                display_name=artifact.get("displayName", artifact_id),
                template_path=directory / properties["templateFile"],
                account=account,
                region=region,
                depends_on=tuple(d for d in dependencies if d in stack_ids),
                tags=dict(properties.get("tags", {})),
                assets=tuple(assets),
                docker_images=tuple(images),
            )
        )
    return stacks


def _assets(manifest: Path) -> tuple[list[FileAsset], list[str]]:
    data = json.loads(manifest.read_text())
    found = []
    for asset_id, asset in data.get("files", {}).items():
        source = asset["source"]
        for destination in asset.get("destinations", {}).values():
            found.append(
                FileAsset(
                    asset_id=asset_id,
                    source=(manifest.parent / source["path"]).resolve(),
                    packaging=source.get("packaging", "file"),
                    bucket=destination["bucketName"],
                    key=destination["objectKey"],
                )
            )
    return found, sorted(data.get("dockerImages", {}))


def _ordered(stacks: list[StackArtifact]) -> list[StackArtifact]:
    """Dependencies first; among independent stacks, the manifest's (alphabetical) order, so runs are repeatable."""
    by_id = {s.artifact_id: s for s in stacks}
    ordered: list[StackArtifact] = []
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(stack: StackArtifact, path: tuple[str, ...]) -> None:
        if stack.artifact_id in done:
            return
        if stack.artifact_id in visiting:
            cycle = " -> ".join(by_id[i].stack_name for i in (*path, stack.artifact_id))
            raise AssemblyError(f"stacks depend on each other in a cycle: {cycle}")
        visiting.add(stack.artifact_id)
        for dependency in stack.depends_on:
            visit(by_id[dependency], (*path, stack.artifact_id))
        visiting.discard(stack.artifact_id)
        done.add(stack.artifact_id)
        ordered.append(stack)

    for stack in stacks:
        visit(stack, ())
    return ordered
