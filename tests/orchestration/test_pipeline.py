"""Pipelines: exact role statements, state definitions, schedule, failure routing, nag, rules; workload assets."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs.cluster import DEFAULT_RELEASE_LABEL
from emr_constructs.cluster.applications import Application
from emr_constructs.errors import EmrConfigError
from emr_constructs.iam import EmrRoles, EmrRolesProps
from emr_constructs.monitoring import PlatformMonitoring
from emr_constructs.network import EmrSecurityGroups, ExistingNetwork, ExistingNetworkProps
from emr_constructs.orchestration import (
    ClusterStepsPipeline,
    PipelineProps,
    ServerlessJobPipeline,
    SparkJob,
    TransientClusterPipeline,
    TransientClusterProps,
    WorkloadAssets,
    batch_etl_arguments,
    streaming_arguments,
)
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.serverless import EmrServerlessApplication
from emr_constructs.sources import (
    DataCompute,
    DynamoTable,
    ExistingDatabaseProps,
    KinesisStream,
    KinesisStreamProps,
    RelationalDatabase,
    RelationalDatabaseProps,
)
from emr_constructs.storage import DataLake
from tests.catalog.policies import get_att, ref, resources_of_type, role_statements
from tests.orchestration.definitions import definition as definition_of
from tests.support import ROOT, TWO_AZ_NETWORK, nag_findings, new_app

CLUSTER_ID = "j-1ABCDEFGHIJKL"
CLUSTER_ARN = f"arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/{CLUSTER_ID}"
LOG_AND_TRACE = {
    "Effect": "Allow",
    "Action": [
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
    ],
    "Resource": ["*"],
}


class StandInCluster:
    """What the steps pipeline reads from an EmrCluster."""

    cluster_id = CLUSTER_ID
    cluster_arn = CLUSTER_ARN


def rule_arn(name: str) -> dict[str, Any]:
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":events:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":rule/{name}",
            ],
        ]
    }


@dataclass
class Built:
    stack: Stack
    template: dict[str, Any]
    monitoring_template: dict[str, Any]
    steps: ClusterStepsPipeline
    serverless: ServerlessJobPipeline
    application: EmrServerlessApplication
    assets: WorkloadAssets
    reader: DataCompute
    lake: DataLake
    findings: list[str]
    assembly: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    app = new_app()
    app_outdir = tmp_path_factory.mktemp("pipelines")
    base = Stack(app, "Base")
    network = ExistingNetwork(
        base,
        "Network",
        props=TWO_AZ_NETWORK,
    )
    lake = DataLake(base, "Lake")
    application = EmrServerlessApplication(base, "Spark", network=network, lake=lake)
    monitoring_stack = Stack(app, "Monitoring")
    monitoring = PlatformMonitoring(monitoring_stack, "Monitoring")

    stack = Stack(app, "Pipelines")
    assets = WorkloadAssets(
        stack,
        "Workloads",
        root=ROOT,
        package="workloads",
        entry_points={"batch": "workloads/batch/job.py", "streaming": "workloads/streaming/job.py"},
    )
    reader = DataCompute(role=iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com")))
    acknowledge_inline_policies(reader.role, "Test stand-in for a compute role.")
    assets.grant_read(reader)
    database = RelationalDatabase(
        stack,
        "Products",
        props=RelationalDatabaseProps(
            existing=ExistingDatabaseProps(
                endpoint="products.abc123.us-east-1.rds.amazonaws.com",
                security_group_id="sg-0a1b2c3d",
                secret_arn="arn:aws:secretsmanager:us-east-1:111122223333:secret:products-AbCdEf",
            )
        ),
    )
    table = DynamoTable(stack, "Aggregates")
    batch = assets.spark_job(
        "batch",
        name="batch-etl",
        arguments=batch_etl_arguments(
            date="2026-11-27", lake=lake, database=database, jdbc_table="public.products", sink=table
        ),
    )
    steps = ClusterStepsPipeline(
        stack,
        "Steps",
        cluster=StandInCluster(),
        jobs=[batch, SparkJob(name="second", script_uri="s3://bucket/jobs/second.py")],
        props=PipelineProps(schedule="cron(0 3 * * ? *)", schedule_time_zone="Europe/Paris"),
        notifications=monitoring,
    )
    serverless = ServerlessJobPipeline(stack, "Serverless", application=application, jobs=[batch])
    KinesisStream(stack, "Clicks", props=KinesisStreamProps(consumer_name="flink"))
    app_outdir.mkdir(exist_ok=True)
    assembly = app.synth()
    return Built(
        stack=stack,
        template=Template.from_stack(stack).to_json(),
        monitoring_template=Template.from_stack(monitoring_stack).to_json(),
        steps=steps,
        serverless=serverless,
        application=application,
        assets=assets,
        reader=reader,
        lake=lake,
        findings=nag_findings(app),
        assembly=Path(assembly.directory),
    )


def definition(built: Built, pipeline: Any) -> dict[str, Any]:
    """The state machine's definition with CloudFormation values as their JSON text."""
    return definition_of(built.template, pipeline)


