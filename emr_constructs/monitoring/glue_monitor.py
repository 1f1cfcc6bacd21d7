"""Glue jobs and crawlers: failed-run rules and two job graphs per dashboard row (no alarms: Glue reports
failures as events)."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_cloudwatch as cloudwatch

from emr_constructs.errors import Problem
from emr_constructs.monitoring import dashboard
from emr_constructs.monitoring import events as patterns
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.monitor import MonitoringScope
from emr_constructs.monitoring.protocols import MonitoredCrawler, MonitoredGlueJob


class GlueMonitor:
    def __init__(self, jobs: Sequence[MonitoredGlueJob], crawlers: Sequence[MonitoredCrawler]) -> None:
        self.jobs = list(jobs)
        self.crawlers = list(crawlers)

    def problems(self) -> list[Problem]:
        return []

    def add_alarms(self, scope: MonitoringScope) -> None:
        return None

    def add_rules(self, scope: MonitoringScope) -> None:
        if self.jobs:
            scope.add_rule(
                EventConcern.GLUE_JOB_FAILED,
                patterns.glue_job_failed([job.job_name for job in self.jobs]),
                "A Glue job of the platform failed, timed out or was stopped",
            )
        if self.crawlers:
            scope.add_rule(
                EventConcern.CRAWLER_FAILED,
                patterns.crawler_failed([crawler.crawler_name for crawler in self.crawlers]),
                "A Glue crawler of the platform failed",
            )

    def widget_rows(self, scope: MonitoringScope) -> list[list[cloudwatch.IWidget]]:
        widgets = dashboard.glue_job_widgets(self.jobs, scope.props.cluster_period_seconds)
        return [widgets[start : start + 2] for start in range(0, len(widgets), 2)]
