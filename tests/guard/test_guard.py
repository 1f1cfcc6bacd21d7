"""The Guard validator: the library's egress rules, per-resource acknowledgements, the KMS grant statement."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from aws_cdk import App, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

from emr_constructs.guard import (
    GUARD_PLUGIN,
    RULES_DIR,
    GuardRule,
    acknowledge_guard,
    add_guard_validator,
    restrict_grants_to_aws_services,
)
from emr_constructs.guard.validator import control_tower_rule_types, inapplicable_rules

Found = set[tuple[str, str]]


def _report_stack(app: App) -> Stack:
    stack = Stack(app, "S")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=1, nat_gateways=0, subnet_configuration=[])
    ec2.SecurityGroup(stack, "Open", vpc=vpc, allow_all_outbound=True)
    acknowledged = ec2.SecurityGroup(stack, "OpenAcknowledged", vpc=vpc, allow_all_outbound=True)
    acknowledge_guard(
        acknowledged, [GuardRule.EGRESS_OPEN_TO_WORLD, GuardRule.EGRESS_ALL_PROTOCOLS], "test: open on purpose"
    )
    closed = ec2.SecurityGroup(stack, "Closed", vpc=vpc, allow_all_outbound=False)
    peer = ec2.SecurityGroup(stack, "Peer", vpc=vpc, allow_all_outbound=False)
    closed.add_egress_rule(peer, ec2.Port.all_traffic(), "another group")
    ec2.CfnSecurityGroupEgress(
        stack, "SeparateEgress", group_id=closed.security_group_id, cidr_ip="0.0.0.0/0", ip_protocol="-1"
    )
    placeholder = ec2.SecurityGroup(stack, "Placeholder", vpc=vpc, allow_all_outbound=False)
    ec2.CfnSecurityGroupEgress(
        stack,
        "PlaceholderToPeer",
        group_id=placeholder.security_group_id,
        destination_security_group_id=peer.security_group_id,
        ip_protocol="-1",
    )
    restricted = kms.Key(stack, "Restricted")
    restrict_grants_to_aws_services(restricted)
    kms.Key(stack, "Plain")
    return stack


def _findings(out: Path) -> tuple[Found, Found]:
    """(unacknowledged, acknowledged) (rule, construct path) pairs of the Guard plugin in ``out``'s report."""
    data = json.loads((out / "validation-report.json").read_text())
    found: Found = set()
    suppressed: Found = set()
    for plugin in data["pluginReports"]:
        if plugin["pluginName"] != GUARD_PLUGIN:
            continue
        for into, violations in ((found, plugin["violations"]), (suppressed, plugin.get("suppressedViolations") or [])):
            for violation in violations:
                for construct in violation["violatingConstructs"]:
                    into.add((violation["ruleName"], construct["constructPath"]))
    return found, suppressed


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Found, Found, Template]]:
    """One synth with the validator: (unacknowledged, acknowledged) (rule, construct path) pairs and the template."""
    out = tmp_path_factory.mktemp("guard")
    app = App(outdir=str(out))
    stack = _report_stack(app)
    add_guard_validator(app)
    # A finding makes synth fail (ValidationFailed); the report is written first either way.
    with contextlib.suppress(RuntimeError):
        app.synth()
    found, suppressed = _findings(out)
    yield found, suppressed, Template.from_stack(stack)


def test_open_egress_is_a_finding(report: tuple[Found, Found, Template]) -> None:
    found, _, _ = report
    assert (GuardRule.EGRESS_OPEN_TO_WORLD, "S/Open/Resource") in found
    assert (GuardRule.EGRESS_ALL_PROTOCOLS, "S/Open/Resource") in found


def test_separate_egress_resource_is_a_finding(report: tuple[Found, Found, Template]) -> None:
    found, _, _ = report
    assert (GuardRule.EGRESS_RESOURCE_OPEN_TO_WORLD, "S/SeparateEgress") in found
    assert (GuardRule.EGRESS_RESOURCE_ALL_PROTOCOLS, "S/SeparateEgress") in found


