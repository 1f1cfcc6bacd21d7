"""The bundled app's cloud assembly, for the CLI and rehearsal tests (synthesized once per session by the
``platform`` fixture of tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from stacks.platform_stage import PlatformStage

ENV = "dev"
REGION = "eu-west-1"


def assembly_of(stage: PlatformStage) -> Path:
    """The cloud assembly (``cdk.out``) a synthesized stage was written into."""
    return Path(stage.outdir).parent


def exports_clusters(cdk_out: Path, env: str) -> bool:
    prefix = f"emr-platform-{env}-cluster-"
    for template in (cdk_out / f"assembly-{env}").glob("*.template.json"):
        outputs = json.loads(template.read_text()).get("Outputs", {})
        if any(str(o.get("Export", {}).get("Name", "")).startswith(prefix) for o in outputs.values()):
            return True
    return False
