"""The data lake: one KMS key, a bucket per zone and a server-access-log bucket, with scoped grants."""

from __future__ import annotations

from typing import Any

from aws_cdk import Annotations, CrossStackReferences, Duration, ReferenceStrength, RemovalPolicy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks, EmrConfigError, Problem
from emr_constructs.guard import GuardRule, acknowledge_guard, restrict_grants_to_aws_services
from emr_constructs.iam.keys import grant_key_through_s3
from emr_constructs.policy.acknowledge import acknowledge, acknowledge_wildcard_resources
from emr_constructs.removal import safe_removal_policy
from emr_constructs.storage.props import (
    ACCESS_LOGS,
    DataLakeProps,
    ObjectLockMode,
    ZoneLifecycle,
    ZoneObjectLock,
    key_alias_problems,
)
from emr_constructs.storage.zones import Zone

#: Without this flag CDK grants log delivery through a bucket ACL, which cannot coexist with the
#: BUCKET_OWNER_ENFORCED object ownership every lake bucket has (ACLs disabled).
ACCESS_LOGS_POLICY_FLAG = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"

# Construct ids are public API and decide the logical ids of stateful resources: never derive them.
_BUCKET_IDS: dict[Zone, str] = {
    Zone.RAW: "RawBucket",
    Zone.CURATED: "CuratedBucket",
    Zone.ANALYTICS: "AnalyticsBucket",
    Zone.LOGS: "LogsBucket",
    Zone.ARTIFACTS: "ArtifactsBucket",
}
_ACCESS_LOGS_ID = "AccessLogsBucket"

_STORAGE_CLASSES = {
    "STANDARD_IA": s3.StorageClass.INFREQUENT_ACCESS,
    "INTELLIGENT_TIERING": s3.StorageClass.INTELLIGENT_TIERING,
    "GLACIER_IR": s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
}

# Exactly what Spark/Hive/EMRFS/S3A need; no wildcards, so cdk-nag only sees the prefix wildcard of objects.
_READ_BUCKET_ACTIONS = ("s3:ListBucket",)
_READ_LOCATION_ACTIONS = ("s3:GetBucketLocation",)
_READ_OBJECT_ACTIONS = ("s3:GetObject",)
# Overwrites and committers delete what they replace; abort cleans up failed multipart uploads.
_WRITE_OBJECT_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")
# S3 calls GenerateDataKey to encrypt a new object and Decrypt to read one; completing a multipart upload
# (every object above the S3A/EMRFS part size) also needs Decrypt, so writers get it too:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
_READ_KEY_ACTIONS = ("kms:Decrypt",)
_WRITE_KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")

# cdk-nag treats a bucket that receives other buckets' access logs as logged, so no S1/S3BucketLoggingEnabled
# finding needs acknowledging here; only the encryption rule does.
_ACCESS_LOG_BUCKET_REASON = (
    "This is the S3 server access log bucket of the data lake: S3 delivers server access logs only to a bucket "
    "encrypted with SSE-S3, not SSE-KMS "
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html)."
)
_REPLICATION_REASON = (
    "Cross-region replication is a disaster-recovery choice of the platform owner (a second region, its key "
    "and its cost); within the region versioning keeps overwritten and deleted objects for the zone's "
    "non-current retention, and the buckets are RETAINed when the stack is deleted."
)
_EVENT_NOTIFICATIONS_REASON = (
    "Nothing in the platform reacts to object arrival: jobs run from EMR steps and schedules, and every request "
    "to the bucket is recorded by S3 server access logging (CT.S3.PR.4 asks for notifications as a change feed)."
)
_OBJECT_LOCK_OFF_REASON = (
    "Object Lock is off for this zone (DataLakeProps.object_lock): versioning and RETAIN keep its data through "
    "stack deletion and the lifecycle's non-current retention; DataLake grants give s3:DeleteObject only, never "
    "s3:DeleteObjectVersion. Turn it on per zone where deleted versions must stay recoverable."
)
_ACCESS_LOG_LOCK_REASON = (
    "S3 does not deliver server access logs to a bucket with Object Lock (S3 User Guide, 'Enabling Amazon S3 "
    "server access logging'); versioning, RETAIN and the 400-day lifecycle keep the logs."
)


