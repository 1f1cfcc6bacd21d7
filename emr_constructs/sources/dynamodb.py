"""DynamoDB tables as sources and sinks: brought or created (customer key, point-in-time recovery), table-scoped
grants, and the EMR DynamoDB connector's settings for Hive and Spark as typed cluster configurations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.cluster.configurations import Configuration
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

#: What the EMR DynamoDB connector and the workloads' boto3 sink call (no stream, no index, no admin actions).
TABLE_READ_ACTIONS: tuple[str, ...] = (
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
TABLE_WRITE_ACTIONS: tuple[str, ...] = (
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
)
KEY_READ_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")

#: Where EMR installs the connector on every node (emr-ddb, all supported releases):
#: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/EMRforDynamoDB.html
CONNECTOR_JAR = "/usr/share/aws/emr/ddb/lib/emr-ddb-hadoop.jar"

_BACKUP_REASON = (
    "Point-in-time recovery is on (continuous backups, restorable to any second of the last 35 days) and the table "
    "is retained outside dev; AWS Backup plans are the account's, assigned by tag outside this library."
)
_TABLE_ARN = re.compile(r"^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]{3,255}$")
_ATTRIBUTE = re.compile(r"^.{1,255}$")


class KeyType(StrEnum):
    """DynamoDB key attribute types."""

    STRING = "S"
    NUMBER = "N"
    BINARY = "B"


_ATTRIBUTE_TYPES = {
    KeyType.STRING: dynamodb.AttributeType.STRING,
    KeyType.NUMBER: dynamodb.AttributeType.NUMBER,
    KeyType.BINARY: dynamodb.AttributeType.BINARY,
}


@dataclass(frozen=True, kw_only=True)
class DynamoTableProps(ValidatedProps):
    """A table: bring it (``table_arn``) or let the library create it (the key fields)."""

    table_arn: str | None = None
    """ARN of a table to bring. Default ``None``: create one."""
    key_arn: str | None = None
    """The brought table's customer-managed KMS key, if any (grants then include it). Default ``None``."""
    partition_key: str = "pk"
    """Partition key attribute of a created table. Default ``pk``."""
    partition_key_type: KeyType = KeyType.STRING
    """Its type. Default ``S``."""
    sort_key: str | None = None
    """Sort key attribute of a created table. Default ``None``: no sort key."""
    sort_key_type: KeyType = KeyType.STRING
    """Its type. Default ``S``."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        require_arn(checks, "table_arn", self.table_arn, _TABLE_ARN, "arn:aws:dynamodb:<region>:<account>:table/<name>")
        require_key_arn(checks, "key_arn", self.key_arn)
        checks.require(
            self.key_arn is None or self.table_arn is not None,
            "key_arn",
            self.key_arn,
            "a created table gets its own key",
            "key_arn only with table_arn",
        )
        for field, name in (("partition_key", self.partition_key), ("sort_key", self.sort_key)):
            if name is not None:
                checks.require(
                    bool(_ATTRIBUTE.match(name)), field, name, "not a DynamoDB attribute name", "1-255 characters"
                )
        return checks.problems


class DynamoTable(Construct):
    """A DynamoDB table jobs read (a source) or write (a sink, e.g. a daily aggregate).

    Created tables are on-demand, encrypted with their own customer-managed key (rotation on), with point-in-time
    recovery and deletion protection; table and key are RETAINed unless ``removal_policy=DESTROY`` is passed
    *and* the app runs with ``-c emr-platform:allow-destroy=true`` (deletion protection is then off too).

    Grants name this table only (no index or stream ARN, no ``*``), and its key when it has a customer key.
    Clusters read and write it through the EMR DynamoDB connector: add :func:`dynamodb_connector_configurations`
    to the cluster's ``configurations``.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: DynamoTableProps = DynamoTableProps(),
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        props.raise_if_invalid(self.node.path)
        self.props = props
        self.key: kms.IKey | None
        if props.table_arn is not None:
            self.key = brought_key(self, props.key_arn)
            record_brought(self, ("dynamodb-table", props.table_arn), ("kms-key", props.key_arn))
            self.table: dynamodb.ITable = dynamodb.Table.from_table_attributes(
                self, "Resource", table_arn=props.table_arn, encryption_key=self.key
            )
            return
        policy = safe_removal_policy(self, removal_policy)
        self.key = own_key(self, "DynamoDB table", policy)
        self.table = dynamodb.Table(
            self,
            "Resource",
            partition_key=dynamodb.Attribute(name=props.partition_key, type=_ATTRIBUTE_TYPES[props.partition_key_type]),
            sort_key=dynamodb.Attribute(name=props.sort_key, type=_ATTRIBUTE_TYPES[props.sort_key_type])
            if props.sort_key is not None
            else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=policy != RemovalPolicy.DESTROY,
            removal_policy=policy,
        )
        acknowledge(
            self.table, ["NIST.800.53.R5-DynamoDBInBackupPlan", "HIPAA.Security-DynamoDBInBackupPlan"], _BACKUP_REASON
        )

    @property
    def table_name(self) -> str:
        """What the workloads' ``--sink-table`` and the connector's ``dynamodb.input/output.tableName`` take."""
        return self.table.table_name

    @property
    def table_arn(self) -> str:
        return self.table.table_arn

    @checked_arguments
    def grant_read(self, compute: IDataCompute) -> iam.Grant:
        """Read items of this table (scan, query, get) and describe it; decrypt with its key."""
        return self._grant(compute, TABLE_READ_ACTIONS, KEY_READ_ACTIONS)

    @checked_arguments
    def grant_write(self, compute: IDataCompute) -> iam.Grant:
        """Write items of this table (put, update, delete, batch) and describe it; encrypt with its key."""
        return self._grant(compute, TABLE_WRITE_ACTIONS, KEY_WRITE_ACTIONS)

    @checked_arguments
    def grant_read_write(self, compute: IDataCompute) -> iam.Grant:
        return self._grant(
            compute,
            tuple(sorted({*TABLE_READ_ACTIONS, *TABLE_WRITE_ACTIONS})),
            tuple(sorted({*KEY_READ_ACTIONS, *KEY_WRITE_ACTIONS})),
        )

    def _grant(self, compute: IDataCompute, actions: tuple[str, ...], key_actions: tuple[str, ...]) -> iam.Grant:
        grant = iam.Grant.add_to_principal(grantee=compute.role, actions=list(actions), resource_arns=[self.table_arn])
        return grant_with_key(grant, compute.role, self.key, key_actions)


