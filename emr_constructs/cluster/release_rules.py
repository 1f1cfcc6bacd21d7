"""What a release supports: the release label itself, its applications, instance families and gated features.

Every rule here reads the release table (:mod:`emr_constructs.cluster.releases`); the other cluster rules
call :func:`require_feature` when a setting they check needs a release feature.
"""

from __future__ import annotations

from collections.abc import Iterable

from emr_constructs.choices import is_member, one_of, value_of
from emr_constructs.cluster.applications import Application
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
from emr_constructs.errors import Checks

_TYPES_PAGE = "emr-supported-instance-types"


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


def instance_type_release_problems(
    checks: Checks, prefix: str, instance_types: Iterable[tuple[str, str]], release: Release | None
) -> None:
    """Each ``(field, instance type)`` is one EMR supports, of a family the release supports (fields under
    ``prefix``, or as given when ``prefix`` is empty)."""
    for name, instance_type in instance_types:
        field = f"{prefix}.{name}" if prefix else name
        if instance_type.count(".") != 1:
            continue  # not even an EC2 name: the fleet's or group's own rule reports it
        known = is_emr_instance_type(instance_type)
        if not known:
            close = closest_instance_types(instance_type)
            checks.require(
                False,
                field,
                instance_type,
                "not an instance type EMR supports",
                (f"did you mean {' or '.join(close)}? " if close else "")
                + f"an instance type of emr_constructs.cluster.supported_instance_types() [{_TYPES_PAGE}]",
            )
        family = instance_family_range(instance_type)
        if known and release is not None and family is not None:
            checks.require(
                family.supported_by(release.label),
                field,
                instance_type,
                f"instance family {instance_type.split('.')[0]} is not supported by {release.label}",
                f"{family.describe()} [{family.source}], or another instance type",
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


def regional_problems(
    checks: Checks, label: str, region: str, *, managed_scaling: bool, auto_termination_idle_seconds: int | None
) -> None:
    """Features some Regions only have on later releases (checked when the stack's region is known)."""
    release = get_release(label)
    if release is None:
        return
    used = (
        (Feature.MANAGED_SCALING, managed_scaling, "managed_scaling", "ManagedScaling(...)"),
        (
            Feature.AUTO_TERMINATION,
            auto_termination_idle_seconds is not None,
            "auto_termination_idle_seconds",
            auto_termination_idle_seconds,
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
