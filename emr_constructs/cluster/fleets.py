"""Instance fleets: up to 5 (30 with an allocation strategy) instance types per node type, on-demand and spot targets
(EMR API InstanceFleetConfig, InstanceTypeConfig, Spot/OnDemandProvisioningSpecification; emr-instance-fleet)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from emr_constructs.choices import require_member
from emr_constructs.cluster.enums import OnDemandAllocationStrategy, SpotAllocationStrategy, SpotTimeoutAction
from emr_constructs.cluster.storage import EbsVolume, volume_count_problems
from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps

#: Instance types per fleet without / with an allocation strategy (emr-instance-fleet).
MAX_FLEET_TYPES = 5
MAX_FLEET_TYPES_WITH_ALLOCATION_STRATEGY = 30
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")


def instance_type_problems(checks: Checks, field_name: str, instance_type: str) -> None:
    checks.require(
        bool(_INSTANCE_TYPE.match(instance_type)),
        field_name,
        instance_type,
        "not an EC2 instance type name",
        "e.g. 'm7g.xlarge'",
    )


@dataclass(frozen=True, kw_only=True)
class InstanceTypeConfig(ValidatedProps):
    """One instance type a fleet may launch."""

    instance_type: str
    """EC2 instance type, e.g. ``m7g.xlarge``. Required."""
    weighted_capacity: int = 1
    """Units this type counts for toward the fleet's targets. Must be 1 in the primary fleet. Default 1."""
    bid_price_percentage: int | None = None
    """Maximum spot price as a percentage of the on-demand price, 0-1000. Default: EMR's 100 (on-demand price)."""
    ebs_volumes: tuple[EbsVolume, ...] = ()
    """EBS volumes per instance. Default: none beyond EMR's own default for EBS-only types."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        instance_type_problems(checks, "instance_type", self.instance_type)
        checks.require(
            self.weighted_capacity >= 1, "weighted_capacity", self.weighted_capacity, "must be positive", ">= 1"
        )
        if self.bid_price_percentage is not None:
            checks.require(
                0 <= self.bid_price_percentage <= 1000,
                "bid_price_percentage",
                self.bid_price_percentage,
                "spot bid as a percentage of the on-demand price out of range",
                "0-1000",
            )
        checks.extend(volume_count_problems(self.ebs_volumes, "ebs_volumes"))
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class InstanceFleet:
    """A fleet: targets in on-demand and spot units, filled from a list of instance types."""

    instance_types: tuple[InstanceTypeConfig, ...]
    """The instance types the fleet may launch. Required (at least one)."""
    target_on_demand_capacity: int = 0
    """On-demand units to provision. Default 0."""
    target_spot_capacity: int = 0
    """Spot units to provision. Default 0."""
    spot_allocation_strategy: SpotAllocationStrategy = SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED
    """Used when the fleet has spot capacity. Default ``price-capacity-optimized``: the pools least likely to be
    interrupted, at a low price (AWS's recommendation for spot)."""
    spot_timeout_action: SpotTimeoutAction = SpotTimeoutAction.SWITCH_TO_ON_DEMAND
    """When spot capacity is not found within ``spot_timeout_minutes``. Default: fall back to on-demand, so the
    cluster still starts."""
    spot_timeout_minutes: int = 60
    """Minutes to wait for spot capacity at launch, 5-1440. Default 60."""
    on_demand_allocation_strategy: OnDemandAllocationStrategy | None = None
    """``lowest-price`` or ``prioritized``. Default: none set (EMR uses lowest-price)."""
    name: str | None = None
    """Fleet name shown by EMR. Default: ``Primary``, ``Core`` or ``Task``."""

    @property
    def uses_spot(self) -> bool:
        return self.target_spot_capacity > 0

    @property
    def has_allocation_strategy(self) -> bool:
        return self.uses_spot or self.on_demand_allocation_strategy is not None

    def fleet_problems(self, *, primary: bool) -> list[Problem]:
        """Rules of any fleet; with ``primary``, also those of the primary fleet."""
        checks = Checks()
        limit = MAX_FLEET_TYPES_WITH_ALLOCATION_STRATEGY if self.has_allocation_strategy else MAX_FLEET_TYPES
        checks.require(
            1 <= len(self.instance_types) <= limit,
            "instance_types",
            len(self.instance_types),
            "wrong number of instance types in a fleet",
            f"1-{MAX_FLEET_TYPES}, or 1-{MAX_FLEET_TYPES_WITH_ALLOCATION_STRATEGY} with an allocation strategy "
            "(spot capacity or on_demand_allocation_strategy)",
        )
        for index, config in enumerate(self.instance_types):
            checks.extend(config.problems(), f"instance_types[{index}]")
        checks.require(
            self.target_on_demand_capacity >= 0,
            "target_on_demand_capacity",
            self.target_on_demand_capacity,
            "must not be negative",
            ">= 0",
        )
        checks.require(
            self.target_spot_capacity >= 0,
            "target_spot_capacity",
            self.target_spot_capacity,
            "must not be negative",
            ">= 0",
        )
        if primary:
            checks.extend(self._primary_problems())
        else:
            checks.require(
                self.target_on_demand_capacity + self.target_spot_capacity > 0,
                "target_on_demand_capacity",
                self.target_on_demand_capacity,
                "a fleet needs a target above 0 (on-demand, spot or both)",
                "target_on_demand_capacity + target_spot_capacity >= 1",
            )
        require_member(checks, SpotAllocationStrategy, "spot_allocation_strategy", self.spot_allocation_strategy)
        require_member(checks, SpotTimeoutAction, "spot_timeout_action", self.spot_timeout_action)
        if self.on_demand_allocation_strategy is not None:
            require_member(
                checks, OnDemandAllocationStrategy, "on_demand_allocation_strategy", self.on_demand_allocation_strategy
            )
        checks.require(
            5 <= self.spot_timeout_minutes <= 1440,
            "spot_timeout_minutes",
            self.spot_timeout_minutes,
            "spot provisioning timeout out of range",
            "5-1440 minutes",
        )
        return checks.problems

    def _primary_problems(self) -> list[Problem]:
        """The primary fleet: one node (or three on-demand for HA), every type of weight 1."""
        checks = Checks()
        on_demand, spot = self.target_on_demand_capacity, self.target_spot_capacity
        if spot > 0 and on_demand > 0:
            checks.require(
                False,
                "target_spot_capacity",
                spot,
                "the primary fleet takes either an on-demand or a spot target, not both",
                "target_spot_capacity 0 when target_on_demand_capacity is set",
            )
        elif spot > 0:
            checks.require(
                spot == 1,
                "target_spot_capacity",
                spot,
                "a spot primary fleet has exactly one node; three primaries (HA) must be on-demand",
                "1",
            )
        else:
            checks.require(
                on_demand in (1, 3),
                "target_on_demand_capacity",
                on_demand,
                "the primary fleet has one node, or three for high availability",
                "1 or 3",
            )
        for index, config in enumerate(self.instance_types):
            checks.require(
                config.weighted_capacity == 1,
                f"instance_types[{index}].weighted_capacity",
                config.weighted_capacity,
                "every instance type of the primary fleet has weighted capacity 1",
                "1",
            )
        return checks.problems

    @property
    def primary_count(self) -> int:
        return self.target_on_demand_capacity + self.target_spot_capacity


def _default_fleet(target_on_demand: int) -> InstanceFleet:
    return InstanceFleet(
        instance_types=(InstanceTypeConfig(instance_type="m6g.xlarge"),), target_on_demand_capacity=target_on_demand
    )


@dataclass(frozen=True, kw_only=True)
class InstanceFleets(ValidatedProps):
    """Capacity as instance fleets: a primary, a core and optionally a task fleet.

    Fleets may span several subnets (EMR picks the AZ with capacity) and mix instance types, so they are the
    default. Defaults: one on-demand ``m6g.xlarge`` primary and two on-demand ``m6g.xlarge`` core units
    (Graviton2, supported by every release in the table).
    """

    primary: InstanceFleet = field(default_factory=lambda: _default_fleet(1))
    """The primary fleet: 1 node, or 3 on-demand for high availability."""
    core: InstanceFleet = field(default_factory=lambda: _default_fleet(2))
    """The core fleet (HDFS and YARN)."""
    task: InstanceFleet | None = None
    """An optional task fleet (YARN only, no HDFS: the natural place for spot). Default: none."""

    def fleets(self) -> tuple[tuple[str, InstanceFleet], ...]:
        named = [("primary", self.primary), ("core", self.core)]
        if self.task is not None:
            named.append(("task", self.task))
        return tuple(named)

    def _rules(self) -> list[Problem]:
        checks = Checks()
        for name, fleet in self.fleets():
            checks.extend(fleet.fleet_problems(primary=name == "primary"), name)
        return checks.problems

    def instance_types(self) -> tuple[tuple[str, str], ...]:
        """``(field, instance type)`` of every type in every fleet."""
        return tuple(
            (f"{name}.instance_types[{index}].instance_type", config.instance_type)
            for name, fleet in self.fleets()
            for index, config in enumerate(fleet.instance_types)
        )