def test_acknowledged_egress_is_suppressed_not_found(report: tuple[Found, Found, Template]) -> None:
    found, suppressed, _ = report
    assert not {f for f in found if f[1].startswith("S/OpenAcknowledged/")}
    assert {
        (GuardRule.EGRESS_OPEN_TO_WORLD, "S/OpenAcknowledged/Resource"),
        (GuardRule.EGRESS_ALL_PROTOCOLS, "S/OpenAcknowledged/Resource"),
    } <= suppressed


def test_group_without_listed_egress_is_a_finding(report: tuple[Found, Found, Template]) -> None:
    """CDK drops a closed group's placeholder when add_egress_rule writes a separate resource: EC2's default
    all-traffic rule would stay. Rules written as separate resources beside the placeholder pass."""
    found, _, template = report
    resources = template.to_json()["Resources"].items()
    [closed] = [b for k, b in resources if k.startswith("Closed") and b["Type"] == "AWS::EC2::SecurityGroup"]
    assert "SecurityGroupEgress" not in closed["Properties"]
    assert {f for f in found if f[1].startswith("S/Closed/")} == {(GuardRule.EGRESS_DECLARED, "S/Closed/Resource")}
    assert not {f for f in found if f[1].startswith("S/Placeholder/")}


def test_egress_to_a_security_group_passes(report: tuple[Found, Found, Template]) -> None:
    found, _, _ = report
    assert not {f for f in found if f[1].startswith("S/Peer/")}


def test_key_with_grant_statement_passes_ct_kms_pr_3(report: tuple[Found, Found, Template]) -> None:
    found, _, template = report
    rule = "kms_create_grant_aws_service_check"
    assert (rule, "S/Plain/Resource") in found
    assert (rule, "S/Restricted/Resource") not in found
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        {
                            "Sid": "DenyGrantsExceptForAwsServices",
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Action": "kms:CreateGrant",
                            "Resource": "*",
                            "Condition": {
                                "BoolIfExists": {
                                    "kms:GrantIsForAWSResource": "false",
                                    "aws:PrincipalIsAWSService": "false",
                                }
                            },
                        }
                    ]
                )
            }
        },
    )


def test_acknowledgement_is_namespaced_by_the_plugin() -> None:
    stack = Stack(App(), "S")
    acknowledge_guard(stack, [GuardRule.SQS_DLQ], "why")
    entries = [m.data for m in stack.node.metadata if m.type == "aws:cdk:acknowledged-rules"]
    assert entries == [{f"{GUARD_PLUGIN}::sqs_dlq_check": "why"}]


def test_rule_files_ship_in_the_package() -> None:
    assert sorted(p.name for p in Path(RULES_DIR).iterdir()) == ["security_group_egress.guard"]


def test_only_rules_naming_a_present_resource_type_run() -> None:
    types = control_tower_rule_types()
    assert len(types) == 237 and all(types.values())  # every bundled rule names the types it checks
    skipped = set(inapplicable_rules({"AWS::S3::Bucket", "AWS::KMS::Key"}))
    assert {"ct-s3-pr-9", "ct-kms-pr-3"}.isdisjoint(skipped)
    assert {"ct-lambda-pr-2", "ct-lambda-pr-3"} <= skipped
    # A rule is kept when any type it names is present (ct-lambda-pr-3 also reads security groups).
    assert "ct-lambda-pr-3" not in inapplicable_rules({"AWS::EC2::SecurityGroup"})
    assert inapplicable_rules(set().union(*types.values())) == []


def test_skipped_rules_change_no_finding(report: tuple[Found, Found, Template], tmp_path: Path) -> None:
    """The same stack under every bundled rule (the package's own plugin) finds what the fixture found."""
    found, suppressed, _ = report
    app = App(outdir=str(tmp_path))
    _report_stack(app)
    Validations.of(app).add_plugins(cast(Any, CfnGuardValidator(rules=[str(RULES_DIR)])))
    with contextlib.suppress(RuntimeError):
        app.synth()
    assert _findings(tmp_path) == (found, suppressed)
