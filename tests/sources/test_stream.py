"""KinesisStream: stream- and consumer-scoped statements, encryption, enhanced fan-out, rules."""

from __future__ import annotations

from emr_constructs.sources import KinesisStreamProps
from tests.catalog.policies import get_att, role_statements
from tests.sources.conftest import KEY_ARN, STREAM_ARN, Sources

READ = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
]


def test_read_grant_names_stream_consumer_and_key(sources: Sources) -> None:
    stream = sources.stream
    assert stream.consumer is not None
    assert role_statements(sources.template, sources.stream_reader.role) == [
        {"Effect": "Allow", "Action": READ, "Resource": [get_att(stream.stream, "Arn")]},
        {
            "Effect": "Allow",
            "Action": ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"],
            "Resource": [get_att(stream.consumer, "ConsumerARN")],
        },
        {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [get_att(stream.key, "Arn")]},
    ]


def test_write_grant_names_stream_and_key(sources: Sources) -> None:
    stream = sources.stream
    assert role_statements(sources.template, sources.stream_writer.role) == [
        {
            "Effect": "Allow",
            "Action": [
                "kinesis:DescribeStreamSummary",
                "kinesis:ListShards",
                "kinesis:PutRecord",
                "kinesis:PutRecords",
            ],
            "Resource": [get_att(stream.stream, "Arn")],
        },
        {"Effect": "Allow", "Action": ["kms:GenerateDataKey"], "Resource": [get_att(stream.key, "Arn")]},
    ]


def test_brought_stream_with_key(sources: Sources) -> None:
    assert role_statements(sources.template, sources.brought_stream_compute.role) == [
        {"Effect": "Allow", "Action": READ, "Resource": [STREAM_ARN]},
        {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [KEY_ARN]},
    ]
    assert sources.stack.resolve(sources.brought_stream.stream_name) == "clicks"


def test_created_stream_is_kms_encrypted_on_demand_retained(sources: Sources) -> None:
    resource = sources.template["Resources"]["Clicks62A3347D"]
    assert resource["Properties"]["StreamEncryption"] == {
        "EncryptionType": "KMS",
        "KeyId": get_att(sources.stream.key, "Arn"),
    }
    assert resource["Properties"]["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert resource["Properties"]["RetentionPeriodHours"] == 24
    assert resource["DeletionPolicy"] == "Retain"
    consumer = sources.template["Resources"]["ClicksConsumerCBC147B8"]["Properties"]
    assert consumer == {"ConsumerName": "flink-windows", "StreamARN": get_att(sources.stream.stream, "Arn")}


def test_no_unacknowledged_nag_findings(sources: Sources) -> None:
    assert [f for f in sources.findings if "/Clicks/" in f or "/Events/" in f or "Stream" in f] == []


def test_no_nag_findings_at_all(sources: Sources) -> None:
    assert sources.findings == []


def messages(props: KinesisStreamProps) -> list[str]:
    return [p.message("s") for p in props.problems()]


def test_fails_stream_arn() -> None:
    assert messages(KinesisStreamProps(stream_arn="clicks")) == [
        "s: stream_arn='clicks' is invalid: not an ARN of this kind; "
        "allowed: arn:aws:kinesis:<region>:<account>:stream/<name>"
    ]


def test_fails_key_arn_on_a_created_stream() -> None:
    assert messages(KinesisStreamProps(key_arn=KEY_ARN)) == [
        f"s: key_arn={KEY_ARN!r} is invalid: a created stream gets its own key; allowed: key_arn only with stream_arn"
    ]


def test_fails_shard_count() -> None:
    assert messages(KinesisStreamProps(shard_count=0)) == ["s: shard_count=0 is invalid: out of range; allowed: 1-500"]
    assert messages(KinesisStreamProps(stream_arn=STREAM_ARN, shard_count=2)) == [
        "s: shard_count=2 is invalid: a brought stream keeps its capacity; allowed: null with stream_arn"
    ]


def test_fails_retention() -> None:
    assert messages(KinesisStreamProps(retention_hours=23)) == [
        "s: retention_hours=23 is invalid: out of range; allowed: 24-8760 (1-365 days)"
    ]


def test_fails_consumer_name() -> None:
    assert messages(KinesisStreamProps(consumer_name="a b")) == [
        "s: consumer_name='a b' is invalid: not a Kinesis consumer name; "
        "allowed: letters, digits, '_', '.' and '-', 1-128 characters"
    ]


def test_valid_edges() -> None:
    assert messages(KinesisStreamProps(shard_count=1, retention_hours=24, consumer_name="a" * 128)) == []
    assert messages(KinesisStreamProps(shard_count=500, retention_hours=8760)) == []
