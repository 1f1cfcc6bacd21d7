"""Template normalization shared by the snapshot tests and the gate's snapshot comparison.

Pure Python (no aws-cdk import), so the gate stays fast. It masks what changes without the
template's meaning changing: asset hashes, the bootstrap-version parameter and rule, CDK's
version-dependent runtime maps and the ``CDKMetadata`` resource; and it drops resource
metadata that depends on how the template was produced (``aws:cdk:path`` and ``aws:asset:*``
from the CLI, ``cdk_nag`` from the policy packs' acknowledgement writer).
"""

from __future__ import annotations

import json
import re
from typing import Any

_ASSET_HASH = re.compile(r"[0-9a-f]{64}")
_PRODUCTION_METADATA = re.compile(r"^(aws:cdk:path|aws:asset:.*|cdk_nag)$")


def normalize_template(template: Any) -> dict[str, Any]:
    text = _ASSET_HASH.sub("<asset-hash>", json.dumps(template, sort_keys=True))
    data: dict[str, Any] = json.loads(text)
    data.get("Parameters", {}).pop("BootstrapVersion", None)
    data.get("Rules", {}).pop("CheckBootstrapVersion", None)
    for key in [k for k in data.get("Mappings", {}) if k.startswith("LatestNodeRuntimeMap")]:
        data["Mappings"][key] = "<cdk-version-dependent>"
    resources = data.get("Resources", {})
    for logical_id in [k for k, v in resources.items() if v.get("Type") == "AWS::CDK::Metadata"]:
        resources.pop(logical_id)
    data.get("Conditions", {}).pop("CDKMetadataAvailable", None)
    for body in resources.values():
        metadata = body.get("Metadata")
        if isinstance(metadata, dict):
            for key in [k for k in metadata if _PRODUCTION_METADATA.match(k)]:
                metadata.pop(key)
            if not metadata:
                body.pop("Metadata")
    for section in ("Parameters", "Rules", "Conditions", "Mappings", "Outputs"):
        if section in data and not data[section]:
            data.pop(section)
    return data
