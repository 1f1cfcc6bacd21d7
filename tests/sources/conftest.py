"""One app holding every source kind, granted to one compute principal per kind, synthesized once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.network import EmrSecurityGroups, ExistingNetwork
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.sources import (
    DatabaseEngine,
    DataCompute,
    DynamoTable,
    DynamoTableProps,
    ExistingDatabaseProps,
    KinesisStream,
    KinesisStreamProps,
    NewDatabaseProps,
    RelationalDatabase,
    RelationalDatabaseProps,
)
from tests.support import TWO_AZ_NETWORK, nag_findings, new_app

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:products-AbCdEf"
KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/orders"
STREAM_ARN = "arn:aws:kinesis:us-east-1:111122223333:stream/clicks"


def compute(stack: Stack, id: str, groups: EmrSecurityGroups | None = None) -> DataCompute:
    role = iam.Role(stack, id, assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    acknowledge_inline_policies(role, "Test stand-in for a compute role.")
    return DataCompute(role=role, security_groups=groups.cluster_groups if groups is not None else ())


@dataclass
class Sources:
    stack: Stack
    template: dict[str, Any]
    groups: EmrSecurityGroups
    created_db: RelationalDatabase
    created_db_compute: DataCompute
    existing_db: RelationalDatabase
    existing_db_compute: DataCompute
    table: DynamoTable
    table_reader: DataCompute
    table_writer: DataCompute
    brought_table: DynamoTable
    brought_table_compute: DataCompute
    stream: KinesisStream
    stream_reader: DataCompute
    stream_writer: DataCompute
    brought_stream: KinesisStream
    brought_stream_compute: DataCompute
    destroy_template: dict[str, Any]
    findings: list[str]


@pytest.fixture(scope="session")
def sources() -> Sources:
    app = new_app(**{"emr-platform:allow-destroy": "true"})
    stack = Stack(app, "Sources")
    net = ExistingNetwork(
        stack,
        "Network",
        props=TWO_AZ_NETWORK,
    )
    groups = EmrSecurityGroups(stack, "EmrGroups", vpc=net.vpc)
    created_db = RelationalDatabase(
        stack, "Products", props=RelationalDatabaseProps(create=NewDatabaseProps()), network=net
    )
    created_db_compute = compute(stack, "CreatedDbRole", groups)
    created_db.grant_connect(created_db_compute)
    created_db.grant_connect(created_db_compute)  # twice: one rule per group still
    existing_db = RelationalDatabase(
        stack,
        "Customers",
        props=RelationalDatabaseProps(
            engine=DatabaseEngine.MYSQL,
            database_name="crm",
            existing=ExistingDatabaseProps(
                endpoint="crm.abc123.us-east-1.rds.amazonaws.com",
                security_group_id="sg-0a1b2c3d",
                secret_arn=SECRET_ARN,
                secret_key_arn=KEY_ARN,
            ),
        ),
    )
    existing_db_compute = compute(stack, "ExistingDbRole", groups)
    existing_db.grant_connect(existing_db_compute)

    table = DynamoTable(stack, "Aggregates", props=DynamoTableProps(sort_key="day"))
    table_reader, table_writer = compute(stack, "TableReader"), compute(stack, "TableWriter")
    table.grant_read(table_reader)
    table.grant_write(table_writer)
    brought_table = DynamoTable(stack, "Orders", props=DynamoTableProps(table_arn=TABLE_ARN))
    brought_table_compute = compute(stack, "BroughtTableRole")
    brought_table.grant_read_write(brought_table_compute)

    stream = KinesisStream(stack, "Clicks", props=KinesisStreamProps(consumer_name="flink-windows"))
    stream_reader, stream_writer = compute(stack, "StreamReader"), compute(stack, "StreamWriter")
    stream.grant_read(stream_reader)
    stream.grant_write(stream_writer)
    brought_stream = KinesisStream(stack, "Events", props=KinesisStreamProps(stream_arn=STREAM_ARN, key_arn=KEY_ARN))
    brought_stream_compute = compute(stack, "BroughtStreamRole")
    brought_stream.grant_read(brought_stream_compute)

    destroy = Stack(app, "Destroy")
    RelationalDatabase(
        destroy,
        "Db",
        props=RelationalDatabaseProps(create=NewDatabaseProps()),
        network=net,
        removal_policy=RemovalPolicy.DESTROY,
    )
    DynamoTable(destroy, "Table", removal_policy=RemovalPolicy.DESTROY)
    KinesisStream(destroy, "Stream", removal_policy=RemovalPolicy.DESTROY)
    return Sources(
        stack=stack,
        template=Template.from_stack(stack).to_json(),
        groups=groups,
        created_db=created_db,
        created_db_compute=created_db_compute,
        existing_db=existing_db,
        existing_db_compute=existing_db_compute,
        table=table,
        table_reader=table_reader,
        table_writer=table_writer,
        brought_table=brought_table,
        brought_table_compute=brought_table_compute,
        stream=stream,
        stream_reader=stream_reader,
        stream_writer=stream_writer,
        brought_stream=brought_stream,
        brought_stream_compute=brought_stream_compute,
        destroy_template=Template.from_stack(destroy).to_json(),
        findings=nag_findings(app),
    )
