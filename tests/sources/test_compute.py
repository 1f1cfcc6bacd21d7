"""DataCompute: the role and groups each kind of compute is granted through."""

from __future__ import annotations

from types import SimpleNamespace

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from emr_constructs.arguments import conforms
from emr_constructs.sources import DataCompute, IDataCompute
from tests.support import new_stack


def test_each_kind_of_compute_gives_its_role_and_groups() -> None:
    stack = new_stack()
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d", availability_zones=["us-east-1a"])
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    primary, core, workers = (ec2.SecurityGroup(stack, name, vpc=vpc) for name in ("Primary", "Core", "Workers"))

    cluster = SimpleNamespace(instance_role=role, security_groups=SimpleNamespace(cluster_groups=(primary, core)))
    assert DataCompute.of_cluster(cluster) == DataCompute(role=role, security_groups=(primary, core))
    application = SimpleNamespace(runtime_role=role, security_group=workers)
    assert DataCompute.of_serverless(application) == DataCompute(role=role, security_groups=(workers,))
    job = SimpleNamespace(role=role)
    assert DataCompute.of_glue_job(job) == DataCompute(role=role, security_groups=())
    assert DataCompute.of_glue_job(job, [workers]).security_groups == (workers,)
    assert conforms(DataCompute(role=role), IDataCompute)
    assert not conforms(role, IDataCompute)
