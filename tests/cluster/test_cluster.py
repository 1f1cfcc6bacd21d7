"""EmrCluster: the default cluster and each feature, on one app synthesized once.

Stacks: ``Data`` (key and buckets, referenced across stacks like the lake), ``Minimal`` (``ClusterProps()``),
``Features`` (bootstrap, steps, configurations, lifecycle, grants), ``Groups`` (instance groups with custom
autoscaling), ``Kerberos`` (Kerberos with a secret, certificates from a local asset) and ``NoTls`` (in-transit
encryption off, to prove the nag checks can fail).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

from emr_constructs.cluster import (
    Application,
    AutoScalingPolicy,
    BootstrapAction,
    ClusterProps,
    ComparisonOperator,
    Configuration,
    EmrCluster,
    InstanceGroup,
    InstanceGroups,
    KerberosProps,
    Market,
    RootVolume,
    ScaleDownBehavior,
    ScalingRule,
    SecurityConfigurationProps,
    SparkStep,
    TlsCertificates,
)
from emr_constructs.cluster.cluster import DESCRIBE_ACTIONS, STEP_ACTIONS
from emr_constructs.cluster.configurations import GLUE_METASTORE_CLIENT_FACTORY, METASTORE_FACTORY_PROPERTY
from emr_constructs.discovery import CLUSTER_TAG
from emr_constructs.tags import EMR_MANAGED_POLICY_TAG_KEY
from tests.cluster.builders import BOOTSTRAP_SCRIPT, CERTIFICATES_ZIP, STEP_SCRIPT, Storage, platform, storage
from tests.support import cfn_lint, nag_findings, new_app

FEATURES = ClusterProps(
    name="features",
    release_label="emr-7.14.0",
    applications=(Application.HADOOP, Application.SPARK, Application.HIVE, Application.LIVY),
    glue_data_catalog=True,
    maximize_resource_allocation=True,
    spark_defaults={"spark.sql.adaptive.enabled": "true"},
    configurations=(Configuration(classification="yarn-site", properties={"yarn.log-aggregation-enable": "true"}),),
    auto_termination_idle_seconds=3600,
    step_concurrency_level=2,
    unhealthy_node_replacement=True,
    scale_down_behavior=ScaleDownBehavior.TERMINATE_AT_TASK_COMPLETION,
    custom_ami_id="ami-0abc1234def567890",
    root_volume=RootVolume(size_gib=40, iops=4000, throughput_mibps=250),
    ec2_key_name="operators",
    log_prefix="logs/features/",
    bootstrap_actions=(BootstrapAction(name="Install tools", script=BOOTSTRAP_SCRIPT, args=("--quiet",)),),
    steps=(SparkStep(name="Nightly", script=STEP_SCRIPT, args=("--date", "2026-01-01")),),
    tags={"workload": "features"},
)

GROUPS = ClusterProps(
    instance_groups=InstanceGroups(
        primary=InstanceGroup(instance_type="m7g.xlarge"),
        core=InstanceGroup(instance_type="r7g.xlarge", instance_count=2),
        task=(
            InstanceGroup(
                instance_type="m7g.2xlarge",
                instance_count=0,
                market=Market.SPOT,
                bid_price="0.20",
                auto_scaling=AutoScalingPolicy(
                    min_capacity=0,
                    max_capacity=10,
                    rules=(
                        ScalingRule(
                            name="ScaleOutOnMemory",
                            metric_name="YARNMemoryAvailablePercentage",
                            comparison_operator=ComparisonOperator.LESS_THAN,
                            threshold=15.0,
                            scaling_adjustment=2,
                            unit="PERCENT",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

KERBEROS = ClusterProps(security=SecurityConfigurationProps(kerberos=KerberosProps(realm="EC2.INTERNAL")))


class Built:
    def __init__(self) -> None:
        self.app = new_app()
        data = storage(Stack(self.app, "Data"))
        self.stacks: dict[str, Stack] = {}
        self.clusters: dict[str, EmrCluster] = {}
        for name, props in (("Minimal", ClusterProps()), ("Features", FEATURES), ("Groups", GROUPS)):
            self._cluster(name, data, props)
        stack = Stack(self.app, "Kerberos")
        refs = platform(stack, data)
        self.kdc_secret = secretsmanager.Secret(stack, "KdcPassword")
        self.clusters["Kerberos"] = EmrCluster(
            stack,
            "Cluster",
            props=KERBEROS,
            **{**refs.cluster_args(), "artifacts_bucket": None},
            tls_certificates=TlsCertificates.from_asset(stack, "Certificates", CERTIFICATES_ZIP),
            kdc_admin_password=self.kdc_secret,
        )
        self.stacks["Kerberos"] = stack
        self._cluster("NoTls", data, ClusterProps(security=SecurityConfigurationProps(in_transit_encryption=False)))

        features = self.stacks["Features"]
        self.operator = iam.Role(features, "Operator", assumed_by=iam.AccountRootPrincipal())
        self.clusters["Features"].grant_add_steps(self.operator)
        self.clusters["Features"].grant_describe(self.operator)
        self.templates = {name: Template.from_stack(stack) for name, stack in self.stacks.items()}

    def _cluster(self, name: str, data: Storage, props: ClusterProps, **overrides: Any) -> None:
        stack = Stack(self.app, name)
        refs = platform(stack, data)
        extra: dict[str, Any] = {}
        if name == "Features":
            extra["additional_primary_security_groups"] = [
                ec2.SecurityGroup.from_security_group_id(stack, "Bastion", "sg-0123456789abcdef0")
            ]
        self.clusters[name] = EmrCluster(stack, "Cluster", props=props, **refs.cluster_args(), **extra, **overrides)
        self.stacks[name] = stack


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def cluster_properties(built: Built, name: str) -> dict[str, Any]:
    (resource,) = built.templates[name].find_resources("AWS::EMR::Cluster").values()
    properties: dict[str, Any] = resource["Properties"]
    return properties


def cluster_resource(built: Built, name: str) -> dict[str, Any]:
    (resource,) = built.templates[name].find_resources("AWS::EMR::Cluster").values()
    return dict(resource)


def security_document(built: Built, name: str) -> dict[str, Any]:
    (resource,) = built.templates[name].find_resources("AWS::EMR::SecurityConfiguration").values()
    document: dict[str, Any] = resource["Properties"]["SecurityConfiguration"]
    return document


def logical_id(built: Built, name: str, construct: Any) -> str:
    stack = built.stacks[name]
    return str(stack.resolve(stack.get_logical_id(construct.node.default_child)))


def resource_list(statement: dict[str, Any]) -> list[Any]:
    resources = statement["Resource"]
    return list(resources) if isinstance(resources, list) else [resources]


def object_reads(built: Built, name: str, role: iam.IRole) -> list[str]:
    """The last (literal) part of every ARN the role may ``s3:GetObject``: the exact object keys."""
    return [
        resource["Fn::Join"][1][-1]
        for statement in role_statements(built, name, role)
        if statement["Action"] == "s3:GetObject"
        for resource in resource_list(statement)
    ]


def cross_stack(value: Any) -> bool:
    """A reference to the ``Data`` stack (weak references render as ``Fn::GetStackOutput``)."""
    return "Fn::GetStackOutput" in json.dumps(value) or "Fn::ImportValue" in json.dumps(value)


def role_statements(built: Built, name: str, role: iam.IRole) -> list[dict[str, Any]]:
    stack = built.stacks[name]
    role_ref = stack.resolve(role.role_name)
    statements: list[dict[str, Any]] = []
    for policy in built.templates[name].find_resources("AWS::IAM::Policy").values():
        if role_ref in policy["Properties"]["Roles"]:
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


# --- the default cluster -----------------------------------------------------------------------------------


def test_default_cluster_uses_fleets_in_all_cluster_subnets(built: Built) -> None:
    instances = cluster_properties(built, "Minimal")["Instances"]
    assert instances["Ec2SubnetIds"] == ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    assert "Ec2SubnetId" not in instances
    assert instances["MasterInstanceFleet"] == {
        "Name": "Primary",
        "TargetOnDemandCapacity": 1,
        "TargetSpotCapacity": 0,
        "InstanceTypeConfigs": [{"InstanceType": "m6g.xlarge", "WeightedCapacity": 1}],
    }
    assert instances["CoreInstanceFleet"]["TargetOnDemandCapacity"] == 2
    assert "TaskInstanceFleets" not in instances


def test_default_cluster_lifecycle_and_access(built: Built) -> None:
    properties = cluster_properties(built, "Minimal")
    instances = properties["Instances"]
    assert instances["KeepJobFlowAliveWhenNoSteps"] is True
    assert instances["TerminationProtected"] is False
    assert "Ec2KeyName" not in instances
    assert properties["VisibleToAllUsers"] is True
    assert properties["ReleaseLabel"] == "emr-7.14.0"
    assert properties["Applications"] == [{"Name": "Hadoop"}, {"Name": "Spark"}, {"Name": "Hive"}]
    # A forgotten cluster ends after an hour of idleness unless told otherwise.
    assert properties["AutoTerminationPolicy"] == {"IdleTimeout": 3600}
    for absent in ("KerberosAttributes", "ManagedScalingPolicy", "Steps", "Configurations"):
        assert absent not in properties


def test_default_cluster_uses_the_managed_security_groups(built: Built) -> None:
    instances = cluster_properties(built, "Minimal")["Instances"]
    groups = {
        "EmrManagedMasterSecurityGroup": "EmrGroupsPrimary",
        "EmrManagedSlaveSecurityGroup": "EmrGroupsCore",
        "ServiceAccessSecurityGroup": "EmrGroupsServiceAccess",
    }
    for key, prefix in groups.items():
        logical, attribute = instances[key]["Fn::GetAtt"]
        assert logical.startswith(prefix) and attribute == "GroupId"


def test_cluster_depends_on_the_security_group_rules_and_role_policies(built: Built) -> None:
    template = built.templates["Minimal"]
    depends_on = set(cluster_resource(built, "Minimal")["DependsOn"])
    rule_types = ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")
    rules = {logical for t in rule_types for logical in template.find_resources(t)}
    assert len(rules) == 3 and rules <= depends_on
    policies = set(template.find_resources("AWS::IAM::Policy")) | set(
        template.find_resources("AWS::IAM::ManagedPolicy")
    )
    assert policies and policies <= depends_on


def test_default_names_are_derived_from_the_construct_path(built: Built) -> None:
    properties = cluster_properties(built, "Minimal")
    assert properties["Name"] == "MinimalClusterEDDD187D"
    assert properties["LogUri"]["Fn::Join"][1][-1] == "/emr-logs/MinimalClusterEDDD187D/"


def test_logs_go_to_the_log_bucket_prefix_encrypted_with_the_key(built: Built) -> None:
    properties = cluster_properties(built, "Minimal")
    parts = properties["LogUri"]["Fn::Join"][1]
    assert parts[0] == "s3://" and cross_stack(parts[1])
    assert cross_stack(properties["LogEncryptionKmsKeyId"])
    minimal = built.clusters["Minimal"]
    statements = role_statements(built, "Minimal", minimal.instance_role)
    log_writes = [s for s in statements if s["Action"] == ["s3:AbortMultipartUpload", "s3:PutObject"]]
    assert len(log_writes) == 1
    assert log_writes[0]["Resource"]["Fn::Join"][1][-1] == "/emr-logs/MinimalClusterEDDD187D/*"


def test_managed_policy_tag_discovery_tag_and_user_tags(built: Built) -> None:
    tags = {t["Key"]: t["Value"] for t in cluster_properties(built, "Features")["Tags"]}
    # emr-platform finds the cluster by its construct id, lowercased, as the bundled app's exports name it.
    assert tags == {EMR_MANAGED_POLICY_TAG_KEY: "true", "workload": "features", CLUSTER_TAG: "cluster"}


# --- security configuration -----------------------------------------------------------------------------------


def test_security_configuration_enables_encryption_in_the_shape_emr_requires(built: Built) -> None:
    """Our own check of what AwsSolutions-EMR4/EMR5 look for at the wrong level (see the acknowledgements)."""
    document = security_document(built, "Minimal")
    encryption = document["EncryptionConfiguration"]
    assert "EnableAtRestEncryption" not in document and "EnableInTransitEncryption" not in document
    assert encryption["EnableAtRestEncryption"] is True
    assert encryption["EnableInTransitEncryption"] is True
    at_rest = encryption["AtRestEncryptionConfiguration"]
    assert at_rest["S3EncryptionConfiguration"]["EncryptionMode"] == "SSE-KMS"
    local_disk = at_rest["LocalDiskEncryptionConfiguration"]
    assert local_disk["EncryptionKeyProviderType"] == "AwsKms" and local_disk["EnableEbsEncryption"] is True
    key_arn = at_rest["S3EncryptionConfiguration"]["AwsKmsKey"]
    assert cross_stack(key_arn) and local_disk["AwsKmsKey"] == key_arn
    tls = encryption["InTransitEncryptionConfiguration"]["TLSCertificateConfiguration"]
    assert tls["CertificateProviderType"] == "PEM"
    parts = tls["S3Object"]["Fn::Join"][1]
    assert parts[0] == "s3://" and parts[-1] == "/emr/tls/certificates.zip"
    assert document["InstanceMetadataServiceConfiguration"] == {
        "MinimumInstanceMetadataServiceVersion": 2,
        "HttpPutResponseHopLimit": 1,
    }
    assert "AuthenticationConfiguration" not in document
    ref = cluster_properties(built, "Minimal")["SecurityConfiguration"]
    assert ref == {"Ref": logical_id(built, "Minimal", built.clusters["Minimal"].security_configuration)}


def kms_statements(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def actions(s: dict[str, Any]) -> list[str]:
        return [s["Action"]] if isinstance(s["Action"], str) else s["Action"]

    return [s for s in statements if any(a.startswith("kms:") for a in actions(s))]


def test_instance_role_reads_exactly_the_certificate_object(built: Built) -> None:
    minimal = built.clusters["Minimal"]
    statements = role_statements(built, "Minimal", minimal.instance_role)
    assert object_reads(built, "Minimal", minimal.instance_role) == ["/emr/tls/certificates.zip"]
    assert all(
        "*" not in a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    )


def test_instance_role_uses_the_key_directly_only_outside_s3(built: Built) -> None:
    """Local-disk encryption: the node calls KMS itself, but never with an S3 object's encryption context."""
    minimal = built.clusters["Minimal"]
    direct = [
        s
        for s in kms_statements(role_statements(built, "Minimal", minimal.instance_role))
        if "kms:ViaService" not in s.get("Condition", {}).get("StringEquals", {})
    ]
    (local_disk,) = direct
    assert local_disk["Action"] == ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    assert local_disk["Condition"] == {"Null": {"kms:EncryptionContext:aws:s3:arn": "true"}}
    assert cross_stack(local_disk["Resource"])


