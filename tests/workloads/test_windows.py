"""Streaming windows (pure Python), the Flink glue over fake state and timers, and the streaming entry point."""

from __future__ import annotations

import importlib
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from workloads.streaming import job
from workloads.streaming.windows import (
    MIN_WATERMARK,
    Accumulator,
    Lateness,
    StreamEvent,
    Window,
    WindowedAggregator,
    WindowResult,
    WindowSpec,
    assign,
    lateness,
    parse_event,
    timers_for,
    watermark_for,
)

SPEC = WindowSpec(size_ms=60_000, allowed_lateness_ms=30_000, out_of_orderness_ms=10_000)


def view(ts: int, user: str = "u1") -> StreamEvent:
    return StreamEvent("view", ts, user)


def test_assign_gives_the_tumbling_window_of_a_timestamp() -> None:
    assert assign(0, SPEC) == Window(0, 60_000)
    assert assign(59_999, SPEC) == Window(0, 60_000)
    assert assign(60_000, SPEC) == Window(60_000, 120_000)
    assert assign(-1, SPEC) == Window(-60_000, 0)
    assert Window(0, 60_000).max_timestamp == 59_999


def test_watermark_trails_the_largest_timestamp_by_the_out_of_orderness_bound() -> None:
    assert watermark_for(100_000, SPEC) == 89_999
    assert watermark_for(100_000, WindowSpec(size_ms=1)) == 99_999


def test_lateness_boundaries_follow_flink() -> None:
    window = Window(0, 60_000)
    assert lateness(window, MIN_WATERMARK, SPEC) is Lateness.ON_TIME
    assert lateness(window, 59_998, SPEC) is Lateness.ON_TIME
    assert lateness(window, 59_999, SPEC) is Lateness.LATE
    assert lateness(window, 89_998, SPEC) is Lateness.LATE
    assert lateness(window, 89_999, SPEC) is Lateness.TOO_LATE
    assert lateness(window, 59_999, WindowSpec(size_ms=60_000)) is Lateness.TOO_LATE
    assert timers_for(window, SPEC) == (59_999, 89_999)
    assert timers_for(window, WindowSpec(size_ms=60_000)) == (59_999,)
    assert timers_for(window, SPEC, 59_999) == (89_999,)


def test_fails_window_spec_with_a_non_positive_size_or_negative_durations() -> None:
    with pytest.raises(ValueError) as error:
        WindowSpec(size_ms=0, allowed_lateness_ms=-1, out_of_orderness_ms=-2)
    assert str(error.value) == (
        "size_ms=0 is invalid: a window has a length; allowed: > 0; "
        "allowed_lateness_ms=-1 is invalid: a duration; allowed: >= 0; "
        "out_of_orderness_ms=-2 is invalid: a duration; allowed: >= 0"
    )


EVENTS = [
    view(1_000, "u1"),
    StreamEvent("purchase", 30_000, "u2", Decimal("5.00")),
    view(70_000, "u1"),  # watermark 59_999: window [0, 60s) fires for both keys
    view(50_000, "u3"),  # late, within the allowed lateness: an updated firing
    view(100_000, "u4"),  # watermark 89_999: window [0, 60s) state dropped
    view(10_000, "u5"),  # too late: ignored, side output
]


def test_aggregator_fires_on_time_updates_late_and_drops_too_late_events() -> None:
    aggregator = WindowedAggregator(SPEC)

    results = aggregator.run(EVENTS)

    assert results == [
        WindowResult("purchase", 0, 60_000, 1, Decimal("5.00"), 1),
        WindowResult("view", 0, 60_000, 1, Decimal("0.00"), 1),
        WindowResult("view", 0, 60_000, 2, Decimal("0.00"), 2, late_update=True),
        WindowResult("view", 60_000, 120_000, 2, Decimal("0.00"), 2),
    ]
    assert aggregator.too_late == [view(10_000, "u5")]
    assert aggregator.windows == {"purchase": {}, "view": {}}


