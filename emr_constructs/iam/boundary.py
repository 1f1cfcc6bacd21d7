"""Permissions boundary for every role under a scope (a stage or the app), as an Aspect."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import IConstruct


def apply_permissions_boundary(scope: IConstruct, policy: iam.IManagedPolicy) -> None:
    """Attach ``policy`` as permissions boundary to every IAM role and user under ``scope``.

    Call it once, on the stage or app, so roles of every construct (and those CDK creates for custom
    resources) get it, including roles added later in the tree. It is CDK's own
    ``iam.PermissionsBoundary.of(scope).apply(policy)``, an Aspect that sets ``PermissionsBoundary`` on each
    ``AWS::IAM::Role`` and ``AWS::IAM::User`` at synth time; roles that are imported (brought) are not
    changed, their boundary is the owner's business.
    """
    iam.PermissionsBoundary.of(scope).apply(policy)