def test_instance_role_uses_the_key_through_s3_only_for_the_buckets_it_was_granted(built: Built) -> None:
    """Every other key statement names S3 of the region and one bucket (the logs, the certificate zip)."""
    stack = built.stacks["Minimal"]
    minimal = built.clusters["Minimal"]
    through_s3 = [
        s
        for s in kms_statements(role_statements(built, "Minimal", minimal.instance_role))
        if "kms:ViaService" in s.get("Condition", {}).get("StringEquals", {})
    ]
    buckets = []
    for statement in through_s3:
        condition = statement["Condition"]
        assert set(condition) == {"StringEquals"}
        assert condition["StringEquals"]["kms:ViaService"] == stack.resolve(f"s3.{stack.region}.amazonaws.com")
        buckets.append(condition["StringEquals"]["kms:EncryptionContext:aws:s3:arn"])
        assert "kms:Encrypt" not in statement["Action"] or statement["Action"] == [
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
        ]
    log_bucket = stack.resolve(minimal.log_bucket.bucket_arn)
    assert log_bucket in buckets
    assert len(through_s3) == 2  # the log bucket (write) and the artifacts bucket (the certificate zip, read)
    (reads,) = [s for s in through_s3 if s["Action"] == "kms:Decrypt"]
    assert reads["Condition"]["StringEquals"]["kms:EncryptionContext:aws:s3:arn"] != log_bucket


