"""One CDK Stage per environment: ``cdk deploy "prod/*"`` deploys exactly prod."""

from __future__ import annotations

from aws_cdk import Environment, PermissionsBoundary, Stage, Tags
from constructs import Construct

from emr_constructs.discovery_tags import tag_platform_environment
from stacks.base import PlatformStack
from stacks.catalog_stack import CatalogStack
from stacks.compute_stack import ComputeStack
from stacks.data_lake_stack import DataLakeStack
from stacks.monitoring_stack import ComputeMonitoringStack, MonitoringStack
from stacks.network_stack import NetworkStack
from stacks.pipelines_stack import PipelinesStack
from stacks.settings import EnvironmentSettings, SourcesSettings
from stacks.sources_stack import SourcesStack
from stacks.studio_stack import StudioStack
from stacks.warehouse_stack import WarehouseStack


class PlatformStage(Stage):
    """The stacks of one environment, composed from its settings and wired by references (never by names).

    Deploy order follows the references: Network, DataLake, then the stacks that use them.
    """

    def __init__(self, scope: Construct, *, settings: EnvironmentSettings) -> None:
        boundary = settings.permissions_boundary
        super().__init__(
            scope,
            settings.name,
            env=Environment(account=settings.account, region=settings.region),
            # CDK sets it on every role of the stage, including its own custom-resource roles.
            permissions_boundary=PermissionsBoundary.from_name(boundary) if boundary else None,
        )
        self.settings = settings
        tag_platform_environment(self, settings.name)
        for key, value in settings.tags.items():
            Tags.of(self).add(key, value)

        self.network = NetworkStack(self, "Network", settings=settings)
        self.data_lake = DataLakeStack(self, "DataLake", settings=settings)
        lake = self.data_lake.lake
        self.catalog = CatalogStack(self, "Catalog", settings=settings, lake=lake)
        self.warehouse = WarehouseStack(
            self,
            "Warehouse",
            settings=settings,
            network=self.network.network,
            security_groups=self.network.security_groups,
            lake=lake,
            catalog=self.catalog.catalog,
        )
        self.monitoring = MonitoringStack(
            self,
            "Monitoring",
            settings=settings,
            glue_jobs=self.catalog.jobs,
            crawlers=self.catalog.catalog.crawlers,
            warehouse=self.warehouse.warehouse,
        )
        self.sources: SourcesStack | None = None
        if settings.sources != SourcesSettings():
            self.sources = SourcesStack(self, "Sources", settings=settings, network=self.network.network)
        self.compute: list[ComputeStack] = []
        #: One per compute stack with clusters: their alarms, rules and dashboard, beside them.
        self.compute_monitoring: list[ComputeMonitoringStack] = []
        compute = settings.compute
        stack_ids = [c.stack for c in compute.clusters.values()] + [a.stack for a in compute.serverless.values()]
        for stack_id in dict.fromkeys(stack_ids):
            members = {n: c for n, c in compute.clusters.items() if c.stack == stack_id}
            applications = {n: a for n, a in compute.serverless.items() if a.stack == stack_id}
            self.compute.append(
                ComputeStack(
                    self,
                    stack_id,
                    settings=settings,
                    clusters=members,
                    applications=applications,
                    network=self.network.network,
                    security_groups=self.network.security_groups,
                    lake=lake,
                    catalog=self.catalog.catalog,
                    warehouse=self.warehouse.warehouse,
                    sources=self.sources,
                )
            )
            if members:
                self.compute_monitoring.append(
                    ComputeMonitoringStack(
                        self,
                        f"{stack_id}Monitoring",
                        settings=settings,
                        compute_stack_id=stack_id,
                        platform=self.monitoring.monitoring,
                        clusters=list(self.compute[-1].clusters.values()),
                        applications=list(self.compute[-1].applications.values()),
                    )
                )

        self.pipelines: PipelinesStack | None = None
        if settings.pipelines:
            assert self.sources is not None  # a pipeline's workload needs its sources (checked in the settings)
            self.pipelines = PipelinesStack(
                self,
                "Pipelines",
                settings=settings,
                lake=lake,
                sources=self.sources,
                clusters={n: c for stack in self.compute for n, c in stack.clusters.items()},
                applications={n: a for stack in self.compute for n, a in stack.applications.items()},
                monitoring=self.monitoring.monitoring,
            )

        self.studio: StudioStack | None = None
        if settings.studio is not None:
            self.studio = StudioStack(
                self,
                "Studio",
                settings=settings,
                props=settings.studio,
                network=self.network.network,
                lake=lake,
                clusters=[c for stack in self.compute for c in stack.clusters.values()],
                applications=[a for stack in self.compute for a in stack.applications.values()],
            )

    @property
    def stacks(self) -> list[PlatformStack]:
        return [c for c in self.node.children if isinstance(c, PlatformStack)]
