"""The closed sets of the cluster's settings (EMR API enums), one ``StrEnum`` each."""

from __future__ import annotations

from enum import StrEnum


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


class ScaleDownBehavior(StrEnum):
    """How EMR removes instances when it scales in."""

    TERMINATE_AT_TASK_COMPLETION = "TERMINATE_AT_TASK_COMPLETION"
    TERMINATE_AT_INSTANCE_HOUR = "TERMINATE_AT_INSTANCE_HOUR"


class ActionOnFailure(StrEnum):
    """What EMR does when a step fails (``TERMINATE_JOB_FLOW`` is the legacy name of TERMINATE_CLUSTER)."""

    CONTINUE = "CONTINUE"
    CANCEL_AND_WAIT = "CANCEL_AND_WAIT"
    TERMINATE_CLUSTER = "TERMINATE_CLUSTER"
