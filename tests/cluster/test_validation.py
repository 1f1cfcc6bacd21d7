"""Every synth-time rule of the cluster: one ``test_fails_*`` per rule, asserting the exact message.

Each builds the cluster in a fresh stack (``Test/Cluster``) with stand-in references; nothing is synthesized.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from aws_cdk import CfnParameter, Environment, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

from emr_constructs.cluster import (
    ActionOnFailure,
    AutoScalingPolicy,
    BootstrapAction,
    ClusterProps,
    ComparisonOperator,
    Configuration,
    EbsVolume,
    EmrCluster,
    EmrSecurityConfiguration,
    InstanceFleet,
    InstanceFleets,
    InstanceGroup,
    InstanceGroups,
    InstanceTypeConfig,
    KerberosProps,
    ManagedScaling,
    Market,
    RootVolume,
    ScalingRule,
    ScalingStrategy,
    ScalingUnitType,
    SecurityConfigurationProps,
    SparkStep,
    TlsCertificates,
    VolumeType,
    get_release,
)
from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.releases import supported_instance_types
from emr_constructs.errors import EmrConfigError
from emr_constructs.iam import EmrRoles
from tests.cluster.builders import BOOTSTRAP_SCRIPT, STEP_SCRIPT, cluster_error, platform, problem
from tests.support import new_app, new_stack

HA_FLEET_RELEASES = (
    "emr-5.36.1, emr-5.36.2, emr-6.8.1, emr-6.9.1, emr-6.10.1, emr-6.11.1; emr-6.12.0 and later 6.x, "
    "emr-7.0.0 and later 7.x [https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-ha.html]"
)
ROOT_IOPS_RELEASES = (
    "emr-6.15.0 and later 6.x, emr-7.0.0 and later 7.x "
    "[https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-custom-ami-root-volume-size.html]"
)


#: Real instance types (every release in the table supports these families), enough for the 30-type limit.
GRAVITON_TYPES = tuple(
    t for t in supported_instance_types() if t.split(".")[0] in {"m6g", "r6g", "c6g", "m6gd", "r6gd", "c6gd", "c6gn"}
)


def fleet(*types: str, on_demand: int = 0, spot: int = 0, weight: int = 1, **options: Any) -> InstanceFleet:
    configs = tuple(InstanceTypeConfig(instance_type=t, weighted_capacity=weight) for t in types or ("m6g.xlarge",))
    return InstanceFleet(
        instance_types=configs, target_on_demand_capacity=on_demand, target_spot_capacity=spot, **options
    )


def fleets(
    primary: InstanceFleet | None = None, core: InstanceFleet | None = None, task: InstanceFleet | None = None
) -> InstanceFleets:
    return InstanceFleets(primary=primary or fleet(on_demand=1), core=core or fleet(on_demand=2), task=task)


def scaling_rule(**overrides: Any) -> ScalingRule:
    values: dict[str, Any] = {
        "name": "ScaleOut",
        "metric_name": "YARNMemoryAvailablePercentage",
        "comparison_operator": ComparisonOperator.LESS_THAN,
        "threshold": 15.0,
        "scaling_adjustment": 1,
    }
    values.update(overrides)
    return ScalingRule(**values)


def groups_with_core_scaling(**policy: Any) -> InstanceGroups:
    values: dict[str, Any] = {"min_capacity": 2, "max_capacity": 10, "rules": (scaling_rule(),)}
    values.update(policy)
    return InstanceGroups(
        core=InstanceGroup(instance_type="m6g.xlarge", instance_count=2, auto_scaling=AutoScalingPolicy(**values))
    )


# --- release and applications ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["emr-6.14.0", "emr-5.36.0", "emr-7.3.0", "emr-9.0.0"])
def test_any_real_or_newer_release_has_no_problems(label: str) -> None:
    assert ClusterProps(release_label=label, auto_termination_idle_seconds=None).problems() == []


def test_fails_instance_type_too_small_for_emr() -> None:
    props = ClusterProps(instance_fleets=fleets(core=fleet("t2.micro", on_demand=2)))
    assert "t2.micro' is invalid: not an instance type EMR supports" in cluster_error(props)


def test_fails_application_not_in_release() -> None:
    release = get_release("emr-7.14.0")
    assert release is not None
    assert cluster_error(ClusterProps(applications=(Application.SPARK, Application.MAHOUT))) == problem(
        "applications[1]", "Mahout", "application not in release emr-7.14.0", ", ".join(sorted(release.applications))
    )


# --- capacity ---------------------------------------------------------------------------------------------


def test_fails_negative_target() -> None:
    message = cluster_error(ClusterProps(instance_fleets=fleets(task=fleet(on_demand=2, spot=-1))))
    assert message == problem("instance_fleets.task.target_spot_capacity", -1, "must not be negative", ">= 0")


def test_fails_six_instance_types_without_allocation_strategy() -> None:
    types = ("m6g.xlarge", "m6g.2xlarge", "m7g.xlarge", "m7g.2xlarge", "r6g.xlarge", "r7g.xlarge")
    assert cluster_error(ClusterProps(instance_fleets=fleets(core=fleet(*types, on_demand=2)))) == problem(
        "instance_fleets.core.instance_types",
        6,
        "wrong number of instance types in a fleet",
        "1-5, or 1-30 with an allocation strategy (spot capacity or on_demand_allocation_strategy)",
    )


def test_thirty_instance_types_with_allocation_strategy_pass() -> None:
    types = GRAVITON_TYPES[:30]
    assert ClusterProps(instance_fleets=fleets(task=fleet(*types, spot=4))).problems() == []


def test_fails_thirty_one_instance_types() -> None:
    types = GRAVITON_TYPES[:31]
    assert cluster_error(ClusterProps(instance_fleets=fleets(task=fleet(*types, spot=4)))) == problem(
        "instance_fleets.task.instance_types",
        31,
        "wrong number of instance types in a fleet",
        "1-5, or 1-30 with an allocation strategy (spot capacity or on_demand_allocation_strategy)",
    )


def test_fails_spot_timeout_out_of_range() -> None:
    task = fleet(spot=2, spot_timeout_minutes=2)
    assert cluster_error(ClusterProps(instance_fleets=fleets(task=task))) == problem(
        "instance_fleets.task.spot_timeout_minutes", 2, "spot provisioning timeout out of range", "5-1440 minutes"
    )


def test_fails_unknown_spot_allocation_strategy() -> None:
    task = fleet(spot=2, spot_allocation_strategy="cheapest")
    message = cluster_error(ClusterProps(instance_fleets=fleets(task=task)))
    assert message == problem(
        "instance_fleets.task.spot_allocation_strategy",
        "cheapest",
        "unknown SpotAllocationStrategy",
        "price-capacity-optimized, capacity-optimized, capacity-optimized-prioritized, lowest-price, diversified",
    )


def test_fails_unknown_spot_timeout_action() -> None:
    task = fleet(spot=2, spot_timeout_action="WAIT")
    assert cluster_error(ClusterProps(instance_fleets=fleets(task=task))) == problem(
        "instance_fleets.task.spot_timeout_action",
        "WAIT",
        "unknown SpotTimeoutAction",
        "SWITCH_TO_ON_DEMAND, TERMINATE_CLUSTER",
    )


def test_fails_bid_percentage_out_of_range() -> None:
    task = InstanceFleet(
        instance_types=(InstanceTypeConfig(instance_type="m6g.xlarge", bid_price_percentage=1001),),
        target_spot_capacity=1,
    )
    assert cluster_error(ClusterProps(instance_fleets=fleets(task=task))) == problem(
        "instance_fleets.task.instance_types[0].bid_price_percentage",
        1001,
        "spot bid as a percentage of the on-demand price out of range",
        "0-1000",
    )


def test_fails_primary_group_of_two() -> None:
    groups = InstanceGroups(primary=InstanceGroup(instance_type="m6g.xlarge", instance_count=2))
    assert cluster_error(ClusterProps(instance_groups=groups)) == problem(
        "instance_groups.primary.instance_count",
        2,
        "the primary group has one instance, or three for high availability",
        "1 or 3",
    )


def test_fails_core_group_empty() -> None:
    groups = InstanceGroups(core=InstanceGroup(instance_type="m6g.xlarge", instance_count=0))
    assert cluster_error(ClusterProps(instance_groups=groups)) == problem(
        "instance_groups.core.instance_count", 0, "too few core nodes", ">= 1"
    )


def test_fails_bid_price_on_demand() -> None:
    groups = InstanceGroups(task=(InstanceGroup(instance_type="m6g.xlarge", bid_price="0.10"),))
    assert cluster_error(ClusterProps(instance_groups=groups)) == problem(
        "instance_groups.task[0].bid_price",
        "0.10",
        "a bid price only applies to the spot market",
        "null, or market SPOT",
    )


def test_fails_bid_price_not_a_price() -> None:
    groups = InstanceGroups(task=(InstanceGroup(instance_type="m6g.xlarge", market=Market.SPOT, bid_price="$1"),))
    assert cluster_error(ClusterProps(instance_groups=groups)) == problem(
        "instance_groups.task[0].bid_price", "$1", "not a price in USD", "a decimal number such as '0.10'"
    )


# --- EBS -----------------------------------------------------------------------------------------------------


def core_with_volumes(*volumes: EbsVolume) -> ClusterProps:
    core = InstanceFleet(
        instance_types=(InstanceTypeConfig(instance_type="m6g.xlarge", ebs_volumes=volumes),),
        target_on_demand_capacity=2,
    )
    return ClusterProps(instance_fleets=fleets(core=core))


# --- scaling -------------------------------------------------------------------------------------------------


def test_fails_managed_scaling_partial_limits_above_maximum() -> None:
    scaling = ManagedScaling(minimum=2, maximum=10, maximum_on_demand=11, maximum_core=12)
    assert cluster_error(ClusterProps(managed_scaling=scaling)) == "\n".join(
        [
            problem("managed_scaling.maximum_on_demand", 11, "a partial limit exceeds the maximum", "0-10"),
            problem("managed_scaling.maximum_core", 12, "a partial limit exceeds the maximum", "0-10"),
        ]
    )


def test_fails_managed_scaling_unit_for_fleets() -> None:
    scaling = ManagedScaling(minimum=2, maximum=10, unit_type=ScalingUnitType.VCPU)
    assert cluster_error(ClusterProps(managed_scaling=scaling)) == problem(
        "managed_scaling.unit_type", "VCPU", "unit type does not fit instance fleets", "InstanceFleetUnits"
    )


def test_fails_managed_scaling_unit_for_groups() -> None:
    scaling = ManagedScaling(minimum=2, maximum=10, unit_type=ScalingUnitType.INSTANCE_FLEET_UNITS)
    props = ClusterProps(instance_groups=InstanceGroups(), managed_scaling=scaling)
    assert cluster_error(props) == problem(
        "managed_scaling.unit_type", "InstanceFleetUnits", "unit type does not fit instance groups", "Instances, VCPU"
    )


def test_fails_utilization_performance_index_value() -> None:
    scaling = ManagedScaling(
        minimum=2, maximum=10, scaling_strategy=ScalingStrategy.ADVANCED, utilization_performance_index=60
    )
    assert cluster_error(ClusterProps(managed_scaling=scaling)) == problem(
        "managed_scaling.utilization_performance_index",
        60,
        "not a utilization performance index EMR accepts",
        "1, 25, 50, 75, 100",
    )


def test_fails_utilization_performance_index_without_advanced_strategy() -> None:
    scaling = ManagedScaling(minimum=2, maximum=10, utilization_performance_index=75)
    assert cluster_error(ClusterProps(managed_scaling=scaling)) == problem(
        "managed_scaling.utilization_performance_index",
        75,
        "a utilization performance index needs the ADVANCED scaling strategy",
        "null, or scaling_strategy ADVANCED",
    )


def test_fails_autoscaling_on_primary_group() -> None:
    policy = AutoScalingPolicy(min_capacity=1, max_capacity=1, rules=(scaling_rule(),))
    groups = InstanceGroups(primary=InstanceGroup(instance_type="m6g.xlarge", auto_scaling=policy))
    assert cluster_error(ClusterProps(instance_groups=groups)) == problem(
        "instance_groups.primary.auto_scaling",
        "AutoScalingPolicy(...)",
        "the primary group cannot scale",
        "null; scaling policies go on core and task groups",
    )


def test_fails_autoscaling_bounds_and_rules() -> None:
    props = ClusterProps(instance_groups=groups_with_core_scaling(min_capacity=5, max_capacity=2, rules=()))
    assert cluster_error(props) == "\n".join(
        [
            problem(
                "instance_groups.core.auto_scaling.max_capacity",
                2,
                "the maximum is below the minimum",
                ">= min_capacity (5)",
            ),
            problem("instance_groups.core.auto_scaling.rules", 0, "a policy needs rules", "at least one rule"),
        ]
    )


def test_fails_custom_autoscaling_without_autoscaling_role() -> None:
    stack = new_stack()
    refs = platform(stack)
    roles = EmrRoles(stack, "Roles")
    with pytest.raises(EmrConfigError) as raised:
        EmrCluster(
            stack,
            "Cluster",
            props=ClusterProps(instance_groups=groups_with_core_scaling()),
            roles=roles,
            **refs.cluster_args(),
        )
    assert str(raised.value) == problem(
        "roles.autoscaling_role",
        None,
        "custom automatic-scaling policies need the autoscaling role",
        "EmrRoles(props=EmrRolesProps(create_autoscaling_role=True)) or autoscaling_role=...",
    )


# --- lifecycle ---------------------------------------------------------------------------------------------


def test_fails_step_action_with_concurrent_steps() -> None:
    step = SparkStep(name="job", script=STEP_SCRIPT, action_on_failure=ActionOnFailure.TERMINATE_CLUSTER)
    assert cluster_error(ClusterProps(step_concurrency_level=4, steps=(step,))) == problem(
        "steps[0].action_on_failure",
        "TERMINATE_CLUSTER",
        "with step concurrency above 1, EMR only accepts steps that CONTINUE on failure",
        "CONTINUE, or step_concurrency_level 1",
    )


def test_fails_unknown_action_on_failure() -> None:
    step = SparkStep(name="job", script=STEP_SCRIPT, action_on_failure="TERMINATE_JOB_FLOW")  # type: ignore[arg-type]
    assert cluster_error(ClusterProps(steps=(step,))) == problem(
        "steps[0].action_on_failure",
        "TERMINATE_JOB_FLOW",
        "unknown ActionOnFailure",
        "CONTINUE, CANCEL_AND_WAIT, TERMINATE_CLUSTER",
    )


def test_fails_too_many_bootstrap_actions() -> None:
    actions = tuple(BootstrapAction(name=f"b{i}", script=BOOTSTRAP_SCRIPT) for i in range(17))
    assert cluster_error(ClusterProps(bootstrap_actions=actions)) == problem(
        "bootstrap_actions", 17, "too many bootstrap actions", "at most 16"
    )


# --- root volume ---------------------------------------------------------------------------------------------


def test_fails_root_volume_iops_range_and_ratio() -> None:
    assert cluster_error(ClusterProps(root_volume=RootVolume(iops=20000))) == "\n".join(
        [
            problem("root_volume.iops", 20000, "root volume IOPS out of range", "3000-16000"),
            problem(
                "root_volume.iops",
                20000,
                "root volume IOPS above 500 per GiB of a 15 GiB volume",
                "<= 7500, or a larger size_gib",
            ),
        ]
    )


# --- configurations, misc --------------------------------------------------------------------------------


def test_fails_name_too_long() -> None:
    name = "n" * 257
    assert cluster_error(ClusterProps(name=name)) == problem(
        "name", name, "cluster name length out of range", "1-256 characters"
    )


# --- security configuration --------------------------------------------------------------------------------


def test_fails_in_transit_encryption_without_certificates() -> None:
    assert cluster_error(ClusterProps(), artifacts_bucket=None) == problem(
        "tls_certificates",
        None,
        "in-transit encryption needs the S3 location of the PEM certificate zip",
        "tls_certificates=TlsCertificates.from_bucket(...), or an artifacts_bucket holding "
        "emr/tls/certificates.zip, or props.security.in_transit_encryption=false",
    )


def test_fails_certificates_with_a_shared_security_configuration() -> None:
    stack = new_stack()
    refs = platform(stack)
    certificates = TlsCertificates.from_bucket(refs.artifacts, "certs.zip")
    shared = EmrSecurityConfiguration(stack, "Shared", encryption_key=refs.key, tls_certificates=certificates)
    with pytest.raises(EmrConfigError) as raised:
        EmrCluster(
            stack,
            "Cluster",
            security_configuration=shared,
            tls_certificates=certificates,
            **refs.cluster_args(),
        )
    assert str(raised.value) == problem(
        "tls_certificates",
        "TlsCertificates(...)",
        "the certificates belong to the security configuration passed in",
        "tls_certificates or security_configuration, not both",
    )


def test_fails_security_configuration_alone_without_certificates() -> None:
    stack = new_stack()
    refs = platform(stack)
    with pytest.raises(EmrConfigError) as raised:
        EmrSecurityConfiguration(stack, "Security", encryption_key=refs.key)
    assert str(raised.value) == (
        "Test/Security: tls_certificates=None is invalid: in-transit encryption needs the S3 location of a PEM "
        "certificate zip; allowed: tls_certificates=TlsCertificates.from_bucket(bucket, key), or "
        "props.in_transit_encryption=False"
    )


def test_fails_password_secret_without_kerberos() -> None:
    stack = new_stack()
    refs = platform(stack)
    secret = secretsmanager.Secret.from_secret_name_v2(stack, "Kdc", "kdc-admin")
    with pytest.raises(EmrConfigError) as raised:
        EmrCluster(stack, "Cluster", kdc_admin_password=secret, **refs.cluster_args())
    assert str(raised.value) == problem(
        "kdc_admin_password",
        "ISecret",
        "Kerberos attributes need a security configuration with Kerberos enabled",
        "security.kerberos=KerberosProps(realm=...), or no kdc_admin_password",
    )


def test_fails_kerberos_realm() -> None:
    props = ClusterProps(security=SecurityConfigurationProps(kerberos=KerberosProps(realm="", ticket_lifetime_hours=0)))
    assert cluster_error(props) == "\n".join(
        [
            problem(
                "security.kerberos.realm",
                "",
                "a Kerberos realm is required, at most 256 characters, without surrounding spaces",
                "e.g. 'EC2.INTERNAL'",
            ),
            problem("security.kerberos.ticket_lifetime_hours", 0, "ticket lifetime must be positive", ">= 1"),
            problem(
                "kdc_admin_password",
                None,
                "Kerberos needs the KDC admin password, from Secrets Manager",
                "kdc_admin_password=<secretsmanager.ISecret>",
            ),
        ]
    )


# --- references ------------------------------------------------------------------------------------------------


def test_fails_too_many_additional_security_groups() -> None:
    stack = new_stack()
    refs = platform(stack)
    extra = [ec2.SecurityGroup.from_security_group_id(stack, f"Extra{i}", f"sg-0{i:016x}") for i in range(5)]
    with pytest.raises(EmrConfigError) as raised:
        EmrCluster(stack, "Cluster", additional_core_security_groups=extra, **refs.cluster_args())
    assert str(raised.value) == problem(
        "additional_core_security_groups", 5, "too many additional security groups", "at most 4"
    )


def test_fails_network_without_subnets() -> None:
    stack = new_stack()
    refs = platform(stack)
    empty = SimpleNamespace(vpc=refs.network.vpc, cluster_subnets=[])
    with pytest.raises(EmrConfigError) as raised:
        EmrCluster(stack, "Cluster", **{**refs.cluster_args(), "network": empty})
    assert str(raised.value) == problem(
        "network.cluster_subnets", 0, "the cluster needs a subnet", "at least one private subnet"
    )


# --- collection and tokens ------------------------------------------------------------------------------------


def test_all_problems_are_reported_together() -> None:
    props = ClusterProps(
        release_label="emr-6.9.0",
        instance_fleets=fleets(primary=fleet(on_demand=3)),
        auto_termination_idle_seconds=10,
        step_concurrency_level=0,
    )
    lines = cluster_error(props, artifacts_bucket=None).splitlines()
    assert [line.split("=")[0] for line in lines] == [
        "Test/Cluster: instance_fleets.primary.target_on_demand_capacity",
        "Test/Cluster: auto_termination_idle_seconds",
        "Test/Cluster: step_concurrency_level",
        "Test/Cluster: tls_certificates",
    ]


def test_unresolved_tokens_are_skipped() -> None:
    stack = new_stack()
    refs = platform(stack)
    idle = CfnParameter(stack, "Idle", type="Number").value_as_number
    level = Token.as_number(CfnParameter(stack, "Level", type="Number").value_as_number)
    props = ClusterProps(auto_termination_idle_seconds=idle, step_concurrency_level=level)  # type: ignore[arg-type]
    # A literal out of range is a problem (test_fails_*); a parameter's value is only known at deploy time.
    assert props.problems() == []
    EmrCluster(stack, "Cluster", props=props, **refs.cluster_args())
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::EMR::Cluster",
        {"AutoTerminationPolicy": {"IdleTimeout": {"Ref": "Idle"}}, "StepConcurrencyLevel": {"Ref": "Level"}},
    )


def test_settings_loader_gets_the_same_problems_without_a_construct() -> None:
    props = ClusterProps(auto_termination_idle_seconds=10)
    assert [(p.field, p.value) for p in props.problems()] == [("auto_termination_idle_seconds", 10)]


def test_message_format_escapes_cleanly_in_pytest_raises() -> None:
    stack = new_stack()
    refs = platform(stack)
    expected = problem("step_concurrency_level", 0, "step concurrency out of range", "1-256")
    with pytest.raises(EmrConfigError, match=re.escape(expected)):
        EmrCluster(stack, "Cluster", props=ClusterProps(step_concurrency_level=0), **refs.cluster_args())


# --- region-dependent rules -----------------------------------------------------------------------------------


def regional_error(props: ClusterProps, region: str, key_arn: str | None = None) -> str:
    stack = Stack(new_app(), "Test", env=Environment(account="123456789012", region=region))
    refs = platform(stack)
    args = refs.cluster_args()
    if key_arn is not None:
        args["encryption_key"] = kms.Key.from_key_arn(stack, "Imported", key_arn)
    with pytest.raises(EmrConfigError) as raised:
        EmrCluster(stack, "Cluster", props=props, **args)
    return str(raised.value)


def test_fails_managed_scaling_before_6_14_in_newer_regions() -> None:
    props = ClusterProps(
        release_label="emr-6.12.0",
        managed_scaling=ManagedScaling(minimum=2, maximum=4),
        auto_termination_idle_seconds=None,
    )
    assert regional_error(props, "ca-west-1") == problem(
        "managed_scaling",
        "ManagedScaling(...)",
        "managed scaling is not supported by emr-6.12.0 in ca-west-1",
        "emr-6.14.0 and later 6.x, emr-7.0.0 and later 7.x "
        "[https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-scaling.html]",
    )


def test_fails_auto_termination_before_6_14_in_newer_regions() -> None:
    props = ClusterProps(release_label="emr-5.36.2", auto_termination_idle_seconds=3600)
    assert regional_error(props, "mx-central-1") == problem(
        "auto_termination_idle_seconds",
        3600,
        "auto termination is not supported by emr-5.36.2 in mx-central-1",
        "emr-6.14.0 and later 6.x, emr-7.0.0 and later 7.x "
        "[https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-auto-termination-policy.html]",
    )


def test_fails_key_in_another_region() -> None:
    key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert regional_error(ClusterProps(), "us-east-1", key_arn) == problem(
        "encryption_key", "eu-west-1", "the KMS key must be in the cluster's region (us-east-1)", "a key in us-east-1"
    )


# --- warnings ---------------------------------------------------------------------------------------------------


def warnings_of(cluster: EmrCluster) -> list[str]:
    return [str(entry.data) for entry in cluster.node.metadata if entry.type == "aws:cdk:warning"]


def test_warns_when_non_yarn_applications_meet_auto_termination() -> None:
    stack = new_stack()
    refs = platform(stack)
    props = ClusterProps(
        applications=(Application.HADOOP, Application.TRINO, Application.HBASE), auto_termination_idle_seconds=3600
    )
    cluster = EmrCluster(stack, "Cluster", props=props, **refs.cluster_args())
    (warning,) = warnings_of(cluster)
    assert warning.startswith("HBase, Trino do not run on YARN: managed scaling and auto-termination do not see")


def test_no_warning_for_yarn_only_clusters() -> None:
    stack = new_stack()
    refs = platform(stack)
    cluster = EmrCluster(
        stack, "Cluster", props=ClusterProps(auto_termination_idle_seconds=3600), **refs.cluster_args()
    )
    assert warnings_of(cluster) == []


# --- one row per rule: the props that break it, and the exact problem (field, value, rule, allowed) -------

FAILS = [
    pytest.param(
        ClusterProps(release_label="7.14.0"),
        "release_label",
        "7.14.0",
        "not an EMR release label",
        "emr-<major>.<minor>.<patch>, e.g. 'emr-7.14.0'",
        id="release_label_format",
    ),
    pytest.param(
        ClusterProps(release_label="emr-6.14.9"),
        "release_label",
        "emr-6.14.9",
        "not an EMR release (5.0.0 or later) that EMR has published",
        "did you mean emr-6.14.0 or emr-6.13.0? any real release from emr-5.0.0 to emr-7.14.0, or a newer one",
        id="release_that_emr_never_published",
    ),
    pytest.param(
        ClusterProps(release_label="emr-4.9.6"),
        "release_label",
        "emr-4.9.6",
        "not an EMR release (5.0.0 or later) that EMR has published",
        "any real release from emr-5.0.0 to emr-7.14.0, or a newer one",
        id="release_line_older_than_5",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(core=fleet("m5.hyper", on_demand=2))),
        "instance_fleets.core.instance_types[0].instance_type",
        "m5.hyper",
        "not an instance type EMR supports",
        "did you mean m5.xlarge or m5.8xlarge or m5.4xlarge? an instance type of "
        "emr_constructs.cluster.supported_instance_types() [emr-supported-instance-types]",
        id="instance_type_emr_does_not_offer_with_a_suggestion",
    ),
    pytest.param(
        ClusterProps(applications=(Application.SPARK, Application.SPARK)),
        "applications[1]",
        "Spark",
        "application listed twice",
        "each application once",
        id="application_twice",
    ),
    pytest.param(
        ClusterProps(applications=("Sparkle",)),
        "applications[0]",
        "Sparkle",
        "unknown application",
        ", ".join(a.value for a in Application),
        id="unknown_application_string",
    ),
    pytest.param(
        ClusterProps(instance_fleets=InstanceFleets(), instance_groups=InstanceGroups()),
        "instance_groups",
        "InstanceGroups(...)",
        "a cluster uses instance fleets or instance groups for all node types, never both",
        "set instance_fleets or instance_groups, not both",
        id="fleets_and_groups_together",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(primary=fleet(on_demand=2))),
        "instance_fleets.primary.target_on_demand_capacity",
        2,
        "the primary fleet has one node, or three for high availability",
        "1 or 3",
        id="primary_fleet_of_two",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(primary=fleet(on_demand=1, spot=1))),
        "instance_fleets.primary.target_spot_capacity",
        1,
        "the primary fleet takes either an on-demand or a spot target, not both",
        "target_spot_capacity 0 when target_on_demand_capacity is set",
        id="primary_fleet_with_both_markets",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(primary=fleet(spot=3))),
        "instance_fleets.primary.target_spot_capacity",
        3,
        "a spot primary fleet has exactly one node; three primaries (HA) must be on-demand",
        "1",
        id="three_spot_primaries",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(primary=fleet(on_demand=1, weight=2))),
        "instance_fleets.primary.instance_types[0].weighted_capacity",
        2,
        "every instance type of the primary fleet has weighted capacity 1",
        "1",
        id="primary_weighted_capacity",
    ),
    pytest.param(
        ClusterProps(release_label="emr-6.10.0", instance_fleets=fleets(primary=fleet(on_demand=3))),
        "instance_fleets.primary.target_on_demand_capacity",
        3,
        "three primary nodes in an instance fleet is not supported by emr-6.10.0",
        HA_FLEET_RELEASES,
        id="ha_fleet_on_release_without_it",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(core=fleet())),
        "instance_fleets.core.target_on_demand_capacity",
        0,
        "a fleet needs a target above 0 (on-demand, spot or both)",
        "target_on_demand_capacity + target_spot_capacity >= 1",
        id="fleet_without_target",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(core=fleet(on_demand=2, weight=0))),
        "instance_fleets.core.instance_types[0].weighted_capacity",
        0,
        "must be positive",
        ">= 1",
        id="weighted_capacity_below_one",
    ),
    pytest.param(
        ClusterProps(instance_fleets=fleets(core=fleet("m6g-xlarge", on_demand=2))),
        "instance_fleets.core.instance_types[0].instance_type",
        "m6g-xlarge",
        "not an EC2 instance type name",
        "e.g. 'm7g.xlarge'",
        id="instance_type_name",
    ),
    pytest.param(
        ClusterProps(release_label="emr-6.5.0", instance_fleets=fleets(core=fleet("m7g.xlarge", on_demand=2))),
        "instance_fleets.core.instance_types[0].instance_type",
        "m7g.xlarge",
        "instance family m7g is not supported by emr-6.5.0",
        "emr-5.36.1 and later 5.x, emr-6.10.0 and later 6.x, emr-7.0.0 and later 7.x "
        "[https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-supported-instance-types.html], "
        "or another instance type",
        id="graviton_family_older_than_release",
    ),
    pytest.param(
        ClusterProps(spread_primary_nodes=True),
        "spread_primary_nodes",
        True,
        "the SPREAD placement group applies to the primary nodes of a cluster with three primaries only",
        "false, or three primary nodes",
        id="spread_placement_without_three_primaries",
    ),
    pytest.param(
        core_with_volumes(EbsVolume(volumes_per_instance=20), EbsVolume(volumes_per_instance=6)),
        "instance_fleets.core.instance_types[0].ebs_volumes",
        26,
        "too many EBS volumes per instance",
        "at most 25 (sum of volumes_per_instance)",
        id="too_many_ebs_volumes",
    ),
    pytest.param(
        core_with_volumes(EbsVolume(volume_type=VolumeType.GP2, throughput_mibps=250)),
        "instance_fleets.core.instance_types[0].ebs_volumes[0].throughput_mibps",
        250,
        "throughput is set for gp3 volumes only, 125-1000 MiB/s",
        "null, or 125-1000 with volume_type gp3",
        id="ebs_throughput_on_gp2",
    ),
    pytest.param(
        core_with_volumes(EbsVolume(volume_type=VolumeType.ST1, size_gib=500, iops=3000)),
        "instance_fleets.core.instance_types[0].ebs_volumes[0].iops",
        3000,
        "provisioned IOPS only apply to gp3 and io1 volumes, not st1",
        "null, or volume_type gp3/io1",
        id="ebs_iops_on_st1",
    ),
    pytest.param(
        core_with_volumes(EbsVolume(volume_type=VolumeType.IO1)),
        "instance_fleets.core.instance_types[0].ebs_volumes[0].iops",
        None,
        "io1 volumes need provisioned IOPS",
        "an IOPS number for io1",
        id="io1_without_iops",
    ),
    pytest.param(
        core_with_volumes(EbsVolume(size_gib=0)),
        "instance_fleets.core.instance_types[0].ebs_volumes[0].size_gib",
        0,
        "EBS volume size out of range",
        "1-16384",
        id="ebs_size",
    ),
    pytest.param(
        core_with_volumes(EbsVolume(volume_type="gp4")),
        "instance_fleets.core.instance_types[0].ebs_volumes[0].volume_type",
        "gp4",
        "unknown VolumeType",
        "gp3, gp2, io1, st1, sc1, standard",
        id="unknown_volume_type",
    ),
    pytest.param(
        ClusterProps(managed_scaling=ManagedScaling(minimum=5, maximum=2)),
        "managed_scaling.maximum",
        2,
        "the maximum is below the minimum",
        ">= minimum (5)",
        id="managed_scaling_minimum_above_maximum",
    ),
    pytest.param(
        ClusterProps(managed_scaling=ManagedScaling(minimum=0, maximum=2)),
        "managed_scaling.minimum",
        0,
        "managed scaling needs a positive minimum",
        ">= 1",
        id="managed_scaling_minimum_zero",
    ),
    pytest.param(
        ClusterProps(instance_groups=groups_with_core_scaling(), managed_scaling=ManagedScaling(minimum=2, maximum=4)),
        "managed_scaling",
        "ManagedScaling(...)",
        "managed scaling cannot be combined with custom automatic-scaling policies on instance groups",
        "managed_scaling or the groups' auto_scaling, not both",
        id="managed_scaling_with_custom_autoscaling",
    ),
    pytest.param(
        ClusterProps(instance_groups=groups_with_core_scaling(rules=(scaling_rule(period_seconds=120),))),
        "instance_groups.core.auto_scaling.rules[0].period_seconds",
        120,
        "custom autoscaling evaluates metrics in five-minute periods",
        "a positive multiple of 300",
        id="autoscaling_period_not_five_minutes",
    ),
    pytest.param(
        ClusterProps(instance_groups=groups_with_core_scaling(rules=(scaling_rule(), scaling_rule()))),
        "instance_groups.core.auto_scaling.rules[1].name",
        "ScaleOut",
        "rule names repeat",
        "unique names",
        id="autoscaling_rule_names_repeat",
    ),
    pytest.param(
        ClusterProps(auto_termination_idle_seconds=30),
        "auto_termination_idle_seconds",
        30,
        "auto-termination idle timeout out of range",
        "60-604800 seconds (1 minute to 7 days)",
        id="auto_termination_out_of_range",
    ),
    pytest.param(
        ClusterProps(step_concurrency_level=257),
        "step_concurrency_level",
        257,
        "step concurrency out of range",
        "1-256",
        id="step_concurrency_out_of_range",
    ),
    pytest.param(
        ClusterProps(bootstrap_actions=(BootstrapAction(name="b", script="no/such/file.sh"),)),
        "bootstrap_actions[0].script",
        "no/such/file.sh",
        "local file not found",
        "a path relative to the directory cdk runs in",
        id="missing_local_script",
    ),
    pytest.param(
        ClusterProps(root_volume=RootVolume(size_gib=200)),
        "root_volume.size_gib",
        200,
        "root volume size out of range",
        "15-100 GiB",
        id="root_volume_size",
    ),
    pytest.param(
        ClusterProps(root_volume=RootVolume(throughput_mibps=1000)),
        "root_volume.throughput_mibps",
        1000,
        "root volume throughput above 0.25 MiB/s per IOPS (3000 IOPS)",
        "<= 750, or more iops",
        id="root_volume_throughput_ratio",
    ),
    pytest.param(
        ClusterProps(release_label="emr-6.12.0", root_volume=RootVolume(iops=4000)),
        "root_volume.iops",
        4000,
        "root volume IOPS is not supported by emr-6.12.0",
        ROOT_IOPS_RELEASES,
        id="root_volume_iops_before_6_15",
    ),
    pytest.param(
        ClusterProps(
            configurations=(
                Configuration(classification="spark-defaults"),
                Configuration(classification="spark-defaults"),
            )
        ),
        "configurations[1].classification",
        "spark-defaults",
        "classification appears twice at the same level; EMR rejects duplicate classifications",
        "each classification once: put all its properties in one entry",
        id="duplicate_classification",
    ),
    pytest.param(
        ClusterProps(custom_ami_id="ami-XYZ"),
        "custom_ami_id",
        "ami-XYZ",
        "not an AMI id",
        "e.g. 'ami-0abc1234def567890'",
        id="custom_ami_id",
    ),
    pytest.param(
        ClusterProps(log_prefix="/logs"),
        "log_prefix",
        "/logs",
        "not an S3 key prefix",
        "a relative prefix ending with '/', e.g. 'emr-logs/analytics/'",
        id="log_prefix",
    ),
    pytest.param(
        ClusterProps(tags={"aws:owner": "x"}),
        "tags.aws:owner",
        "x",
        "not a valid tag",
        "key 1-128 characters not starting with 'aws:', value at most 256 characters",
        id="reserved_tag",
    ),
    pytest.param(
        ClusterProps(security=SecurityConfigurationProps(local_disk_encryption=False)),
        "security.ebs_encryption",
        True,
        "EBS encryption is part of local-disk encryption",
        "false, or local_disk_encryption true",
        id="ebs_encryption_without_local_disk_encryption",
    ),
    pytest.param(
        ClusterProps(security=SecurityConfigurationProps(imds_hop_limit=0)),
        "security.imds_hop_limit",
        0,
        "IMDSv2 hop limit out of range",
        "1-64",
        id="imds_hop_limit",
    ),
    pytest.param(
        ClusterProps(security=SecurityConfigurationProps(tls_certificates_key="/certs.tar")),
        "security.tls_certificates_key",
        "/certs.tar",
        "not an S3 object key of a zip file",
        "e.g. 'emr/tls/certificates.zip' (no leading '/')",
        id="certificates_key_not_a_zip",
    ),
    pytest.param(
        ClusterProps(security=SecurityConfigurationProps(kerberos=KerberosProps(realm="EC2.INTERNAL"))),
        "kdc_admin_password",
        None,
        "Kerberos needs the KDC admin password, from Secrets Manager",
        "kdc_admin_password=<secretsmanager.ISecret>",
        id="kerberos_without_password_secret",
    ),
]


@pytest.mark.parametrize(("props", "field", "value", "rule", "allowed"), FAILS)
def test_fails(props: ClusterProps, field: str, value: Any, rule: str, allowed: str) -> None:
    assert cluster_error(props) == problem(field, value, rule, allowed)
