"""The release table: data shipped in the package, feature minimums, applications, labels."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from emr_constructs.cluster import (
    DEFAULT_RELEASE_LABEL,
    Application,
    Feature,
    get_release,
    latest_release,
    supported_release_labels,
    supported_releases,
)
from emr_constructs.cluster.releases import all_application_names, instance_family_range, parse_release_label


def test_table_is_package_data_with_its_sources() -> None:
    raw = json.loads(resources.files("emr_constructs.cluster").joinpath("releases.json").read_text())
    assert "EMR Release Guide" in raw["about"]
    assert all(r["sources"] for r in raw["releases"].values())
    assert all(f["source"].startswith("https://") for f in raw["features"].values())


def test_supported_releases_oldest_first() -> None:
    labels = supported_release_labels()
    assert len(labels) == 21
    assert labels[0] == "emr-5.36.2" and labels[-1] == "emr-7.14.0"
    assert [r.version for r in supported_releases()] == sorted(r.version for r in supported_releases())


def test_default_release_is_the_newest() -> None:
    assert latest_release().label == DEFAULT_RELEASE_LABEL


def test_application_enum_matches_the_table() -> None:
    assert {a.value for a in Application} == all_application_names()


def test_applications_per_release() -> None:
    release = get_release("emr-7.14.0")
    assert release is not None
    assert release.applications["Spark"].startswith("3.")
    assert release.has_application("Trino") and not release.has_application("Mahout")
    old = get_release("emr-5.36.2")
    assert old is not None and old.has_application("Mahout") and not old.has_application("Trino")


@pytest.mark.parametrize(
    ("label", "expected"),
    [("emr-7.14.0", (7, 14, 0)), ("emr-6.10.1", (6, 10, 1)), ("7.14.0", None), ("emr-7.14", None), ("emr-x.1.0", None)],
)
def test_label_pattern(label: str, expected: tuple[int, int, int] | None) -> None:
    assert parse_release_label(label) == expected


def test_unknown_release_is_not_in_the_table() -> None:
    assert get_release("emr-7.99.0") is None


@pytest.mark.parametrize(
    ("feature", "supported", "unsupported"),
    [
        (Feature.MANAGED_SCALING, ["emr-5.30.0", "emr-6.1.0", "emr-7.0.0"], ["emr-5.29.0", "emr-6.0.0"]),
        (Feature.AUTO_TERMINATION, ["emr-5.30.0", "emr-6.1.0"], ["emr-5.29.0", "emr-6.0.0"]),
        (Feature.STEP_CONCURRENCY, ["emr-5.28.0", "emr-6.0.0"], ["emr-5.27.0"]),
        (Feature.LOG_ENCRYPTION, ["emr-5.30.0", "emr-6.1.0"], ["emr-5.29.0", "emr-6.0.0"]),
        (Feature.HA_PRIMARY_INSTANCE_GROUPS, ["emr-5.23.0", "emr-6.0.0"], ["emr-5.22.0"]),
        (
            Feature.HA_PRIMARY_INSTANCE_FLEETS,
            ["emr-5.36.1", "emr-6.8.1", "emr-6.9.1", "emr-6.10.1", "emr-6.11.1", "emr-6.12.0", "emr-7.0.0"],
            ["emr-5.36.0", "emr-6.8.0", "emr-6.9.0", "emr-6.10.0", "emr-6.11.0"],
        ),
        (Feature.EBS_ROOT_VOLUME_IOPS_THROUGHPUT, ["emr-6.15.0", "emr-7.0.0"], ["emr-6.14.0", "emr-5.36.2"]),
        (Feature.IMDSV2, ["emr-5.23.1", "emr-5.27.1", "emr-5.32.0", "emr-6.2.0"], ["emr-5.27.0", "emr-6.1.0"]),
        (Feature.EBS_ENCRYPTION_KMS, ["emr-5.24.0"], ["emr-5.23.0"]),
    ],
)
def test_feature_minimums(feature: Feature, supported: list[str], unsupported: list[str]) -> None:
    assert [label for label in supported if not feature.supported_by(label)] == []
    assert [label for label in unsupported if feature.supported_by(label)] == []


def test_graviton_family_minimums() -> None:
    m7g = instance_family_range("m7g.2xlarge")
    assert m7g is not None
    assert m7g.supported_by("emr-6.10.0") and not m7g.supported_by("emr-6.9.0")
    assert instance_family_range("m5.xlarge") is None
    release = get_release("emr-6.12.0")
    assert release is not None
    assert release.supports_instance_type("m7g.xlarge") and not release.supports_instance_type("m8gd.xlarge")
    assert release.supports_instance_type("r5.xlarge")


def test_feature_description_names_the_releases() -> None:
    text = Feature.HA_PRIMARY_INSTANCE_FLEETS.describe()
    assert text.startswith("emr-5.36.1, emr-5.36.2, emr-6.8.1, emr-6.9.1, emr-6.10.1, emr-6.11.1;")
    assert "emr-6.12.0 and later 6.x" in text