def test_service_role_may_encrypt_ebs_volumes(built: Built) -> None:
    statements = role_statements(built, "Minimal", built.clusters["Minimal"].service_role)
    (grants,) = [s for s in statements if "kms:CreateGrant" in s["Action"]]
    assert grants["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    assert any("kms:GenerateDataKeyWithoutPlaintext" in s["Action"] for s in statements)


def test_kerberos_uses_a_dedicated_kdc_and_a_secret_reference(built: Built) -> None:
    document = security_document(built, "Kerberos")
    assert document["AuthenticationConfiguration"] == {
        "KerberosConfiguration": {
            "Provider": "ClusterDedicatedKdc",
            "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": 24},
        }
    }
    attributes = cluster_properties(built, "Kerberos")["KerberosAttributes"]
    assert attributes["Realm"] == "EC2.INTERNAL"
    rendered = json.dumps(attributes["KdcAdminPassword"])
    assert "{{resolve:secretsmanager:" in rendered and "SecretString" in rendered


def test_certificates_from_a_local_asset_are_read_exactly(built: Built) -> None:
    kerberos = built.clusters["Kerberos"]
    tls = security_document(built, "Kerberos")["EncryptionConfiguration"]["InTransitEncryptionConfiguration"]
    s3_object = tls["TLSCertificateConfiguration"]["S3Object"]["Fn::Join"][1]
    assert s3_object[1] == {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}
    assert object_reads(built, "Kerberos", kerberos.instance_role) == [s3_object[-1]]
    assert s3_object[-1].endswith(".zip")


