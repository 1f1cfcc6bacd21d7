"""Apply the discovery tags (``emr_constructs.discovery``) in a CDK app, so ``emr-platform`` finds its clusters."""

from __future__ import annotations

from aws_cdk import Tags
from constructs import IConstruct

from emr_constructs.discovery import CLUSTER_TAG, ENVIRONMENT_TAG, check_tag_value
from emr_constructs.errors import EmrConfigError


def _checked(scope: IConstruct, field: str, value: str) -> str:
    problem = check_tag_value(field, value)
    if problem:
        raise EmrConfigError(f"{scope.node.path or '<app>'}: {problem}")
    return value


def tag_platform_environment(scope: IConstruct, name: str) -> None:
    """Tag every taggable resource under ``scope`` (a ``Stage`` or ``Stack`` of one environment) with the
    environment's name, so ``emr-platform --env NAME`` finds the clusters of any app."""
    Tags.of(scope).add(ENVIRONMENT_TAG, _checked(scope, "environment", name))


def tag_platform_cluster(scope: IConstruct, name: str) -> None:
    """Tag the resources under ``scope`` (an ``EmrCluster``) with the cluster's name, as ``--cluster NAME`` finds it."""
    Tags.of(scope).add(CLUSTER_TAG, _checked(scope, "cluster", name))
