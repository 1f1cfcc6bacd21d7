"""Where a source's ingress rules live: its own stack, or beside a client group whose stack deploys after it."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.network import ExistingNetwork
from emr_constructs.sources import (
    DataCompute,
    ExistingDatabaseProps,
    NewDatabaseProps,
    RelationalDatabase,
    RelationalDatabaseProps,
)
from tests.sources.conftest import SECRET_ARN
from tests.support import TWO_AZ_NETWORK, new_app


def build(depends: bool) -> tuple[Stack, Stack, RelationalDatabase]:
    app = new_app()
    sources, compute = Stack(app, "Sources"), Stack(app, "Compute")
    if depends:
        compute.add_stack_dependency(sources)
    database = RelationalDatabase(
        sources,
        "Db",
        props=RelationalDatabaseProps(
            existing=ExistingDatabaseProps(endpoint="db.example.internal", security_group_id="sg-0123abcd",
                                           secret_arn=SECRET_ARN)
        ),
    )  # fmt: skip
    vpc = ec2.Vpc.from_vpc_attributes(compute, "Vpc", vpc_id="vpc-0a1b2c3d", availability_zones=["us-east-1a"])
    group = ec2.SecurityGroup(compute, "Workers", vpc=vpc, allow_all_outbound=False)
    role = iam.Role(compute, "Runtime", assumed_by=iam.ServicePrincipal("emr-serverless.amazonaws.com"))
    database.grant_connect(DataCompute(role=role, security_groups=(group,)))
    return sources, compute, database


def test_rules_for_a_group_of_a_later_stack_live_beside_the_group() -> None:
    sources, compute, database = build(depends=True)
    assert Template.from_stack(sources).find_resources("AWS::EC2::SecurityGroupIngress") == {}
    ingress = Template.from_stack(compute).find_resources("AWS::EC2::SecurityGroupIngress")
    egress = Template.from_stack(compute).find_resources("AWS::EC2::SecurityGroupEgress")
    assert [k for k in ingress if k.startswith("WorkersToSourcesDb")] == list(ingress)
    assert [k for k in egress if k.startswith("WorkersToSourcesDb")] == list(egress)
    assert len(ingress) == len(egress) == 1 == len(database.ingress_rules) == len(database.egress_rules)
    [rule] = ingress.values()
    assert rule["Properties"]["GroupId"] == "sg-0123abcd" and rule["Properties"]["FromPort"] == 5432


def test_rules_stay_in_the_source_stack_without_that_dependency() -> None:
    # (Synthesized, these two stacks would reference each other: the reason for the dependency above.)
    sources, _, database = build(depends=False)
    assert [Stack.of(rule) for rule in database.ingress_rules + database.egress_rules] == [sources, sources]
    assert [rule.node.id for rule in database.ingress_rules] == ["Client0Ingress"]


def test_a_created_database_publishes_its_secret_name_as_a_parameter() -> None:
    app = new_app()
    stack = Stack(app, "Dev")
    network = ExistingNetwork(
        stack,
        "Network",
        props=TWO_AZ_NETWORK,
    )
    database = RelationalDatabase(
        stack, "Db", props=RelationalDatabaseProps(create=NewDatabaseProps()), network=network
    )
    assert database.secret_name_parameter is not None
    parameter_id = stack.get_logical_id(database.secret_name_parameter.node.default_child)
    assert stack.resolve(database.secret_name) == {"Fn::GetAtt": [parameter_id, "Value"]}
    value = Template.from_stack(stack).to_json()["Resources"][parameter_id]["Properties"]["Value"]
    assert "Fn::Split" in str(value)  # CDK's parse of the secret's ARN, evaluated in the database's own stack
