"""The zones of the data lake: three for data, two for the platform itself."""

from __future__ import annotations

from enum import StrEnum


class Zone(StrEnum):
    """One bucket of the data lake. The value is the settings key and the bucket name suffix."""

    RAW = "raw"
    """Data as it landed, kept to replay pipelines."""
    CURATED = "curated"
    """Cleaned, conformed tables that jobs build from raw."""
    ANALYTICS = "analytics"
    """Aggregates and marts that analysts and Redshift read."""
    LOGS = "logs"
    """EMR cluster logs (``LogUri``) and other service logs; not S3 server access logs."""
    ARTIFACTS = "artifacts"
    """Bootstrap actions, job code and libraries the clusters load."""

    @classmethod
    def data_zones(cls) -> tuple[Zone, ...]:
        """The zones holding business data (raw, curated, analytics), in pipeline order."""
        return DATA_ZONES

    @property
    def is_data(self) -> bool:
        return self in DATA_ZONES


#: Zones that hold business data, in pipeline order.
DATA_ZONES: tuple[Zone, ...] = (Zone.RAW, Zone.CURATED, Zone.ANALYTICS)

#: Zones the platform itself writes to.
PLATFORM_ZONES: tuple[Zone, ...] = (Zone.LOGS, Zone.ARTIFACTS)