# --- features ------------------------------------------------------------------------------------------------


def test_bootstrap_actions_and_steps_are_assets_read_exactly(built: Built) -> None:
    properties = cluster_properties(built, "Features")
    (action,) = properties["BootstrapActions"]
    assert action["Name"] == "Install tools"
    assert action["ScriptBootstrapAction"]["Args"] == ["--quiet"]
    script = action["ScriptBootstrapAction"]["Path"]["Fn::Join"][1]
    assert script[0] == "s3://" and script[-1].endswith(".sh")
    (step,) = properties["Steps"]
    assert step["ActionOnFailure"] == "CONTINUE" and step["HadoopJarStep"]["Jar"] == "command-runner.jar"
    args = step["HadoopJarStep"]["Args"]
    assert args[:3] == ["spark-submit", "--deploy-mode", "cluster"] and args[4:] == ["--date", "2026-01-01"]
    job = args[3]["Fn::Join"][1][-1]
    assert job.endswith(".py")
    reads = object_reads(built, "Features", built.clusters["Features"].instance_role)
    assert reads == [script[-1], job, "/emr/tls/certificates.zip"]


def test_configurations_are_merged(built: Built) -> None:
    configurations = {c["Classification"]: c for c in cluster_properties(built, "Features")["Configurations"]}
    assert set(configurations) == {"hive-site", "spark-hive-site", "spark", "spark-defaults", "yarn-site"}
    assert configurations["spark"]["ConfigurationProperties"] == {"maximizeResourceAllocation": "true"}
    assert configurations["hive-site"]["ConfigurationProperties"] == {
        METASTORE_FACTORY_PROPERTY: GLUE_METASTORE_CLIENT_FACTORY
    }


