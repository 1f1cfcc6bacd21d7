"""The batch job's argument contract, its secret reading and its sinks: no Spark session needed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from workloads.batch import io, job
from workloads.secrets import JdbcCredentials, read_jdbc_credentials

REGION = "eu-west-1"
ZONES = [
    "--raw-path", "s3://raw/events/",
    "--curated-path", "s3://curated/events/",
    "--quarantine-path", "s3://curated/quarantine/events/",
    "--analytics-path", "s3://analytics/daily_category/",
]  # fmt: skip


def test_arguments_on_emr() -> None:
    options = job.parse_args(
        ["--date", "2026-11-27", *ZONES, "--jdbc-url", "jdbc:postgresql://db.internal:5432/shop",
         "--jdbc-secret-name", "dev/shop/reader", "--jdbc-table", "public.products", "--sink-table", "daily",
         "--region", REGION]
    )  # fmt: skip
    assert options == job.BatchOptions(
        date=dt.date(2026, 11, 27),
        raw_path="s3://raw/events/",
        curated_path="s3://curated/events/",
        quarantine_path="s3://curated/quarantine/events/",
        analytics_path="s3://analytics/daily_category/",
        jdbc_url="jdbc:postgresql://db.internal:5432/shop",
        jdbc_secret_name="dev/shop/reader",
        jdbc_table="public.products",
        sink_table="daily",
        region=REGION,
    )
    assert job.make_sink(options) == io.DynamoDbSink("daily", region=REGION)


def test_arguments_locally() -> None:
    options = job.parse_args(
        ["--date", "2026-11-27", *ZONES, "--dimension-path", "p.csv", "--sink-path", "s.jsonl",
         "--allowed-lateness-days", "0"]
    )  # fmt: skip
    assert (options.dimension_path, options.sink_path, options.allowed_lateness_days) == ("p.csv", "s.jsonl", 0)
    assert job.make_sink(options) == io.LocalTableSink(Path("s.jsonl"))


LOCAL = ["--dimension-path", "p.csv", "--sink-path", "s.jsonl"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--date", "27.11.2026", *ZONES, *LOCAL], "argument --date: '27.11.2026' is not a date; allowed: YYYY-MM-DD"),
        (
            ["--date", "2026-11-27", *ZONES, *LOCAL, "--allowed-lateness-days", "x"],
            "argument --allowed-lateness-days: 'x' is invalid; allowed: a whole number of days >= 0",
        ),
        (
            ["--date", "2026-11-27", *ZONES, "--sink-path", "s"],
            "one of the arguments --jdbc-url --dimension-path is required",
        ),
        (
            ["--date", "2026-11-27", *ZONES, *LOCAL, "--jdbc-url", "jdbc:postgresql://h/db"],
            "argument --jdbc-url: not allowed with argument --dimension-path",
        ),
        (
            ["--date", "2026-11-27", *ZONES, "--jdbc-url", "jdbc:postgresql://h/db", "--sink-table", "t"],
            "--jdbc-url needs --jdbc-secret-name and --jdbc-table",
        ),
        (
            ["--date", "2026-11-27", *ZONES, "--jdbc-url", "jdbc:postgresql://h/db?user=a&password=b",
             "--jdbc-secret-name", "s", "--jdbc-table", "t", "--sink-table", "t"],
            "--jdbc-url must not carry a password; the job reads it from --jdbc-secret-name",
        ),
        (
            ["--date", "2026-11-27", *ZONES, *LOCAL, "--jdbc-secret-name", "s"],
            "--jdbc-secret-name and --jdbc-table go with --jdbc-url, not --dimension-path",
        ),
        (
            ["--date", "2026-11-27", *ZONES, *LOCAL, "--jdbc-password", "hunter2"],
            "unrecognized arguments: --jdbc-password hunter2",
        ),
    ],
)  # fmt: skip
def test_fails_batch_arguments(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        job.parse_args(argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"workloads.batch.job: error: {message}"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        yield


def test_reads_jdbc_credentials_from_the_secret(aws: None) -> None:
    client = boto3.client("secretsmanager", region_name=REGION)
    client.create_secret(Name="dev/shop/reader", SecretString=json.dumps({"username": "etl", "password": "s3cr3t"}))

    credentials = read_jdbc_credentials("dev/shop/reader", region=REGION)

    assert credentials == JdbcCredentials("etl", "s3cr3t")
    assert "s3cr3t" not in repr(credentials)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("s3cr3t", "secret 'db' is invalid: not a JSON object; allowed: RDS secret JSON"),
        (
            json.dumps({"username": "etl", "pass": "s3cr3t"}),
            "secret 'db' is invalid: missing string key(s) password; "
            "allowed: RDS secret JSON with username and password",
        ),
    ],
)
def test_fails_jdbc_secret_without_credentials_and_never_echoes_it(aws: None, secret: str, message: str) -> None:
    client = boto3.client("secretsmanager", region_name=REGION)
    client.create_secret(Name="db", SecretString=secret)
    with pytest.raises(ValueError) as error:
        read_jdbc_credentials("db", client=client)
    assert str(error.value) == message


ROWS: list[dict[str, Any]] = [
    {"event_date": dt.date(2026, 11, 2), "category": "books", "views": 3, "purchases": 1, "revenue": Decimal("9.99")},
    {"event_date": dt.date(2026, 11, 2), "category": "toys", "views": 1, "purchases": 0, "revenue": Decimal("0.00")},
]


def test_dynamodb_sink_puts_items_keyed_by_day_and_category(aws: None) -> None:
    dynamodb = boto3.resource("dynamodb", region_name=REGION)
    table = dynamodb.create_table(
        TableName="daily",
        KeySchema=[
            {"AttributeName": "event_date", "KeyType": "HASH"},
            {"AttributeName": "category", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "event_date", "AttributeType": "S"},
            {"AttributeName": "category", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    sink = io.DynamoDbSink("daily", region=REGION)

    sink.put(ROWS)
    sink.put([ROWS[0] | {"views": 4}])  # a re-run overwrites, never adds

    items = sorted(table.scan()["Items"], key=lambda item: str(item["category"]))
    assert items == [
        {"event_date": "2026-11-02", "category": "books", "views": 4, "purchases": 1, "revenue": Decimal("9.99")},
        {"event_date": "2026-11-02", "category": "toys", "views": 1, "purchases": 0, "revenue": Decimal("0.00")},
    ]


def test_local_table_sink_upserts_by_key(tmp_path: Path) -> None:
    sink = io.LocalTableSink(tmp_path / "sink" / "daily.jsonl")
    sink.put(ROWS)
    sink.put([ROWS[1] | {"views": 5}, ROWS[0] | {"event_date": dt.date(2026, 11, 3)}])

    lines = (tmp_path / "sink" / "daily.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"event_date": "2026-11-02", "category": "books", "views": 3, "purchases": 1, "revenue": "9.99"},
        {"event_date": "2026-11-02", "category": "toys", "views": 5, "purchases": 0, "revenue": "0.00"},
        {"event_date": "2026-11-03", "category": "books", "views": 3, "purchases": 1, "revenue": "9.99"},
    ]