class DataLake(Construct):
    """Buckets per zone encrypted with one customer-managed key, plus a server-access-log bucket.

    Every bucket blocks public access, denies non-TLS (and TLS < 1.2) requests, enforces bucket-owner
    object ownership, is versioned and has the lifecycle of its zone. Buckets and key are RETAINed unless
    ``removal_policy=RemovalPolicy.DESTROY`` is passed *and* the app runs with
    ``-c emr-platform:allow-destroy=true``.

    Access goes through :meth:`grant_read`, :meth:`grant_write` and :meth:`grant_read_write`, scoped to one
    zone and a key prefix; they also acknowledge the one cdk-nag finding such a grant causes by design.

    Example::

        lake = DataLake(stack, "Lake", props=DataLakeProps(key_alias="alias/acme-dev/lake"))
        lake.grant_read_write(Zone.CURATED, job_role, prefix="sales/")
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: DataLakeProps = DataLakeProps(),  # noqa: B008 - frozen dataclass, safe to share
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        # The lake's buckets disable ACLs, so access logs must be delivered through a bucket policy. The flag that
        # makes s3.Bucket write that policy is set here, for the lake's own buckets only (before any child exists),
        # so the template is the same whatever flags the consuming app carries.
        self.node.set_context(ACCESS_LOGS_POLICY_FLAG, True)
        checks = Checks.of(props)
        alias = props.key_alias if props.key_alias is not None else self._default_alias()
        if props.key_alias is None:
            # The derived alias carries the stack name; report it under the field that fixes it.
            checks.extend(key_alias_problems(alias))
        checks.raise_if_any(self.node.path)
        self.props = props

        self.removal_policy = safe_removal_policy(self, removal_policy)
        destroying = self.removal_policy == RemovalPolicy.DESTROY
        # auto_delete_objects adds a Lambda-backed custom resource that empties the buckets: only with DESTROY.
        # cdk-nag 3.0.2 does not inspect that provider (CDK writes it as untyped CfnResources), so it needs no
        # acknowledgement; a test keeps both facts true.
        auto_delete = destroying and props.auto_delete_objects
        if props.auto_delete_objects and not destroying:
            Annotations.of(self).add_warning_v2(
                "emr-platform:auto-delete-ignored",
                "auto_delete_objects=True is ignored because the buckets are RETAINed: "
                "objects are only emptied when RemovalPolicy.DESTROY is in force.",
            )

        self.key = kms.Key(
            self,
            "Key",
            alias=alias,
            description=f"Encrypts the data lake buckets of {self.node.path}",
            enable_key_rotation=True,
            rotation_period=Duration.days(props.key_rotation_days),
            pending_window=Duration.days(props.key_pending_window_days),
            removal_policy=self.removal_policy,
        )
        restrict_grants_to_aws_services(self.key)

        self.access_logs_bucket = self._new_bucket(_ACCESS_LOGS_ID, ACCESS_LOGS, auto_delete=auto_delete)
        acknowledge(
            self.access_logs_bucket,
            [
                "NIST.800.53.R5-S3DefaultEncryptionKMS",
                "HIPAA.Security-S3DefaultEncryptionKMS",
                "PCI.DSS.321-S3DefaultEncryptionKMS",
            ],
            _ACCESS_LOG_BUCKET_REASON,
        )
        acknowledge_guard(self.access_logs_bucket, [GuardRule.S3_DEFAULT_ENCRYPTION_KMS], _ACCESS_LOG_BUCKET_REASON)
        acknowledge_guard(
            self.access_logs_bucket,
            [GuardRule.S3_LOGGING],
            "this is the server-access-log destination: logging it into itself would log its own log deliveries",
        )

        self._buckets: dict[Zone, s3.Bucket] = {
            zone: self._new_bucket(construct_id, zone.value, auto_delete=auto_delete)
            for zone, construct_id in _BUCKET_IDS.items()
        }

        all_buckets = [self.access_logs_bucket, *self._buckets.values()]
        # Other stacks reference the lake's key and buckets strongly (Fn::ImportValue), whatever the app's default:
        # CloudFormation then refuses to remove or replace them while a consumer stack still uses them, instead
        # of leaving consumers pointing at data that is gone (a weak Fn::GetStackOutput reference does that).
        for stateful in (self.key, *all_buckets):
            CrossStackReferences.of(stateful).produce(ReferenceStrength.STRONG)
        for bucket in all_buckets:
            acknowledge(
                bucket,
                [
                    "NIST.800.53.R5-S3BucketReplicationEnabled",
                    "HIPAA.Security-S3BucketReplicationEnabled",
                    "PCI.DSS.321-S3BucketReplicationEnabled",
                ],
                _REPLICATION_REASON,
            )
            acknowledge_guard(bucket, [GuardRule.S3_EVENT_NOTIFICATIONS], _EVENT_NOTIFICATIONS_REASON)
        for key, bucket in self._lockable_buckets_without_lock().items():
            acknowledge_guard(
                bucket,
                [GuardRule.S3_OBJECT_LOCK],
                _ACCESS_LOG_LOCK_REASON if key == ACCESS_LOGS else _OBJECT_LOCK_OFF_REASON,
            )

    def _lockable_buckets_without_lock(self) -> dict[str, s3.Bucket]:
        buckets = {zone.value: bucket for zone, bucket in self._buckets.items()}
        buckets[ACCESS_LOGS] = self.access_logs_bucket
        return {key: bucket for key, bucket in buckets.items() if key not in self.props.object_lock}

    # -- attributes -----------------------------------------------------------------------------------

    def bucket(self, zone: Zone) -> s3.Bucket:
        """The bucket of ``zone``."""
        return self._buckets[Zone(zone)]

    @property
    def buckets(self) -> dict[Zone, s3.Bucket]:
        """Every zone bucket by zone (a copy; the server-access-log bucket is :attr:`access_logs_bucket`)."""
        return dict(self._buckets)

    # -- grants ---------------------------------------------------------------------------------------

    @checked_arguments
    def grant_read(self, zone: Zone, grantee: iam.IGrantable, *, prefix: str = "") -> iam.Grant:
        """Let ``grantee`` list and read the objects of ``zone`` under ``prefix``.

        Grants ``s3:ListBucket`` (with an ``s3:prefix`` condition when ``prefix`` is set) and
        ``s3:GetBucketLocation`` on the bucket, ``s3:GetObject`` on ``<bucket>/<prefix>*``, and ``kms:Decrypt``
        on the lake key only through S3 for this bucket (``kms:ViaService`` and the bucket-key encryption
        context). Same account only: the key policy trusts the account's IAM policies.
        """
        return self._grant(zone, grantee, prefix, read=True, write=False)

    @checked_arguments
    def grant_write(self, zone: Zone, grantee: iam.IGrantable, *, prefix: str = "") -> iam.Grant:
        """Let ``grantee`` put, overwrite and delete objects of ``zone`` under ``prefix``.

        Grants ``s3:PutObject``, ``s3:DeleteObject`` (Spark overwrites and committers delete what they replace)
        and ``s3:AbortMultipartUpload`` on ``<bucket>/<prefix>*``, and ``kms:GenerateDataKey`` plus
        ``kms:Decrypt`` (S3 needs it to complete multipart uploads) under the same key conditions as reads.
        """
        return self._grant(zone, grantee, prefix, read=False, write=True)

    @checked_arguments
    def grant_read_write(self, zone: Zone, grantee: iam.IGrantable, *, prefix: str = "") -> iam.Grant:
        """:meth:`grant_read` and :meth:`grant_write` together, as one grant."""
        return self._grant(zone, grantee, prefix, read=True, write=True)

    def _grant(self, zone: Zone, grantee: iam.IGrantable, prefix: str, *, read: bool, write: bool) -> iam.Grant:
        problems = grant_prefix_problems(prefix)
        if problems:
            raise EmrConfigError(self.node.path, problems)
        bucket = self.bucket(zone)
        objects = bucket.arn_for_objects(f"{prefix}*")
        grants: list[iam.Grant] = []

        def add(actions: tuple[str, ...], resource: str, conditions: dict[str, dict[str, Any]] | None = None) -> None:
            grants.append(
                iam.Grant.add_to_principal(
                    grantee=grantee, actions=list(actions), resource_arns=[resource], conditions=conditions
                )
            )

        if read:
            # Without a prefix condition ListBucket would show every key of the bucket.
            add(
                _READ_BUCKET_ACTIONS,
                bucket.bucket_arn,
                {"StringLike": {"s3:prefix": [f"{prefix}*"]}} if prefix else None,
            )
            add(_READ_LOCATION_ACTIONS, bucket.bucket_arn)
            add(_READ_OBJECT_ACTIONS, objects)
        if write:
            add(_WRITE_OBJECT_ACTIONS, objects)
        key_actions = tuple(
            dict.fromkeys((*(_READ_KEY_ACTIONS if read else ()), *(_WRITE_KEY_ACTIONS if write else ())))
        )
        grants.append(grant_key_through_s3(self.key, grantee, bucket, *key_actions))
        objects_scope = f"objects under '{prefix}'" if prefix else "objects (the grant covers the whole bucket)"
        acknowledge_wildcard_resources(
            grantee,
            [objects],
            f"S3 object permissions can only name objects by key prefix: this is a grant of {self.node.path} on "
            f"the {zone.value} bucket's {objects_scope}, with explicit actions and no other wildcard.",
        )
        combined = grants[0]
        for grant in grants[1:]:
            combined = combined.combine(grant)
        return combined

    # -- helpers --------------------------------------------------------------------------------------

    def _default_alias(self) -> str:
        stack = Stack.of(self)
        path_in_stack = self.node.path[len(stack.node.path) + 1 :] if stack.node.path else self.node.path
        return f"alias/{stack.stack_name}/{path_in_stack}"

    def _new_bucket(self, construct_id: str, bucket_key: str, *, auto_delete: bool) -> s3.Bucket:
        """A bucket with the lake's baseline; zone buckets use the key and log to the access-log bucket."""
        is_access_log = bucket_key == ACCESS_LOGS
        return s3.Bucket(
            self,
            construct_id,
            bucket_name=self.props.bucket_name(bucket_key),
            encryption=s3.BucketEncryption.S3_MANAGED if is_access_log else s3.BucketEncryption.KMS,
            encryption_key=None if is_access_log else self.key,
            # One data key per bucket instead of a KMS call per object: cost and KMS request quotas.
            bucket_key_enabled=None if is_access_log else True,
            server_access_logs_bucket=None if is_access_log else self.access_logs_bucket,
            server_access_logs_prefix=None if is_access_log else f"{bucket_key}/",
            # Date-partitioned log keys let Athena prune by day.
            target_object_key_format=None
            if is_access_log
            else s3.TargetObjectKeyFormat.partitioned_prefix(s3.PartitionDateSource.EVENT_TIME),
            lifecycle_rules=lifecycle_rules(self.props.lifecycle.for_bucket(bucket_key)),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            versioned=True,
            removal_policy=self.removal_policy,
            auto_delete_objects=auto_delete,
            **_object_lock(self.props.object_lock.get(bucket_key)),
        )