@dataclass(frozen=True, kw_only=True)
class DynamoDbConnectorProps(ValidatedProps):
    """How much of a table's throughput the EMR DynamoDB connector may use (Hive and Spark)."""

    read_percent: float = 0.5
    """Share of read capacity a job may consume, 0.1-1.5. Default 0.5 (the connector's own default)."""
    write_percent: float = 0.5
    """Share of write capacity, 0.1-1.5. Default 0.5."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        for field, value in (("read_percent", self.read_percent), ("write_percent", self.write_percent)):
            checks.require(
                0.1 <= value <= 1.5,
                field,
                value,
                "outside the range the EMR DynamoDB connector accepts",
                "0.1-1.5",
            )
        return checks.problems


def dynamodb_connector_configurations(
    props: DynamoDbConnectorProps = DynamoDbConnectorProps(),
) -> tuple[Configuration, ...]:
    """``hive-site`` and ``spark-defaults`` configurations for the EMR DynamoDB connector.

    Hive on EMR has the DynamoDB storage handler on its class path; Spark gets the connector jar through
    ``spark.jars`` (``spark.driver.extraClassPath`` is EMR's own and must not be replaced). Pass the result in
    ``ClusterProps.configurations``; the cluster merges configurations of the same classification.
    """
    props.raise_if_invalid("DynamoDbConnectorProps")
    read, write = str(props.read_percent), str(props.write_percent)
    return (
        Configuration(
            classification="hive-site",
            properties={"dynamodb.throughput.read.percent": read, "dynamodb.throughput.write.percent": write},
        ),
        Configuration(
            classification="spark-defaults",
            properties={
                "spark.jars": CONNECTOR_JAR,
                "spark.hadoop.dynamodb.throughput.read.percent": read,
                "spark.hadoop.dynamodb.throughput.write.percent": write,
            },
        ),
    )
