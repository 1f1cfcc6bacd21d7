"""The cluster rules EMR enforces at deploy time and CloudFormation does not, checked at synth.

Each rule reports one :class:`Problem` naming the props field (``instance_fleets.primary.target_on_demand_capacity``),
the value, the rule and what would pass; ``ClusterProps.problems()`` returns them all, so the settings loader
and the construct report a whole cluster's mistakes at once. Rules that need construct references (subnets,
security groups, roles, secrets) are checked by :class:`~emr_constructs.cluster.EmrCluster` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from emr_constructs.choices import is_member, one_of, require_member, value_of
from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.configurations import configuration_problems
from emr_constructs.cluster.enums import ActionOnFailure, ScaleDownBehavior, ScalingUnitType
from emr_constructs.cluster.fleets import InstanceFleets
from emr_constructs.cluster.groups import InstanceGroups
from emr_constructs.cluster.releases import (
    Feature,
    Release,
    closest_instance_types,
    closest_release_labels,
    get_release,
    instance_family_range,
    is_emr_instance_type,
    newest_known_label,
    parse_release_label,
)
from emr_constructs.cluster.security_props import SecurityConfigurationProps
from emr_constructs.cluster.storage import RootVolume
from emr_constructs.errors import Checks, Problem
from emr_constructs.tags import tag_problems

if TYPE_CHECKING:
    # Only for annotations: ClusterProps' module imports this one, so a runtime import would be a cycle.
    from emr_constructs.cluster.props import ClusterProps

AUTO_TERMINATION_SECONDS = (60, 604_800)
STEP_CONCURRENCY = (1, 256)
MAX_BOOTSTRAP_ACTIONS = 16
ROOT_VOLUME_SIZE_MAX_GIB = 100
ROOT_VOLUME_IOPS = (3000, 16000)
ROOT_VOLUME_THROUGHPUT = (125, 1000)
#: Root volume IOPS per GiB, and throughput (MiB/s) per IOPS, at most (emr-custom-ami-root-volume-size).
ROOT_IOPS_PER_GIB = 500
ROOT_THROUGHPUT_PER_IOPS = 0.25
_TYPES_PAGE = "emr-supported-instance-types"
_AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")


def require_feature(
    checks: Checks, release: Release | None, feature: Feature, field: str, value: object, what: str
) -> None:
    """A problem when ``release`` lacks ``feature`` (skipped when the release itself is already wrong)."""
    if release is None:
        return
    checks.require(
        release.supports(feature),
        field,
        value,
        f"{what} is not supported by {release.label}",
        f"{feature.describe()} [{feature.source}]",
    )


def regional_problems(checks: Checks, props: ClusterProps, region: str) -> None:
    """Features some Regions only have on later releases (checked when the stack's region is known)."""
    release = get_release(props.release_label)
    if release is None:
        return
    used = (
        (Feature.MANAGED_SCALING, props.managed_scaling is not None, "managed_scaling", "ManagedScaling(...)"),
        (
            Feature.AUTO_TERMINATION,
            props.auto_termination_idle_seconds is not None,
            "auto_termination_idle_seconds",
            props.auto_termination_idle_seconds,
        ),
    )
    for feature, in_use, field, value in used:
        # Only where the release has the feature in general: otherwise the general rule already reported it.
        if in_use and release.supports(feature):
            checks.require(
                feature.supported_by(release.label, region),
                field,
                value,
                f"{feature.value.replace('_', ' ')} is not supported by {release.label} in {region}",
                f"{feature.describe(region)} [{feature.source}]",
            )


def release_problems(checks: Checks, label: str) -> Release | None:
    """Check ``release_label``: any real EMR release (5.x and later), or a well-formed one newer than all known."""
    if parse_release_label(label) is None:
        checks.require(
            False, "release_label", label, "not an EMR release label", "emr-<major>.<minor>.<patch>, e.g. 'emr-7.14.0'"
        )
        return None
    release = get_release(label)
    if release is None:
        close = closest_release_labels(label)
        checks.require(
            False,
            "release_label",
            label,
            "not an EMR release (5.0.0 or later) that EMR has published",
            (f"did you mean {' or '.join(close)}? " if close else "")
            + f"any real release from emr-5.0.0 to {newest_known_label()}, or a newer one",
        )
    return release


def application_problems(checks: Checks, applications: tuple[Application, ...], release: Release | None) -> None:
    seen: set[str] = set()
    for index, application in enumerate(applications):
        field = f"applications[{index}]"
        name = value_of(application)
        if not is_member(Application, application):
            checks.require(False, field, name, "unknown application", one_of(Application))
            continue
        checks.require(name not in seen, field, name, "application listed twice", "each application once")
        seen.add(name)
        if release is not None:
            checks.require(
                release.has_application(name),
                field,
                name,
                f"application not in release {release.label}",
                ", ".join(sorted(release.applications)),
            )


def _instance_type_release_problems(
    checks: Checks, prefix: str, instance_types: Iterable[tuple[str, str]], release: Release | None
) -> None:
    for field, instance_type in instance_types:
        if instance_type.count(".") != 1:
            continue  # not even an EC2 name: the fleet's or group's own rule reports it
        known = is_emr_instance_type(instance_type)
        if not known:
            close = closest_instance_types(instance_type)
            checks.require(
                False,
                f"{prefix}.{field}",
                instance_type,
                "not an instance type EMR supports",
                (f"did you mean {' or '.join(close)}? " if close else "")
                + f"an instance type of emr_constructs.cluster.supported_instance_types() [{_TYPES_PAGE}]",
            )
        family = instance_family_range(instance_type)
        if known and release is not None and family is not None:
            checks.require(
                family.supported_by(release.label),
                f"{prefix}.{field}",
                instance_type,
                f"instance family {instance_type.split('.')[0]} is not supported by {release.label}",
                f"{family.describe()} [{family.source}], or another instance type",
            )


def capacity_problems(checks: Checks, props: ClusterProps, release: Release | None) -> None:
    fleets, groups = props.instance_fleets, props.instance_groups
    if fleets is not None and groups is not None:
        checks.require(
            False,
            "instance_groups",
            "InstanceGroups(...)",
            "a cluster uses instance fleets or instance groups for all node types, never both",
            "set instance_fleets or instance_groups, not both",
        )
    capacity = props.capacity
    prefix = "instance_fleets" if isinstance(capacity, InstanceFleets) else "instance_groups"
    checks.extend(capacity.problems(), prefix)
    _instance_type_release_problems(checks, prefix, capacity.instance_types(), release)
    if isinstance(capacity, InstanceFleets):
        if capacity.primary.target_on_demand_capacity == 3:
            require_feature(
                checks,
                release,
                Feature.HA_PRIMARY_INSTANCE_FLEETS,
                "instance_fleets.primary.target_on_demand_capacity",
                3,
                "three primary nodes in an instance fleet",
            )
    elif capacity.primary.instance_count == 3:
        require_feature(
            checks,
            release,
            Feature.HA_PRIMARY_INSTANCE_GROUPS,
            "instance_groups.primary.instance_count",
            3,
            "three primary nodes in an instance group",
        )
    checks.require(
        not props.spread_primary_nodes or props.primary_count == 3,
        "spread_primary_nodes",
        props.spread_primary_nodes,
        "the SPREAD placement group applies to the primary nodes of a cluster with three primaries only",
        "false, or three primary nodes",
    )


def managed_scaling_problems(checks: Checks, props: ClusterProps, release: Release | None) -> None:
    scaling = props.managed_scaling
    if scaling is None:
        return
    checks.extend(scaling.problems(), "managed_scaling")
    require_feature(
        checks, release, Feature.MANAGED_SCALING, "managed_scaling", "ManagedScaling(...)", "managed scaling"
    )
    if scaling.unit_type is not None and is_member(ScalingUnitType, scaling.unit_type):
        fleets = props.uses_fleets
        allowed = (
            (ScalingUnitType.INSTANCE_FLEET_UNITS,) if fleets else (ScalingUnitType.INSTANCES, ScalingUnitType.VCPU)
        )
        checks.require(
            scaling.unit_type in allowed,
            "managed_scaling.unit_type",
            value_of(scaling.unit_type),
            f"unit type does not fit instance {'fleets' if fleets else 'groups'}",
            ", ".join(u.value for u in allowed),
        )
    capacity = props.capacity
    if isinstance(capacity, InstanceGroups) and capacity.has_auto_scaling():
        checks.require(
            False,
            "managed_scaling",
            "ManagedScaling(...)",
            "managed scaling cannot be combined with custom automatic-scaling policies on instance groups",
            "managed_scaling or the groups' auto_scaling, not both",
        )


def lifecycle_problems(checks: Checks, props: ClusterProps, release: Release | None) -> None:
    idle = props.auto_termination_idle_seconds
    if idle is not None:
        low, high = AUTO_TERMINATION_SECONDS
        checks.require(
            low <= idle <= high,
            "auto_termination_idle_seconds",
            idle,
            "auto-termination idle timeout out of range",
            f"{low}-{high} seconds (1 minute to 7 days)",
        )
        require_feature(
            checks, release, Feature.AUTO_TERMINATION, "auto_termination_idle_seconds", idle, "auto-termination"
        )
    level = props.step_concurrency_level
    if level is not None:
        low, high = STEP_CONCURRENCY
        checks.require(
            low <= level <= high, "step_concurrency_level", level, "step concurrency out of range", f"{low}-{high}"
        )
        if level > 1:
            require_feature(
                checks, release, Feature.STEP_CONCURRENCY, "step_concurrency_level", level, "step concurrency"
            )
    if props.scale_down_behavior is not None:
        require_member(checks, ScaleDownBehavior, "scale_down_behavior", props.scale_down_behavior)


def _root_volume_problems(checks: Checks, root: RootVolume, release: Release | None) -> None:
    minimum_size = 15 if release is None or release.version >= (6, 10, 0) else 10
    if root.size_gib is not None:
        checks.require(
            minimum_size <= root.size_gib <= ROOT_VOLUME_SIZE_MAX_GIB,
            "root_volume.size_gib",
            root.size_gib,
            "root volume size out of range",
            f"{minimum_size}-{ROOT_VOLUME_SIZE_MAX_GIB} GiB",
        )
    if root.iops is not None:
        low, high = ROOT_VOLUME_IOPS
        checks.require(
            low <= root.iops <= high, "root_volume.iops", root.iops, "root volume IOPS out of range", f"{low}-{high}"
        )
        size = root.size_gib or minimum_size
        checks.require(
            root.iops <= ROOT_IOPS_PER_GIB * size,
            "root_volume.iops",
            root.iops,
            f"root volume IOPS above {ROOT_IOPS_PER_GIB} per GiB of a {size} GiB volume",
            f"<= {ROOT_IOPS_PER_GIB * size}, or a larger size_gib",
        )
        require_feature(
            checks, release, Feature.EBS_ROOT_VOLUME_IOPS_THROUGHPUT, "root_volume.iops", root.iops, "root volume IOPS"
        )
    if root.throughput_mibps is not None:
        low, high = ROOT_VOLUME_THROUGHPUT
        checks.require(
            low <= root.throughput_mibps <= high,
            "root_volume.throughput_mibps",
            root.throughput_mibps,
            "root volume throughput out of range",
            f"{low}-{high} MiB/s",
        )
        iops = root.iops or ROOT_VOLUME_IOPS[0]
        checks.require(
            root.throughput_mibps <= ROOT_THROUGHPUT_PER_IOPS * iops,
            "root_volume.throughput_mibps",
            root.throughput_mibps,
            f"root volume throughput above {ROOT_THROUGHPUT_PER_IOPS} MiB/s per IOPS ({iops} IOPS)",
            f"<= {int(ROOT_THROUGHPUT_PER_IOPS * iops)}, or more iops",
        )
        require_feature(
            checks,
            release,
            Feature.EBS_ROOT_VOLUME_IOPS_THROUGHPUT,
            "root_volume.throughput_mibps",
            root.throughput_mibps,
            "root volume throughput",
        )


def _work_problems(checks: Checks, props: ClusterProps) -> None:
    checks.require(
        len(props.bootstrap_actions) <= MAX_BOOTSTRAP_ACTIONS,
        "bootstrap_actions",
        len(props.bootstrap_actions),
        "too many bootstrap actions",
        f"at most {MAX_BOOTSTRAP_ACTIONS}",
    )
    for index, action in enumerate(props.bootstrap_actions):
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
    concurrent = (props.step_concurrency_level or 1) > 1
    for index, step in enumerate(props.steps):
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


def security_release_problems(
    checks: Checks, security: SecurityConfigurationProps, release: Release | None, prefix: str
) -> None:
    """Release features the security configuration uses (checked against the cluster's release)."""
    if security.imdsv2:
        require_feature(
            checks, release, Feature.IMDSV2, f"{prefix}.imdsv2", True, "IMDSv2 in the security configuration"
        )
    if security.local_disk_encryption and security.ebs_encryption:
        require_feature(
            checks, release, Feature.EBS_ENCRYPTION_KMS, f"{prefix}.ebs_encryption", True, "EBS encryption with KMS"
        )


def _misc_problems(checks: Checks, props: ClusterProps, release: Release | None) -> None:
    if props.name is not None:
        checks.require(
            0 < len(props.name) <= 256, "name", props.name, "cluster name length out of range", "1-256 characters"
        )
    if props.custom_ami_id is not None:
        checks.require(
            bool(_AMI_ID.match(props.custom_ami_id)),
            "custom_ami_id",
            props.custom_ami_id,
            "not an AMI id",
            "e.g. 'ami-0abc1234def567890'",
        )
    if props.os_release_label is not None:
        checks.require(
            bool(props.os_release_label.strip()),
            "os_release_label",
            props.os_release_label,
            "empty",
            "e.g. '2023.5.20240708.0'",
        )
    if props.ec2_key_name is not None:
        checks.require(
            bool(props.ec2_key_name.strip()),
            "ec2_key_name",
            props.ec2_key_name,
            "empty key pair name",
            "a key pair name, or null",
        )
    if props.log_prefix is not None:
        prefix = props.log_prefix
        checks.require(
            bool(prefix) and prefix.endswith("/") and not prefix.startswith("/") and "://" not in prefix,
            "log_prefix",
            prefix,
            "not an S3 key prefix",
            "a relative prefix ending with '/', e.g. 'emr-logs/analytics/'",
        )
    if props.encrypt_logs:
        require_feature(checks, release, Feature.LOG_ENCRYPTION, "encrypt_logs", True, "log encryption with KMS")
    if props.glue_data_catalog:
        require_feature(
            checks, release, Feature.GLUE_DATA_CATALOG, "glue_data_catalog", True, "the Glue Data Catalog metastore"
        )
    checks.extend(tag_problems(props.tags))


def cluster_problems(props: ClusterProps) -> list[Problem]:
    """Every rule ``props`` alone decides."""
    checks = Checks()
    release = release_problems(checks, props.release_label)
    application_problems(checks, props.applications, release)
    capacity_problems(checks, props, release)
    managed_scaling_problems(checks, props, release)
    lifecycle_problems(checks, props, release)
    _root_volume_problems(checks, props.root_volume, release)
    checks.extend(configuration_problems(props.configurations, "configurations"))
    _work_problems(checks, props)
    checks.extend(props.security.problems(), "security")
    checks.extend(props.roles.problems(), "roles")
    security_release_problems(checks, props.security, release, "security")
    _misc_problems(checks, props, release)
    return checks.problems
