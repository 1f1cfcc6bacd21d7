"""``EmrChecks`` as a cdk-nag pack: through jsii, on raw L1 clusters, acknowledgeable, at synth and in tests.

One App, synthesized once: a compliant stage, a non-compliant one, and the same non-compliant
cluster with every finding acknowledged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Acknowledgment, App, Stack, Stage, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk.assertions import Template
from cdk_nag import AwsSolutionsChecks

from emr_constructs.policy import EmrChecks, add_policy_packs
from tests.policy.test_emr_rules import NESTED_ENCRYPTION
from tests.tools.gate.fixture_apps import GATE_CONTEXT

TOP_LEVEL_ENCRYPTION = {"EnableAtRestEncryption": True, "EnableInTransitEncryption": True}


def _network(stack: Stack, *, public: bool) -> tuple[ec2.Vpc, ec2.SecurityGroup, ec2.SecurityGroup]:
    subnet_type = ec2.SubnetType.PUBLIC if public else ec2.SubnetType.PRIVATE_ISOLATED
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="emr", subnet_type=subnet_type)],
        restrict_default_security_group=False,
    )
    primary = ec2.SecurityGroup(stack, "Primary", vpc=vpc, description="EMR primary")
    core = ec2.SecurityGroup(stack, "Core", vpc=vpc, description="EMR core")
    return vpc, primary, core


def _cluster(stack: Stack, vpc: ec2.Vpc, primary: ec2.SecurityGroup, core: ec2.SecurityGroup) -> emr.CfnCluster:
    subnet = (vpc.public_subnets or vpc.isolated_subnets)[0]
    return emr.CfnCluster(
        stack,
        "Cluster",
        name="raw",
        release_label="emr-7.5.0",
        job_flow_role="EMR_EC2_DefaultRole",
        service_role="EMR_DefaultRole",
        instances=emr.CfnCluster.JobFlowInstancesConfigProperty(
            ec2_subnet_id=subnet.subnet_id,
            emr_managed_master_security_group=primary.security_group_id,
            emr_managed_slave_security_group=core.security_group_id,
        ),
    )


def compliant(app: App) -> Stage:
    stage = Stage(app, "good")
    network = Stack(stage, "Network")
    vpc, primary, core = _network(network, public=False)
    data = Stack(stage, "Data")
    config = emr.CfnSecurityConfiguration(data, "Config", security_configuration=NESTED_ENCRYPTION)
    cluster = _cluster(data, vpc, primary, core)
    cluster.security_configuration = config.ref
    cluster.log_uri = "s3://logs-bucket/emr/"
    cluster.log_encryption_kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/abc"
    cluster.managed_scaling_policy = emr.CfnCluster.ManagedScalingPolicyProperty(
        compute_limits=emr.CfnCluster.ComputeLimitsProperty(
            minimum_capacity_units=1, maximum_capacity_units=4, unit_type="Instances"
        )
    )
    return stage


def non_compliant(app: App, name: str) -> Stage:
    stage = Stage(app, name)
    stack = Stack(stage, "Data")
    vpc, primary, core = _network(stack, public=True)
    primary.add_ingress_rule(ec2.Peer.any_ipv6(), ec2.Port.tcp(8443), "open")
    emr.CfnSecurityConfiguration(stack, "Config", security_configuration=TOP_LEVEL_ENCRYPTION)
    cluster = _cluster(stack, vpc, primary, core)
    # Escape hatches count: the rules read the synthesized template.
    cluster.add_property_override("LogUri", "s3://logs-bucket/emr/")
    return stage


#: Every rule but EMR-LogUri: the cluster's LogUri is set through an escape-hatch override, which counts.
BAD_STAGE_FINDINGS = {
    ("EMR-SecurityConfiguration", "bad/Data/Cluster"),
    ("EMR-LogEncryption", "bad/Data/Cluster"),
    ("EMR-PrivateSubnet", "bad/Data/Cluster"),
    ("EMR-ScalingOrAutoTermination", "bad/Data/Cluster"),
    ("EMR-NoOpenIngress", "bad/Data/Primary/Resource"),
    ("EMR-SecurityConfigEncryption[AtRestS3]", "bad/Data/Config"),
    ("EMR-SecurityConfigEncryption[AtRestLocalDisk]", "bad/Data/Config"),
    ("EMR-SecurityConfigEncryption[InTransit]", "bad/Data/Config"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    app = App(outdir=str(tmp_path_factory.mktemp("emr-checks")), context=GATE_CONTEXT)
    compliant(app)
    non_compliant(app, "bad")
    acked = non_compliant(app, "acked")
    by_path = {c.node.path: c for c in acked.node.find_all()}
    for rule, path in BAD_STAGE_FINDINGS:
        on = by_path[path.replace("bad/", "acked/", 1)]
        Validations.of(on).acknowledge(Acknowledgment(id=rule, reason=f"test: {rule} accepted"))
    # Before anything synthesizes: validate_scope synthesizes the stages, as Template.from_stack does.
    packs = add_policy_packs(app)
    assert [p.name for p in packs] == ["AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321", "EMR"]
    return app


def findings(scope: Any) -> set[tuple[str, str]]:
    report = EmrChecks(scope).validate_scope(scope)
    return {(v.rule_name, str(r.construct_path)) for v in report.violations for r in v.violating_resources}


def stage(app: App, name: str) -> Stage:
    found = app.node.find_child(name)
    assert isinstance(found, Stage)
    return found


def test_compliant_cluster_passes(app: App) -> None:
    assert findings(stage(app, "good")) == set()


def test_every_rule_fires_on_the_non_compliant_cluster(app: App) -> None:
    assert findings(stage(app, "bad")) == BAD_STAGE_FINDINGS


def test_acknowledged_findings_are_not_reported(app: App) -> None:
    assert findings(stage(app, "acked")) == set()


def test_awssolutions_flags_the_correct_nested_shape_which_emr_checks_accept(app: App) -> None:
    report = AwsSolutionsChecks(stage(app, "good")).validate_scope(stage(app, "good"))
    rules = {v.rule_name for v in report.violations}
    assert {"AwsSolutions-EMR4", "AwsSolutions-EMR5"} <= rules


@pytest.fixture(scope="module")
def assembly(app: App) -> Path:
    """The App synthesized with the packs registered, as ``cdk synth`` runs them."""
    return Path(app.synth().directory)


def test_findings_at_synth_land_in_the_validation_report(assembly: Path) -> None:
    report = json.loads((assembly / "validation-report.json").read_text())
    emr_report = next(p for p in report["pluginReports"] if p["pluginName"] == "EMR")
    found = {(v["ruleName"], c["constructPath"]) for v in emr_report["violations"] for c in v["violatingConstructs"]}
    assert found == BAD_STAGE_FINDINGS


def test_acknowledgements_are_written_into_staged_templates(assembly: Path, app: App) -> None:
    template = Template.from_stack(stage(app, "acked").node.find_child("Data")).to_json()  # type: ignore[arg-type]
    metadata = template["Resources"]["Cluster"]["Metadata"]["cdk_nag"]["rules_to_suppress"]
    assert {"id": "EMR-LogEncryption", "reason": "test: EMR-LogEncryption accepted"} in metadata
