"""Alarms, event routing, the notification topic and the dashboard of one environment."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from emr_constructs.catalog import GlueJob, ZoneCrawler
from emr_constructs.cluster import EmrCluster
from emr_constructs.monitoring import PlatformMonitoring
from emr_constructs.warehouse import Warehouse
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings


class MonitoringStack(PlatformStack):
    """Watches every cluster, Glue job, crawler and the warehouse of the environment; the topic key is retained."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        clusters: Sequence[EmrCluster],
        glue_jobs: Sequence[GlueJob],
        crawlers: Sequence[ZoneCrawler],
        warehouse: Warehouse,
    ) -> None:
        super().__init__(scope, id, settings=settings, description="alarms, event routing, notifications, dashboard")
        self.monitoring = PlatformMonitoring(
            self,
            "Monitoring",
            props=settings.monitoring,
            clusters=clusters,
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
