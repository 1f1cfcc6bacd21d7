"""``emr-platform preflight`` against moto: a ready account passes every check; each check then fails once.

Settings come from the hand-written assembly tests/cli/fixtures/small_app (stage ``demo``, account
123456789012 = moto's, eu-west-1). One moto account for the module; each failing case breaks one thing and
puts it back. moto cannot answer two checks, which use botocore's Stubber on the same session instead:
Service Quotas (moto 5.2.5 knows only the ``vpc`` quotas) for the vCPU check, and SNS's ``PendingConfirmation``
(moto confirms every subscription at once) for the unconfirmed-subscriber case.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from emr_constructs.cli.main import main
from emr_constructs.cli.preflight import ON_DEMAND_QUOTA, SPOT_QUOTA, is_placeholder
from tests.cli.stubs import OperationStubber

FIXTURE = Path(__file__).parent / "fixtures" / "small_app"
REGION = "eu-west-1"
BUCKET = "demo-artifacts"
TLS_KEY = "emr/tls/certificates.zip"
JAR_KEY = "jars/postgresql-42.7.4.jar"
PARAMETER = "/cdk-bootstrap/hnb659fds/version"
NETWORK_STACK = {
    "Resources": {"Artifacts": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}},
    "Outputs": {"ArtifactsBucketName": {"Value": {"Ref": "Artifacts"}}},
}


def tls_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "-----BEGIN CERTIFICATE-----\n")
    return buffer.getvalue()


BOUNDARY = "emr-platform-boundary"
BOUNDARY_ARN = f"arn:aws:iam::123456789012:policy/{BOUNDARY}"


def create_boundary(session: boto3.Session) -> None:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    session.client("iam").create_policy(PolicyName=BOUNDARY, PolicyDocument=json.dumps(document))


def new_session() -> boto3.Session:
    return boto3.Session(region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


#: What the demo environment brings (filled in by ``ready`` from what moto created), by the kind preflight checks.
BROUGHT: dict[str, str] = {}


def create_brought(session: boto3.Session) -> dict[str, str]:
    """A database (endpoint, group, secret), a table and a stream, as a team would have them before deploying."""
    vpc = session.client("ec2").describe_vpcs()["Vpcs"][0]["VpcId"]
    group = session.client("ec2").create_security_group(GroupName="products-db", Description="db", VpcId=vpc)
    rds = session.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="products", Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20
    )
    endpoint = rds.describe_db_instances(DBInstanceIdentifier="products")["DBInstances"][0]["Endpoint"]["Address"]
    secret = session.client("secretsmanager").create_secret(Name="demo/products/reader", SecretString="{}")["ARN"]
    table = session.client("dynamodb").create_table(
        TableName="demo-daily",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]["TableArn"]
    kinesis = session.client("kinesis")
    kinesis.create_stream(StreamName="demo-events", ShardCount=1)
    stream = kinesis.describe_stream_summary(StreamName="demo-events")["StreamDescriptionSummary"]["StreamARN"]
    return {
        "database-endpoint": endpoint,
        "security-group": group["GroupId"],
        "secret": secret,
        "dynamodb-table": table,
        "kinesis-stream": stream,
    }


def write_brought(cdk_out: Path, brought: dict[str, str]) -> None:
    """The metadata the library's sources write when given existing resources (one database, a table, a stream)."""

    def add(template: dict[str, Any]) -> None:
        database = ("database-endpoint", "security-group", "secret")
        template["Metadata"] = {
            "emr-platform:brought:demo/Compute/Products": [{"kind": k, "id": brought[k]} for k in database],
            "emr-platform:brought:demo/Compute/Daily": [{"kind": "dynamodb-table", "id": brought["dynamodb-table"]}],
            "emr-platform:brought:demo/Compute/Events": [{"kind": "kinesis-stream", "id": brought["kinesis-stream"]}],
        }

    edit(cdk_out, "demoCompute.template.json", add)


