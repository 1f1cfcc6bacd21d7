"""Every DataLake validation rule, with the exact message a user sees."""

from __future__ import annotations

import re

import pytest
from aws_cdk import App, Stack

from emr_constructs.errors import EmrConfigError
from emr_constructs.storage import DataLake, DataLakeProps, LakeLifecycle, Zone, ZoneLifecycle
from tests.support import new_app, new_stack


def _error(props: DataLakeProps, construct_id: str = "Lake") -> str:
    with pytest.raises(EmrConfigError) as caught:
        DataLake(new_stack(), construct_id, props=props)
    return str(caught.value)


def _lifecycle_error(**fields: int | None) -> str:
    return _error(DataLakeProps(lifecycle=LakeLifecycle(raw=ZoneLifecycle(**fields))))


def test_fails_alias_syntax() -> None:
    assert _error(DataLakeProps(key_alias="lake-key")) == (
        "Test/Lake: key_alias='lake-key' is invalid: a KMS alias is 'alias/' followed by letters, digits, ':', "
        "'/', '_' or '-'; allowed: alias/[a-zA-Z0-9:/_-]+"
    )


def test_fails_alias_reserved_prefix() -> None:
    assert _error(DataLakeProps(key_alias="alias/aws/s3")) == (
        "Test/Lake: key_alias='alias/aws/s3' is invalid: the alias/aws/ prefix is reserved for AWS managed keys; "
        "allowed: an alias not starting with alias/aws/"
    )


def test_fails_alias_length() -> None:
    alias = "alias/" + "a" * 251
    assert _error(DataLakeProps(key_alias=alias)) == (
        f"Test/Lake: key_alias={alias!r} is invalid: a KMS alias is at most 256 characters long; "
        "allowed: 1-256 characters"
    )


def test_fails_derived_alias_from_construct_id() -> None:
    assert _error(DataLakeProps(), construct_id="My Lake") == (
        "Test/My Lake: key_alias='alias/Test/My Lake' is invalid: a KMS alias is 'alias/' followed by letters, "
        "digits, ':', '/', '_' or '-'; allowed: alias/[a-zA-Z0-9:/_-]+"
    )


def test_default_alias_differs_per_stack_and_follows_the_path() -> None:
    app = new_app()
    dev = DataLake(Stack(app, "dev-Data"), "Lake")
    prod = DataLake(Stack(app, "prod-Data"), "Lake")
    assert (dev._default_alias(), prod._default_alias()) == ("alias/dev-Data/Lake", "alias/prod-Data/Lake")


def test_fails_rotation_period() -> None:
    assert _error(DataLakeProps(key_rotation_days=30)) == (
        "Test/Lake: key_rotation_days=30 is invalid: KMS rotates key material every 90-2560 days; allowed: 90-2560"
    )


def test_fails_pending_window() -> None:
    assert _error(DataLakeProps(key_pending_window_days=31)) == (
        "Test/Lake: key_pending_window_days=31 is invalid: KMS waits 7-30 days before deleting a key; allowed: 7-30"
    )


def test_fails_unknown_bucket_key() -> None:
    assert _error(DataLakeProps(bucket_names={"gold": "acme-gold"})) == (
        "Test/Lake: bucket_names.gold='acme-gold' is invalid: unknown bucket key; "
        "allowed: raw, curated, analytics, logs, artifacts, access-logs"
    )


@pytest.mark.parametrize(
    ("name", "rule", "allowed"),
    [
        ("ab", "S3 bucket names are 3-63 characters long, this one has 2", "3-63 characters"),
        ("a" * 64, "S3 bucket names are 3-63 characters long, this one has 64", "3-63 characters"),
        ("acme_raw", "S3 bucket names hold only lowercase letters, digits, dots and hyphens", "[a-z0-9.-]"),
        ("Acme-raw", "S3 bucket names hold only lowercase letters, digits, dots and hyphens", "[a-z0-9.-]"),
        ("acme-raw-", "S3 bucket names begin and end with a letter or digit", "first and last character in [a-z0-9]"),
        (".acme-raw", "S3 bucket names begin and end with a letter or digit", "first and last character in [a-z0-9]"),
        ("acme..raw", "S3 bucket names never hold two adjacent dots", "no '..'"),
        ("192.168.5.4", "S3 bucket names are never formatted as an IP address", "a name that is not like 192.168.5.4"),
        ("xn--acme", "S3 reserves this name prefix", "a name not starting with xn--, sthree-, amzn-s3-demo-"),
        ("sthree-acme", "S3 reserves this name prefix", "a name not starting with xn--, sthree-, amzn-s3-demo-"),
        ("amzn-s3-demo-acme", "S3 reserves this name prefix", "a name not starting with xn--, sthree-, amzn-s3-demo-"),
        *(
            (
                f"acme{suffix}",
                "S3 reserves this name suffix",
                "a name not ending with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3",
            )
            for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
        ),
    ],
)
def test_fails_bucket_name_rules(name: str, rule: str, allowed: str) -> None:
    assert _error(DataLakeProps(bucket_names={"raw": name})) == (
        f"Test/Lake: bucket_names.raw={name!r} is invalid: {rule}; allowed: {allowed}"
    )


