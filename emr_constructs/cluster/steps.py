"""Work the cluster runs from local files: bootstrap actions on every node, and Spark steps."""

from __future__ import annotations

from dataclasses import dataclass

from emr_constructs.cluster.enums import ActionOnFailure


@dataclass(frozen=True, kw_only=True)
class BootstrapAction:
    """A script every node runs before applications start, shipped from a local file as a CDK asset."""

    name: str
    """Name shown by EMR. Required."""
    script: str
    """Path of the local script (relative to the directory ``cdk`` runs in). Required."""
    args: tuple[str, ...] = ()
    """Arguments passed to the script. Default: none."""


@dataclass(frozen=True, kw_only=True)
class SparkStep:
    """A ``spark-submit`` of a local script or jar (shipped as a CDK asset) through ``command-runner.jar``.

    Steps are part of the cluster resource: CloudFormation replaces the cluster when they change, so use them
    for the first jobs of a transient cluster and submit the rest with ``grant_add_steps``.
    """

    name: str
    """Name shown by EMR. Required."""
    script: str
    """Path of the local ``.py`` or ``.jar`` (relative to the directory ``cdk`` runs in). Required."""
    args: tuple[str, ...] = ()
    """Arguments after the script. Default: none."""
    spark_submit_options: tuple[str, ...] = ("--deploy-mode", "cluster")
    """Options before the script. Default ``--deploy-mode cluster`` (the driver runs on YARN, not the primary)."""
    action_on_failure: ActionOnFailure = ActionOnFailure.CONTINUE
    """Default ``CONTINUE``: a failed step leaves the cluster running (the only choice with step concurrency > 1)."""
