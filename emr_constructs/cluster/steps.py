"""Work the cluster runs from local files: bootstrap actions on every node, and Spark steps."""

from __future__ import annotations

from dataclasses import dataclass

from emr_constructs.choices import is_member, require_member, value_of
from emr_constructs.cluster.enums import ActionOnFailure
from emr_constructs.errors import Checks

#: Bootstrap actions per cluster, at most (RunJobFlow).
MAX_BOOTSTRAP_ACTIONS = 16


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


def work_problems(
    checks: Checks,
    bootstrap_actions: tuple[BootstrapAction, ...],
    steps: tuple[SparkStep, ...],
    *,
    step_concurrency_level: int | None,
) -> None:
    """Bootstrap actions and steps: names and scripts given, at most 16 actions, and what concurrent steps allow."""
    checks.require(
        len(bootstrap_actions) <= MAX_BOOTSTRAP_ACTIONS,
        "bootstrap_actions",
        len(bootstrap_actions),
        "too many bootstrap actions",
        f"at most {MAX_BOOTSTRAP_ACTIONS}",
    )
    for index, action in enumerate(bootstrap_actions):
        checks.require(
            bool(action.name.strip()), f"bootstrap_actions[{index}].name", action.name, "empty name", "a name"
        )
        checks.require(
            bool(action.script.strip()),
            f"bootstrap_actions[{index}].script",
            action.script,
            "empty path",
            "a local file",
        )
    concurrent = (step_concurrency_level or 1) > 1
    for index, step in enumerate(steps):
        checks.require(bool(step.name.strip()), f"steps[{index}].name", step.name, "empty name", "a name")
        checks.require(bool(step.script.strip()), f"steps[{index}].script", step.script, "empty path", "a local file")
        if not is_member(ActionOnFailure, step.action_on_failure):
            require_member(checks, ActionOnFailure, f"steps[{index}].action_on_failure", step.action_on_failure)
        elif concurrent:
            checks.require(
                step.action_on_failure == ActionOnFailure.CONTINUE,
                f"steps[{index}].action_on_failure",
                value_of(step.action_on_failure),
                "with step concurrency above 1, EMR only accepts steps that CONTINUE on failure",
                "CONTINUE, or step_concurrency_level 1",
            )