def test_without_allowed_lateness_a_late_event_is_too_late() -> None:
    aggregator = WindowedAggregator(WindowSpec(size_ms=60_000, out_of_orderness_ms=10_000))
    results = aggregator.run(EVENTS)
    assert [r for r in results if r.late_update] == []
    assert [e.timestamp_ms for e in aggregator.too_late] == [50_000, 10_000]


class FakeMapState:
    """The three MapState calls the Flink glue makes, over a dict."""

    def __init__(self) -> None:
        self.data: dict[int, str] = {}

    def items(self) -> list[tuple[int, str]]:
        return list(self.data.items())

    def put(self, key: int, value: str) -> None:
        self.data[key] = value

    def remove(self, key: int) -> None:
        del self.data[key]


class FakeContext:
    def __init__(self) -> None:
        self.watermark = MIN_WATERMARK
        self.timers: list[int] = []

    def timer_service(self) -> FakeContext:
        return self

    def current_watermark(self) -> int:
        return self.watermark

    def register_event_time_timer(self, timestamp: int) -> None:
        self.timers.append(timestamp)

    def get_current_key(self) -> str:
        return "view"


def record(ts: int, user: str) -> str:
    seconds = ts // 1000
    return json.dumps(
        {"event_id": f"e{ts}", "event_type": "view", "user_id": user, "product_id": "p1",
         "event_time": f"1970-01-01T00:{seconds // 60:02d}:{seconds % 60:02d}Z"}
    )  # fmt: skip


def test_flink_glue_keeps_windows_in_map_state_and_fires_on_timers() -> None:
    glue = job._Windows()
    glue.spec, glue.state, glue.too_late = SPEC, FakeMapState(), "too-late-tag"
    ctx = FakeContext()

    assert list(glue.process(record(1_000, "u1"), ctx)) == []
    assert list(glue.process("not json", ctx)) == []
    assert ctx.timers == [59_999, 89_999]
    assert json.loads(glue.state.data[0]) == {"events": 1, "revenue": "0.00", "users": ["u1"]}

    ctx.watermark = 59_999
    assert list(glue.fire(59_999, ctx)) == [WindowResult("view", 0, 60_000, 1, Decimal("0.00"), 1).to_json()]
    late = list(glue.process(record(50_000, "u3"), ctx))
    assert late == [WindowResult("view", 0, 60_000, 2, Decimal("0.00"), 2, late_update=True).to_json()]
    assert ctx.timers == [59_999, 89_999, 89_999]  # no second firing timer for a window that has fired

    ctx.watermark = 89_999
    too_late = record(10_000, "u5")
    assert list(glue.process(too_late, ctx)) == [("too-late-tag", too_late)]
    assert list(glue.fire(89_999, ctx)) == []
    assert glue.state.data == {}


def raw(**fields: object) -> str:
    document = {"event_id": "e", "event_type": "view", "user_id": "u", "product_id": "p", "event_time": "1970-01-01"}
    return json.dumps({k: v for k, v in (document | fields).items() if v is not None})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (record(60_000, "u1"), StreamEvent("view", 60_000, "u1")),
        (
            '{"event_id":"e","event_type":"purchase","user_id":"u","product_id":"p",'
            '"event_time":"1970-01-01T01:00:00+01:00","amount":2.5}',
            StreamEvent("purchase", 0, "u", Decimal("2.5")),
        ),
        ("not json", None),
        ("[1]", None),
        (raw(product_id=None), None),
        (raw(event_type="refund"), None),
        (raw(event_time="yesterday"), None),
        (raw(event_type="purchase"), None),
        (raw(amount=-1), None),
        (raw(amount=1.234), None),
        (raw(amount=True), None),
        (raw(amount=float("nan")), None),
    ],
)  # fmt: skip
def test_parse_event_applies_the_event_contract(text: str, expected: StreamEvent | None) -> None:
    assert parse_event(text) == expected


