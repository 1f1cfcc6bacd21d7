"""The policy packs every synthesized stack must pass; registered once, on the App, after the stages exist."""

from __future__ import annotations

from aws_cdk import App

from emr_constructs.nag import add_policy_packs


def register_policy_packs(app: App) -> None:
    """AwsSolutions, NIST 800-53 r5, HIPAA, PCI DSS 3.2.1 and the library's EmrChecks (plus Serverless when
    the app has Lambda functions); a finding fails the synth. Acknowledgements are copied into each
    resource's template metadata so an auditor sees them in the deployed template."""
    add_policy_packs(app)
