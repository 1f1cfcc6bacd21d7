"""Every storage rule at its edges: the smallest and largest valid value build clean, one step past fails."""

from __future__ import annotations

from emr_constructs.storage.props import BUCKET_KEYS, DataLakeProps, ZoneLifecycle
from tests.rule_edges import Edge, edge_tests

OFF = "(or null to turn it off)"


def days_error(field: str, days: int, why: str, minimum: int) -> str:
    return f"Test: {field}={days} is invalid: {why}; allowed: >= {minimum} {OFF}"


def length_error(field: str, name: str) -> str:
    return (
        f"Test: {field}={name!r} is invalid: S3 bucket names are 3-63 characters long, this one has {len(name)}; "
        "allowed: 3-63 characters"
    )


EDGES = [
    Edge(
        "key_rotation_days",
        DataLakeProps,
        valid=[{"key_rotation_days": 90}, {"key_rotation_days": 2560}],
        invalid=[
            (
                {"key_rotation_days": days},
                f"Test: key_rotation_days={days} is invalid: KMS rotates key material every 90-2560 days; "
                "allowed: 90-2560",
            )
            for days in (89, 2561)
        ],
    ),
    Edge(
        "key_pending_window_days",
        DataLakeProps,
        valid=[{"key_pending_window_days": 7}, {"key_pending_window_days": 30}],
        invalid=[
            (
                {"key_pending_window_days": days},
                f"Test: key_pending_window_days={days} is invalid: KMS waits 7-30 days before deleting a key; "
                "allowed: 7-30",
            )
            for days in (6, 31)
        ],
    ),
    Edge(
        "key_alias",
        DataLakeProps,
        valid=[{"key_alias": "alias/a"}, {"key_alias": "alias/" + "a" * 250}],
        invalid=[
            (
                {"key_alias": "alias/" + "a" * 251},
                f"Test: key_alias={'alias/' + 'a' * 251!r} is invalid: a KMS alias is at most 256 characters long; "
                "allowed: 1-256 characters",
            ),
            (
                {"key_alias": "alias/"},
                "Test: key_alias='alias/' is invalid: a KMS alias is 'alias/' followed by letters, digits, ':', '/', "
                "'_' or '-'; allowed: alias/[a-zA-Z0-9:/_-]+",
            ),
            (
                {"key_alias": "alias/aws/lake"},
                "Test: key_alias='alias/aws/lake' is invalid: the alias/aws/ prefix is reserved for AWS managed keys; "
                "allowed: an alias not starting with alias/aws/",
            ),
        ],
    ),
    Edge(
        "bucket_names length",
        DataLakeProps,
        valid=[{"bucket_names": {"raw": "abc"}}, {"bucket_names": {"raw": "a" * 63}}],
        invalid=[
            ({"bucket_names": {"raw": "ab"}}, length_error("bucket_names.raw", "ab")),
            ({"bucket_names": {"raw": "a" * 64}}, length_error("bucket_names.raw", "a" * 64)),
        ],
    ),
    Edge(
        "bucket_name_prefix length (the longest name, <prefix>-access-logs, is at most 63)",
        DataLakeProps,
        valid=[{"bucket_name_prefix": "a"}, {"bucket_name_prefix": "a" * 51}],
        invalid=[
            (
                {"bucket_name_prefix": "a" * 52},
                f"Test: bucket_name_prefix={'a' * 52!r} is invalid: S3 bucket names are 3-63 characters long, this "
                f"one has 64 (in {'a' * 52 + '-access-logs'!r}); allowed: 3-63 characters",
            ),
            (
                {"bucket_name_prefix": ""},
                "Test: bucket_name_prefix='' is invalid: S3 bucket names begin and end with a letter or digit "
                "(in '-access-logs'); allowed: first and last character in [a-z0-9]",
            ),
        ],
    ),
    Edge(
        "bucket_names keys",
        DataLakeProps,
        valid=[{"bucket_names": {key: f"lake-{key}-1" for key in BUCKET_KEYS}}, {"bucket_names": {}}],
        invalid=[
            (
                {"bucket_names": {"rawz": "lake-rawz-1"}},
                "Test: bucket_names.rawz='lake-rawz-1' is invalid: unknown bucket key; "
                f"allowed: {', '.join(BUCKET_KEYS)}",
            ),
            (
                {"bucket_names": {"raw": "lake-1", "curated": "lake-1"}},
                "Test: bucket_names.curated='lake-1' is invalid: the same name as the raw bucket; S3 bucket names "
                "are globally unique; allowed: a name per bucket",
            ),
        ],
    ),
    *(
        Edge(
            field,
            ZoneLifecycle,
            valid=[{field: minimum}, {field: 3650}],
            invalid=[({field: minimum - 1}, days_error(field, minimum - 1, why, minimum))],
        )
        for field, minimum, why in (
            ("infrequent_access_after_days", 30, "S3 moves objects to STANDARD_IA only after they are 30 days old"),
            ("intelligent_tiering_after_days", 0, "S3 counts these days from 0"),
            ("glacier_instant_retrieval_after_days", 0, "S3 counts these days from 0"),
            ("expiration_days", 1, "S3 counts these days from 1"),
            ("noncurrent_version_expiration_days", 1, "S3 counts these days from 1"),
            ("abort_incomplete_multipart_upload_days", 1, "S3 counts these days from 1"),
        )
    ),
    Edge(
        "transition after STANDARD_IA waits 30 days",
        ZoneLifecycle,
        base={"infrequent_access_after_days": 30},
        valid=[{"intelligent_tiering_after_days": 60}, {"glacier_instant_retrieval_after_days": 60}],
        invalid=[
            (
                {"intelligent_tiering_after_days": 59},
                "Test: intelligent_tiering_after_days=59 is invalid: S3 transitions to INTELLIGENT_TIERING only "
                "after the STANDARD_IA transition at day 30 plus the 30 days objects must stay in STANDARD_IA; "
                "allowed: >= 60",
            ),
        ],
    ),
    Edge(
        "transitions in S3's order",
        ZoneLifecycle,
        base={"intelligent_tiering_after_days": 10},
        valid=[{"glacier_instant_retrieval_after_days": 11}],
        invalid=[
            (
                {"glacier_instant_retrieval_after_days": 10},
                "Test: glacier_instant_retrieval_after_days=10 is invalid: S3 transitions to GLACIER_IR only after "
                "the INTELLIGENT_TIERING transition at day 10; allowed: >= 11",
            ),
        ],
    ),
    Edge(
        "expiration after the last transition",
        ZoneLifecycle,
        base={"glacier_instant_retrieval_after_days": 90},
        valid=[{"expiration_days": 91}],
        invalid=[
            (
                {"expiration_days": 90},
                "Test: expiration_days=90 is invalid: S3 requires expiration after the last transition "
                "(GLACIER_IR at day 90); allowed: > 90",
            ),
        ],
    ),
]


test_valid_edge_builds_clean, test_fails_one_step_past_the_edge = edge_tests(EDGES)
