"""Platform monitoring: alarms, event routing, an encrypted notification topic and a dashboard per environment.

Smallest use::

    PlatformMonitoring(stack, "Monitoring", clusters=[cluster], glue_jobs=[job], crawlers=[crawler])

The watched constructs only need the attributes of the protocols in :mod:`.protocols`.
"""

from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.metrics import EMR_METRICS
from emr_constructs.monitoring.platform_monitoring import PlatformMonitoring
from emr_constructs.monitoring.props import (
    AlarmComparison,
    AlarmStatistic,
    ClusterAlarm,
    MissingData,
    MonitoringProps,
    PeriodsAlarm,
    ThresholdAlarm,
)
from emr_constructs.monitoring.protocols import (
    MonitoredCluster,
    MonitoredCrawler,
    MonitoredGlueJob,
    MonitoredWarehouse,
    WarehouseKind,
)

__all__ = [
    "EMR_METRICS",
    "AlarmComparison",
    "AlarmStatistic",
    "ClusterAlarm",
    "EventConcern",
    "MissingData",
    "MonitoredCluster",
    "MonitoredCrawler",
    "MonitoredGlueJob",
    "MonitoredWarehouse",
    "MonitoringProps",
    "PeriodsAlarm",
    "PlatformMonitoring",
    "ThresholdAlarm",
    "WarehouseKind",
]
