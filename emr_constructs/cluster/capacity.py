"""Cluster capacity: instance fleets or instance groups (never both), EBS volumes, and scaling.

Each type is a frozen props dataclass (settings JSON is parsed straight into them) with ``problems()`` for the
rules that need nothing else. Rules that depend on the release (HA primaries, Graviton families) or on the
whole cluster (managed scaling with custom autoscaling) live in :mod:`emr_constructs.cluster.validation`.

Rules and limits come from the EMR API reference (InstanceFleetConfig, InstanceTypeConfig,
SpotProvisioningSpecification, OnDemandProvisioningSpecification, VolumeSpecification, ComputeLimits,
AutoScalingPolicy) and the Management Guide pages emr-instance-fleet, emr-plan-storage, emr-managed-scaling
and emr-automatic-scaling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps


class Market(StrEnum):
    ON_DEMAND = "ON_DEMAND"
    SPOT = "SPOT"


class SpotAllocationStrategy(StrEnum):
    PRICE_CAPACITY_OPTIMIZED = "price-capacity-optimized"
    CAPACITY_OPTIMIZED = "capacity-optimized"
    CAPACITY_OPTIMIZED_PRIORITIZED = "capacity-optimized-prioritized"
    LOWEST_PRICE = "lowest-price"
    DIVERSIFIED = "diversified"


class OnDemandAllocationStrategy(StrEnum):
    LOWEST_PRICE = "lowest-price"
    PRIORITIZED = "prioritized"


class SpotTimeoutAction(StrEnum):
    """What EMR does when spot capacity is not provisioned within the timeout."""

    SWITCH_TO_ON_DEMAND = "SWITCH_TO_ON_DEMAND"
    TERMINATE_CLUSTER = "TERMINATE_CLUSTER"


class VolumeType(StrEnum):
    """EBS volume types EMR attaches (VolumeSpecification)."""

    GP3 = "gp3"
    GP2 = "gp2"
    IO1 = "io1"
    ST1 = "st1"
    SC1 = "sc1"
    STANDARD = "standard"


class ScalingUnitType(StrEnum):
    """Unit of managed-scaling limits: fleet units (weighted capacity) for fleets; instances or vCPUs for groups."""

    INSTANCE_FLEET_UNITS = "InstanceFleetUnits"
    INSTANCES = "Instances"
    VCPU = "VCPU"


class ScalingStrategy(StrEnum):
    DEFAULT = "DEFAULT"
    ADVANCED = "ADVANCED"


class AdjustmentType(StrEnum):
    CHANGE_IN_CAPACITY = "CHANGE_IN_CAPACITY"
    PERCENT_CHANGE_IN_CAPACITY = "PERCENT_CHANGE_IN_CAPACITY"
    EXACT_CAPACITY = "EXACT_CAPACITY"


class ComparisonOperator(StrEnum):
    GREATER_THAN_OR_EQUAL = "GREATER_THAN_OR_EQUAL"
    GREATER_THAN = "GREATER_THAN"
    LESS_THAN = "LESS_THAN"
    LESS_THAN_OR_EQUAL = "LESS_THAN_OR_EQUAL"


class Statistic(StrEnum):
    AVERAGE = "AVERAGE"
    SAMPLE_COUNT = "SAMPLE_COUNT"
    SUM = "SUM"
    MINIMUM = "MINIMUM"
    MAXIMUM = "MAXIMUM"


#: At most this many EBS volumes per instance (emr-plan-storage).
MAX_VOLUMES_PER_INSTANCE = 25
#: Instance types per fleet without / with an allocation strategy (emr-instance-fleet).
MAX_FLEET_TYPES = 5
MAX_FLEET_TYPES_WITH_ALLOCATION_STRATEGY = 30
UTILIZATION_PERFORMANCE_INDEXES = (1, 25, 50, 75, 100)
#: CloudWatch evaluates custom autoscaling metrics in five-minute periods (emr-automatic-scaling).
SCALING_PERIOD_SECONDS = 300

_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
_BID_PRICE = re.compile(r"^\d+(\.\d+)?$")


def value_of(value: Any) -> Any:
    """The plain value for messages: an enum member shows as its value (``'gp3'``), not its repr."""
    return value.value if isinstance(value, Enum) else value


def is_member(enum_type: type[Enum], value: Any) -> bool:
    try:
        enum_type(value)
    except ValueError:
        return False
    return True


def one_of(enum_type: type[Enum]) -> str:
    return ", ".join(str(m.value) for m in enum_type)


def require_member(checks: Checks, enum_type: type[Enum], field_name: str, value: Any) -> None:
    """Settings are parsed into members; this catches a raw string given from Python code."""
    checks.require(
        is_member(enum_type, value),
        field_name,
        value_of(value),
        f"unknown {enum_type.__name__}",
        one_of(enum_type),
    )


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


@dataclass(frozen=True, kw_only=True)
class ScalingRule(ValidatedProps):
    """One rule of a custom automatic-scaling policy: a CloudWatch alarm and the adjustment it triggers."""

    name: str
    """Rule name, unique in the policy. Required."""
    metric_name: str
    """An EMR CloudWatch metric (namespace ``AWS/ElasticMapReduce``), e.g. ``YARNMemoryAvailablePercentage``."""
    comparison_operator: ComparisonOperator
    threshold: float
    scaling_adjustment: int
    """Instances to add (positive) or remove (negative), or a percentage/exact count per ``adjustment_type``."""
    adjustment_type: AdjustmentType = AdjustmentType.CHANGE_IN_CAPACITY
    cool_down_seconds: int = 300
    """Seconds after a scaling activity before the rule may fire again. Default 300."""
    period_seconds: int = SCALING_PERIOD_SECONDS
    """Metric period, a multiple of 300 seconds. Default 300."""
    evaluation_periods: int = 1
    statistic: Statistic = Statistic.AVERAGE
    unit: str | None = None
    """CloudWatch unit of the metric, e.g. ``PERCENT``. Default: none."""
    description: str | None = None

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(bool(self.name.strip()), "name", self.name, "empty rule name", "a name")
        checks.require(bool(self.metric_name.strip()), "metric_name", self.metric_name, "empty metric name", "a name")
        require_member(checks, ComparisonOperator, "comparison_operator", self.comparison_operator)
        require_member(checks, AdjustmentType, "adjustment_type", self.adjustment_type)
        require_member(checks, Statistic, "statistic", self.statistic)
        checks.require(
            self.period_seconds > 0 and self.period_seconds % SCALING_PERIOD_SECONDS == 0,
            "period_seconds",
            self.period_seconds,
            "custom autoscaling evaluates metrics in five-minute periods",
            "a positive multiple of 300",
        )
        checks.require(
            self.evaluation_periods >= 1, "evaluation_periods", self.evaluation_periods, "must be positive", ">= 1"
        )
        checks.require(
            self.cool_down_seconds >= 0, "cool_down_seconds", self.cool_down_seconds, "must not be negative", ">= 0"
        )
        checks.require(
            self.scaling_adjustment != 0,
            "scaling_adjustment",
            self.scaling_adjustment,
            "a rule must change capacity",
            "non-zero",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class AutoScalingPolicy(ValidatedProps):
    """A custom automatic-scaling policy of a core or task instance group (needs the autoscaling role)."""

    min_capacity: int
    max_capacity: int
    rules: tuple[ScalingRule, ...]

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(self.min_capacity >= 0, "min_capacity", self.min_capacity, "must not be negative", ">= 0")
        checks.require(
            self.max_capacity >= self.min_capacity,
            "max_capacity",
            self.max_capacity,
            "the maximum is below the minimum",
            f">= min_capacity ({self.min_capacity})",
        )
        checks.require(len(self.rules) >= 1, "rules", len(self.rules), "a policy needs rules", "at least one rule")
        names: set[str] = set()
        for index, rule in enumerate(self.rules):
            checks.extend(rule.problems(), f"rules[{index}]")
            checks.require(
                rule.name not in names, f"rules[{index}].name", rule.name, "rule names repeat", "unique names"
            )
            names.add(rule.name)
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class InstanceGroup(ValidatedProps):
    """A uniform group: one instance type, a count, and a market."""

    instance_type: str
    """EC2 instance type, e.g. ``m7g.xlarge``. Required."""
    instance_count: int = 1
    """Number of instances. Default 1."""
    market: Market = Market.ON_DEMAND
    """Default on-demand."""
    bid_price: str | None = None
    """Spot only: maximum price in USD per hour, e.g. ``"0.10"``. Default: the on-demand price."""
    ebs_volumes: tuple[EbsVolume, ...] = ()
    """EBS volumes per instance. Default: none beyond EMR's own default."""
    auto_scaling: AutoScalingPolicy | None = None
    """Custom automatic scaling (core and task groups only; not with managed scaling). Default: none."""
    name: str | None = None
    """Group name shown by EMR. Default: ``Primary``, ``Core`` or ``Task<n>``."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        instance_type_problems(checks, "instance_type", self.instance_type)
        require_member(checks, Market, "market", self.market)
        if self.bid_price is not None:
            checks.require(
                self.market == Market.SPOT,
                "bid_price",
                self.bid_price,
                "a bid price only applies to the spot market",
                "null, or market SPOT",
            )
            checks.require(
                bool(_BID_PRICE.match(self.bid_price)),
                "bid_price",
                self.bid_price,
                "not a price in USD",
                "a decimal number such as '0.10'",
            )
        checks.extend(volume_count_problems(self.ebs_volumes, "ebs_volumes"))
        if self.auto_scaling is not None:
            checks.extend(self.auto_scaling.problems(), "auto_scaling")
        return checks.problems


def _default_group(count: int) -> InstanceGroup:
    return InstanceGroup(instance_type="m6g.xlarge", instance_count=count)


@dataclass(frozen=True, kw_only=True)
class InstanceGroups(ValidatedProps):
    """Capacity as instance groups: a primary, a core and optional task groups, in one subnet.

    Defaults: one on-demand ``m6g.xlarge`` primary and two on-demand ``m6g.xlarge`` core nodes.
    """

    primary: InstanceGroup = field(default_factory=lambda: _default_group(1))
    """The primary group: 1 instance, or 3 for high availability."""
    core: InstanceGroup = field(default_factory=lambda: _default_group(2))
    """The core group (HDFS and YARN), at least one instance."""
    task: tuple[InstanceGroup, ...] = ()
    """Task groups (YARN only). Default: none."""

    def groups(self) -> tuple[tuple[str, InstanceGroup], ...]:
        named = [("primary", self.primary), ("core", self.core)]
        named.extend((f"task[{index}]", group) for index, group in enumerate(self.task))
        return tuple(named)

    def _rules(self) -> list[Problem]:
        checks = Checks()
        for name, group in self.groups():
            checks.extend(group.problems(), name)
        checks.require(
            self.primary.instance_count in (1, 3),
            "primary.instance_count",
            self.primary.instance_count,
            "the primary group has one instance, or three for high availability",
            "1 or 3",
        )
        checks.require(
            self.primary.auto_scaling is None,
            "primary.auto_scaling",
            "AutoScalingPolicy(...)" if self.primary.auto_scaling else None,
            "the primary group cannot scale",
            "null; scaling policies go on core and task groups",
        )
        checks.require(
            self.core.instance_count >= 1, "core.instance_count", self.core.instance_count, "too few core nodes", ">= 1"
        )
        for index, group in enumerate(self.task):
            checks.require(
                group.instance_count >= 0,
                f"task[{index}].instance_count",
                group.instance_count,
                "must not be negative",
                ">= 0",
            )
        return checks.problems

    def has_auto_scaling(self) -> bool:
        return any(group.auto_scaling is not None for _, group in self.groups())

    def instance_types(self) -> tuple[tuple[str, str], ...]:
        return tuple((f"{name}.instance_type", group.instance_type) for name, group in self.groups())


@dataclass(frozen=True, kw_only=True)
class ManagedScaling(ValidatedProps):
    """EMR managed scaling: EMR resizes core and task capacity between ``minimum`` and ``maximum``.

    Works with YARN applications only (not Presto, Trino or HBase). Needs release 5.30.0+ (not 6.0.0).
    """

    minimum: int
    """Lower bound of core + task capacity, in ``unit_type`` units. Required."""
    maximum: int
    """Upper bound of core + task capacity. Required."""
    maximum_on_demand: int | None = None
    """Upper bound of on-demand capacity (the rest is spot). Default: ``maximum``."""
    maximum_core: int | None = None
    """Upper bound of core capacity (the rest is task). Default: ``maximum``."""
    unit_type: ScalingUnitType | None = None
    """Default: ``InstanceFleetUnits`` for fleets, ``Instances`` for groups (the only fleet unit is fleet units)."""
    scaling_strategy: ScalingStrategy | None = None
    """``ADVANCED`` allows ``utilization_performance_index``. Default: EMR's DEFAULT."""
    utilization_performance_index: int | None = None
    """1, 25, 50, 75 or 100 (higher favours performance over cost); needs ``scaling_strategy`` ADVANCED."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        if self.unit_type is not None:
            require_member(checks, ScalingUnitType, "unit_type", self.unit_type)
        checks.require(self.minimum >= 1, "minimum", self.minimum, "managed scaling needs a positive minimum", ">= 1")
        checks.require(
            self.minimum <= self.maximum,
            "maximum",
            self.maximum,
            "the maximum is below the minimum",
            f">= minimum ({self.minimum})",
        )
        for name, value in (("maximum_on_demand", self.maximum_on_demand), ("maximum_core", self.maximum_core)):
            if value is not None:
                checks.require(
                    0 <= value <= self.maximum, name, value, "a partial limit exceeds the maximum", f"0-{self.maximum}"
                )
        if self.scaling_strategy is not None:
            require_member(checks, ScalingStrategy, "scaling_strategy", self.scaling_strategy)
        if self.utilization_performance_index is not None:
            checks.require(
                self.utilization_performance_index in UTILIZATION_PERFORMANCE_INDEXES,
                "utilization_performance_index",
                self.utilization_performance_index,
                "not a utilization performance index EMR accepts",
                ", ".join(map(str, UTILIZATION_PERFORMANCE_INDEXES)),
            )
            checks.require(
                self.scaling_strategy == ScalingStrategy.ADVANCED,
                "utilization_performance_index",
                self.utilization_performance_index,
                "a utilization performance index needs the ADVANCED scaling strategy",
                "null, or scaling_strategy ADVANCED",
            )
        return checks.problems
