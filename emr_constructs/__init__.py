"""Typed AWS CDK constructs for Amazon EMR data platforms (EMR on EC2, EMR Serverless, EMR Studio).

Props validate themselves once, when they are built, and every construct checks its arguments' types and the
resources it is handed, so a template that EMR, S3, Glue or Redshift would reject at deploy time is never written.

Subpackages, one concept each:

- ``emr_constructs.network``: ``DataPlatformVpc``, ``ExistingNetwork``, ``EmrSecurityGroups``
- ``emr_constructs.storage``: ``DataLake``, ``Zone``
- ``emr_constructs.iam``: ``EmrRoles``, ``apply_permissions_boundary``
- ``emr_constructs.cluster``: ``EmrCluster``, ``EmrSecurityConfiguration``, capacity types, the release table
- ``emr_constructs.catalog``: ``DataCatalog``, ``GlueJob``, ``grant_zone_access``
- ``emr_constructs.serverless``: ``EmrServerlessApplication`` (Spark, Hive) and its job runtime role
- ``emr_constructs.studio``: ``EmrStudio``
- ``emr_constructs.warehouse``: ``Warehouse``
- ``emr_constructs.sources``: ``RelationalDatabase``, ``DynamoTable``, ``KinesisStream``, ``DataCompute``
- ``emr_constructs.orchestration``: ``ClusterStepsPipeline``, ``TransientClusterPipeline``, ``ServerlessJobPipeline``,
  ``WorkloadAssets``
- ``emr_constructs.monitoring``: ``PlatformMonitoring``
- ``emr_constructs.policy``: ``EmrChecks`` (a cdk-nag pack), ``add_policy_packs``, acknowledgement helpers
- ``emr_constructs.baseline``: ``EmrBlockPublicAccess`` (per account and region) and ``check_single_owner``
- ``emr_constructs.discovery`` / ``discovery_tags``: the tags the CLI finds clusters by
- ``emr_constructs.props`` / ``settings``: ``ValidatedProps`` (``from_dict``, ``from_file``) and the settings parser
- ``emr_constructs.arguments``: ``checked_arguments``, the runtime type checks of every public construct
- ``emr_constructs.cli``: the ``emr-platform`` operator CLI (needs the ``cli`` extra, boto3)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emr_constructs.errors import Checks, EmrConfigError, Problem
    from emr_constructs.removal import ALLOW_DESTROY_CONTEXT, safe_removal_policy

# Loaded on first use: importing the package must not start jsii/Node.js, because the operator CLI
# (``emr_constructs.cli``) lives under it and runs where no Node.js exists.
_LAZY = {
    "Checks": "emr_constructs.errors",
    "EmrConfigError": "emr_constructs.errors",
    "Problem": "emr_constructs.errors",
    "ALLOW_DESTROY_CONTEXT": "emr_constructs.removal",
    "safe_removal_policy": "emr_constructs.removal",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'emr_constructs' has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "ALLOW_DESTROY_CONTEXT",
    "Checks",
    "EmrConfigError",
    "Problem",
    "safe_removal_policy",
]
