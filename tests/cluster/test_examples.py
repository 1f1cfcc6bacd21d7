"""The README's cluster examples, run as written against the library's real network and lake constructs."""

from __future__ import annotations

from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from emr_constructs.cluster import (
    Application,
    ClusterProps,
    EbsVolume,
    EmrCluster,
    InstanceFleet,
    InstanceFleets,
    InstanceTypeConfig,
    ManagedScaling,
    TlsCertificates,
)
from emr_constructs.network import DataPlatformVpc, EmrSecurityGroups
from emr_constructs.storage import DataLake, Zone
from tests.support import CDK_CONTEXT, nag_findings


def smallest(app: App) -> EmrCluster:
    # --- README: the smallest cluster ---
    stack = Stack(app, "Analytics")
    network = DataPlatformVpc(stack, "Network")
    lake = DataLake(stack, "Lake")
    cluster = EmrCluster(
        stack,
        "Cluster",
        network=network,
        security_groups=EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc),
        log_bucket=lake.bucket(Zone.LOGS),
        encryption_key=lake.key,
        artifacts_bucket=lake.bucket(Zone.ARTIFACTS),  # must hold emr/tls/certificates.zip (PEM) before deploy
    )
    # --- end ---
    return cluster


def production(app: App) -> EmrCluster:
    stack = Stack(app, "Production")
    network = DataPlatformVpc(stack, "Network")
    groups = EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc)
    lake = DataLake(stack, "Lake")
    # --- README: a production cluster ---
    cluster = EmrCluster(
        stack,
        "Cluster",
        props=ClusterProps(
            applications=(Application.HADOOP, Application.SPARK, Application.HIVE, Application.LIVY),
            glue_data_catalog=True,
            instance_fleets=InstanceFleets(
                primary=InstanceFleet(
                    instance_types=(InstanceTypeConfig(instance_type="m7g.2xlarge"),),
                    target_on_demand_capacity=3,  # high availability
                ),
                core=InstanceFleet(
                    instance_types=(
                        InstanceTypeConfig(instance_type="r7g.2xlarge", ebs_volumes=(EbsVolume(size_gib=256),)),
                    ),
                    target_on_demand_capacity=4,
                ),
                task=InstanceFleet(
                    instance_types=(
                        InstanceTypeConfig(instance_type="m7g.4xlarge", weighted_capacity=2),
                        InstanceTypeConfig(instance_type="c7g.4xlarge", weighted_capacity=2),
                    ),
                    target_spot_capacity=8,
                ),
            ),
            managed_scaling=ManagedScaling(minimum=12, maximum=60, maximum_on_demand=16),
            auto_termination_idle_seconds=None,  # long-running: managed scaling sizes it instead
            termination_protection=True,
            spread_primary_nodes=True,
        ),
        network=network,
        security_groups=groups,
        log_bucket=lake.bucket(Zone.LOGS),
        encryption_key=lake.key,
        tls_certificates=TlsCertificates.from_bucket(lake.bucket(Zone.ARTIFACTS), "emr/tls/prod-certificates.zip"),
    )
    # --- end ---
    return cluster


def test_readme_examples_synthesize_with_no_nag_findings() -> None:
    app = App(context=CDK_CONTEXT)
    clusters = [smallest(app), production(app)]
    for cluster in clusters:
        Template.from_stack(Stack.of(cluster))
        assert nag_findings(Stack.of(cluster)) == []
