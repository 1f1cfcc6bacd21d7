"""EMR Serverless: :class:`EmrServerlessApplication`, its props and the library's EMR Serverless release table."""

from emr_constructs.serverless.application import (
    APPLICATION_STATE_CHANGE,
    EVENT_SOURCE,
    JOB_RUN_STATE_CHANGE,
    METRICS_DIMENSION,
    METRICS_NAMESPACE,
    EmrServerlessApplication,
)
from emr_constructs.serverless.props import (
    DISK_RANGES,
    WORKER_MEMORY,
    ApplicationType,
    Architecture,
    DiskType,
    MaximumCapacity,
    ServerlessApplicationProps,
    WorkerGroup,
    WorkerSize,
)
from emr_constructs.serverless.releases import Feature, minimum_release, supported_releases, supports

__all__ = [
    "APPLICATION_STATE_CHANGE",
    "DISK_RANGES",
    "EVENT_SOURCE",
    "JOB_RUN_STATE_CHANGE",
    "METRICS_DIMENSION",
    "METRICS_NAMESPACE",
    "WORKER_MEMORY",
    "ApplicationType",
    "Architecture",
    "DiskType",
    "EmrServerlessApplication",
    "Feature",
    "MaximumCapacity",
    "ServerlessApplicationProps",
    "WorkerGroup",
    "WorkerSize",
    "minimum_release",
    "supported_releases",
    "supports",
]