def test_fails_bucket_name_prefix_reports_each_rule_once() -> None:
    assert _error(DataLakeProps(bucket_name_prefix="Acme_" + "x" * 50)).splitlines() == [
        f"Test/Lake: bucket_name_prefix={'Acme_' + 'x' * 50!r} is invalid: S3 bucket names are 3-63 characters "
        f"long, this one has 67 (in {'Acme_' + 'x' * 50 + '-access-logs'!r}); allowed: 3-63 characters",
        f"Test/Lake: bucket_name_prefix={'Acme_' + 'x' * 50!r} is invalid: S3 bucket names hold only lowercase "
        f"letters, digits, dots and hyphens (in {'Acme_' + 'x' * 50 + '-access-logs'!r}); allowed: [a-z0-9.-]",
    ]


def test_fails_duplicate_bucket_names() -> None:
    assert _error(DataLakeProps(bucket_name_prefix="acme", bucket_names={"curated": "acme-raw"})) == (
        "Test/Lake: bucket_names.curated='acme-raw' is invalid: the same name as the raw bucket; S3 bucket names "
        "are globally unique; allowed: a name per bucket"
    )


def test_valid_bucket_names_are_used() -> None:
    stack = new_stack()
    lake = DataLake(
        stack, "Lake", props=DataLakeProps(bucket_name_prefix="acme-dev", bucket_names={"raw": "landing.acme"})
    )
    resolve = stack.resolve
    assert resolve(lake.bucket(Zone.RAW).bucket_name) == {"Ref": "LakeRawBucketDA76DCB0"}
    cfn_names = {zone: resolve(lake.bucket(zone).node.default_child.bucket_name) for zone in Zone}  # type: ignore[union-attr]
    cfn_names["access-logs"] = resolve(lake.access_logs_bucket.node.default_child.bucket_name)  # type: ignore[union-attr,index]
    assert cfn_names == {
        Zone.RAW: "landing.acme",
        Zone.CURATED: "acme-dev-curated",
        Zone.ANALYTICS: "acme-dev-analytics",
        Zone.LOGS: "acme-dev-logs",
        Zone.ARTIFACTS: "acme-dev-artifacts",
        "access-logs": "acme-dev-access-logs",
    }


def test_fails_infrequent_access_before_30_days() -> None:
    assert _lifecycle_error(infrequent_access_after_days=10) == (
        "Test/Lake: lifecycle.raw.infrequent_access_after_days=10 is invalid: S3 moves objects to STANDARD_IA only "
        "after they are 30 days old; allowed: >= 30 (or null to turn it off)"
    )


@pytest.mark.parametrize(
    ("field", "minimum"),
    [
        ("intelligent_tiering_after_days", 0),
        ("glacier_instant_retrieval_after_days", 0),
        ("expiration_days", 1),
        ("noncurrent_version_expiration_days", 1),
        ("abort_incomplete_multipart_upload_days", 1),
    ],
)
def test_fails_negative_or_zero_days(field: str, minimum: int) -> None:
    assert _lifecycle_error(**{field: minimum - 1}) == (
        f"Test/Lake: lifecycle.raw.{field}={minimum - 1} is invalid: S3 counts these days from {minimum}; "
        f"allowed: >= {minimum} (or null to turn it off)"
    )


