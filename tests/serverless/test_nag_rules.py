"""EmrChecks' EMR Serverless rules on hand-written templates, and on a raw application through the pack."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_emrserverless as emrserverless

from emr_constructs.policy.rules import Compliance
from emr_constructs.policy.serverless_rules import check_serverless_log_encryption, check_serverless_private_subnet
from emr_constructs.policy.templates import ResourceRef, TemplateSet
from tests.support import nag_findings, new_stack

APP = ResourceRef("dev/Data", "App")
ENCRYPTED_S3 = {"S3MonitoringConfiguration": {"LogUri": "s3://logs/x/", "EncryptionKeyArn": "arn:aws:kms:k"}}


def templates(**properties: Any) -> TemplateSet:
    resources: dict[str, Any] = {
        "App": {"Type": "AWS::EMRServerless::Application", "Properties": properties},
        "Private": {"Type": "AWS::EC2::Subnet", "Properties": {"MapPublicIpOnLaunch": False}},
        "Public": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"Tags": [{"Key": "aws-cdk:subnet-type", "Value": "Public"}]},
        },
    }
    return TemplateSet({"dev/Data": {"Resources": resources}})


def test_log_encryption_passes_encrypted_s3_and_cloudwatch() -> None:
    monitoring = {
        **ENCRYPTED_S3,
        "CloudWatchLoggingConfiguration": {"Enabled": True, "EncryptionKeyArn": "arn:aws:kms:k"},
    }
    assert check_serverless_log_encryption(templates(MonitoringConfiguration=monitoring), APP) == []


def test_log_encryption_flags_missing_or_unencrypted_logs() -> None:
    assert check_serverless_log_encryption(templates(), APP) == ["S3"]
    unencrypted = {"S3MonitoringConfiguration": {"LogUri": "s3://logs/x/"}}
    assert check_serverless_log_encryption(templates(MonitoringConfiguration=unencrypted), APP) == ["S3"]
    cloudwatch = {**ENCRYPTED_S3, "CloudWatchLoggingConfiguration": {"Enabled": True}}
    assert check_serverless_log_encryption(templates(MonitoringConfiguration=cloudwatch), APP) == ["CloudWatch"]
    off = {**ENCRYPTED_S3, "CloudWatchLoggingConfiguration": {"Enabled": False}}
    assert check_serverless_log_encryption(templates(MonitoringConfiguration=off), APP) == []


def test_private_subnet_rule() -> None:
    def network(*subnets: str) -> dict[str, Any]:
        return {"SubnetIds": [{"Ref": s} for s in subnets], "SecurityGroupIds": ["sg-1"]}

    assert check_serverless_private_subnet(templates(), APP) is Compliance.NON_COMPLIANT
    assert (
        check_serverless_private_subnet(templates(NetworkConfiguration=network("Private")), APP) is Compliance.COMPLIANT
    )
    public = templates(NetworkConfiguration=network("Private", "Public"))
    assert check_serverless_private_subnet(public, APP) is Compliance.NON_COMPLIANT
    literal = templates(NetworkConfiguration={"SubnetIds": ["subnet-0abc"]})
    assert check_serverless_private_subnet(literal, APP) is Compliance.COMPLIANT


def test_pack_reports_a_raw_application_outside_any_vpc_without_encrypted_logs() -> None:
    stack = new_stack()
    emrserverless.CfnApplication(stack, "Raw", release_label="emr-7.14.0", type="Spark")
    findings = nag_findings(stack)
    assert [f.split(" @ ")[0] for f in findings if f.startswith("EMR-")] == [
        "EMR-ServerlessLogEncryption[S3]",
        "EMR-ServerlessPrivateSubnet",
    ]
