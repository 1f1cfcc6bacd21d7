"""CloudFormation Guard rules at synth: the Control Tower proactive controls plus the library's own rule files.

One line adds them to any CDK app, next to the cdk-nag packs (:func:`emr_constructs.policy.add_policy_packs`)::

    from emr_constructs.guard import add_guard_validator
    add_guard_validator(app)

``cdklabs-cdk-validator-cfnguard`` ships the ``cfn-guard`` binary and the Control Tower rules, so this runs
offline. A finding fails the synth like a pack's. Where a rule cannot see what CDK writes, or the finding is an
accepted design choice, acknowledge it on the resource with :func:`acknowledge_guard` and a reason a reviewer
can check; never disable a rule for the whole app.
"""

from emr_constructs.guard.key_policy import restrict_grants_to_aws_services
from emr_constructs.guard.validator import (
    GUARD_PLUGIN,
    RULES_DIR,
    GuardRule,
    acknowledge_guard,
    add_guard_validator,
    guard_validator,
)

__all__ = [
    "GUARD_PLUGIN",
    "RULES_DIR",
    "GuardRule",
    "acknowledge_guard",
    "add_guard_validator",
    "guard_validator",
    "restrict_grants_to_aws_services",
]
