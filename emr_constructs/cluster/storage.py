"""EBS storage of the cluster nodes: volumes per instance type or group (emr-plan-storage)."""

from __future__ import annotations

from dataclasses import dataclass

from emr_constructs.choices import require_member, value_of
from emr_constructs.cluster.enums import VolumeType
from emr_constructs.cluster.release_rules import require_feature
from emr_constructs.cluster.releases import Feature, Release
from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps

#: EBS volumes per instance, at most (emr-plan-storage).
MAX_VOLUMES_PER_INSTANCE = 25
ROOT_VOLUME_SIZE_MAX_GIB = 100
ROOT_VOLUME_IOPS = (3000, 16000)
ROOT_VOLUME_THROUGHPUT = (125, 1000)
#: Root volume IOPS per GiB, and throughput (MiB/s) per IOPS, at most (emr-custom-ami-root-volume-size).
ROOT_IOPS_PER_GIB = 500
ROOT_THROUGHPUT_PER_IOPS = 0.25


@dataclass(frozen=True, kw_only=True)
class EbsVolume(ValidatedProps):
    """EBS volumes attached to every instance of a type (HDFS, shuffle and spill space)."""

    size_gib: int = 64
    """Volume size in GiB. Default 64: room for shuffle and logs on a small node."""
    volume_type: VolumeType = VolumeType.GP3
    """Default ``gp3``: baseline 3000 IOPS / 125 MiB/s whatever the size, cheaper than gp2."""
    iops: int | None = None
    """Provisioned IOPS (gp3 and io1 only; required for io1). Default: the volume type's baseline."""
    throughput_mibps: int | None = None
    """Throughput in MiB/s, 125-1000, gp3 only. Default: 125."""
    volumes_per_instance: int = 1
    """How many such volumes each instance gets. Default 1."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        require_member(checks, VolumeType, "volume_type", self.volume_type)
        checks.require(
            1 <= self.size_gib <= 16384, "size_gib", self.size_gib, "EBS volume size out of range", "1-16384"
        )
        checks.require(
            self.volumes_per_instance >= 1,
            "volumes_per_instance",
            self.volumes_per_instance,
            "must be positive",
            ">= 1",
        )
        if self.iops is not None:
            checks.require(
                self.volume_type in (VolumeType.GP3, VolumeType.IO1),
                "iops",
                self.iops,
                f"provisioned IOPS only apply to gp3 and io1 volumes, not {value_of(self.volume_type)}",
                "null, or volume_type gp3/io1",
            )
        else:
            checks.require(
                self.volume_type != VolumeType.IO1,
                "iops",
                self.iops,
                "io1 volumes need provisioned IOPS",
                "an IOPS number for io1",
            )
        if self.throughput_mibps is not None:
            checks.require(
                self.volume_type == VolumeType.GP3 and 125 <= self.throughput_mibps <= 1000,
                "throughput_mibps",
                self.throughput_mibps,
                "throughput is set for gp3 volumes only, 125-1000 MiB/s",
                "null, or 125-1000 with volume_type gp3",
            )
        return checks.problems


def volume_count_problems(volumes: tuple[EbsVolume, ...], field_name: str) -> list[Problem]:
    problems: list[Problem] = []
    for index, volume in enumerate(volumes):
        problems.extend(p.under(f"{field_name}[{index}]") for p in volume.problems())
    total = sum(v.volumes_per_instance for v in volumes)
    if total > MAX_VOLUMES_PER_INSTANCE:
        problems.append(
            Problem(
                field_name,
                total,
                "too many EBS volumes per instance",
                f"at most {MAX_VOLUMES_PER_INSTANCE} (sum of volumes_per_instance)",
            )
        )
    return problems


@dataclass(frozen=True, kw_only=True)
class RootVolume:
    """The EBS root volume of every node."""

    size_gib: int | None = None
    """Size in GiB, 15-100 (10-100 before release 6.10.0). Default: EMR's 15 GiB."""
    iops: int | None = None
    """IOPS, 3000-16000, at most 500 per GiB (release 6.15.0+). Default: EMR's 3000."""
    throughput_mibps: int | None = None
    """Throughput in MiB/s, 125-1000, at most IOPS / 4 (release 6.15.0+). Default: EMR's 125."""


def root_volume_problems(checks: Checks, root: RootVolume, release: Release | None) -> None:
    """The root volume's ranges, which depend on the release (its minimum size, and whether IOPS can be set)."""
    minimum_size = 15 if release is None or release.version >= (6, 10, 0) else 10
    if root.size_gib is not None:
        checks.require(
            minimum_size <= root.size_gib <= ROOT_VOLUME_SIZE_MAX_GIB,
            "root_volume.size_gib",
            root.size_gib,
            "root volume size out of range",
            f"{minimum_size}-{ROOT_VOLUME_SIZE_MAX_GIB} GiB",
        )
    if root.iops is not None:
        low, high = ROOT_VOLUME_IOPS
        checks.require(
            low <= root.iops <= high, "root_volume.iops", root.iops, "root volume IOPS out of range", f"{low}-{high}"
        )
        size = root.size_gib or minimum_size
        checks.require(
            root.iops <= ROOT_IOPS_PER_GIB * size,
            "root_volume.iops",
            root.iops,
            f"root volume IOPS above {ROOT_IOPS_PER_GIB} per GiB of a {size} GiB volume",
            f"<= {ROOT_IOPS_PER_GIB * size}, or a larger size_gib",
        )
        require_feature(
            checks, release, Feature.EBS_ROOT_VOLUME_IOPS_THROUGHPUT, "root_volume.iops", root.iops, "root volume IOPS"
        )
    if root.throughput_mibps is not None:
        low, high = ROOT_VOLUME_THROUGHPUT
        checks.require(
            low <= root.throughput_mibps <= high,
            "root_volume.throughput_mibps",
            root.throughput_mibps,
            "root volume throughput out of range",
            f"{low}-{high} MiB/s",
        )
        iops = root.iops or ROOT_VOLUME_IOPS[0]
        checks.require(
            root.throughput_mibps <= ROOT_THROUGHPUT_PER_IOPS * iops,
            "root_volume.throughput_mibps",
            root.throughput_mibps,
            f"root volume throughput above {ROOT_THROUGHPUT_PER_IOPS} MiB/s per IOPS ({iops} IOPS)",
            f"<= {int(ROOT_THROUGHPUT_PER_IOPS * iops)}, or more iops",
        )
        require_feature(
            checks,
            release,
            Feature.EBS_ROOT_VOLUME_IOPS_THROUGHPUT,
            "root_volume.throughput_mibps",
            root.throughput_mibps,
            "root volume throughput",
        )
