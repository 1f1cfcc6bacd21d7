"""Network constructs: a VPC built for EMR, an existing VPC brought in, and the EMR security groups.

Other constructs take an :class:`IPlatformNetwork`, which both :class:`DataPlatformVpc` and
:class:`ExistingNetwork` satisfy.
"""

from emr_constructs.network.existing import ExistingNetwork
from emr_constructs.network.interfaces import IPlatformNetwork
from emr_constructs.network.prefix_lists import AwsManagedPrefixList, GatewayService
from emr_constructs.network.props import (
    CLOUDWATCH_RETENTION_DAYS,
    ExistingNetworkProps,
    FlowLogTrafficType,
    InterfaceEndpoint,
    VpcProps,
)
from emr_constructs.network.security_groups import EmrEgress, EmrSecurityGroups
from emr_constructs.network.vpc import DataPlatformVpc

__all__ = [
    "CLOUDWATCH_RETENTION_DAYS",
    "AwsManagedPrefixList",
    "DataPlatformVpc",
    "EmrEgress",
    "EmrSecurityGroups",
    "ExistingNetwork",
    "ExistingNetworkProps",
    "FlowLogTrafficType",
    "GatewayService",
    "IPlatformNetwork",
    "InterfaceEndpoint",
    "VpcProps",
]
