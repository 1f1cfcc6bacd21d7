"""AWS Security Hub's EMR controls, proven on every cluster of every bundled environment.

EMR.1 (primary nodes without public IPs), EMR.3 (security configurations encrypt at rest) and EMR.4 (in transit)
hold by construction; EMR.2 (account-level block public access) is the job of ``EmrBlockPublicAccess``
(tests/baseline). The README's security section maps each control to the construct and to these tests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from stacks.platform_stage import PlatformStage

ENVIRONMENTS = ("dev", "staging", "prod")


def _resources(stage: PlatformStage, type_: str) -> list[dict[str, Any]]:
    return [
        resource["Properties"]
        for stack in stage.stacks
        for resource in Template.from_stack(stack).find_resources(type_).values()
    ]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_emr_1_clusters_only_in_private_subnets(platform: dict[str, PlatformStage], env: str) -> None:
    clusters = _resources(platform[env], "AWS::EMR::Cluster")
    assert clusters
    for cluster in clusters:
        # Instance fleets list their subnets, instance groups name one.
        instances = cluster["Instances"]
        subnets = json.dumps(instances.get("Ec2SubnetIds", instances.get("Ec2SubnetId")))
        assert subnets != "null"
        # The network's cluster subnets are private (NAT) or isolated; no public subnet is ever passed.
        assert "PrivateSubnet" in subnets or "IsolatedSubnet" in subnets
        assert "PublicSubnet" not in subnets
    for subnet in _resources(platform[env], "AWS::EC2::Subnet"):
        assert subnet["MapPublicIpOnLaunch"] is False


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_emr_3_and_emr_4_every_security_configuration_encrypts_at_rest_and_in_transit(
    platform: dict[str, PlatformStage], env: str
) -> None:
    configurations = _resources(platform[env], "AWS::EMR::SecurityConfiguration")
    assert len(configurations) == len(_resources(platform[env], "AWS::EMR::Cluster"))
    for configuration in configurations:
        encryption = configuration["SecurityConfiguration"]["EncryptionConfiguration"]
        assert encryption["EnableAtRestEncryption"] is True
        assert encryption["EnableInTransitEncryption"] is True
        at_rest = encryption["AtRestEncryptionConfiguration"]
        assert at_rest["S3EncryptionConfiguration"]["EncryptionMode"] == "SSE-KMS"
        assert at_rest["LocalDiskEncryptionConfiguration"]["EnableEbsEncryption"] is True
