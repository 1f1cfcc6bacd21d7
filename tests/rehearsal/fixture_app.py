"""A small stand-in for the platform app, following the stack/output contract of issue 9.

Used only until the real app (``app.py`` + ``stacks/``) composes the Network, DataLake and Compute stacks.
"""

from __future__ import annotations

from aws_cdk import App, CfnOutput, RemovalPolicy, Stack, Stage
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct


class _Network(Stack):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)


class _DataLake(Stack):
    def __init__(self, scope: Construct, id: str, *, env_name: str) -> None:
        super().__init__(scope, id)
        self.key = kms.Key(self, "Key", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN)
        self.artifacts = s3.Bucket(self, "ArtifactsBucket", encryption_key=self.key, enforce_ssl=True)
        self.logs = s3.Bucket(self, "LogsBucket", encryption_key=self.key, enforce_ssl=True)
        for name, value in (
            ("ArtifactsBucketName", self.artifacts.bucket_name),
            ("LogsBucketName", self.logs.bucket_name),
            ("DataLakeKeyArn", self.key.key_arn),
        ):
            CfnOutput(self, name, value=value, export_name=f"emr-platform-{env_name}-{name}")


class _Compute(Stack):
    def __init__(self, scope: Construct, id: str, *, env_name: str, network: _Network, lake: _DataLake) -> None:
        super().__init__(scope, id)
        service_role = iam.Role(self, "ServiceRole", assumed_by=iam.ServicePrincipal("elasticmapreduce.amazonaws.com"))
        instance_role = iam.Role(self, "InstanceRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
        lake.artifacts.grant_read(instance_role)
        lake.logs.grant_read_write(instance_role)
        profile = iam.CfnInstanceProfile(self, "InstanceProfile", roles=[instance_role.role_name])
        log_uri = f"s3://{lake.logs.bucket_name}/emr/analytics/"
        fleet = emr.CfnCluster.InstanceTypeConfigProperty
        cluster = emr.CfnCluster(
            self,
            "AnalyticsCluster",
            name=f"{env_name}-analytics",
            release_label="emr-7.5.0",
            applications=[emr.CfnCluster.ApplicationProperty(name=n) for n in ("Spark", "Hadoop")],
            job_flow_role=profile.ref,
            service_role=service_role.role_arn,
            log_uri=log_uri,
            instances=emr.CfnCluster.JobFlowInstancesConfigProperty(
                ec2_subnet_ids=[s.subnet_id for s in network.vpc.private_subnets],
                keep_job_flow_alive_when_no_steps=True,
                master_instance_fleet=emr.CfnCluster.InstanceFleetConfigProperty(
                    name="Primary",
                    target_on_demand_capacity=1,
                    instance_type_configs=[fleet(instance_type="m7g.xlarge")],
                ),
                core_instance_fleet=emr.CfnCluster.InstanceFleetConfigProperty(
                    name="Core",
                    target_on_demand_capacity=2,
                    target_spot_capacity=2,
                    instance_type_configs=[
                        fleet(instance_type="r7g.xlarge", weighted_capacity=1),
                        fleet(instance_type="r6g.xlarge", weighted_capacity=1),
                    ],
                ),
            ),
            managed_scaling_policy=emr.CfnCluster.ManagedScalingPolicyProperty(
                compute_limits=emr.CfnCluster.ComputeLimitsProperty(
                    unit_type="InstanceFleetUnits",
                    minimum_capacity_units=3,
                    maximum_capacity_units=20,
                    maximum_on_demand_capacity_units=5,
                    maximum_core_capacity_units=10,
                )
            ),
        )
        CfnOutput(
            self, "ClusterAnalyticsId", value=cluster.ref, export_name=f"emr-platform-{env_name}-cluster-analytics-id"
        )
        CfnOutput(
            self,
            "ClusterAnalyticsLogUri",
            value=log_uri,
            export_name=f"emr-platform-{env_name}-cluster-analytics-log-uri",
        )


class _Environment(Stage):
    def __init__(self, scope: Construct, name: str) -> None:
        super().__init__(scope, name)
        network = _Network(self, "Network")
        lake = _DataLake(self, "DataLake", env_name=name)
        _Compute(self, "Compute", env_name=name, network=network, lake=lake)


def build(app: App, environments: tuple[str, ...] = ("dev",)) -> None:
    for name in environments:
        _Environment(app, name)
