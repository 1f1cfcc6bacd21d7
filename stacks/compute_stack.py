"""EMR clusters of one environment, wired to the network, the lake, the catalog and the warehouse."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

from emr_constructs.catalog import DataCatalog, grant_zone_access
from emr_constructs.cluster import EmrCluster
from emr_constructs.network import EmrSecurityGroups, IPlatformNetwork
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.sources import DataCompute, dynamodb_connector_configurations
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import Warehouse, spark_redshift_configurations
from stacks.base import PlatformStack
from stacks.settings import ClusterSettings, EnvironmentSettings, ServerlessSettings
from stacks.sources_stack import SourcesStack


class ComputeStack(PlatformStack):
    """The clusters of ``compute.clusters`` and the applications of ``compute.serverless`` whose ``stack`` is this
    stack's id. Only the applications' CloudWatch log groups and log keys are stateful (S3 logs are in the lake)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        clusters: Mapping[str, ClusterSettings],
        applications: Mapping[str, ServerlessSettings] | None = None,
        network: IPlatformNetwork,
        security_groups: EmrSecurityGroups,
        lake: DataLake,
        catalog: DataCatalog,
        warehouse: Warehouse,
        sources: SourcesStack | None = None,
    ) -> None:
        kinds = "EMR clusters and EMR Serverless applications" if applications else "EMR clusters"
        super().__init__(scope, id, settings=settings, description=kinds)
        if sources is not None:
            # Before any grant: the sources' ingress rules for this stack's groups then live in this stack.
            self.add_stack_dependency(sources)
        self.clusters: dict[str, EmrCluster] = {}
        for name, spec in clusters.items():
            cluster = EmrCluster(
                self,
                name,
                props=spec.cluster,
                network=network,
                security_groups=security_groups,
                log_bucket=lake.bucket(Zone.LOGS),
                encryption_key=lake.key,
                artifacts_bucket=lake.bucket(Zone.ARTIFACTS),
            )
            grant_zone_access(lake, catalog, cluster.instance_role, read=spec.read, write=spec.write)
            if spec.warehouse_access:
                warehouse.grant_data_api(cluster.instance_role)
                # Releases 6.4-6.9 need the connector's jars named; later ones ship them on the classpath.
                cluster.add_configurations(spark_redshift_configurations(spec.cluster.release_label))
            if sources is not None:
                sources.grant(name, DataCompute.of_cluster(cluster))
                if sources.uses_sink(name):
                    cluster.add_configurations(dynamodb_connector_configurations())
            key = name.lower()
            self.export(f"Cluster{name}Id", cluster.cluster_id, name=f"cluster-{key}-id", description=f"{name} id")
            self.export(
                f"Cluster{name}LogUri", cluster.log_uri, name=f"cluster-{key}-log-uri", description=f"{name} log URI"
            )
            self.clusters[name] = cluster

        self.applications: dict[str, EmrServerlessApplication] = {}
        for name, app_spec in (applications or {}).items():
            application = EmrServerlessApplication(
                self,
                name,
                props=app_spec.application,
                network=network,
                lake=lake,
                removal_policy=self.stateful_removal_policy,
            )
            # Granted exactly like a cluster's instance role, by the same helpers.
            grant_zone_access(lake, catalog, application.runtime_role, read=app_spec.read, write=app_spec.write)
            if app_spec.warehouse_access:
                warehouse.grant_data_api(application.runtime_role)
                application.connect_to(warehouse.security_group, warehouse.port, "Redshift warehouse")
            if sources is not None:
                sources.grant(name, DataCompute.of_serverless(application))
            key = name.lower()
            self.export(
                f"Serverless{name}Id",
                application.application_id,
                name=f"serverless-{key}-id",
                description=f"{name} EMR Serverless application id",
            )
            self.export(
                f"Serverless{name}RoleArn",
                application.runtime_role.role_arn,
                name=f"serverless-{key}-role-arn",
                description=f"{name} job runtime role",
            )
            self.export(
                f"Serverless{name}LogUri",
                application.log_uri,
                name=f"serverless-{key}-log-uri",
                description=f"{name} job log location",
            )
            self.applications[name] = application
