"""Streaming entry point: Kinesis events -> event-time tumbling windows per event type -> S3 and DynamoDB.

On EMR it is a PyFlink job (``flink run -py``); the windowing decisions come from ``workloads.streaming.windows``,
so what the tests prove is what runs. PyFlink is imported only when the Flink path runs: this module, its
argument parsing and the local path work without ``apache-flink`` installed::

    # EMR (Flink on EC2): the package travels as -pyfs workloads.zip, the Kinesis connector JAR as -j / --jarfile
    flink run -m yarn-cluster -py workloads/streaming/job.py -pyfs workloads.zip -- \\
        --stream-name <stream> --region eu-west-1 \\
        --output-path s3://<analytics-bucket>/streaming/window_aggregates/ --sink-table <dynamodb-table>

    # locally, no Flink: the same windows over a file of JSON lines, in arrival order
    python -m workloads.streaming.job --input-file events.jsonl \\
        --output-path build/stream --sink-path build/stream/sink.jsonl

Argument contract:

Source, exactly one of:
    ``--stream-name NAME``: the Kinesis data stream (Flink). ``--initial-position LATEST|TRIM_HORIZON``
    (default LATEST); ``--efo-consumer-name NAME`` reads through that enhanced fan-out consumer.
    ``--input-file FILE``: local JSON lines, one event a line, processed in file order without Flink.
``--output-path`` (required)
    Folder for the window results (JSON lines, under ``windows/`` on Flink, ``window_results.jsonl`` locally)
    and, on Flink, under ``too_late/`` the raw records that came too late.
Sink, exactly one of:
    ``--sink-table NAME``: DynamoDB table, partition key ``event_type`` (S), sort key ``window_start`` (S, ISO
    8601); a late update overwrites the window's item. ``--sink-path FILE``: local JSON-lines stand-in.
``--window-seconds`` (default 60), ``--allowed-lateness-seconds`` (default 30), ``--out-of-orderness-seconds``
    (default 10): the windows (see ``workloads.streaming.windows``).
``--checkpoint-seconds`` (default 60): Flink checkpoint interval (the S3 files are committed on checkpoints).
``--region REGION`` (optional): for Kinesis and DynamoDB; default: the SDK's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from workloads.compat import keyword_only
from workloads.streaming.windows import (
    Accumulator,
    Lateness,
    StreamEvent,
    WindowedAggregator,
    WindowResult,
    WindowSpec,
    assign,
    on_event,
    on_timer,
    parse_event,
    timers_for,
)

INITIAL_POSITIONS = ("LATEST", "TRIM_HORIZON")


@keyword_only
@dataclass(frozen=True)
class StreamingOptions:
    """The parsed arguments (see the module docstring)."""

    output_path: str
    stream_name: str | None = None
    input_file: str | None = None
    initial_position: str = "LATEST"
    efo_consumer_name: str | None = None
    sink_table: str | None = None
    sink_path: str | None = None
    window_seconds: int = 60
    allowed_lateness_seconds: int = 30
    out_of_orderness_seconds: int = 10
    checkpoint_seconds: int = 60
    region: str | None = None

    @property
    def spec(self) -> WindowSpec:
        return WindowSpec(
            size_ms=self.window_seconds * 1000,
            allowed_lateness_ms=self.allowed_lateness_seconds * 1000,
            out_of_orderness_ms=self.out_of_orderness_seconds * 1000,
        )


def _seconds(minimum: int) -> Any:
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} is invalid; allowed: a whole number of seconds >= {minimum}")
        return int(text)

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workloads.streaming.job",
        description="Streaming: Kinesis events to tumbling-window aggregates in S3 and DynamoDB (PyFlink).",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stream-name", help="Kinesis data stream to read (runs on Flink)")
    source.add_argument("--input-file", help="local JSON-lines file to read instead (no Flink)")
    parser.add_argument("--initial-position", choices=INITIAL_POSITIONS, default="LATEST")
    parser.add_argument("--efo-consumer-name", help="enhanced fan-out consumer name (Kinesis only)")
    parser.add_argument("--output-path", required=True, help="folder for window results (s3:// URI or local)")
    sink = parser.add_mutually_exclusive_group(required=True)
    sink.add_argument("--sink-table", help="DynamoDB table for the window results")
    sink.add_argument("--sink-path", help="local JSON-lines file standing in for the DynamoDB table")
    parser.add_argument("--window-seconds", type=_seconds(1), default=60)
    parser.add_argument("--allowed-lateness-seconds", type=_seconds(0), default=30)
    parser.add_argument("--out-of-orderness-seconds", type=_seconds(0), default=10)
    parser.add_argument("--checkpoint-seconds", type=_seconds(1), default=60)
    parser.add_argument("--region", help="AWS region for Kinesis and DynamoDB (default: the SDK's)")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> StreamingOptions:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.efo_consumer_name and not args.stream_name:
        parser.error("--efo-consumer-name goes with --stream-name")
    return StreamingOptions(**vars(args))


def item_from_json(text: str) -> dict[str, Any]:
    """A window result line as a DynamoDB item (money back to an exact Decimal)."""
    item: dict[str, Any] = json.loads(text)
    item["revenue"] = Decimal(item["revenue"])
    return item


def run_local(options: StreamingOptions, lines: Iterable[str]) -> tuple[list[WindowResult], int, int]:
    """The windows over ``lines`` in order, without Flink. Returns results, too-late and malformed counts."""
    aggregator = WindowedAggregator(options.spec)
    malformed = 0
    events: list[StreamEvent] = []
    for line in lines:
        event = parse_event(line)
        if event is None:
            malformed += 1
        else:
            events.append(event)
    return aggregator.run(events), len(aggregator.too_late), malformed


def _write_local(options: StreamingOptions, results: Sequence[WindowResult]) -> None:
    out = Path(options.output_path)
    out.mkdir(parents=True, exist_ok=True)
    (out / "window_results.jsonl").write_text("".join(f"{r.to_json()}\n" for r in results))
    assert options.sink_path is not None
    latest: dict[tuple[str, int], WindowResult] = {}
    for result in results:  # a later firing of a window replaces the earlier one, as a DynamoDB put does
        latest[(result.event_type, result.window_start)] = result
    sink = Path(options.sink_path)
    sink.parent.mkdir(parents=True, exist_ok=True)
    sink.write_text("".join(f"{latest[key].to_json()}\n" for key in sorted(latest)))


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    if options.input_file is not None:
        if options.sink_path is None:
            raise SystemExit("--input-file runs locally and writes --sink-path, not a DynamoDB table")
        lines = Path(options.input_file).read_text().splitlines()
        results, too_late, malformed = run_local(options, lines)
        _write_local(options, results)
        print(json.dumps({"read": len(lines), "malformed": malformed, "too_late": too_late, "results": len(results)}))
        return 0
    run_flink(options)
    return 0


class _Windows:
    """Flink state and timers around the pure window functions (mixed into a KeyedProcessFunction)."""

    spec: WindowSpec
    state: Any
    too_late: Any

    def load(self) -> dict[int, Accumulator]:
        return {start: Accumulator.from_json(text) for start, text in self.state.items()}

    def process(self, value: str, ctx: Any) -> Iterator[Any]:
        event = parse_event(value)
        if event is None:
            return
        windows = self.load()
        watermark = ctx.timer_service().current_watermark()
        decision, result = on_event(windows, event, watermark, self.spec)
        if decision is Lateness.TOO_LATE:
            yield self.too_late, value
            return
        window = assign(event.timestamp_ms, self.spec)
        self.state.put(window.start, windows[window.start].to_json())
        for timestamp in timers_for(window, self.spec, watermark):
            ctx.timer_service().register_event_time_timer(timestamp)
        if result is not None:
            yield result.to_json()

    def fire(self, timestamp: int, ctx: Any) -> Iterator[str]:
        windows = self.load()
        fired, expired = on_timer(windows, ctx.get_current_key(), timestamp, self.spec)
        for start in expired:
            self.state.remove(start)
        for result in fired:
            yield result.to_json()


def run_flink(options: StreamingOptions) -> None:  # pragma: no cover - needs apache-flink and AWS
    """Build and run the Flink job. Imports PyFlink here: only the cluster has it."""
    from pyflink.common import Duration, Encoder, Types, WatermarkStrategy
    from pyflink.common.serialization import SimpleStringSchema
    from pyflink.common.watermark_strategy import TimestampAssigner
    from pyflink.datastream import KeyedProcessFunction, OutputTag, StreamExecutionEnvironment
    from pyflink.datastream.connectors.file_system import FileSink
    from pyflink.datastream.connectors.kinesis import FlinkKinesisConsumer
    from pyflink.datastream.functions import MapFunction, RuntimeContext
    from pyflink.datastream.state import MapStateDescriptor

    spec = options.spec
    too_late_tag = OutputTag("too-late", Types.STRING())

    class EventTime(TimestampAssigner):  # type: ignore[misc]
        def extract_timestamp(self, value: str, record_timestamp: int) -> int:
            event = parse_event(value)
            return event.timestamp_ms if event else record_timestamp

    class WindowFunction(_Windows, KeyedProcessFunction):  # type: ignore[misc]
        def __init__(self) -> None:
            self.spec = spec
            self.too_late = too_late_tag

        def open(self, runtime_context: RuntimeContext) -> None:
            self.state = runtime_context.get_map_state(MapStateDescriptor("windows", Types.LONG(), Types.STRING()))

        def process_element(self, value: str, ctx: Any) -> Iterator[Any]:
            yield from self.process(value, ctx)

        def on_timer(self, timestamp: int, ctx: Any) -> Iterator[str]:
            yield from self.fire(timestamp, ctx)

    class DynamoDbWriter(MapFunction):  # type: ignore[misc]
        def open(self, runtime_context: RuntimeContext) -> None:
            import boto3

            self.table = boto3.resource("dynamodb", region_name=options.region).Table(options.sink_table)

        def map(self, value: str) -> str:
            self.table.put_item(Item=item_from_json(value))
            return value

    env = StreamExecutionEnvironment.get_execution_environment()
    env.enable_checkpointing(options.checkpoint_seconds * 1000)
    consumer_config = {"flink.stream.initpos": options.initial_position}
    if options.region:
        consumer_config["aws.region"] = options.region
    if options.efo_consumer_name:
        consumer_config |= {
            "flink.stream.recordpublisher": "EFO",
            "flink.stream.efo.consumername": options.efo_consumer_name,
        }
    records = env.add_source(FlinkKinesisConsumer(options.stream_name, SimpleStringSchema(), consumer_config))
    watermarks = WatermarkStrategy.for_bounded_out_of_orderness(
        Duration.of_millis(spec.out_of_orderness_ms)
    ).with_timestamp_assigner(EventTime())
    events = records.filter(lambda line: parse_event(line) is not None).assign_timestamps_and_watermarks(watermarks)
    results = events.key_by(lambda line: json.loads(line)["event_type"], key_type=Types.STRING()).process(
        WindowFunction(), output_type=Types.STRING()
    )
    output = options.output_path.rstrip("/")
    results.map(DynamoDbWriter(), output_type=Types.STRING()).sink_to(
        FileSink.for_row_format(f"{output}/windows", Encoder.simple_string_encoder()).build()
    )
    results.get_side_output(too_late_tag).sink_to(
        FileSink.for_row_format(f"{output}/too_late", Encoder.simple_string_encoder()).build()
    )
    env.execute("workloads-streaming-windows")


if __name__ == "__main__":
    sys.exit(main())
