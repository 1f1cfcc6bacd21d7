"""The EMR rules on hand-written templates: each rule fires on the wrong shape and passes the right one.

No CDK here: the rules read plain template dicts, so these tests take milliseconds.
"""

from __future__ import annotations

from typing import Any

import pytest

from emr_constructs.policy.rules import (
    RULES,
    RULES_BY_TYPE,
    Compliance,
    check_has_security_configuration,
    check_log_encryption,
    check_log_uri,
    check_no_open_ingress,
    check_private_subnet,
    check_scaling_or_auto_termination,
    check_security_configuration_encryption,
)
from emr_constructs.policy.templates import ResourceRef, TemplateSet

OK, BAD, NA = Compliance.COMPLIANT, Compliance.NON_COMPLIANT, Compliance.NOT_APPLICABLE
CLUSTER = ResourceRef("dev/Data", "Cluster")

NESTED_ENCRYPTION: dict[str, Any] = {
    "EncryptionConfiguration": {
        "EnableAtRestEncryption": True,
        "EnableInTransitEncryption": True,
        "AtRestEncryptionConfiguration": {
            "S3EncryptionConfiguration": {"EncryptionMode": "SSE-KMS", "AwsKmsKey": "arn:aws:kms:x"},
            "LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms", "AwsKmsKey": "arn:aws:kms:x"},
        },
        "InTransitEncryptionConfiguration": {
            "TLSCertificateConfiguration": {"CertificateProviderType": "PEM", "S3Object": "s3://b/certs.zip"}
        },
    }
}


def resource(kind: str, **properties: Any) -> dict[str, Any]:
    return {"Type": kind, "Properties": properties}


def one_stack(**resources: dict[str, Any]) -> TemplateSet:
    return TemplateSet({"dev/Data": {"Resources": resources}})


def cluster(**properties: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"Name": "c", "ReleaseLabel": "emr-7.5.0", "Instances": {}}
    return resource("AWS::EMR::Cluster", **{**base, **properties})


def security_configuration(document: Any) -> TemplateSet:
    return one_stack(Config=resource("AWS::EMR::SecurityConfiguration", SecurityConfiguration=document))


CONFIG = ResourceRef("dev/Data", "Config")


def test_security_configuration_in_the_nested_shape_passes() -> None:
    assert check_security_configuration_encryption(security_configuration(NESTED_ENCRYPTION), CONFIG) == []


def test_security_configuration_given_as_a_json_string_is_read() -> None:
    import json

    document = json.dumps(NESTED_ENCRYPTION)
    assert check_security_configuration_encryption(security_configuration(document), CONFIG) == []


def test_top_level_flags_as_awssolutions_expects_them_fail_every_part() -> None:
    # The shape AwsSolutions-EMR4/EMR5 accept; EMR ignores these keys.
    document = {
        "EnableAtRestEncryption": True,
        "EnableInTransitEncryption": True,
        "AtRestEncryptionConfiguration": NESTED_ENCRYPTION["EncryptionConfiguration"]["AtRestEncryptionConfiguration"],
    }
    findings = check_security_configuration_encryption(security_configuration(document), CONFIG)
    assert findings == ["AtRestS3", "AtRestLocalDisk", "InTransit"]


def test_each_missing_part_is_its_own_finding() -> None:
    encryption = NESTED_ENCRYPTION["EncryptionConfiguration"]
    no_tls = {"EncryptionConfiguration": {**encryption, "InTransitEncryptionConfiguration": {}}}
    at_rest = dict(encryption["AtRestEncryptionConfiguration"])
    del at_rest["LocalDiskEncryptionConfiguration"]
    no_disk = {"EncryptionConfiguration": {**encryption, "AtRestEncryptionConfiguration": at_rest}}
    at_rest_off = {"EncryptionConfiguration": {**encryption, "EnableAtRestEncryption": "false"}}
    assert check_security_configuration_encryption(security_configuration(no_tls), CONFIG) == ["InTransit"]
    assert check_security_configuration_encryption(security_configuration(no_disk), CONFIG) == ["AtRestLocalDisk"]
    assert check_security_configuration_encryption(security_configuration(at_rest_off), CONFIG) == [
        "AtRestS3",
        "AtRestLocalDisk",
    ]


def test_a_security_configuration_that_is_not_a_literal_document_is_reported() -> None:
    document = {"Fn::Sub": "${Json}"}
    findings = check_security_configuration_encryption(security_configuration(document), CONFIG)
    assert findings == ["AtRestS3", "AtRestLocalDisk", "InTransit"]


