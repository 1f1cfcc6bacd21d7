"""The releases EMR Serverless runs, and the first release of each feature the library validates.

Data, with its sources and retrieval date, in ``releases.json`` next to this module. EMR Serverless starts at
emr-6.6.0 and does not run every EMR on EC2 release (no 5.x, no patch labels such as emr-6.9.1), so this table is
kept apart from the cluster's (``emr_constructs/cluster/releases.json``). Extend it only from the EMR Serverless
User Guide's "Release versions" page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

_TABLE = Path(__file__).with_name("releases.json")
_VERSION = re.compile(r"^emr-(?:[a-z]+-)?(\d+)\.(\d+)\.(\d+)$")


class Feature(StrEnum):
    """Features only some EMR Serverless releases have."""

    ARM64 = "arm64"
    CUSTOM_IMAGES = "custom_images"
    INTERACTIVE = "interactive"
    SHUFFLE_OPTIMIZED_DISKS = "shuffle_optimized_disks"


@dataclass(frozen=True)
class ServerlessReleaseTable:
    releases: dict[str, tuple[str, ...]]
    """Release label -> application types it runs (``Spark``, ``Hive``)."""
    feature_minimums: dict[Feature, str]
    sources: dict[str, str]
    retrieved: str


def version_of(label: str) -> tuple[int, int, int] | None:
    """``emr-7.1.0`` and ``emr-spark-8.0.0`` as comparable versions; ``None`` for anything else."""
    match = _VERSION.match(label)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


@cache
def release_table() -> ServerlessReleaseTable:
    data: dict[str, Any] = json.loads(_TABLE.read_text())
    return ServerlessReleaseTable(
        releases={label: tuple(entry["applications"]) for label, entry in data["releases"].items()},
        feature_minimums={Feature(name): label for name, label in data["feature_minimums"].items()},
        sources=dict(data["sources"]),
        retrieved=str(data["retrieved"]),
    )


def supported_releases() -> tuple[str, ...]:
    """Every release label of the table, oldest first."""
    return tuple(sorted(release_table().releases, key=lambda label: version_of(label) or (0, 0, 0)))


def applications_of(label: str) -> tuple[str, ...]:
    """Application types ``label`` runs (empty for a label not in the table)."""
    return release_table().releases.get(label, ())


def supports(label: str, feature: Feature) -> bool:
    """True when release ``label`` (from the table) has ``feature``."""
    version = version_of(label)
    minimum = version_of(release_table().feature_minimums[feature])
    return version is not None and minimum is not None and version >= minimum


def minimum_release(feature: Feature) -> str:
    return release_table().feature_minimums[feature]
