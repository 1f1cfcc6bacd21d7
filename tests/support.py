"""Shared test helpers: apps with cdk.json's context, nag findings, template normalisation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from cdk_nag import NagPack, ServerlessChecks
from constructs import IConstruct

from emr_constructs.network import ExistingNetworkProps
from emr_constructs.policy import STANDARD_PACKS
from tools.gate.normalize import normalize_template as policy_normalize_template
from tools.lint_cache import lint_template

ROOT = Path(__file__).resolve().parent.parent
CDK_CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]

#: The packs every construct of the library must pass with zero unacknowledged findings: AwsSolutions,
#: NIST 800-53 r5, HIPAA, PCI DSS 3.2.1 and the library's own EmrChecks.
NAG_PACKS: tuple[type[NagPack], ...] = STANDARD_PACKS
#: The bundled app also runs the Serverless pack, because it has Lambda functions (CDK's custom resources).
APP_PACKS: tuple[type[NagPack], ...] = (*STANDARD_PACKS, ServerlessChecks)


def new_app(**context: Any) -> App:
    """An App whose feature flags match ``cdk synth`` (cdk.json's context), plus ``context``."""
    return App(context={**CDK_CONTEXT, **context})


def new_stack(**context: Any) -> Stack:
    """A fresh stack in a fresh app, for construct-level tests."""
    return Stack(new_app(**context), "Test")


def nag_findings(scope: IConstruct, packs: tuple[type[NagPack], ...] = NAG_PACKS) -> list[str]:
    """Unacknowledged findings of ``packs`` under ``scope``, as ``rule @ construct path: description`` lines."""
    found: list[str] = []
    for pack in packs:
        report = pack(scope).validate_scope(scope)
        for violation in report.violations:
            for resource in violation.violating_resources:
                found.append(f"{violation.rule_name} @ {resource.construct_path}: {violation.description}")
    return sorted(set(found))


def assert_no_nag_findings(scope: IConstruct) -> None:
    findings = nag_findings(scope)
    assert findings == [], "unacknowledged cdk-nag findings:\n" + "\n".join(findings)


# One masking for the snapshot tests and the policy gate's snapshot comparison.
normalize_template = policy_normalize_template


def template_of(stack: Stack) -> Template:
    return Template.from_stack(stack)


@dataclass(frozen=True)
class Built:
    """What a module's test app gives every test once: each stack's template by stack name, and the app's
    unacknowledged nag findings. Module fixtures build their constructs, then keep this beside them."""

    templates: dict[str, dict[str, Any]]
    findings: list[str]

    @classmethod
    def of(cls, app: App, *stacks: Stack) -> Built:
        return cls({s.stack_name: Template.from_stack(s).to_json() for s in stacks}, nag_findings(app))


def cfn_lint(template: Mapping[str, Any], *, region: str = "us-east-1", errors_only: bool = False) -> list[str]:
    """cfn-lint's matches on ``template`` (errors only with ``errors_only``), kept between runs by template text."""
    return [str(m) for m in lint_template(dict(template), region) if m.is_error or not errors_only]


#: A brought network of two AZs in us-east-1, for constructs that only need some network.
TWO_AZ_NETWORK = ExistingNetworkProps(
    vpc_id="vpc-0a1b2c3d",
    vpc_cidr="10.0.0.0/16",
    availability_zones=("us-east-1a", "us-east-1b"),
    private_subnet_ids=("subnet-0a1b2c3d", "subnet-1a1b2c3d"),
)
