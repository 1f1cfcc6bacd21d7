"""Platform monitoring: alarms, event routing, an encrypted notification topic and a dashboard per environment.

Smallest use::

    PlatformMonitoring(stack, "Monitoring", clusters=[cluster], glue_jobs=[job], crawlers=[crawler])

The watched constructs only need the attributes of the protocols in :mod:`.protocols`. With many clusters,
watch each compute stack's clusters from beside them, notifying the same topic::

    WorkloadMonitoring(compute_monitoring_stack, "Monitoring", platform=monitoring, clusters=clusters)

Other kinds of resources plug in as a :class:`ResourceMonitor` (``monitors=[...]`` on either construct).
"""

from emr_constructs.monitoring.channel import PLACEHOLDER_WARNING, NotificationChannel
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.metrics import EMR_METRICS
from emr_constructs.monitoring.monitor import MonitoringScope, ResourceMonitor
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
from emr_constructs.monitoring.serverless_monitor import MonitoredServerlessApplication, ServerlessMonitor
from emr_constructs.monitoring.workload_monitoring import WorkloadMonitoring

__all__ = [
    "EMR_METRICS",
    "PLACEHOLDER_WARNING",
    "AlarmComparison",
    "AlarmStatistic",
    "ClusterAlarm",
    "EventConcern",
    "MissingData",
    "MonitoredCluster",
    "MonitoredCrawler",
    "MonitoredGlueJob",
    "MonitoredServerlessApplication",
    "MonitoredWarehouse",
    "MonitoringProps",
    "MonitoringScope",
    "NotificationChannel",
    "PeriodsAlarm",
    "PlatformMonitoring",
    "ResourceMonitor",
    "ServerlessMonitor",
    "ThresholdAlarm",
    "WarehouseKind",
    "WorkloadMonitoring",
]
