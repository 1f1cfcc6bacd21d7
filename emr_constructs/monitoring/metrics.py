"""The CloudWatch metrics the monitoring alarms on and graphs, with the facts that decide how to use them.

Sources: "Monitoring Amazon EMR metrics with CloudWatch" and "Understanding managed scaling metrics" (EMR
Management Guide), "Monitoring AWS Glue using Amazon CloudWatch metrics" (Glue Developer Guide), "Amazon
Redshift performance data" (Redshift Management Guide).
"""

from __future__ import annotations

#: Namespace of the EMR-on-EC2 metrics; every metric has the ``JobFlowId`` dimension (the cluster id).
EMR_NAMESPACE = "AWS/ElasticMapReduce"
EMR_CLUSTER_DIMENSION = "JobFlowId"

#: EMR publishes its cluster metrics every five minutes (not configurable), so an alarm period shorter than
#: this, or not a multiple of it, sees empty periods.
EMR_METRIC_INTERVAL_SECONDS = 300

#: Every metric EMR on EC2 publishes per cluster (Hadoop 2+ releases and managed scaling). Extra cluster
#: alarms must name one of these: a misspelt metric name makes an alarm that never leaves INSUFFICIENT_DATA.
EMR_METRICS: frozenset[str] = frozenset(
    {
        # cluster status
        "IsIdle",
        "ContainerAllocated",
        "ContainerReserved",
        "ContainerPending",
        "ContainerPendingRatio",
        "AppsCompleted",
        "AppsFailed",
        "AppsKilled",
        "AppsPending",
        "AppsRunning",
        "AppsSubmitted",
        # node status
        "CoreNodesRunning",
        "CoreNodesPending",
        "LiveDataNodes",
        "TaskNodesRunning",
        "TaskNodesPending",
        "MRTotalNodes",
        "MRActiveNodes",
        "MRLostNodes",
        "MRUnhealthyNodes",
        "MRDecommissionedNodes",
        "MRRebootedNodes",
        "MultiMasterInstanceGroupNodesRunning",
        "MultiMasterInstanceGroupNodesRunningPercentage",
        "MultiMasterInstanceGroupNodesRequested",
        # IO and HDFS
        "S3BytesWritten",
        "S3BytesRead",
        "HDFSUtilization",
        "HDFSBytesRead",
        "HDFSBytesWritten",
        "MissingBlocks",
        "CorruptBlocks",
        "TotalLoad",
        "MemoryTotalMB",
        "MemoryReservedMB",
        "MemoryAvailableMB",
        "MemoryAllocatedMB",
        "YARNMemoryAvailablePercentage",
        "PendingDeletionBlocks",
        "UnderReplicatedBlocks",
        "DfsPendingReplicationBlocks",
        "CapacityRemainingGB",
        # HBase
        "HbaseBackupFailed",
        "MostRecentBackupDuration",
        "TimeSinceLastSuccessfulBackup",
        # managed scaling (only while managed scaling is enabled)
        "TotalUnitsRequested",
        "TotalNodesRequested",
        "TotalVCPURequested",
        "TotalUnitsRunning",
        "TotalNodesRunning",
        "TotalVCPURunning",
        "CoreUnitsRequested",
        "CoreNodesRequested",
        "CoreVCPURequested",
        "CoreUnitsRunning",
        "CoreVCPURunning",
        "TaskUnitsRequested",
        "TaskNodesRequested",
        "TaskVCPURequested",
        "TaskUnitsRunning",
        "TaskVCPURunning",
    }
)

#: EMR metrics measured in percent: thresholds on them lie in 0-100.
EMR_PERCENT_METRICS: frozenset[str] = frozenset(
    {
        "HDFSUtilization",
        "YARNMemoryAvailablePercentage",
        "LiveDataNodes",
        "MultiMasterInstanceGroupNodesRunningPercentage",
    }
)

#: Glue job metrics (namespace ``Glue``) exist only for jobs run with ``--enable-metrics``; the aggregate of all
#: runs of a job has ``JobRunId=ALL``, and ``Type`` is ``count`` or ``gauge`` depending on the metric.
GLUE_NAMESPACE = "Glue"
GLUE_JOB_METRICS: tuple[tuple[str, str], ...] = (
    ("glue.driver.aggregate.numFailedTasks", "count"),
    ("glue.driver.aggregate.numCompletedTasks", "count"),
    ("glue.driver.aggregate.elapsedTime", "gauge"),
)

#: Redshift Serverless metrics per workgroup (``Workgroup`` dimension).
REDSHIFT_SERVERLESS_NAMESPACE = "AWS/Redshift-Serverless"
#: Provisioned Redshift metrics per cluster (``ClusterIdentifier`` dimension), published every minute.
REDSHIFT_NAMESPACE = "AWS/Redshift"
