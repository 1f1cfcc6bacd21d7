"""DataCatalog, its crawlers and GlueJob: databases, every role statement, encryption, nag, cfn-lint, validation."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match, Template

from emr_constructs.catalog import (
    CrawlerProps,
    DataCatalog,
    DataCatalogProps,
    GlueJob,
    GlueJobKind,
    GlueJobProps,
    WorkerType,
    ZonePrefix,
)
from emr_constructs.catalog.permissions import (
    CATALOG_READ_ACTIONS,
    CATALOG_WRITE_ACTIONS,
    CRAWLER_CATALOG_ACTIONS,
    GLUE_KEY_ACTIONS,
    LOG_ACTIONS,
    LOGS_SERVICE_KEY_ACTIONS,
)
from emr_constructs.errors import EmrConfigError
from emr_constructs.policy.acknowledge import acknowledge_inline_policies
from emr_constructs.removal import ALLOW_DESTROY_CONTEXT
from emr_constructs.storage import DataLake, Zone
from tests.catalog.policies import (
    arn,
    get_att,
    in_order,
    logical_id,
    objects,
    ref,
    resources_of_type,
    role_statements,
    statement_with,
)
from tests.support import Built, cfn_lint, new_app, new_stack

SCRIPT = Path(__file__).parent / "jobs" / "sessionize.py"


def consumer(stack: Stack, id: str) -> iam.Role:
    """A stand-in for the EMR instance role: its inline policy is the cluster module's to acknowledge."""
    role = iam.Role(stack, id, assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    acknowledge_inline_policies(role, "Test stand-in for the EMR instance role.")
    return role


@dataclass
class CatalogWorld:
    full: Stack
    lake: DataLake
    catalog: DataCatalog
    job: GlueJob
    emr_role: iam.Role
    reader: iam.Role
    template: dict[str, Any]
    default_template: dict[str, Any]
    encrypted: DataCatalog
    encrypted_reader: iam.Role
    encrypted_template: dict[str, Any]
    destroy_stack: Stack
    destroy_template: dict[str, Any]
    findings: list[str]


@pytest.fixture(scope="module")
def built() -> CatalogWorld:
    app = new_app()
    default = Stack(app, "Default")
    DataCatalog(default, "Catalog", lake=DataLake(default, "Lake"))

    full = Stack(app, "Full")
    lake = DataLake(full, "Lake")
    catalog = DataCatalog(
        full,
        "Catalog",
        lake=lake,
        props=DataCatalogProps(
            database_prefix="sales",
            location_prefix="tables/",
            crawlers=(
                CrawlerProps(zone=Zone.RAW, prefix="events/", schedule="cron(15 2 * * ? *)"),
                CrawlerProps(zone=Zone.CURATED),
            ),
        ),
    )
    job = GlueJob(
        full,
        "Sessionize",
        script=SCRIPT,
        lake=lake,
        catalog=catalog,
        props=GlueJobProps(
            read=(ZonePrefix(zone=Zone.RAW, prefix="events/"),),
            write=(ZonePrefix(zone=Zone.CURATED, prefix="sessions/"),),
            worker_type=WorkerType.G_2X,
            number_of_workers=10,
            arguments={"--target": "sessions"},
        ),
    )
    emr_role = consumer(full, "EmrInstanceRole")
    catalog.grant_read_write(emr_role, (Zone.CURATED, Zone.ANALYTICS), include_default_database=True)
    reader = consumer(full, "Reader")
    catalog.grant_read(reader, (Zone.RAW,))

    encrypted_stack = Stack(app, "Encrypted")
    encrypted = DataCatalog(
        encrypted_stack,
        "Catalog",
        lake=DataLake(encrypted_stack, "Lake"),
        props=DataCatalogProps(encrypt_catalog=True),
    )
    encrypted_reader = consumer(encrypted_stack, "Reader")
    encrypted.grant_read(encrypted_reader, (Zone.ANALYTICS,))
    encrypted.grant_read_write(encrypted_reader, (Zone.CURATED,))

    destroy_stack = Stack(app, "Destroy")
    DataCatalog(destroy_stack, "Catalog", lake=DataLake(destroy_stack, "Lake"), removal_policy=RemovalPolicy.DESTROY)

    built = Built.of(app, default, full, encrypted_stack, destroy_stack)
    templates = built.templates
    return CatalogWorld(
        full=full,
        lake=lake,
        catalog=catalog,
        job=job,
        emr_role=emr_role,
        reader=reader,
        template=templates["Full"],
        default_template=templates["Default"],
        encrypted=encrypted,
        encrypted_reader=encrypted_reader,
        encrypted_template=templates["Encrypted"],
        destroy_stack=destroy_stack,
        destroy_template=templates["Destroy"],
        findings=built.findings,
    )


# -- databases ----------------------------------------------------------------------------------------


def test_one_database_per_data_zone_located_in_its_bucket(built: CatalogWorld) -> None:
    databases = resources_of_type(built.template, "AWS::Glue::Database")
    by_id = {key: value["Properties"] for key, value in databases.items()}
    for zone in (Zone.RAW, Zone.CURATED, Zone.ANALYTICS):
        assert by_id[logical_id(built.catalog.database(zone))] == {
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseInput": {
                "Name": f"sales_{zone.value}",
                "Description": f"Tables of the {zone.value} zone of the data lake.",
                "LocationUri": {"Fn::Join": ["", ["s3://", ref(built.lake.bucket(zone)), "/tables/"]]},
            },
        }
    assert len(databases) == 3
    assert built.catalog.database_name(Zone.CURATED) == "sales_curated"


