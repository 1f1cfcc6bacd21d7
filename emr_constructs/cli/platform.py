"""Find a deployed environment: its stacks, the outputs they export, and its clusters.

Clusters and EMR Serverless applications are found two ways, so the CLI serves any app built with the library, not
only the bundled one:

- by the discovery tags every ``EmrCluster`` writes (``emr-platform:environment``, ``emr-platform:cluster``, see
  ``emr_constructs.discovery``), read through EMR ``ListClusters``/``DescribeCluster`` over active clusters;
- by the stable export names the bundled app's stacks write (``emr-platform-<env>-cluster-<name>-id``, ...).

Applications likewise: by the ``emr-platform:application`` tag ``EmrServerlessApplication`` writes (EMR Serverless
``ListApplications``/``GetApplication``), and by ``emr-platform-<env>-serverless-<name>-id``/``-role-arn``/``-log-uri``.
A ``j-...`` cluster id or an application id needs neither: ``cluster_by_id``/``application_by_id`` describe it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from emr_constructs.cli.errors import CliError
from emr_constructs.discovery import (
    ARTIFACTS_BUCKET,
    DATA_LAKE_KEY,
    ENVIRONMENT_TAG,
    EXPORT_PREFIX,
    LOGS_BUCKET,
    application_export_name,
    cluster_export_name,
    export_name,
    read_tags,
)

RefT = TypeVar("RefT")

__all__ = [
    "ARTIFACTS_BUCKET",
    "DATA_LAKE_KEY",
    "EXPORT_PREFIX",
    "LOGS_BUCKET",
    "ApplicationRef",
    "ClusterRef",
    "DeployedStack",
    "Platform",
    "application_by_id",
    "cluster_by_id",
    "cluster_export_name",
    "discover",
    "export_name",
    "tagged_clusters",
]


# Stack names are "<env>-<Stack>": one CDK Stage per environment, one CamelCase id per stack.
_STACK_SUFFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_GONE = {"DELETE_COMPLETE"}
#: The states in which a cluster can still run steps: what tag discovery lists.
ACTIVE_STATES = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING")
CLUSTER_ID = re.compile(r"^j-[A-Z0-9]{1,256}$")
#: EMR Serverless application ids are 16 lower-case letters and digits (e.g. ``00fbc1dqlm4o8e09``).
APPLICATION_ID = re.compile(r"^[0-9a-z]{16}$")
#: Application states tag discovery skips: a terminated application runs nothing again.
_ENDED_APPLICATION_STATES = {"TERMINATED"}


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
    """A cluster of the environment, as its stacks export it or its tags name it."""

    name: str
    cluster_id: str
    log_uri: str | None
    environment: str | None = None
    """The environment its tags name (``None`` for an untagged cluster found by id)."""


@dataclass(frozen=True)
class ApplicationRef:
    """An EMR Serverless application of the environment, as its stacks export it or its tags name it."""

    name: str
    application_id: str
    role_arn: str | None
    """Its job runtime role (exported; the EMR Serverless API does not name it)."""
    log_uri: str | None
    environment: str | None = None


@dataclass(frozen=True)
class Platform:
    """One deployed environment in one region."""

    env: str
    region: str
    stacks: tuple[DeployedStack, ...]
    tagged: tuple[ClusterRef, ...] = ()
    """Active clusters tagged ``emr-platform:environment=<env>``."""
    listed_exports: dict[str, str] = field(default_factory=dict)
    """``emr-platform-<env>-*`` exports of any stack (e.g. ``PlatformOutputs`` in a team's own app)."""
    tagged_applications: tuple[ApplicationRef, ...] = ()
    """EMR Serverless applications tagged ``emr-platform:environment=<env>``."""

    @property
    def exports(self) -> dict[str, str]:
        return {**self.listed_exports, **{n: v for stack in self.stacks for n, v in stack.exports.items()}}

    def require_export(self, key: str) -> str:
        name = export_name(self.env, key)
        value = self.exports.get(name)
        if value is None:
            raise CliError(
                f"environment {self.env!r} in {self.region} exports no {name}: pass --bucket BUCKET "
                f"(the artifacts bucket of the environment's data lake), or deploy its data lake stack "
                f"(stacks found: {self.stack_names() or 'none'})"
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
                found.append(ClusterRef(name=cluster, cluster_id=value, log_uri=log_uri, environment=self.env))
        exported = {c.cluster_id for c in found}
        found += [c for c in self.tagged if c.cluster_id not in exported]
        return tuple(sorted(found, key=lambda c: (c.name, c.cluster_id)))

    def cluster(self, selector: str | None) -> ClusterRef:
        """The cluster named ``selector`` (its settings key, or its ``j-...`` id); the only one when ``None``."""
        return _select(
            self.clusters,
            selector,
            matches=lambda c, wanted: wanted in (c.name, c.cluster_id),
            label=lambda c: f"{c.name} ({c.cluster_id})",
            none=f"environment {self.env!r} has no active cluster in {self.region}: none is tagged "
            f"{ENVIRONMENT_TAG}={self.env} or exported by its stacks; deploy its compute stack, "
            f"or pass --cluster j-... to use any cluster by id",
            several=f"pass --cluster NAME or --cluster j-...: environment {self.env!r} has clusters",
            unknown=f"in environment {self.env!r} ({self.region}); its clusters",
            kind="cluster",
        )

    @property
    def applications(self) -> tuple[ApplicationRef, ...]:
        pattern = re.compile(rf"^{re.escape(EXPORT_PREFIX)}-{re.escape(self.env)}-serverless-(?P<name>.+)-id$")
        exports = self.exports
        tagged = {a.application_id: a for a in self.tagged_applications}
        found = []
        for name, value in exports.items():
            match = pattern.match(name)
            if match:
                key = match.group("name")
                seen = tagged.pop(value, None)
                found.append(
                    ApplicationRef(
                        name=key,
                        application_id=value,
                        role_arn=exports.get(application_export_name(self.env, key, "role-arn")),
                        log_uri=exports.get(application_export_name(self.env, key, "log-uri"))
                        or (seen.log_uri if seen else None),
                        environment=self.env,
                    )
                )
        found += tagged.values()
        return tuple(sorted(found, key=lambda a: (a.name, a.application_id)))

    def application(self, selector: str | None) -> ApplicationRef:
        """The application named ``selector`` (its construct id lowercased, its EMR name or its id)."""
        return _select(
            self.applications,
            selector,
            matches=lambda a, wanted: wanted.lower() in (a.name.lower(), a.application_id),
            label=lambda a: f"{a.name} ({a.application_id})",
            none=f"environment {self.env!r} has no EMR Serverless application in {self.region}: none is tagged "
            f"{ENVIRONMENT_TAG}={self.env} or exported by its stacks; deploy its compute stack, "
            f"or pass --app APPLICATION-ID to use any application by id",
            several=f"pass --app NAME: environment {self.env!r} has applications",
            unknown=f"in environment {self.env!r} ({self.region}); its applications",
            kind="EMR Serverless application",
        )


def _application_ref(application: dict[str, Any]) -> ApplicationRef:
    identity = read_tags(application.get("tags") or {})
    monitoring = application.get("monitoringConfiguration") or {}
    return ApplicationRef(
        name=identity.application or str(application.get("name") or application["applicationId"]),
        application_id=application["applicationId"],
        role_arn=None,
        log_uri=(monitoring.get("s3MonitoringConfiguration") or {}).get("logUri"),
        environment=identity.environment,
    )


def tagged_applications(serverless: Any, env: str) -> tuple[ApplicationRef, ...]:
    """EMR Serverless applications tagged ``emr-platform:environment=<env>`` (not terminated). ``ListApplications``
    returns no tags, so each is read once with ``GetApplication``."""
    found = []
    for page in serverless.get_paginator("list_applications").paginate():
        for summary in page["applications"]:
            if summary.get("state") in _ENDED_APPLICATION_STATES:
                continue
            ref = _application_ref(serverless.get_application(applicationId=summary["id"])["application"])
            if ref.environment == env:
                found.append(ref)
    return tuple(sorted(found, key=lambda a: (a.name, a.application_id)))


def application_by_id(serverless: Any, application_id: str) -> ApplicationRef:
    """Any application by its id, in any app or none: its name comes from its ``emr-platform:application`` tag."""
    return _application_ref(serverless.get_application(applicationId=application_id)["application"])


def _ref(cluster: dict[str, Any]) -> ClusterRef:
    identity = read_tags(cluster.get("Tags", []))
    return ClusterRef(
        name=identity.cluster or str(cluster.get("Name", cluster["Id"])),
        cluster_id=cluster["Id"],
        log_uri=cluster.get("LogUri"),
        environment=identity.environment,
    )


def tagged_clusters(emr: Any, env: str) -> tuple[ClusterRef, ...]:
    """Active clusters tagged ``emr-platform:environment=<env>``. ``ListClusters`` returns no tags, so each
    active cluster is described once; an account rarely has more than a few dozen active clusters."""
    found = []
    for page in emr.get_paginator("list_clusters").paginate(ClusterStates=list(ACTIVE_STATES)):
        for summary in page["Clusters"]:
            cluster = emr.describe_cluster(ClusterId=summary["Id"])["Cluster"]
            ref = _ref(cluster)
            if ref.environment == env:
                found.append(ref)
    return tuple(sorted(found, key=lambda c: (c.name, c.cluster_id)))


def cluster_by_id(emr: Any, cluster_id: str) -> ClusterRef:
    """Any cluster by its ``j-...`` id, in any app or none: its name comes from its tags, else its EMR name."""
    return _ref(emr.describe_cluster(ClusterId=cluster_id)["Cluster"])


def discover(cloudformation: Any, env: str, region: str, emr: Any = None, serverless: Any = None) -> Platform:
    """Read every stack named ``<env>-<Stack>`` in the region and, given an EMR (EMR Serverless) client, the
    active clusters (applications) tagged with the environment; fail with the fix when none exists."""
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
    tagged = tagged_clusters(emr, env) if emr is not None else ()
    listed = _listed_exports(cloudformation, env)
    applications = tagged_applications(serverless, env) if serverless is not None else ()
    if not found and not tagged and not listed and not applications:
        raise CliError(
            f"environment {env!r} is not deployed in {region}: no CloudFormation stack named '{env}-*' and no "
            f"active EMR cluster tagged {ENVIRONMENT_TAG}={env} (deploy it with `cdk deploy '{env}/*'`, "
            f"pass the --region it was deployed to, or pass --cluster j-... to use a cluster by id)"
        )
    # Creation order is deployment order, which follows the stacks' dependencies.
    found.sort(key=lambda item: (item[0], item[1].name))
    stacks = tuple(stack for _, stack in found)
    return Platform(
        env=env,
        region=region,
        stacks=stacks,
        tagged=tagged,
        listed_exports=listed,
        tagged_applications=applications,
    )


def _listed_exports(cloudformation: Any, env: str) -> dict[str, str]:
    """The environment's exports whatever stack writes them: a team's app names its stacks as it likes."""
    prefix = export_name(env, "")
    found: dict[str, str] = {}
    for page in cloudformation.get_paginator("list_exports").paginate():
        for export in page.get("Exports", []):
            if export["Name"].startswith(prefix):
                found[export["Name"]] = export["Value"]
    return found


def _select(
    found: Sequence[RefT],
    selector: str | None,
    *,
    matches: Callable[[RefT, str], bool],
    label: Callable[[RefT], str],
    none: str,
    several: str,
    unknown: str,
    kind: str,
) -> RefT:
    """The one of ``found`` that ``selector`` names, or the only one; otherwise an error listing them."""
    if not found:
        raise CliError(none)
    known = ", ".join(label(item) for item in found)
    if selector is None:
        if len(found) == 1:
            return found[0]
        raise CliError(f"{several}: {known}")
    for item in found:
        if matches(item, selector):
            return item
    raise CliError(f"no {kind} {selector!r} {unknown}: {known}")
