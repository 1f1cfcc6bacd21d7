"""Redshift warehouses: alarms ``WarehouseAlarms/<warehouse id>/<metric>`` for provisioned clusters, the
Redshift Serverless event rule, and one dashboard row per warehouse."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from emr_constructs.errors import Checks, Problem
from emr_constructs.monitoring import dashboard
from emr_constructs.monitoring import events as patterns
from emr_constructs.monitoring.alarms import provisioned_warehouse_alarm_specs
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.metrics import REDSHIFT_NAMESPACE
from emr_constructs.monitoring.monitor import MonitoringScope, unique_ids
from emr_constructs.monitoring.protocols import MonitoredWarehouse, WarehouseKind


class WarehouseMonitor:
    def __init__(self, warehouses: Sequence[MonitoredWarehouse]) -> None:
        self.warehouses = list(warehouses)
        #: Alarms by warehouse ``node.id`` and metric name.
        self.alarms: dict[str, dict[str, cloudwatch.Alarm]] = {}

    def problems(self) -> list[Problem]:
        checks = Checks()
        checks.extend(unique_ids("warehouses", self.warehouses))
        for index, warehouse in enumerate(self.warehouses):
            checks.require(
                warehouse.kind in set(WarehouseKind),
                f"warehouses[{index}].kind",
                str(warehouse.kind),
                "unknown warehouse kind",
                ", ".join(kind.value for kind in WarehouseKind),
            )
        return checks.problems

    def add_alarms(self, scope: MonitoringScope) -> None:
        warehouse_scope = Construct(scope, "WarehouseAlarms")
        period = scope.props.warehouse_period_seconds
        for warehouse in self.warehouses:
            if warehouse.kind != WarehouseKind.PROVISIONED:
                continue
            alarm_scope = Construct(warehouse_scope, warehouse.node.id)
            self.alarms[warehouse.node.id] = {
                spec.key: scope.add_alarm(
                    alarm_scope,
                    spec,
                    cloudwatch.Metric(
                        namespace=REDSHIFT_NAMESPACE,
                        metric_name=spec.metric_name,
                        dimensions_map={"ClusterIdentifier": warehouse.identifier},
                        statistic=spec.statistic,
                        period=Duration.seconds(period),
                    ),
                    f"Redshift cluster {warehouse.node.id} ({warehouse.identifier})",
                    period,
                )
                for spec in provisioned_warehouse_alarm_specs(scope.props)
            }

    def add_rules(self, scope: MonitoringScope) -> None:
        if any(warehouse.kind == WarehouseKind.SERVERLESS for warehouse in self.warehouses):
            scope.add_rule(
                EventConcern.REDSHIFT_SERVERLESS,
                patterns.redshift_serverless_event(),
                "A Redshift Serverless event (any workgroup or namespace of the account and region)",
            )

    def widget_rows(self, scope: MonitoringScope) -> list[list[cloudwatch.IWidget]]:
        period = scope.props.warehouse_period_seconds
        return [dashboard.warehouse_widgets(warehouse, period) for warehouse in self.warehouses]