def test_steps_pipeline_role_may_add_steps_to_its_cluster_only(built: Built) -> None:
    assert role_statements(built.template, built.steps.state_machine.role) == [
        LOG_AND_TRACE,
        {
            "Effect": "Allow",
            "Action": [
                "elasticmapreduce:AddJobFlowSteps",
                "elasticmapreduce:CancelSteps",
                "elasticmapreduce:DescribeStep",
            ],
            "Resource": [CLUSTER_ARN],
        },
        {
            "Effect": "Allow",
            "Action": ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
            "Resource": [rule_arn("StepFunctionsGetEventForEMRAddJobFlowStepsRule")],
        },
    ]


def test_steps_pipeline_runs_each_job_as_a_spark_step_in_order(built: Built) -> None:
    states = definition(built, built.steps)
    assert states["StartAt"] == "batch-etl"
    assert states["TimeoutSeconds"] == 21600
    first = states["States"]["batch-etl"]
    assert first["Next"] == "second"
    assert first["Resource"] == "arn:<{'Ref': 'AWS::Partition'}>:states:::elasticmapreduce:addStep.sync"
    assert first["Parameters"]["ClusterId"] == CLUSTER_ID
    step = first["Parameters"]["Step"]
    assert (step["Name"], step["ActionOnFailure"], step["HadoopJarStep"]["Jar"]) == (
        "batch-etl",
        "CONTINUE",
        "command-runner.jar",
    )
    args = step["HadoopJarStep"]["Args"]
    assert args[0:2] == ["spark-submit", "--py-files"]
    assert args[3].endswith(".py'}>") and args[4:6] == ["--date", "2026-11-27"]
    flags = args[4::2]
    assert flags == [
        "--date",
        "--raw-path",
        "--curated-path",
        "--quarantine-path",
        "--analytics-path",
        "--jdbc-url",
        "--jdbc-secret-name",
        "--jdbc-table",
        "--sink-table",
        "--region",
    ]
    assert (
        args[args.index("--jdbc-url") + 1]
        == "jdbc:postgresql://products.abc123.us-east-1.rds.amazonaws.com:5432/platform"
    )
    assert "password" not in json.dumps(states).lower()
    assert states["States"]["second"]["End"] is True


def test_state_machine_logs_all_events_without_data_encrypted_and_traced(built: Built) -> None:
    machine = built.template["Resources"][
        Stack.of(built.steps).get_logical_id(built.steps.state_machine.node.default_child)
    ]
    assert machine["Properties"]["LoggingConfiguration"] == {
        "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": get_att(built.steps.log_group, "Arn")}}],
        "IncludeExecutionData": False,
        "Level": "ALL",
    }
    assert machine["Properties"]["TracingConfiguration"] == {"Enabled": True}
    group = built.template["Resources"][Stack.of(built.steps).get_logical_id(built.steps.log_group.node.default_child)]
    assert group["Properties"]["KmsKeyId"] == get_att(built.steps.key, "Arn")
    assert group["DeletionPolicy"] == "Retain"