@pytest.fixture(scope="module")
def ready() -> Iterator[None]:
    """A ready account: bootstrapped, boundary policy there, subscriber confirmed, TLS zip and the pipeline's jar
    in place, block public access on, the brought database, table and stream there."""
    with mock_aws():
        session = new_session()
        BROUGHT.update(create_brought(session))
        session.client("ssm").put_parameter(Name=PARAMETER, Value="30", Type="String", Overwrite=True)
        session.client("cloudformation").create_stack(StackName="demo-Network", TemplateBody=json.dumps(NETWORK_STACK))
        session.client("s3").put_object(
            Bucket=BUCKET, Key=TLS_KEY, Body=tls_zip("privateKey.pem", "certificateChain.pem")
        )
        session.client("s3").put_object(Bucket=BUCKET, Key=JAR_KEY, Body=b"PK\x03\x04")
        sns = session.client("sns")
        topic = sns.create_topic(Name="demo-alerts")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="oncall@data.test")
        session.client("emr").put_block_public_access_configuration(
            BlockPublicAccessConfiguration={"BlockPublicSecurityGroupRules": True}
        )
        create_boundary(session)
        yield


@pytest.fixture
def session(ready: None) -> boto3.Session:
    return new_session()


@pytest.fixture
def quotas(session: boto3.Session) -> Iterator[Callable[[float, float], None]]:
    stub = OperationStubber(session, "service-quotas", ["GetServiceQuota"])

    def answer(on_demand: float = 64, spot: float = 64) -> None:
        for code, value in ((ON_DEMAND_QUOTA, on_demand), (SPOT_QUOTA, spot)):
            stub.add_response(
                "get_service_quota",
                {"Quota": {"ServiceCode": "ec2", "QuotaCode": code, "Value": value}},
                {"ServiceCode": "ec2", "QuotaCode": code},
            )

    stub.activate()
    yield answer
    stub.deactivate()
    stub.assert_no_pending_responses()


@pytest.fixture
def cdk_out(tmp_path: Path, ready: None) -> Path:
    copy = Path(shutil.copytree(FIXTURE, tmp_path / "cdk.out"))
    write_brought(copy, BROUGHT)
    return copy