def test_database_logical_ids_are_pinned(built: CatalogWorld) -> None:
    assert sorted(resources_of_type(built.default_template, "AWS::Glue::Database")) == [
        "CatalogAnalyticsDatabaseAC5F19F3",
        "CatalogCuratedDatabaseBB03A401",
        "CatalogRawDatabaseCC29CEE7",
    ]


def test_databases_are_retained(built: CatalogWorld) -> None:
    for database in resources_of_type(built.template, "AWS::Glue::Database").values():
        assert (database["DeletionPolicy"], database["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_destroy_is_reverted_without_the_flag(built: CatalogWorld) -> None:
    for database in resources_of_type(built.destroy_template, "AWS::Glue::Database").values():
        assert database["DeletionPolicy"] == "Retain"
    Annotations.from_stack(built.destroy_stack).has_warning(
        "/Destroy/Catalog", Match.string_like_regexp("RemovalPolicy.DESTROY was requested")
    )


def test_destroy_goes_through_with_the_flag() -> None:
    stack = Stack(new_app(**{ALLOW_DESTROY_CONTEXT: "true"}), "Flagged")
    catalog = DataCatalog(stack, "Catalog", lake=DataLake(stack, "Lake"), removal_policy=RemovalPolicy.DESTROY)
    assert catalog.removal_policy == RemovalPolicy.DESTROY
    assert catalog.database(Zone.RAW).cfn_options.deletion_policy.name == "DELETE"


# -- security configuration ---------------------------------------------------------------------------


def test_security_configuration_encrypts_logs_bookmarks_and_s3_with_the_lake_key(built: CatalogWorld) -> None:
    key = get_att(built.lake.key, "Arn")
    (configuration,) = resources_of_type(built.template, "AWS::Glue::SecurityConfiguration").values()
    assert configuration["Properties"]["EncryptionConfiguration"] == {
        "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": key},
        "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": key},
        "S3Encryptions": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}],
    }
    assert configuration["Properties"]["Name"] == "Full-Catalog-F3FD829C"