def _object_lock(lock: ZoneObjectLock | None) -> dict[str, Any]:
    if lock is None:
        return {}
    retention = (
        s3.ObjectLockRetention.compliance
        if lock.mode == ObjectLockMode.COMPLIANCE
        else s3.ObjectLockRetention.governance
    )
    return {"object_lock_enabled": True, "object_lock_default_retention": retention(Duration.days(lock.retention_days))}


def lifecycle_rules(lifecycle: ZoneLifecycle) -> list[s3.LifecycleRule]:
    """The S3 lifecycle rules of one bucket, from its :class:`ZoneLifecycle`."""
    transitions = [
        s3.Transition(storage_class=_STORAGE_CLASSES[storage_class], transition_after=Duration.days(days))
        for storage_class, days in lifecycle.transitions()
    ]
    return [
        s3.LifecycleRule(
            id="zone-lifecycle",
            transitions=transitions or None,
            expiration=_days(lifecycle.expiration_days),
            # S3 rejects a delete-marker cleanup next to an expiration in days; with an expiration S3 removes
            # expired delete markers through the expiration itself.
            expired_object_delete_marker=True if lifecycle.expiration_days is None else None,
            noncurrent_version_expiration=_days(lifecycle.noncurrent_version_expiration_days),
            abort_incomplete_multipart_upload_after=_days(lifecycle.abort_incomplete_multipart_upload_days),
        )
    ]


def _days(days: int | None) -> Duration | None:
    return None if days is None else Duration.days(days)


def grant_prefix_problems(prefix: str) -> list[Problem]:
    """Problems of a key prefix given to a grant: it must not widen the grant or never match."""
    checks = Checks()
    if Token.is_unresolved(prefix):
        return []
    checks.require(
        not prefix.startswith("/"),
        "prefix",
        prefix,
        "S3 keys do not start with '/', so the grant would match nothing",
        "a key prefix like 'events/'",
    )
    checks.require(
        "*" not in prefix and "?" not in prefix,
        "prefix",
        prefix,
        "wildcards in a prefix widen the grant beyond one prefix",
        "a literal key prefix without '*' or '?'",
    )
    return checks.problems