def edit(cdk_out: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = cdk_out / "assembly-demo" / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def preflight(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, cdk_out: Path, *more: str
) -> tuple[int, dict[str, Any], str]:
    code = main(["preflight", str(cdk_out), "--env", "demo", "--json", *more], session=session)
    captured = capsys.readouterr()
    report = json.loads(captured.out) if captured.out else {}
    if report:
        # a list in the output (order matters to a reader); by id here
        report["checks"] = {c.pop("id"): c for c in report["checks"]}
    return code, report, captured.err


def test_ready_account_passes_every_check(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path
) -> None:
    quotas()
    code, report, err = preflight(capsys, session, cdk_out)
    assert (code, err) == (0, "")
    assert report["ready"] is True
    checks = report["checks"]
    assert list(checks) == [
        "account-and-region",
        "cdk-bootstrap",
        "permissions-boundary",
        "alarm-subscribers",
        "tls-certificate-zip",
        "job-jars",
        "brought-resources",
        "emr-block-public-access",
        "vcpu-quotas",
        "instance-types-offered",
    ]
    assert {c["status"] for c in checks.values()} == {"PASS"}
    assert checks["account-and-region"]["detail"] == "credentials are account 123456789012 in eu-west-1"
    assert checks["tls-certificate-zip"]["detail"] == f"found: s3://{BUCKET}/{TLS_KEY}"
    assert checks["job-jars"]["detail"] == f"found: s3://{BUCKET}/{JAR_KEY}"
    assert checks["brought-resources"]["detail"] == (
        "found: 5 (database-endpoint, dynamodb-table, kinesis-stream, secret, security-group)"
    )
    assert checks["permissions-boundary"]["detail"] == f"{BOUNDARY_ARN}: 1 role(s)"
    # 1 primary + 4 on-demand units at 4 vCPU a unit (m5.xlarge 4/1, m5.2xlarge 8/2); spot 10 - 2 = 8 units
    assert checks["vcpu-quotas"]["detail"] == "on-demand 20/64 vCPU, spot 32/64 vCPU at the scaling maximums"
    assert checks["instance-types-offered"]["detail"] == "every fleet has a type in eu-west-1a"


def test_text_output(capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path) -> None:
    quotas(on_demand=16)
    code = main(["preflight", str(cdk_out), "--env", "demo"], session=session)
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("Preflight of environment demo in eu-west-1\n\nPASS  account and region ")
    assert "FAIL  vCPU quotas              on-demand needs 20 vCPU, quota 16 (L-1216C47A)\n" in out
    assert "-> request an increase in Service Quotas (EC2) for eu-west-1" in out
    assert out.endswith("1 of 10 checks failed\n")


@pytest.fixture
def broken(session: boto3.Session) -> Iterator[list[Callable[[], None]]]:
    """Undo steps, run after the test: the module's account stays ready for the next one."""
    undo: list[Callable[[], None]] = []
    yield undo
    for step in reversed(undo):
        step()


def fail_bootstrap(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    ssm = session.client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value="5", Type="String", Overwrite=True)
    undo.append(lambda: ssm.put_parameter(Name=PARAMETER, Value="30", Type="String", Overwrite=True))


def fail_boundary(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    iam = session.client("iam")
    iam.delete_policy(PolicyArn=BOUNDARY_ARN)
    undo.append(lambda: create_boundary(session))


def fail_tls(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    s3 = session.client("s3")
    s3.delete_object(Bucket=BUCKET, Key=TLS_KEY)
    undo.append(lambda: s3.put_object(Bucket=BUCKET, Key=TLS_KEY, Body=b"zip"))


def fail_jars(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    s3 = session.client("s3")
    s3.delete_object(Bucket=BUCKET, Key=JAR_KEY)
    undo.append(lambda: s3.put_object(Bucket=BUCKET, Key=JAR_KEY, Body=b"jar"))


PLACEHOLDER_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/products/emr-reader-AbCdEf"


def fail_brought(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    # The settings still hold the example values: a group and a secret that were never created.
    write_brought(cdk_out, {**BROUGHT, "security-group": "sg-0a1b2c3d4e5f60718", "secret": PLACEHOLDER_SECRET})


def fail_block_public_access(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    emr = session.client("emr")
    emr.put_block_public_access_configuration(
        BlockPublicAccessConfiguration={
            "BlockPublicSecurityGroupRules": True,
            "PermittedPublicSecurityGroupRuleRanges": [{"MinRange": 22, "MaxRange": 22}],
        }
    )
    undo.append(
        lambda: emr.put_block_public_access_configuration(
            BlockPublicAccessConfiguration={"BlockPublicSecurityGroupRules": True}
        )
    )


def fail_account(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    manifest = cdk_out / "assembly-demo" / "manifest.json"
    manifest.write_text(manifest.read_text().replace("aws://123456789012/", "aws://210987654321/"))


def fail_subscribers(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    def placeholder(template: dict[str, Any]) -> None:
        template["Resources"]["AlertsSubscription"]["Properties"]["Endpoint"] = "data-platform-dev@example.com"

    edit(cdk_out, "demoCompute.template.json", placeholder)


def fail_offerings(session: boto3.Session, cdk_out: Path, undo: list[Callable[[], None]]) -> None:
    def move(template: dict[str, Any]) -> None:
        for name in ("PublicSubnet", "PrivateSubnet"):
            template["Resources"][name]["Properties"]["AvailabilityZone"] = "eu-west-1z"

    edit(cdk_out, "demoNetwork.template.json", move)


@pytest.mark.parametrize(
    ("breaker", "check", "detail", "fix"),
    [
        (
            fail_account,
            "account-and-region",
            "credentials are account 123456789012 in eu-west-1; the environment deploys to account 210987654321",
            "use credentials of the environment's account (AWS_PROFILE / --profile) and pass its --region",
        ),
        (
            fail_bootstrap,
            "cdk-bootstrap",
            "bootstrap version 5 in eu-west-1; the templates need 6 or newer",
            "run `cdk bootstrap aws://123456789012/eu-west-1` (CDK CLI) again to upgrade it",
        ),
        (
            fail_boundary,
            "permissions-boundary",
            f"missing: {BOUNDARY_ARN} (every role of the environment gets it as permissions boundary; CreateRole "
            "fails without it)",
            f"create the customer-managed IAM policy {BOUNDARY} in account 123456789012 before the first deploy "
            "(your organisation's boundary), or set permissions_boundary to an existing policy and synthesize again",
        ),
        (
            fail_subscribers,
            "alarm-subscribers",
            "placeholder subscribers: data-platform-dev@example.com (nobody receives mail there)",
            "replace them with real addresses in the monitoring settings (email_subscribers), then synthesize again",
        ),
        (
            fail_tls,
            "tls-certificate-zip",
            f"missing: s3://{BUCKET}/{TLS_KEY} (the compute stack fails at cluster launch without it)",
            "upload a zip of privateKey.pem, certificateChain.pem: emr-platform preflight --env demo --upload-tls FILE",
        ),
        (
            fail_jars,
            "job-jars",
            f"missing: s3://{BUCKET}/{JAR_KEY} (a job run that loads it fails at start)",
            f"upload each jar where the job expects it, e.g. `aws s3 cp postgresql-42.7.4.jar s3://{BUCKET}/{JAR_KEY}` "
            "(download it where the internet is reachable, e.g. from Maven Central)",
        ),
        (
            fail_brought,
            "brought-resources",
            "not found in eu-west-1: demo/Compute/Products security-group sg-0a1b2c3d4e5f60718; "
            f"demo/Compute/Products secret {PLACEHOLDER_SECRET}",
            "put the real endpoint, security group, secret, table or stream of this account in the settings "
            "(for the bundled app: sources.database.existing, sources.sink.table_arn, sources.stream.stream_arn in "
            "config/<env>.json), or create them first; then synthesize again",
        ),
        (
            fail_block_public_access,
            "emr-block-public-access",
            "on, but permits public ingress on port(s) 22; the settings allow: none",
            "turn it on with only the ports the settings allow: deploy the EmrBlockPublicAccess construct in the "
            "account's baseline stack, or `aws emr put-block-public-access-configuration`",
        ),
        (
            fail_offerings,
            "instance-types-offered",
            "demo-Compute/Analytics primary (m5.xlarge) has no type offered in eu-west-1z; demo-Compute/Analytics "
            "core (m5.xlarge) has no type offered in eu-west-1z; demo-Compute/Analytics task (m5.xlarge, m5.2xlarge)"
            " has no type offered in eu-west-1z",
            "add instance types offered in every AZ of the environment to those fleets "
            "(`aws ec2 describe-instance-type-offerings --location-type availability-zone`)",
        ),
    ],
)
def test_each_check_fails_once(
    capsys: pytest.CaptureFixture[str],
    session: boto3.Session,
    quotas: Any,
    cdk_out: Path,
    broken: list[Callable[[], None]],
    breaker: Callable[[boto3.Session, Path, list[Callable[[], None]]], None],
    check: str,
    detail: str,
    fix: str,
) -> None:
    quotas()
    breaker(session, cdk_out, broken)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 1
    assert report["ready"] is False
    failed = {name: c for name, c in report["checks"].items() if c["status"] == "FAIL"}
    assert list(failed) == [check]
    assert (failed[check]["detail"], failed[check]["fix"]) == (detail, fix)


def test_fails_vcpu_quotas(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path
) -> None:
    quotas(on_demand=64, spot=10)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 1
    failed = {name: c for name, c in report["checks"].items() if c["status"] == "FAIL"}
    assert list(failed) == ["vcpu-quotas"]
    assert failed["vcpu-quotas"]["detail"] == "spot needs 32 vCPU, quota 10 (L-34B43A08)"


def test_fails_unconfirmed_subscriber(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path
) -> None:
    quotas()
    pending = OperationStubber(session, "sns", ["ListSubscriptions"])
    pending.add_response(
        "list_subscriptions",
        {
            "Subscriptions": [
                {
                    "SubscriptionArn": "PendingConfirmation",
                    "Protocol": "email",
                    "Endpoint": "oncall@data.test",
                    "TopicArn": f"arn:aws:sns:{REGION}:123456789012:demo-alerts",
                    "Owner": "123456789012",
                }
            ]
        },
        {},
    )
    pending.activate()
    try:
        code, report, _ = preflight(capsys, session, cdk_out)
    finally:
        pending.deactivate()
    assert code == 1
    subscribers = report["checks"]["alarm-subscribers"]
    assert (subscribers["status"], subscribers["detail"]) == ("FAIL", "not confirmed: oncall@data.test")


def test_fails_access_denied_on_one_check_and_runs_the_others(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, cdk_out: Path
) -> None:
    denied = OperationStubber(session, "service-quotas", ["GetServiceQuota"])
    denied.add_client_error("get_service_quota", service_error_code="AccessDeniedException", http_status_code=403)
    denied.activate()
    try:
        code, report, _ = preflight(capsys, session, cdk_out)
    finally:
        denied.deactivate()
    assert code == 1
    failed = {name: c["detail"] for name, c in report["checks"].items() if c["status"] == "FAIL"}
    assert failed == {
        "vcpu-quotas": "could not check: access denied: your AWS identity may not call servicequotas:GetServiceQuota: "
        "ask for it in your role"
    }


def test_upload_tls_puts_the_zip_where_emr_expects_it(
    capsys: pytest.CaptureFixture[str],
    session: boto3.Session,
    quotas: Any,
    cdk_out: Path,
    tmp_path: Path,
    broken: list[Callable[[], None]],
) -> None:
    quotas()
    fail_tls(session, cdk_out, broken)
    certificates = tmp_path / "certificates.zip"
    certificates.write_bytes(tls_zip("privateKey.pem", "certificateChain.pem", "trustedCertificates.pem"))
    code, report, _ = preflight(capsys, session, cdk_out, "--upload-tls", str(certificates))
    assert code == 0
    assert report["checks"]["tls-certificate-zip"]["detail"] == f"uploaded and found: s3://{BUCKET}/{TLS_KEY}"
    body = session.client("s3").get_object(Bucket=BUCKET, Key=TLS_KEY)["Body"].read()
    assert body == certificates.read_bytes()


def test_fails_upload_tls_of_an_incomplete_zip(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, cdk_out: Path, tmp_path: Path
) -> None:
    certificates = tmp_path / "certificates.zip"
    certificates.write_bytes(tls_zip("privateKey.pem"))
    code = main(["preflight", str(cdk_out), "--upload-tls", str(certificates)], session=session)
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"error: --upload-tls {certificates}: the zip lacks certificateChain.pem; EMR needs privateKey.pem, "
        "certificateChain.pem\n"
    )


def test_fails_tls_bucket_not_deployed_yet(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path
) -> None:
    quotas()

    def other_stack(template: dict[str, Any]) -> None:
        tls = template["Resources"]["SecurityConfiguration"]["Properties"]["SecurityConfiguration"]
        s3 = tls["EncryptionConfiguration"]["InTransitEncryptionConfiguration"]["TLSCertificateConfiguration"]
        s3["S3Object"]["Fn::Join"][1][1]["Fn::GetStackOutput"]["StackName"] = "demo-DataLake"

    edit(cdk_out, "demoCompute.template.json", other_stack)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 1
    tls = report["checks"]["tls-certificate-zip"]
    assert tls["detail"] == (
        "demo-Compute/SecurityConfiguration reads its certificates from a bucket that does not exist yet: "
        "stack demo-DataLake is not deployed"
    )
    assert tls["fix"] == (
        "deploy the stack that creates the bucket (the data lake) first, then run `emr-platform preflight "
        "--env demo --upload-tls FILE` before deploying the compute stack"
    )


def test_fails_jars_bucket_not_deployed_yet(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path
) -> None:
    quotas()

    def other_stack(template: dict[str, Any]) -> None:
        [uri] = template["Resources"]["DailyPipeline"]["Metadata"]["emr-platform:jars"]
        uri["Fn::Join"][1][1]["Fn::GetStackOutput"]["StackName"] = "demo-DataLake"

    edit(cdk_out, "demoCompute.template.json", other_stack)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 1
    jars = report["checks"]["job-jars"]
    assert (jars["status"], jars["detail"], jars["fix"]) == (
        "FAIL",
        "demo-Compute/DailyPipeline loads jars from a bucket that does not exist yet: stack demo-DataLake is not "
        "deployed",
        "deploy the stack that creates the bucket (the data lake) first, upload the jars, then run preflight again",
    )


@pytest.mark.parametrize("kind", ["none", "asset"])
def test_jars_pass_when_no_pipeline_loads_any_beyond_cdk_assets(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path, kind: str
) -> None:
    quotas()

    def change(template: dict[str, Any]) -> None:
        if kind == "none":
            template["Resources"].pop("DailyPipeline")
        else:  # a jar shipped as a CDK asset: not there before the deploy, which uploads it
            asset = {"Fn::Sub": "s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/0123abcd.jar"}
            template["Resources"]["DailyPipeline"]["Metadata"]["emr-platform:jars"] = [asset]

    edit(cdk_out, "demoCompute.template.json", change)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 0
    assert report["checks"]["job-jars"]["detail"] == "no pipeline job loads jars from S3 beyond CDK assets"


@pytest.mark.parametrize(
    ("address", "placeholder"),
    [
        ("ops@example.com", True),
        ("ops@mail.example.org", True),
        ("OPS@EXAMPLE.NET", True),
        ("", True),
        ("ops@", True),
        ("ops@company.com", False),
        ("ops@notexample.com", False),
    ],
)
def test_placeholder_addresses(address: str, placeholder: bool) -> None:
    assert is_placeholder(address) is placeholder


def test_fails_no_environment_chosen(capsys: pytest.CaptureFixture[str], session: boto3.Session, cdk_out: Path) -> None:
    shutil.copytree(cdk_out / "assembly-demo", cdk_out / "assembly-qa")
    manifest = cdk_out / "manifest.json"
    data = json.loads(manifest.read_text())
    data["artifacts"]["assembly-qa"] = {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-qa"}}
    manifest.write_text(json.dumps(data))
    code = main(["preflight", str(cdk_out)], session=session)
    assert code == 2
    assert capsys.readouterr().err == "error: pass --env NAME: the cloud assembly has environments demo, qa\n"


def test_ports_the_environments_block_public_access_permits_pass(
    capsys: pytest.CaptureFixture[str],
    session: boto3.Session,
    quotas: Any,
    cdk_out: Path,
    broken: list[Callable[[], None]],
) -> None:
    """The allowed ranges are the ``PermittedPortRanges`` the EmrBlockPublicAccess construct writes."""
    quotas()
    fail_block_public_access(session, cdk_out, broken)  # the account permits port 22

    def permit_22(template: dict[str, Any]) -> None:
        template["Resources"]["BlockPublicAccess"] = {
            "Type": "Custom::EmrBlockPublicAccess",
            "Properties": {"PermittedPortRanges": [{"MinRange": 22, "MaxRange": 22}]},
        }

    edit(cdk_out, "demoCompute.template.json", permit_22)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 0
    assert report["checks"]["emr-block-public-access"]["status"] == "PASS"


@pytest.mark.parametrize(
    ("boundary", "detail"),
    [
        (None, "no role of the environment has a permissions boundary"),
        ({"Ref": "Boundary"}, "created by its stack: 1 role(s)"),
    ],
)
def test_boundary_not_needed_in_the_account(
    capsys: pytest.CaptureFixture[str],
    session: boto3.Session,
    quotas: Any,
    cdk_out: Path,
    broken: list[Callable[[], None]],
    boundary: dict[str, str] | None,
    detail: str,
) -> None:
    """No boundary, or one the stack creates itself: nothing to look for in the account (the policy is gone)."""
    quotas()
    fail_boundary(session, cdk_out, broken)

    def change(template: dict[str, Any]) -> None:
        role = template["Resources"]["ServiceRole"]["Properties"]
        role.pop("PermissionsBoundary")
        if boundary is not None:
            role["PermissionsBoundary"] = boundary
            template["Resources"]["Boundary"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {}}

    edit(cdk_out, "demoCompute.template.json", change)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 0
    assert report["checks"]["permissions-boundary"] == {
        "name": "permissions boundary",
        "passed": True,
        "status": "PASS",
        "detail": detail,
        "fix": "",
    }


def test_fails_brought_endpoint_table_and_stream_that_do_not_exist(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, quotas: Any, cdk_out: Path
) -> None:
    quotas()
    gone = {
        **BROUGHT,
        "database-endpoint": "products-prod.cluster-abc123def456.eu-west-1.rds.amazonaws.com",
        "dynamodb-table": "arn:aws:dynamodb:eu-west-1:123456789012:table/nothere",
        "kinesis-stream": "arn:aws:kinesis:eu-west-1:123456789012:stream/nothere",
    }
    write_brought(cdk_out, gone)
    code, report, _ = preflight(capsys, session, cdk_out)
    assert code == 1
    assert report["checks"]["brought-resources"]["detail"] == (
        "not found in eu-west-1: demo/Compute/Products database-endpoint "
        "products-prod.cluster-abc123def456.eu-west-1.rds.amazonaws.com; demo/Compute/Daily dynamodb-table "
        "arn:aws:dynamodb:eu-west-1:123456789012:table/nothere; demo/Compute/Events kinesis-stream "
        "arn:aws:kinesis:eu-west-1:123456789012:stream/nothere"
    )
