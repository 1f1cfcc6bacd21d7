"""The Amazon EMR releases the library supports, their applications, and the release a feature needs.

The table is data shipped with the package (``releases.json``, each fact with the EMR documentation page it
was read from), loaded once. A release label outside the table is an error that names the supported ones:
the library only promises synth-time checks it can back with data. Extend the table from the EMR Release
Guide, never by guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

#: ``emr-<major>.<minor>.<patch>``, as RunJobFlow's ``ReleaseLabel`` expects.
RELEASE_LABEL_PATTERN = re.compile(r"^emr-(\d+)\.(\d+)\.(\d+)$")

Version = tuple[int, int, int]


def parse_release_label(label: str) -> Version | None:
    """``(major, minor, patch)`` of ``emr-7.14.0``, or ``None`` when ``label`` is not of that form."""
    match = RELEASE_LABEL_PATTERN.match(label)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


class Feature(StrEnum):
    """Cluster features that only some releases have (keys of ``features`` in ``releases.json``)."""

    MANAGED_SCALING = "managed_scaling"
    AUTO_TERMINATION = "auto_termination"
    STEP_CONCURRENCY = "step_concurrency"
    LOG_ENCRYPTION = "log_encryption"
    HA_PRIMARY_INSTANCE_GROUPS = "ha_primary_instance_groups"
    HA_PRIMARY_INSTANCE_FLEETS = "ha_primary_instance_fleets"
    EBS_ROOT_VOLUME_IOPS_THROUGHPUT = "ebs_root_volume_iops_throughput"
    IMDSV2 = "imdsv2"
    EBS_ENCRYPTION_KMS = "ebs_encryption_kms"
    GLUE_DATA_CATALOG = "glue_data_catalog"

    def supported_by(self, label: str, region: str | None = None) -> bool:
        """Whether release ``label`` (any well-formed label, in the table or not) has this feature, in ``region``
        when given (some Regions need later releases)."""
        return self.range_in(region).supported_by(label)

    def describe(self, region: str | None = None) -> str:
        """The releases that have this feature (in ``region``), for error messages."""
        return self.range_in(region).describe()

    def range_in(self, region: str | None) -> ReleaseRange:
        feature = _table().features[self]
        if region is not None:
            for restriction in feature.regional:
                if region in restriction.regions:
                    return restriction
        return feature

    @property
    def source(self) -> str:
        """The EMR documentation page the minimum was read from."""
        return _table().features[self].source


@dataclass(frozen=True)
class ReleaseRange:
    """Which releases have something: a minimum per major line, exclusions, and releases outside that rule."""

    minimum_by_major: dict[int, Version]
    excluded: frozenset[str] = frozenset()
    also_supported: frozenset[str] = frozenset()
    source: str = ""
    regions: frozenset[str] = frozenset()
    """For a regional restriction: the Regions it applies to."""
    regional: tuple[ReleaseRange, ...] = ()
    """Ranges that replace this one in some Regions."""

    def supported_by(self, label: str) -> bool:
        version = parse_release_label(label)
        if version is None:
            return False
        if label in self.also_supported:
            return True
        if label in self.excluded:
            return False
        minimum = self.minimum_by_major.get(version[0])
        return minimum is not None and version >= minimum

    def describe(self) -> str:
        parts = [
            f"emr-{'.'.join(map(str, v))} and later {major}.x" for major, v in sorted(self.minimum_by_major.items())
        ]
        text = ", ".join(parts)
        if self.also_supported:
            text = f"{', '.join(sorted(self.also_supported, key=_sort_key))}; {text}"
        if self.excluded:
            text += f" (not {', '.join(sorted(self.excluded, key=_sort_key))})"
        return text


@dataclass(frozen=True)
class Release:
    """One supported EMR release: its label and the applications (name -> version) it contains."""

    label: str
    applications: dict[str, str]
    sources: tuple[str, ...]

    @property
    def version(self) -> Version:
        version = parse_release_label(self.label)
        assert version is not None  # the table is checked when loaded
        return version

    def has_application(self, name: str) -> bool:
        return name in self.applications

    def supports(self, feature: Feature) -> bool:
        return feature.supported_by(self.label)

    def supports_instance_type(self, instance_type: str) -> bool:
        """False when ``instance_type`` is of a Graviton family this release predates.

        Only the families in the table are known (``instance_families``); any other type is assumed
        supported and left to EMR (cfn-lint checks that the type exists in the region).
        """
        family = instance_family_range(instance_type)
        return family is None or family.supported_by(self.label)


@dataclass(frozen=True)
class _Table:
    releases: dict[str, Release]
    features: dict[Feature, ReleaseRange]
    families: dict[str, ReleaseRange]


def _sort_key(label: str) -> Version:
    return parse_release_label(label) or (0, 0, 0)


def _version_of(label: str) -> Version:
    version = parse_release_label(label)
    if version is None:
        raise ValueError(f"releases.json holds a malformed release label: {label!r}")
    return version


def _range(data: dict[str, Any], source: str) -> ReleaseRange:
    return ReleaseRange(
        minimum_by_major={int(major): _version_of(label) for major, label in data["minimum_by_major"].items()},
        excluded=frozenset(data.get("excluded", ())),
        also_supported=frozenset(data.get("also_supported", ())),
        source=source,
        regions=frozenset(data.get("regions", ())),
        regional=tuple(_range(r, source) for r in data.get("regional_restrictions", ())),
    )


@cache
def _table() -> _Table:
    raw = json.loads(resources.files("emr_constructs.cluster").joinpath("releases.json").read_text(encoding="utf-8"))
    releases = {
        label: Release(label=label, applications=dict(data["applications"]), sources=tuple(data["sources"]))
        for label, data in sorted(raw["releases"].items(), key=lambda item: _version_of(item[0]))
    }
    features = {Feature(key): _range(data, data.get("source", "")) for key, data in raw["features"].items()}
    missing = set(Feature) - set(features)
    if missing:
        raise ValueError(f"releases.json lacks features {sorted(missing)}")
    source = raw["instance_families"]["source"]
    families = {name: _range(data, source) for name, data in raw["instance_families"]["families"].items()}
    return _Table(releases=releases, features=features, families=families)


def supported_releases() -> tuple[Release, ...]:
    """Every release in the table, oldest first."""
    return tuple(_table().releases.values())


def supported_release_labels() -> tuple[str, ...]:
    return tuple(_table().releases)


def get_release(label: str) -> Release | None:
    """The release ``label`` names, or ``None`` when it is not in the table."""
    return _table().releases.get(label)


def latest_release() -> Release:
    return supported_releases()[-1]


def instance_family_range(instance_type: str) -> ReleaseRange | None:
    """The releases that support the family of ``instance_type`` (``m7g`` of ``m7g.xlarge``), when known."""
    return _table().families.get(instance_type.split(".", 1)[0])


def all_application_names() -> frozenset[str]:
    """Every application name of every release in the table."""
    return frozenset(name for release in supported_releases() for name in release.applications)


#: The release a cluster gets when its props name none: the newest in the table. A library upgrade that adds a
#: release changes this default, which is a template change (and so a CHANGELOG entry).
DEFAULT_RELEASE_LABEL = "emr-7.14.0"