def test_accumulator_and_results_round_trip_through_json() -> None:
    accumulator = Accumulator(3, Decimal("7.25"), {"b", "a"})
    assert Accumulator.from_json(accumulator.to_json()) == accumulator
    result = WindowResult("purchase", 60_000, 120_000, 3, Decimal("7.25"), 2, late_update=True)
    assert result.to_item() == {
        "event_type": "purchase",
        "window_start": "1970-01-01T00:01:00.000Z",
        "window_end": "1970-01-01T00:02:00.000Z",
        "events": 3,
        "revenue": Decimal("7.25"),
        "unique_users": 2,
        "late_update": True,
    }
    assert job.item_from_json(result.to_json()) == result.to_item()


def test_streaming_job_imports_and_parses_without_pyflink() -> None:
    sys.modules.pop("workloads.streaming.job", None)
    importlib.import_module("workloads.streaming.job")
    assert not [name for name in sys.modules if name.startswith("pyflink")]


def test_streaming_arguments_on_emr() -> None:
    options = job.parse_args(
        ["--stream-name", "events", "--region", "eu-west-1", "--efo-consumer-name", "windows",
         "--output-path", "s3://analytics/streaming/", "--sink-table", "windows", "--window-seconds", "300",
         "--allowed-lateness-seconds", "0"]
    )  # fmt: skip
    assert options == job.StreamingOptions(
        stream_name="events",
        region="eu-west-1",
        efo_consumer_name="windows",
        output_path="s3://analytics/streaming/",
        sink_table="windows",
        window_seconds=300,
        allowed_lateness_seconds=0,
    )
    assert options.spec == WindowSpec(size_ms=300_000, allowed_lateness_ms=0, out_of_orderness_ms=10_000)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--output-path", "o", "--sink-path", "s"], "one of the arguments --stream-name --input-file is required"),
        (
            ["--stream-name", "s", "--input-file", "f", "--output-path", "o", "--sink-path", "s"],
            "argument --input-file: not allowed with argument --stream-name",
        ),
        (
            ["--input-file", "f", "--efo-consumer-name", "c", "--output-path", "o", "--sink-path", "s"],
            "--efo-consumer-name goes with --stream-name",
        ),
        (
            ["--stream-name", "s", "--output-path", "o", "--sink-table", "t", "--window-seconds", "0"],
            "argument --window-seconds: '0' is invalid; allowed: a whole number of seconds >= 1",
        ),
    ],
)
def test_fails_streaming_arguments(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        job.parse_args(argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"workloads.streaming.job: error: {message}"


def test_streaming_job_runs_locally_on_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [record(1_000, "u1"), record(70_000, "u2"), record(50_000, "u3"), "garbage", record(200_000, "u4")]
    source = tmp_path / "events.jsonl"
    source.write_text("\n".join(lines) + "\n")
    sink = tmp_path / "sink" / "windows.jsonl"

    code = job.main(
        ["--input-file", str(source), "--output-path", str(tmp_path / "out"), "--sink-path", str(sink),
         "--out-of-orderness-seconds", "0", "--allowed-lateness-seconds", "0"]
    )  # fmt: skip

    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"read": 5, "malformed": 1, "too_late": 1, "results": 3}
    assert (tmp_path / "out" / "window_results.jsonl").read_text().count("\n") == 3
    items = [json.loads(line) for line in sink.read_text().splitlines()]
    assert [(i["window_start"], i["events"]) for i in items] == [
        ("1970-01-01T00:00:00.000Z", 1),
        ("1970-01-01T00:01:00.000Z", 1),
        ("1970-01-01T00:03:00.000Z", 1),
    ]


def test_fails_local_streaming_run_with_a_dynamodb_sink(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--input-file runs locally and writes --sink-path, not a DynamoDB table"):
        job.main(["--input-file", str(tmp_path / "x"), "--output-path", str(tmp_path), "--sink-table", "t"])
