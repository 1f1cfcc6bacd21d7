"""The network of one environment: a VPC built for EMR (or an existing one) and the EMR security groups."""

from __future__ import annotations

from constructs import Construct

from emr_constructs.network import DataPlatformVpc, EmrSecurityGroups, ExistingNetwork, IPlatformNetwork, VpcProps
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
        self.security_groups = EmrSecurityGroups(self, "EmrSecurityGroups", vpc=self.network.vpc)
