"""Register the Guard validator and acknowledge its findings per resource."""

from __future__ import annotations

import json
import re
import tarfile
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jsii
from aws_cdk import (
    Acknowledgment,
    App,
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyValidationPluginReportBeta1,
    PolicyViolatingResource,
    PolicyViolation,
    Validations,
)
from cdklabs.cdk_validator_cfnguard import CfnGuardValidator
from constructs import IConstruct

#: The plugin's name in ``validation-report.json``; CDK matches acknowledgements ``<plugin>::<rule>`` against it.
GUARD_PLUGIN = "cdk-validator-cfnguard"
#: The library's own rule files (for what the bundled Control Tower rules do not check).
RULES_DIR = Path(__file__).parent / "rules"


class GuardRule(StrEnum):
    """Guard rule names (the ``rule`` names inside the ``.guard`` files) the library's constructs acknowledge."""

    # Control Tower proactive controls bundled with cdklabs-cdk-validator-cfnguard.
    S3_OBJECT_LOCK = "s3_bucket_object_lock_enabled_check"  # CT.S3.PR.9
    S3_EVENT_NOTIFICATIONS = "s3_event_notifications_enabled_check"  # CT.S3.PR.4
    S3_DEFAULT_ENCRYPTION_KMS = "s3_bucket_default_encryption_kms_check"  # CT.S3.PR.10
    S3_LOGGING = "s3_bucket_logging_enabled_check"  # CT.S3.PR.2
    LAMBDA_IN_VPC = "lambda_inside_vpc_check"  # CT.LAMBDA.PR.3
    SQS_DLQ = "sqs_dlq_check"  # CT.SQS.PR.1
    LOG_GROUP_RETENTION = "cloudwatch_log_group_retention_period_check"  # CT.CLOUDWATCH.PR.2
    LOG_GROUP_ENCRYPTED = "cloudwatch_log_group_encrypted_check"  # CT.CLOUDWATCH.PR.3
    REDSHIFT_AUDIT_LOGGING = "redshift_cluster_audit_logging_enabled_check"  # CT.REDSHIFT.PR.2
    RDS_MULTI_AZ = "rds_instance_multi_az_support_check"  # CT.RDS.PR.1
    RDS_ENHANCED_MONITORING = "rds_instance_enhanced_monitoring_enabled_check"  # CT.RDS.PR.2
    RDS_NO_DEFAULT_PORT = "rds_instance_no_default_ports_check"  # CT.RDS.PR.20
    # The library's rules (rules/security_group_egress.guard): inline and separate egress rules.
    EGRESS_OPEN_TO_WORLD = "security_group_egress_open_to_world_check"
    EGRESS_RESOURCE_OPEN_TO_WORLD = "security_group_egress_resource_open_to_world_check"
    EGRESS_ALL_PROTOCOLS = "security_group_egress_all_protocols_check"
    EGRESS_RESOURCE_ALL_PROTOCOLS = "security_group_egress_resource_all_protocols_check"
    EGRESS_DECLARED = "security_group_egress_declared_check"


def guard_validator(*, control_tower: bool = True, extra_rules: Iterable[str | Path] = ()) -> IPolicyValidationPlugin:
    """The Guard plugin with the Control Tower rules (unless ``control_tower=False``), the library's rule files
    and ``extra_rules`` (Guard rule files or folders holding only rule files).

    Each synth runs only the Control Tower rules that can apply: those naming a resource type the templates
    hold, and those naming none. cfn-guard's time grows with rules x templates, and most of the 237 bundled
    rules are for services a data platform does not use; a skipped rule could only have found nothing.
    """
    return _ApplicableGuardRules(control_tower=control_tower, rules=[str(RULES_DIR), *map(str, extra_rules)])


def add_guard_validator(
    app: App, *, control_tower: bool = True, extra_rules: Iterable[str | Path] = ()
) -> IPolicyValidationPlugin:
    """Run :func:`guard_validator` at synth over every stack of ``app`` (register once, on the App, as the packs)."""
    validator = guard_validator(control_tower=control_tower, extra_rules=extra_rules)
    Validations.of(app).add_plugins(validator)
    return validator


_RESOURCE_TYPE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")


@cache
def control_tower_rule_types() -> Mapping[str, frozenset[str]]:
    """Each bundled Control Tower rule file's name and the resource types it names (read from the package)."""
    package = resources.files("cdklabs.cdk_validator_cfnguard") / "_jsii"
    [bundle] = [entry for entry in package.iterdir() if entry.name.endswith(".jsii.tgz")]
    found: dict[str, frozenset[str]] = {}
    with bundle.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and "/rules/control-tower/" in member.name and member.name.endswith(".guard"):
                text = cast(Any, tar.extractfile(member)).read().decode("utf-8")
                found[Path(member.name).stem] = frozenset(_RESOURCE_TYPE.findall(text))
    return found


def inapplicable_rules(resource_types: Iterable[str]) -> list[str]:
    """The Control Tower rules that name resource types, none of them among ``resource_types``."""
    present = set(resource_types)
    return sorted(name for name, types in control_tower_rule_types().items() if types and not types & present)


@jsii.implements(IPolicyValidationPlugin)
class _ApplicableGuardRules:
    """``CfnGuardValidator`` over the rules that apply to the synthesized templates (see :func:`guard_validator`)."""

    def __init__(self, *, control_tower: bool, rules: list[str]) -> None:
        self._control_tower = control_tower
        self._rules = rules
        self._all = CfnGuardValidator(control_tower_rules_enabled=control_tower, rules=rules)

    @property
    def name(self) -> str:
        return GUARD_PLUGIN

    @property
    def version(self) -> str | None:
        return self._all.version

    @property
    def rule_ids(self) -> list[str] | None:
        return self._all.rule_ids

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        types: set[str] = set()
        for stack in context.stack_templates:
            with open(stack.template_path, encoding="utf-8") as template:
                types.update(r["Type"] for r in json.load(template).get("Resources", {}).values())
        applicable = CfnGuardValidator(
            control_tower_rules_enabled=self._control_tower,
            rules=self._rules,
            disabled_rules=inapplicable_rules(types) if self._control_tower else [],
        )
        return _report(applicable.validate(cast(Any, context)))


def _report(beta: PolicyValidationPluginReportBeta1) -> PolicyValidationPluginReport:
    """The package's report (the plugin API's Beta1 shape) in the shape a Python plugin returns."""
    return PolicyValidationPluginReport(
        success=beta.success,
        metadata=beta.metadata,
        plugin_version=beta.plugin_version,
        violations=[
            PolicyViolation(
                rule_name=violation.rule_name,
                description=violation.description,
                fix=violation.fix,
                rule_metadata=violation.rule_metadata,
                severity=violation.severity,
                violating_resources=[
                    PolicyViolatingResource(
                        locations=list(resource.locations),
                        resource_logical_id=resource.resource_logical_id,
                        template_path=resource.template_path,
                    )
                    for resource in violation.violating_resources
                ],
            )
            for violation in beta.violations
        ],
    )


def acknowledge_guard(scope: IConstruct, rules: Iterable[GuardRule | str], reason: str) -> None:
    """Acknowledge Guard ``rules`` on ``scope`` and its children (one resource, never a stack) with ``reason``."""
    validations = Validations.of(scope)
    for rule in rules:
        validations.acknowledge(Acknowledgment(id=f"{GUARD_PLUGIN}::{rule}", reason=reason))
