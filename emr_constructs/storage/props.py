"""Settings of the data lake: key, bucket names, per-zone lifecycle and Object Lock, with their S3/KMS rules.

Every class here is plain data (the app's settings loader builds them straight from JSON)
and reports what S3 or KMS would reject at deploy time through ``problems()``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps
from emr_constructs.storage.zones import Zone

#: Key of the server-access-log bucket in ``DataLakeProps.bucket_names`` and the suffix of its name.
ACCESS_LOGS = "access-logs"

#: Every key ``DataLakeProps.bucket_names`` accepts, in bucket creation order.
BUCKET_KEYS: tuple[str, ...] = (*(z.value for z in Zone), ACCESS_LOGS)

# S3 general purpose bucket naming rules:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET_CHARS = re.compile(r"^[a-z0-9.-]*$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")

# KMS alias rules: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
_ALIAS = re.compile(r"^alias/[a-zA-Z0-9:/_-]+$")
_ALIAS_MAX = 256


def bucket_name_rules(name: str) -> list[tuple[str, str]]:
    """The S3 naming rules ``name`` breaks, as ``(rule, allowed)`` pairs; empty when S3 accepts it."""
    broken: list[tuple[str, str]] = []
    if not 3 <= len(name) <= 63:
        broken.append((f"S3 bucket names are 3-63 characters long, this one has {len(name)}", "3-63 characters"))
    if not _BUCKET_CHARS.match(name):
        broken.append(("S3 bucket names hold only lowercase letters, digits, dots and hyphens", "[a-z0-9.-]"))
    if name and not (name[0].isalnum() and name[-1].isalnum() and name[0].isascii() and name[-1].isascii()):
        broken.append(("S3 bucket names begin and end with a letter or digit", "first and last character in [a-z0-9]"))
    if ".." in name:
        broken.append(("S3 bucket names never hold two adjacent dots", "no '..'"))
    if _IPV4.match(name):
        broken.append(("S3 bucket names are never formatted as an IP address", "a name that is not like 192.168.5.4"))
    if name.startswith(_RESERVED_PREFIXES):
        broken.append(("S3 reserves this name prefix", "a name not starting with " + ", ".join(_RESERVED_PREFIXES)))
    if name.endswith(_RESERVED_SUFFIXES):
        broken.append(("S3 reserves this name suffix", "a name not ending with " + ", ".join(_RESERVED_SUFFIXES)))
    return broken


def key_alias_problems(alias: str, field_name: str = "key_alias") -> list[Problem]:
    """Problems of a KMS alias name (``alias/...``) that KMS would reject."""
    checks = Checks()
    checks.require(
        _ALIAS.match(alias) is not None,
        field_name,
        alias,
        "a KMS alias is 'alias/' followed by letters, digits, ':', '/', '_' or '-'",
        "alias/[a-zA-Z0-9:/_-]+",
    )
    checks.require(
        not alias.startswith("alias/aws/"),
        field_name,
        alias,
        "the alias/aws/ prefix is reserved for AWS managed keys",
        "an alias not starting with alias/aws/",
    )
    checks.require(
        len(alias) <= _ALIAS_MAX,
        field_name,
        alias,
        f"a KMS alias is at most {_ALIAS_MAX} characters long",
        f"1-{_ALIAS_MAX} characters",
    )
    return checks.problems


@dataclass(frozen=True, kw_only=True)
class ZoneLifecycle(ValidatedProps):
    """Lifecycle of one bucket. ``None`` turns an action off.

    Transitions follow S3's order STANDARD -> STANDARD_IA -> INTELLIGENT_TIERING -> GLACIER_IR; S3
    rejects a configuration that goes backwards or moves objects to STANDARD_IA before 30 days
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
    A zone given in the settings replaces that zone's whole default, field by field from the defaults below.
    """

    infrequent_access_after_days: int | None = None
    """Days after creation to move objects to STANDARD_IA (at least 30). Default: off."""

    intelligent_tiering_after_days: int | None = None
    """Days after creation to move objects to INTELLIGENT_TIERING (0 = the next lifecycle run). Default: off."""

    glacier_instant_retrieval_after_days: int | None = None
    """Days after creation to move objects to GLACIER_IR (millisecond reads, 90-day minimum charge). Default: off."""

    expiration_days: int | None = None
    """Days after creation to delete current objects (they become non-current versions). Default: never."""

    noncurrent_version_expiration_days: int | None = 90
    """Days a version stays after it was overwritten or deleted. Default 90: time to notice and undo a bad job."""

    abort_incomplete_multipart_upload_days: int | None = 7
    """Days before parts of an unfinished multipart upload are deleted. Default 7: failed Spark writes leave
    parts that are billed but invisible in listings."""

    def transitions(self) -> list[tuple[str, int]]:
        """``(storage class, days)`` of the transitions that are on, in S3's order."""
        steps = (
            ("STANDARD_IA", self.infrequent_access_after_days),
            ("INTELLIGENT_TIERING", self.intelligent_tiering_after_days),
            ("GLACIER_IR", self.glacier_instant_retrieval_after_days),
        )
        return [(storage_class, days) for storage_class, days in steps if days is not None]

    def _rules(self) -> list[Problem]:
        checks = Checks()
        days_fields = {
            "infrequent_access_after_days": (self.infrequent_access_after_days, 30),
            "intelligent_tiering_after_days": (self.intelligent_tiering_after_days, 0),
            "glacier_instant_retrieval_after_days": (self.glacier_instant_retrieval_after_days, 0),
            "expiration_days": (self.expiration_days, 1),
            "noncurrent_version_expiration_days": (self.noncurrent_version_expiration_days, 1),
            "abort_incomplete_multipart_upload_days": (self.abort_incomplete_multipart_upload_days, 1),
        }
        for name, (days, minimum) in days_fields.items():
            if days is None:
                continue
            why = (
                "S3 moves objects to STANDARD_IA only after they are 30 days old"
                if name == "infrequent_access_after_days"
                else f"S3 counts these days from {minimum}"
            )
            checks.require(days >= minimum, name, days, why, f">= {minimum} (or null to turn it off)")

        by_class = {
            "STANDARD_IA": "infrequent_access_after_days",
            "INTELLIGENT_TIERING": "intelligent_tiering_after_days",
            "GLACIER_IR": "glacier_instant_retrieval_after_days",
        }
        steps = self.transitions()
        for (before_class, before), (after_class, after) in itertools.pairwise(steps):
            # Objects must sit 30 days in STANDARD_IA before their next transition.
            gap = 30 if before_class == "STANDARD_IA" else 1
            checks.require(
                after >= before + gap,
                by_class[after_class],
                after,
                f"S3 transitions to {after_class} only after the {before_class} transition at day {before}"
                + (" plus the 30 days objects must stay in STANDARD_IA" if gap == 30 else ""),
                f">= {before + gap}",
            )
        if self.expiration_days is not None and steps:
            last_class, last = steps[-1]
            checks.require(
                self.expiration_days > last,
                "expiration_days",
                self.expiration_days,
                f"S3 requires expiration after the last transition ({last_class} at day {last})",
                f"> {last}",
            )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class LakeLifecycle(ValidatedProps):
    """Lifecycle of each bucket of the lake; defaults chosen per zone (a test pins them)."""

    raw: ZoneLifecycle = ZoneLifecycle(
        infrequent_access_after_days=30,
        glacier_instant_retrieval_after_days=90,
        noncurrent_version_expiration_days=30,
    )
    """Default: STANDARD_IA at 30 days, GLACIER_IR at 90, never deleted. Raw data is read by the job that
    curates it within days, later only to replay a pipeline; it is the one copy that cannot be rebuilt."""

    curated: ZoneLifecycle = ZoneLifecycle(intelligent_tiering_after_days=0, noncurrent_version_expiration_days=30)
    """Default: INTELLIGENT_TIERING from day 0, never deleted. Access patterns of tables are unknown up front;
    Intelligent-Tiering moves cold objects itself and charges no retrieval fee."""

    analytics: ZoneLifecycle = ZoneLifecycle(intelligent_tiering_after_days=0, noncurrent_version_expiration_days=30)
    """Default: as curated."""

    logs: ZoneLifecycle = ZoneLifecycle(
        infrequent_access_after_days=30,
        expiration_days=400,
        noncurrent_version_expiration_days=30,
    )
    """Default: STANDARD_IA at 30 days, deleted after 400 days: PCI DSS 10.7 asks for one year of audit
    history; the extra month covers the last month's investigation."""

    artifacts: ZoneLifecycle = ZoneLifecycle(noncurrent_version_expiration_days=90)
    """Default: no transitions (every cluster start reads bootstrap scripts), old versions kept 90 days
    so a job can be rolled back to the code it ran with."""

    access_logs: ZoneLifecycle = ZoneLifecycle(
        infrequent_access_after_days=30,
        expiration_days=400,
        noncurrent_version_expiration_days=30,
    )
    """Default: as logs (S3 server access logs are audit records too)."""

    def for_bucket(self, key: str) -> ZoneLifecycle:
        """The lifecycle of the bucket with ``key`` (a zone value or ``"access-logs"``)."""
        lifecycle: ZoneLifecycle = getattr(self, key.replace("-", "_"))
        return lifecycle

    def _rules(self) -> list[Problem]:
        checks = Checks()
        for key in BUCKET_KEYS:
            checks.extend(self.for_bucket(key).problems(), key.replace("-", "_"))
        return checks.problems


