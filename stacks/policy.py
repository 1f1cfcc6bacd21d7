"""The policy packs every synthesized stack must pass; registered once, on the App."""

from __future__ import annotations

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks


def register_policy_packs(app: App) -> None:
    """Register the packs on the App: they cover every Stage's stacks, and a finding fails ``cdk synth``.

    Acknowledgements are copied into each resource's template metadata so an auditor sees them in
    the deployed template.
    """
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True),
        NIST80053R5Checks(app, write_suppressions_to_cloud_formation=True),
        HIPAASecurityChecks(app, write_suppressions_to_cloud_formation=True),
        PCIDSS321Checks(app, write_suppressions_to_cloud_formation=True),
    )
