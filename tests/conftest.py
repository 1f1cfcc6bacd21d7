"""Session fixtures: snapshot extension for CloudFormation templates."""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

import app as bundled_app
from stacks.platform_stage import PlatformStage
from tests.support import new_app, normalize_template


class CfnTemplateSnapshot(JSONSnapshotExtension):
    """JSON snapshots of templates with asset hashes and CDK version maps masked."""

    def serialize(self, data: Any, **kwargs: Any) -> str:
        if isinstance(data, dict) and "Resources" in data:
            data = normalize_template(data)
        return super().serialize(data, **kwargs)


@pytest.fixture
def template_snapshot(snapshot: Any) -> Any:
    """``assert template_snapshot == template_json`` compares the masked template with the stored one."""
    return snapshot.use_extension(CfnTemplateSnapshot)


@pytest.fixture(scope="session")
def platform() -> dict[str, PlatformStage]:
    """The bundled app, every environment, built once per session with cdk.json's context (as ``cdk synth``)."""
    app = new_app()
    stages = bundled_app.build(app, policy_packs=False)
    app.synth()
    return {stage.settings.name: stage for stage in stages}
