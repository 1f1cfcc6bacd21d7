"""The bundled app's dev environment, deployed into moto by the rehearsal, for every CLI test of the package."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.emr.models import emr_backends

from emr_constructs.cli.platform import ClusterRef, Platform, discover
from stacks.platform_stage import PlatformStage
from tests.cli.stubs import OperationStubber
from tests.tools.rehearsal.support import ENV, REGION, assembly_of, exports_clusters
from tools.assembly import load_environment
from tools.rehearsal.deploy import Rehearsal, new_session, rehearsal


@dataclass(frozen=True)
class Deployed:
    rehearsal: Rehearsal
    platform: Platform
    cluster: ClusterRef
    cluster_properties: dict[str, Any]
    """The cluster's AWS::EMR::Cluster properties from the synthesized template (cross-stack references resolved)."""

    @property
    def log_uri(self) -> str:
        """The cluster's exported log URI, without a trailing slash."""
        assert self.cluster.log_uri, "the stacks export no log URI for the cluster"
        return self.cluster.log_uri.rstrip("/")

    def moto_cluster(self) -> Any:
        return emr_backends[DEFAULT_ACCOUNT_ID][REGION].clusters[self.cluster.cluster_id]


@pytest.fixture(scope="package")
def deployed(platform: dict[str, PlatformStage]) -> Iterator[Deployed]:
    cdk_out = assembly_of(platform[ENV])
    assert exports_clusters(cdk_out, ENV), f"the bundled app's {ENV} environment exports no cluster to test against"
    stacks = load_environment(cdk_out, ENV)
    with rehearsal(stacks, env=ENV, region=REGION) as run:
        results = run.deploy()
        assert run.ok, [(r.stack_name, r.status, r.reasons) for r in results]
        found = discover(run.session().client("cloudformation"), ENV, REGION)
        [cluster] = [c for c in found.clusters if c.name == "analytics"]
        yield Deployed(run, found, cluster, run.emr_answers.clusters[cluster.cluster_id])


@pytest.fixture
def session(deployed: Deployed) -> boto3.Session:
    """A fresh session in moto's account and the environment's region, as an operator's would be."""
    return new_session(region_name=REGION)


@pytest.fixture
def emr_stub(session: boto3.Session) -> Iterator[OperationStubber]:
    """Stubs only the EMR calls moto 5.2.5 lacks: ListInstanceFleets and GetManagedScalingPolicy."""
    stub = OperationStubber(session, "emr", ["ListInstanceFleets", "GetManagedScalingPolicy"])
    stub.activate()
    yield stub
    stub.deactivate()
