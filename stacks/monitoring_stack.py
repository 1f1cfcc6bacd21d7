"""Alarms, event routing, the notification topic and the dashboards of one environment."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from emr_constructs.catalog import GlueJob, ZoneCrawler
from emr_constructs.cluster import EmrCluster
from emr_constructs.monitoring import PlatformMonitoring, ServerlessMonitor, WorkloadMonitoring
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.warehouse import Warehouse
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings


class MonitoringStack(PlatformStack):
    """The notification topic (its key is retained), and what watches the Glue jobs, crawlers and the warehouse.

    The clusters are watched from one :class:`ComputeMonitoringStack` per compute stack, so this stack stays
    the same size however many clusters the environment runs.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        glue_jobs: Sequence[GlueJob],
        crawlers: Sequence[ZoneCrawler],
        warehouse: Warehouse,
    ) -> None:
        super().__init__(scope, id, settings=settings, description="alarms, event routing, notifications, dashboard")
        self.monitoring = PlatformMonitoring(
            self,
            "Monitoring",
            props=settings.monitoring,
            glue_jobs=glue_jobs,
            crawlers=crawlers,
            warehouses=[warehouse],
            removal_policy=self.stateful_removal_policy,
        )
        self.export(
            "NotificationTopicArn",
            self.monitoring.topic.topic_arn,
            name="NotificationTopicArn",
            description="SNS topic that receives the platform's alarms and failure events",
        )


class ComputeMonitoringStack(PlatformStack):
    """The alarms, cluster event rules and dashboard of one compute stack's clusters (``<compute stack>Monitoring``),
    notifying the environment's topic. Nothing in it is stateful."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        compute_stack_id: str,
        platform: PlatformMonitoring,
        clusters: Sequence[EmrCluster],
        applications: Sequence[EmrServerlessApplication] = (),
    ) -> None:
        super().__init__(scope, id, settings=settings, description=f"alarms and dashboard of {compute_stack_id}")
        name = settings.monitoring.dashboard_name
        self.monitoring = WorkloadMonitoring(
            self,
            "Monitoring",
            platform=platform,
            clusters=clusters,
            monitors=[ServerlessMonitor(applications)] if applications else [],
            dashboard_name=f"{name}-{compute_stack_id}" if name else None,
        )