def test_schedule_starts_this_state_machine_only(built: Built) -> None:
    assert built.steps.schedule is not None
    schedule = built.template["Resources"][
        Stack.of(built.steps).get_logical_id(built.steps.schedule.node.default_child)
    ]
    properties = schedule["Properties"]
    assert properties["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert properties["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert properties["State"] == "ENABLED"
    assert properties["Target"]["Arn"] == ref(built.steps.state_machine)
    assert role_statements(built.template, built.steps.schedule_role) == [
        {"Effect": "Allow", "Action": ["states:StartExecution"], "Resource": [ref(built.steps.state_machine)]}
    ]
    trust = built.template["Resources"][
        Stack.of(built.steps).get_logical_id(built.steps.schedule_role.node.default_child)
    ]
    assert trust["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
        }
    ]
    assert built.serverless.schedule is None


def test_failures_are_routed_to_the_platform_notifications(built: Built) -> None:
    rules = resources_of_type(built.monitoring_template, "AWS::Events::Rule")
    pattern = [
        r["Properties"]["EventPattern"]
        for r in rules.values()
        if r["Properties"]["EventPattern"].get("source") == ["aws.states"]
    ]
    assert len(pattern) == 1
    assert pattern[0]["detail-type"] == ["Step Functions Execution Status Change"]
    assert pattern[0]["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]
    assert "Pipelines" in json.dumps(pattern[0]["detail"]["stateMachineArn"])


def test_serverless_pipeline_role_runs_jobs_on_its_application_only(built: Built) -> None:
    statements = role_statements(built.template, built.serverless.state_machine.role)
    text = json.dumps(statements)
    assert statements[0] == LOG_AND_TRACE
    assert [s["Action"] for s in statements[1:]] == [
        ["emr-serverless:StartJobRun"],
        ["emr-serverless:CancelJobRun", "emr-serverless:GetJobRun"],
        ["iam:PassRole"],
        ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
    ]
    assert statements[3]["Condition"] == {"StringLike": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}
    assert statements[4]["Resource"] == [rule_arn("StepFunctionsGetEventsForEMRServerlessJobRule")]
    assert "jobruns/*" in json.dumps(statements[2]["Resource"]) and "Spark" in text
    assert all(len(s["Resource"]) == 1 for s in statements)


def test_serverless_pipeline_job_run_parameters(built: Built) -> None:
    states = definition(built, built.serverless)
    state = states["States"]["batch-etl"]
    assert state["Resource"] == "arn:<{'Ref': 'AWS::Partition'}>:states:::emr-serverless:startJobRun.sync"
    submit = state["Parameters"]["JobDriver"]["SparkSubmit"]
    assert submit["EntryPoint"].endswith(".py'}>") and submit["SparkSubmitParameters"].startswith(
        "--py-files <{'Fn::Sub': 's3://"
    )
    assert submit["EntryPointArguments"][0:2] == ["--date", "2026-11-27"]
    assert state["Parameters"]["Name"] == "batch-etl"


def test_no_unacknowledged_nag_findings(built: Built) -> None:
    assert built.findings == []


# -- workload assets ------------------------------------------------------------------------------------


def test_assets_read_grant_names_the_objects_only(built: Built) -> None:
    statements = role_statements(built.template, built.reader.role)
    assert [s["Action"] for s in statements] == [["s3:GetObject"]]
    assert len(statements[0]["Resource"]) == 3
    assert all("/" in json.dumps(r) and "*" not in json.dumps(r) for r in statements[0]["Resource"])


def test_package_zip_holds_the_package_folder_at_its_root(built: Built) -> None:
    package = built.assets.package
    path = built.assembly / f"asset.{package.asset_hash}"
    archive = next(built.assembly.glob(f"asset.{package.asset_hash}*"))
    names = (
        zipfile.ZipFile(archive).namelist()
        if archive.is_file()
        else [str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()]
    )
    assert "workloads/batch/job.py" in names and "workloads/__init__.py" in names
    assert not any("__pycache__" in n or n.startswith(("tests/", "emr_constructs/", ".")) for n in names), names
    assert {n.split("/")[0] for n in names} == {"workloads"}


def test_streaming_arguments_follow_the_contract(built: Built) -> None:
    stack = Stack(new_app(), "S")
    lake = DataLake(stack, "Lake")
    args = streaming_arguments(
        stream=KinesisStream(stack, "Clicks", props=KinesisStreamProps(consumer_name="flink")),
        lake=lake,
        sink=DynamoTable(stack, "Table"),
    )
    assert list(args[0::2]) == ["--stream-name", "--efo-consumer-name", "--output-path", "--sink-table", "--region"]
    assert args[3] == "flink"


# -- rules ----------------------------------------------------------------------------------------------


def test_fails_schedule_and_timeout() -> None:
    assert [p.message("p") for p in PipelineProps(schedule="0 3 * * *", timeout_minutes=0).problems()] == [
        "p: schedule='0 3 * * *' is invalid: not an EventBridge Scheduler cron or rate expression; allowed: "
        "cron(minutes hours day-of-month month day-of-week year), e.g. 'cron(0 3 * * ? *)', or "
        "rate(<n> minutes|hours|days)",
        "p: timeout_minutes=0 is invalid: out of range; allowed: 1-10080",
    ]


def test_valid_edges() -> None:
    assert PipelineProps(schedule="rate(1 day)", timeout_minutes=10080).problems() == []
    assert PipelineProps(schedule="cron(0/15 * * * ? *)", timeout_minutes=1).problems() == []


def test_fails_jobs() -> None:
    stack = Stack(new_app(), "S")
    with pytest.raises(EmrConfigError) as raised:
        ClusterStepsPipeline(
            stack,
            "P",
            cluster=StandInCluster(),
            jobs=[SparkJob(name="a", script_uri="jobs/a.py"), SparkJob(name="a", script_uri="s3://b/a.py")],
        )
    assert str(raised.value).splitlines() == [
        "S/P: jobs[0].script_uri='jobs/a.py' is invalid: EMR runs scripts from S3; allowed: an s3:// URI",
        "S/P: jobs=['a', 'a'] is invalid: job names name the states of the state machine and must be unique; "
        "allowed: distinct names",
    ]
    with pytest.raises(EmrConfigError) as empty:
        ServerlessJobPipeline(stack, "Q", application=StandInApplication(stack), jobs=[])
    assert str(empty.value) == "S/Q: jobs=0 is invalid: a pipeline runs at least one job; allowed: 1 or more SparkJob"


class StandInApplication:
    def __init__(self, stack: Stack) -> None:
        self.application_id = "00f0abcdefgh"
        self.application_arn = "arn:aws:emr-serverless:us-east-1:111122223333:/applications/00f0abcdefgh"
        self.runtime_role = iam.Role(stack, "Runtime", assumed_by=iam.ServicePrincipal("emr-serverless.amazonaws.com"))


def test_fails_assets_without_package(tmp_path: Path) -> None:
    with pytest.raises(EmrConfigError) as raised:
        WorkloadAssets(Stack(new_app(), "S"), "W", root=tmp_path, package="workloads", entry_points={"batch": "x.txt"})
    assert str(raised.value).splitlines() == [
        f"S/W: package='workloads' is invalid: no Python package of that name under {tmp_path}; "
        "allowed: a folder with an __init__.py next to the entry points",
        f"S/W: entry_points.batch='x.txt' is invalid: not a local Python file; allowed: a .py file under {tmp_path}",
    ]


# -- transient cluster --------------------------------------------------------------------------------------


@dataclass
class Transient:
    pipeline: TransientClusterPipeline
    roles: EmrRoles
    template: dict[str, Any]
    findings: list[str]


@pytest.fixture(scope="module")
def transient() -> Transient:
    app = new_app()
    stack = Stack(app, "Transient")
    network = ExistingNetwork(
        stack,
        "Network",
        props=ExistingNetworkProps(
            vpc_id="vpc-0a1b2c3d",
            vpc_cidr="10.0.0.0/16",
            availability_zones=("us-east-1a",),
            private_subnet_ids=("subnet-0a1b2c3d",),
        ),
    )
    groups = EmrSecurityGroups(stack, "EmrGroups", vpc=network.vpc)
    roles = EmrRoles(stack, "Roles", props=EmrRolesProps(create_autoscaling_role=True))
    assert roles.autoscaling_role is not None
    pipeline = TransientClusterPipeline(
        stack,
        "Pipeline",
        cluster=TransientClusterProps(core_instance_count=3),
        jobs=[SparkJob(name="one", script_uri="s3://b/one.py"), SparkJob(name="two", script_uri="s3://b/two.py")],
        service_role=roles.service_role,
        instance_role=roles.instance_role,
        autoscaling_role=roles.autoscaling_role,
        subnet_id=network.cluster_subnets[0].subnet_id,
        primary_security_group=groups.primary,
        core_security_group=groups.core,
        service_access_security_group=groups.service_access,
        security_configuration_name="platform-security",
        log_uri="s3://logs-bucket/emr-logs/transient/",
    )
    return Transient(pipeline, roles, Template.from_stack(stack).to_json(), nag_findings(app))


def transient_states(transient: Transient) -> dict[str, Any]:
    states: dict[str, Any] = definition_of(transient.template, transient.pipeline)["States"]
    return states


def test_transient_cluster_is_always_terminated(transient: Transient) -> None:
    states = transient_states(transient)
    assert states["CreateCluster"]["Next"] == "RunSteps"
    assert states["CreateCluster"]["Resource"].endswith(":states:::elasticmapreduce:createCluster.sync")
    run = states["RunSteps"]
    assert run["Next"] == "TerminateCluster"
    assert run["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.Error", "Next": "TerminateAfterFailure"}]
    assert run["Branches"][0]["StartAt"] == "one" and run["Branches"][0]["States"]["one"]["Next"] == "two"
    assert run["Branches"][0]["States"]["two"]["Parameters"]["ClusterId.$"] == "$.Cluster.ClusterId"
    for name in ("TerminateCluster", "TerminateAfterFailure"):
        assert states[name]["Resource"].endswith(":states:::elasticmapreduce:terminateCluster.sync")
        assert states[name]["Parameters"] == {"ClusterId.$": "$.Cluster.ClusterId"}
    assert states["TerminateCluster"]["End"] is True
    assert states["TerminateAfterFailure"]["Next"] == "StepsFailed" and states["StepsFailed"]["Type"] == "Fail"


