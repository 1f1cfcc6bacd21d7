"""The template rewrites and checks the rehearsal makes before moto sees a template."""

from __future__ import annotations

import json
from typing import Any

import boto3
from moto import mock_aws

from tools.rehearsal.checks import unresolved_references
from tools.rehearsal.moto_gaps import adapt_for_moto, placeholder_references, sdk_call_data, unsupported_resources


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
