"""The data path of the bundled app: Sources before Compute, Pipelines after it, and the exact wiring between them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from emr_constructs.orchestration import FLINK_LAUNCHER
from emr_constructs.sources import dynamodb_connector_configurations
from stacks.platform_stage import PlatformStage
from tests.stacks.test_platform import stack_of

ENVIRONMENTS = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def templates(platform: dict[str, PlatformStage]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (env, name): Template.from_stack(stack_of(platform, env, name)).to_json()
        for env in ENVIRONMENTS
        for name in ("Sources", "Compute", "Pipelines", "Monitoring")
    }


def of_type(template: dict[str, Any], type_: str) -> dict[str, Any]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == type_}


def role_statements(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    """Every statement of the role's inline and overflow policies (CDK moves statements past the inline size limit
    into managed policies)."""
    policies = {**of_type(template, "AWS::IAM::Policy"), **of_type(template, "AWS::IAM::ManagedPolicy")}
    return [
        statement
        for policy in policies.values()
        if {"Ref": role_id} in policy["Properties"].get("Roles", [])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def sources_output(env: str, output_prefix: str) -> dict[str, Any]:
    return {"Fn::GetStackOutput": {"StackName": f"{env}-Sources", "Region": "eu-west-1", "OutputName": output_prefix}}


def actions_on(statements: list[dict[str, Any]], fragment: str) -> list[Any]:
    return [s["Action"] for s in statements if fragment in json.dumps(s["Resource"])]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_sources_deploy_before_compute_and_pipelines_after_it(platform: dict[str, PlatformStage], env: str) -> None:
    stage = platform[env]
    assert stage.sources is not None and stage.pipelines is not None
    ids = [s.node.id for s in stage.stacks]
    assert ids.index("Sources") < ids.index("Compute") < ids.index("Pipelines")
    assert stage.sources in stage.compute[0].dependencies
    # The pipeline names the cluster (or application) of the compute stack: a reference, so a dependency.
    deps = {d.node.id for d in stage.pipelines.dependencies}
    assert deps >= {"Compute", "Sources", "DataLake"}, deps


def test_dev_creates_the_database_and_brings_none(templates: dict[tuple[str, str], dict[str, Any]]) -> None:
    dev, prod = templates[("dev", "Sources")], templates[("prod", "Sources")]
    assert list(of_type(dev, "AWS::RDS::DBInstance")) == ["DatabaseF44359DD"]
    assert of_type(prod, "AWS::RDS::DBInstance") == {}
    # Retained outside dev (and in dev too without the destroy flag): a table and a stream hold data.
    for env in ENVIRONMENTS:
        sources = templates[(env, "Sources")]
        for type_ in ("AWS::DynamoDB::Table", "AWS::Kinesis::Stream"):
            assert {r["DeletionPolicy"] for r in of_type(sources, type_).values()} == {"Retain"}, (env, type_)


def test_dev_cluster_groups_are_admitted_to_the_database_on_its_port_in_the_sources_stack(
    templates: dict[tuple[str, str], dict[str, Any]],
) -> None:
    rules = of_type(templates[("dev", "Sources")], "AWS::EC2::SecurityGroupIngress")
    assert {
        k: (r["Properties"]["FromPort"], r["Properties"]["ToPort"], r["Properties"]["Description"])
        for k, r in rules.items()
    } == {
        "DatabaseClient0Ingress4F5EDD80": (5432, 5432, "Database clients in dev/Network/EmrSecurityGroups/Primary"),
        "DatabaseClient1IngressB86E0C2E": (5432, 5432, "Database clients in dev/Network/EmrSecurityGroups/Core"),
    }
    assert all(r["Properties"]["GroupId"] == {"Fn::GetAtt": ["DatabaseSecurityGroupResource189BA448", "GroupId"]}
               for r in rules.values())  # fmt: skip


def test_staging_serverless_group_rules_live_beside_the_group_to_avoid_a_cycle(
    templates: dict[tuple[str, str], dict[str, Any]],
) -> None:
    compute = templates[("staging", "Compute")]
    ingress = of_type(compute, "AWS::EC2::SecurityGroupIngress")
    egress = of_type(compute, "AWS::EC2::SecurityGroupEgress")
    spark_group = {"Fn::GetAtt": ["SparkSecurityGroup27EEC0F5", "GroupId"]}
    assert ingress["SparkSecurityGroupTostagingSourcesDatabaseFEE0A371Ingress838F9E15"]["Properties"] == {
        "Description": "Database clients in staging/Compute/Spark/SecurityGroup",
        "FromPort": 5432,
        "ToPort": 5432,
        "GroupId": "sg-0f1e2d3c4b5a69788",
        "IpProtocol": "tcp",
        "SourceSecurityGroupId": spark_group,
    }
    assert egress["SparkSecurityGroupTostagingSourcesDatabaseFEE0A371EgressB1F357DA"]["Properties"] == {
        "Description": "To the database staging/Sources/Database",
        "DestinationSecurityGroupId": "sg-0f1e2d3c4b5a69788",
        "FromPort": 5432,
        "ToPort": 5432,
        "GroupId": spark_group,
        "IpProtocol": "tcp",
    }
    assert of_type(templates[("staging", "Sources")], "AWS::EC2::SecurityGroupIngress") == {}


def test_prod_cluster_role_gets_exactly_the_data_path_grants(
    templates: dict[tuple[str, str], dict[str, Any]],
) -> None:
    statements = role_statements(templates[("prod", "Compute")], "AnalyticsRolesInstanceRole5406600E")
    secret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/products/emr-reader-AbCdEf"
    assert [s for s in statements if s["Resource"] == secret] == [
        {"Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], "Effect": "Allow",
         "Resource": secret}
    ]  # fmt: skip
    assert actions_on(statements, "PublishOutputFnGetAttSink447B90AFArn") == [
        ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:PutItem",
         "dynamodb:UpdateItem"]
    ]  # fmt: skip
    assert actions_on(statements, "PublishOutputFnGetAttStream46233657Arn") == [
        ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
         "kinesis:ListShards"]
    ]  # fmt: skip
    assert actions_on(statements, "PublishOutputFnGetAttStreamKey") == ["kms:Decrypt"]
    assert actions_on(statements, "PublishOutputRefDatabaseJdbcUrl") == [
        ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters"]
    ]
    # The workload code: the zip and the entry point, object by object, in CDK's asset bucket.
    [assets] = [s for s in statements if "cdk-hnb659fds-assets" in json.dumps(s["Resource"])]
    objects = [json.dumps(r) for r in assets["Resource"] if "cdk-hnb659fds-assets" in json.dumps(r)]
    assert assets["Action"] == "s3:GetObject" and len(objects) == 2
    assert all(o.endswith('.py"]]}') or o.endswith('.zip"]]}') for o in objects), objects
    assert not [s for s in statements if s["Resource"] == "*" and "dynamodb" in json.dumps(s["Action"])]


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_clusters_that_write_the_sink_carry_the_dynamodb_connector(
    templates: dict[tuple[str, str], dict[str, Any]], env: str
) -> None:
    clusters = of_type(templates[(env, "Compute")], "AWS::EMR::Cluster")
    # Both write the sink: Analytics (batch ETL), Streaming (the stream's windows).
    assert [key[: -len("0CFCBF3B")] for key in sorted(clusters)] == ["Analytics", "Streaming"]
    for cluster in clusters.values():
        _assert_dynamodb_connector(cluster)


def _assert_dynamodb_connector(cluster: dict[str, Any]) -> None:
    configurations = {
        c["Classification"]: c["ConfigurationProperties"] for c in cluster["Properties"]["Configurations"]
    }
    for expected in dynamodb_connector_configurations():
        assert expected.properties.items() <= configurations[expected.classification].items()


def definition_of(template: dict[str, Any], pipeline: str = "DailyEvents") -> dict[str, Any]:
    """The state machine definition with every CloudFormation expression reduced to ``<ref>``."""
    [machine] = [r for k, r in of_type(template, "AWS::StepFunctions::StateMachine").items() if k.startswith(pipeline)]
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    return json.loads("".join(p if isinstance(p, str) else "<ref>" for p in parts))


def test_dev_pipeline_adds_the_batch_etl_step_with_the_run_date_from_the_execution(
    templates: dict[tuple[str, str], dict[str, Any]],
) -> None:
    definition = definition_of(templates[("dev", "Pipelines")])
    states = definition["States"]
    assert definition["StartAt"] == "RunDate"
    assert states["RunDate"]["Choices"] == [{"Variable": "$.date", "IsPresent": True, "Next": "GivenDate"}]
    assert states["GivenDate"]["Parameters"] == {"date.$": "$.date"}
    assert states["StartDate"]["Parameters"] == {
        "date.$": "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)"
    }
    step = states["batch-etl"]
    assert step["Resource"] == "arn:<ref>:states:::elasticmapreduce:addStep.sync"
    assert step["Parameters"]["ClusterId"] == "<ref>"
    assert step["ResultPath"] is None
    args = step["Parameters"]["Step"]["HadoopJarStep"]["Args.$"]
    assert args == (
        "States.Array('spark-submit', '--py-files', '<ref>', '--packages', 'org.postgresql:postgresql:42.7.4', "
        "'<ref>', '--date', $.run.date, '--raw-path', 's3://<ref>/events/', '--curated-path', 's3://<ref>/events/', "
        "'--quarantine-path', 's3://<ref>/quarantine/events/', '--analytics-path', 's3://<ref>/daily_category/', "
        "'--jdbc-url', 'jdbc:postgresql://<ref>:5432/products', '--jdbc-secret-name', '<ref>', '--jdbc-table', "
        "'public.products', '--sink-table', '<ref>', '--region', '<ref>')"
    )


def test_staging_pipeline_runs_the_batch_etl_on_the_serverless_application(
    templates: dict[tuple[str, str], dict[str, Any]],
) -> None:
    step = definition_of(templates[("staging", "Pipelines")])["States"]["batch-etl"]
    assert step["Resource"] == "arn:<ref>:states:::emr-serverless:startJobRun.sync"
    driver = step["Parameters"]["JobDriver"]["SparkSubmit"]
    # Staging's network has no NAT: the JDBC driver comes from the artifacts bucket, not from Maven Central.
    assert driver["SparkSubmitParameters"] == "--py-files <ref> --jars s3://<ref>/jars/postgresql-42.7.4.jar"
    assert driver["EntryPointArguments.$"].startswith("States.Array('--date', $.run.date, '--raw-path', ")
    # The brought secret is named in the arguments by its name, parsed from the configured ARN at synth.
    assert "'--jdbc-secret-name', 'staging/products/emr-reader'" in driver["EntryPointArguments.$"]


ARTIFACTS_BUCKET_ARN = {
    "Fn::ImportValue": "staging-DataLake:ExportsOutputFnGetAttDataLakeArtifactsBucket98FD8488Arn6F0FAD5E"
}
ARTIFACTS_BUCKET_NAME = {"Fn::ImportValue": "staging-DataLake:ExportsOutputRefDataLakeArtifactsBucket98FD8488165B202A"}


def test_staging_runtime_role_reads_exactly_the_brought_jar(templates: dict[tuple[str, str], dict[str, Any]]) -> None:
    # The role's own policies (Compute) and the jar's policy of the pipeline that loads it (Pipelines).
    statements = role_statements(templates[("staging", "Compute")], "SparkRuntimeRole89AAFFFF")
    [jars] = [
        r["Properties"]
        for k, r in of_type(templates[("staging", "Pipelines")], "AWS::IAM::ManagedPolicy").items()
        if k.startswith("DailyEventsJars")
    ]
    assert jars["Roles"] == [
        {
            "Fn::GetStackOutput": {
                "StackName": "staging-Compute",
                "Region": {"Ref": "AWS::Region"},
                "OutputName": "PublishOutputRefSparkRuntimeRole89AAFFFFA84C3815",
            }
        }
    ]
    statements += jars["PolicyDocument"]["Statement"]
    in_artifacts: dict[str, list[Any]] = {}
    for statement in statements:
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for resource in resources:
            parts = resource.get("Fn::Join", ["", []])[1] if isinstance(resource, dict) else []
            if parts[:1] == [ARTIFACTS_BUCKET_ARN]:
                in_artifacts.setdefault("".join(parts[1:]), []).append(statement["Action"])
    # The scripts prefix emr-platform submit uploads to, and the one jar object: nothing else of the bucket.
    assert in_artifacts == {"/jobs/*": ["s3:GetObject"], "/jars/postgresql-42.7.4.jar": ["s3:GetObject"]}


def test_staging_pipeline_records_its_jars_for_preflight(templates: dict[tuple[str, str], dict[str, Any]]) -> None:
    [machine] = of_type(templates[("staging", "Pipelines")], "AWS::StepFunctions::StateMachine").values()
    assert machine["Metadata"]["emr-platform:jars"] == [
        {"Fn::Join": ["", ["s3://", ARTIFACTS_BUCKET_NAME, "/jars/postgresql-42.7.4.jar"]]}
    ]


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_environments_with_nat_keep_maven_packages(templates: dict[tuple[str, str], dict[str, Any]], env: str) -> None:
    template = templates[(env, "Pipelines")]
    for machine in of_type(template, "AWS::StepFunctions::StateMachine").values():
        assert "emr-platform:jars" not in machine.get("Metadata", {})
    assert "'--packages', 'org.postgresql:postgresql:42.7.4'" in json.dumps(definition_of(template))


def test_schedules_per_environment(templates: dict[tuple[str, str], dict[str, Any]]) -> None:
    schedules = {
        env: [
            (s["Properties"]["ScheduleExpression"], s["Properties"]["State"])
            for s in of_type(templates[(env, "Pipelines")], "AWS::Scheduler::Schedule").values()
        ]
        for env in ENVIRONMENTS
    }
    assert schedules == {
        "dev": [],
        "staging": [("cron(0 4 * * ? *)", "DISABLED")],
        # The streaming job's pipeline runs hourly: it resubmits the job only when YARN no longer runs it.
        "prod": [("cron(0 3 * * ? *)", "ENABLED"), ("rate(1 hour)", "ENABLED")],
    }


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_failed_runs_reach_the_platform_topic(templates: dict[tuple[str, str], dict[str, Any]], env: str) -> None:
    rules = of_type(templates[(env, "Monitoring")], "AWS::Events::Rule")
    routed = [r for r in rules.values() if "aws.states" in json.dumps(r["Properties"].get("EventPattern"))]
    # One rule per pipeline of the environment.
    assert len(routed) == {"dev": 3, "staging": 1, "prod": 3}[env]
    for rule in routed:
        assert rule["Properties"]["EventPattern"]["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]


def test_prod_streaming_cluster_role_reads_the_stream_and_writes_the_sink_only(
    templates: dict[tuple[str, str], dict[str, Any]],
) -> None:
    [role] = [
        k
        for k in of_type(templates[("prod", "Compute")], "AWS::IAM::Role")
        if k.startswith("StreamingRolesInstanceRole")
    ]
    statements = role_statements(templates[("prod", "Compute")], role)
    assert actions_on(statements, "PublishOutputFnGetAttStream46233657Arn") == [
        ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
         "kinesis:ListShards"]
    ]  # fmt: skip
    assert actions_on(statements, "PublishOutputFnGetAttSink447B90AFArn") == [
        ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:PutItem",
         "dynamodb:UpdateItem"]
    ]  # fmt: skip
    # No database: the streaming job reads no dimension.
    text = json.dumps(statements)
    assert "secretsmanager" not in text and "DatabaseJdbcUrl" not in text


def test_streaming_pipeline_submits_the_flink_job_once_with_its_package_and_arguments(
    platform: dict[str, PlatformStage], templates: dict[tuple[str, str], dict[str, Any]]
) -> None:
    states = definition_of(templates[("dev", "Pipelines")], "StreamingWindows")
    assert "RunDate" not in states["States"]  # no dated argument: the definition starts with the step
    step = states["States"]["streaming"]
    assert step["Resource"] == "arn:<ref>:states:::elasticmapreduce:addStep.sync"
    args = step["Parameters"]["Step"]["HadoopJarStep"]["Args"]
    assert args[:6] == ["bash", "-c", FLINK_LAUNCHER, "flink-step", "streaming", "true"]
    assert args[7:11] == ["1", "<ref>", "0", "--detached"]  # the package on -pyfs, no extra jars
    assert args[args.index("--") :] == [
        "--", "--stream-name", "<ref>", "--output-path", "s3://<ref>/streaming/window_aggregates/",
        "--sink-table", "<ref>", "--region", "<ref>",
    ]  # fmt: skip
    assert "-Dparallelism.default=2" in args
    # The Streaming cluster of the compute stack, which has Flink.
    pipeline = platform["dev"].pipelines.pipelines["StreamingWindows"]  # type: ignore[union-attr]
    assert pipeline.jobs[0].name == "streaming"
