"""Removal safety for stateful resources (buckets, keys, log groups, warehouses).

Nothing stateful is deleted by accident: every construct of this library takes a
``removal_policy`` prop that defaults to ``RETAIN``, and a requested ``DESTROY``
only takes effect when the app was started with the explicit opt-in context flag::

    cdk deploy "dev/*" -c emr-platform:allow-destroy=true

Without the flag a requested ``DESTROY`` is reverted to ``RETAIN`` and a warning
annotation names the construct, so ``cdk synth`` shows what was kept.
"""

from __future__ import annotations

from aws_cdk import Annotations, RemovalPolicy
from constructs import Construct

#: Context key of the explicit opt-in that lets ``RemovalPolicy.DESTROY`` through.
ALLOW_DESTROY_CONTEXT = "emr-platform:allow-destroy"


def destroy_allowed(scope: Construct) -> bool:
    """True when the opt-in context flag is set (``true``, ``"true"``, ``"1"``, ``"yes"``)."""
    value = scope.node.try_get_context(ALLOW_DESTROY_CONTEXT)
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return value is True


def safe_removal_policy(scope: Construct, requested: RemovalPolicy | None) -> RemovalPolicy:
    """The removal policy a stateful child of ``scope`` gets.

    ``None`` means the safe default, ``RETAIN``. ``DESTROY`` without the opt-in
    flag is reverted to ``RETAIN`` with a warning on ``scope``.
    """
    if requested is None:
        return RemovalPolicy.RETAIN
    if requested == RemovalPolicy.DESTROY and not destroy_allowed(scope):
        Annotations.of(scope).add_warning_v2(
            "emr-platform:destroy-reverted",
            f"RemovalPolicy.DESTROY was requested but context '{ALLOW_DESTROY_CONTEXT}' is not true: "
            "kept RETAIN so no data is lost. Pass -c emr-platform:allow-destroy=true to really destroy.",
        )
        return RemovalPolicy.RETAIN
    return requested