def test_cluster_without_security_configuration_fails() -> None:
    assert check_has_security_configuration(one_stack(Cluster=cluster()), CLUSTER) is BAD
    with_ref = one_stack(Cluster=cluster(SecurityConfiguration={"Ref": "Config"}))
    assert check_has_security_configuration(with_ref, CLUSTER) is OK


@pytest.mark.parametrize(
    ("log_uri", "expected"),
    [(None, BAD), ("s3://logs/emr/", OK), ("s3n://logs/", OK), ("hdfs:///logs", BAD), ({"Fn::Sub": "s3://${B}/"}, OK)],
)
def test_log_uri(log_uri: Any, expected: Compliance) -> None:
    properties = {} if log_uri is None else {"LogUri": log_uri}
    assert check_log_uri(one_stack(Cluster=cluster(**properties)), CLUSTER) is expected


def test_log_encryption_needs_a_key_when_logs_are_written() -> None:
    assert check_log_encryption(one_stack(Cluster=cluster(LogUri="s3://l/")), CLUSTER) is BAD
    keyed = cluster(LogUri="s3://l/", LogEncryptionKmsKeyId={"Fn::GetAtt": ["Key", "Arn"]})
    assert check_log_encryption(one_stack(Cluster=keyed), CLUSTER) is OK
    assert check_log_encryption(one_stack(Cluster=cluster()), CLUSTER) is NA


@pytest.mark.parametrize(
    ("properties", "instances", "expected"),
    [
        ({}, {}, BAD),
        ({}, {"KeepJobFlowAliveWhenNoSteps": True}, BAD),
        ({"ManagedScalingPolicy": {"ComputeLimits": {"MaximumCapacityUnits": 10}}}, {}, OK),
        ({"AutoTerminationPolicy": {"IdleTimeout": 3600}}, {}, OK),
        ({}, {"KeepJobFlowAliveWhenNoSteps": "false"}, OK),
    ],
)
def test_scaling_or_auto_termination(properties: Any, instances: Any, expected: Compliance) -> None:
    template = one_stack(Cluster=cluster(Instances=instances, **properties))
    assert check_scaling_or_auto_termination(template, CLUSTER) is expected


