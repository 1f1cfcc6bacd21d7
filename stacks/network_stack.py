"""The network of one environment: a VPC built for EMR (or an existing one) and the EMR security groups."""

from __future__ import annotations

from constructs import Construct

from emr_constructs.network import (
    DataPlatformVpc,
    EmrEgress,
    EmrSecurityGroups,
    ExistingNetwork,
    IPlatformNetwork,
    VpcProps,
)
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings


class NetworkStack(PlatformStack):
    """VPC, endpoints, flow logs and the EMR security groups; exposes ``network`` and ``security_groups``."""

    def __init__(self, scope: Construct, id: str, *, settings: EnvironmentSettings) -> None:
        super().__init__(scope, id, settings=settings, description="VPC, endpoints, flow logs, EMR security groups")
        section = settings.network
        self.network: IPlatformNetwork
        if section.existing is not None:
            self.network = ExistingNetwork(self, "Network", props=section.existing)
        else:
            self.network = DataPlatformVpc(
                self, "Network", props=section.vpc or VpcProps(), removal_policy=self.stateful_removal_policy
            )
        # A VPC without NAT reaches AWS only through its endpoints: the EMR groups then send nothing else out.
        endpoints = getattr(self.network, "endpoint_security_group", None)
        isolated = isinstance(self.network, DataPlatformVpc) and self.network.props.nat_gateways == 0
        restricted = isolated and endpoints is not None
        self.security_groups = EmrSecurityGroups(
            self,
            "EmrSecurityGroups",
            vpc=self.network.vpc,
            egress=EmrEgress.VPC_ENDPOINTS if restricted else EmrEgress.OPEN,
            endpoint_security_group=endpoints if restricted else None,
        )
