"""Register the Guard validator and acknowledge its findings per resource."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import cast

from aws_cdk import Acknowledgment, App, IPolicyValidationPlugin, Validations
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
    # The library's rules (rules/security_group_egress.guard): inline and separate egress rules.
    EGRESS_OPEN_TO_WORLD = "security_group_egress_open_to_world_check"
    EGRESS_RESOURCE_OPEN_TO_WORLD = "security_group_egress_resource_open_to_world_check"
    EGRESS_ALL_PROTOCOLS = "security_group_egress_all_protocols_check"
    EGRESS_RESOURCE_ALL_PROTOCOLS = "security_group_egress_resource_all_protocols_check"
    EGRESS_DECLARED = "security_group_egress_declared_check"


def guard_validator(*, control_tower: bool = True, extra_rules: Iterable[str | Path] = ()) -> CfnGuardValidator:
    """The Guard plugin with the Control Tower rules (unless ``control_tower=False``), the library's rule files
    and ``extra_rules`` (Guard rule files or folders holding only rule files)."""
    return CfnGuardValidator(
        control_tower_rules_enabled=control_tower,
        rules=[str(RULES_DIR), *(str(path) for path in extra_rules)],
    )


def add_guard_validator(
    app: App, *, control_tower: bool = True, extra_rules: Iterable[str | Path] = ()
) -> CfnGuardValidator:
    """Run :func:`guard_validator` at synth over every stack of ``app`` (register once, on the App, as the packs)."""
    validator = guard_validator(control_tower=control_tower, extra_rules=extra_rules)
    # The package types itself against IPolicyValidationPluginBeta1; the shape is the one Validations runs.
    Validations.of(app).add_plugins(cast(IPolicyValidationPlugin, validator))
    return validator


def acknowledge_guard(scope: IConstruct, rules: Iterable[GuardRule | str], reason: str) -> None:
    """Acknowledge Guard ``rules`` on ``scope`` and its children (one resource, never a stack) with ``reason``."""
    validations = Validations.of(scope)
    for rule in rules:
        validations.acknowledge(Acknowledgment(id=f"{GUARD_PLUGIN}::{rule}", reason=reason))
