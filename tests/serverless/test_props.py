"""EMR Serverless application rules: one ``test_fails_*`` per rule with its exact message, and the valid edges."""

from __future__ import annotations

import pytest

from emr_constructs.errors import EmrConfigError
from emr_constructs.network.props import CLOUDWATCH_RETENTION_DAYS
from emr_constructs.serverless import (
    ApplicationType,
    Architecture,
    DiskType,
    MaximumCapacity,
    ServerlessApplicationProps,
    WorkerGroup,
    WorkerSize,
    supported_releases,
)
from emr_constructs.serverless.releases import release_table, version_of

WHERE = "Test/Spark"
RELEASES_ALLOWED = "emr-6.6.0, ..., emr-spark-8.0.0"


def message(props: ServerlessApplicationProps) -> str:
    with pytest.raises(EmrConfigError) as raised:
        props.raise_if_invalid(WHERE)
    return str(raised.value)


def line(field: str, value: object, rule: str, allowed: str) -> str:
    return f"{WHERE}: {field}={value!r} is invalid: {rule}; allowed: {allowed}"


def executors(size: WorkerSize, count: int = 1) -> ServerlessApplicationProps:
    return ServerlessApplicationProps(executor=WorkerGroup(count=count, size=size))


# -- release table ----------------------------------------------------------------------------------


def test_release_table_starts_at_6_6_0_and_holds_only_serverless_labels() -> None:
    releases = supported_releases()
    assert releases[0] == "emr-6.6.0"
    assert releases[-1] == "emr-spark-8.0.0"
    assert all(version_of(label) is not None for label in releases)
    assert not any(label.startswith("emr-5.") for label in releases)
    assert release_table().retrieved == "2026-11-28"
    assert set(release_table().sources) == {
        "releases",
        "arm64",
        "custom_images",
        "interactive",
        "shuffle_optimized_disks",
    }


@pytest.mark.parametrize("label", ["emr-6.5.0", "emr-6.9.1", "emr-9.0.0", "7.1.0"])
def test_fails_release_not_in_table(label: str) -> None:
    assert message(ServerlessApplicationProps(release_label=label)) == line(
        "release_label",
        label,
        "release not in the library's EMR Serverless release table (EMR Serverless starts at emr-6.6.0 and has no "
        "patch releases)",
        RELEASES_ALLOWED,
    )


@pytest.mark.parametrize("label", ["emr-6.6.0", "emr-7.14.0", "emr-spark-8.0.0"])
def test_release_edges_build(label: str) -> None:
    assert ServerlessApplicationProps(release_label=label).problems() == []


def test_fails_application_type_the_release_does_not_run() -> None:
    props = ServerlessApplicationProps(type=ApplicationType.HIVE, release_label="emr-spark-8.0.0")
    assert message(props) == line("type", "Hive", "emr-spark-8.0.0 does not run this application type", "Spark")


def test_hive_builds_on_emr_releases() -> None:
    assert ServerlessApplicationProps(type=ApplicationType.HIVE, release_label="emr-6.6.0").problems() == []


# -- architecture, images, interactive ----------------------------------------------------------------


def test_fails_arm64_before_graviton_release() -> None:
    props = ServerlessApplicationProps(release_label="emr-6.8.0", architecture=Architecture.ARM64)
    assert message(props) == line(
        "architecture",
        Architecture.ARM64,
        "ARM64 (Graviton) is not available on emr-6.8.0",
        "X86_64, or a release emr-6.9.0 or later",
    )


@pytest.mark.parametrize(
    ("label", "expected"),
    [("emr-6.8.0", Architecture.X86_64), ("emr-6.9.0", Architecture.ARM64), ("emr-7.14.0", Architecture.ARM64)],
)
def test_architecture_defaults_to_arm64_where_the_release_allows(label: str, expected: Architecture) -> None:
    assert ServerlessApplicationProps(release_label=label).resolved_architecture == expected


def test_x86_can_be_chosen_on_graviton_releases() -> None:
    props = ServerlessApplicationProps(architecture=Architecture.X86_64)
    assert props.resolved_architecture == Architecture.X86_64


IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark/jobs:1.4.2"


def test_fails_custom_image_before_its_release() -> None:
    props = ServerlessApplicationProps(release_label="emr-6.8.0", image_uri=IMAGE)
    assert message(props) == line(
        "image_uri",
        IMAGE,
        "custom images are not available on emr-6.8.0",
        "no image_uri, or a release emr-6.9.0 or later",
    )


