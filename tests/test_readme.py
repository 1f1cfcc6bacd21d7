"""Every Python code block of the README runs, as a user would run it under ``cdk synth`` (cdk.json's context),
and the app it builds passes the library's policy packs with zero unacknowledged findings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support import CDK_CONTEXT, ROOT

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)

# One interpreter for all blocks (jsii starts once), each block in a fresh namespace.
_RUNNER = """
import json, sys, traceback
from tests.support import nag_findings
blocks = json.loads(sys.stdin.read())
failed = 0
for index, block in enumerate(blocks):
    namespace = {"__name__": "__readme__"}
    try:
        exec(compile(block, f"README block {index}", "exec"), namespace)
        findings = nag_findings(namespace["app"]) if "app" in namespace else []
        if findings:
            raise AssertionError("unacknowledged cdk-nag findings:\\n" + "\\n".join(findings))
    except Exception:
        failed += 1
        print(f"--- README block {index} failed:\\n{block}", file=sys.stderr)
        traceback.print_exc()
print(f"{len(blocks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
"""


def readme_blocks() -> list[str]:
    return _BLOCK.findall((ROOT / "README.md").read_text())


def test_readme_has_python_examples() -> None:
    assert len(readme_blocks()) >= 4


def test_every_readme_python_block_runs(tmp_path: Path) -> None:
    env = {
        **os.environ,
        # What the CDK CLI hands the app: cdk.json's context, and an output directory.
        "CDK_CONTEXT_JSON": json.dumps(CDK_CONTEXT),
        "CDK_OUTDIR": str(tmp_path),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER],
        input=json.dumps(readme_blocks()),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    assert result.stdout.strip().endswith("0 failed")
