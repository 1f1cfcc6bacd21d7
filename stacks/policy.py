"""What every synth of the bundled app checks: CloudFormation's limits and the policy packs."""

from __future__ import annotations

from aws_cdk import App

from emr_constructs.guard import add_guard_validator
from emr_constructs.limits import DEFAULT_ADVICE, CloudFormationLimits
from emr_constructs.policy import add_policy_packs


def split_advice(stack_path: str) -> str:
    """How to get a stack of the bundled app under a CloudFormation limit: clusters move by a setting."""
    if stack_path.rsplit("/", 1)[-1].startswith("Compute"):
        return "split the stack (move clusters to another compute stack with compute.clusters.<name>.stack)"
    return DEFAULT_ADVICE


def register_limits(app: App) -> None:
    """Fail synth, with the stack and how to split it, above 500 resources or 1 MB of template per stack."""
    CloudFormationLimits.apply(app, advice=split_advice)


def register_policy_packs(app: App) -> None:
    """AwsSolutions, NIST 800-53 r5, HIPAA, PCI DSS 3.2.1 and the library's EmrChecks (plus Serverless when
    the app has Lambda functions), and the CloudFormation Guard rules (Control Tower proactive controls and
    the library's rule files); a finding fails the synth. Acknowledgements are copied into each
    resource's template metadata so an auditor sees them in the deployed template."""
    add_policy_packs(app)
    add_guard_validator(app)