@pytest.mark.parametrize("uri", ["spark:latest", "public.ecr.aws/emr-serverless/spark/emr-7.1.0:latest"])
def test_fails_image_uri_not_ecr(uri: str) -> None:
    assert message(ServerlessApplicationProps(image_uri=uri)) == line(
        "image_uri",
        uri,
        "not an ECR image URI",
        "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (or @sha256:<digest>)",
    )


def test_image_uri_by_tag_or_digest_builds() -> None:
    digest = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs@sha256:" + "a" * 64
    assert ServerlessApplicationProps(image_uri=IMAGE, release_label="emr-6.9.0").problems() == []
    assert ServerlessApplicationProps(image_uri=digest).problems() == []


@pytest.mark.parametrize("key", ["studio_enabled", "livy_endpoint_enabled"])
def test_fails_interactive_before_6_14(key: str) -> None:
    props = ServerlessApplicationProps(release_label="emr-6.13.0", **{key: True})  # type: ignore[arg-type]
    assert message(props) == line(
        key,
        True,
        "interactive workloads (EMR Studio, Livy) are not available on emr-6.13.0",
        "false, or a release emr-6.14.0 or later",
    )


def test_interactive_builds_from_6_14() -> None:
    props = ServerlessApplicationProps(release_label="emr-6.14.0", studio_enabled=True, livy_endpoint_enabled=True)
    assert props.problems() == []


# -- worker sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("cpu", [0, 3, 6, 32])
def test_fails_worker_cpu(cpu: int) -> None:
    assert message(executors(WorkerSize(cpu=cpu))) == line(
        "executor.size.cpu", cpu, "EMR Serverless workers have 1, 2, 4, 8 or 16 vCPUs", "1, 2, 4, 8 or 16"
    )


@pytest.mark.parametrize(
    ("cpu", "memory", "allowed"),
    [
        (1, 1, "2-8"),
        (1, 9, "2-8"),
        (2, 17, "4-16"),
        (4, 7, "8-30"),
        (4, 31, "8-30"),
        (8, 64, "16-60"),
        (16, 128, "32-120"),
    ],
)
def test_fails_worker_memory_out_of_range(cpu: int, memory: int, allowed: str) -> None:
    assert message(executors(WorkerSize(cpu=cpu, memory_gb=memory))) == line(
        "executor.size.memory_gb",
        memory,
        f"{'an' if cpu == 8 else 'a'} {cpu} vCPU worker has {allowed} GB of memory",
        allowed,
    )


@pytest.mark.parametrize(("cpu", "memory", "step", "allowed"), [(8, 18, 4, "16 to 60"), (16, 36, 8, "32 to 120")])
def test_fails_worker_memory_increment(cpu: int, memory: int, step: int, allowed: str) -> None:
    assert message(executors(WorkerSize(cpu=cpu, memory_gb=memory))) == line(
        "executor.size.memory_gb",
        memory,
        f"{'an' if cpu == 8 else 'a'} {cpu} vCPU worker's memory comes in {step} GB increments",
        f"multiples of {step} from {allowed}",
    )


@pytest.mark.parametrize(
    ("cpu", "memory"),
    [
        (1, 2),
        (1, 8),
        (2, 4),
        (2, 16),
        (4, 8),
        (4, 30),
        (4, 17),
        (8, 16),
        (8, 60),
        (8, 20),
        (16, 32),
        (16, 120),
        (16, 40),
    ],
)
def test_worker_memory_edges_build(cpu: int, memory: int) -> None:
    assert WorkerSize(cpu=cpu, memory_gb=memory).problems() == []


@pytest.mark.parametrize(
    ("disk", "disk_type", "allowed"),
    [
        (19, DiskType.STANDARD, "20-200"),
        (201, DiskType.STANDARD, "20-200"),
        (2001, DiskType.SHUFFLE_OPTIMIZED, "20-2000"),
    ],
)
def test_fails_worker_disk_out_of_range(disk: int, disk_type: DiskType, allowed: str) -> None:
    assert message(executors(WorkerSize(disk_gb=disk, disk_type=disk_type))) == line(
        "executor.size.disk_gb", disk, f"a {disk_type.value} disk has {allowed} GB", allowed
    )


