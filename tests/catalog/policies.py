"""Helpers to read the IAM statements, security-group rules and ARNs of a synthesized template."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_iam as iam
from constructs import IConstruct


def logical_id(construct: IConstruct) -> str:
    resource = construct if isinstance(construct, CfnResource) else construct.node.default_child
    assert isinstance(resource, CfnResource), construct.node.path
    return Stack.of(construct).get_logical_id(resource)


def ref(construct: IConstruct) -> dict[str, Any]:
    return {"Ref": logical_id(construct)}


def get_att(construct: IConstruct, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id(construct), attribute]}


def arn(service: str, resource: str) -> dict[str, Any]:
    """``arn:<partition>:<service>:<region>:<account>:<resource>`` as CDK's ``format_arn`` renders it."""
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                f":{service}:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":{resource}",
            ],
        ]
    }


def objects(bucket: IConstruct, prefix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [get_att(bucket, "Arn"), f"/{prefix}*"]]}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def in_order(values: list[Any]) -> list[Any]:
    """``values`` in the canonical order :func:`role_statements` gives resources (CDK's order is not the contract)."""
    return sorted(values, key=lambda value: json.dumps(value, sort_keys=True))


def role_statements(template: dict[str, Any], role: iam.IRole) -> list[dict[str, Any]]:
    """Every statement of the ``AWS::IAM::Policy`` resources attached to ``role``, actions and resources as lists."""
    role_ref = ref(role)
    statements = []
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::IAM::Policy" and role_ref in resource["Properties"]["Roles"]:
            for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
                statements.append(
                    {
                        **statement,
                        "Action": sorted(as_list(statement["Action"])),
                        "Resource": in_order(as_list(statement["Resource"])),
                    }
                )
    return statements


def statement_with(statements: list[dict[str, Any]], action: str, **where: Any) -> dict[str, Any]:
    """The one statement granting ``action`` (and matching ``where``, e.g. ``Condition=...``)."""
    found = [
        s for s in statements if action in s["Action"] and all(s.get(key) == value for key, value in where.items())
    ]
    assert len(found) == 1, f"{len(found)} statements grant {action} with {where}: {statements}"
    return found[0]


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}
