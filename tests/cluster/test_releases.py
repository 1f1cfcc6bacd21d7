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
from emr_constructs.cluster.release_rules import instance_type_release_problems
from emr_constructs.cluster.releases import (
    all_application_names,
    closest_instance_types,
    instance_family_range,
    is_emr_instance_type,
    parse_release_label,
    supported_instance_types,
)
from emr_constructs.errors import Checks


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


def test_a_real_release_outside_the_application_table_uses_the_nearest_below() -> None:
    release = get_release("emr-6.14.0")
    assert release is not None
    assert (release.basis, release.known, release.in_table) == ("emr-6.12.0", True, False)
    assert release.applications == get_release("emr-6.12.0").applications  # type: ignore[union-attr]


def test_a_newer_label_is_accepted_as_unknown_on_the_newest_applications() -> None:
    release = get_release("emr-7.99.0")
    assert release is not None
    assert (release.basis, release.known) == ("emr-7.14.0", False)


@pytest.mark.parametrize("label", ["emr-6.14.9", "emr-4.9.6", "emr-7.14"])
def test_unreal_old_or_malformed_labels_have_no_release(label: str) -> None:
    assert get_release(label) is None


def test_label_and_instance_type_tables_carry_source_and_date_and_match_their_data() -> None:
    for name in ("release_labels.json", "instance_types.json"):
        raw = json.loads(resources.files("emr_constructs.cluster").joinpath(name).read_text())
        assert "ListSupportedInstanceTypes" in raw["source"] and raw["date"]
    from tools.emr_tables import main

    assert main(["--check"]) == 0


def test_instance_type_suggestions_stay_in_the_family() -> None:
    assert closest_instance_types("m5.hyper") == ["m5.xlarge", "m5.8xlarge", "m5.4xlarge"]
    assert is_emr_instance_type("m6g.xlarge") and not is_emr_instance_type("t2.micro")


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


def test_a_cluster_on_a_newer_release_synthesizes_with_a_warning() -> None:
    from aws_cdk.assertions import Annotations, Match

    from emr_constructs.cluster import ClusterProps, EmrCluster
    from tests.cluster.builders import platform
    from tests.support import new_stack

    stack = new_stack()
    EmrCluster(stack, "Cluster", props=ClusterProps(release_label="emr-7.99.0"), **platform(stack).cluster_args())
    Annotations.from_stack(stack).has_warning(
        "*", Match.string_like_regexp(r"release_label='emr-7.99.0' is newer than every release .* as for emr-7.14.0")
    )


def test_table_loads_feature_and_family_ranges_as_written() -> None:
    """The loader itself, uncached (the cached table is loaded once per process, before most tests run)."""
    from emr_constructs.cluster import releases

    fresh = releases._table.__wrapped__()
    docs = "https://docs.aws.amazon.com/emr/latest/ManagementGuide"
    late_regions = {
        "ap-east-2",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-west-1",
        "eu-south-2",
        "mx-central-1",
    }
    assert fresh.features[Feature.MANAGED_SCALING] == releases.ReleaseRange(
        minimum_by_major={5: (5, 30, 0), 6: (6, 1, 0), 7: (7, 0, 0)},
        excluded=frozenset({"emr-6.0.0"}),
        source=f"{docs}/emr-managed-scaling.html",
        regional=(
            releases.ReleaseRange(
                minimum_by_major={6: (6, 14, 0), 7: (7, 0, 0)},
                source=f"{docs}/emr-managed-scaling.html",
                regions=frozenset(late_regions),
            ),
        ),
    )
    assert fresh.features[Feature.HA_PRIMARY_INSTANCE_FLEETS] == releases.ReleaseRange(
        minimum_by_major={6: (6, 12, 0), 7: (7, 0, 0)},
        also_supported=frozenset({"emr-5.36.1", "emr-5.36.2", "emr-6.8.1", "emr-6.9.1", "emr-6.10.1", "emr-6.11.1"}),
        source=f"{docs}/emr-plan-ha.html",
    )
    assert fresh.families["m7g"] == releases.ReleaseRange(
        minimum_by_major={5: (5, 36, 1), 6: (6, 10, 0), 7: (7, 0, 0)},
        source=f"{docs}/emr-supported-instance-types.html",
    )
    assert tuple(fresh.releases) == supported_release_labels()
    assert fresh.releases["emr-7.14.0"] == get_release("emr-7.14.0")


def test_fails_malformed_label_in_the_table() -> None:
    from emr_constructs.cluster.releases import _version_of

    with pytest.raises(ValueError, match=r"^releases.json holds a malformed release label: 'emr-7'$"):
        _version_of("emr-7")


@pytest.mark.parametrize(
    ("label", "region", "offered"),
    [("emr-7.8.0", "ap-east-2", True), ("emr-7.14.0", "ap-east-2", False), ("emr-7.14.0", "xx-nowhere-1", None)],
)
def test_release_offered_in_a_region(label: str, region: str, offered: bool | None) -> None:
    from emr_constructs.cluster.releases import release_offered_in

    assert release_offered_in(label, region) is offered


def test_labels_outside_the_table_take_the_nearest_release_of_their_line() -> None:
    oldest = get_release("emr-5.0.0")
    assert oldest is not None and (oldest.label, oldest.basis) == ("emr-5.0.0", "emr-5.36.2")
    between = get_release("emr-6.7.0")  # the 6.x table release at or below it, not the 7.x line
    table_release = get_release("emr-6.5.0")
    assert between is not None and table_release is not None
    assert (between.basis, between.known, between.sources) == ("emr-6.5.0", True, table_release.sources)


def test_release_range_reads_versions_not_text() -> None:
    from emr_constructs.cluster.releases import ReleaseRange

    excluded = ReleaseRange(minimum_by_major={6: (6, 1, 0)}, excluded=frozenset({"emr-6.10.0", "emr-6.9.0"}))
    assert excluded.describe() == "emr-6.1.0 and later 6.x (not emr-6.9.0, emr-6.10.0)"
    assert not excluded.supported_by("emr-6")
    assert (excluded.supported_by("emr-6.9.0"), excluded.supported_by("emr-6.9.1")) == (False, True)


def test_instance_type_helpers_take_the_family_before_the_first_dot() -> None:
    assert instance_family_range("m7g.x.large") == instance_family_range("m7g.xlarge") is not None
    assert all(t.startswith("m6g.") for t in closest_instance_types("m6g.x.large"))
    assert closest_instance_types("m6g.xlarge", count=1) == ["m6g.xlarge"]
    assert len(supported_instance_types()) == len(set(supported_instance_types())) > 700
    assert "m6g.xlarge" in supported_instance_types()


def test_instance_type_fields_are_named_as_given_without_a_prefix() -> None:
    checks = Checks()
    release = get_release(DEFAULT_RELEASE_LABEL)
    instance_type_release_problems(checks, "", [("core_instance_type", "m7g.xlarg")], release)
    instance_type_release_problems(checks, "fleet", [("type", "m7g.xlarg")], release)
    assert [p.field for p in checks.problems] == ["core_instance_type", "fleet.type"]
