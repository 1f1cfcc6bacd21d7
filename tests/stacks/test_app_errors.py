"""A configuration mistake stops the bundled app with a one-line-per-problem message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import App

import app as bundled_app
from tests.support import CDK_CONTEXT, new_app


def test_unknown_environment_exits_1_with_the_known_ones(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert bundled_app.main(new_app(env="qa")) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: invalid configuration\n"
        "-c env=NAME: env='qa' is invalid: unknown environment; allowed: dev, staging, prod\n"
    )
    assert "Traceback" not in err


def test_invalid_setting_exits_1_naming_file_key_value_and_allowed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "dev.json").write_text('{"termination_protection": false, "network": {"vpc": {"cidr": "10.0.0.0/8"}}}')
    outdir = tmp_path / "cdk.out"
    app = App(context={**CDK_CONTEXT, "config_dir": str(config)}, outdir=str(outdir))
    assert bundled_app.main(app) == 1
    assert capsys.readouterr().err == (
        "error: invalid configuration\n"
        "config/dev.json: network.vpc.cidr='10.0.0.0/8' is invalid: EC2 only accepts VPC CIDR prefixes from /16 to "
        "/28; allowed: a prefix length of 16-28\n"
    )
    assert list(outdir.glob("**/*.template.json")) == [], "no template may be written for an invalid setting"
