"""Read one environment out of a CDK cloud assembly: its stacks in deployment order and the files they publish."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_UNKNOWN = {"unknown-account", "unknown-region"}
_ENVIRONMENT = re.compile(r"^aws://(?P<account>[^/]+)/(?P<region>[^/]+)$")


class AssemblyError(Exception):
    """The cloud assembly is missing or does not hold what the rehearsal needs."""


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
    top = _manifest(cdk_out)
    nested = [
        (artifact_id, artifact)
        for artifact_id, artifact in top.get("artifacts", {}).items()
        if artifact.get("type") == "cdk:cloud-assembly"
    ]
    names = sorted(a["properties"].get("displayName", i) for i, a in nested)
    for artifact_id, artifact in nested:
        if artifact["properties"].get("displayName", artifact_id) == env or artifact_id == f"assembly-{env}":
            directory = cdk_out / artifact["properties"]["directoryName"]
            return _ordered(_stacks(directory))
    raise AssemblyError(
        f"{cdk_out} holds no environment {env!r} (found: {', '.join(names) or 'none'}): "
        f"run `make synth` (or `cdk synth -c env={env}`) first"
    )


def _manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise AssemblyError(f"{path} not found: run `make synth` first") from None
    return data


def _stacks(directory: Path) -> list[StackArtifact]:
    artifacts: dict[str, Any] = _manifest(directory).get("artifacts", {})
    stack_ids = {i for i, a in artifacts.items() if a.get("type") == "aws:cloudformation:stack"}
    stacks = []
    for artifact_id in sorted(stack_ids):
        artifact = artifacts[artifact_id]
        properties = artifact.get("properties", {})
        dependencies = artifact.get("dependencies", [])
        asset_files = [
            directory / artifacts[d]["properties"]["file"]
            for d in dependencies
            if artifacts.get(d, {}).get("type") == "cdk:asset-manifest"
        ]
        assets: list[FileAsset] = []
        images: list[str] = []
        for asset_file in asset_files:
            file_assets, docker = _assets(asset_file)
            assets += file_assets
            images += docker
        account, region = _environment(artifact.get("environment", ""))
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


def _environment(value: str) -> tuple[str | None, str | None]:
    match = _ENVIRONMENT.match(value)
    if not match:
        return None, None
    account, region = match.group("account"), match.group("region")
    return (None if account in _UNKNOWN else account), (None if region in _UNKNOWN else region)


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
