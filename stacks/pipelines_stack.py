"""Step Functions pipelines of one environment: the reference workloads as steps or job runs, scheduled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs import Construct

from emr_constructs.cluster import EmrCluster
from emr_constructs.monitoring import PlatformMonitoring
from emr_constructs.orchestration import (
    RUN_DATE,
    ClusterStepsPipeline,
    ServerlessJobPipeline,
    SparkJars,
    StepJob,
    TransientClusterPipeline,
    WorkloadAssets,
    batch_etl_arguments,
    streaming_arguments,
)
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.sources import DataCompute
from emr_constructs.storage import DataLake, Zone
from stacks.base import PlatformStack
from stacks.settings import REPOSITORY_ROOT, EnvironmentSettings, PipelineSettings, Workload
from stacks.sources_stack import SourcesStack

#: Entry point of each workload in ``workloads/`` (shipped with the package on ``--py-files`` or ``-pyfs``).
ENTRY_POINTS = {Workload.BATCH_ETL: "workloads/batch/job.py", Workload.STREAMING: "workloads/streaming/job.py"}


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
        self.pipelines: dict[str, ClusterStepsPipeline | ServerlessJobPipeline | TransientClusterPipeline] = {}
        for name, spec in settings.pipelines.items():
            jars = SparkJars.from_bucket(lake.bucket(Zone.ARTIFACTS), spec.jars) if spec.jars else None
            job = self._job(spec, lake, sources, jars)
            pipeline: ClusterStepsPipeline | ServerlessJobPipeline | TransientClusterPipeline
            # What every pipeline kind takes alike; the branches only say where the job runs.
            common: dict[str, Any] = {
                "jobs": [job],
                "props": spec.pipeline,
                "notifications": monitoring,
                "removal_policy": self.stateful_removal_policy,
            }
            if spec.cluster is not None:
                cluster = clusters[spec.cluster]
                compute = DataCompute.of_cluster(cluster)
                if spec.transient is not None:
                    pipeline = TransientClusterPipeline.like(
                        self, name, cluster=cluster, transient=spec.transient, **common
                    )
                else:
                    pipeline = ClusterStepsPipeline(self, name, cluster=cluster, **common)
            else:
                application = applications[spec.compute]
                compute = DataCompute.of_serverless(application)
                pipeline = ServerlessJobPipeline(self, name, application=application, **common)
            self.assets.grant_read(compute, [spec.workload.value])
            if jars is not None:
                jars.read_policy(self, f"{name}Jars", compute)
            self.pipelines[name] = pipeline
            self.export(
                f"Pipeline{name}Arn",
                pipeline.state_machine_arn,
                name=f"pipeline-{name.lower()}-arn",
                description=f"{name} state machine",
            )

    def _job(self, spec: PipelineSettings, lake: DataLake, sources: SourcesStack, jars: SparkJars | None) -> StepJob:
        """The workload's job, its arguments from the constructs it reads and writes (checked in the settings:
        the sources each workload needs exist), and the brought jars it loads."""
        name = spec.workload.value.replace("_", "-")
        assert sources.sink is not None
        if spec.workload is Workload.STREAMING:
            assert sources.stream is not None
            return self.assets.flink_job(
                spec.workload.value,
                name=name,
                arguments=streaming_arguments(stream=sources.stream, lake=lake, sink=sources.sink),
                jars=jars.uris if jars is not None else (),
                properties=spec.flink_properties,
            )
        assert sources.database is not None
        return self.assets.spark_job(
            spec.workload.value,
            name=name,
            arguments=batch_etl_arguments(
                date=RUN_DATE,
                lake=lake,
                database=sources.database,
                jdbc_table=self.settings.sources.dimension_table,
                sink=sources.sink,
            ),
            spark_submit_options=spec.spark_submit_options,
            jars=jars,
        )
