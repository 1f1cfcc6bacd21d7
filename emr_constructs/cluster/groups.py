"""Instance groups: one instance type per group, with optional custom automatic scaling (EMR API
AutoScalingPolicy; emr-automatic-scaling)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from emr_constructs.choices import require_member
from emr_constructs.cluster.enums import AdjustmentType, ComparisonOperator, Market, Statistic
from emr_constructs.cluster.fleets import instance_type_problems
from emr_constructs.cluster.storage import EbsVolume, volume_count_problems
from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps

#: CloudWatch evaluates custom autoscaling metrics in five-minute periods (emr-automatic-scaling).
SCALING_PERIOD_SECONDS = 300
_BID_PRICE = re.compile(r"^\d+(\.\d+)?$")


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
