"""Read a synthesized cloud assembly (``cdk.out``) as plain JSON: environments, their stacks and templates.

``cost`` and ``preflight`` work from what ``cdk synth`` wrote, so they serve a team's own app as well as the
bundled one, and never need ``aws_cdk`` or Node.js. Each CDK ``Stage`` is one environment (a nested assembly
``assembly-<stage>``); stacks outside any stage form the environment named after ``TOP_LEVEL``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emr_constructs.cli.errors import CliError

TOP_LEVEL = "app"
_NESTED = "cdk:cloud-assembly"
_STACK = "aws:cloudformation:stack"
_UNKNOWN = {"unknown-account", "unknown-region", ""}


@dataclass(frozen=True)
class StackTemplate:
    environment: str
    name: str
    """The deployed stack name (``prod-Compute``)."""
    display_name: str
    """The construct path (``prod/Compute``)."""
    account: str | None
    region: str | None
    template: dict[str, Any] = field(repr=False)
    properties: dict[str, Any] = field(repr=False)
    """The stack's manifest properties (bootstrap version, roles)."""

    def resources(self, *types: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(logical id, Properties)`` of every resource of one of ``types``, in template order."""
        for logical_id, resource in self.template.get("Resources", {}).items():
            if resource.get("Type") in types:
                yield logical_id, resource.get("Properties", {})


@dataclass(frozen=True)
class Environment:
    name: str
    stacks: tuple[StackTemplate, ...]

    @property
    def accounts(self) -> set[str]:
        return {s.account for s in self.stacks if s.account}

    @property
    def regions(self) -> set[str]:
        return {s.region for s in self.stacks if s.region}

    def resources(self, *types: str) -> Iterator[tuple[StackTemplate, str, dict[str, Any]]]:
        for stack in self.stacks:
            for logical_id, properties in stack.resources(*types):
                yield stack, logical_id, properties


def _read_json(path: Path) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise CliError(f"{path} does not exist: is this a cdk.out folder?") from None
    except json.JSONDecodeError as error:
        raise CliError(f"{path} is not valid JSON ({error}): synthesize again") from None
    return loaded


def _account_region(environment: str | None) -> tuple[str | None, str | None]:
    # "aws://123456789012/eu-west-1"; environment-agnostic stacks say unknown-account / unknown-region.
    if not environment or not environment.startswith("aws://"):
        return None, None
    account, _, region = environment.removeprefix("aws://").partition("/")
    return (None if account in _UNKNOWN else account), (None if region in _UNKNOWN else region)


def _stacks(directory: Path, environment: str) -> Iterator[StackTemplate]:
    manifest = _read_json(directory / "manifest.json")
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != _STACK:
            continue
        properties = artifact.get("properties", {})
        account, region = _account_region(artifact.get("environment"))
        yield StackTemplate(
            environment=environment,
            name=properties.get("stackName", artifact_id),
            display_name=artifact.get("displayName", artifact_id),
            account=account,
            region=region,
            template=_read_json(directory / properties["templateFile"]),
            properties=properties,
        )


def load_assembly(cdk_out: Path) -> dict[str, Environment]:
    """Every environment of the assembly by name: one per ``Stage``, plus ``app`` for top-level stacks."""
    if not (cdk_out / "manifest.json").is_file():
        raise CliError(
            f"no cloud assembly at {cdk_out}: synthesize first (`cdk synth`, or `make synth` in this repository) "
            f"or pass the cdk.out folder"
        )
    environments: dict[str, list[StackTemplate]] = {}
    top = list(_stacks(cdk_out, TOP_LEVEL))
    if top:
        environments[TOP_LEVEL] = top
    manifest = _read_json(cdk_out / "manifest.json")
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != _NESTED:
            continue
        directory = artifact.get("properties", {}).get("directoryName", artifact_id)
        name = artifact_id.removeprefix("assembly-")
        environments[name] = list(_stacks(cdk_out / directory, name))
    return {name: Environment(name, tuple(stacks)) for name, stacks in environments.items()}


def select(environments: dict[str, Environment], name: str | None) -> list[Environment]:
    """``name``'s environment, or all of them; an unknown name fails with the names that exist."""
    if name is None:
        return list(environments.values())
    if name not in environments:
        known = ", ".join(environments) or "none"
        raise CliError(f"no environment {name!r} in the cloud assembly; it has: {known}")
    return [environments[name]]
