"""EMR Serverless applications: an alarm on failed job runs, rules for failed runs and application state changes,
and a dashboard row per application.

The monitor takes any object with the application's id and its metric and event-pattern helpers
(:class:`~emr_constructs.serverless.EmrServerlessApplication` has them), so monitoring does not import the
serverless package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct, Node

from emr_constructs.errors import Problem
from emr_constructs.monitoring.alarms import NOT_BREACHING, AlarmSpec
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.monitor import MonitoringScope

#: One failed job run is worth a page: a job run's failure is not retried by the service.
FAILED_JOBS = AlarmSpec(
    "FailedJobs",
    "FailedJobs",
    "Sum",
    cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    0,
    1,
    None,
    NOT_BREACHING,
    "Read the run's driver log: emr-platform logs --app NAME RUN_ID.",
)


class MonitoredServerlessApplication(Protocol):
    """What the monitor needs from an EMR Serverless application."""

    @property
    def node(self) -> Node: ...

    @property
    def application_id(self) -> str: ...

    def metric(
        self, metric_name: str, *, statistic: str = "Sum", period: Duration | None = None
    ) -> cloudwatch.Metric: ...

    def job_run_state_change_pattern(self, *states: str) -> events.EventPattern: ...

    def application_state_change_pattern(self) -> events.EventPattern: ...


def _for_all(patterns: Sequence[events.EventPattern], ids: list[str], **detail: list[str]) -> events.EventPattern:
    """One pattern for every application: the service's source and detail type, the applications' ids."""
    return events.EventPattern(
        source=patterns[0].source, detail_type=patterns[0].detail_type, detail={"applicationId": ids, **detail}
    )


class ServerlessMonitor:
    def __init__(self, applications: Sequence[MonitoredServerlessApplication]) -> None:
        self.applications = list(applications)

    def problems(self) -> list[Problem]:
        return []

    def add_alarms(self, scope: MonitoringScope) -> None:
        if not self.applications:
            return
        period = scope.props.cluster_period_seconds
        alarm_scope = Construct(scope, "ServerlessAlarms")
        for application in self.applications:
            metric = application.metric(FAILED_JOBS.metric_name, period=Duration.seconds(period))
            scope.add_alarm(
                Construct(alarm_scope, application.node.id),
                FAILED_JOBS,
                metric,
                f"EMR Serverless application {application.node.id} ({application.application_id})",
                period,
            )

    def add_rules(self, scope: MonitoringScope) -> None:
        if not self.applications:
            return
        ids = [application.application_id for application in self.applications]
        failed = [application.job_run_state_change_pattern("FAILED") for application in self.applications]
        scope.add_rule(
            EventConcern.SERVERLESS_JOB_RUN_FAILED,
            _for_all(failed, ids, state=["FAILED"]),
            "A job run of an EMR Serverless application of the platform failed",
        )
        changes = [application.application_state_change_pattern() for application in self.applications]
        scope.add_rule(
            EventConcern.SERVERLESS_APPLICATION_STATE,
            _for_all(changes, ids),
            "An EMR Serverless application of the platform changed state (created, started, stopped, terminated)",
        )

    def widget_rows(self, scope: MonitoringScope) -> list[list[cloudwatch.IWidget]]:
        period = Duration.seconds(scope.props.cluster_period_seconds)
        return [
            [
                cloudwatch.GraphWidget(
                    title=f"EMR Serverless {application.node.id}: job runs",
                    left=[
                        application.metric("RunningJobs", statistic="Maximum", period=period),
                        application.metric("FailedJobs", period=period),
                        application.metric("SuccessJobs", period=period),
                    ],
                    width=24,
                )
            ]
            for application in self.applications
        ]