#: S3 caps an Object Lock default retention period at 100 years.
OBJECT_LOCK_MAX_DAYS = 36500


class ObjectLockMode(StrEnum):
    """S3 Object Lock retention modes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html)."""

    GOVERNANCE = "GOVERNANCE"
    """A principal with ``s3:BypassGovernanceRetention`` can still delete or shorten a locked version."""
    COMPLIANCE = "COMPLIANCE"
    """Nobody, the account root included, can delete a locked version or shorten its retention."""


@dataclass(frozen=True, kw_only=True)
class ZoneObjectLock(ValidatedProps):
    """S3 Object Lock with a default retention period for the new object versions of one zone bucket.

    A locked version cannot be deleted or overwritten in place until its retention ends, by anyone who may
    delete object versions (stolen credentials, a wrong cleanup job); versioning and RETAIN alone only
    protect against stack deletion. Turning Object Lock on for an existing bucket updates it in place
    (``ObjectLockEnabled`` is not a create-only property of ``AWS::S3::Bucket``), but it can never be turned
    off again: S3 refuses, and the stack update fails.

    Lifecycle rules keep working with retention: transitions move locked versions between storage classes,
    an expiration of current objects only adds a delete marker, and S3 does not remove a non-current
    version before its retention ends, so ``noncurrent_version_expiration_days`` shorter than
    ``retention_days`` deletes it at the end of the retention, not earlier (S3 User Guide, "Managing
    Object Lock": lifecycle and Object Lock).
    """

    mode: ObjectLockMode = ObjectLockMode.GOVERNANCE
    """Default GOVERNANCE: administrators with ``s3:BypassGovernanceRetention`` can still undo a mistake.
    COMPLIANCE only when a regulation asks for it: not even the account root can remove a version early."""

    retention_days: int = 30
    """Days each new object version is locked after it is written (1-36500). Default 30: time to notice and
    undo a destructive job or stolen credentials, as the zones' non-current version retention."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            1 <= self.retention_days <= OBJECT_LOCK_MAX_DAYS,
            "retention_days",
            self.retention_days,
            "S3 locks new versions for 1 day to 100 years",
            f"1-{OBJECT_LOCK_MAX_DAYS}",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class DataLakeProps(ValidatedProps):
    """Data part of a :class:`DataLake`'s configuration."""

    key_alias: str | None = None
    """Alias of the lake's KMS key, ``alias/...``. Default: ``alias/<stack name>/<construct path in the stack>``.
    An alias is unique per account and region, so dev, staging and prod in one account need different ones;
    the default differs as long as their stack names differ (CloudFormation enforces that)."""

    key_rotation_days: int = 365
    """Days between automatic rotations of the key material (KMS allows 90-2560). Default 365, KMS's own."""

    key_pending_window_days: int = 30
    """Days KMS waits before deleting the key once its deletion was scheduled (7-30). Default 30, the longest:
    a deleted key makes every object of the lake unreadable, so the window to cancel is as long as possible."""

    bucket_name_prefix: str | None = None
    """Names the buckets ``<prefix>-raw``, ``<prefix>-curated``, ... ``<prefix>-access-logs``. Default: none,
    CloudFormation generates unique names, which never collide between environments or accounts and let
    a bucket be replaced; set it only when other systems need to know names in advance."""

    bucket_names: dict[str, str] = field(default_factory=dict)
    """Explicit names by bucket key (``raw``, ``curated``, ``analytics``, ``logs``, ``artifacts``,
    ``access-logs``); they win over ``bucket_name_prefix``. Default: none."""

    lifecycle: LakeLifecycle = LakeLifecycle()
    """Lifecycle rules per bucket. Default: see :class:`LakeLifecycle`."""

    object_lock: dict[str, ZoneObjectLock] = field(default_factory=dict)
    """S3 Object Lock by zone (``raw``, ``curated``, ``analytics``, ``logs``, ``artifacts``). Default: none.
    Not for the server-access-log bucket: S3 does not deliver server access logs to a bucket with Object Lock
    (S3 User Guide, "Enabling Amazon S3 server access logging"). See :class:`ZoneObjectLock` for lifecycle
    rules together with retention."""

    auto_delete_objects: bool = False
    """Empty the buckets when the stack is deleted. Only takes effect together with ``RemovalPolicy.DESTROY``
    and the ``emr-platform:allow-destroy`` context flag; it adds a Lambda-backed custom resource. Default
    False: deleting a stack never deletes data."""

    def bucket_name(self, key: str) -> str | None:
        """The physical name of the bucket with ``key``, or ``None`` for a CloudFormation-generated name."""
        if key in self.bucket_names:
            return self.bucket_names[key]
        if self.bucket_name_prefix is not None:
            return f"{self.bucket_name_prefix}-{key}"
        return None

    def _rules(self) -> list[Problem]:
        checks = Checks()
        if self.key_alias is not None:
            checks.extend(key_alias_problems(self.key_alias))
        checks.require(
            90 <= self.key_rotation_days <= 2560,
            "key_rotation_days",
            self.key_rotation_days,
            "KMS rotates key material every 90-2560 days",
            "90-2560",
        )
        checks.require(
            7 <= self.key_pending_window_days <= 30,
            "key_pending_window_days",
            self.key_pending_window_days,
            "KMS waits 7-30 days before deleting a key",
            "7-30",
        )
        for key in self.bucket_names:
            checks.require(
                key in BUCKET_KEYS,
                f"bucket_names.{key}",
                self.bucket_names[key],
                "unknown bucket key",
                ", ".join(BUCKET_KEYS),
            )
        checks.extend(self._bucket_name_problems())
        checks.extend(self.lifecycle.problems(), "lifecycle")
        zones = [zone.value for zone in Zone]
        for key, lock in self.object_lock.items():
            if key == ACCESS_LOGS:
                checks.require(
                    False,
                    f"object_lock.{key}",
                    lock.mode.value,
                    "S3 does not deliver server access logs to a bucket with Object Lock",
                    ", ".join(zones),
                )
                continue
            checks.require(key in zones, f"object_lock.{key}", lock.mode.value, "unknown zone", ", ".join(zones))
            checks.extend(lock.problems(), f"object_lock.{key}")
        return checks.problems

    def _bucket_name_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        prefix_rules_seen: set[str] = set()
        names: dict[str, str] = {}
        derived: list[str] = []
        for key in BUCKET_KEYS:
            name = self.bucket_name(key)
            if name is None:
                continue
            names[key] = name
            if key in self.bucket_names:
                problems.extend(Problem(f"bucket_names.{key}", name, r, a) for r, a in bucket_name_rules(name))
                continue
            derived.append(name)
        # One line per broken rule, not one per bucket: a bad prefix breaks most rules for all six names. The
        # longest name goes first so the length rule names the binding one.
        for name in sorted(derived, key=len, reverse=True):
            for rule, allowed in bucket_name_rules(name):
                rule_kind = rule.split(",")[0]
                if rule_kind not in prefix_rules_seen:
                    prefix_rules_seen.add(rule_kind)
                    problems.append(
                        Problem("bucket_name_prefix", self.bucket_name_prefix, f"{rule} (in {name!r})", allowed)
                    )
        seen: dict[str, str] = {}
        for key, name in names.items():
            if name in seen:
                problems.append(
                    Problem(
                        f"bucket_names.{key}",
                        name,
                        f"the same name as the {seen[name]} bucket; S3 bucket names are globally unique",
                        "a name per bucket",
                    )
                )
            else:
                seen[name] = key
        return problems
