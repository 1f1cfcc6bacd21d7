"""Step Functions pipelines of one environment: the reference workloads as steps or job runs, scheduled."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

from emr_constructs.cluster import EmrCluster
from emr_constructs.monitoring import PlatformMonitoring
from emr_constructs.orchestration import (
    RUN_DATE,
    ClusterStepsPipeline,
    ServerlessJobPipeline,
    SparkJars,
    WorkloadAssets,
    batch_etl_arguments,
)
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.sources import DataCompute
from emr_constructs.storage import DataLake, Zone
from stacks.base import PlatformStack
from stacks.settings import REPOSITORY_ROOT, EnvironmentSettings, Workload
from stacks.sources_stack import SourcesStack

#: Entry point of each workload in ``workloads/`` (shipped with the package on ``--py-files``).
ENTRY_POINTS = {Workload.BATCH_ETL: "workloads/batch/job.py"}


class PipelinesStack(PlatformStack):
    """The ``pipelines`` section: one pipeline per entry, on a cluster (steps) or a serverless application (job
    runs), and the workload code as CDK assets. After the compute stacks: a pipeline names its cluster's id (in
    the compute stack, whose roles the sources stack grants before it), so one stack with both would be a cycle.
    Only the pipelines' log groups and keys are stateful."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        lake: DataLake,
        sources: SourcesStack,
        clusters: Mapping[str, EmrCluster],
        applications: Mapping[str, EmrServerlessApplication],
        monitoring: PlatformMonitoring,
    ) -> None:
        super().__init__(scope, id, settings=settings, description="Step Functions pipelines and workload code")
        used = dict.fromkeys(p.workload for p in settings.pipelines.values())
        self.assets = WorkloadAssets(
            self,
            "Workloads",
            root=REPOSITORY_ROOT,
            package="workloads",
            entry_points={workload.value: ENTRY_POINTS[workload] for workload in used},
        )
        self.pipelines: dict[str, ClusterStepsPipeline | ServerlessJobPipeline] = {}
        for name, spec in settings.pipelines.items():
            assert sources.database is not None and sources.sink is not None  # batch ETL, checked in the settings
            jars = SparkJars.from_bucket(lake.bucket(Zone.ARTIFACTS), spec.jars) if spec.jars else None
            job = self.assets.spark_job(
                spec.workload.value,
                name=spec.workload.value.replace("_", "-"),
                arguments=batch_etl_arguments(
                    date=RUN_DATE,
                    lake=lake,
                    database=sources.database,
                    jdbc_table=settings.sources.dimension_table,
                    sink=sources.sink,
                ),
                spark_submit_options=spec.spark_submit_options,
                jars=jars,
            )
            pipeline: ClusterStepsPipeline | ServerlessJobPipeline
            policy = self.stateful_removal_policy
            if spec.cluster is not None:
                cluster = clusters[spec.cluster]
                pipeline = ClusterStepsPipeline(
                    self,
                    name,
                    cluster=cluster,
                    jobs=[job],
                    props=spec.pipeline,
                    notifications=monitoring,
                    removal_policy=policy,
                )
                compute = DataCompute.of_cluster(cluster)
            else:
                application = applications[spec.compute]
                pipeline = ServerlessJobPipeline(
                    self,
                    name,
                    application=application,
                    jobs=[job],
                    props=spec.pipeline,
                    notifications=monitoring,
                    removal_policy=policy,
                )
                compute = DataCompute.of_serverless(application)
            self.assets.grant_read(compute)
            if jars is not None:
                jars.grant_read(compute)
            self.pipelines[name] = pipeline
            self.export(
                f"Pipeline{name}Arn",
                pipeline.state_machine_arn,
                name=f"pipeline-{name.lower()}-arn",
                description=f"{name} state machine",
            )
