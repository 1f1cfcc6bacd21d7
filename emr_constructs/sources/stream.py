"""Kinesis Data Streams for streaming jobs (Flink on EMR, Spark Structured Streaming): an encrypted stream,
consumer grants scoped to the stream and its key, and an optional enhanced fan-out consumer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks, Problem
from emr_constructs.policy.acknowledge import acknowledge
from emr_constructs.props import ValidatedProps
from emr_constructs.removal import safe_removal_policy
from emr_constructs.sources.common import (
    brought_key,
    grant_with_key,
    own_key,
    record_brought,
    require_arn,
    require_key_arn,
)
from emr_constructs.sources.compute import IDataCompute

#: What the Flink Kinesis source and Spark's Kinesis reader call on the stream (polling).
STREAM_READ_ACTIONS: tuple[str, ...] = (
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
)
#: Enhanced fan-out through the registered consumer (the job does not register or deregister consumers).
CONSUMER_READ_ACTIONS: tuple[str, ...] = ("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard")
STREAM_WRITE_ACTIONS: tuple[str, ...] = (
    "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
)
KEY_READ_ACTIONS: tuple[str, ...] = ("kms:Decrypt",)
KEY_WRITE_ACTIONS: tuple[str, ...] = ("kms:GenerateDataKey",)

_KEY_REASON = (
    "The stream is encrypted with its own customer-managed key instead of aws/kinesis on purpose: its key policy and "
    "the grants of this construct decide who can decrypt records, and the key is rotated and retained with the "
    "stream (the rule only prefers the AWS managed key)."
)
_STREAM_ARN = re.compile(r"^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream/[A-Za-z0-9_.-]{1,128}$")
_CONSUMER_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
#: Retention: 24 hours to 365 days (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html).
RETENTION_HOURS = range(24, 8761)


@dataclass(frozen=True, kw_only=True)
class KinesisStreamProps(ValidatedProps):
    """A stream: bring it (``stream_arn``) or let the library create it."""

    stream_arn: str | None = None
    """ARN of a stream to bring. Default ``None``: create one."""
    key_arn: str | None = None
    """The brought stream's customer-managed KMS key, if any. Default ``None``."""
    shard_count: int | None = None
    """Shards of a created stream (provisioned mode), 1-500. Default ``None``: on-demand mode."""
    retention_hours: int = 24
    """Retention of a created stream, 24-8760 hours. Default 24."""
    consumer_name: str | None = None
    """Register an enhanced fan-out consumer with this name (``--efo-consumer-name`` of the streaming job).
    Default ``None``: jobs poll with GetRecords."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        require_arn(
            checks, "stream_arn", self.stream_arn, _STREAM_ARN, "arn:aws:kinesis:<region>:<account>:stream/<name>"
        )
        require_key_arn(checks, "key_arn", self.key_arn)
        brought = self.stream_arn is not None
        checks.require(
            self.key_arn is None or brought,
            "key_arn",
            self.key_arn,
            "a created stream gets its own key",
            "key_arn only with stream_arn",
        )
        if self.shard_count is not None:
            checks.require(
                not brought,
                "shard_count",
                self.shard_count,
                "a brought stream keeps its capacity",
                "null with stream_arn",
            )
            checks.require(1 <= self.shard_count <= 500, "shard_count", self.shard_count, "out of range", "1-500")
        checks.require(
            self.retention_hours in RETENTION_HOURS,
            "retention_hours",
            self.retention_hours,
            "out of range",
            "24-8760 (1-365 days)",
        )
        if self.consumer_name is not None:
            checks.require(
                bool(_CONSUMER_NAME.match(self.consumer_name)),
                "consumer_name",
                self.consumer_name,
                "not a Kinesis consumer name",
                "letters, digits, '_', '.' and '-', 1-128 characters",
            )
        return checks.problems


class KinesisStream(Construct):
    """An encrypted Kinesis data stream that streaming jobs read and producers write.

    A created stream is encrypted with its own KMS key (rotation on); stream and key are RETAINed unless
    ``removal_policy=DESTROY`` is passed *and* the app runs with ``-c emr-platform:allow-destroy=true``.
    With ``consumer_name``, an enhanced fan-out consumer is registered (``Consumer``) and read grants cover it.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: KinesisStreamProps = KinesisStreamProps(),
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props
        self.key: kms.IKey | None
        if props.stream_arn is not None:
            self.key = brought_key(self, props.key_arn)
            record_brought(self, ("kinesis-stream", props.stream_arn), ("kms-key", props.key_arn))
            self.stream: kinesis.IStream = kinesis.Stream.from_stream_attributes(
                self, "Resource", stream_arn=props.stream_arn, encryption_key=self.key
            )
        else:
            policy = safe_removal_policy(self, removal_policy)
            self.key = own_key(self, "Kinesis data stream", policy)
            self.stream = kinesis.Stream(
                self,
                "Resource",
                encryption=kinesis.StreamEncryption.KMS,
                encryption_key=self.key,
                stream_mode=kinesis.StreamMode.PROVISIONED
                if props.shard_count is not None
                else kinesis.StreamMode.ON_DEMAND,
                shard_count=props.shard_count,
                retention_period=Duration.hours(props.retention_hours),
                removal_policy=policy,
            )
            acknowledge(self.stream, ["AwsSolutions-KDS3"], _KEY_REASON)
        self.consumer: kinesis.StreamConsumer | None = (
            kinesis.StreamConsumer(self, "Consumer", stream=self.stream, stream_consumer_name=props.consumer_name)
            if props.consumer_name is not None
            else None
        )

    @property
    def stream_name(self) -> str:
        """What the streaming workload's ``--stream-name`` takes."""
        return self.stream.stream_name

    @property
    def stream_arn(self) -> str:
        return self.stream.stream_arn

    @checked_arguments
    def grant_read(self, compute: IDataCompute) -> iam.Grant:
        """Read this stream (and through its enhanced fan-out consumer, if any); decrypt with its key."""
        grant = iam.Grant.add_to_principal(
            grantee=compute.role, actions=list(STREAM_READ_ACTIONS), resource_arns=[self.stream_arn]
        )
        if self.consumer is not None:
            grant = grant.combine(
                iam.Grant.add_to_principal(
                    grantee=compute.role,
                    actions=list(CONSUMER_READ_ACTIONS),
                    resource_arns=[self.consumer.stream_consumer_arn],
                )
            )
        return self._grant_key(grant, compute, KEY_READ_ACTIONS)

    @checked_arguments
    def grant_write(self, compute: IDataCompute) -> iam.Grant:
        """Put records on this stream; encrypt with its key."""
        grant = iam.Grant.add_to_principal(
            grantee=compute.role, actions=list(STREAM_WRITE_ACTIONS), resource_arns=[self.stream_arn]
        )
        return self._grant_key(grant, compute, KEY_WRITE_ACTIONS)

    def _grant_key(self, grant: iam.Grant, compute: IDataCompute, actions: tuple[str, ...]) -> iam.Grant:
        return grant_with_key(grant, compute.role, self.key, actions)