def test_lifecycle_settings(built: Built) -> None:
    properties = cluster_properties(built, "Features")
    assert properties["AutoTerminationPolicy"] == {"IdleTimeout": 3600}
    assert properties["StepConcurrencyLevel"] == 2
    assert properties["ScaleDownBehavior"] == "TERMINATE_AT_TASK_COMPLETION"
    assert properties["CustomAmiId"] == "ami-0abc1234def567890"
    assert (
        properties["EbsRootVolumeSize"],
        properties["EbsRootVolumeIops"],
        properties["EbsRootVolumeThroughput"],
    ) == (
        40,
        4000,
        250,
    )
    instances = properties["Instances"]
    assert instances["UnhealthyNodeReplacement"] is True
    assert instances["Ec2KeyName"] == "operators"
    assert instances["AdditionalMasterSecurityGroups"] == ["sg-0123456789abcdef0"]
    assert properties["Name"] == "features"
    assert properties["LogUri"]["Fn::Join"][1][-1] == "/logs/features/"


def test_grant_add_steps_and_describe_on_this_cluster_only(built: Built) -> None:
    features = built.clusters["Features"]
    cluster_arn = built.stacks["Features"].resolve(features.cluster_arn)
    assert cluster_arn["Fn::Join"][1][-2:] == [":cluster/", {"Ref": logical_id(built, "Features", features)}]
    (statement,) = role_statements(built, "Features", built.operator)
    assert statement["Resource"] == cluster_arn
    assert statement["Action"] == sorted({*STEP_ACTIONS, *DESCRIBE_ACTIONS})
    assert set(STEP_ACTIONS) == {
        "elasticmapreduce:AddJobFlowSteps",
        "elasticmapreduce:DescribeStep",
        "elasticmapreduce:ListSteps",
        "elasticmapreduce:CancelSteps",
    }


def test_attributes(built: Built) -> None:
    features = built.clusters["Features"]
    stack = built.stacks["Features"]
    assert stack.resolve(features.cluster_id) == {"Ref": logical_id(built, "Features", features)}
    assert stack.resolve(features.primary_public_dns) == {
        "Fn::GetAtt": [logical_id(built, "Features", features), "MasterPublicDNS"]
    }
    assert features.security_groups.primary is not None and features.roles.instance_profile is not None


