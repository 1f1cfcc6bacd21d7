#!/usr/bin/env python3
"""A team's own CDK app built only on the installed ``emr_constructs`` package (nothing from this repository).

A network, a lake, a catalog, a serverless warehouse, a fleet cluster with spot task capacity and monitoring,
wired with the library's grants, checked by the library's policy packs and CloudFormation limits. The cluster's
capacity is kept as data (``settings/cluster.json``) and parsed with ``ClusterProps.from_file``.

    cdk synth          # or: python app.py
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from aws_cdk import App, Stack

from emr_constructs import EmrConfigError
from emr_constructs.catalog import DataCatalog, ZonePrefix, grant_zone_access
from emr_constructs.cluster import ClusterProps, EmrCluster
from emr_constructs.discovery_tags import tag_platform_environment
from emr_constructs.guard import add_guard_validator
from emr_constructs.limits import CloudFormationLimits
from emr_constructs.monitoring import MonitoringProps, PlatformMonitoring
from emr_constructs.network import DataPlatformVpc, EmrSecurityGroups
from emr_constructs.platform_outputs import PlatformOutputs
from emr_constructs.policy import add_policy_packs
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import Warehouse, spark_redshift_configurations

HERE = Path(__file__).resolve().parent


class SalesPlatform(Stack):
    """Everything of the sales team's platform in one stack (a small team: no cross-stack references)."""

    def __init__(self, scope: App, id: str) -> None:
        super().__init__(scope, id, description="Sales team EMR platform")
        props = ClusterProps.from_file(HERE / "settings" / "cluster.json")
        # The Spark-Redshift connector's settings for this release, next to the cluster's own.
        connector = spark_redshift_configurations(props.release_label)
        props = dataclasses.replace(props, configurations=(*props.configurations, *connector))
        network = DataPlatformVpc(self, "Network")
        lake = DataLake(self, "Lake")
        catalog = DataCatalog(self, "Catalog", lake=lake)
        warehouse = Warehouse(self, "Warehouse", network=network, lake=lake, catalog=catalog)
        groups = EmrSecurityGroups(self, "EmrGroups", vpc=network.vpc)
        cluster = EmrCluster(
            self,
            "Etl",
            props=props,
            network=network,
            security_groups=groups,
            log_bucket=lake.bucket(Zone.LOGS),
            encryption_key=lake.key,
            artifacts_bucket=lake.bucket(Zone.ARTIFACTS),
        )
        grant_zone_access(
            lake,
            catalog,
            cluster.instance_role,
            read=(ZonePrefix(zone=Zone.RAW, prefix="sales/"),),
            write=(ZonePrefix(zone=Zone.CURATED, prefix="sales/"),),
        )
        warehouse.grant_data_api(cluster.instance_role)
        # What emr-platform needs to find this app: the environment tag (clusters carry their name tag) and
        # the lake's buckets and key under the export names it reads.
        tag_platform_environment(self, "sales")
        PlatformOutputs(self, "PlatformOutputs", environment="sales", lake=lake)
        PlatformMonitoring(
            self,
            "Monitoring",
            props=MonitoringProps(email_subscribers=("data-oncall@sales.example.net",)),
            clusters=[cluster],
            warehouses=[warehouse],
        )


def main() -> int:
    app = App()
    try:
        SalesPlatform(app, "SalesPlatform")
    except EmrConfigError as error:
        print(f"error: invalid configuration\n{error}", file=sys.stderr)
        return 1
    CloudFormationLimits.apply(app)
    add_policy_packs(app)
    add_guard_validator(app)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
