"""What a cluster looks like right now: state, release, applications, capacity and managed-scaling limits."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from emr_constructs.cli.platform import ClusterRef

_ENDED = {"TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"}


@dataclass(frozen=True)
class NodeCapacity:
    """One instance fleet or instance group; capacity in fleet units (fleets) or instances (groups)."""

    role: str
    """MASTER, CORE or TASK."""
    name: str
    state: str
    instance_types: tuple[str, ...]
    on_demand_target: int
    on_demand_provisioned: int
    spot_target: int
    spot_provisioned: int


@dataclass(frozen=True)
class ScalingLimits:
    unit_type: str
    minimum: int
    maximum: int
    maximum_on_demand: int | None
    maximum_core: int | None


@dataclass(frozen=True)
class ClusterStatus:
    name: str
    """The cluster's key in the environment's settings (e.g. ``analytics``)."""
    cluster_id: str
    cluster_name: str
    """The EMR cluster name."""
    state: str
    state_reason: str | None
    release: str | None
    applications: tuple[str, ...]
    collection: str
    """``INSTANCE_FLEET`` or ``INSTANCE_GROUP``."""
    nodes: tuple[NodeCapacity, ...]
    scaling: ScalingLimits | None
    log_uri: str | None

    @property
    def ended(self) -> bool:
        return self.state in _ENDED

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def cluster_state(emr: Any, cluster_id: str) -> tuple[str, str | None, dict[str, Any]]:
    """The cluster's state, the reason AWS gives for it, and the whole DescribeCluster answer."""
    cluster: dict[str, Any] = emr.describe_cluster(ClusterId=cluster_id)["Cluster"]
    status = cluster.get("Status", {})
    reason = status.get("StateChangeReason", {}).get("Message") or None
    return str(status.get("State", "UNKNOWN")), reason, cluster


def describe(emr: Any, ref: ClusterRef) -> ClusterStatus:
    state, reason, cluster = cluster_state(emr, ref.cluster_id)
    collection = cluster.get("InstanceCollectionType", "INSTANCE_GROUP")
    nodes: tuple[NodeCapacity, ...] = ()
    scaling = None
    if state not in _ENDED:
        nodes = _fleets(emr, ref.cluster_id) if collection == "INSTANCE_FLEET" else _groups(emr, ref.cluster_id)
        scaling = _scaling(emr, ref.cluster_id)
    applications = tuple(
        " ".join(part for part in (a.get("Name"), a.get("Version")) if part)
        for a in cluster.get("Applications", [])
        if a.get("Name")
    )
    return ClusterStatus(
        name=ref.name,
        cluster_id=ref.cluster_id,
        cluster_name=str(cluster.get("Name", "")),
        state=state,
        state_reason=reason,
        release=cluster.get("ReleaseLabel"),
        applications=applications,
        collection=collection,
        nodes=nodes,
        scaling=scaling,
        log_uri=ref.log_uri or cluster.get("LogUri"),
    )


def _fleets(emr: Any, cluster_id: str) -> tuple[NodeCapacity, ...]:
    nodes = []
    for page in emr.get_paginator("list_instance_fleets").paginate(ClusterId=cluster_id):
        for fleet in page["InstanceFleets"]:
            nodes.append(
                NodeCapacity(
                    role=fleet.get("InstanceFleetType", "?"),
                    name=fleet.get("Name", ""),
                    state=fleet.get("Status", {}).get("State", "UNKNOWN"),
                    instance_types=tuple(s["InstanceType"] for s in fleet.get("InstanceTypeSpecifications", [])),
                    on_demand_target=fleet.get("TargetOnDemandCapacity", 0),
                    on_demand_provisioned=fleet.get("ProvisionedOnDemandCapacity", 0),
                    spot_target=fleet.get("TargetSpotCapacity", 0),
                    spot_provisioned=fleet.get("ProvisionedSpotCapacity", 0),
                )
            )
    return _by_role(nodes)


def _groups(emr: Any, cluster_id: str) -> tuple[NodeCapacity, ...]:
    nodes = []
    for page in emr.get_paginator("list_instance_groups").paginate(ClusterId=cluster_id):
        for group in page["InstanceGroups"]:
            requested = group.get("RequestedInstanceCount", 0)
            running = group.get("RunningInstanceCount", 0)
            spot = group.get("Market") == "SPOT"
            nodes.append(
                NodeCapacity(
                    role=group.get("InstanceGroupType", "?"),
                    name=group.get("Name", ""),
                    state=group.get("Status", {}).get("State", "UNKNOWN"),
                    instance_types=(group["InstanceType"],) if group.get("InstanceType") else (),
                    on_demand_target=0 if spot else requested,
                    on_demand_provisioned=0 if spot else running,
                    spot_target=requested if spot else 0,
                    spot_provisioned=running if spot else 0,
                )
            )
    return _by_role(nodes)


def _by_role(nodes: list[NodeCapacity]) -> tuple[NodeCapacity, ...]:
    order = {"MASTER": 0, "CORE": 1, "TASK": 2}
    return tuple(sorted(nodes, key=lambda n: (order.get(n.role, 3), n.name)))


def _scaling(emr: Any, cluster_id: str) -> ScalingLimits | None:
    policy = emr.get_managed_scaling_policy(ClusterId=cluster_id).get("ManagedScalingPolicy")
    limits = (policy or {}).get("ComputeLimits")
    if not limits:
        return None
    return ScalingLimits(
        unit_type=limits["UnitType"],
        minimum=limits["MinimumCapacityUnits"],
        maximum=limits["MaximumCapacityUnits"],
        maximum_on_demand=limits.get("MaximumOnDemandCapacityUnits"),
        maximum_core=limits.get("MaximumCoreCapacityUnits"),
    )