def subnet_stack(*, subnet: dict[str, Any], routes: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    resources = {
        "Subnet": resource("AWS::EC2::Subnet", **subnet),
        "Table": resource("AWS::EC2::RouteTable", VpcId="vpc-1"),
        "Association": resource(
            "AWS::EC2::SubnetRouteTableAssociation", SubnetId={"Ref": "Subnet"}, RouteTableId={"Ref": "Table"}
        ),
        "Igw": resource("AWS::EC2::InternetGateway"),
        "Nat": resource("AWS::EC2::NatGateway", SubnetId="subnet-public"),
        **(routes or {}),
    }
    return {
        "Resources": resources,
        "Outputs": {
            "SubnetExport": {"Value": {"Ref": "Subnet"}, "Export": {"Name": "net:Subnet"}},
            "PublishSubnet": {"Value": {"Ref": "Subnet"}},
        },
    }


def route(target: dict[str, Any], cidr: str = "0.0.0.0/0") -> dict[str, Any]:
    return resource("AWS::EC2::Route", RouteTableId={"Ref": "Table"}, DestinationCidrBlock=cidr, **target)


def private_subnet_case(network: dict[str, Any], subnet_value: Any) -> Compliance:
    templates = TemplateSet(
        {
            "dev/Network": network,
            "dev/Data": {"Resources": {"Cluster": cluster(Instances={"Ec2SubnetId": subnet_value})}},
        },
        stack_names={"dev-Network": "dev/Network"},
    )
    result = check_private_subnet(templates, CLUSTER)
    assert isinstance(result, Compliance)
    return result


IMPORTED = {"Fn::ImportValue": "net:Subnet"}
STACK_OUTPUT = {"Fn::GetStackOutput": {"StackName": "dev-Network", "OutputName": "PublishSubnet", "Region": "x"}}


@pytest.mark.parametrize("reference", [IMPORTED, STACK_OUTPUT], ids=["ImportValue", "GetStackOutput"])
def test_subnet_in_another_stack_with_public_ip_mapping_fails(reference: Any) -> None:
    assert private_subnet_case(subnet_stack(subnet={"MapPublicIpOnLaunch": True}), reference) is BAD


def test_subnet_tagged_public_by_cdk_fails() -> None:
    tags = [{"Key": "aws-cdk:subnet-type", "Value": "Public"}]
    assert private_subnet_case(subnet_stack(subnet={"Tags": tags}), IMPORTED) is BAD


def test_subnet_routing_the_internet_through_an_internet_gateway_fails() -> None:
    public = subnet_stack(subnet={}, routes={"Default": route({"GatewayId": {"Ref": "Igw"}})})
    assert private_subnet_case(public, IMPORTED) is BAD
    ipv6 = subnet_stack(
        subnet={},
        routes={"V6": resource("AWS::EC2::Route", RouteTableId={"Ref": "Table"}, DestinationIpv6CidrBlock="::/0",
                               GatewayId="igw-0abc")},
    )  # fmt: skip
    assert private_subnet_case(ipv6, IMPORTED) is BAD


def test_subnet_routing_through_a_nat_gateway_passes() -> None:
    private = subnet_stack(
        subnet={"Tags": [{"Key": "aws-cdk:subnet-type", "Value": "Private"}]},
        routes={"Default": route({"NatGatewayId": {"Ref": "Nat"}})},
    )
    assert private_subnet_case(private, IMPORTED) is OK
    assert private_subnet_case(private, STACK_OUTPUT) is OK


def test_cluster_without_subnet_is_in_the_default_vpc_and_fails() -> None:
    assert check_private_subnet(one_stack(Cluster=cluster()), CLUSTER) is BAD


def test_literal_subnet_ids_cannot_be_checked_and_pass() -> None:
    literal = one_stack(Cluster=cluster(Instances={"Ec2SubnetIds": ["subnet-0abc", "subnet-0def"]}))
    assert check_private_subnet(literal, CLUSTER) is OK


def emr_groups_stack(**extra: dict[str, Any]) -> TemplateSet:
    instances = {
        "EmrManagedMasterSecurityGroup": {"Fn::GetAtt": ["Primary", "GroupId"]},
        "EmrManagedSlaveSecurityGroup": {"Ref": "Core"},
        "ServiceAccessSecurityGroup": {"Fn::GetAtt": "Service.GroupId"},
        "AdditionalMasterSecurityGroups": [{"Fn::GetAtt": ["Extra", "GroupId"]}],
    }
    return one_stack(
        Cluster=cluster(Instances=instances),
        Primary=resource(
            "AWS::EC2::SecurityGroup", GroupDescription="p", SecurityGroupIngress=[{"CidrIp": "0.0.0.0/0"}]
        ),
        Core=resource("AWS::EC2::SecurityGroup", GroupDescription="c", SecurityGroupIngress=[{"CidrIp": "10.0.0.0/8"}]),
        Service=resource("AWS::EC2::SecurityGroup", GroupDescription="s"),
        Extra=resource("AWS::EC2::SecurityGroup", GroupDescription="e", SecurityGroupIngress=[{"CidrIpv6": "::/0"}]),
        Unrelated=resource(
            "AWS::EC2::SecurityGroup", GroupDescription="u", SecurityGroupIngress=[{"CidrIp": "0.0.0.0/0"}]
        ),
        **extra,
    )


@pytest.mark.parametrize(
    ("group", "expected"),
    [("Primary", BAD), ("Core", OK), ("Service", OK), ("Extra", BAD), ("Unrelated", NA)],
)
def test_open_ingress_on_groups_an_emr_cluster_uses(group: str, expected: Compliance) -> None:
    assert check_no_open_ingress(emr_groups_stack(), ResourceRef("dev/Data", group)) is expected


def test_separate_ingress_resources_on_emr_groups_are_checked() -> None:
    templates = emr_groups_stack(
        OpenCore=resource("AWS::EC2::SecurityGroupIngress", GroupId={"Ref": "Core"}, CidrIp="0.0.0.0/0"),
        ClosedCore=resource("AWS::EC2::SecurityGroupIngress", GroupId={"Ref": "Core"}, CidrIp="10.1.0.0/16"),
        OpenOther=resource("AWS::EC2::SecurityGroupIngress", GroupId={"Ref": "Unrelated"}, CidrIpv6="::/0"),
    )
    assert check_no_open_ingress(templates, ResourceRef("dev/Data", "OpenCore")) is BAD
    assert check_no_open_ingress(templates, ResourceRef("dev/Data", "ClosedCore")) is OK
    assert check_no_open_ingress(templates, ResourceRef("dev/Data", "OpenOther")) is NA


def test_rule_ids_and_resource_types() -> None:
    assert [rule.rule_id for rule in RULES] == [
        "EMR-SecurityConfigEncryption",
        "EMR-SecurityConfiguration",
        "EMR-LogUri",
        "EMR-LogEncryption",
        "EMR-PrivateSubnet",
        "EMR-ScalingOrAutoTermination",
        "EMR-NoOpenIngress",
        "EMR-ServerlessLogEncryption",
        "EMR-ServerlessPrivateSubnet",
    ]
    assert sorted(RULES_BY_TYPE) == [
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EMR::Cluster",
        "AWS::EMR::SecurityConfiguration",
        "AWS::EMRServerless::Application",
    ]