@pytest.mark.parametrize(
    ("disk", "disk_type"),
    [
        (20, DiskType.STANDARD),
        (200, DiskType.STANDARD),
        (20, DiskType.SHUFFLE_OPTIMIZED),
        (2000, DiskType.SHUFFLE_OPTIMIZED),
    ],
)
def test_worker_disk_edges_build(disk: int, disk_type: DiskType) -> None:
    props = ServerlessApplicationProps(
        release_label="emr-7.1.0",
        executor=WorkerGroup(count=1, size=WorkerSize(disk_gb=disk, disk_type=disk_type)),
    )
    assert props.problems() == []


def test_fails_shuffle_optimized_disk_before_7_1() -> None:
    props = ServerlessApplicationProps(
        release_label="emr-7.0.0",
        driver=WorkerGroup(count=1, size=WorkerSize(disk_type=DiskType.SHUFFLE_OPTIMIZED)),
    )
    assert message(props) == line(
        "driver.size.disk_type",
        "SHUFFLE_OPTIMIZED",
        "shuffle-optimized disks are not available on emr-7.0.0",
        "STANDARD, or a release emr-7.1.0 or later",
    )


@pytest.mark.parametrize("count", [0, 1_000_001])
def test_fails_worker_count(count: int) -> None:
    props = ServerlessApplicationProps(driver=WorkerGroup(count=count))
    assert message(props) == line("driver.count", count, "worker count out of range", "1-1000000")


def test_worker_count_edges_build() -> None:
    assert WorkerGroup(count=1).problems() == []
    assert WorkerGroup(count=1_000_000).problems() == []


# -- capacity and lifecycle ---------------------------------------------------------------------------


def test_fails_maximum_capacity_below_what_initial_capacity_needs() -> None:
    props = ServerlessApplicationProps(
        driver=WorkerGroup(count=1, size=WorkerSize(cpu=4, memory_gb=16, disk_gb=20)),
        executor=WorkerGroup(count=10, size=WorkerSize(cpu=8, memory_gb=32, disk_gb=100)),
        maximum_capacity=MaximumCapacity(cpu=80, memory_gb=300, disk_gb=1000),
    )
    assert message(props) == "\n".join(
        [
            line(
                "maximum_capacity.cpu",
                80,
                "the maximum capacity is less than the pre-initialized workers need (84)",
                "84 or more",
            ),
            line(
                "maximum_capacity.memory_gb",
                300,
                "the maximum capacity is less than the pre-initialized workers need (336)",
                "336 or more",
            ),
            line(
                "maximum_capacity.disk_gb",
                1000,
                "the maximum capacity is less than the pre-initialized workers need (1020)",
                "1020 or more",
            ),
        ]
    )


def test_maximum_capacity_exactly_the_initial_capacity_builds() -> None:
    props = ServerlessApplicationProps(
        driver=WorkerGroup(count=1, size=WorkerSize(cpu=4, memory_gb=16, disk_gb=20)),
        executor=WorkerGroup(count=10, size=WorkerSize(cpu=8, memory_gb=32, disk_gb=100)),
        maximum_capacity=MaximumCapacity(cpu=84, memory_gb=336, disk_gb=1020),
    )
    assert props.problems() == []


def test_unbounded_disk_needs_no_disk_check() -> None:
    props = ServerlessApplicationProps(
        executor=WorkerGroup(count=2), maximum_capacity=MaximumCapacity(cpu=8, memory_gb=32)
    )
    assert props.problems() == []


def test_fails_maximum_capacity_not_positive() -> None:
    props = ServerlessApplicationProps(maximum_capacity=MaximumCapacity(cpu=0, memory_gb=16, disk_gb=0))
    assert message(props) == "\n".join(
        [
            line("maximum_capacity.cpu", 0, "a maximum capacity must be positive", "1 or more"),
            line("maximum_capacity.disk_gb", 0, "a maximum capacity must be positive", "1 or more"),
        ]
    )


@pytest.mark.parametrize("minutes", [0, 10081])
def test_fails_idle_timeout(minutes: int) -> None:
    assert message(ServerlessApplicationProps(auto_stop_idle_minutes=minutes)) == line(
        "auto_stop_idle_minutes", minutes, "idle timeout out of range", "1-10080 minutes, or null to never stop"
    )


@pytest.mark.parametrize("minutes", [1, 15, 10080, None])
def test_idle_timeout_edges_build(minutes: int | None) -> None:
    assert ServerlessApplicationProps(auto_stop_idle_minutes=minutes).problems() == []