# --- instance groups -------------------------------------------------------------------------------------


def test_instance_groups_use_one_subnet_and_the_autoscaling_role(built: Built) -> None:
    properties = cluster_properties(built, "Groups")
    instances = properties["Instances"]
    assert instances["Ec2SubnetId"] == "subnet-0aaaaaaaaaaaaaaa1" and "Ec2SubnetIds" not in instances
    assert instances["MasterInstanceGroup"] == {
        "Name": "Primary",
        "InstanceType": "m7g.xlarge",
        "InstanceCount": 1,
        "Market": "ON_DEMAND",
    }
    (task,) = instances["TaskInstanceGroups"]
    assert (task["Market"], task["BidPrice"], task["InstanceCount"]) == ("SPOT", "0.20", 0)
    (rule,) = task["AutoScalingPolicy"]["Rules"]
    assert task["AutoScalingPolicy"]["Constraints"] == {"MinCapacity": 0, "MaxCapacity": 10}
    assert rule["Trigger"]["CloudWatchAlarmDefinition"] == {
        "ComparisonOperator": "LESS_THAN",
        "MetricName": "YARNMemoryAvailablePercentage",
        "Period": 300,
        "Threshold": 15,
        "EvaluationPeriods": 1,
        "Statistic": "AVERAGE",
        "Unit": "PERCENT",
        "Namespace": "AWS/ElasticMapReduce",
        "Dimensions": [{"Key": "JobFlowId", "Value": {"Fn::Sub": "${!emr.clusterId}"}}],
    }
    assert rule["Action"]["SimpleScalingPolicyConfiguration"] == {
        "ScalingAdjustment": 2,
        "AdjustmentType": "CHANGE_IN_CAPACITY",
        "CoolDown": 300,
    }
    autoscaling_role = built.clusters["Groups"].roles.autoscaling_role
    assert autoscaling_role is not None
    assert properties["AutoScalingRole"] == built.stacks["Groups"].resolve(autoscaling_role.role_name)


# --- policy packs and cfn-lint ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Minimal", "Features", "Groups", "Kerberos"])
def test_no_unacknowledged_nag_findings(built: Built, name: str) -> None:
    assert nag_findings(built.clusters[name]) == []


def test_nag_checks_are_live_in_transit_off_is_reported(built: Built) -> None:
    findings = nag_findings(built.clusters["NoTls"])
    # cdk-nag's own rule and the library's EmrChecks both see in-transit encryption off.
    assert [f.split(" @ ")[0] for f in findings] == ["AwsSolutions-EMR5", "EMR-SecurityConfigEncryption[InTransit]"]


def test_acknowledgements_carry_reasons(built: Built) -> None:
    acknowledged = {
        key.split("::", 1)[1]: value
        for entry in built.clusters["Minimal"].node.metadata
        if isinstance(entry.data, dict)
        for key, value in entry.data.items()
    }
    assert {"AwsSolutions-EMR4", "AwsSolutions-EMR5", "AwsSolutions-EMR6"} <= set(acknowledged)
    assert "EncryptionConfiguration" in str(acknowledged["AwsSolutions-EMR4"])
    assert "SSM Session Manager" in str(acknowledged["AwsSolutions-EMR6"])
    kerberos = {
        key.split("::", 1)[1]
        for entry in built.clusters["Kerberos"].node.metadata
        if isinstance(entry.data, dict)
        for key in entry.data
    }
    assert "AwsSolutions-EMR6" not in kerberos and "HIPAA.Security-EMRKerberosEnabled" not in kerberos


def test_cfn_lint_reports_no_errors(built: Built) -> None:
    """Features, Groups and Kerberos together cover every property the cluster writes (Minimal is a subset)."""
    errors = {
        name: cfn_lint(built.templates[name].to_json(), errors_only=True) for name in ("Features", "Groups", "Kerberos")
    }
    assert errors == {"Features": [], "Groups": [], "Kerberos": []}


def test_minimal_snapshot(built: Built, template_snapshot: Any) -> None:
    assert template_snapshot == built.templates["Minimal"].to_json()


def test_construct_ids_are_stable(built: Built) -> None:
    minimal = built.clusters["Minimal"]
    assert [c.node.id for c in minimal.node.children if not c.node.id.startswith("Bootstrap")] == [
        "Roles",
        "SecurityConfiguration",
        "Resource",
    ]
