"""EmrSecurityGroups: exactly the rules EMR needs in a private subnet, the dependency handle, tags, nag."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnResource
from aws_cdk.assertions import Template

from emr_constructs.network import EmrSecurityGroups, ExistingNetwork, ExistingNetworkProps
from emr_constructs.tags import EMR_MANAGED_POLICY_TAG_KEY, EMR_MANAGED_POLICY_TAG_VALUE
from tests.support import assert_no_nag_findings, new_stack

NETWORK = ExistingNetworkProps(
    vpc_id="vpc-0a1b2c3d4e5f60718",
    vpc_cidr="10.8.0.0/16",
    availability_zones=("eu-west-1a", "eu-west-1b"),
    private_subnet_ids=("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"),
)
#: What ``allow_all_outbound=False`` renders: CDK's placeholder that matches no traffic.
NO_EGRESS = [
    {
        "CidrIp": "255.255.255.255/32",
        "Description": "Disallow all traffic",
        "FromPort": 252,
        "IpProtocol": "icmp",
        "ToPort": 86,
    }
]


class Built:
    def __init__(self) -> None:
        self.stack = new_stack()
        network = ExistingNetwork(self.stack, "Network", props=NETWORK)
        self.groups = EmrSecurityGroups(self.stack, "EmrGroups", vpc=network.vpc)
        # Stands in for the EMR cluster, which must not be created before the rules.
        self.cluster = CfnResource(self.stack, "Cluster", type="AWS::CloudFormation::WaitConditionHandle")
        self.cluster.node.add_dependency(self.groups.rules)
        self.template = Template.from_stack(self.stack)
        self.resources: dict[str, Any] = self.template.to_json()["Resources"]

    def group_id(self, construct_id: str) -> dict[str, Any]:
        (logical_id,) = [
            k
            for k, v in self.resources.items()
            if v["Type"] == "AWS::EC2::SecurityGroup" and k.startswith(f"EmrGroups{construct_id}")
        ]
        return {"Fn::GetAtt": [logical_id, "GroupId"]}

    def of_type(self, type_: str) -> dict[str, Any]:
        return {k: v for k, v in self.resources.items() if v["Type"] == type_}


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def test_three_groups_admit_nothing_and_only_the_node_groups_reach_out(built: Built) -> None:
    groups = built.of_type("AWS::EC2::SecurityGroup")
    assert len(groups) == 3
    all_outbound = [{"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default", "IpProtocol": "-1"}]
    for logical_id, group in groups.items():
        props = group["Properties"]
        assert "SecurityGroupIngress" not in props
        expected_egress = NO_EGRESS if "ServiceAccess" in logical_id else all_outbound
        assert props["SecurityGroupEgress"] == expected_egress, logical_id
        assert props["VpcId"] == NETWORK.vpc_id
        assert {"Key": EMR_MANAGED_POLICY_TAG_KEY, "Value": EMR_MANAGED_POLICY_TAG_VALUE} in props["Tags"]


def test_service_access_admits_9443_from_the_primary_group_only(built: Built) -> None:
    ingress = built.of_type("AWS::EC2::SecurityGroupIngress")
    assert [r["Properties"] for r in ingress.values()] == [
        {
            "GroupId": built.group_id("ServiceAccess"),
            "SourceSecurityGroupId": built.group_id("Primary"),
            "IpProtocol": "tcp",
            "FromPort": 9443,
            "ToPort": 9443,
            "Description": "EMR: the primary node reaches the EMR service through the service-access group",
        }
    ]


def test_service_access_reaches_8443_on_the_primary_and_core_groups_only(built: Built) -> None:
    egress = sorted(
        (r["Properties"] for r in built.of_type("AWS::EC2::SecurityGroupEgress").values()),
        key=lambda p: str(p["DestinationSecurityGroupId"]),
    )
    expected = [
        {
            "GroupId": built.group_id("ServiceAccess"),
            "DestinationSecurityGroupId": built.group_id(target),
            "IpProtocol": "tcp",
            "FromPort": 8443,
            "ToPort": 8443,
            "Description": f"EMR: the service reaches the cluster manager on the {nodes}",
        }
        for target, nodes in (("Core", "core and task nodes"), ("Primary", "primary node"))
    ]
    assert egress == expected


def test_no_rule_names_a_cidr(built: Built) -> None:
    for rule in [
        *built.of_type("AWS::EC2::SecurityGroupIngress").values(),
        *built.of_type("AWS::EC2::SecurityGroupEgress").values(),
    ]:
        assert not {"CidrIp", "CidrIpv6", "SourcePrefixListId", "DestinationPrefixListId"} & set(rule["Properties"])


def test_a_cluster_depending_on_rules_waits_for_all_three(built: Built) -> None:
    rules = sorted(
        k
        for k, v in built.resources.items()
        if v["Type"] in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")
    )
    assert len(rules) == 3
    cluster_id = built.stack.get_logical_id(built.cluster)
    assert sorted(built.resources[cluster_id]["DependsOn"]) == rules


def test_cluster_groups_are_primary_and_core(built: Built) -> None:
    primary, core = built.groups.cluster_groups
    assert primary.node.path == "Test/EmrGroups/Primary"
    assert core.node.path == "Test/EmrGroups/Core"


def test_no_unacknowledged_nag_findings(built: Built) -> None:
    assert_no_nag_findings(built.stack)
