"""Amazon Redshift next to the lake: the :class:`Warehouse` construct, its props and the EMR connector settings."""

from emr_constructs.warehouse.connector import CONNECTOR_JARS, spark_redshift_configurations
from emr_constructs.warehouse.props import (
    BASE_CAPACITY_ALLOWED,
    NODE_RANGES,
    NodeType,
    ProvisionedProps,
    ServerlessProps,
    WarehouseKind,
    WarehouseProps,
)
from emr_constructs.warehouse.warehouse import Warehouse

__all__ = [
    "BASE_CAPACITY_ALLOWED",
    "CONNECTOR_JARS",
    "NODE_RANGES",
    "NodeType",
    "ProvisionedProps",
    "ServerlessProps",
    "Warehouse",
    "WarehouseKind",
    "WarehouseProps",
    "spark_redshift_configurations",
]
