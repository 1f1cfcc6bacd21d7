"""EMR clusters of one environment, wired to the network, the lake, the catalog and the warehouse."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from constructs import Construct

from emr_constructs.catalog import DataCatalog, grant_zone_access
from emr_constructs.cluster import EmrCluster
from emr_constructs.network import EmrSecurityGroups, IPlatformNetwork
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import Warehouse, spark_redshift_configurations
from stacks.base import PlatformStack
from stacks.settings import ClusterSettings, EnvironmentSettings


class ComputeStack(PlatformStack):
    """The clusters of ``compute.clusters`` whose ``stack`` is this stack's id; not stateful (logs are in the lake)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        clusters: Mapping[str, ClusterSettings],
        network: IPlatformNetwork,
        security_groups: EmrSecurityGroups,
        lake: DataLake,
        catalog: DataCatalog,
        warehouse: Warehouse,
    ) -> None:
        super().__init__(scope, id, settings=settings, description="EMR clusters")
        self.clusters: dict[str, EmrCluster] = {}
        for name, spec in clusters.items():
            props = spec.cluster
            if spec.warehouse_access:
                # Releases 6.4-6.9 need the connector's jars named; later ones ship them on the classpath.
                connector = spark_redshift_configurations(props.release_label)
                props = dataclasses.replace(props, configurations=(*props.configurations, *connector))
            cluster = EmrCluster(
                self,
                name,
                props=props,
                network=network,
                security_groups=security_groups,
                log_bucket=lake.bucket(Zone.LOGS),
                encryption_key=lake.key,
                artifacts_bucket=lake.bucket(Zone.ARTIFACTS),
            )
            grant_zone_access(lake, catalog, cluster.instance_role, read=spec.read, write=spec.write)
            if spec.warehouse_access:
                warehouse.grant_data_api(cluster.instance_role)
            key = name.lower()
            self.export(f"Cluster{name}Id", cluster.cluster_id, name=f"cluster-{key}-id", description=f"{name} id")
            self.export(
                f"Cluster{name}LogUri", cluster.log_uri, name=f"cluster-{key}-log-uri", description=f"{name} log URI"
            )
            self.clusters[name] = cluster
