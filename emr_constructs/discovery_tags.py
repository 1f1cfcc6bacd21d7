"""Apply the discovery tags (``emr_constructs.discovery``) in a CDK app, so ``emr-platform`` finds its clusters."""

from __future__ import annotations

from aws_cdk import Tags
from constructs import IConstruct

from emr_constructs.discovery import (
    APPLICATION_TAG,
    CLUSTER_TAG,
    ENVIRONMENT_TAG,
    TAG_VALUE_ALLOWED,
    TAG_VALUE_RULE,
    is_valid_tag_value,
)
from emr_constructs.errors import Checks


def _checked(scope: IConstruct, field: str, value: str) -> str:
    checks = Checks()
    checks.require(is_valid_tag_value(value), field, value, TAG_VALUE_RULE, TAG_VALUE_ALLOWED)
    checks.raise_if_any(scope.node.path or "<app>")
    return value


def tag_platform_environment(scope: IConstruct, name: str) -> None:
    """Tag every taggable resource under ``scope`` (a ``Stage`` or ``Stack`` of one environment) with the
    environment's name, so ``emr-platform --env NAME`` finds the clusters of any app."""
    Tags.of(scope).add(ENVIRONMENT_TAG, _checked(scope, "environment", name))


def tag_platform_cluster(scope: IConstruct, name: str) -> None:
    """Tag the resources under ``scope`` (an ``EmrCluster``) with the cluster's name, as ``--cluster NAME`` finds it."""
    Tags.of(scope).add(CLUSTER_TAG, _checked(scope, "cluster", name))


def tag_platform_application(scope: IConstruct, name: str) -> None:
    """Tag the resources under ``scope`` (an ``EmrServerlessApplication``) with the application's name, as
    ``--app NAME`` finds it."""
    Tags.of(scope).add(APPLICATION_TAG, _checked(scope, "application", name))
