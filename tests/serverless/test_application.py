"""EmrServerlessApplication: template, network, logs, runtime role and its grants, nag packs, snapshot, removal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from emr_constructs.arguments import EmrTypeError
from emr_constructs.catalog import DataCatalog, ZonePrefix, grant_zone_access
from emr_constructs.errors import EmrConfigError
from emr_constructs.network import DataPlatformVpc, VpcProps
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.serverless import (
    ApplicationType,
    Architecture,
    DiskType,
    EmrServerlessApplication,
    MaximumCapacity,
    ServerlessApplicationProps,
    WorkerGroup,
    WorkerSize,
)
from emr_constructs.storage import DataLake, Zone
from emr_constructs.warehouse import Warehouse, WarehouseKind, WarehouseProps
from tests.support import cfn_lint, nag_findings, new_app, new_stack

READ = (ZonePrefix(zone=Zone.RAW, prefix="events/"),)
WRITE = (ZonePrefix(zone=Zone.CURATED, prefix="events/"),)
PRE_INITIALIZED = ServerlessApplicationProps(
    name="analytics-spark",
    driver=WorkerGroup(count=1, size=WorkerSize(cpu=2, memory_gb=8)),
    executor=WorkerGroup(count=4, size=WorkerSize(cpu=4, memory_gb=16, disk_gb=64)),
    maximum_capacity=MaximumCapacity(cpu=64, memory_gb=256, disk_gb=2000),
    studio_enabled=True,
    auto_stop_idle_minutes=30,
    tags={"cost-center": "analytics"},
)


@dataclass
class Built:
    app: EmrServerlessApplication
    network: DataPlatformVpc
    template: dict[str, Any]
    instance_role_statements: list[dict[str, Any]]
    runtime_role_statements: list[dict[str, Any]]
    submitter_statements: list[dict[str, Any]]
    destroy_template: dict[str, Any]
    findings: list[str]


def _policy_statements(template: dict[str, Any], role_logical_id: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for resource in template["Resources"].values():
        if resource["Type"] not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            continue
        roles = resource["Properties"].get("Roles", [])
        if {"Ref": role_logical_id} in roles:
            statements.extend(resource["Properties"]["PolicyDocument"]["Statement"])
    return statements


@pytest.fixture(scope="module")
def built() -> Built:
    app = new_app()
    base = Stack(app, "Base")
    network = DataPlatformVpc(base, "Network", props=VpcProps(nat_gateways=0))
    lake = DataLake(base, "Lake")
    catalog = DataCatalog(base, "Catalog", lake=lake)
    warehouse = Warehouse(
        base,
        "Warehouse",
        network=network,
        lake=lake,
        catalog=catalog,
        props=WarehouseProps(kind=WarehouseKind.PROVISIONED),
    )

    stack = Stack(app, "Serverless")
    application = EmrServerlessApplication(stack, "Spark", props=PRE_INITIALIZED, network=network, lake=lake)
    # Granted exactly as the bundled app grants a cluster's instance role: the same helpers, the same folders.
    grant_zone_access(lake, catalog, application.runtime_role, read=READ, write=WRITE)
    warehouse.grant_data_api(application.runtime_role)
    application.connect_to(warehouse.security_group, warehouse.port, "Redshift")
    instance_role = iam.Role(stack, "InstanceRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    acknowledge_inline_policies(instance_role, "Test stand-in for a cluster's instance role.")
    grant_zone_access(lake, catalog, instance_role, read=READ, write=WRITE)
    warehouse.grant_data_api(instance_role)
    submitter = iam.Role(stack, "Submitter", assumed_by=iam.AccountRootPrincipal())
    acknowledge_inline_policies(submitter, "Test stand-in for an operator role.")
    application.grant_start_job_run(submitter)

    destroy = Stack(app, "Destroy")
    EmrServerlessApplication(destroy, "Spark", network=network, lake=lake, removal_policy=RemovalPolicy.DESTROY)

    template = Template.from_stack(stack).to_json()
    runtime_id = stack.resolve(application.runtime_role.node.default_child.logical_id)  # type: ignore[union-attr]
    instance_id = stack.resolve(instance_role.node.default_child.logical_id)  # type: ignore[union-attr]
    submitter_id = stack.resolve(submitter.node.default_child.logical_id)  # type: ignore[union-attr]
    return Built(
        app=application,
        network=network,
        template=template,
        instance_role_statements=_policy_statements(template, instance_id),
        runtime_role_statements=_policy_statements(template, runtime_id),
        submitter_statements=_policy_statements(template, submitter_id),
        destroy_template=Template.from_stack(destroy).to_json(),
        findings=nag_findings(app),
    )


def _resources(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _application(built: Built) -> dict[str, Any]:
    (application,) = _resources(built.template, "AWS::EMRServerless::Application").values()
    return application["Properties"]


def test_application_settings(built: Built) -> None:
    props = _application(built)
    assert props["Name"] == "analytics-spark"
    assert props["Type"] == "Spark"
    assert props["ReleaseLabel"] == "emr-7.14.0"
    assert props["Architecture"] == "ARM64"
    assert props["AutoStartConfiguration"] == {"Enabled": True}
    assert props["AutoStopConfiguration"] == {"Enabled": True, "IdleTimeoutMinutes": 30}
    assert props["InitialCapacity"] == [
        {
            "Key": "Driver",
            "Value": {"WorkerCount": 1, "WorkerConfiguration": {"Cpu": "2 vCPU", "Memory": "8 GB", "Disk": "20 GB"}},
        },
        {
            "Key": "Executor",
            "Value": {"WorkerCount": 4, "WorkerConfiguration": {"Cpu": "4 vCPU", "Memory": "16 GB", "Disk": "64 GB"}},
        },
    ]
    assert props["MaximumCapacity"] == {"Cpu": "64 vCPU", "Memory": "256 GB", "Disk": "2000 GB"}
    assert props["InteractiveConfiguration"] == {"StudioEnabled": True, "LivyEndpointEnabled": False}
    # Its own tags, and the discovery tag `emr-platform --app spark` finds it by (construct id, lowercased).
    assert props["Tags"] == [
        {"Key": "cost-center", "Value": "analytics"},
        {"Key": "emr-platform:application", "Value": "spark"},
    ]
    assert "ImageConfiguration" not in props


def test_application_in_private_subnets_with_its_own_group(built: Built) -> None:
    props = _application(built)["NetworkConfiguration"]
    private = [Stack.of(built.network).resolve(s.subnet_id) for s in built.network.cluster_subnets]
    assert len(props["SubnetIds"]) == len(private) >= 2
    assert all("ImportValue" in json.dumps(s) or "GetStackOutput" in json.dumps(s) for s in props["SubnetIds"])
    (group_id,) = props["SecurityGroupIds"]
    assert group_id["Fn::GetAtt"][0].startswith("SparkSecurityGroup")
    assert group_id["Fn::GetAtt"][1] == "GroupId"


def test_security_group_allows_only_https_and_the_warehouse_port(built: Built) -> None:
    groups = _resources(built.template, "AWS::EC2::SecurityGroup")
    (group,) = [g for k, g in groups.items() if k.startswith("SparkSecurityGroup")]
    assert "SecurityGroupIngress" not in group["Properties"]
    assert group["Properties"]["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "HTTPS to S3 through the gateway endpoint",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    egress = sorted(
        (e["Properties"]["FromPort"], e["Properties"]["Description"])
        for e in _resources(built.template, "AWS::EC2::SecurityGroupEgress").values()
    )
    assert egress == [(443, "HTTPS to the interface VPC endpoints (Glue, KMS, STS, Logs)"), (5439, "Redshift")]
    (ingress,) = _resources(built.template, "AWS::EC2::SecurityGroupIngress").values()
    assert ingress["Properties"]["FromPort"] == 5439
    assert ingress["Properties"]["SourceSecurityGroupId"]["Fn::GetAtt"][0].startswith("SparkSecurityGroup")


def test_prefix_list_replaces_any_address_for_s3() -> None:
    stack = new_stack()
    network = DataPlatformVpc(stack, "Network")
    application = EmrServerlessApplication(
        stack,
        "Spark",
        network=network,
        lake=DataLake(stack, "Lake"),
        props=ServerlessApplicationProps(s3_prefix_list_id="pl-6da54004"),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupEgress",
        {"DestinationPrefixListId": "pl-6da54004", "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp"},
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {"GroupDescription": Match.string_like_regexp("EMR Serverless"), "SecurityGroupEgress": Match.absent()},
    )
    assert application.security_group is not None


def test_logs_to_the_lake_encrypted_and_to_an_encrypted_log_group(built: Built) -> None:
    monitoring = _application(built)["MonitoringConfiguration"]
    s3 = monitoring["S3MonitoringConfiguration"]
    assert s3["EncryptionKeyArn"]  # the lake key, imported from the base stack
    assert "emr-serverless/" in json.dumps(s3["LogUri"])
    cloudwatch = monitoring["CloudWatchLoggingConfiguration"]
    (key_id,) = _resources(built.template, "AWS::KMS::Key")
    (group_id, group) = next(iter(_resources(built.template, "AWS::Logs::LogGroup").items()))
    assert cloudwatch == {
        "Enabled": True,
        "LogGroupName": {"Ref": group_id},
        "LogStreamNamePrefix": built.app.log_prefix.rstrip("/"),
        "EncryptionKeyArn": {"Fn::GetAtt": [key_id, "Arn"]},
    }
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert monitoring["ManagedPersistenceMonitoringConfiguration"] == {
        "Enabled": True,
        "EncryptionKeyArn": {"Fn::GetAtt": [key_id, "Arn"]},
    }


def test_runtime_role_trusted_for_this_application_only(built: Built) -> None:
    roles = _resources(built.template, "AWS::IAM::Role")
    (role,) = [r for k, r in roles.items() if k.startswith("SparkRuntimeRole")]
    (app_id,) = _resources(built.template, "AWS::EMRServerless::Application")
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "emr-serverless.amazonaws.com"},
            "Condition": {
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                "ArnLike": {
                    "aws:SourceArn": [
                        {"Fn::GetAtt": [app_id, "Arn"]},
                        {"Fn::Join": ["", [{"Fn::GetAtt": [app_id, "Arn"]}, "/*"]]},
                    ]
                },
            },
        }
    ]


def test_runtime_role_gets_exactly_the_instance_roles_grants(built: Built) -> None:
    """The same helpers grant the same statements: no second copy of the lake, catalog or warehouse logic."""
    instance = _permissions(built.instance_role_statements)
    runtime = _permissions(built.runtime_role_statements)
    assert instance <= runtime
    own = runtime - instance
    # Beyond them only its logs (S3 under its log prefix, its log group and key) and reading its job scripts.
    assert sorted({action for action, _, _ in own}) == [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "logs:CreateLogStream",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    ]
    written = {resource for action, resource, _ in own if action == "s3:PutObject"}
    assert len(written) == 1 and "/emr-serverless/" in next(iter(written))
    (scripts,) = {resource for action, resource, _ in own if action == "s3:GetObject"}
    assert "LakeArtifactsBucket" in scripts and "/jobs/*" in scripts
    assert {resource for action, resource, _ in own if action == "logs:DescribeLogGroups"} == {'"*"'}


def _permissions(statements: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """(action, resource, condition) triples: equal permissions however CDK merged them into statements."""

    def listed(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [value]

    return {
        (action, json.dumps(resource, sort_keys=True), json.dumps(s.get("Condition"), sort_keys=True))
        for s in statements
        for action in listed(s["Action"])
        for resource in listed(s["Resource"])
    }


def test_grant_start_job_run_passes_only_the_runtime_role(built: Built) -> None:
    (app_id,) = _resources(built.template, "AWS::EMRServerless::Application")
    (role_id,) = [k for k in _resources(built.template, "AWS::IAM::Role") if k.startswith("SparkRuntimeRole")]
    arn = {"Fn::GetAtt": [app_id, "Arn"]}
    assert built.submitter_statements == [
        {
            "Action": [
                "emr-serverless:CancelJobRun",
                "emr-serverless:GetApplication",
                "emr-serverless:GetDashboardForJobRun",
                "emr-serverless:GetJobRun",
                "emr-serverless:ListJobRuns",
                "emr-serverless:StartJobRun",
            ],
            "Effect": "Allow",
            "Resource": [arn, {"Fn::Join": ["", [arn, "/jobruns/*"]]}],
        },
        {
            "Action": "iam:PassRole",
            "Condition": {"StringLike": {"iam:PassedToService": "emr-serverless.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [role_id, "Arn"]},
        },
    ]


def test_monitoring_helpers(built: Built) -> None:
    stack = Stack.of(built.app)
    metric = built.app.metric_failed_jobs()
    assert metric.namespace == "AWS/EMRServerless"
    assert metric.metric_name == "FailedJobs"
    assert stack.resolve(metric.dimensions["ApplicationId"]) == stack.resolve(built.app.application_id)
    pattern = built.app.job_run_state_change_pattern("FAILED")
    assert pattern.source == ["aws.emr-serverless"]
    assert pattern.detail_type == ["EMR Serverless Job Run State Change"]
    assert stack.resolve(pattern.detail)["state"] == ["FAILED"]
    assert built.app.application_state_change_pattern().detail_type == ["EMR Serverless Application State Change"]


def test_nag_packs_have_no_unacknowledged_findings(built: Built) -> None:
    assert built.findings == []


def test_snapshot(built: Built, template_snapshot: Any) -> None:
    assert template_snapshot == built.template


def test_log_group_and_key_retained_unless_destroy_is_allowed(built: Built) -> None:
    for kind in ("AWS::KMS::Key", "AWS::Logs::LogGroup"):
        for resource in _resources(built.template, kind).values():
            assert resource["DeletionPolicy"] == "Retain"
        # DESTROY without the app-wide flag is reverted to RETAIN.
        for resource in _resources(built.destroy_template, kind).values():
            assert resource["DeletionPolicy"] == "Retain"


def test_destroy_with_the_flag() -> None:
    stack = new_stack(**{"emr-platform:allow-destroy": True})
    network = DataPlatformVpc(stack, "Network")
    EmrServerlessApplication(
        stack, "Spark", network=network, lake=DataLake(stack, "Lake"), removal_policy=RemovalPolicy.DESTROY
    )
    Template.from_stack(stack).has_resource("AWS::Logs::LogGroup", {"DeletionPolicy": "Delete"})


def test_without_cloudwatch_logging_no_log_group() -> None:
    stack = new_stack()
    network = DataPlatformVpc(stack, "Network")
    EmrServerlessApplication(
        stack,
        "Hive",
        network=network,
        lake=DataLake(stack, "Lake"),
        props=ServerlessApplicationProps(type="Hive", cloudwatch_logging=False, release_label="emr-6.8.0"),  # type: ignore[arg-type]
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Logs::LogGroup", 1)  # the VPC flow log only
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {
            "Type": "Hive",
            "Architecture": "X86_64",
            "MonitoringConfiguration": Match.object_like({"CloudWatchLoggingConfiguration": Match.absent()}),
        },
    )


def test_fails_at_the_construct_path() -> None:
    stack = new_stack()
    network = DataPlatformVpc(stack, "Network")
    with pytest.raises(EmrConfigError) as raised:
        EmrServerlessApplication(
            stack,
            "Spark",
            network=network,
            lake=DataLake(stack, "Lake"),
            props=ServerlessApplicationProps(auto_stop_idle_minutes=0),
        )
    assert str(raised.value) == (
        "Test/Spark: auto_stop_idle_minutes=0 is invalid: idle timeout out of range; "
        "allowed: 1-10080 minutes, or null to never stop"
    )


def test_fails_wrong_argument_type() -> None:
    stack = new_stack()
    lake = DataLake(stack, "Lake")
    with pytest.raises(EmrTypeError) as raised:
        EmrServerlessApplication(stack, "Spark", network=lake, lake=lake)  # type: ignore[arg-type]
    assert str(raised.value).startswith("Test/Spark: network=<emr_constructs.storage.data_lake.DataLake> is invalid")


def test_cfn_lint_clean(built: Built) -> None:
    assert cfn_lint(built.template) == []


def test_cfn_lint_clean_with_every_option() -> None:
    app = new_app()
    base = Stack(app, "Base")
    network = DataPlatformVpc(base, "Network")
    stack = Stack(app, "Hive")
    EmrServerlessApplication(
        stack,
        "Hive",
        network=network,
        lake=DataLake(base, "Lake"),
        props=ServerlessApplicationProps(
            type=ApplicationType.HIVE,
            release_label="emr-7.1.0",
            architecture=Architecture.X86_64,
            driver=WorkerGroup(
                count=1, size=WorkerSize(cpu=16, memory_gb=120, disk_gb=2000, disk_type=DiskType.SHUFFLE_OPTIMIZED)
            ),
            executor=WorkerGroup(count=2, size=WorkerSize(cpu=1, memory_gb=2)),
            maximum_capacity=MaximumCapacity(cpu=18, memory_gb=124),
            auto_start=False,
            auto_stop_idle_minutes=None,
            image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/hive/jobs:1",
            livy_endpoint_enabled=True,
            managed_persistence=False,
            s3_prefix_list_id="pl-63a5400a",
        ),
    )
    template = Template.from_stack(stack)
    assert cfn_lint(template.to_json()) == []
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {
            "Type": "Hive",
            "AutoStartConfiguration": {"Enabled": False},
            "AutoStopConfiguration": {"Enabled": False},
            "ImageConfiguration": {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/hive/jobs:1"},
            "InteractiveConfiguration": {"StudioEnabled": False, "LivyEndpointEnabled": True},
            "InitialCapacity": [
                Match.object_like(
                    {
                        "Key": "HiveDriver",
                        "Value": Match.object_like(
                            {
                                "WorkerConfiguration": {
                                    "Cpu": "16 vCPU",
                                    "Memory": "120 GB",
                                    "Disk": "2000 GB",
                                    "DiskType": "SHUFFLE_OPTIMIZED",
                                }
                            }
                        ),
                    }
                ),
                Match.object_like({"Key": "TezTask"}),
            ],
            "MaximumCapacity": {"Cpu": "18 vCPU", "Memory": "124 GB"},
            "MonitoringConfiguration": Match.object_like(
                {"ManagedPersistenceMonitoringConfiguration": {"Enabled": False}}
            ),
        },
    )
