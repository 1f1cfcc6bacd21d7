"""Tiny stand-ins for the watched constructs: raw L1 resources wrapped to the monitoring's protocols."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_emr as emr
from aws_cdk import aws_glue as glue
from aws_cdk import aws_redshift as redshift
from aws_cdk import aws_redshiftserverless as redshiftserverless
from aws_cdk.assertions import Template
from constructs import Construct, Node

from emr_constructs.monitoring import WarehouseKind


@dataclass(frozen=True)
class Cluster:
    resource: CfnResource
    node: Node
    cluster_id: str
    auto_terminates: bool


@dataclass(frozen=True)
class GlueJob:
    resource: CfnResource
    job_name: str


@dataclass(frozen=True)
class Crawler:
    resource: CfnResource
    crawler_name: str


@dataclass(frozen=True)
class Warehouse:
    resource: CfnResource
    node: Node
    kind: str
    identifier: str


def emr_cluster(scope: Construct, id: str, *, auto_terminates: bool = False) -> Cluster:
    cfn = emr.CfnCluster(
        scope,
        id,
        name=id.lower(),
        instances=emr.CfnCluster.JobFlowInstancesConfigProperty(),
        job_flow_role="EMR_EC2_DefaultRole",
        service_role="EMR_DefaultRole",
        release_label="emr-7.5.0",
    )
    return Cluster(cfn, cfn.node, cfn.ref, auto_terminates)


def glue_job(scope: Construct, id: str) -> GlueJob:
    cfn = glue.CfnJob(scope, id, command=glue.CfnJob.JobCommandProperty(name="glueetl"), role="GlueRole")
    return GlueJob(cfn, cfn.ref)


def crawler(scope: Construct, id: str) -> Crawler:
    cfn = glue.CfnCrawler(scope, id, role="GlueRole", targets=glue.CfnCrawler.TargetsProperty())
    return Crawler(cfn, cfn.ref)


def serverless_warehouse(scope: Construct, id: str) -> Warehouse:
    cfn = redshiftserverless.CfnWorkgroup(scope, id, workgroup_name=f"{id.lower()}-workgroup")
    return Warehouse(cfn, cfn.node, WarehouseKind.SERVERLESS, cfn.ref)


def provisioned_warehouse(scope: Construct, id: str) -> Warehouse:
    cfn = redshift.CfnCluster(
        scope, id, cluster_type="single-node", db_name="dev", master_username="admin", node_type="ra3.xlplus"
    )
    return Warehouse(cfn, cfn.node, WarehouseKind.PROVISIONED, cfn.ref)


def cross_stack_ref(producer: Stack, resource: CfnResource) -> dict[str, Any]:
    """How ``resource``'s ``Ref`` appears in another stack's template (cdk.json asks for weak references)."""
    logical_id = producer.resolve(resource.logical_id)
    outputs = Template.from_stack(producer).to_json().get("Outputs", {})
    names = [name for name, output in outputs.items() if output["Value"] == {"Ref": logical_id}]
    assert len(names) == 1, f"no single output for {logical_id}: {names}"
    return {
        "Fn::GetStackOutput": {
            "StackName": producer.stack_name,
            "Region": {"Ref": "AWS::Region"},
            "OutputName": names[0],
        }
    }
