"""Bring-your-own network: an existing VPC described by settings, imported without lookups."""

from __future__ import annotations

from aws_cdk import Annotations, Stack, Token
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks
from emr_constructs.network.props import ExistingNetworkProps, region_of_availability_zone


class ExistingNetwork(Construct):
    """An existing VPC and its private subnets, for clusters and Redshift to use.

    Built with ``ec2.Vpc.from_vpc_attributes`` from the ids in ``props``, so ``cdk synth`` never calls
    AWS and nothing is created or changed in that VPC. The subnets must already carry the tag
    ``for-use-with-amazon-emr-managed-policies=true`` (imported resources cannot be tagged by CDK), and
    the VPC needs an S3 gateway endpoint or NAT for the cluster to reach S3.
    """

    @checked_arguments
    def __init__(self, scope: Construct, id: str, *, props: ExistingNetworkProps) -> None:
        super().__init__(scope, id)
        checks = Checks.of(props)
        region = Stack.of(self).region
        if not Token.is_unresolved(region):
            for index, zone in enumerate(props.availability_zones):
                zone_region = region_of_availability_zone(zone)
                checks.require(
                    zone_region is None or zone_region == region,
                    f"availability_zones[{index}]",
                    zone,
                    f"AZ of another region than the stack's ({region})",
                    f"an AZ of {region}",
                )
        checks.raise_if_any(self.node.path)
        self.props = props
        self.vpc: ec2.IVpc = ec2.Vpc.from_vpc_attributes(
            self,
            "Resource",
            vpc_id=props.vpc_id,
            vpc_cidr_block=props.vpc_cidr,
            availability_zones=list(props.availability_zones),
            private_subnet_ids=list(props.private_subnet_ids),
            private_subnet_route_table_ids=list(props.private_route_table_ids) or None,
        )
        self.cluster_subnets: list[ec2.ISubnet] = list(self.vpc.private_subnets)
        self.availability_zones: list[str] = list(props.availability_zones)
        if not props.private_route_table_ids:
            for subnet in self.cluster_subnets:
                Annotations.of(subnet).acknowledge_warning(
                    "@aws-cdk/aws-ec2:noSubnetRouteTableId",
                    "private_route_table_ids not set: the library adds no routes or gateway endpoints to an "
                    "existing network, so nothing reads these route tables.",
                )
