"""Every cluster rule at its edges: the smallest and largest valid value build clean, one step past fails.

Props-level (``ClusterProps.problems()``, nothing is synthesized). Release rows start from :func:`old`, a cluster
that uses no release-gated feature, so each row turns on exactly the feature it proves.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from aws_cdk import aws_ec2 as ec2

from emr_constructs.cluster import (
    ActionOnFailure,
    AutoScalingPolicy,
    BootstrapAction,
    ClusterProps,
    ComparisonOperator,
    Configuration,
    EbsVolume,
    EmrCluster,
    InstanceFleet,
    InstanceFleets,
    InstanceGroup,
    InstanceGroups,
    InstanceTypeConfig,
    ManagedScaling,
    Market,
    RootVolume,
    ScalingRule,
    ScalingStrategy,
    ScalingUnitType,
    SecurityConfigurationProps,
    SparkStep,
    VolumeType,
)
from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.enums import OnDemandAllocationStrategy
from emr_constructs.cluster.releases import supported_instance_types
from emr_constructs.iam.roles import EmrRolesProps
from tests.cluster.builders import platform
from tests.rule_edges import Edge, edge_tests
from tests.support import new_stack

DOCS = "https://docs.aws.amazon.com/emr/latest/ManagementGuide"
#: Real Graviton2 types (every release from 6.3.0 has these families), enough for the 30-type limit.
GRAVITON_TYPES = tuple(
    t for t in supported_instance_types() if t.split(".")[0] in {"m6g", "r6g", "c6g", "m6gd", "r6gd", "c6gd", "c6gn"}
)
TYPE_COUNT_ALLOWED = "1-5, or 1-30 with an allocation strategy (spot capacity or on_demand_allocation_strategy)"


def raw(value: str) -> Any:
    """A raw string where an enum member is expected: what Python code (not the settings parser) can pass."""
    return value


def error(field: str, value: Any, rule: str, allowed: str) -> str:
    return f"Test: {field}={value!r} is invalid: {rule}; allowed: {allowed}"


def fleet(*types: str, on_demand: int = 0, spot: int = 0, weight: int = 1, **options: Any) -> InstanceFleet:
    configs = tuple(InstanceTypeConfig(instance_type=t, weighted_capacity=weight) for t in types or ("m6g.xlarge",))
    return InstanceFleet(
        instance_types=configs, target_on_demand_capacity=on_demand, target_spot_capacity=spot, **options
    )


def with_fleets(
    primary: InstanceFleet | None = None,
    core: InstanceFleet | None = None,
    task: InstanceFleet | None = None,
    **props: Any,
) -> ClusterProps:
    fleets = InstanceFleets(primary=primary or fleet(on_demand=1), core=core or fleet(on_demand=2), task=task)
    return ClusterProps(instance_fleets=fleets, **props)


def with_task(**fleet_options: Any) -> ClusterProps:
    """A cluster whose task fleet is ``InstanceFleet(**fleet_options)`` (instance types default to one)."""
    fleet_options.setdefault("instance_types", (InstanceTypeConfig(instance_type="m6g.xlarge"),))
    return with_fleets(task=InstanceFleet(**fleet_options))


def with_task_type(**config: Any) -> ClusterProps:
    """A cluster whose spot task fleet has one instance type ``InstanceTypeConfig(**config)``."""
    config.setdefault("instance_type", "m6g.xlarge")
    return with_task(instance_types=(InstanceTypeConfig(**config),), target_spot_capacity=1)


def with_groups(
    primary: InstanceGroup | None = None,
    core: InstanceGroup | None = None,
    task: tuple[InstanceGroup, ...] = (),
    **props: Any,
) -> ClusterProps:
    groups = InstanceGroups(
        primary=primary or InstanceGroup(instance_type="m6g.xlarge"),
        core=core or InstanceGroup(instance_type="m6g.xlarge", instance_count=2),
        task=task,
    )
    return ClusterProps(instance_groups=groups, **props)


def rule(**overrides: Any) -> ScalingRule:
    values: dict[str, Any] = {
        "name": "ScaleOut",
        "metric_name": "YARNMemoryAvailablePercentage",
        "comparison_operator": ComparisonOperator.LESS_THAN,
        "threshold": 15.0,
        "scaling_adjustment": 1,
    }
    return ScalingRule(**{**values, **overrides})


def with_core_policy(**policy: Any) -> ClusterProps:
    """Instance groups whose core group has the custom autoscaling policy ``AutoScalingPolicy(**policy)``."""
    values: dict[str, Any] = {"min_capacity": 2, "max_capacity": 10, "rules": (rule(),)}
    core = InstanceGroup(
        instance_type="m6g.xlarge", instance_count=2, auto_scaling=AutoScalingPolicy(**{**values, **policy})
    )
    return with_groups(core=core)


def with_rule(**overrides: Any) -> ClusterProps:
    return with_core_policy(rules=(rule(**overrides),))


def with_volumes(*volumes: EbsVolume) -> ClusterProps:
    core = InstanceFleet(
        instance_types=(InstanceTypeConfig(instance_type="m6g.xlarge", ebs_volumes=volumes),),
        target_on_demand_capacity=2,
    )
    return with_fleets(core=core)


def with_volume(**volume: Any) -> ClusterProps:
    return with_volumes(EbsVolume(**volume))


def with_volume_counts(*, counts: tuple[int, ...]) -> ClusterProps:
    return with_volumes(*(EbsVolume(volumes_per_instance=count) for count in counts))


def groups_scaling(*, managed: bool, policy: bool) -> ClusterProps:
    """Instance groups with managed scaling, a custom autoscaling policy on the core group, or both."""
    props = with_core_policy() if policy else with_groups()
    return ClusterProps(
        instance_groups=props.instance_groups, managed_scaling=ManagedScaling(minimum=1, maximum=4) if managed else None
    )


def with_scaling(**scaling: Any) -> ClusterProps:
    values: dict[str, Any] = {"minimum": 2, "maximum": 10}
    return ClusterProps(managed_scaling=ManagedScaling(**{**values, **scaling}))


def actions(count: int) -> tuple[BootstrapAction, ...]:
    return tuple(BootstrapAction(name=f"Action{i}", script="bootstrap.sh") for i in range(count))


def steps(*on_failure: Any) -> tuple[SparkStep, ...]:
    """Steps with these actions on failure (a raw string stands for a value given from Python code)."""
    return tuple(SparkStep(name=f"Step{i}", script="job.py", action_on_failure=a) for i, a in enumerate(on_failure))


def old(**changes: Any) -> ClusterProps:
    """A cluster on ``release_label`` that uses no release-gated feature (x86 types, no auto-termination, no
    log encryption, no IMDSv2 or EBS encryption setting): release rows turn on one feature each."""
    release = changes.pop("release_label", "emr-5.20.0")
    x86 = InstanceTypeConfig(instance_type="m5.xlarge")
    values: dict[str, Any] = {
        "release_label": release,
        "instance_fleets": InstanceFleets(
            primary=InstanceFleet(instance_types=(x86,), target_on_demand_capacity=1),
            core=InstanceFleet(instance_types=(x86,), target_on_demand_capacity=2),
        ),
        "auto_termination_idle_seconds": None,
        "encrypt_logs": False,
        "security": SecurityConfigurationProps(imdsv2=False, ebs_encryption=False),
    }
    return ClusterProps(**{**values, **changes})


def old_groups(primaries: int, **changes: Any) -> ClusterProps:
    groups = InstanceGroups(
        primary=InstanceGroup(instance_type="m5.xlarge", instance_count=primaries),
        core=InstanceGroup(instance_type="m5.xlarge", instance_count=2),
    )
    return old(instance_groups=groups, instance_fleets=None, **changes)


def old_ha_fleets(**changes: Any) -> ClusterProps:
    x86 = InstanceTypeConfig(instance_type="m5.xlarge")
    fleets = InstanceFleets(
        primary=InstanceFleet(instance_types=(x86,), target_on_demand_capacity=3),
        core=InstanceFleet(instance_types=(x86,), target_on_demand_capacity=2),
    )
    return old(instance_fleets=fleets, **changes)


def old_security(**security: Any) -> Any:
    """``old`` with a security configuration that turns on only ``security`` (IMDSv2 or EBS encryption)."""

    def build(**changes: Any) -> ClusterProps:
        values = {"imdsv2": False, "ebs_encryption": False, **security}
        return old(security=SecurityConfigurationProps(**values), **changes)

    return build


def feature_error(field: str, value: Any, what: str, label: str, releases: str, page: str) -> str:
    return error(field, value, f"{what} is not supported by {label}", f"{releases} [{page}]")


#: Which releases have each feature (the messages' ``allowed``), from the release table's sources.
FROM_5_30 = "emr-5.30.0 and later 5.x, emr-6.1.0 and later 6.x, emr-7.0.0 and later 7.x"
HA_FLEETS = (
    "emr-5.36.1, emr-5.36.2, emr-6.8.1, emr-6.9.1, emr-6.10.1, emr-6.11.1; emr-6.12.0 and later 6.x, "
    "emr-7.0.0 and later 7.x"
)
ROOT_IOPS = "emr-6.15.0 and later 6.x, emr-7.0.0 and later 7.x"
SCALING = ManagedScaling(minimum=1, maximum=4)


def release_feature(
    name: str, build: Any, valid_labels: tuple[str, ...], invalid: tuple[tuple[str, str | list[str]], ...]
) -> Edge:
    """A feature row: ``build(release_label=...)`` is clean on ``valid_labels``; an invalid label gives its messages."""
    return Edge(
        name,
        build,
        valid=[{"release_label": label} for label in valid_labels],
        invalid=[({"release_label": label}, message) for label, message in invalid],
    )


def scaling_release_error(label: str) -> str:
    return feature_error(
        "managed_scaling",
        "ManagedScaling(...)",
        "managed scaling",
        label,
        FROM_5_30 + " (not emr-6.0.0)",
        f"{DOCS}/emr-managed-scaling.html",
    )


def idle_release_error(label: str) -> str:
    return feature_error(
        "auto_termination_idle_seconds",
        60,
        "auto-termination",
        label,
        FROM_5_30,
        f"{DOCS}/emr-auto-termination-policy.html",
    )


def logs_release_error(label: str) -> str:
    return feature_error(
        "encrypt_logs",
        True,
        "log encryption with KMS",
        label,
        FROM_5_30 + " (not emr-6.0.0)",
        f"{DOCS}/emr-plan-debugging.html#emr-log-encryption",
    )


def ha_fleets_error(label: str) -> str:
    return feature_error(
        "instance_fleets.primary.target_on_demand_capacity",
        3,
        "three primary nodes in an instance fleet",
        label,
        HA_FLEETS,
        f"{DOCS}/emr-plan-ha.html",
    )


def ha_groups_error(label: str) -> str:
    return feature_error(
        "instance_groups.primary.instance_count",
        3,
        "three primary nodes in an instance group",
        label,
        "emr-5.23.0 and later 5.x, emr-6.0.0 and later 6.x, emr-7.0.0 and later 7.x",
        f"{DOCS}/emr-plan-ha.html",
    )


def step_release_error(label: str) -> str:
    return feature_error(
        "step_concurrency_level",
        2,
        "step concurrency",
        label,
        "emr-5.28.0 and later 5.x, emr-6.0.0 and later 6.x, emr-7.0.0 and later 7.x",
        f"{DOCS}/emr-add-steps-console.html",
    )


def root_iops_error(field: str, value: int, what: str, label: str) -> str:
    return feature_error(field, value, what, label, ROOT_IOPS, f"{DOCS}/emr-custom-ami-root-volume-size.html")


def bootstrap_count_error(count: int) -> str:
    return error("bootstrap_actions", count, "too many bootstrap actions", "at most 16")


def percent_bid_error(percent: int) -> str:
    return error(
        "instance_fleets.task.instance_types[0].bid_price_percentage",
        percent,
        "spot bid as a percentage of the on-demand price out of range",
        "0-1000",
    )


def type_count_error(fleet_name: str, count: int) -> str:
    return error(
        f"instance_fleets.{fleet_name}.instance_types",
        count,
        "wrong number of instance types in a fleet",
        TYPE_COUNT_ALLOWED,
    )


def volume_error(field: str, value: Any, rule_text: str, allowed: str) -> str:
    return error(f"instance_fleets.core.instance_types[0].ebs_volumes[0].{field}", value, rule_text, allowed)


def scaling_rule_error(field: str, value: Any, rule_text: str, allowed: str) -> str:
    return error(f"instance_groups.core.auto_scaling.rules[0].{field}", value, rule_text, allowed)


APPLICATIONS = (
    "AmazonCloudWatchAgent, Delta, Flink, Ganglia, Hadoop, HBase, HCatalog, Hive, Hudi, Hue, Iceberg, "
    "JupyterEnterpriseGateway, JupyterHub, Livy, Mahout, MXNet, Oozie, Phoenix, Pig, Presto, Spark, Sqoop, "
    "TensorFlow, Tez, Trino, Zeppelin, ZooKeeper"
)
THROUGHPUT_RULE = ("throughput is set for gp3 volumes only, 125-1000 MiB/s", "null, or 125-1000 with volume_type gp3")
PRIMARY_FLEET_RULE = ("the primary fleet has one node, or three for high availability", "1 or 3")
PERIOD_RULE = ("custom autoscaling evaluates metrics in five-minute periods", "a positive multiple of 300")
LOG_PREFIX_RULE = ("not an S3 key prefix", "a relative prefix ending with '/', e.g. 'emr-logs/analytics/'")
AMI_RULE = ("not an AMI id", "e.g. 'ami-0abc1234def567890'")

EDGES = [
    # --- work: bootstrap actions and steps ---------------------------------------------------------------------
    Edge(
        "bootstrap action count",
        ClusterProps,
        valid=[{"bootstrap_actions": ()}, {"bootstrap_actions": actions(16)}],
        invalid=[({"bootstrap_actions": actions(17)}, bootstrap_count_error(17))],
    ),
    Edge(
        "bootstrap action name and script",
        ClusterProps,
        valid=[{"bootstrap_actions": (BootstrapAction(name="a", script="b"),)}],
        invalid=[
            (
                {"bootstrap_actions": (*actions(1), BootstrapAction(name=" ", script="bootstrap.sh"))},
                error("bootstrap_actions[1].name", " ", "empty name", "a name"),
            ),
            (
                {"bootstrap_actions": (*actions(1), BootstrapAction(name="Setup", script=" "))},
                error("bootstrap_actions[1].script", " ", "empty path", "a local file"),
            ),
        ],
    ),
    Edge(
        "step name and script",
        ClusterProps,
        valid=[{"steps": (SparkStep(name="s", script="j"),)}],
        invalid=[
            (
                {"steps": (*steps(ActionOnFailure.CONTINUE), SparkStep(name="", script="job.py"))},
                error("steps[1].name", "", "empty name", "a name"),
            ),
            (
                {"steps": (*steps(ActionOnFailure.CONTINUE), SparkStep(name="Etl", script=""))},
                error("steps[1].script", "", "empty path", "a local file"),
            ),
        ],
    ),
    Edge(
        "steps that do not CONTINUE need step concurrency 1",
        ClusterProps,
        valid=[
            {"steps": steps(ActionOnFailure.TERMINATE_CLUSTER, ActionOnFailure.CANCEL_AND_WAIT)},
            {"steps": steps(ActionOnFailure.CANCEL_AND_WAIT), "step_concurrency_level": 1},
            {"steps": steps(ActionOnFailure.CONTINUE, ActionOnFailure.CONTINUE), "step_concurrency_level": 256},
        ],
        invalid=[
            (
                {"steps": steps(ActionOnFailure.CONTINUE, a), "step_concurrency_level": 2},
                error(
                    "steps[1].action_on_failure",
                    a.value,
                    "with step concurrency above 1, EMR only accepts steps that CONTINUE on failure",
                    "CONTINUE, or step_concurrency_level 1",
                ),
            )
            for a in (ActionOnFailure.TERMINATE_CLUSTER, ActionOnFailure.CANCEL_AND_WAIT)
        ]
        + [
            (
                {"steps": steps(ActionOnFailure.CONTINUE, "STOP"), "step_concurrency_level": 2},
                error(
                    "steps[1].action_on_failure",
                    "STOP",
                    "unknown ActionOnFailure",
                    "CONTINUE, CANCEL_AND_WAIT, TERMINATE_CLUSTER",
                ),
            )
        ],
    ),
    Edge(
        "step_concurrency_level",
        ClusterProps,
        valid=[{"step_concurrency_level": 1}, {"step_concurrency_level": 256}, {"step_concurrency_level": None}],
        invalid=[
            (
                {"step_concurrency_level": n},
                error("step_concurrency_level", n, "step concurrency out of range", "1-256"),
            )
            for n in (0, 257)
        ],
    ),
    # --- lifecycle ---------------------------------------------------------------------------------------------
    Edge(
        "auto_termination_idle_seconds",
        ClusterProps,
        valid=[
            {"auto_termination_idle_seconds": 60},
            {"auto_termination_idle_seconds": 604_800},
            {"auto_termination_idle_seconds": None},
        ],
        invalid=[
            (
                {"auto_termination_idle_seconds": s},
                error(
                    "auto_termination_idle_seconds",
                    s,
                    "auto-termination idle timeout out of range",
                    "60-604800 seconds (1 minute to 7 days)",
                ),
            )
            for s in (59, 604_801)
        ],
    ),
    Edge(
        "scale_down_behavior",
        ClusterProps,
        valid=[{"scale_down_behavior": None}, {"scale_down_behavior": "TERMINATE_AT_INSTANCE_HOUR"}],
        invalid=[
            (
                {"scale_down_behavior": "TERMINATE_NOW"},
                error(
                    "scale_down_behavior",
                    "TERMINATE_NOW",
                    "unknown ScaleDownBehavior",
                    "TERMINATE_AT_TASK_COMPLETION, TERMINATE_AT_INSTANCE_HOUR",
                ),
            )
        ],
    ),
    # --- fleets --------------------------------------------------------------------------------------------------
    Edge(
        "bid_price_percentage",
        with_task_type,
        valid=[{"bid_price_percentage": 0}, {"bid_price_percentage": 1000}, {"bid_price_percentage": None}],
        invalid=[({"bid_price_percentage": p}, percent_bid_error(p)) for p in (-1, 1001)],
    ),
    Edge(
        "weighted_capacity",
        with_task_type,
        valid=[{"weighted_capacity": 1}, {"weighted_capacity": 1000}],
        invalid=[
            (
                {"weighted_capacity": 0},
                error("instance_fleets.task.instance_types[0].weighted_capacity", 0, "must be positive", ">= 1"),
            )
        ],
    ),
    Edge(
        "instance type name",
        with_task_type,
        valid=[{"instance_type": "m6g.16xlarge"}, {"instance_type": "c6gn.16xlarge"}],
        invalid=[
            (
                {"instance_type": t},
                error(
                    "instance_fleets.task.instance_types[0].instance_type",
                    t,
                    "not an EC2 instance type name",
                    "e.g. 'm7g.xlarge'",
                ),
            )
            for t in ("m6g", "m6g_xlarge", "m6g.x.large")
        ],
    ),
    Edge(
        "instance types per fleet without an allocation strategy",
        with_fleets,
        valid=[
            {"core": fleet(*GRAVITON_TYPES[:1], on_demand=2)},
            {"core": fleet(*GRAVITON_TYPES[:5], on_demand=2)},
        ],
        invalid=[
            ({"core": fleet(*GRAVITON_TYPES[:6], on_demand=2)}, type_count_error("core", 6)),
            ({"core": InstanceFleet(instance_types=(), target_on_demand_capacity=2)}, type_count_error("core", 0)),
        ],
    ),
    Edge(
        "instance types per fleet with an allocation strategy",
        with_fleets,
        valid=[
            {"task": fleet(*GRAVITON_TYPES[:30], spot=4)},
            {
                "task": fleet(
                    *GRAVITON_TYPES[:30],
                    on_demand=4,
                    on_demand_allocation_strategy=OnDemandAllocationStrategy.PRIORITIZED,
                )
            },
            {
                "task": fleet(
                    *GRAVITON_TYPES[:30],
                    on_demand=4,
                    on_demand_allocation_strategy=OnDemandAllocationStrategy.LOWEST_PRICE,
                )
            },
        ],
        invalid=[
            ({"task": fleet(*GRAVITON_TYPES[:31], spot=4)}, type_count_error("task", 31)),
            (
                {
                    "task": fleet(
                        *GRAVITON_TYPES[:31],
                        on_demand=4,
                        on_demand_allocation_strategy=OnDemandAllocationStrategy.PRIORITIZED,
                    )
                },
                type_count_error("task", 31),
            ),
        ],
    ),
    Edge(
        "on_demand_allocation_strategy",
        with_fleets,
        valid=[{"task": fleet(on_demand=1, on_demand_allocation_strategy="prioritized")}],
        invalid=[
            (
                {"task": fleet(on_demand=1, on_demand_allocation_strategy="capacity-optimized")},
                error(
                    "instance_fleets.task.on_demand_allocation_strategy",
                    "capacity-optimized",
                    "unknown OnDemandAllocationStrategy",
                    "lowest-price, prioritized",
                ),
            )
        ],
    ),
    Edge(
        "spot_timeout_minutes",
        with_task,
        base={"target_spot_capacity": 2},
        valid=[{"spot_timeout_minutes": 5}, {"spot_timeout_minutes": 1440}],
        invalid=[
            (
                {"spot_timeout_minutes": m},
                error(
                    "instance_fleets.task.spot_timeout_minutes",
                    m,
                    "spot provisioning timeout out of range",
                    "5-1440 minutes",
                ),
            )
            for m in (4, 1441)
        ],
    ),
    Edge(
        "core and task fleet targets",
        with_task,
        valid=[
            {"target_on_demand_capacity": 1},
            {"target_spot_capacity": 1},
            {"target_on_demand_capacity": 1, "target_spot_capacity": 1},
        ],
        invalid=[
            (
                {"target_on_demand_capacity": 0, "target_spot_capacity": 0},
                error(
                    "instance_fleets.task.target_on_demand_capacity",
                    0,
                    "a fleet needs a target above 0 (on-demand, spot or both)",
                    "target_on_demand_capacity + target_spot_capacity >= 1",
                ),
            ),
            (
                {"target_on_demand_capacity": -1, "target_spot_capacity": 2},
                error("instance_fleets.task.target_on_demand_capacity", -1, "must not be negative", ">= 0"),
            ),
            (
                {"target_on_demand_capacity": 2, "target_spot_capacity": -1},
                error("instance_fleets.task.target_spot_capacity", -1, "must not be negative", ">= 0"),
            ),
        ],
    ),
    Edge(
        "primary fleet targets",
        with_fleets,
        valid=[
            {"primary": fleet(on_demand=1)},
            {"primary": fleet(on_demand=3)},
            {"primary": fleet(spot=1)},
        ],
        invalid=[
            (
                {"primary": fleet(on_demand=n)},
                error("instance_fleets.primary.target_on_demand_capacity", n, *PRIMARY_FLEET_RULE),
            )
            for n in (0, 2, 4)
        ]
        + [
            (
                {"primary": fleet(spot=2)},
                error(
                    "instance_fleets.primary.target_spot_capacity",
                    2,
                    "a spot primary fleet has exactly one node; three primaries (HA) must be on-demand",
                    "1",
                ),
            ),
            (
                {"primary": fleet(on_demand=1, spot=1)},
                error(
                    "instance_fleets.primary.target_spot_capacity",
                    1,
                    "the primary fleet takes either an on-demand or a spot target, not both",
                    "target_spot_capacity 0 when target_on_demand_capacity is set",
                ),
            ),
            (
                {"primary": fleet(on_demand=1, weight=2)},
                error(
                    "instance_fleets.primary.instance_types[0].weighted_capacity",
                    2,
                    "every instance type of the primary fleet has weighted capacity 1",
                    "1",
                ),
            ),
        ],
    ),
    Edge(
        "fleets or groups, not both",
        ClusterProps,
        valid=[{"instance_fleets": InstanceFleets()}, {"instance_groups": InstanceGroups()}],
        invalid=[
            (
                {"instance_fleets": InstanceFleets(), "instance_groups": InstanceGroups()},
                error(
                    "instance_groups",
                    "InstanceGroups(...)",
                    "a cluster uses instance fleets or instance groups for all node types, never both",
                    "set instance_fleets or instance_groups, not both",
                ),
            )
        ],
    ),
    Edge(
        "spread_primary_nodes needs three primaries",
        ClusterProps,
        base={"spread_primary_nodes": True},
        valid=[
            {"instance_fleets": InstanceFleets(primary=fleet(on_demand=3))},
            {"instance_groups": InstanceGroups(primary=InstanceGroup(instance_type="m6g.xlarge", instance_count=3))},
        ],
        invalid=[
            (
                {"instance_fleets": InstanceFleets(primary=fleet(spot=1))},
                error(
                    "spread_primary_nodes",
                    True,
                    "the SPREAD placement group applies to the primary nodes of a cluster with three primaries only",
                    "false, or three primary nodes",
                ),
            ),
            (
                {"instance_groups": InstanceGroups()},
                error(
                    "spread_primary_nodes",
                    True,
                    "the SPREAD placement group applies to the primary nodes of a cluster with three primaries only",
                    "false, or three primary nodes",
                ),
            ),
        ],
    ),
    # --- groups ------------------------------------------------------------------------------------------------
    Edge(
        "primary group count",
        with_groups,
        valid=[
            {"primary": InstanceGroup(instance_type="m6g.xlarge", instance_count=1)},
            {"primary": InstanceGroup(instance_type="m6g.xlarge", instance_count=3)},
        ],
        invalid=[
            (
                {"primary": InstanceGroup(instance_type="m6g.xlarge", instance_count=n)},
                error(
                    "instance_groups.primary.instance_count",
                    n,
                    "the primary group has one instance, or three for high availability",
                    "1 or 3",
                ),
            )
            for n in (0, 2, 4)
        ],
    ),
    Edge(
        "core and task group counts",
        with_groups,
        valid=[
            {"core": InstanceGroup(instance_type="m6g.xlarge", instance_count=1)},
            {"task": (InstanceGroup(instance_type="m6g.xlarge", instance_count=0),)},
        ],
        invalid=[
            (
                {"core": InstanceGroup(instance_type="m6g.xlarge", instance_count=0)},
                error("instance_groups.core.instance_count", 0, "too few core nodes", ">= 1"),
            ),
            (
                {
                    "task": (
                        InstanceGroup(instance_type="m6g.xlarge"),
                        InstanceGroup(instance_type="m6g.xlarge", instance_count=-1),
                    )
                },
                error("instance_groups.task[1].instance_count", -1, "must not be negative", ">= 0"),
            ),
        ],
    ),
    Edge(
        "group bid price",
        with_groups,
        valid=[
            {"task": (InstanceGroup(instance_type="m6g.xlarge", market=Market.SPOT, bid_price=p),)}
            for p in ("0.10", "1", "12.5")
        ]
        + [{"task": (InstanceGroup(instance_type="m6g.xlarge", market=Market.SPOT),)}],
        invalid=[
            (
                {"task": (InstanceGroup(instance_type="m6g.xlarge", market=Market.SPOT, bid_price=p),)},
                error("instance_groups.task[0].bid_price", p, "not a price in USD", "a decimal number such as '0.10'"),
            )
            for p in ("$1", ".5", "1.", "0.10 ")
        ]
        + [
            (
                {"task": (InstanceGroup(instance_type="m6g.xlarge", bid_price="0.10"),)},
                error(
                    "instance_groups.task[0].bid_price",
                    "0.10",
                    "a bid price only applies to the spot market",
                    "null, or market SPOT",
                ),
            ),
            (
                {"task": (InstanceGroup(instance_type="m6g.xlarge", market=raw("RESERVED")),)},
                error("instance_groups.task[0].market", "RESERVED", "unknown Market", "ON_DEMAND, SPOT"),
            ),
        ],
    ),
    Edge(
        "custom autoscaling policy capacities",
        with_core_policy,
        valid=[{"min_capacity": 0, "max_capacity": 0}, {"min_capacity": 2, "max_capacity": 2}],
        invalid=[
            (
                {"min_capacity": -1, "max_capacity": 2},
                error("instance_groups.core.auto_scaling.min_capacity", -1, "must not be negative", ">= 0"),
            ),
            (
                {"min_capacity": 3, "max_capacity": 2},
                error(
                    "instance_groups.core.auto_scaling.max_capacity",
                    2,
                    "the maximum is below the minimum",
                    ">= min_capacity (3)",
                ),
            ),
        ],
    ),
    Edge(
        "custom autoscaling policy rules",
        with_core_policy,
        valid=[{"rules": (rule(),)}, {"rules": (rule(), rule(name="ScaleIn", scaling_adjustment=-1))}],
        invalid=[
            (
                {"rules": ()},
                error("instance_groups.core.auto_scaling.rules", 0, "a policy needs rules", "at least one rule"),
            ),
            (
                {"rules": (rule(), rule(scaling_adjustment=-1))},
                error(
                    "instance_groups.core.auto_scaling.rules[1].name", "ScaleOut", "rule names repeat", "unique names"
                ),
            ),
        ],
    ),
    Edge(
        "scaling rule period",
        with_rule,
        valid=[{"period_seconds": 300}, {"period_seconds": 3600}],
        invalid=[
            ({"period_seconds": p}, scaling_rule_error("period_seconds", p, *PERIOD_RULE)) for p in (0, -300, 299, 301)
        ],
    ),
    Edge(
        "scale-in and scale-out rules",
        with_rule,
        valid=[{"scaling_adjustment": -1}, {"scaling_adjustment": 1}, {"scaling_adjustment": -100}],
        invalid=[
            (
                {"scaling_adjustment": 0},
                scaling_rule_error("scaling_adjustment", 0, "a rule must change capacity", "non-zero"),
            )
        ],
    ),
    Edge(
        "scaling rule evaluation periods and cool-down",
        with_rule,
        valid=[{"evaluation_periods": 1, "cool_down_seconds": 0}],
        invalid=[
            ({"evaluation_periods": 0}, scaling_rule_error("evaluation_periods", 0, "must be positive", ">= 1")),
            ({"cool_down_seconds": -1}, scaling_rule_error("cool_down_seconds", -1, "must not be negative", ">= 0")),
        ],
    ),
    Edge(
        "scaling rule names",
        with_rule,
        valid=[{"name": "a", "metric_name": "m"}],
        invalid=[
            ({"name": " "}, scaling_rule_error("name", " ", "empty rule name", "a name")),
            ({"metric_name": ""}, scaling_rule_error("metric_name", "", "empty metric name", "a name")),
        ],
    ),
    Edge(
        "scaling rule choices",
        with_rule,
        valid=[{"comparison_operator": ComparisonOperator.GREATER_THAN_OR_EQUAL}],
        invalid=[
            (
                {"comparison_operator": raw("ABOVE")},
                scaling_rule_error(
                    "comparison_operator",
                    "ABOVE",
                    "unknown ComparisonOperator",
                    "GREATER_THAN_OR_EQUAL, GREATER_THAN, LESS_THAN, LESS_THAN_OR_EQUAL",
                ),
            ),
            (
                {"adjustment_type": raw("DOUBLE")},
                scaling_rule_error(
                    "adjustment_type",
                    "DOUBLE",
                    "unknown AdjustmentType",
                    "CHANGE_IN_CAPACITY, PERCENT_CHANGE_IN_CAPACITY, EXACT_CAPACITY",
                ),
            ),
            (
                {"statistic": raw("MEDIAN")},
                scaling_rule_error(
                    "statistic", "MEDIAN", "unknown Statistic", "AVERAGE, SAMPLE_COUNT, SUM, MINIMUM, MAXIMUM"
                ),
            ),
        ],
    ),
    Edge(
        "group instance types and volumes",
        with_groups,
        valid=[
            {"primary": InstanceGroup(instance_type="m5.xlarge", ebs_volumes=(EbsVolume(volumes_per_instance=25),))}
        ],
        invalid=[
            (
                {"primary": InstanceGroup(instance_type="m5")},
                error(
                    "instance_groups.primary.instance_type", "m5", "not an EC2 instance type name", "e.g. 'm7g.xlarge'"
                ),
            ),
            (
                {
                    "core": InstanceGroup(
                        instance_type="m5.xlarge", instance_count=2, ebs_volumes=(EbsVolume(volumes_per_instance=26),)
                    )
                },
                error(
                    "instance_groups.core.ebs_volumes",
                    26,
                    "too many EBS volumes per instance",
                    "at most 25 (sum of volumes_per_instance)",
                ),
            ),
            (
                {
                    "core": InstanceGroup(
                        instance_type="m5.xlarge", instance_count=2, ebs_volumes=(EbsVolume(size_gib=0),)
                    )
                },
                error("instance_groups.core.ebs_volumes[0].size_gib", 0, "EBS volume size out of range", "1-16384"),
            ),
        ],
    ),
    Edge(
        "the primary group cannot scale",
        with_groups,
        valid=[{"primary": InstanceGroup(instance_type="m6g.xlarge")}],
        invalid=[
            (
                {
                    "primary": InstanceGroup(
                        instance_type="m6g.xlarge",
                        auto_scaling=AutoScalingPolicy(min_capacity=1, max_capacity=1, rules=(rule(),)),
                    )
                },
                error(
                    "instance_groups.primary.auto_scaling",
                    "AutoScalingPolicy(...)",
                    "the primary group cannot scale",
                    "null; scaling policies go on core and task groups",
                ),
            )
        ],
    ),
    # --- managed scaling ------------------------------------------------------------------------------------------
    Edge(
        "managed scaling limits",
        with_scaling,
        valid=[
            {"minimum": 1, "maximum": 1},
            {"minimum": 2, "maximum": 10, "maximum_on_demand": 0, "maximum_core": 0},
            {"minimum": 2, "maximum": 10, "maximum_on_demand": 10, "maximum_core": 10},
        ],
        invalid=[
            (
                {"minimum": 0, "maximum": 4},
                error("managed_scaling.minimum", 0, "managed scaling needs a positive minimum", ">= 1"),
            ),
            (
                {"minimum": 5, "maximum": 4},
                error("managed_scaling.maximum", 4, "the maximum is below the minimum", ">= minimum (5)"),
            ),
        ]
        + [
            ({name: value}, error(f"managed_scaling.{name}", value, "a partial limit exceeds the maximum", "0-10"))
            for name in ("maximum_on_demand", "maximum_core")
            for value in (-1, 11)
        ],
    ),
    Edge(
        "utilization_performance_index",
        with_scaling,
        base={"scaling_strategy": ScalingStrategy.ADVANCED},
        valid=[{"utilization_performance_index": i} for i in (1, 25, 50, 75, 100)],
        invalid=[
            (
                {"utilization_performance_index": i},
                error(
                    "managed_scaling.utilization_performance_index",
                    i,
                    "not a utilization performance index EMR accepts",
                    "1, 25, 50, 75, 100",
                ),
            )
            for i in (0, 2, 101)
        ]
        + [
            (
                {"utilization_performance_index": 50, "scaling_strategy": strategy},
                error(
                    "managed_scaling.utilization_performance_index",
                    50,
                    "a utilization performance index needs the ADVANCED scaling strategy",
                    "null, or scaling_strategy ADVANCED",
                ),
            )
            for strategy in (ScalingStrategy.DEFAULT, None)
        ],
    ),
    Edge(
        "scaling_strategy",
        with_scaling,
        valid=[{"scaling_strategy": ScalingStrategy.DEFAULT}, {"scaling_strategy": None}],
        invalid=[
            (
                {"scaling_strategy": raw("FAST")},
                error("managed_scaling.scaling_strategy", "FAST", "unknown ScalingStrategy", "DEFAULT, ADVANCED"),
            )
        ],
    ),
    Edge(
        "managed scaling unit type fits the capacity",
        ClusterProps,
        valid=[
            {"managed_scaling": ManagedScaling(minimum=1, maximum=4, unit_type=ScalingUnitType.INSTANCE_FLEET_UNITS)},
            {
                "managed_scaling": ManagedScaling(minimum=1, maximum=4, unit_type=ScalingUnitType.INSTANCES),
                "instance_groups": InstanceGroups(),
            },
            {
                "managed_scaling": ManagedScaling(minimum=1, maximum=4, unit_type=ScalingUnitType.VCPU),
                "instance_groups": InstanceGroups(),
            },
            {"managed_scaling": ManagedScaling(minimum=1, maximum=4), "instance_groups": InstanceGroups()},
        ],
        invalid=[
            (
                {"managed_scaling": ManagedScaling(minimum=1, maximum=4, unit_type=ScalingUnitType.INSTANCES)},
                error(
                    "managed_scaling.unit_type",
                    "Instances",
                    "unit type does not fit instance fleets",
                    "InstanceFleetUnits",
                ),
            ),
            (
                {
                    "managed_scaling": ManagedScaling(
                        minimum=1, maximum=4, unit_type=ScalingUnitType.INSTANCE_FLEET_UNITS
                    ),
                    "instance_groups": InstanceGroups(),
                },
                error(
                    "managed_scaling.unit_type",
                    "InstanceFleetUnits",
                    "unit type does not fit instance groups",
                    "Instances, VCPU",
                ),
            ),
            (
                {"managed_scaling": ManagedScaling(minimum=1, maximum=4, unit_type=raw("Nodes"))},
                error(
                    "managed_scaling.unit_type",
                    "Nodes",
                    "unknown ScalingUnitType",
                    "InstanceFleetUnits, Instances, VCPU",
                ),
            ),
        ],
    ),
    Edge(
        "managed scaling and custom autoscaling together",
        groups_scaling,
        valid=[{"managed": True, "policy": False}, {"managed": False, "policy": True}],
        invalid=[
            (
                {"managed": True, "policy": True},
                error(
                    "managed_scaling",
                    "ManagedScaling(...)",
                    "managed scaling cannot be combined with custom automatic-scaling policies on instance groups",
                    "managed_scaling or the groups' auto_scaling, not both",
                ),
            )
        ],
    ),
    # --- EBS volumes -------------------------------------------------------------------------------------------
    Edge(
        "EBS volume size",
        with_volume,
        valid=[{"size_gib": 1}, {"size_gib": 16384}],
        invalid=[
            ({"size_gib": s}, volume_error("size_gib", s, "EBS volume size out of range", "1-16384"))
            for s in (0, 16385)
        ],
    ),
    Edge(
        "EBS volumes per instance",
        with_volume_counts,
        valid=[{"counts": (1,)}, {"counts": (25,)}, {"counts": (12, 13)}],
        invalid=[
            (
                {"counts": counts},
                error(
                    "instance_fleets.core.instance_types[0].ebs_volumes",
                    26,
                    "too many EBS volumes per instance",
                    "at most 25 (sum of volumes_per_instance)",
                ),
            )
            for counts in ((26,), (13, 13))
        ]
        + [({"counts": (0,)}, volume_error("volumes_per_instance", 0, "must be positive", ">= 1"))],
    ),
    Edge(
        "io1 volumes need IOPS, gp2 takes none",
        with_volume,
        valid=[
            {"volume_type": VolumeType.IO1, "iops": 100},
            {"volume_type": VolumeType.GP3, "iops": 16000},
            {"volume_type": VolumeType.GP2},
        ],
        invalid=[
            (
                {"volume_type": VolumeType.IO1},
                volume_error("iops", None, "io1 volumes need provisioned IOPS", "an IOPS number for io1"),
            ),
            (
                {"volume_type": VolumeType.GP2, "iops": 3000},
                volume_error(
                    "iops",
                    3000,
                    "provisioned IOPS only apply to gp3 and io1 volumes, not gp2",
                    "null, or volume_type gp3/io1",
                ),
            ),
        ],
    ),
    Edge(
        "gp3 throughput",
        with_volume,
        valid=[{"throughput_mibps": 125}, {"throughput_mibps": 1000}],
        invalid=[({"throughput_mibps": t}, volume_error("throughput_mibps", t, *THROUGHPUT_RULE)) for t in (124, 1001)]
        + [
            (
                {"volume_type": VolumeType.IO1, "iops": 3000, "throughput_mibps": 125},
                volume_error("throughput_mibps", 125, *THROUGHPUT_RULE),
            )
        ],
    ),
    Edge(
        "volume_type",
        with_volume,
        valid=[{"volume_type": VolumeType.ST1}, {"volume_type": VolumeType.STANDARD}],
        invalid=[
            (
                {"volume_type": "gp4"},
                volume_error("volume_type", "gp4", "unknown VolumeType", "gp3, gp2, io1, st1, sc1, standard"),
            )
        ],
    ),
    # --- root volume -------------------------------------------------------------------------------------------
    Edge(
        "root volume size",
        ClusterProps,
        valid=[{"root_volume": RootVolume(size_gib=15)}, {"root_volume": RootVolume(size_gib=100)}],
        invalid=[
            (
                {"root_volume": RootVolume(size_gib=s)},
                error("root_volume.size_gib", s, "root volume size out of range", "15-100 GiB"),
            )
            for s in (14, 101)
        ],
    ),
    Edge(
        "root volume size before release 6.10.0",
        ClusterProps,
        base={"release_label": "emr-6.9.0"},
        valid=[{"root_volume": RootVolume(size_gib=10)}, {"root_volume": RootVolume(size_gib=100)}],
        invalid=[
            (
                {"root_volume": RootVolume(size_gib=s)},
                error("root_volume.size_gib", s, "root volume size out of range", "10-100 GiB"),
            )
            for s in (9, 101)
        ],
    ),
    Edge(
        "root volume size from release 6.10.0",
        ClusterProps,
        base={"release_label": "emr-6.10.0"},
        valid=[{"root_volume": RootVolume(size_gib=15)}],
        invalid=[
            (
                {"root_volume": RootVolume(size_gib=14)},
                error("root_volume.size_gib", 14, "root volume size out of range", "15-100 GiB"),
            )
        ],
    ),
    Edge(
        "root volume IOPS",
        ClusterProps,
        valid=[
            {"root_volume": RootVolume(iops=3000)},
            {"root_volume": RootVolume(size_gib=32, iops=16000)},
            {"root_volume": RootVolume(iops=7500)},
        ],
        invalid=[
            (
                {"root_volume": RootVolume(size_gib=100, iops=i)},
                error("root_volume.iops", i, "root volume IOPS out of range", "3000-16000"),
            )
            for i in (2999, 16001)
        ]
        + [
            (
                {"root_volume": RootVolume(iops=7501)},
                error(
                    "root_volume.iops",
                    7501,
                    "root volume IOPS above 500 per GiB of a 15 GiB volume",
                    "<= 7500, or a larger size_gib",
                ),
            ),
            (
                {"root_volume": RootVolume(size_gib=31, iops=15501)},
                error(
                    "root_volume.iops",
                    15501,
                    "root volume IOPS above 500 per GiB of a 31 GiB volume",
                    "<= 15500, or a larger size_gib",
                ),
            ),
        ],
    ),
    Edge(
        "root volume throughput",
        ClusterProps,
        valid=[
            {"root_volume": RootVolume(throughput_mibps=125)},
            {"root_volume": RootVolume(throughput_mibps=750)},
            {"root_volume": RootVolume(size_gib=8 * 4, iops=4000, throughput_mibps=1000)},
        ],
        invalid=[
            (
                {"root_volume": RootVolume(size_gib=100, iops=16000, throughput_mibps=t)},
                error("root_volume.throughput_mibps", t, "root volume throughput out of range", "125-1000 MiB/s"),
            )
            for t in (124, 1001)
        ]
        + [
            (
                {"root_volume": RootVolume(throughput_mibps=751)},
                error(
                    "root_volume.throughput_mibps",
                    751,
                    "root volume throughput above 0.25 MiB/s per IOPS (3000 IOPS)",
                    "<= 750, or more iops",
                ),
            ),
            (
                {"root_volume": RootVolume(size_gib=100, iops=3996, throughput_mibps=1000)},
                error(
                    "root_volume.throughput_mibps",
                    1000,
                    "root volume throughput above 0.25 MiB/s per IOPS (3996 IOPS)",
                    "<= 999, or more iops",
                ),
            ),
        ],
    ),
    release_feature(
        "root volume IOPS and throughput need release 6.15.0",
        lambda **c: ClusterProps(root_volume=RootVolume(iops=3000, throughput_mibps=125), **c),
        ("emr-6.15.0", "emr-7.0.0"),
        (
            (
                "emr-6.14.0",
                [
                    root_iops_error("root_volume.iops", 3000, "root volume IOPS", "emr-6.14.0"),
                    root_iops_error("root_volume.throughput_mibps", 125, "root volume throughput", "emr-6.14.0"),
                ],
            ),
        ),
    ),
    # --- names, AMI, key pair, logs, tags ----------------------------------------------------------------------
    Edge(
        "cluster name length",
        ClusterProps,
        valid=[{"name": "a"}, {"name": "a" * 256}, {"name": None}],
        invalid=[
            ({"name": n}, error("name", n, "cluster name length out of range", "1-256 characters"))
            for n in ("", "a" * 257)
        ],
    ),
    Edge(
        "custom_ami_id",
        ClusterProps,
        valid=[{"custom_ami_id": "ami-0abc1234"}, {"custom_ami_id": "ami-0abc1234def567890"}, {"custom_ami_id": None}],
        invalid=[
            ({"custom_ami_id": a}, error("custom_ami_id", a, *AMI_RULE))
            for a in ("ami-0abc123", "ami-0abc1234def5678901", "ami-0ABC1234", "xami-0abc1234", "ami-0abc1234 ")
        ],
    ),
    Edge(
        "os_release_label and ec2_key_name",
        ClusterProps,
        valid=[{"os_release_label": "2023.5.20240708.0", "ec2_key_name": "k"}],
        invalid=[
            ({"os_release_label": " "}, error("os_release_label", " ", "empty", "e.g. '2023.5.20240708.0'")),
            ({"ec2_key_name": ""}, error("ec2_key_name", "", "empty key pair name", "a key pair name, or null")),
        ],
    ),
    Edge(
        "log_prefix is a relative folder, not an s3:// URI",
        ClusterProps,
        valid=[{"log_prefix": "a/"}, {"log_prefix": "emr-logs/analytics/"}, {"log_prefix": None}],
        invalid=[
            ({"log_prefix": p}, error("log_prefix", p, *LOG_PREFIX_RULE))
            for p in ("", "logs", "/logs/", "s3://logs-bucket/emr/", "s3://")
        ],
    ),
    Edge(
        "configurations and roles are checked under their field",
        ClusterProps,
        valid=[
            {"configurations": (Configuration(classification="spark"), Configuration(classification="hive-site"))},
            {"roles": EmrRolesProps(log_group_prefix="/emr/" + "x" * 506)},
        ],
        invalid=[
            (
                {"configurations": (Configuration(classification="spark"), Configuration(classification=" "))},
                error("configurations[1].classification", " ", "empty classification", "e.g. 'spark-defaults'"),
            ),
            (
                {"roles": EmrRolesProps(log_group_prefix="/emr/" + "x" * 507)},
                error(
                    "roles.log_group_prefix",
                    "/emr/" + "x" * 507,
                    "CloudWatch log group names are 1-512 characters, and the prefix must leave room for one more",
                    "1-511 characters",
                ),
            ),
        ],
    ),
    Edge(
        "tags",
        ClusterProps,
        valid=[{"tags": {"k": ""}}, {"tags": {"k" * 128: "v" * 256}}, {"tags": {"team-aws": "x"}}],
        invalid=[
            (
                {"tags": {key: value}},
                error(
                    f"tags.{key}",
                    value,
                    "not a valid tag",
                    "key 1-128 characters not starting with 'aws:', value at most 256 characters",
                ),
            )
            for key, value in (("", "v"), ("k" * 129, "v"), ("k", "v" * 257), ("aws:team", "x"), ("AWS:team", "x"))
        ],
    ),
    # --- release and applications ------------------------------------------------------------------------------
    Edge(
        "release_label",
        ClusterProps,
        base={"auto_termination_idle_seconds": None},
        valid=[{"release_label": "emr-7.14.0"}, {"release_label": "emr-6.14.0"}, {"release_label": "emr-9.0.0"}],
        invalid=[
            (
                {"release_label": label},
                error(
                    "release_label", label, "not an EMR release label", "emr-<major>.<minor>.<patch>, e.g. 'emr-7.14.0'"
                ),
            )
            for label in ("emr-7.14", "7.14.0", "emr-7.14.0-beta", "EMR-7.14.0")
        ],
    ),
    Edge(
        "applications",
        ClusterProps,
        valid=[
            {"applications": (Application.SPARK,)},
            {"applications": (Application.HADOOP, Application.SPARK, Application.HIVE, Application.TRINO)},
        ],
        invalid=[
            (
                {"applications": (Application.SPARK, Application.HIVE, Application.SPARK)},
                error("applications[2]", "Spark", "application listed twice", "each application once"),
            ),
        ],
    ),
    release_feature(
        "managed scaling release",
        lambda **c: old(managed_scaling=SCALING, **c),
        ("emr-5.30.0", "emr-6.1.0", "emr-7.0.0"),
        tuple((label, scaling_release_error(label)) for label in ("emr-5.29.0", "emr-6.0.0")),
    ),
    release_feature(
        "auto-termination release",
        lambda **c: old(auto_termination_idle_seconds=60, **c),
        ("emr-5.30.0", "emr-6.1.0"),
        tuple((label, idle_release_error(label)) for label in ("emr-5.29.0", "emr-6.0.0")),
    ),
    release_feature(
        "log encryption release",
        lambda **c: old(encrypt_logs=True, **c),
        ("emr-5.30.0", "emr-6.1.0"),
        tuple((label, logs_release_error(label)) for label in ("emr-5.29.0", "emr-6.0.0")),
    ),
    release_feature(
        "step concurrency release",
        lambda **c: old(step_concurrency_level=2, **c),
        ("emr-5.28.0", "emr-6.0.0"),
        (("emr-5.27.0", step_release_error("emr-5.27.0")),),
    ),
    Edge(
        "step concurrency 1 needs no release feature",
        old,
        base={"release_label": "emr-5.27.0"},
        valid=[{"step_concurrency_level": 1}, {"step_concurrency_level": None}],
        invalid=[({"step_concurrency_level": 2}, step_release_error("emr-5.27.0"))],
    ),
    release_feature(
        "three primaries in instance groups release",
        lambda **c: old_groups(3, **c),
        ("emr-5.23.0", "emr-6.0.0"),
        (("emr-5.22.0", ha_groups_error("emr-5.22.0")),),
    ),
    release_feature(
        "three primaries in instance fleets release",
        old_ha_fleets,
        ("emr-5.36.1", "emr-6.9.1", "emr-6.11.1", "emr-6.12.0", "emr-7.0.0"),
        tuple((label, ha_fleets_error(label)) for label in ("emr-5.36.0", "emr-6.9.0", "emr-6.10.0", "emr-6.11.0")),
    ),
    release_feature(
        "IMDSv2 release",
        old_security(imdsv2=True),
        ("emr-5.23.1", "emr-5.27.1", "emr-5.32.0", "emr-6.2.0"),
        tuple(
            (
                label,
                feature_error(
                    "security.imdsv2",
                    True,
                    "IMDSv2 in the security configuration",
                    label,
                    "emr-5.23.1, emr-5.27.1; emr-5.32.0 and later 5.x, emr-6.2.0 and later 6.x, "
                    "emr-7.0.0 and later 7.x",
                    "https://aws.amazon.com/about-aws/whats-new/2021/03/"
                    "amazon-emr-now-supports-amazon-ec2-instance-metadata-service-v2/",
                ),
            )
            for label in ("emr-5.23.0", "emr-5.31.0", "emr-6.1.0")
        ),
    ),
    release_feature(
        "EBS encryption with KMS release",
        old_security(ebs_encryption=True),
        ("emr-5.24.0", "emr-6.0.0"),
        (
            (
                "emr-5.23.0",
                feature_error(
                    "security.ebs_encryption",
                    True,
                    "EBS encryption with KMS",
                    "emr-5.23.0",
                    "emr-5.24.0 and later 5.x, emr-6.0.0 and later 6.x, emr-7.0.0 and later 7.x",
                    f"{DOCS}/emr-data-encryption-options.html",
                ),
            ),
        ),
    ),
    release_feature(
        "Glue Data Catalog metastore release",
        lambda **c: old(glue_data_catalog=True, **c),
        ("emr-5.8.0", "emr-6.0.0"),
        (
            (
                "emr-5.7.0",
                feature_error(
                    "glue_data_catalog",
                    True,
                    "the Glue Data Catalog metastore",
                    "emr-5.7.0",
                    "emr-5.8.0 and later 5.x, emr-6.0.0 and later 6.x, emr-7.0.0 and later 7.x",
                    "https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-hive-metastore-glue.html",
                ),
            ),
        ),
    ),
    release_feature(
        "Graviton3 family release",
        lambda **c: ClusterProps(instance_fleets=InstanceFleets(core=fleet("m7g.xlarge", on_demand=2)), **c),
        ("emr-6.10.0", "emr-5.36.1", "emr-7.0.0"),
        tuple(
            (
                label,
                error(
                    "instance_fleets.core.instance_types[0].instance_type",
                    "m7g.xlarge",
                    f"instance family m7g is not supported by {label}",
                    "emr-5.36.1 and later 5.x, emr-6.10.0 and later 6.x, emr-7.0.0 and later 7.x "
                    f"[{DOCS}/emr-supported-instance-types.html], or another instance type",
                ),
            )
            for label in ("emr-6.9.0", "emr-5.36.0")
        ),
    ),
    Edge(
        "instance types EMR supports",
        with_task_type,
        valid=[{"instance_type": "m5.xlarge"}, {"instance_type": "r7g.16xlarge"}],
        invalid=[
            (
                {"instance_type": "t2.micro"},
                error(
                    "instance_fleets.task.instance_types[0].instance_type",
                    "t2.micro",
                    "not an instance type EMR supports",
                    "did you mean p2.xlarge or m2.xlarge or m1.medium? an instance type of "
                    "emr_constructs.cluster.supported_instance_types() [emr-supported-instance-types]",
                ),
            ),
            (
                {"instance_type": "q.q"},
                error(
                    "instance_fleets.task.instance_types[0].instance_type",
                    "q.q",
                    "not an instance type EMR supports",
                    "an instance type of emr_constructs.cluster.supported_instance_types() "
                    "[emr-supported-instance-types]",
                ),
            ),
        ],
    ),
    Edge(
        "every instance type checked after a malformed one",
        with_fleets,
        valid=[{"core": fleet("m6g.xlarge", "m6g.2xlarge", on_demand=2)}],
        invalid=[
            (
                {"core": fleet("m6g", "q.q", on_demand=2)},
                [
                    error(
                        "instance_fleets.core.instance_types[0].instance_type",
                        "m6g",
                        "not an EC2 instance type name",
                        "e.g. 'm7g.xlarge'",
                    ),
                    error(
                        "instance_fleets.core.instance_types[1].instance_type",
                        "q.q",
                        "not an instance type EMR supports",
                        "an instance type of emr_constructs.cluster.supported_instance_types() "
                        "[emr-supported-instance-types]",
                    ),
                ],
            )
        ],
    ),
    Edge(
        "published releases",
        ClusterProps,
        base={"auto_termination_idle_seconds": None},
        valid=[{"release_label": "emr-5.36.2"}, {"release_label": "emr-7.14.0"}],
        invalid=[
            (
                {"release_label": "emr-5.36.3"},
                error(
                    "release_label",
                    "emr-5.36.3",
                    "not an EMR release (5.0.0 or later) that EMR has published",
                    "did you mean emr-5.36.0 or emr-5.36.1? any real release from emr-5.0.0 to emr-7.14.0, "
                    "or a newer one",
                ),
            ),
            (
                {"release_label": "emr-4.9.0"},
                error(
                    "release_label",
                    "emr-4.9.0",
                    "not an EMR release (5.0.0 or later) that EMR has published",
                    "any real release from emr-5.0.0 to emr-7.14.0, or a newer one",
                ),
            ),
        ],
    ),
    Edge(
        "applications known and in the release",
        ClusterProps,
        base={"release_label": "emr-7.14.0"},
        valid=[{"applications": (Application.SPARK, Application.FLINK)}],
        invalid=[
            (
                {"applications": (Application.SPARK, raw("Sparky"))},
                error(
                    "applications[1]",
                    "Sparky",
                    "unknown application",
                    APPLICATIONS,
                ),
            ),
            (
                {"applications": (raw("Sparky"), Application.SPARK, Application.SPARK)},
                [
                    error("applications[0]", "Sparky", "unknown application", APPLICATIONS),
                    error("applications[2]", "Spark", "application listed twice", "each application once"),
                ],
            ),
            (
                {"applications": (Application.SPARK, Application.MAHOUT)},
                error(
                    "applications[1]",
                    "Mahout",
                    "application not in release emr-7.14.0",
                    "AmazonCloudWatchAgent, Delta, Flink, HBase, HCatalog, Hadoop, Hive, Hudi, Hue, Iceberg, "
                    "JupyterEnterpriseGateway, JupyterHub, Livy, Oozie, Phoenix, Pig, Presto, Spark, TensorFlow, Tez, "
                    "Trino, Zeppelin, ZooKeeper",
                ),
            ),
        ],
    ),
    Edge(
        "release rules combined: each gated feature reported once",
        old,
        valid=[{"release_label": "emr-5.30.0", "step_concurrency_level": 2, "auto_termination_idle_seconds": 60}],
        invalid=[
            (
                {"release_label": "emr-5.27.0", "step_concurrency_level": 2, "auto_termination_idle_seconds": 60},
                [idle_release_error("emr-5.27.0"), step_release_error("emr-5.27.0")],
            )
        ],
    ),
]


def test_default_capacity_is_one_primary_and_two_core_nodes() -> None:
    """The documented defaults of both capacity kinds (the rows above start from them)."""
    groups, fleets = InstanceGroups(), InstanceFleets()
    assert (groups.primary.instance_count, groups.core.instance_count, groups.task) == (1, 2, ())
    assert (fleets.primary.target_on_demand_capacity, fleets.core.target_on_demand_capacity, fleets.task) == (
        1,
        2,
        None,
    )
    assert {t for _, t in groups.instance_types() + fleets.instance_types()} == {"m6g.xlarge"}


test_valid_edge_builds_clean, test_fails_one_step_past_the_edge = edge_tests(EDGES)


def test_construct_rules_build_at_their_valid_edges() -> None:
    """The rules that need the construct's references (their invalid edges are in test_validation.py): four
    additional groups per node type, and a network with a single subnet, build without an error."""
    stack = new_stack()
    refs = platform(stack)
    extra = [ec2.SecurityGroup.from_security_group_id(stack, f"Extra{i}", f"sg-0{i:016x}") for i in range(4)]
    one_subnet = SimpleNamespace(vpc=refs.network.vpc, cluster_subnets=refs.network.cluster_subnets[:1])
    cluster = EmrCluster(
        stack,
        "Cluster",
        additional_primary_security_groups=extra,
        additional_core_security_groups=extra,
        **{**refs.cluster_args(), "network": one_subnet},
    )
    assert cluster.props == ClusterProps()