def test_key_policy_lets_cloudwatch_logs_encrypt_glue_log_groups_only(built: CatalogWorld) -> None:
    key = built.template["Resources"][logical_id(built.lake.key)]
    (statement,) = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "GlueLogGroupsEncryption"]
    assert statement == {
        "Sid": "GlueLogGroupsEncryption",
        "Effect": "Allow",
        "Principal": {"Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}},
        "Action": sorted(LOGS_SERVICE_KEY_ACTIONS),
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": arn("logs", "log-group:/aws-glue/*")}},
    }


def test_catalog_encryption_is_off_by_default(built: CatalogWorld) -> None:
    assert resources_of_type(built.template, "AWS::Glue::DataCatalogEncryptionSettings") == {}
    assert built.catalog.encryption_settings is None


def test_catalog_encryption_opt_in_uses_the_lake_key(built: CatalogWorld) -> None:
    (settings,) = resources_of_type(built.encrypted_template, "AWS::Glue::DataCatalogEncryptionSettings").values()
    key = get_att(built.encrypted.lake.key, "Arn")
    assert settings["Properties"] == {
        "CatalogId": {"Ref": "AWS::AccountId"},
        "DataCatalogEncryptionSettings": {
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key},
            "ConnectionPasswordEncryption": {"KmsKeyId": key, "ReturnConnectionPasswordEncrypted": True},
        },
    }


def test_encrypted_catalog_grants_add_key_use_through_glue_only(built: CatalogWorld) -> None:
    statements = role_statements(built.encrypted_template, built.encrypted_reader)
    via_glue = {
        "StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["glue.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}
    }
    key = [get_att(built.encrypted.lake.key, "Arn")]
    assert [s for s in statements if s.get("Condition") == via_glue] == [
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key, "Condition": via_glue}
    ]


# -- grants -------------------------------------------------------------------------------------------


def test_grant_read_write_names_catalog_databases_and_tables_only(built: CatalogWorld) -> None:
    statements = role_statements(built.template, built.emr_role)
    # Read and write actions on the same resources are one statement once CDK minimizes the policy.
    assert statement_with(statements, "glue:CreateTable") == {
        "Effect": "Allow",
        "Action": sorted(CATALOG_READ_ACTIONS + CATALOG_WRITE_ACTIONS),
        "Resource": in_order(
            [
                arn("glue", "catalog"),
                arn("glue", "database/sales_curated"),
                arn("glue", "database/sales_analytics"),
                arn("glue", "table/sales_curated/*"),
                arn("glue", "table/sales_analytics/*"),
            ]
        ),
    }
    default = in_order([arn("glue", "catalog"), arn("glue", "database/default")])
    assert statement_with(statements, "glue:GetDatabase", Resource=default)["Action"] == ["glue:GetDatabase"]
    assert len(statements) == 2


def test_grant_read_names_only_its_zone(built: CatalogWorld) -> None:
    assert role_statements(built.template, built.reader) == [
        {
            "Effect": "Allow",
            "Action": sorted(CATALOG_READ_ACTIONS),
            "Resource": in_order(
                [arn("glue", "catalog"), arn("glue", "database/sales_raw"), arn("glue", "table/sales_raw/*")]
            ),
        }
    ]


def test_no_statement_of_the_stack_grants_a_wildcard_action_or_resource_on_data(built: CatalogWorld) -> None:
    for resource in resources_of_type(built.template, "AWS::IAM::Policy").values():
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            assert not any(a.endswith("*") for a in statement["Action"] if isinstance(a, str)), statement
            assert statement["Resource"] != "*", statement


def test_fails_grant_on_a_platform_zone(built: CatalogWorld) -> None:
    with pytest.raises(EmrConfigError) as raised:
        built.catalog.grant_read(built.reader, (Zone.LOGS,))
    assert str(raised.value) == (
        "Full/Catalog: zones='logs' is invalid: only the data zones have a Glue database; "
        "allowed: raw, curated, analytics"
    )


# -- crawlers -----------------------------------------------------------------------------------------


def test_crawler_targets_its_prefix_on_schedule_under_the_security_configuration(built: CatalogWorld) -> None:
    events, curated = built.catalog.crawlers
    properties = built.template["Resources"][logical_id(events.resource)]["Properties"]
    assert properties == {
        "Role": get_att(events.role, "Arn"),
        "DatabaseName": ref(built.catalog.database(Zone.RAW)),
        "Description": "Crawls s3://<raw bucket>/events/ into sales_raw",
        "Targets": {
            "S3Targets": [{"Path": {"Fn::Join": ["", ["s3://", ref(built.lake.bucket(Zone.RAW)), "/events/"]]}}]
        },
        "Schedule": {"ScheduleExpression": "cron(15 2 * * ? *)"},
        "CrawlerSecurityConfiguration": ref(built.catalog.security_configuration),
        "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"},
        "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_EVERYTHING"},
    }
    on_demand = built.template["Resources"][logical_id(curated.resource)]["Properties"]
    assert "Schedule" not in on_demand
    assert on_demand["Targets"]["S3Targets"][0]["Path"] == {
        "Fn::Join": ["", ["s3://", ref(built.lake.bucket(Zone.CURATED)), "/"]]
    }


def test_crawler_role_is_trusted_by_glue_only(built: CatalogWorld) -> None:
    role = built.template["Resources"][logical_id(built.catalog.crawlers[0].role)]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in role["Properties"]


def test_crawler_role_statements(built: CatalogWorld) -> None:
    crawler = built.catalog.crawlers[0]
    statements = role_statements(built.template, crawler.role)
    assert statement_with(statements, "glue:CreateTable") == {
        "Effect": "Allow",
        "Action": sorted(CRAWLER_CATALOG_ACTIONS),
        "Resource": in_order(
            [arn("glue", "catalog"), arn("glue", "database/sales_raw"), arn("glue", "table/sales_raw/*")]
        ),
    }
    assert statement_with(statements, "logs:PutLogEvents") == {
        "Effect": "Allow",
        "Action": sorted(LOG_ACTIONS),
        "Resource": in_order(
            [arn("logs", "log-group:/aws-glue/crawlers*"), arn("logs", "log-group:/aws-glue/crawlers*:log-stream:*")]
        ),
    }
    assert statement_with(statements, "kms:Encrypt") == {
        "Effect": "Allow",
        "Action": sorted(GLUE_KEY_ACTIONS),
        "Resource": [get_att(built.lake.key, "Arn")],
    }
    assert statement_with(statements, "s3:GetObject")["Resource"] == [objects(built.lake.bucket(Zone.RAW), "events/")]
    assert not any("s3:PutObject" in s["Action"] or "glue:DeleteTable" in s["Action"] for s in statements)
    buckets = {
        json.dumps(r) for s in statements if any(a.startswith("s3:") for a in s["Action"]) for r in s["Resource"]
    }
    assert all(logical_id(built.lake.bucket(Zone.RAW)) in b for b in buckets), buckets
    assert len(statements) == 7


# -- Glue job -----------------------------------------------------------------------------------------


def test_job_runs_the_script_with_bookmarks_logging_catalog_and_security_configuration(built: CatalogWorld) -> None:
    properties = built.template["Resources"][logical_id(built.job.resource)]["Properties"]
    assert properties["Command"]["Name"] == "glueetl"
    assert properties["Command"]["PythonVersion"] == "3"
    assert properties["Command"]["ScriptLocation"]["Fn::Sub"].endswith(".py")
    assert properties["DefaultArguments"] == {
        "--curated_path": {"Fn::Join": ["", ["s3://", ref(built.lake.bucket(Zone.CURATED)), "/sessions/"]]},
        "--raw_path": {"Fn::Join": ["", ["s3://", ref(built.lake.bucket(Zone.RAW)), "/events/"]]},
        "--job-language": "python",
        "--job-bookmark-option": "job-bookmark-enable",
        "--enable-continuous-cloudwatch-log": "true",
        "--enable-continuous-log-filter": "true",
        "--enable-glue-datacatalog": "true",
        "--TempDir": {"Fn::Join": ["", ["s3://", ref(built.lake.bucket(Zone.ARTIFACTS)), "/glue/temp/"]]},
        "--target": "sessions",
    }
    assert properties["SecurityConfiguration"] == ref(built.catalog.security_configuration)
    assert (properties["GlueVersion"], properties["WorkerType"], properties["NumberOfWorkers"]) == ("5.0", "G.2X", 10)
    assert (properties["Timeout"], properties["MaxRetries"], properties["ExecutionProperty"]) == (
        60,
        0,
        {"MaxConcurrentRuns": 1},
    )
    assert properties["Role"] == get_att(built.job.role, "Arn")


def test_job_role_statements(built: CatalogWorld) -> None:
    statements = role_statements(built.template, built.job.role)
    script = statement_with(statements, "s3:GetObject")
    # The script's object is the only object of the CDK asset bucket the role may read.
    asset_objects = [r for r in script["Resource"] if "cdk-hnb659fds-assets" in json.dumps(r)]
    assert len(asset_objects) == 1 and json.dumps(asset_objects[0]).endswith('.py"]]}')
    assert sorted(json.dumps(r) for r in script["Resource"] if r not in asset_objects) == sorted(
        json.dumps(objects(built.lake.bucket(zone), prefix))
        for zone, prefix in ((Zone.RAW, "events/"), (Zone.CURATED, "sessions/"), (Zone.ARTIFACTS, "glue/temp/"))
    )
    put = statement_with(statements, "s3:PutObject")
    assert sorted(json.dumps(r) for r in put["Resource"]) == sorted(
        json.dumps(objects(built.lake.bucket(zone), prefix))
        for zone, prefix in ((Zone.CURATED, "sessions/"), (Zone.ARTIFACTS, "glue/temp/"))
    )
    assert statement_with(statements, "glue:GetTables") == {
        "Effect": "Allow",
        "Action": sorted(CATALOG_READ_ACTIONS),
        "Resource": in_order(
            [
                arn("glue", "catalog"),
                arn("glue", "database/sales_curated"),
                arn("glue", "database/sales_raw"),
                arn("glue", "table/sales_curated/*"),
                arn("glue", "table/sales_raw/*"),
            ]
        ),
    }
    assert statement_with(statements, "glue:CreateTable") == {
        "Effect": "Allow",
        "Action": sorted(CATALOG_WRITE_ACTIONS),
        "Resource": in_order(
            [arn("glue", "catalog"), arn("glue", "database/sales_curated"), arn("glue", "table/sales_curated/*")]
        ),
    }
    assert statement_with(statements, "logs:PutLogEvents")["Resource"] == in_order(
        [arn("logs", "log-group:/aws-glue/jobs*"), arn("logs", "log-group:/aws-glue/jobs*:log-stream:*")]
    )
    assert statement_with(statements, "kms:Encrypt") == {
        "Effect": "Allow",
        "Action": sorted(GLUE_KEY_ACTIONS),
        "Resource": [get_att(built.lake.key, "Arn")],
    }
    assert not any(
        "glue:CreateTable" in s["Action"] and arn("glue", "table/sales_raw/*") in s["Resource"] for s in statements
    )


# -- policy packs and cfn-lint ------------------------------------------------------------------------


def test_no_unacknowledged_nag_findings(built: CatalogWorld) -> None:
    assert built.findings == []


def test_acknowledgements_name_exact_findings(built: CatalogWorld) -> None:
    role_ids = built.catalog.crawlers[0].role.node.metadata
    acknowledged = {key for m in role_ids if isinstance(m.data, dict) for key in m.data}
    assert {
        "Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/sales_raw/*]",
        "Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/crawlers*]",
    } <= acknowledged


def test_cfn_lint_clean(built: CatalogWorld) -> None:
    assert cfn_lint(built.template) == []


def test_default_catalog_snapshot(built: CatalogWorld, template_snapshot: Any) -> None:
    assert template_snapshot == built.default_template


# -- validation ---------------------------------------------------------------------------------------


def build_catalog(props: DataCatalogProps) -> None:
    stack = new_stack()
    DataCatalog(stack, "Catalog", lake=DataLake(stack, "Lake"), props=props)


def build_job(props: GlueJobProps, script: Path | str = SCRIPT) -> Template:
    stack = new_stack()
    lake = DataLake(stack, "Lake")
    GlueJob(stack, "Job", props=props, script=script, lake=lake, catalog=DataCatalog(stack, "Catalog", lake=lake))
    return Template.from_stack(stack)


RAW_EVENTS = (ZonePrefix(zone=Zone.RAW, prefix="events/"),)


def test_fails_database_prefix_glue_would_mangle() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_catalog(DataCatalogProps(database_prefix="Sales-EU"))
    assert str(raised.value) == (
        "Test/Catalog: database_prefix='Sales-EU' is invalid: database names '<prefix>_<zone>' would not be Glue "
        "database names that Athena, Hive and Spark accept unquoted; allowed: lowercase letters, digits and '_', "
        "starting with a letter, at most 245 characters"
    )


def test_fails_database_prefix_too_long() -> None:
    with pytest.raises(EmrConfigError, match=re.escape("database_prefix='aaaa")):
        build_catalog(DataCatalogProps(database_prefix="a" * 246))
    build_catalog(DataCatalogProps(database_prefix="a" * 245))


def test_fails_crawler_schedule_and_zone_reported_together() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_catalog(
            DataCatalogProps(
                crawlers=(
                    CrawlerProps(zone=Zone.RAW, schedule="cron(0 2 * * *)"),
                    CrawlerProps(zone=Zone.LOGS, prefix="emr"),
                )
            )
        )
    assert str(raised.value).splitlines() == [
        "Test/Catalog: crawlers[0].schedule='cron(0 2 * * *)' is invalid: cron expression has 5 fields, Glue needs 6; "
        "allowed: cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) in UTC, e.g. cron(15 2 * * ? *)",
        "Test/Catalog: crawlers[1].zone='logs' is invalid: only the data zones have a Glue database; "
        "allowed: raw, curated, analytics",
        "Test/Catalog: crawlers[1].prefix='emr' is invalid: a folder prefix without a trailing '/' also matches its "
        "sibling folders ('sales' matches 'sales-eu/'); allowed: '' (the whole bucket) or a key prefix ending in '/', "
        "like 'events/'",
    ]


def test_fails_two_crawlers_on_one_prefix() -> None:
    crawler = CrawlerProps(zone=Zone.RAW, prefix="events/")
    with pytest.raises(EmrConfigError) as raised:
        build_catalog(DataCatalogProps(crawlers=(crawler, crawler)))
    assert str(raised.value) == (
        "Test/Catalog: crawlers[1]='raw:events/' is invalid: two crawlers over the same zone prefix would overwrite "
        "each other's tables; allowed: one crawler per zone and prefix"
    )


def test_fails_location_prefix_with_wildcard() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_catalog(DataCatalogProps(location_prefix="tables/*/"))
    assert str(raised.value) == (
        "Test/Catalog: location_prefix='tables/*/' is invalid: wildcards in a prefix widen the grant beyond one "
        "prefix; allowed: a literal key prefix without '*' or '?'"
    )


@pytest.mark.parametrize(
    ("worker_type", "workers", "allowed"),
    [(WorkerType.G_1X, 300, "2-299"), (WorkerType.G_2X, 150, "2-149"), (WorkerType.G_1X, 1, "2-299")],
)
def test_fails_worker_count_out_of_range(worker_type: WorkerType, workers: int, allowed: str) -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_job(GlueJobProps(read=RAW_EVENTS, worker_type=worker_type, number_of_workers=workers))
    assert str(raised.value) == (
        f"Test/Job: number_of_workers={workers} is invalid: worker count out of range for {worker_type.value}; "
        f"allowed: {allowed}"
    )


def test_fails_g8x_with_one_worker_names_the_quota() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_job(GlueJobProps(read=RAW_EVENTS, worker_type=WorkerType.G_8X, number_of_workers=1))
    assert str(raised.value) == (
        "Test/Job: number_of_workers=1 is invalid: worker count out of range for G.8X; "
        "allowed: at least 2 (the ceiling is the account's quota)"
    )


def test_fails_worker_types_of_other_job_kinds() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_job(GlueJobProps(read=RAW_EVENTS, worker_type=WorkerType.G_025X))
    assert str(raised.value) == (
        "Test/Job: worker_type='G.025X' is invalid: G.025X workers only run streaming jobs; "
        "allowed: G.1X, G.2X, G.4X or G.8X for batch jobs, or kind 'gluestreaming'"
    )
    with pytest.raises(
        EmrConfigError, match=re.escape("worker_type='Z.2X' is invalid: Z.2X runs Ray jobs, not PySpark")
    ):
        build_job(GlueJobProps(read=RAW_EVENTS, worker_type=WorkerType.Z_2X))


def test_streaming_job_takes_g025x_workers() -> None:
    template = build_job(GlueJobProps(read=RAW_EVENTS, kind=GlueJobKind.STREAMING, worker_type=WorkerType.G_025X))
    template.has_resource_properties(
        "AWS::Glue::Job", {"WorkerType": "G.025X", "Command": Match.object_like({"Name": "gluestreaming"})}
    )


def test_fails_glue_version_timeout_retries_and_runs_reported_together() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_job(
            GlueJobProps(
                read=RAW_EVENTS, glue_version="2.0", timeout_minutes=10081, max_retries=11, max_concurrent_runs=0
            )
        )
    assert str(raised.value).splitlines() == [
        "Test/Job: glue_version='2.0' is invalid: not a Glue version this construct supports; allowed: 3.0, 4.0, 5.0",
        "Test/Job: timeout_minutes=10081 is invalid: timeout out of range; allowed: 1-10080 minutes",
        "Test/Job: max_retries=11 is invalid: out of range; allowed: 0-10",
        "Test/Job: max_concurrent_runs=0 is invalid: a job needs at least one run slot; allowed: 1 or more",
    ]


def test_fails_job_without_zones() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_job(GlueJobProps())
    assert str(raised.value) == (
        "Test/Job: read=[] is invalid: a job with neither read nor write zones can do nothing with the lake; "
        "allowed: at least one zone prefix in read or write"
    )


def test_fails_job_zone_prefix_and_reserved_argument() -> None:
    with pytest.raises(EmrConfigError) as raised:
        build_job(
            GlueJobProps(
                write=(ZonePrefix(zone=Zone.ARTIFACTS, prefix="/jobs/"),),
                arguments={"--job-bookmark-option": "job-bookmark-disable"},
            )
        )
    assert str(raised.value).splitlines() == [
        "Test/Job: write[0].zone='artifacts' is invalid: only the data zones have a Glue database; "
        "allowed: raw, curated, analytics",
        "Test/Job: write[0].prefix='/jobs/' is invalid: S3 keys do not start with '/', so the grant would match "
        "nothing; allowed: a key prefix like 'events/'",
        "Test/Job: arguments.--job-bookmark-option='job-bookmark-disable' is invalid: job arguments start with '--' "
        "and may not replace the ones the construct sets; allowed: a '--name' not in --job-language, "
        "--job-bookmark-option, --enable-continuous-cloudwatch-log, --enable-continuous-log-filter, "
        "--enable-glue-datacatalog, --TempDir",
    ]


def test_fails_script_that_is_not_a_local_python_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.py"
    with pytest.raises(EmrConfigError) as raised:
        build_job(GlueJobProps(read=RAW_EVENTS), script=missing)
    assert str(raised.value) == (
        f"Test/Job: script={str(missing)!r} is invalid: not a local PySpark file; "
        "allowed: the path of an existing .py file"
    )
