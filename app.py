#!/usr/bin/env python3
"""The bundled CDK app: one Stage per environment (dev, staging, prod) from config/<env>.json.

cdk synth                  # every environment
cdk synth -c env=prod      # one environment
"""

from __future__ import annotations

import sys
from pathlib import Path

from aws_cdk import App

from emr_constructs.errors import EmrConfigError
from stacks.platform_stage import PlatformStage
from stacks.policy import register_limits, register_policy_packs
from stacks.settings import CONFIG_DIR, load_environments


def build(app: App, *, policy_packs: bool = True) -> list[PlatformStage]:
    """Add the selected environments' stages to ``app``, with CloudFormation's limits and the policy packs.

    Tests pass ``policy_packs=False`` and run the packs themselves, so a finding is reported by a test
    instead of failing the shared synth.
    """
    selected = app.node.try_get_context("env")
    # Another settings folder (e.g. the benchmark's) with -c config_dir=PATH; config/ by default.
    config_dir = app.node.try_get_context("config_dir")
    settings = load_environments(selected, Path(config_dir) if config_dir else CONFIG_DIR)
    stages = [PlatformStage(app, settings=s) for s in settings]
    register_limits(app)
    if policy_packs:
        register_policy_packs(app)
    return stages


def main(app: App | None = None) -> int:
    app = app or App()
    try:
        build(app)
    except EmrConfigError as error:
        # A settings or props mistake is the user's to fix: one line per problem, no traceback.
        print(f"error: invalid configuration\n{error}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
