"""DataLake with default props: key, buckets, bucket policies, lifecycle, logging, ids, nag, snapshot."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack, Validations
from aws_cdk.assertions import Template

from emr_constructs.storage import ACCESS_LOGS, DATA_ZONES, DataLake, Zone
from tests.support import assert_no_nag_findings, new_stack

# Logical ids of stateful resources are part of the contract: changing one replaces the resource.
PINNED_LOGICAL_IDS = {
    "key": "LakeKey7B6C155C",
    "access-logs": "LakeAccessLogsBucketD3286787",
    Zone.RAW: "LakeRawBucketDA76DCB0",
    Zone.CURATED: "LakeCuratedBucketB28F5F4C",
    Zone.ANALYTICS: "LakeAnalyticsBucketF31D4965",
    Zone.LOGS: "LakeLogsBucket5F21DAB1",
    Zone.ARTIFACTS: "LakeArtifactsBucket1B9F5BC1",
}


@pytest.fixture(scope="module")
def built() -> tuple[Stack, DataLake, dict[str, Any]]:
    stack = new_stack()
    lake = DataLake(stack, "Lake")
    template = dict(Template.from_stack(stack).to_json())
    return stack, lake, template


def _resources(template: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == cfn_type}


def _props(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    props: dict[str, Any] = template["Resources"][logical_id]["Properties"]
    return props


def _bucket_ids() -> dict[str, str]:
    return {str(k): v for k, v in PINNED_LOGICAL_IDS.items() if k != "key"}


def test_logical_ids_are_pinned(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    stack, lake, template = built
    actual: dict[Any, str] = {
        "key": stack.get_logical_id(lake.key.node.default_child),  # type: ignore[arg-type]
        "access-logs": stack.get_logical_id(lake.access_logs_bucket.node.default_child),  # type: ignore[arg-type]
    }
    for zone in Zone:
        actual[zone] = stack.get_logical_id(lake.bucket(zone).node.default_child)  # type: ignore[arg-type]
    assert actual == PINNED_LOGICAL_IDS
    assert sorted(_resources(template, "AWS::S3::Bucket")) == sorted(_bucket_ids().values())
    assert list(_resources(template, "AWS::KMS::Key")) == [PINNED_LOGICAL_IDS["key"]]


def test_key_rotates_and_is_retained(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    key = template["Resources"][PINNED_LOGICAL_IDS["key"]]
    assert key["DeletionPolicy"] == "Retain"
    assert key["UpdateReplacePolicy"] == "Retain"
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["Properties"]["RotationPeriodInDays"] == 365
    assert key["Properties"]["PendingWindowInDays"] == 30
    aliases = _resources(template, "AWS::KMS::Alias")
    assert [a["Properties"]["AliasName"] for a in aliases.values()] == ["alias/Test/Lake"]


def test_every_bucket_has_the_baseline(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    for logical_id in _bucket_ids().values():
        resource = template["Resources"][logical_id]
        props = resource["Properties"]
        assert resource["DeletionPolicy"] == "Retain", logical_id
        assert resource["UpdateReplacePolicy"] == "Retain", logical_id
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, logical_id
        assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}, logical_id
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}, logical_id
        assert "BucketName" not in props, "CloudFormation generates names by default"


def test_zone_buckets_use_the_key_with_bucket_keys(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    for zone in Zone:
        props = _props(template, PINNED_LOGICAL_IDS[zone])
        assert props["BucketEncryption"] == {
            "ServerSideEncryptionConfiguration": [
                {
                    "BucketKeyEnabled": True,
                    "ServerSideEncryptionByDefault": {
                        "KMSMasterKeyID": {"Fn::GetAtt": [PINNED_LOGICAL_IDS["key"], "Arn"]},
                        "SSEAlgorithm": "aws:kms",
                    },
                }
            ]
        }, zone


def test_access_log_bucket_is_sse_s3_and_logs_nowhere(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    props = _props(template, PINNED_LOGICAL_IDS["access-logs"])
    assert props["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
    assert "LoggingConfiguration" not in props


def test_zone_buckets_log_to_the_access_log_bucket(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    for zone in Zone:
        assert _props(template, PINNED_LOGICAL_IDS[zone])["LoggingConfiguration"] == {
            "DestinationBucketName": {"Ref": PINNED_LOGICAL_IDS["access-logs"]},
            "LogFilePrefix": f"{zone.value}/",
            "TargetObjectKeyFormat": {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}},
        }, zone


def _tls_denies(bucket_id: str) -> list[dict[str, Any]]:
    resources = [
        {"Fn::GetAtt": [bucket_id, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]},
    ]
    return [
        {
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": resources,
        },
        {
            "Action": "s3:*",
            "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": resources,
        },
    ]


def _policy_of(template: dict[str, Any], bucket_id: str) -> dict[str, Any]:
    policies: list[dict[str, Any]] = [
        p["Properties"]["PolicyDocument"]
        for p in _resources(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    assert len(policies) == 1, bucket_id
    return policies[0]


def test_zone_bucket_policies_only_deny_insecure_transport(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    for zone in Zone:
        bucket_id = PINNED_LOGICAL_IDS[zone]
        assert _policy_of(template, bucket_id) == {"Statement": _tls_denies(bucket_id), "Version": "2012-10-17"}


def test_access_log_bucket_policy_admits_s3_logging_per_source_bucket(
    built: tuple[Stack, DataLake, dict[str, Any]],
) -> None:
    _, _, template = built
    logs_id = PINNED_LOGICAL_IDS["access-logs"]
    delivery = [
        {
            "Action": "s3:PutObject",
            "Condition": {
                "ArnLike": {"aws:SourceArn": {"Fn::GetAtt": [PINNED_LOGICAL_IDS[zone], "Arn"]}},
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
            },
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [logs_id, "Arn"]}, f"/{zone.value}/*"]]},
        }
        for zone in Zone
    ]
    assert _policy_of(template, logs_id) == {"Statement": _tls_denies(logs_id) + delivery, "Version": "2012-10-17"}


def _rule(**fields: Any) -> dict[str, Any]:
    return {
        "Rules": [
            {
                "Id": "zone-lifecycle",
                "Status": "Enabled",
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                **fields,
            }
        ]
    }


EXPECTED_LIFECYCLE = {
    Zone.RAW: _rule(
        ExpiredObjectDeleteMarker=True,
        NoncurrentVersionExpiration={"NoncurrentDays": 30},
        Transitions=[
            {"StorageClass": "STANDARD_IA", "TransitionInDays": 30},
            {"StorageClass": "GLACIER_IR", "TransitionInDays": 90},
        ],
    ),
    Zone.CURATED: _rule(
        ExpiredObjectDeleteMarker=True,
        NoncurrentVersionExpiration={"NoncurrentDays": 30},
        Transitions=[{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 0}],
    ),
    Zone.ANALYTICS: _rule(
        ExpiredObjectDeleteMarker=True,
        NoncurrentVersionExpiration={"NoncurrentDays": 30},
        Transitions=[{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 0}],
    ),
    Zone.LOGS: _rule(
        ExpirationInDays=400,
        NoncurrentVersionExpiration={"NoncurrentDays": 30},
        Transitions=[{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}],
    ),
    Zone.ARTIFACTS: _rule(ExpiredObjectDeleteMarker=True, NoncurrentVersionExpiration={"NoncurrentDays": 90}),
    ACCESS_LOGS: _rule(
        ExpirationInDays=400,
        NoncurrentVersionExpiration={"NoncurrentDays": 30},
        Transitions=[{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}],
    ),
}


def test_lifecycle_defaults_are_pinned(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    actual = {key: _props(template, logical_id)["LifecycleConfiguration"] for key, logical_id in _bucket_ids().items()}
    assert actual == {str(k): v for k, v in EXPECTED_LIFECYCLE.items()}


def test_no_custom_resource_or_lambda_without_destroy(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, _, template = built
    types = {v["Type"] for v in template["Resources"].values()}
    assert types == {"AWS::KMS::Key", "AWS::KMS::Alias", "AWS::S3::Bucket", "AWS::S3::BucketPolicy"}


def test_attributes(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    _, lake, _ = built
    assert set(lake.buckets) == set(Zone)
    assert lake.bucket(Zone.LOGS) is lake.buckets[Zone.LOGS]
    assert lake.bucket("raw") is lake.bucket(Zone.RAW)  # type: ignore[arg-type]
    assert Zone.data_zones() == DATA_ZONES == (Zone.RAW, Zone.CURATED, Zone.ANALYTICS)
    assert [z.is_data for z in Zone] == [True, True, True, False, False]


def test_zero_nag_findings(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    stack, _, _ = built
    assert_no_nag_findings(stack)


def test_snapshot(built: tuple[Stack, DataLake, dict[str, Any]], template_snapshot: Any) -> None:
    _, _, template = built
    assert template_snapshot == template


def test_acknowledgements_are_pinned(built: tuple[Stack, DataLake, dict[str, Any]]) -> None:
    """Only the findings the design causes are acknowledged, each on its bucket; nothing on the key."""
    _, lake, _ = built
    acknowledged: dict[str, list[str]] = {}
    for construct in lake.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                ids = [key.split("::", 1)[1] for key in entry.data]
                acknowledged.setdefault(construct.node.path, []).extend(ids)
    replication = [
        "NIST.800.53.R5-S3BucketReplicationEnabled",
        "HIPAA.Security-S3BucketReplicationEnabled",
        "PCI.DSS.321-S3BucketReplicationEnabled",
    ]
    # Guard: no event notifications anywhere, no Object Lock (off by default), and what the log bucket cannot have.
    guard = ["s3_event_notifications_enabled_check", "s3_bucket_object_lock_enabled_check"]
    expected = {
        f"Test/Lake/{name}Bucket": [*replication, *guard]
        for name in ("Raw", "Curated", "Analytics", "Logs", "Artifacts")
    }
    expected["Test/Lake/AccessLogsBucket"] = [
        "NIST.800.53.R5-S3DefaultEncryptionKMS",
        "HIPAA.Security-S3DefaultEncryptionKMS",
        "PCI.DSS.321-S3DefaultEncryptionKMS",
        "s3_bucket_default_encryption_kms_check",
        "s3_bucket_logging_enabled_check",
        *replication,
        *guard,
    ]
    assert acknowledged == expected
