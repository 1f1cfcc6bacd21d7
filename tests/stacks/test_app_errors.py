"""A configuration mistake stops the bundled app with a one-line-per-problem message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import app as bundled_app
from tests.support import new_app


def test_unknown_environment_exits_1_with_the_known_ones(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert bundled_app.main(new_app(env="qa")) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: invalid configuration\n"
        "-c env=NAME: env='qa' is invalid: unknown environment; allowed: dev, staging, prod\n"
    )
    assert "Traceback" not in err
