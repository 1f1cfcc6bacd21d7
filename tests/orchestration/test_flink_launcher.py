"""The Flink step's launcher, run with bash against stand-ins for ``aws s3 cp``, ``yarn`` and ``flink``: the exact
``flink run`` command it builds, the files it fetches, and when it does not submit."""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from emr_constructs.orchestration import FLINK_LAUNCHER, FlinkJob

# aws s3 cp --only-show-errors s3://bucket/key DEST: copies $FAKE_S3/bucket/key, fails like the CLI when missing.
FAKE_AWS = """#!/usr/bin/env bash
[ "$1 $2 $3" = "s3 cp --only-show-errors" ] || { echo "unexpected aws call: $*" >&2; exit 2; }
source="$FAKE_S3/${4#s3://}"
[ -f "$source" ] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation" >&2; exit 1; }
cp "$source" "$5"
"""
# flink: records its arguments, one per line, and what the -py script said.
FAKE_FLINK = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$FLINK_CALL"
"""
# yarn application -list: what $YARN_LIST holds, as YARN prints it (tab-separated, padded).
FAKE_YARN = """#!/usr/bin/env bash
[ "$1 $2" = "application -list" ] || exit 2
cat "$YARN_LIST"
"""
YARN_HEADER = "Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, RUNNING]):1\n"


@dataclass
class Node:
    """A primary node: stand-in commands on PATH and an S3 of local folders."""

    root: Path

    @property
    def s3(self) -> Path:
        return self.root / "s3"

    def put(self, uri: str, text: str) -> None:
        path = self.s3 / uri.removeprefix("s3://")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def yarn_lists(self, *names: str) -> None:
        rows = "".join(
            f"application_1_000{i}\t   {name}\t  Apache Flink\thadoop\tdefault\tRUNNING\n"
            for i, name in enumerate(names)
        )
        (self.root / "yarn.txt").write_text(YARN_HEADER + rows)

    def run(self, job: FlinkJob) -> subprocess.CompletedProcess[str]:
        args = job.step_arguments()
        assert args[:4] == ["bash", "-c", FLINK_LAUNCHER, "flink-step"]
        env = {
            "PATH": f"{self.root / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "FAKE_S3": str(self.s3),
            "FLINK_CALL": str(self.root / "flink-call.txt"),
            "YARN_LIST": str(self.root / "yarn.txt"),
            "TMPDIR": str(self.root / "tmp"),
        }
        return subprocess.run(args, env=env, capture_output=True, text=True, check=False, timeout=30)

    @property
    def flink_call(self) -> list[str] | None:
        call = self.root / "flink-call.txt"
        return call.read_text().splitlines() if call.exists() else None


@pytest.fixture
def node(tmp_path: Path) -> Node:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "tmp").mkdir()
    for name, text in (("aws", FAKE_AWS), ("flink", FAKE_FLINK), ("yarn", FAKE_YARN)):
        path = bin_dir / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    node = Node(tmp_path)
    node.yarn_lists()
    node.put("s3://assets/job.py", "print('job')\n")
    node.put("s3://assets/workloads.zip", "zip")
    node.put("s3://assets/extra.zip", "extra")
    node.put("s3://jars/kinesis.jar", "jar")
    node.put("s3://jars/other.jar", "jar2")
    return node


def job(**overrides: object) -> FlinkJob:
    fields: dict[str, object] = {
        "name": "streaming-windows",
        "script_uri": "s3://assets/job.py",
        "arguments": ("--stream-name", "events", "--output-path", "s3://lake/streaming/"),
        "python_files": ("s3://assets/workloads.zip",),
        "jars": ("s3://jars/kinesis.jar",),
        "properties": (("parallelism.default", "2"),),
    }
    fields.update(overrides)
    return FlinkJob(**fields)  # type: ignore[arg-type]


def test_fetches_the_files_and_runs_flink_with_local_paths(node: Node) -> None:
    result = node.run(job())
    assert result.returncode == 0, result.stderr
    call = node.flink_call
    assert call is not None
    work = Path(call[call.index("-py") + 1]).parent
    assert work.parent == node.root / "tmp"  # a fresh folder per run
    assert call == [
        "run", "-t", "yarn-per-job", "-Dyarn.application.name=streaming-windows",
        "--detached", "-pyclientexec", "python3", "-pyexec", "python3", "-Dparallelism.default=2",
        "-pyfs", f"{work}/pyfs0-workloads.zip",
        f"-Dpipeline.jars=file://{work}/jar0-kinesis.jar",
        "-py", f"{work}/job-job.py",
        "--stream-name", "events", "--output-path", "s3://lake/streaming/",
    ]  # fmt: skip
    assert (work / "job-job.py").read_text() == "print('job')\n"
    assert (work / "pyfs0-workloads.zip").read_text() == "zip"
    assert (work / "jar0-kinesis.jar").read_text() == "jar"


def test_several_python_files_and_jars_are_joined_as_flink_expects(node: Node) -> None:
    result = node.run(
        job(
            python_files=("s3://assets/workloads.zip", "s3://assets/extra.zip"),
            jars=("s3://jars/kinesis.jar", "s3://jars/other.jar"),
        )
    )
    assert result.returncode == 0, result.stderr
    call = node.flink_call
    assert call is not None
    work = Path(call[call.index("-py") + 1]).parent
    assert call[call.index("-pyfs") + 1] == f"{work}/pyfs0-workloads.zip,{work}/pyfs1-extra.zip"
    assert f"-Dpipeline.jars=file://{work}/jar0-kinesis.jar;file://{work}/jar1-other.jar" in call


def test_without_python_files_or_jars_neither_option_is_given(node: Node) -> None:
    result = node.run(job(python_files=(), jars=(), properties=()))
    assert result.returncode == 0, result.stderr
    call = node.flink_call
    assert call is not None
    assert "-pyfs" not in call
    assert not [arg for arg in call if arg.startswith("-Dpipeline.jars")]
    assert call[: call.index("-py")] == [
        "run", "-t", "yarn-per-job", "-Dyarn.application.name=streaming-windows",
        "--detached", "-pyclientexec", "python3", "-pyexec", "python3",
    ]  # fmt: skip


def test_job_arguments_reach_the_job_verbatim(node: Node) -> None:
    tricky = ("--note", "two words", "$HOME", "*", "a;b", "--")
    result = node.run(job(arguments=tricky))
    assert result.returncode == 0, result.stderr
    call = node.flink_call
    assert call is not None
    assert tuple(call[call.index("-py") + 2 :]) == tricky


def test_a_detached_job_already_running_is_not_submitted_again(node: Node) -> None:
    node.yarn_lists("other-job", "streaming-windows")
    result = node.run(job())
    assert result.returncode == 0, result.stderr
    assert node.flink_call is None
    assert "Flink job streaming-windows is already running on YARN: not submitted again" in result.stdout


def test_another_running_application_does_not_stop_the_submission(node: Node) -> None:
    node.yarn_lists("streaming-windows-old", "streaming")
    result = node.run(job())
    assert result.returncode == 0, result.stderr
    assert node.flink_call is not None


def test_an_attached_job_runs_whatever_yarn_runs(node: Node) -> None:
    node.yarn_lists("streaming-windows")
    result = node.run(job(detached=False))
    assert result.returncode == 0, result.stderr
    call = node.flink_call
    assert call is not None
    assert "--detached" not in call


@pytest.mark.parametrize("missing", ["script_uri", "python_files", "jars"])
def test_a_missing_object_fails_the_step_before_flink_runs(node: Node, missing: str) -> None:
    absent = "s3://assets/absent.jar"
    overrides = {"script_uri": absent} if missing == "script_uri" else {missing: (absent,)}
    result = node.run(job(**overrides))
    assert result.returncode != 0
    assert "404" in result.stderr
    assert node.flink_call is None
