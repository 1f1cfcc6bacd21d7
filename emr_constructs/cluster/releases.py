"""The Amazon EMR releases, their applications, the release a feature needs, and the instance types EMR offers.

Three data files ship with the package, each with its source and date, loaded once:

- ``releases.json``: the applications of a set of releases (read from the EMR Release Guide) and the minimum
  release of each gated feature and Graviton family;
- ``release_labels.json``: every real release label (EMR's ``ListReleaseLabels``, per Region);
- ``instance_types.json``: every instance type EMR supports (``ListSupportedInstanceTypes`` per release).

Any real ``emr-5.x``/``6.x``/``7.x`` label is accepted: feature gates compare versions, and applications are
checked against the nearest release of the same line in the application table. A well-formed label newer than
every known one is accepted with a warning (EMR may have published it after this library); a label that is
neither real nor newer is an error with the closest real labels. Regenerate the label and instance-type tables
with ``python -m tools.emr_tables``; extend ``releases.json`` only from the EMR Release Guide.
"""

from __future__ import annotations

import difflib
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
        if minimum is None and self.minimum_by_major and version[0] > max(self.minimum_by_major):
            # A major line newer than the table (accepted with a warning) keeps what the newest line has.
            return True
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
    """An EMR release: its label and the applications (name -> version) it contains.

    For a label outside the application table, ``applications`` are those of ``basis``, the nearest release of
    the same major line in the table (at or below it when there is one), and ``known`` says whether the label
    is one EMR has published (``False`` for a label newer than every known one).
    """

    label: str
    applications: dict[str, str]
    sources: tuple[str, ...]
    basis: str = ""
    """The application-table release the applications come from (the label itself when it is in the table)."""
    known: bool = True
    """Whether EMR lists this label (``release_labels.json``); a newer, unknown label is accepted with a warning."""

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
        """False when ``instance_type`` is of a Graviton family this release predates (see ``instance_families``)."""
        family = instance_family_range(instance_type)
        return family is None or family.supported_by(self.label)

    @property
    def in_table(self) -> bool:
        return self.basis == self.label


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
    """The release ``label`` names, or ``None`` when it is malformed, older than 5.0.0, or not a real release.

    A real label outside the application table, or a well-formed label newer than every known one, gives a
    :class:`Release` whose applications are those of the nearest table release of its line (``basis``).
    """
    table = _table().releases
    if label in table:
        return table[label]
    version = parse_release_label(label)
    if version is None or version < (5, 0, 0):
        return None
    known = label in _known_labels()
    if not known and version <= _version_of(newest_known_label()):
        return None
    same_line = [r for r in table.values() if r.version[0] == version[0]] or list(table.values())
    below = [r for r in same_line if r.version <= version]
    basis = below[-1] if below else same_line[0]
    return Release(label=label, applications=basis.applications, sources=basis.sources, basis=basis.label, known=known)


def closest_release_labels(label: str, count: int = 2) -> list[str]:
    """The real release labels of ``label``'s line nearest to it (same minor version first), for a hint."""
    version = parse_release_label(label)
    if version is None:
        return []
    line = [known for known in _known_labels() if _version_of(known)[0] == version[0]]
    return sorted(line, key=lambda known: (abs(_version_of(known)[1] - version[1]), _version_of(known)))[:count]


@cache
def _known_labels() -> tuple[str, ...]:
    raw = json.loads(resources.files("emr_constructs.cluster").joinpath("release_labels.json").read_text())
    return tuple(raw["labels"])


def newest_known_label() -> str:
    """The newest release label EMR had published when the label table was generated."""
    return max(_known_labels(), key=_version_of)


def release_offered_in(label: str, region: str) -> bool | None:
    """Whether EMR offers ``label`` in ``region``; ``None`` when the table does not cover that Region."""
    raw = json.loads(resources.files("emr_constructs.cluster").joinpath("release_labels.json").read_text())
    labels = raw["regions"].get(region)
    return None if labels is None else label in labels


@cache
def _instance_types() -> dict[str, dict[str, str]]:
    raw = json.loads(resources.files("emr_constructs.cluster").joinpath("instance_types.json").read_text())
    types: dict[str, dict[str, str]] = raw["types"]
    return types


def supported_instance_types() -> tuple[str, ...]:
    """Every instance type EMR supports on some 5.x, 6.x or 7.x release (``instance_types.json``)."""
    return tuple(_instance_types())


def is_emr_instance_type(instance_type: str) -> bool:
    return instance_type in _instance_types()


def closest_instance_types(instance_type: str, count: int = 3) -> list[str]:
    """Supported instance types closest to ``instance_type``: same family first, then by spelling."""
    family = instance_type.split(".", 1)[0]
    same_family = [t for t in _instance_types() if t.split(".", 1)[0] == family]
    return difflib.get_close_matches(instance_type, same_family or list(_instance_types()), n=count, cutoff=0.3)


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
