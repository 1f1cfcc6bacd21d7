"""EmrBlockPublicAccess: the custom resource's call, least privilege, no delete, zero nag findings; one owner."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack, Stage
from aws_cdk.assertions import Match, Template

from emr_constructs.baseline import (
    BlockPublicAccessOwner,
    EmrBlockPublicAccess,
    PortRange,
    check_single_owner,
    check_single_owner_in,
)
from emr_constructs.baseline.block_public_access import RESOURCE_TYPE
from emr_constructs.errors import EmrConfigError
from tests.support import APP_PACKS, nag_findings, new_app


@pytest.fixture(scope="module")
def stack() -> Stack:
    stack = Stack(new_app(), "Baseline")
    EmrBlockPublicAccess(stack, "BlockPublicAccess", permitted_port_ranges=[PortRange(min_port=443)])
    return stack


@pytest.fixture(scope="module")
def template(stack: Stack) -> Template:
    return Template.from_stack(stack)


def the_resource(template: Template) -> dict[str, Any]:
    (resource,) = template.find_resources(RESOURCE_TYPE).values()
    properties: dict[str, Any] = resource["Properties"]
    return properties


def test_create_and_update_turn_it_on_with_the_permitted_ranges(template: Template) -> None:
    properties = the_resource(template)
    expected = {
        "service": "EMR",
        "action": "putBlockPublicAccessConfiguration",
        "parameters": {
            "BlockPublicAccessConfiguration": {
                "BlockPublicSecurityGroupRules": True,
                "PermittedPublicSecurityGroupRuleRanges": [{"MinRange": 443, "MaxRange": 443}],
            }
        },
        "physicalResourceId": {"id": "emr-block-public-access"},
    }
    assert json.loads(properties["Create"]) == expected
    assert json.loads(properties["Update"]) == expected
    assert properties["PermittedPortRanges"] == [{"MinRange": 443, "MaxRange": 443}]


def test_delete_leaves_the_setting_on(template: Template) -> None:
    assert "Delete" not in the_resource(template)


def test_default_permits_no_port() -> None:
    stack = Stack(new_app(), "Default")
    EmrBlockPublicAccess(stack, "BlockPublicAccess")
    properties = the_resource(Template.from_stack(stack))
    call = json.loads(properties["Create"])["parameters"]["BlockPublicAccessConfiguration"]
    assert call == {"BlockPublicSecurityGroupRules": True, "PermittedPublicSecurityGroupRuleRanges": []}
    assert properties["PermittedPortRanges"] == []


def test_policy_allows_the_one_action_only(template: Template) -> None:
    policies = template.find_resources("AWS::IAM::Policy")
    actions = sorted(
        json.dumps(statement["Action"])
        for policy in policies.values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    )
    assert actions == [
        '"elasticmapreduce:PutBlockPublicAccessConfiguration"',
        '["logs:CreateLogStream", "logs:PutLogEvents"]',
    ]
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {"Action": "elasticmapreduce:PutBlockPublicAccessConfiguration", "Effect": "Allow", "Resource": "*"}
                ]
            }
        },
    )
    template.resource_properties_count_is("AWS::IAM::Role", {"ManagedPolicyArns": Match.any_value()}, 0)


def test_handler_logs_are_kept_a_year(template: Template) -> None:
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 365})
    template.has_resource_properties("AWS::Lambda::Function", {"Timeout": 120, "MemorySize": 256})


def test_no_nag_findings(stack: Stack) -> None:
    assert nag_findings(stack, APP_PACKS) == []


@pytest.mark.parametrize(
    ("port_range", "shown"),
    [
        (PortRange(min_port=-1), "-1--1"),
        (PortRange(min_port=443, max_port=80), "443-80"),
        (PortRange(min_port=70000), "70000-70000"),
    ],
)
def test_fails_bad_port_range(port_range: PortRange, shown: str) -> None:
    with pytest.raises(EmrConfigError) as error:
        EmrBlockPublicAccess(Stack(new_app(), "S"), "Bpa", permitted_port_ranges=[PortRange(min_port=22), port_range])
    assert str(error.value) == (
        f"S/Bpa: permitted_port_ranges[1]={shown!r} is invalid: a port range runs from a lower to a higher port "
        "within 0-65535; allowed: e.g. PortRange(min_port=443) or PortRange(min_port=8443, max_port=8444)"
    )


def test_one_owner_per_account_and_region_passes() -> None:
    check_single_owner(
        [
            BlockPublicAccessOwner(environment="dev", account="111111111111", region="eu-west-1"),
            BlockPublicAccessOwner(environment="prod", account="222222222222", region="eu-west-1"),
            BlockPublicAccessOwner(environment="dr", account="222222222222", region="eu-central-1"),
        ]
    )


def test_fails_two_owners_in_one_account_and_region() -> None:
    with pytest.raises(EmrConfigError) as error:
        check_single_owner(
            [
                BlockPublicAccessOwner(environment="dev", account="111111111111", region="eu-west-1"),
                BlockPublicAccessOwner(environment="staging", account="111111111111", region="eu-west-1"),
            ]
        )
    assert str(error.value) == (
        "EmrBlockPublicAccess: environment='staging' is invalid: EMR block public access of 111111111111/eu-west-1 "
        "is already owned by environment 'dev': one account and region has one owner; allowed: one baseline per "
        'account and region; owned so far: ["111111111111/eu-west-1"]'
    )


def test_fails_owner_without_account_or_region() -> None:
    with pytest.raises(EmrConfigError) as error:
        check_single_owner([BlockPublicAccessOwner(environment="dev", account="", region="eu-west-1")])
    assert str(error.value) == (
        "EmrBlockPublicAccess: account/region='?/eu-west-1' is invalid: environment 'dev' owns EMR block public "
        "access but names no concrete account and region; allowed: a 12-digit account and a region, e.g. "
        "123456789012/eu-west-1"
    )


def test_fails_wrong_port_range_type() -> None:
    expected = r"^S/Bpa: permitted_port_ranges=<builtins.list> is invalid: wrong type; allowed: Sequence of PortRange$"
    with pytest.raises(TypeError, match=expected):
        EmrBlockPublicAccess(Stack(new_app(), "S"), "Bpa", permitted_port_ranges=[22])  # type: ignore[list-item]


def owned_app(*owners: tuple[str, str | None]) -> App:
    """One Stage per (environment, account), each with a baseline stack in eu-west-1 owning the setting."""
    app = new_app()
    for environment, account in owners:
        stage = Stage(app, environment)
        env = Environment(account=account, region="eu-west-1") if account else None
        EmrBlockPublicAccess(Stack(stage, "Baseline", env=env), "BlockPublicAccess")
    return app


def test_owners_in_an_app_one_per_account_and_region() -> None:
    owners = check_single_owner_in(owned_app(("dev", "111111111111"), ("prod", "222222222222")))
    assert [(o.environment, o.account, o.region) for o in owners] == [
        ("dev", "111111111111", "eu-west-1"),
        ("prod", "222222222222", "eu-west-1"),
    ]


def test_fails_two_stages_owning_one_account_and_region() -> None:
    with pytest.raises(EmrConfigError, match=r"environment='staging' is invalid: EMR block public access of "):
        check_single_owner_in(owned_app(("dev", "111111111111"), ("staging", "111111111111")))


def test_fails_agnostic_owner_in_an_app() -> None:
    with pytest.raises(EmrConfigError, match=r"account/region='\?/\?' is invalid: environment 'dev' owns"):
        check_single_owner_in(owned_app(("dev", None)))
