"""EMR managed scaling of core and task capacity (EMR API ComputeLimits; emr-managed-scaling)."""

from __future__ import annotations

from dataclasses import dataclass

from emr_constructs.choices import require_member
from emr_constructs.cluster.enums import ScalingStrategy, ScalingUnitType
from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps

UTILIZATION_PERFORMANCE_INDEXES = (1, 25, 50, 75, 100)


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