def test_fails_glacier_ir_within_30_days_of_infrequent_access() -> None:
    assert _lifecycle_error(infrequent_access_after_days=30, glacier_instant_retrieval_after_days=59) == (
        "Test/Lake: lifecycle.raw.glacier_instant_retrieval_after_days=59 is invalid: S3 transitions to GLACIER_IR "
        "only after the STANDARD_IA transition at day 30 plus the 30 days objects must stay in STANDARD_IA; "
        "allowed: >= 60"
    )


def test_fails_intelligent_tiering_within_30_days_of_infrequent_access() -> None:
    assert _lifecycle_error(infrequent_access_after_days=30, intelligent_tiering_after_days=0) == (
        "Test/Lake: lifecycle.raw.intelligent_tiering_after_days=0 is invalid: S3 transitions to INTELLIGENT_TIERING "
        "only after the STANDARD_IA transition at day 30 plus the 30 days objects must stay in STANDARD_IA; "
        "allowed: >= 60"
    )


def test_fails_glacier_ir_not_after_intelligent_tiering() -> None:
    assert _lifecycle_error(intelligent_tiering_after_days=30, glacier_instant_retrieval_after_days=30) == (
        "Test/Lake: lifecycle.raw.glacier_instant_retrieval_after_days=30 is invalid: S3 transitions to GLACIER_IR "
        "only after the INTELLIGENT_TIERING transition at day 30; allowed: >= 31"
    )


def test_fails_expiration_not_after_last_transition() -> None:
    assert _lifecycle_error(infrequent_access_after_days=30, expiration_days=30) == (
        "Test/Lake: lifecycle.raw.expiration_days=30 is invalid: S3 requires expiration after the last transition "
        "(STANDARD_IA at day 30); allowed: > 30"
    )


def test_fails_reports_every_problem_at_once() -> None:
    message = _error(
        DataLakeProps(
            key_alias="bad",
            key_pending_window_days=3,
            bucket_names={"logs": "x"},
            lifecycle=LakeLifecycle(access_logs=ZoneLifecycle(abort_incomplete_multipart_upload_days=0)),
        )
    )
    assert [line.split(" is invalid")[0] for line in message.splitlines()] == [
        "Test/Lake: key_alias='bad'",
        "Test/Lake: key_pending_window_days=3",
        "Test/Lake: bucket_names.logs='x'",
        "Test/Lake: lifecycle.access_logs.abort_incomplete_multipart_upload_days=0",
    ]


def test_props_problems_are_pure_data() -> None:
    assert DataLakeProps().problems() == []
    assert [
        p.field for p in DataLakeProps(lifecycle=LakeLifecycle(logs=ZoneLifecycle(expiration_days=0))).problems()
    ] == ["lifecycle.logs.expiration_days"]


@pytest.mark.parametrize(
    ("prefix", "rule", "allowed"),
    [
        ("/events/", "S3 keys do not start with '/', so the grant would match nothing", "a key prefix like 'events/'"),
        (
            "events/*",
            "wildcards in a prefix widen the grant beyond one prefix",
            "a literal key prefix without '*' or '?'",
        ),
        (
            "events/?",
            "wildcards in a prefix widen the grant beyond one prefix",
            "a literal key prefix without '*' or '?'",
        ),
    ],
)
def test_fails_grant_prefix(prefix: str, rule: str, allowed: str) -> None:
    from aws_cdk import aws_iam as iam

    stack = new_stack()
    lake = DataLake(stack, "Lake")
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    with pytest.raises(
        EmrConfigError, match=re.escape(f"Test/Lake: prefix={prefix!r} is invalid: {rule}; allowed: {allowed}")
    ):
        lake.grant_read(Zone.RAW, role, prefix=prefix)


def test_an_app_without_feature_flags_gets_the_same_lake_template() -> None:
    from aws_cdk.assertions import Template

    bare = Stack(App(), "Test")
    DataLake(bare, "Lake")
    flagged = new_stack()
    DataLake(flagged, "Lake")
    bare_template = Template.from_stack(bare).to_json()["Resources"]
    assert bare_template == Template.from_stack(flagged).to_json()["Resources"]
    log_policy = next(
        r for r in bare_template.values() if r["Type"] == "AWS::S3::BucketPolicy" and "AccessLogs" in str(r)
    )
    principals = [s.get("Principal") for s in log_policy["Properties"]["PolicyDocument"]["Statement"]]
    assert {"Service": "logging.s3.amazonaws.com"} in principals
