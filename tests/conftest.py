"""Session fixtures: snapshot extension for CloudFormation templates."""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from tests.support import normalize_template


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
