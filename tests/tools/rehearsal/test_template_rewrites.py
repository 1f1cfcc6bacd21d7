"""The template rewrites and checks the rehearsal makes before moto sees a template."""

from __future__ import annotations

import json
from typing import Any

import boto3
from moto import mock_aws

from tools.rehearsal.checks import unresolved_references
from tools.rehearsal.moto_gaps import (
    adapt_for_moto,
    placeholder_references,
    sdk_call_data,
    stand_in_brought_groups,
    unsupported_resources,
)


def test_references_to_skipped_resources_get_placeholders() -> None:
    template: dict[str, Any] = {
        "Resources": {
            "Workgroup": {"Type": "AWS::RedshiftServerless::Workgroup", "Properties": {"WorkgroupName": "wg"}},
            "Policy": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "Resource": {"Fn::GetAtt": ["Workgroup", "Workgroup.WorkgroupArn"]},
                    "Name": {"Ref": "Workgroup"},
                    "Endpoint": {"Fn::Sub": "jdbc://${Workgroup.Endpoint}/${Other}/${!Literal}"},
                },
            },
        },
        "Outputs": {"Arn": {"Value": {"Fn::GetAtt": "Workgroup.Workgroup.WorkgroupArn"}}},
    }
    notes = placeholder_references(template, {"Workgroup"}, "123456789012", "eu-west-1")
    arn = "arn:aws:rehearsal:eu-west-1:123456789012:placeholder/Workgroup/Workgroup.WorkgroupArn"
    assert template["Resources"]["Policy"]["Properties"] == {
        "Resource": arn,
        "Name": "rehearsal-placeholder-Workgroup",
        "Endpoint": {"Fn::Sub": "jdbc://rehearsal-placeholder-Workgroup-Endpoint/${Other}/${!Literal}"},
    }
    assert template["Outputs"]["Arn"]["Value"] == arn
    assert notes == [
        f"Fn::GetAtt Workgroup.Workgroup.WorkgroupArn -> {arn}",
        "Ref Workgroup -> rehearsal-placeholder-Workgroup",
        "Fn::GetAtt Workgroup.Endpoint -> rehearsal-placeholder-Workgroup-Endpoint",
    ]


def test_kms_key_tags_given_to_moto_in_its_shape() -> None:
    template: dict[str, Any] = {
        "Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"Tags": [{"Key": "env", "Value": "dev"}]}}}
    }
    assert adapt_for_moto(template) == ["Key (AWS::KMS::Key): Tags given to moto as TagKey/TagValue"]
    assert template["Resources"]["Key"]["Properties"]["Tags"] == [{"TagKey": "env", "TagValue": "dev"}]


def test_unsupported_resources_leave_custom_resources_alone() -> None:
    template = {
        "Resources": {
            "Policy": {"Type": "AWS::S3::BucketPolicy"},
            "Meta": {"Type": "AWS::CDK::Metadata"},
            "Bucket": {"Type": "AWS::S3::Bucket"},
            "Custom": {"Type": "Custom::VpcRestrictDefaultSG"},
        }
    }
    assert unsupported_resources(template) == [("Policy", "AWS::S3::BucketPolicy"), ("Meta", "AWS::CDK::Metadata")]


def test_unresolved_references() -> None:
    template = {
        "Parameters": {"BootstrapVersion": {}},
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "DependsOn": ["Gone"]},
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": "Bucket"},
                    "Version": {"Ref": "BootstrapVersion"},
                    "Region": {"Ref": "AWS::Region"},
                    "Doc": {"Fn::Sub": ["${Bucket}/${Missing}/${Name}", {"Name": "x"}]},
                    "Arn": {"Fn::GetAtt": ["Nowhere", "Arn"]},
                },
            },
        },
    }
    assert unresolved_references(template) == [
        "Resources.Bucket: DependsOn names Gone, which is not in the template",
        "Resources.Policy: Fn::Sub names Missing, which is not in the template",
        "Resources.Policy: Fn::GetAtt names Nowhere, which is not in the template",
    ]


def test_sdk_call_of_a_custom_aws_resource_is_made_against_moto() -> None:
    create = json.dumps(
        {
            "action": "describeManagedPrefixLists",
            "service": "EC2",
            "outputPaths": ["PrefixLists.0.PrefixListId"],
            "parameters": {"Filters": [{"Name": "prefix-list-name", "Values": ["com.amazonaws.eu-west-1.s3"]}]},
        }
    )
    with mock_aws():
        [expected] = boto3.client("ec2", region_name="eu-west-1").describe_managed_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.eu-west-1.s3"]}]
        )["PrefixLists"]
        call, data = sdk_call_data({"Create": create}, "eu-west-1")
    assert call == "EC2.describeManagedPrefixLists"
    assert data == {"PrefixLists.0.PrefixListId": expected["PrefixListId"]}
    assert expected["PrefixListId"].startswith("pl-")


def test_ssm_parameters_get_a_name_list_tags_and_their_value_for_get_att() -> None:
    template: dict[str, Any] = {
        "Resources": {
            "Url": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": "jdbc:x", "Tags": {"env": "dev"}}},
            "Named": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/mine", "Value": "v"}},
        },
        "Outputs": {"Out": {"Value": {"Fn::GetAtt": ["Url", "Value"]}}},
    }
    assert adapt_for_moto(template, "dev-Sources") == [
        "Url (AWS::SSM::Parameter): named /dev-Sources/Url (moto needs a Name)",
        "Url (AWS::SSM::Parameter): Tags given to moto as a Key/Value list",
        "Fn::GetAtt Url.Value (AWS::SSM::Parameter): its Value property given to moto",
    ]
    assert template["Resources"]["Url"]["Properties"]["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert template["Resources"]["Named"]["Properties"]["Name"] == "/mine"
    assert template["Outputs"]["Out"]["Value"] == "jdbc:x"


def test_references_to_a_skipped_secret_get_a_secret_arn_cdk_can_parse() -> None:
    template: dict[str, Any] = {
        "Resources": {
            "Attachment": {"Type": "AWS::SecretsManager::SecretTargetAttachment"},
            "Name": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": {"Ref": "Attachment"}}},
        }
    }
    placeholder_references(template, {"Attachment"}, "123456789012", "eu-west-1")
    value = template["Resources"]["Name"]["Properties"]["Value"]
    assert value == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rehearsal-Attachment-AbCdEf"
    assert len(value.split(":")) == 7


@mock_aws
def test_brought_security_groups_get_one_stand_in_each() -> None:
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    own = ec2.create_security_group(GroupName="own", Description="own")["GroupId"]
    rule = {"GroupId": "sg-0f1e2d3c4b5a69788", "SourceSecurityGroupId": own}
    template: dict[str, Any] = {
        "Resources": {
            "In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": dict(rule)},
            "Out": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {"GroupId": own,
                    "DestinationSecurityGroupId": "sg-0f1e2d3c4b5a69788"}},
            "Other": {"Type": "AWS::S3::Bucket", "Properties": {"GroupId": "sg-0000000000000000a"}},
        }
    }  # fmt: skip
    [note] = stand_in_brought_groups(template, ec2)
    stand_in = template["Resources"]["In"]["Properties"]["GroupId"]
    assert note == f"brought security group sg-0f1e2d3c4b5a69788: stand-in {stand_in} created in moto"
    assert template["Resources"]["In"]["Properties"]["SourceSecurityGroupId"] == own
    assert template["Resources"]["Out"]["Properties"]["DestinationSecurityGroupId"] == stand_in
    assert template["Resources"]["Other"]["Properties"]["GroupId"] == "sg-0000000000000000a"
    assert stand_in in {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
