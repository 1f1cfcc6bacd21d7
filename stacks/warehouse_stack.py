"""The Redshift warehouse of one environment, admitting only the EMR cluster's security groups."""

from __future__ import annotations

from constructs import Construct

from emr_constructs.catalog import DataCatalog
from emr_constructs.network import EmrSecurityGroups, IPlatformNetwork
from emr_constructs.storage import DataLake
from emr_constructs.warehouse import Warehouse
from stacks.base import PlatformStack
from stacks.settings import EnvironmentSettings


class WarehouseStack(PlatformStack):
    """Stateful: the warehouse and its key are retained outside dev."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: EnvironmentSettings,
        network: IPlatformNetwork,
        security_groups: EmrSecurityGroups,
        lake: DataLake,
        catalog: DataCatalog,
    ) -> None:
        super().__init__(scope, id, settings=settings, description="Redshift warehouse")
        self.warehouse = Warehouse(
            self,
            "Warehouse",
            props=settings.warehouse,
            network=network,
            lake=lake,
            catalog=catalog,
            client_security_groups=security_groups.cluster_groups,
            removal_policy=self.stateful_removal_policy,
        )
