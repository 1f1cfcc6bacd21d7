"""What a source or sink grants access to: a compute principal, whatever runs the job.

An EMR cluster (its instance role and node groups), an EMR Serverless application (its runtime role and
workers' group) and a Glue job (its role, and the group of its VPC connection if it has one) all reach a data
source the same way: IAM through a role, the network through security groups. Sources grant to
:class:`IDataCompute`, so one grant method serves every kind of compute instead of one method per kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from emr_constructs.arguments import describe_as


@runtime_checkable
class IDataCompute(Protocol):
    """A role that runs jobs, and the security groups its network traffic leaves from."""

    @property
    def role(self) -> iam.IRole:
        """The role the job's code runs as (EMR instance role, serverless runtime role, Glue job role)."""
        ...

    @property
    def security_groups(self) -> Sequence[ec2.ISecurityGroup]:
        """Groups a source admits on its port; empty for compute outside the VPC (a Glue job without connection)."""
        ...


describe_as(IDataCompute, "DataCompute.of_cluster(...), .of_serverless(...), .of_glue_job(...)")


@dataclass(frozen=True)
class DataCompute:
    """The plain :class:`IDataCompute`: a role and its groups. The ``of_*`` helpers read them off the library's
    compute constructs (by attribute, so a team's own construct with the same attributes fits too)."""

    role: iam.IRole
    security_groups: tuple[ec2.ISecurityGroup, ...] = ()

    @classmethod
    def of_cluster(cls, cluster: Any) -> DataCompute:
        """An :class:`~emr_constructs.cluster.EmrCluster`: its instance role, its primary and core/task groups."""
        return cls(role=cluster.instance_role, security_groups=tuple(cluster.security_groups.cluster_groups))

    @classmethod
    def of_serverless(cls, application: Any) -> DataCompute:
        """An :class:`~emr_constructs.serverless.EmrServerlessApplication`: runtime role and workers' group."""
        return cls(role=application.runtime_role, security_groups=(application.security_group,))

    @classmethod
    def of_glue_job(cls, job: Any, security_groups: Sequence[ec2.ISecurityGroup] = ()) -> DataCompute:
        """A :class:`~emr_constructs.catalog.GlueJob`: its role, and the groups of its VPC connection, if any."""
        return cls(role=job.role, security_groups=tuple(security_groups))
