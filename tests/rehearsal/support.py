"""Cloud assemblies for the CLI and rehearsal tests: the bundled app's, or a stand-in until it has clusters.

The CLI needs a cluster to submit to. While the bundled app has no stack exporting one
(``emr-platform-<env>-cluster-<name>-id``), the tests use :mod:`tests.rehearsal.fixture_app`, which follows the
same stack and export contract, and say so with a warning.
"""

from __future__ import annotations

import functools
import json
import tempfile
import warnings
from pathlib import Path

from aws_cdk import App

from stacks.platform_stage import PlatformStage
from tests.rehearsal import fixture_app
from tests.support import CDK_CONTEXT

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


@functools.cache
def stand_in_assembly() -> Path:
    """The stand-in app's ``dev`` environment, synthesized once per process."""
    app = App(outdir=tempfile.mkdtemp(prefix="stand-in-cdk-out-"), context=CDK_CONTEXT)
    fixture_app.build(app, (ENV,))
    app.synth()
    return Path(app.outdir)


def assembly_with_clusters(stage: PlatformStage) -> Path:
    """The bundled app's assembly when it exports a cluster; otherwise the stand-in's, with a warning."""
    real = assembly_of(stage)
    if exports_clusters(real, stage.settings.name):
        return real
    warnings.warn(
        "the bundled app exports no EMR cluster yet: CLI tests ran against tests/rehearsal/fixture_app.py",
        stacklevel=2,
    )
    return stand_in_assembly()
