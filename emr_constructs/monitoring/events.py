"""The EventBridge patterns the monitoring routes to its topic, one per concern.

Field names and values come from the services' event references: "Monitoring Amazon EMR events with
CloudWatch" and "Amazon EMR events" (EventBridge events reference), "Automating AWS Glue with EventBridge",
"Amazon Redshift Serverless events", and "EC2 Spot Instance interruption notices". Where an event names the
resource (``clusterId``, ``jobName``, ``crawlerName``), the pattern matches only the monitored resources.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from aws_cdk import aws_events as events


class EventConcern(StrEnum):
    """One EventBridge rule each; the value is the rule's construct id (public API: stable)."""

    CLUSTER_TERMINATED_WITH_ERRORS = "ClusterTerminatedWithErrors"
    STEP_FAILED = "StepFailed"
    CAPACITY_PROBLEM = "CapacityProblem"
    SPOT_INTERRUPTION = "SpotInterruption"
    GLUE_JOB_FAILED = "GlueJobFailed"
    CRAWLER_FAILED = "CrawlerFailed"
    REDSHIFT_SERVERLESS = "RedshiftServerlessEvent"
    SERVERLESS_JOB_RUN_FAILED = "ServerlessJobRunFailed"
    SERVERLESS_APPLICATION_STATE = "ServerlessApplicationState"


#: Instance fleet and group events that report provisioning or resize trouble. They all carry ``clusterId``
#: and a ``severity``; routine resizes are INFO, problems (insufficient capacity, Spot or On-Demand
#: provisioning timeouts, a fleet or group ARRESTED or stuck resizing) are WARN(ING) or ERROR.
EMR_CAPACITY_DETAIL_TYPES: tuple[str, ...] = (
    "EMR Instance Fleet State Change",
    "EMR Instance Group State Change",
    "EMR Instance Fleet Provisioning",
    "EMR Instance Group Provisioning",
    "EMR Instance Fleet Resize",
    "EMR Instance Group Resize",
)
#: EMR's event tables use both "WARN" and "WARNING" for the same severity, so both are matched.
EMR_PROBLEM_SEVERITIES: tuple[str, ...] = ("WARN", "WARNING", "ERROR", "CRITICAL")

#: Every service event Redshift Serverless sends to EventBridge (its CloudTrail API calls are left out).
REDSHIFT_SERVERLESS_DETAIL_TYPES: tuple[str, ...] = (
    "Redshift Serverless Management",
    "Redshift Serverless Data Sharing",
    "Redshift Serverless Rate change",
    "Redshift Serverless Base RPU Change",
    "Redshift Serverless Configuration",
    "Redshift Serverless Monitoring",
    "Redshift Serverless Security",
    "Redshift Serverless Pending",
)


def cluster_terminated_with_errors(cluster_ids: Sequence[str]) -> events.EventPattern:
    """A monitored cluster ended in TERMINATED_WITH_ERRORS (bootstrap failure, step failure with
    TERMINATE_CLUSTER, lost primary node, ...). A plain TERMINATED is the normal end of a transient cluster."""
    return events.EventPattern(
        source=["aws.emr"],
        detail_type=["EMR Cluster State Change"],
        detail={"state": ["TERMINATED_WITH_ERRORS"], "clusterId": list(cluster_ids)},
    )


def step_failed(cluster_ids: Sequence[str]) -> events.EventPattern:
    """A step of a monitored cluster FAILED or was CANCELLED (a cancelled step never ran its work)."""
    return events.EventPattern(
        source=["aws.emr"],
        detail_type=["EMR Step Status Change"],
        detail={"state": ["FAILED", "CANCELLED"], "clusterId": list(cluster_ids)},
    )


def capacity_problem(cluster_ids: Sequence[str]) -> events.EventPattern:
    """A fleet or group of a monitored cluster cannot get or keep its capacity."""
    return events.EventPattern(
        source=["aws.emr"],
        detail_type=list(EMR_CAPACITY_DETAIL_TYPES),
        detail={"severity": list(EMR_PROBLEM_SEVERITIES), "clusterId": list(cluster_ids)},
    )


def spot_interruption() -> events.EventPattern:
    """EC2's two-minute Spot interruption warning. The event carries only ``instance-id`` and
    ``instance-action``, never the EMR cluster, so it cannot be narrowed to the monitored clusters."""
    return events.EventPattern(source=["aws.ec2"], detail_type=["EC2 Spot Instance Interruption Warning"])


def glue_job_failed(job_names: Sequence[str]) -> events.EventPattern:
    """A run of a monitored Glue job ended FAILED, TIMEOUT or STOPPED (Glue sends the state change event for
    SUCCEEDED, FAILED, TIMEOUT and STOPPED)."""
    return events.EventPattern(
        source=["aws.glue"],
        detail_type=["Glue Job State Change"],
        detail={"state": ["FAILED", "TIMEOUT", "STOPPED"], "jobName": list(job_names)},
    )


def crawler_failed(crawler_names: Sequence[str]) -> events.EventPattern:
    """A run of a monitored crawler failed (crawler states in events are Started, Succeeded, Failed)."""
    return events.EventPattern(
        source=["aws.glue"],
        detail_type=["Glue Crawler State Change"],
        detail={"state": ["Failed"], "crawlerName": list(crawler_names)},
    )


def redshift_serverless_event() -> events.EventPattern:
    """Redshift Serverless service events (failed RPU changes, inaccessible secrets or KMS keys, subnets out of
    IP addresses, failed restores, ...). AWS lists their severities and messages but not the fields of their
    ``detail``, so the pattern cannot be narrowed to errors or to one workgroup without guessing: it forwards
    them all, a handful a day. Provisioned clusters send no cluster events to EventBridge at all (only
    zero-ETL integration events); their health is covered by the HealthStatus alarm instead."""
    return events.EventPattern(source=["aws.redshift-serverless"], detail_type=list(REDSHIFT_SERVERLESS_DETAIL_TYPES))
