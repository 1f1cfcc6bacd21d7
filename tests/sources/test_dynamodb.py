"""DynamoTable: table-scoped statements, created table settings, connector configurations, rules."""

from __future__ import annotations

import pytest

from emr_constructs.cluster.configurations import merge_configurations
from emr_constructs.errors import EmrConfigError
from emr_constructs.sources import DynamoDbConnectorProps, DynamoTableProps, dynamodb_connector_configurations
from emr_constructs.sources.dynamodb import CONNECTOR_JAR
from tests.catalog.policies import get_att, role_statements
from tests.sources.conftest import KEY_ARN, TABLE_ARN, Sources

READ = ["dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
WRITE = [
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
]


def test_read_grant_names_the_table_and_its_key_only(sources: Sources) -> None:
    table = sources.table
    assert role_statements(sources.template, sources.table_reader.role) == [
        {"Effect": "Allow", "Action": READ, "Resource": [get_att(table.table, "Arn")]},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": [get_att(table.key, "Arn")]},
    ]


def test_write_grant_names_the_table_and_its_key_only(sources: Sources) -> None:
    table = sources.table
    assert role_statements(sources.template, sources.table_writer.role) == [
        {"Effect": "Allow", "Action": WRITE, "Resource": [get_att(table.table, "Arn")]},
        {
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": [get_att(table.key, "Arn")],
        },
    ]


def test_brought_table_without_key_gets_table_statement_only(sources: Sources) -> None:
    assert role_statements(sources.template, sources.brought_table_compute.role) == [
        {"Effect": "Allow", "Action": sorted({*READ, *WRITE}), "Resource": [TABLE_ARN]}
    ]
    assert sources.brought_table.key is None
    assert sources.stack.resolve(sources.brought_table.table_name) == "orders"


def test_created_table_is_encrypted_recoverable_retained(sources: Sources) -> None:
    resource = sources.template["Resources"]["Aggregates638858EA"]
    properties = resource["Properties"]
    assert properties["SSESpecification"] == {
        "KMSMasterKeyId": get_att(sources.table.key, "Arn"),
        "SSEEnabled": True,
        "SSEType": "KMS",
    }
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["DeletionProtectionEnabled"] is True
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
    key = sources.template["Resources"]["AggregatesKeyC7A67B86"]
    assert key["Properties"]["EnableKeyRotation"] is True and key["DeletionPolicy"] == "Retain"


def test_destroy_with_the_flag(sources: Sources) -> None:
    tables = [r for r in sources.destroy_template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert [(t["DeletionPolicy"], t["Properties"]["DeletionProtectionEnabled"]) for t in tables] == [("Delete", False)]


def test_no_unacknowledged_nag_findings(sources: Sources) -> None:
    assert [f for f in sources.findings if "/Aggregates/" in f or "/Orders/" in f or "Table" in f] == []


def test_connector_configurations_for_hive_and_spark() -> None:
    configurations = dynamodb_connector_configurations(DynamoDbConnectorProps(read_percent=0.25))
    assert [(c.classification, c.properties) for c in configurations] == [
        ("hive-site", {"dynamodb.throughput.read.percent": "0.25", "dynamodb.throughput.write.percent": "0.5"}),
        (
            "spark-defaults",
            {
                "spark.jars": CONNECTOR_JAR,
                "spark.hadoop.dynamodb.throughput.read.percent": "0.25",
                "spark.hadoop.dynamodb.throughput.write.percent": "0.5",
            },
        ),
    ]
    # They merge with a cluster's own spark-defaults instead of naming the classification twice.
    merged = merge_configurations(
        configurations, (dynamodb_connector_configurations()[1].__class__(classification="spark-defaults"),)
    )
    assert [c.classification for c in merged] == ["hive-site", "spark-defaults"]


# -- rules ------------------------------------------------------------------------------------------------


def test_fails_table_arn() -> None:
    assert [p.message("t") for p in DynamoTableProps(table_arn="orders").problems()] == [
        "t: table_arn='orders' is invalid: not an ARN of this kind; "
        "allowed: arn:aws:dynamodb:<region>:<account>:table/<name>"
    ]


def test_fails_key_arn_on_a_created_table() -> None:
    assert [p.message("t") for p in DynamoTableProps(key_arn=KEY_ARN).problems()] == [
        f"t: key_arn={KEY_ARN!r} is invalid: a created table gets its own key; allowed: key_arn only with table_arn"
    ]


def test_fails_attribute_name() -> None:
    assert [p.message("t") for p in DynamoTableProps(partition_key="").problems()] == [
        "t: partition_key='' is invalid: not a DynamoDB attribute name; allowed: 1-255 characters"
    ]


def test_fails_connector_percent() -> None:
    with pytest.raises(EmrConfigError) as raised:
        dynamodb_connector_configurations(DynamoDbConnectorProps(read_percent=0.05, write_percent=1.6))
    assert str(raised.value).splitlines() == [
        "DynamoDbConnectorProps: read_percent=0.05 is invalid: outside the range the EMR DynamoDB connector "
        "accepts; allowed: 0.1-1.5",
        "DynamoDbConnectorProps: write_percent=1.6 is invalid: outside the range the EMR DynamoDB connector "
        "accepts; allowed: 0.1-1.5",
    ]


def test_valid_edges() -> None:
    assert DynamoDbConnectorProps(read_percent=0.1, write_percent=1.5).problems() == []
    assert DynamoTableProps(table_arn=TABLE_ARN, key_arn=KEY_ARN, partition_key="x" * 255).problems() == []
