"""Clusters built from settings JSON, the way the compute stacks compose them: dev and an HA production cluster.

The JSON below is the shape ``ClusterProps`` takes in ``config/<env>.json`` (parsed by the app's settings
parser). The stacks mirror the platform's: ``Network`` (security groups), ``Data`` (key and buckets) and one
compute stack per cluster, referencing the others across stacks.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from emr_constructs.cluster import ClusterProps, EmrCluster
from emr_constructs.errors import Problem
from emr_constructs.network import EmrSecurityGroups
from emr_constructs.settings import parse_into
from tests.cluster.builders import StandInNetwork, storage
from tests.support import cfn_lint, nag_findings, new_app

DEV_SETTINGS: dict[str, Any] = {
    "release_label": "emr-7.14.0",
    "applications": ["Hadoop", "Spark", "Hive"],
    "glue_data_catalog": True,
    "spark_dynamic_allocation": True,
    "instance_fleets": {
        "primary": {
            "instance_types": [{"instance_type": "m7g.xlarge"}, {"instance_type": "m6g.xlarge"}],
            "target_on_demand_capacity": 1,
        },
        "core": {
            "instance_types": [
                {"instance_type": "m7g.xlarge"},
                {"instance_type": "m6g.xlarge"},
                {"instance_type": "m6gd.xlarge"},
            ],
            "target_spot_capacity": 2,
        },
        "task": {
            "instance_types": [
                {"instance_type": "m7g.2xlarge", "weighted_capacity": 2},
                {"instance_type": "m6g.2xlarge", "weighted_capacity": 2},
            ],
            "target_spot_capacity": 4,
        },
    },
    "auto_termination_idle_seconds": 3600,
    "tags": {"cost-center": "analytics-dev"},
}

PROD_SETTINGS: dict[str, Any] = {
    "name": "analytics-prod",
    "release_label": "emr-7.14.0",
    "applications": ["Hadoop", "Spark", "Hive", "Livy"],
    "glue_data_catalog": True,
    "instance_fleets": {
        "primary": {
            "instance_types": [{"instance_type": "m7g.2xlarge"}, {"instance_type": "m6g.2xlarge"}],
            "target_on_demand_capacity": 3,
        },
        "core": {
            "instance_types": [
                {"instance_type": "r7g.2xlarge", "ebs_volumes": [{"size_gib": 256, "volume_type": "gp3"}]},
                {"instance_type": "r6g.2xlarge", "ebs_volumes": [{"size_gib": 256, "volume_type": "gp3"}]},
            ],
            "target_on_demand_capacity": 4,
            "on_demand_allocation_strategy": "lowest-price",
        },
        "task": {
            "instance_types": [
                {"instance_type": "m7g.4xlarge", "weighted_capacity": 2},
                {"instance_type": "m6g.4xlarge", "weighted_capacity": 2},
                {"instance_type": "c7g.4xlarge", "weighted_capacity": 2},
                {"instance_type": "r7g.2xlarge"},
                {"instance_type": "m7g.2xlarge"},
                {"instance_type": "m6g.2xlarge"},
            ],
            "target_spot_capacity": 8,
            "spot_allocation_strategy": "price-capacity-optimized",
            "spot_timeout_action": "SWITCH_TO_ON_DEMAND",
            "spot_timeout_minutes": 20,
        },
    },
    "managed_scaling": {"minimum": 12, "maximum": 60, "maximum_on_demand": 16, "maximum_core": 16},
    "termination_protection": True,
    "auto_termination_idle_seconds": None,
    "spread_primary_nodes": True,
    "step_concurrency_level": 4,
    "unhealthy_node_replacement": True,
    "root_volume": {"size_gib": 50, "iops": 4000, "throughput_mibps": 250},
    "tags": {"cost-center": "analytics"},
}


def parse(settings: dict[str, Any]) -> ClusterProps:
    problems: list[Problem] = []
    props = parse_into(ClusterProps, settings, "compute.cluster", problems)
    assert problems == []
    return props


class Built:
    def __init__(self) -> None:
        self.app = new_app()
        network_stack = Stack(self.app, "Network")
        network = StandInNetwork(network_stack)
        groups = EmrSecurityGroups(network_stack, "EmrSecurityGroups", vpc=network.vpc)
        data = storage(Stack(self.app, "Data"))
        self.stacks: dict[str, Stack] = {}
        self.clusters: dict[str, EmrCluster] = {}
        for name, settings in (("Dev", DEV_SETTINGS), ("Prod", PROD_SETTINGS)):
            stack = Stack(self.app, name)
            self.clusters[name] = EmrCluster(
                stack,
                "Cluster",
                props=parse(settings),
                network=network,
                security_groups=groups,
                log_bucket=data.logs,
                encryption_key=data.key,
                artifacts_bucket=data.artifacts,
            )
            self.stacks[name] = stack
        self.templates = {name: Template.from_stack(stack) for name, stack in self.stacks.items()}
        self.network_stack = network_stack


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def cluster(built: Built, name: str) -> dict[str, Any]:
    (resource,) = built.templates[name].find_resources("AWS::EMR::Cluster").values()
    return dict(resource)


def test_settings_parse_into_props_without_problems() -> None:
    dev, prod = parse(DEV_SETTINGS), parse(PROD_SETTINGS)
    assert dev.problems() == [] and prod.problems() == []
    assert prod.primary_count == 3 and dev.primary_count == 1


def test_prod_has_three_on_demand_primaries_spread_over_hardware(built: Built) -> None:
    properties = cluster(built, "Prod")["Properties"]
    primary = properties["Instances"]["MasterInstanceFleet"]
    assert (primary["TargetOnDemandCapacity"], primary["TargetSpotCapacity"]) == (3, 0)
    assert [t["InstanceType"] for t in primary["InstanceTypeConfigs"]] == ["m7g.2xlarge", "m6g.2xlarge"]
    assert properties["PlacementGroupConfigs"] == [{"InstanceRole": "MASTER", "PlacementStrategy": "SPREAD"}]
    assert properties["Instances"]["TerminationProtected"] is True


def test_prod_core_is_on_demand_with_ebs(built: Built) -> None:
    core = cluster(built, "Prod")["Properties"]["Instances"]["CoreInstanceFleet"]
    assert (core["TargetOnDemandCapacity"], core["TargetSpotCapacity"]) == (4, 0)
    assert core["LaunchSpecifications"] == {"OnDemandSpecification": {"AllocationStrategy": "lowest-price"}}
    assert core["InstanceTypeConfigs"][0]["EbsConfiguration"] == {
        "EbsBlockDeviceConfigs": [
            {"VolumeSpecification": {"SizeInGB": 256, "VolumeType": "gp3"}, "VolumesPerInstance": 1}
        ]
    }


def test_prod_task_fleet_is_spot_with_allocation_strategy_and_timeout(built: Built) -> None:
    (task,) = cluster(built, "Prod")["Properties"]["Instances"]["TaskInstanceFleets"]
    assert (task["TargetOnDemandCapacity"], task["TargetSpotCapacity"]) == (0, 8)
    assert task["LaunchSpecifications"] == {
        "SpotSpecification": {
            "AllocationStrategy": "price-capacity-optimized",
            "TimeoutAction": "SWITCH_TO_ON_DEMAND",
            "TimeoutDurationMinutes": 20,
        }
    }
    assert [(t["InstanceType"], t["WeightedCapacity"]) for t in task["InstanceTypeConfigs"]][:3] == [
        ("m7g.4xlarge", 2),
        ("m6g.4xlarge", 2),
        ("c7g.4xlarge", 2),
    ]


def test_prod_managed_scaling_and_lifecycle(built: Built) -> None:
    properties = cluster(built, "Prod")["Properties"]
    assert properties["ManagedScalingPolicy"] == {
        "ComputeLimits": {
            "UnitType": "InstanceFleetUnits",
            "MinimumCapacityUnits": 12,
            "MaximumCapacityUnits": 60,
            "MaximumOnDemandCapacityUnits": 16,
            "MaximumCoreCapacityUnits": 16,
        }
    }
    assert properties["StepConcurrencyLevel"] == 4
    assert properties["Instances"]["UnhealthyNodeReplacement"] is True
    assert "AutoTerminationPolicy" not in properties
    assert properties["Name"] == "analytics-prod"


def test_dev_is_spot_heavy_and_auto_terminates(built: Built) -> None:
    properties = cluster(built, "Dev")["Properties"]
    instances = properties["Instances"]
    assert instances["MasterInstanceFleet"]["TargetOnDemandCapacity"] == 1
    assert (
        instances["CoreInstanceFleet"]["TargetSpotCapacity"],
        instances["TaskInstanceFleets"][0]["TargetSpotCapacity"],
    ) == (2, 4)
    assert properties["AutoTerminationPolicy"] == {"IdleTimeout": 3600}
    assert instances["TerminationProtected"] is False


def test_security_group_rules_in_another_stack_become_a_stack_dependency(built: Built) -> None:
    """DependsOn cannot cross stacks: the dependency on the rules (and the group references) make it a stack one."""
    for stack in built.stacks.values():
        assert built.network_stack in stack.dependencies


@pytest.mark.parametrize("name", ["Dev", "Prod"])
def test_no_unacknowledged_nag_findings(built: Built, name: str) -> None:
    assert nag_findings(built.clusters[name]) == []


def test_cfn_lint_reports_no_errors(built: Built) -> None:
    assert cfn_lint(built.templates["Prod"].to_json(), errors_only=True) == []


def test_prod_snapshot(built: Built, template_snapshot: Any) -> None:
    assert template_snapshot == built.templates["Prod"].to_json()
