"""Orchestration: Step Functions pipelines for EMR steps, transient clusters and EMR Serverless job runs."""

from emr_constructs.orchestration.assets import WorkloadAssets, batch_etl_arguments, streaming_arguments, zone_path
from emr_constructs.orchestration.pipeline import (
    ClusterStepsPipeline,
    IFailureNotifications,
    IServerlessJobTarget,
    IStepCluster,
    ServerlessJobPipeline,
    TransientClusterPipeline,
)
from emr_constructs.orchestration.props import RUN_DATE, PipelineProps, SparkJob, TransientClusterProps

__all__ = [
    "RUN_DATE",
    "ClusterStepsPipeline",
    "IFailureNotifications",
    "IServerlessJobTarget",
    "IStepCluster",
    "PipelineProps",
    "ServerlessJobPipeline",
    "SparkJob",
    "TransientClusterPipeline",
    "TransientClusterProps",
    "WorkloadAssets",
    "batch_etl_arguments",
    "streaming_arguments",
    "zone_path",
]
