"""Orchestration: Step Functions pipelines for EMR steps, transient clusters and EMR Serverless job runs."""

from emr_constructs.orchestration.pipeline import (
    ClusterStepsPipeline,
    IFailureNotifications,
    IServerlessJobTarget,
    IStepCluster,
    ServerlessJobPipeline,
)
from emr_constructs.orchestration.props import PipelineProps, SparkJob

__all__ = [
    "ClusterStepsPipeline",
    "IFailureNotifications",
    "IServerlessJobTarget",
    "IStepCluster",
    "PipelineProps",
    "ServerlessJobPipeline",
    "SparkJob",
]
