"""Find a deployed environment: its stacks, the outputs they export, and its clusters.

The stacks export what the CLI needs under stable names (``emr-platform-<env>-ArtifactsBucketName``,
``emr-platform-<env>-cluster-<name>-id``, ...), so nothing here depends on logical ids or stack layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emr_constructs.cli.errors import CliError

EXPORT_PREFIX = "emr-platform"
ARTIFACTS_BUCKET = "ArtifactsBucketName"
LOGS_BUCKET = "LogsBucketName"
DATA_LAKE_KEY = "DataLakeKeyArn"

# Stack names are "<env>-<Stack>": one CDK Stage per environment, one CamelCase id per stack.
_STACK_SUFFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_GONE = {"DELETE_COMPLETE"}


def export_name(env: str, key: str) -> str:
    """The export name of an environment-wide output, e.g. ``emr-platform-dev-ArtifactsBucketName``."""
    return f"{EXPORT_PREFIX}-{env}-{key}"


def cluster_export_name(env: str, cluster: str, attribute: str) -> str:
    """The export name of a cluster attribute (``id`` or ``log-uri``), e.g. ``emr-platform-dev-cluster-etl-id``."""
    return f"{EXPORT_PREFIX}-{env}-cluster-{cluster}-{attribute}"


@dataclass(frozen=True)
class DeployedStack:
    name: str
    status: str
    status_reason: str | None
    outputs: dict[str, str]
    """Output key -> value."""
    exports: dict[str, str]
    """Export name -> value."""


@dataclass(frozen=True)
class ClusterRef:
    """A cluster of the environment, as its stacks export it."""

    name: str
    cluster_id: str
    log_uri: str | None


@dataclass(frozen=True)
class Platform:
    """One deployed environment in one region."""

    env: str
    region: str
    stacks: tuple[DeployedStack, ...]

    @property
    def exports(self) -> dict[str, str]:
        return {name: value for stack in self.stacks for name, value in stack.exports.items()}

    def require_export(self, key: str) -> str:
        name = export_name(self.env, key)
        value = self.exports.get(name)
        if value is None:
            raise CliError(
                f"environment {self.env!r} in {self.region} exports no {name}: "
                f"is its data lake stack deployed? (stacks found: {self.stack_names()})"
            )
        return value

    def optional_export(self, key: str) -> str | None:
        return self.exports.get(export_name(self.env, key))

    def stack_names(self) -> str:
        return ", ".join(s.name for s in self.stacks)

    @property
    def clusters(self) -> tuple[ClusterRef, ...]:
        pattern = re.compile(rf"^{re.escape(EXPORT_PREFIX)}-{re.escape(self.env)}-cluster-(?P<name>.+)-id$")
        exports = self.exports
        found = []
        for name, value in exports.items():
            match = pattern.match(name)
            if match:
                cluster = match.group("name")
                log_uri = exports.get(cluster_export_name(self.env, cluster, "log-uri"))
                found.append(ClusterRef(name=cluster, cluster_id=value, log_uri=log_uri))
        return tuple(sorted(found, key=lambda c: c.name))

    def cluster(self, selector: str | None) -> ClusterRef:
        """The cluster named ``selector`` (its settings key, or its ``j-...`` id); the only one when ``None``."""
        clusters = self.clusters
        known = ", ".join(f"{c.name} ({c.cluster_id})" for c in clusters) or "none (is its compute stack deployed?)"
        if selector is None:
            if len(clusters) == 1:
                return clusters[0]
            raise CliError(f"pass --cluster: environment {self.env!r} has clusters: {known}")
        for cluster in clusters:
            if selector in (cluster.name, cluster.cluster_id):
                return cluster
        raise CliError(f"no cluster {selector!r} in environment {self.env!r} ({self.region}); its clusters: {known}")


def discover(cloudformation: Any, env: str, region: str) -> Platform:
    """Read every stack named ``<env>-<Stack>`` in the region; fail with the fix when there is none."""
    found: list[tuple[str, DeployedStack]] = []
    for page in cloudformation.get_paginator("describe_stacks").paginate():
        for stack in page["Stacks"]:
            name = stack["StackName"]
            prefix, _, suffix = name.partition(f"{env}-")
            if prefix or not _STACK_SUFFIX.match(suffix) or stack["StackStatus"] in _GONE:
                continue
            outputs = stack.get("Outputs", [])
            created = stack.get("CreationTime")
            deployed = DeployedStack(
                name=name,
                status=stack["StackStatus"],
                status_reason=stack.get("StackStatusReason"),
                outputs={o["OutputKey"]: o["OutputValue"] for o in outputs},
                exports={o["ExportName"]: o["OutputValue"] for o in outputs if o.get("ExportName")},
            )
            found.append((created.isoformat() if created else "", deployed))
    if not found:
        raise CliError(
            f"environment {env!r} is not deployed in {region}: no CloudFormation stack named '{env}-*' "
            f"(deploy it with `cdk deploy '{env}/*'`, or pass the --region it was deployed to)"
        )
    # Creation order is deployment order, which follows the stacks' dependencies.
    found.sort(key=lambda item: (item[0], item[1].name))
    return Platform(env=env, region=region, stacks=tuple(stack for _, stack in found))
