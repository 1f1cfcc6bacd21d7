"""EMR Serverless rules of the ``EmrChecks`` pack, as pure functions over synthesized templates.

No stock cdk-nag pack looks at ``AWS::EMRServerless::Application``. These two rules hold it to what the library
holds clusters to (``EMR-LogEncryption``, ``EMR-PrivateSubnet``):

* job logs are kept and encrypted with a customer key, in S3 and, when on, in CloudWatch Logs;
* the application runs in the app's private subnets (without a network configuration EMR Serverless runs jobs
  outside any VPC of the account, with internet access and no way to reach private resources).
"""

from __future__ import annotations

from typing import Any

# The cluster rules' helpers: one definition of a public subnet and of a set value for both kinds of compute.
from emr_constructs.policy.rules import Compliance, EmrRule, Outcome, _mapping, _present, _subnet_is_public
from emr_constructs.policy.templates import ResourceRef, TemplateSet, is_true

SERVERLESS_APPLICATION = "AWS::EMRServerless::Application"


def check_serverless_log_encryption(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    """Findings ``S3`` (no S3 logs, or not encrypted with a KMS key) and ``CloudWatch`` (on, not encrypted)."""
    monitoring = _mapping(templates.properties(ref).get("MonitoringConfiguration"))
    findings: list[str] = []
    s3 = _mapping(monitoring.get("S3MonitoringConfiguration"))
    if not (_present(s3.get("LogUri")) and _present(s3.get("EncryptionKeyArn"))):
        findings.append("S3")
    cloudwatch = _mapping(monitoring.get("CloudWatchLoggingConfiguration"))
    if is_true(cloudwatch.get("Enabled")) and not _present(cloudwatch.get("EncryptionKeyArn")):
        findings.append("CloudWatch")
    return findings


def check_serverless_private_subnet(templates: TemplateSet, ref: ResourceRef) -> Outcome:
    network = _mapping(templates.properties(ref).get("NetworkConfiguration"))
    subnets: Any = network.get("SubnetIds")
    if not _present(subnets):
        return Compliance.NON_COMPLIANT
    if not isinstance(subnets, list):
        return Compliance.COMPLIANT  # an intrinsic list: not checkable from the templates
    for value in subnets:
        subnet = templates.target(ref.stack, value)
        if (
            subnet is not None
            and templates.type_of(subnet) == "AWS::EC2::Subnet"
            and _subnet_is_public(templates, subnet)
        ):
            return Compliance.NON_COMPLIANT
    return Compliance.COMPLIANT


SERVERLESS_RULES: tuple[EmrRule, ...] = (
    EmrRule(
        suffix="ServerlessLogEncryption",
        resource_types=(SERVERLESS_APPLICATION,),
        info=(
            "The EMR Serverless application does not keep job logs in S3 encrypted with a KMS key (S3), or sends them "
            "to CloudWatch Logs without a KMS key (CloudWatch)."
        ),
        explanation=(
            "Driver and executor logs hold data samples, paths and sometimes credentials. Set "
            "MonitoringConfiguration.S3MonitoringConfiguration.{LogUri,EncryptionKeyArn} and, when CloudWatch logging "
            "is enabled, CloudWatchLoggingConfiguration.EncryptionKeyArn."
        ),
        check=check_serverless_log_encryption,
    ),
    EmrRule(
        suffix="ServerlessPrivateSubnet",
        resource_types=(SERVERLESS_APPLICATION,),
        info="The EMR Serverless application does not run in private subnets of a VPC.",
        explanation=(
            "Without NetworkConfiguration.SubnetIds EMR Serverless runs jobs outside the account's VPCs, with internet "
            "access and without the VPC's endpoints, flow logs and security groups. A subnet defined in the app is "
            "public when it maps public IPs, carries aws-cdk:subnet-type=Public or routes 0.0.0.0/0 to an internet "
            "gateway; subnets given as literal ids cannot be checked and pass."
        ),
        check=check_serverless_private_subnet,
    ),
)
