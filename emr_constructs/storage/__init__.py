"""Data-lake storage: zones, the :class:`DataLake` construct and its props."""

from emr_constructs.storage.data_lake import DataLake, lifecycle_rules
from emr_constructs.storage.props import (
    ACCESS_LOGS,
    BUCKET_KEYS,
    DataLakeProps,
    LakeLifecycle,
    ObjectLockMode,
    ZoneLifecycle,
    ZoneObjectLock,
)
from emr_constructs.storage.zones import DATA_ZONES, PLATFORM_ZONES, Zone

__all__ = [
    "ACCESS_LOGS",
    "BUCKET_KEYS",
    "DATA_ZONES",
    "PLATFORM_ZONES",
    "DataLake",
    "DataLakeProps",
    "LakeLifecycle",
    "ObjectLockMode",
    "Zone",
    "ZoneLifecycle",
    "ZoneObjectLock",
    "lifecycle_rules",
]
