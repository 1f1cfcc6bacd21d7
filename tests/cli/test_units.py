"""The CLI's pure parts: S3 locations, polling, error wording, and boto3 staying inside the CLI package."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, ProfileNotFound, SSOTokenLoadError

import emr_constructs
from emr_constructs.cli.errors import CliError, explain
from emr_constructs.cli.jobs import poll_intervals
from emr_constructs.cli.locations import S3Location, script_key, step_logs
from emr_constructs.cli.main import main
from emr_constructs.cli.render import table


@pytest.mark.parametrize(
    ("log_uri", "expected"),
    [
        ("s3://logs/emr/analytics/", "s3://logs/emr/analytics/j-1/steps/s-2/"),
        ("s3://logs/emr/analytics", "s3://logs/emr/analytics/j-1/steps/s-2/"),
        ("s3n://logs/", "s3://logs/j-1/steps/s-2/"),
        ("s3://logs", "s3://logs/j-1/steps/s-2/"),
    ],
)
def test_step_logs_folder(log_uri: str, expected: str) -> None:
    assert str(step_logs(log_uri, "j-1", "s-2")) == expected


def test_a_step_log_file_under_its_folder() -> None:
    assert step_logs("s3://logs/emr/", "j-1", "s-2").child("stderr.gz") == S3Location(
        "logs", "emr/j-1/steps/s-2/stderr.gz"
    )


def test_fails_not_an_s3_uri() -> None:
    with pytest.raises(CliError, match=r"^not an S3 URI: 'https://logs/'; expected s3://bucket/prefix/$"):
        S3Location.parse("https://logs/")


def test_script_key_is_content_addressed() -> None:
    assert script_key("ab" * 32, "daily.py") == f"jobs/{'ab' * 32}/daily.py"


def test_poll_intervals_back_off_to_the_maximum() -> None:
    assert list(itertools.islice(poll_intervals(30), 6)) == [5, 10, 20, 30, 30, 30]
    assert list(itertools.islice(poll_intervals(2), 3)) == [2, 2, 2]


def test_table_aligns_columns() -> None:
    assert table(["A", "LONGER"], [["xyz", "1"], ["q", ""]]) == "A    LONGER\nxyz  1\nq"


def client_error(code: str, message: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


@pytest.mark.parametrize(
    ("error", "message", "exit_code"),
    [
        (
            ProfileNotFound(profile="ops"),
            "The config profile (ops) could not be found: check --profile / AWS_PROFILE against ~/.aws/config",
            2,
        ),
        (
            SSOTokenLoadError(error_msg="token expired"),
            "the AWS SSO session has expired or is missing: run `aws sso login` "
            "(Error loading SSO Token: token expired)",
            2,
        ),
        (
            client_error("ExpiredToken", "The security token included in the request is expired", "DescribeStacks"),
            "AWS rejected the credentials (ExpiredToken): refresh them (e.g. `aws sso login`) and retry",
            2,
        ),
        (
            client_error("403", "Forbidden", "GetObject"),
            "access denied: your AWS identity may not call s3:GetObject (S3 also answers 'access denied' for a "
            "missing object when s3:ListBucket is not allowed): ask for it in your role",
            2,
        ),
        (
            client_error("ThrottlingException", "Rate exceeded", "DescribeStep"),
            "DescribeStep failed: ThrottlingException: Rate exceeded",
            1,
        ),
    ],
)
def test_explain(error: ClientError | ProfileNotFound, message: str, exit_code: int) -> None:
    explained = explain(error, region="eu-west-1")
    assert (str(explained), explained.exit_code) == (message, exit_code)


def test_fails_unknown_profile(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    assert main(["status", "--env", "dev", "--profile", "nope"]) == 2
    assert capsys.readouterr().err == (
        "error: The config profile (nope) could not be found: check --profile / AWS_PROFILE against ~/.aws/config\n"
    )


def test_boto3_stays_in_the_cli_package() -> None:
    """Constructs run at synth, where no AWS call may happen: only emr_constructs.cli may import boto3/botocore."""
    package = Path(emr_constructs.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.is_relative_to(package / "cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(package)}: {n}" for n in names if n.split(".")[0] in {"boto3", "botocore"}
            ]
    assert offenders == []
