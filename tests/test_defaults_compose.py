"""Default constructs compose: every construct with only its required arguments, wired together, synthesizes
with zero findings, in an environment-agnostic stack and in a region-specific one (named AZs, no lookups)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aws_cdk import Environment, Stack
from aws_cdk.assertions import Template

from emr_constructs.catalog import DataCatalog
from emr_constructs.cluster import EmrCluster
from emr_constructs.monitoring import PlatformMonitoring
from emr_constructs.network import DataPlatformVpc, EmrSecurityGroups, VpcProps
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import Warehouse
from tests.support import assert_no_nag_findings, new_app

REGION = "eu-west-1"


@dataclass
class Composed:
    stack: Stack
    template: Template


def compose(env: Environment | None) -> Composed:
    app = new_app()
    stack = Stack(app, "Team", env=env)
    # A region-specific stack names its AZs (the only required setting there: otherwise CDK would look them up).
    vpc_props = VpcProps(availability_zones=(f"{REGION}a", f"{REGION}b", f"{REGION}c")) if env else VpcProps()
    network = DataPlatformVpc(stack, "Network", props=vpc_props)
    lake = DataLake(stack, "Lake")
    catalog = DataCatalog(stack, "Catalog", lake=lake)
    groups = EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc)
    cluster = EmrCluster(
        stack,
        "Cluster",
        network=network,
        security_groups=groups,
        log_bucket=lake.bucket(Zone.LOGS),
        encryption_key=lake.key,
        artifacts_bucket=lake.bucket(Zone.ARTIFACTS),
    )
    warehouse = Warehouse(stack, "Warehouse", network=network, lake=lake, catalog=catalog)
    PlatformMonitoring(stack, "Monitoring", clusters=[cluster], warehouses=[warehouse])
    return Composed(stack=stack, template=Template.from_stack(stack))


@pytest.fixture(scope="module", params=["agnostic", "regional"])
def composed(request: pytest.FixtureRequest) -> Composed:
    env = Environment(account="123456789012", region=REGION) if request.param == "regional" else None
    return compose(env)


def test_defaults_fit_together_with_zero_findings(composed: Composed) -> None:
    assert_no_nag_findings(composed.stack)


def test_default_network_gives_the_serverless_warehouse_three_subnets(composed: Composed) -> None:
    composed.template.resource_count_is("AWS::RedshiftServerless::Workgroup", 1)
    workgroup = next(iter(composed.template.find_resources("AWS::RedshiftServerless::Workgroup").values()))
    assert len(workgroup["Properties"]["SubnetIds"]) == 3
    composed.template.resource_count_is("AWS::EMR::Cluster", 1)