# -- names, logs, tags --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "a" * 65, "spark app"])
def test_fails_name(name: str) -> None:
    assert message(ServerlessApplicationProps(name=name)) == line(
        "name",
        name,
        "EMR Serverless application names are 1-64 letters, digits and . _ / # -",
        "e.g. 'analytics-spark'",
    )


def test_name_edges_build() -> None:
    assert ServerlessApplicationProps(name="a").problems() == []
    assert ServerlessApplicationProps(name="a" * 64).problems() == []


def test_fails_log_retention() -> None:
    allowed = ", ".join(str(days) for days in CLOUDWATCH_RETENTION_DAYS)
    assert message(ServerlessApplicationProps(log_retention_days=100)) == line(
        "log_retention_days", 100, "CloudWatch Logs does not offer this retention period", allowed
    )


def test_fails_scripts_prefix() -> None:
    assert message(ServerlessApplicationProps(scripts_prefix="jobs/*")) == line(
        "scripts_prefix",
        "jobs/*",
        "wildcards in a prefix widen the grant beyond one prefix",
        "a literal key prefix without '*' or '?'",
    )


def test_fails_log_prefix() -> None:
    assert message(ServerlessApplicationProps(log_prefix="/jobs")) == "\n".join(
        [
            line(
                "log_prefix",
                "/jobs",
                "S3 keys do not start with '/', so the grant would match nothing",
                "a key prefix like 'events/'",
            ),
            line(
                "log_prefix",
                "/jobs",
                "a log prefix is a folder: EMR Serverless appends applications/<id>/jobs/... to it",
                "a prefix ending in '/', e.g. 'emr-serverless/analytics/'",
            ),
        ]
    )


def test_fails_tags() -> None:
    assert message(ServerlessApplicationProps(tags={"aws:owner": "me"})) == line(
        "tags.aws:owner",
        "me",
        "tag keys are 1-128 characters (not starting with aws:) and values at most 256",
        "a shorter tag",
    )


def test_fails_every_problem_at_once() -> None:
    props = ServerlessApplicationProps(
        release_label="emr-6.8.0",
        architecture=Architecture.ARM64,
        executor=WorkerGroup(count=0, size=WorkerSize(cpu=3)),
        auto_stop_idle_minutes=0,
    )
    fields = [text.split("=")[0].removeprefix(f"{WHERE}: ") for text in message(props).splitlines()]
    assert fields == ["architecture", "executor.count", "executor.size.cpu", "auto_stop_idle_minutes"]


# -- settings -----------------------------------------------------------------------------------------


def test_parses_from_settings() -> None:
    props = ServerlessApplicationProps.from_dict(
        {
            "release_label": "emr-7.14.0",
            "driver": {"count": 1, "size": {"cpu": 2, "memory_gb": 8}},
            "executor": {"count": 4, "size": {"cpu": 4, "memory_gb": 16, "disk_gb": 64}},
            "auto_stop_idle_minutes": 30,
        }
    )
    assert props.executor == WorkerGroup(count=4, size=WorkerSize(cpu=4, memory_gb=16, disk_gb=64))


def test_settings_report_the_file_and_key() -> None:
    with pytest.raises(EmrConfigError) as raised:
        ServerlessApplicationProps.from_dict({"executor": {"count": 1, "size": {"cpu": 3}}}, source="config/x.json")
    assert str(raised.value) == (
        "config/x.json: executor.size.cpu=3 is invalid: EMR Serverless workers have 1, 2, 4, 8 or 16 vCPUs; "
        "allowed: 1, 2, 4, 8 or 16"
    )


@pytest.mark.parametrize("prefix_list", ["pl-123", "sg-6da54004", "pl-6DA54004"])
def test_fails_s3_prefix_list_id(prefix_list: str) -> None:
    assert message(ServerlessApplicationProps(s3_prefix_list_id=prefix_list)) == line(
        "s3_prefix_list_id",
        prefix_list,
        "not a prefix list id",
        "pl- followed by 8 or 17 hex digits, e.g. 'pl-6ea54007'",
    )


@pytest.mark.parametrize("prefix_list", ["pl-6da54004", "pl-0123456789abcdef0"])
def test_s3_prefix_list_ids_build(prefix_list: str) -> None:
    assert ServerlessApplicationProps(s3_prefix_list_id=prefix_list).problems() == []
