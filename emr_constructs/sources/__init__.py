"""Sources and sinks beyond the lake: relational databases, DynamoDB tables, Kinesis streams.

Each grants to :class:`IDataCompute` (a role and its security groups), so an EMR cluster, an EMR Serverless
application and a Glue job are granted the same way: ``db.grant_connect(DataCompute.of_cluster(cluster))``.
"""

from emr_constructs.sources.compute import DataCompute, IDataCompute
from emr_constructs.sources.database import RelationalDatabase
from emr_constructs.sources.database_props import (
    DatabaseEngine,
    ExistingDatabaseProps,
    NewDatabaseProps,
    RelationalDatabaseProps,
)
from emr_constructs.sources.dynamodb import (
    DynamoDbConnectorProps,
    DynamoTable,
    DynamoTableProps,
    KeyType,
    dynamodb_connector_configurations,
)
from emr_constructs.sources.stream import KinesisStream, KinesisStreamProps

__all__ = [
    "DataCompute",
    "DatabaseEngine",
    "DynamoDbConnectorProps",
    "DynamoTable",
    "DynamoTableProps",
    "ExistingDatabaseProps",
    "IDataCompute",
    "KeyType",
    "KinesisStream",
    "KinesisStreamProps",
    "NewDatabaseProps",
    "RelationalDatabase",
    "RelationalDatabaseProps",
    "dynamodb_connector_configurations",
]
