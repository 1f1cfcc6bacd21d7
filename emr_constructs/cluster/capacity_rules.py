"""Rules across the capacity settings: fleets or groups, high-availability primaries, and managed scaling.

The fleets' and groups' own rules live with them (:mod:`~emr_constructs.cluster.fleets`,
:mod:`~emr_constructs.cluster.groups`); these are the ones that need the release or another cluster setting.
"""

from __future__ import annotations

from emr_constructs.choices import is_member, value_of
from emr_constructs.cluster.enums import ScalingUnitType
from emr_constructs.cluster.fleets import InstanceFleets
from emr_constructs.cluster.groups import InstanceGroups
from emr_constructs.cluster.release_rules import instance_type_release_problems, require_feature
from emr_constructs.cluster.releases import Feature, Release
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.errors import Checks


def capacity_problems(
    checks: Checks,
    *,
    fleets: InstanceFleets | None,
    groups: InstanceGroups | None,
    spread_primary_nodes: bool,
    release: Release | None,
) -> None:
    """``fleets`` or ``groups`` (the default fleets when neither is set), checked against the release."""
    if fleets is not None and groups is not None:
        checks.require(
            False,
            "instance_groups",
            "InstanceGroups(...)",
            "a cluster uses instance fleets or instance groups for all node types, never both",
            "set instance_fleets or instance_groups, not both",
        )
    capacity = effective_capacity(fleets, groups)
    prefix = "instance_fleets" if isinstance(capacity, InstanceFleets) else "instance_groups"
    checks.extend(capacity.problems(), prefix)
    instance_type_release_problems(checks, prefix, capacity.instance_types(), release)
    if isinstance(capacity, InstanceFleets):
        primaries = capacity.primary.primary_count
        if capacity.primary.target_on_demand_capacity == 3:
            require_feature(
                checks,
                release,
                Feature.HA_PRIMARY_INSTANCE_FLEETS,
                "instance_fleets.primary.target_on_demand_capacity",
                3,
                "three primary nodes in an instance fleet",
            )
    else:
        primaries = capacity.primary.instance_count
        if primaries == 3:
            require_feature(
                checks,
                release,
                Feature.HA_PRIMARY_INSTANCE_GROUPS,
                "instance_groups.primary.instance_count",
                3,
                "three primary nodes in an instance group",
            )
    checks.require(
        not spread_primary_nodes or primaries == 3,
        "spread_primary_nodes",
        spread_primary_nodes,
        "the SPREAD placement group applies to the primary nodes of a cluster with three primaries only",
        "false, or three primary nodes",
    )


def effective_capacity(fleets: InstanceFleets | None, groups: InstanceGroups | None) -> InstanceFleets | InstanceGroups:
    """The capacity in effect: the groups or fleets set, or the default fleets."""
    if groups is not None and fleets is None:
        return groups
    return fleets if fleets is not None else InstanceFleets()


def managed_scaling_problems(
    checks: Checks,
    scaling: ManagedScaling | None,
    *,
    capacity: InstanceFleets | InstanceGroups,
    release: Release | None,
) -> None:
    """Managed scaling's own rules, its release, its unit type against the capacity, and custom autoscaling."""
    if scaling is None:
        return
    checks.extend(scaling.problems(), "managed_scaling")
    require_feature(
        checks, release, Feature.MANAGED_SCALING, "managed_scaling", "ManagedScaling(...)", "managed scaling"
    )
    if scaling.unit_type is not None and is_member(ScalingUnitType, scaling.unit_type):
        fleets = isinstance(capacity, InstanceFleets)
        allowed = (
            (ScalingUnitType.INSTANCE_FLEET_UNITS,) if fleets else (ScalingUnitType.INSTANCES, ScalingUnitType.VCPU)
        )
        checks.require(
            scaling.unit_type in allowed,
            "managed_scaling.unit_type",
            value_of(scaling.unit_type),
            f"unit type does not fit instance {'fleets' if fleets else 'groups'}",
            ", ".join(u.value for u in allowed),
        )
    if isinstance(capacity, InstanceGroups) and capacity.has_auto_scaling():
        checks.require(
            False,
            "managed_scaling",
            "ManagedScaling(...)",
            "managed scaling cannot be combined with custom automatic-scaling policies on instance groups",
            "managed_scaling or the groups' auto_scaling, not both",
        )
