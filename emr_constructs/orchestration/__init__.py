"""Orchestration: Step Functions pipelines for EMR steps (Spark and Flink), transient clusters and EMR Serverless
job runs."""

from emr_constructs.orchestration.assets import WorkloadAssets, batch_etl_arguments, streaming_arguments, zone_path
from emr_constructs.orchestration.jars import SparkJars, jar_key_problems, maven_fetch_problems
from emr_constructs.orchestration.pipeline import (
    ClusterStepsPipeline,
    IApplicationsCluster,
    IFailureNotifications,
    IServerlessJobTarget,
    IStepCluster,
    ServerlessJobPipeline,
    TransientClusterPipeline,
)
from emr_constructs.orchestration.props import (
    FLINK_LAUNCHER,
    RUN_DATE,
    FlinkJob,
    PipelineProps,
    SparkJob,
    StepJob,
    TransientClusterProps,
)

__all__ = [
    "FLINK_LAUNCHER",
    "RUN_DATE",
    "ClusterStepsPipeline",
    "FlinkJob",
    "IApplicationsCluster",
    "IFailureNotifications",
    "IServerlessJobTarget",
    "IStepCluster",
    "PipelineProps",
    "ServerlessJobPipeline",
    "SparkJars",
    "SparkJob",
    "StepJob",
    "TransientClusterPipeline",
    "TransientClusterProps",
    "WorkloadAssets",
    "batch_etl_arguments",
    "jar_key_problems",
    "maven_fetch_problems",
    "streaming_arguments",
    "zone_path",
]
