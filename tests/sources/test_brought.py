"""What the sources were given, listed in the stack's template metadata for ``emr-platform preflight``."""

from __future__ import annotations

from tests.sources.conftest import KEY_ARN, SECRET_ARN, STREAM_ARN, TABLE_ARN, Sources


def test_brought_resources_are_listed_and_created_ones_are_not(sources: Sources) -> None:
    assert sources.template["Metadata"] == {
        "emr-platform:brought:Sources/Customers": [
            {"kind": "database-endpoint", "id": "crm.abc123.us-east-1.rds.amazonaws.com"},
            {"kind": "security-group", "id": "sg-0a1b2c3d"},
            {"kind": "secret", "id": SECRET_ARN},
            {"kind": "kms-key", "id": KEY_ARN},
        ],
        "emr-platform:brought:Sources/Orders": [{"kind": "dynamodb-table", "id": TABLE_ARN}],
        "emr-platform:brought:Sources/Events": [
            {"kind": "kinesis-stream", "id": STREAM_ARN},
            {"kind": "kms-key", "id": KEY_ARN},
        ],
    }
