"""The data lake of one environment: the KMS key, zone and platform buckets, server access logs."""

from __future__ import annotations

from constructs import Construct

from emr_constructs.storage import DataLake, Zone
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings


class DataLakeStack(PlatformStack):
    """Stateful: retained outside dev, termination-protected where the environment says so."""

    def __init__(self, scope: Construct, id: str, *, settings: EnvironmentSettings) -> None:
        super().__init__(scope, id, settings=settings, description="data lake buckets and KMS key")
        self.lake = DataLake(self, "DataLake", props=settings.data_lake, removal_policy=self.stateful_removal_policy)
        self.export(
            "ArtifactsBucketName",
            self.lake.bucket(Zone.ARTIFACTS).bucket_name,
            name="ArtifactsBucketName",
            description="Bucket for bootstrap scripts and job code (emr-platform submit uploads here)",
        )
        self.export(
            "LogsBucketName",
            self.lake.bucket(Zone.LOGS).bucket_name,
            name="LogsBucketName",
            description="Bucket holding EMR cluster and step logs",
        )
        self.export("DataLakeKeyArn", self.lake.key.key_arn, name="DataLakeKeyArn", description="KMS key of the lake")