def test_transient_cluster_settings(transient: Transient) -> None:
    parameters = transient_states(transient)["CreateCluster"]["Parameters"]
    assert parameters["ReleaseLabel"] == DEFAULT_RELEASE_LABEL
    assert parameters["Applications"] == [{"Name": "Spark"}]
    assert parameters["SecurityConfiguration"] == "platform-security"
    assert parameters["LogUri"] == "s3://logs-bucket/emr-logs/transient/"
    assert parameters["Tags"] == [{"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}]
    assert parameters["Instances"]["Ec2SubnetId"] == "subnet-0a1b2c3d"
    assert parameters["Instances"]["InstanceGroups"][1] == {
        "InstanceCount": 3,
        "InstanceRole": "CORE",
        "InstanceType": "m7g.xlarge",
    }


def test_transient_role_passes_the_cluster_roles_only(transient: Transient) -> None:
    statements = role_statements(transient.template, transient.pipeline.state_machine.role)
    (pass_role,) = [s for s in statements if s["Action"] == ["iam:PassRole"]]
    roles = transient.roles
    assert pass_role["Resource"] == sorted(
        [get_att(r, "Arn") for r in (roles.service_role, roles.instance_role, roles.autoscaling_role)],  # type: ignore[arg-type]
        key=lambda v: json.dumps(v, sort_keys=True),
    )
    assert not any(a.startswith(("s3:", "kms:", "glue:", "dynamodb:")) for s in statements for a in s["Action"])


def test_transient_no_unacknowledged_nag_findings(transient: Transient) -> None:
    assert transient.findings == []


def test_fails_transient_cluster_props() -> None:
    assert [p.message("c") for p in TransientClusterProps(release_label="emr-9", core_instance_count=0).problems()] == [
        "c: release_label='emr-9' is invalid: not an EMR release; allowed: emr-<major>.<minor>.<patch> of 5.0.0 or "
        f"later, e.g. {DEFAULT_RELEASE_LABEL}",
        "c: core_instance_count=0 is invalid: out of range; allowed: 1-256",
    ]
    problems = TransientClusterProps(release_label="emr-5.36.2", applications=(Application.TRINO,)).problems()
    assert [(p.field, p.rule) for p in problems] == [("applications[0]", "not in emr-5.36.2")]
    assert TransientClusterProps(core_instance_count=256).problems() == []
