"""``TransientClusterPipeline.like``: a transient cluster that runs as a long-running one does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

from emr_constructs.cluster import ClusterProps, EmrCluster, KerberosProps, SecurityConfigurationProps
from emr_constructs.errors import EmrConfigError
from emr_constructs.iam import EmrRolesProps
from emr_constructs.orchestration import SparkJob, TransientClusterPipeline, TransientClusterProps
from tests.cluster.builders import platform
from tests.orchestration.definitions import definition_parts, state_machine
from tests.support import nag_findings, new_app


def build(roles: EmrRolesProps) -> tuple[Stack, EmrCluster]:
    stack = Stack(new_app(), "Platform")
    cluster = EmrCluster(stack, "Analytics", props=ClusterProps(roles=roles), **platform(stack).cluster_args())
    return stack, cluster


def test_like_takes_the_roles_groups_security_configuration_logs_and_subnet_of_the_cluster() -> None:
    stack, cluster = build(EmrRolesProps(create_autoscaling_role=True))
    pipeline = TransientClusterPipeline.like(
        stack,
        "Backfill",
        cluster=cluster,
        transient=TransientClusterProps(core_instance_count=4),
        jobs=[SparkJob(name="batch-etl", script_uri="s3://b/job.py")],
    )
    template = Template.from_stack(stack).to_json()
    text = json.dumps(state_machine(template, pipeline)["Properties"]["DefinitionString"])
    resolve = stack.resolve
    roles, groups = cluster.roles, cluster.security_groups
    assert roles.autoscaling_role is not None
    for expected in (
        roles.service_role.role_name,
        roles.instance_role.role_name,
        roles.autoscaling_role.role_name,
        cluster.security_configuration.security_configuration_name,
        groups.primary.security_group_id,
        groups.core.security_group_id,
        groups.service_access.security_group_id,
    ):
        assert json.dumps(resolve(expected)) in text, expected
    assert '\\"Ec2SubnetId\\":\\"subnet-0aaaaaaaaaaaaaaa1\\"' in text  # the cluster's first subnet
    assert '\\"InstanceCount\\":4' in text
    # The logs go where the cluster's go (its instance role may write there): the same log URI.
    parts = definition_parts(template, pipeline)
    [at] = [i for i, part in enumerate(parts) if isinstance(part, str) and part.endswith('"LogUri":"s3://')]
    assert [parts[at + 1], parts[at + 2].split('"')[0]] == resolve(cluster.log_uri)["Fn::Join"][1][1:]
    passed = _pass_role_resources(template, pipeline)
    assert sorted(map(json.dumps, passed)) == sorted(
        json.dumps(resolve(r.role_arn)) for r in (roles.service_role, roles.instance_role, roles.autoscaling_role)
    )
    # The stand-in buckets of the test platform have findings of their own; the pipeline none.
    assert [f for f in nag_findings(stack.node.root) if "Platform/Backfill" in f] == []  # type: ignore[arg-type]


def _pass_role_resources(template: dict[str, Any], pipeline: TransientClusterPipeline) -> list[Any]:
    role_id = Stack.of(pipeline).get_logical_id(pipeline.state_machine.role.node.default_child)  # type: ignore[arg-type]
    statements = [
        statement
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in resource["Properties"]["Roles"]
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]
    [pass_role] = [s for s in statements if s["Action"] == "iam:PassRole" or s["Action"] == ["iam:PassRole"]]
    resources = pass_role["Resource"]
    return resources if isinstance(resources, list) else [resources]


def test_fails_like_a_cluster_without_an_autoscaling_role() -> None:
    stack, cluster = build(EmrRolesProps())
    with pytest.raises(EmrConfigError) as raised:
        TransientClusterPipeline.like(
            stack, "Backfill", cluster=cluster, jobs=[SparkJob(name="batch-etl", script_uri="s3://b/job.py")]
        )
    assert str(raised.value) == (
        "Platform/Backfill: cluster='Platform/Analytics' is invalid: its roles have no autoscaling role, which a "
        "cluster created by Step Functions is given; allowed: a cluster whose roles are created with "
        "EmrRolesProps(create_autoscaling_role=True), or brought with autoscaling_role"
    )


def test_fails_like_something_that_is_not_a_cluster() -> None:
    stack, _ = build(EmrRolesProps(create_autoscaling_role=True))
    with pytest.raises(EmrConfigError) as raised:
        TransientClusterPipeline.like(
            stack,
            "Backfill",
            cluster="j-1ABCDEFGHIJKL",
            jobs=[SparkJob(name="x", script_uri="s3://b/x.py")],  # type: ignore[arg-type]
        )
    assert "Platform/Backfill: cluster=" in str(raised.value) and "EmrCluster" in str(raised.value)


def test_fails_like_a_kerberos_cluster() -> None:
    stack = Stack(new_app(), "Platform")
    props = ClusterProps(
        roles=EmrRolesProps(create_autoscaling_role=True),
        security=SecurityConfigurationProps(kerberos=KerberosProps(realm="EC2.INTERNAL")),
    )
    refs = platform(stack)
    secret = secretsmanager.Secret(stack, "KdcPassword")
    cluster = EmrCluster(stack, "Analytics", props=props, kdc_admin_password=secret, **refs.cluster_args())
    with pytest.raises(EmrConfigError) as raised:
        TransientClusterPipeline.like(
            stack, "Backfill", cluster=cluster, jobs=[SparkJob(name="batch-etl", script_uri="s3://b/job.py")]
        )
    assert str(raised.value) == (
        "Platform/Backfill: cluster='Platform/Analytics' is invalid: its security configuration uses Kerberos, and "
        "the transient cluster would be created without the KDC admin password RunJobFlow then requires; "
        "allowed: a cluster without Kerberos"
    )


def test_the_instance_role_gets_a_profile_of_its_own_name_as_run_job_flow_expects() -> None:
    stack, cluster = build(EmrRolesProps(create_autoscaling_role=True))
    pipeline = TransientClusterPipeline.like(
        stack, "Backfill", cluster=cluster, jobs=[SparkJob(name="batch-etl", script_uri="s3://b/job.py")]
    )
    template = Template.from_stack(stack).to_json()
    role = stack.resolve(cluster.roles.instance_role.role_name)
    profiles = {
        k: r["Properties"] for k, r in template["Resources"].items() if r["Type"] == "AWS::IAM::InstanceProfile"
    }
    # The cluster's own profile (generated name) and the pipeline's, named after the role: JobFlowRole names it.
    assert profiles[stack.get_logical_id(pipeline.instance_profile)] == {"InstanceProfileName": role, "Roles": [role]}
    parts = definition_parts(template, pipeline)
    [at] = [i for i, part in enumerate(parts) if isinstance(part, str) and part.endswith('"JobFlowRole":"')]
    assert parts[at + 1] == role


def test_fails_transient_instance_types_emr_does_not_run() -> None:
    problems = TransientClusterProps(primary_instance_type="m7g.xlarg", core_instance_type="m5.xlarge").problems()
    assert [p.message("t") for p in problems] == [
        "t: primary_instance_type='m7g.xlarg' is invalid: not an instance type EMR supports; allowed: did you mean "
        "m7g.xlarge or m7g.8xlarge or m7g.4xlarge? an instance type of "
        "emr_constructs.cluster.supported_instance_types() [emr-supported-instance-types]"
    ]
    gated = TransientClusterProps(release_label="emr-6.5.0", primary_instance_type="m5.xlarge").problems()
    assert [p.message("t") for p in gated] == [
        "t: core_instance_type='m7g.xlarge' is invalid: instance family m7g is not supported by emr-6.5.0; allowed: "
        "emr-5.36.1 and later 5.x, emr-6.10.0 and later 6.x, emr-7.0.0 and later 7.x "
        "[https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-supported-instance-types.html], "
        "or another instance type"
    ]
    assert TransientClusterProps(release_label="emr-6.10.0").problems() == []


def test_pipelines_like_the_same_cluster_share_one_profile_beside_its_role() -> None:
    stack, cluster = build(EmrRolesProps(create_autoscaling_role=True))
    pipelines = [
        TransientClusterPipeline.like(
            stack, name, cluster=cluster, jobs=[SparkJob(name="batch-etl", script_uri="s3://b/job.py")]
        )
        for name in ("Backfill", "Reprocess")
    ]
    assert pipelines[0].instance_profile is pipelines[1].instance_profile
    assert Stack.of(pipelines[0].instance_profile) is Stack.of(cluster.roles.instance_role)
    named = [
        r["Properties"]
        for r in Template.from_stack(stack).to_json()["Resources"].values()
        if r["Type"] == "AWS::IAM::InstanceProfile" and "InstanceProfileName" in r["Properties"]
    ]
    assert len(named) == 1
