"""What the rest of the library needs from a network, whoever built it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aws_cdk import aws_ec2 as ec2

from emr_constructs.arguments import describe_as


@runtime_checkable
class IPlatformNetwork(Protocol):
    """A VPC plus the subnets clusters, endpoints and Redshift go in.

    :class:`~emr_constructs.network.DataPlatformVpc` (a VPC the library builds) and
    :class:`~emr_constructs.network.ExistingNetwork` (one you bring) both satisfy it, so the cluster
    and Redshift constructs take an ``IPlatformNetwork`` and work with either.
    """

    @property
    def vpc(self) -> ec2.IVpc:
        """The VPC."""
        ...

    @property
    def cluster_subnets(self) -> list[ec2.ISubnet]:
        """Private (or isolated) subnets, one per AZ, tagged for the EMR managed policy."""
        ...


describe_as(IPlatformNetwork, "DataPlatformVpc, or ExistingNetwork for a VPC you bring")
