"""S3 Object Lock per zone: the template, the rules with their messages, and that it never replaces a bucket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from aws_cdk.assertions import Template

from emr_constructs.errors import EmrConfigError
from emr_constructs.settings import parse_props
from emr_constructs.storage import DataLake, DataLakeProps, ObjectLockMode, ZoneObjectLock
from tests.support import new_stack


def _buckets(props: DataLakeProps) -> dict[str, dict[str, Any]]:
    stack = new_stack()
    DataLake(stack, "Lake", props=props)
    resources = Template.from_stack(stack).find_resources("AWS::S3::Bucket")
    return {logical_id: body["Properties"] for logical_id, body in resources.items()}


def _error(props: DataLakeProps) -> str:
    with pytest.raises(EmrConfigError) as caught:
        DataLake(new_stack(), "Lake", props=props)
    return str(caught.value)


def test_locked_zone_has_object_lock_with_governance_by_default() -> None:
    buckets = _buckets(DataLakeProps(object_lock={"raw": ZoneObjectLock()}))
    raw = next(p for logical_id, p in buckets.items() if logical_id.startswith("LakeRawBucket"))
    assert raw["ObjectLockEnabled"] is True
    assert raw["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}},
    }
    others = [p for logical_id, p in buckets.items() if not logical_id.startswith("LakeRawBucket")]
    assert len(others) == 5
    assert not any("ObjectLockEnabled" in p or "ObjectLockConfiguration" in p for p in others)


@pytest.mark.parametrize("days", [1, 36500])
def test_smallest_and_largest_retention_synthesize(days: int) -> None:
    buckets = _buckets(
        DataLakeProps(object_lock={"logs": ZoneObjectLock(mode=ObjectLockMode.COMPLIANCE, retention_days=days)})
    )
    logs = next(p for logical_id, p in buckets.items() if logical_id.startswith("LakeLogsBucket"))
    assert logs["ObjectLockConfiguration"]["Rule"] == {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": days}}


@pytest.mark.parametrize("days", [0, 36501])
def test_fails_retention_days_out_of_range(days: int) -> None:
    assert _error(DataLakeProps(object_lock={"raw": ZoneObjectLock(retention_days=days)})) == (
        f"Test/Lake: object_lock.raw.retention_days={days} is invalid: S3 locks new versions for 1 day to "
        "100 years; allowed: 1-36500"
    )


def test_fails_object_lock_on_the_access_log_bucket() -> None:
    assert _error(DataLakeProps(object_lock={"access-logs": ZoneObjectLock()})) == (
        "Test/Lake: object_lock.access-logs='GOVERNANCE' is invalid: S3 does not deliver server access logs to a "
        "bucket with Object Lock; allowed: raw, curated, analytics, logs, artifacts"
    )


def test_fails_object_lock_on_an_unknown_zone() -> None:
    assert _error(DataLakeProps(object_lock={"bronze": ZoneObjectLock()})) == (
        "Test/Lake: object_lock.bronze='GOVERNANCE' is invalid: unknown zone; "
        "allowed: raw, curated, analytics, logs, artifacts"
    )


def test_fails_unknown_mode_in_settings() -> None:
    with pytest.raises(EmrConfigError) as caught:
        parse_props(DataLakeProps, {"object_lock": {"raw": {"mode": "LEGAL_HOLD"}}}, source="data_lake")
    assert str(caught.value) == (
        "data_lake: object_lock.raw.mode='LEGAL_HOLD' is invalid: unknown ObjectLockMode; "
        "allowed: one of 'GOVERNANCE', 'COMPLIANCE'"
    )


def test_turning_object_lock_on_does_not_replace_the_bucket() -> None:
    """CloudFormation's resource schema (shipped with cfn-lint) lists the create-only properties of a bucket,
    the ones whose change replaces it: ObjectLockEnabled is not among them, so turning it on for a RETAINed
    bucket updates it in place and the library has no replacement to refuse. If the schema ever changes,
    this test fails and the library must refuse the change instead."""
    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    providers = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    schema = json.loads((schemas / "resources" / f"{providers['AWS::S3::Bucket']}.json").read_text())
    assert "ObjectLockEnabled" in schema["properties"]
    assert "/properties/ObjectLockEnabled" not in schema["createOnlyProperties"]
    assert "/properties/ObjectLockConfiguration" not in schema["createOnlyProperties"]
