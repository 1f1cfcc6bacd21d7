"""Shared builders for the cluster tests: a network, security groups, key and buckets, and the cluster itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from emr_constructs.cluster import ClusterProps, EmrCluster
from emr_constructs.errors import EmrConfigError
from emr_constructs.network import EmrSecurityGroups
from tests.support import new_stack

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BOOTSTRAP_SCRIPT = str(FIXTURES / "bootstrap.sh")
STEP_SCRIPT = str(FIXTURES / "job.py")
CERTIFICATES_ZIP = str(FIXTURES / "tls-certificates.zip")
SUBNET_IDS = ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3")


class StandInNetwork:
    """An ``IPlatformNetwork`` over an imported VPC: no resources, literal subnet ids (fast, stable)."""

    def __init__(self, stack: Stack, id: str = "Vpc", subnet_count: int = 2) -> None:
        ids = SUBNET_IDS[:subnet_count]
        self.vpc = ec2.Vpc.from_vpc_attributes(
            stack,
            id,
            vpc_id="vpc-0123456789abcdef0",
            availability_zones=[f"us-east-1{c}" for c in "abc"[: len(ids)]],
            private_subnet_ids=list(ids),
            private_subnet_route_table_ids=[i.replace("subnet-", "rtb-") for i in ids],
        )
        self.cluster_subnets: list[ec2.ISubnet] = list(self.vpc.private_subnets)


@dataclass
class Storage:
    """Stand-ins for the lake's key, logs bucket and artifacts bucket."""

    key: kms.Key
    logs: s3.Bucket
    artifacts: s3.Bucket


def storage(stack: Stack) -> Storage:
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    return Storage(
        key=key,
        logs=s3.Bucket(stack, "Logs", encryption_key=key, enforce_ssl=True),
        artifacts=s3.Bucket(stack, "Artifacts", encryption_key=key, enforce_ssl=True),
    )


@dataclass
class Refs:
    """What a cluster needs from the rest of the platform."""

    network: StandInNetwork
    groups: EmrSecurityGroups
    key: kms.Key
    logs: s3.Bucket
    artifacts: s3.Bucket

    def cluster_args(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "security_groups": self.groups,
            "log_bucket": self.logs,
            "encryption_key": self.key,
            "artifacts_bucket": self.artifacts,
        }


def platform(stack: Stack, shared: Storage | None = None) -> Refs:
    """Stand-ins for the network and groups in ``stack``; key and buckets from ``shared`` or new in ``stack``."""
    data = shared or storage(stack)
    network = StandInNetwork(stack)
    return Refs(
        network=network,
        groups=EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc),
        key=data.key,
        logs=data.logs,
        artifacts=data.artifacts,
    )


def cluster_error(props: ClusterProps = ClusterProps(), **overrides: Any) -> str:  # noqa: B008 - frozen dataclass
    """The message of the EmrConfigError building ``props`` raises in a fresh ``Test`` stack (as ``Test/Cluster``)."""
    stack = new_stack()
    refs = platform(stack)
    args = {**refs.cluster_args(), **overrides}
    try:
        EmrCluster(stack, "Cluster", props=props, **args)
    except EmrConfigError as error:
        return str(error)
    raise AssertionError("no EmrConfigError raised")


def problem(field: str, value: Any, rule: str, allowed: str) -> str:
    """One line of an EmrConfigError for the cluster ``Test/Cluster``."""
    return f"Test/Cluster: {field}={value!r} is invalid: {rule}; allowed: {allowed}"
