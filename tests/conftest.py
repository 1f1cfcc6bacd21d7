"""Session fixtures: snapshot extension for CloudFormation templates."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from syrupy.extensions.json import JSONSnapshotExtension

import app as bundled_app
from stacks.platform_stage import PlatformStage
from tests.support import CDK_CONTEXT, normalize_template

_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


class CfnTemplateSnapshot(JSONSnapshotExtension):
    """JSON snapshots of templates with asset hashes and CDK version maps masked."""

    def serialize(self, data: Any, **kwargs: Any) -> str:
        if isinstance(data, dict) and "Resources" in data:
            data = normalize_template(data)
        elif isinstance(data, dict) and data and all(isinstance(t, dict) and "Resources" in t for t in data.values()):
            # Templates by stack id (an environment's stacks): asset hashes masked (a workload package's hash
            # follows every edit of its code), everything else kept as synthesized.
            data = json.loads(_ASSET_HASH.sub("<asset-hash>", json.dumps(data)))
        return super().serialize(data, **kwargs)


@pytest.fixture
def template_snapshot(snapshot: Any) -> Any:
    """``assert template_snapshot == template_json`` compares the masked template with the stored one."""
    return snapshot.use_extension(CfnTemplateSnapshot)


@dataclass(frozen=True)
class Platform:
    """The bundled app synthesized once: its stages by environment and the cloud assembly on disk."""

    stages: dict[str, PlatformStage]
    assembly_dir: Path


@pytest.fixture(scope="session")
def synthesized_platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    """The bundled app, every environment, built once per session with cdk.json's context (as ``cdk synth``).

    Without CDK's built-in CloudFormation validation: cfn-lint checks these same templates here
    (tests/stacks/test_platform.py) and in the policy gate (``make check``); ``make synth`` keeps it on.
    """
    app = App(
        context=CDK_CONTEXT,
        outdir=str(tmp_path_factory.mktemp("cdk.out")),
        builtin_cloud_formation_validation=False,
    )
    stages = bundled_app.build(app, policy_packs=False)
    assembly = app.synth()
    return Platform({stage.settings.name: stage for stage in stages}, Path(assembly.directory))


@pytest.fixture(scope="session")
def platform(synthesized_platform: Platform) -> dict[str, PlatformStage]:
    return synthesized_platform.stages
