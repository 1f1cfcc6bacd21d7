"""Where a synth's time goes: ``python -m tools.bench.profile [-c KEY=VALUE ...] [--cprofile N] [--no-packs]``.

Runs ``app.py``'s ``build`` in this process with the context the CLI passes, in phases (imports and jsii
start, building the constructs, registering the policy packs, ``app.synth()``), and counts the calls into
the JavaScript runtime (the jsii kernel) per phase and per API, with the time spent in them. Time inside a
kernel call is JavaScript work plus the pipe round trip; callbacks from JavaScript into Python (validations,
Python policy packs, aspects written in Python) are timed separately, since they run inside those calls.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class KernelCalls:
    """Counts and times jsii kernel calls by wrapping the kernel's methods (and the callback handler)."""

    METHODS = ("create", "invoke", "get", "set", "sinvoke", "sget", "sset", "load")

    def __init__(self) -> None:
        self.count: collections.Counter[str] = collections.Counter()
        self.ns: collections.Counter[str] = collections.Counter()  # nanoseconds, outermost calls only
        self.callback_count: collections.Counter[str] = collections.Counter()
        self.callback_ns: collections.Counter[str] = collections.Counter()
        self.caller_count: collections.Counter[str] = collections.Counter()
        self.caller_ns: collections.Counter[str] = collections.Counter()
        self._depth = 0

    def install(self) -> None:
        import jsii
        import jsii._kernel as kernel_module

        for name in self.METHODS:
            setattr(kernel_module.Kernel, name, self._wrap(name, getattr(kernel_module.Kernel, name)))
            # The bindings call the module-level aliases (jsii.invoke = kernel.invoke, bound at import).
            setattr(jsii, name, getattr(jsii.kernel, name))
        handle = kernel_module._handle_callback

        def timed_callback(kernel: Any, callback: Any) -> Any:
            request = callback.invoke or callback.get or callback.set
            owner = type(_resolve(request)).__name__ if request is not None else "?"
            key = f"{owner}.{callback.cookie}"
            start = time.perf_counter_ns()
            try:
                return handle(kernel, callback)
            finally:
                self.callback_count[key] += 1
                self.callback_ns[key] += time.perf_counter_ns() - start

        kernel_module._handle_callback = timed_callback

    def _wrap(self, method: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        calls = self

        def wrapped(kernel: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
            key = f"{method} {_describe(method, target, args)}"
            calls._depth += 1
            start = time.perf_counter_ns()
            try:
                return fn(kernel, target, *args, **kwargs)
            finally:
                calls._depth -= 1
                elapsed = time.perf_counter_ns() - start
                if calls._depth == 0:  # nested calls (inside callbacks) are counted, their time is in the outer one
                    calls.ns[key] += elapsed
                calls.count[key] += 1
                caller = _project_caller()
                calls.caller_count[caller] += 1
                calls.caller_ns[caller] += elapsed

        return wrapped

    def snapshot(self) -> tuple[int, float, int, float]:
        """Calls, seconds in them, callbacks, seconds in those, so far."""
        return (
            sum(self.count.values()),
            sum(self.ns.values()) / 1e9,
            sum(self.callback_count.values()),
            sum(self.callback_ns.values()) / 1e9,
        )


_PROJECT = (str(ROOT / "emr_constructs"), str(ROOT / "stacks"), str(ROOT / "app.py"))


def _project_caller() -> str:
    """The innermost frame of the project's own code (library, stacks, app) that led to a kernel call."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_PROJECT):
            return f"{Path(filename).relative_to(ROOT)}:{frame.f_code.co_name}"
        frame = frame.f_back
    return "(outside the project: CDK, cdk-nag, jsii)"


def _resolve(request: Any) -> Any:
    from jsii import _reference_map

    try:
        return _reference_map.resolve_id(request.objref.ref)
    except Exception:  # the profile must not break the run it measures
        return None


def _describe(method: str, target: Any, args: tuple[Any, ...]) -> str:
    if method in ("create", "sinvoke", "sget", "sset"):
        owner = getattr(target, "__jsii_type__", getattr(target, "__name__", "?"))
        member = f".{args[0]}" if method != "create" and args else ""
        return f"{owner}{member}"
    if method == "load":
        return str(target)
    owner = getattr(type(target), "__jsii_type__", None) or type(target).__name__
    return f"{owner}.{args[0] if args else '?'}"


@contextmanager
def phase(name: str, calls: KernelCalls, phases: list[dict[str, Any]]) -> Iterator[None]:
    before = calls.snapshot()
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    after = calls.snapshot()
    phases.append(
        {
            "phase": name,
            "seconds": round(elapsed, 3),
            "kernel_calls": after[0] - before[0],
            "kernel_seconds": round(after[1] - before[1], 3),
            "callbacks": after[2] - before[2],
            "callback_seconds": round(after[3] - before[3], 3),
        }
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--context", action="append", default=[], help="KEY=VALUE, as for cdk synth")
    parser.add_argument("--no-packs", action="store_true", help="build(app, policy_packs=False)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the top N functions")
    parser.add_argument("--top", type=int, default=25, help="kernel APIs to list (default 25)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    from tools.bench.run import cdk_context

    context = cdk_context(dict(kv.split("=", 1) for kv in args.context))
    os.environ["CDK_CONTEXT_JSON"] = json.dumps(context)
    outdir = tempfile.mkdtemp(prefix="bench-profile-")
    os.environ["CDK_OUTDIR"] = outdir
    sys.path.insert(0, str(ROOT))

    calls = KernelCalls()
    phases: list[dict[str, Any]] = []
    profiler = cProfile.Profile() if args.cprofile else None
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    with phase("import aws_cdk (jsii and Node start, library load)", calls, phases):
        import jsii._kernel  # noqa: F401  (the wrappers must be in place before the first call)

        calls.install()
        import aws_cdk
    with phase("import app, stacks, emr_constructs", calls, phases):
        import app as bundled
        from stacks.policy import register_policy_packs
    with phase("App() and building the stages", calls, phases):
        cdk_app = aws_cdk.App()
        bundled.build(cdk_app, policy_packs=False)
    if not args.no_packs:
        with phase("registering policy packs", calls, phases):
            register_policy_packs(cdk_app)
    failure = ""
    with phase("app.synth() (aspects, validation, templates, policy packs)", calls, phases):
        try:
            cdk_app.synth()
        except RuntimeError as error:  # e.g. a CloudFormation limit: the profile of the synth still stands
            failure = str(error).splitlines()[0]
    total = time.perf_counter() - start
    if profiler:
        profiler.disable()

    print(f"total in-process {total:.2f} s (process start and interpreter exit not included); outdir {outdir}")
    if failure:
        print(f"synth failed at its end: {failure}")
    print(f"{'phase':<62} {'s':>7} {'calls':>7} {'in kernel s':>11} {'callbacks':>9} {'in cb s':>8}")
    for p in phases:
        print(
            f"{p['phase']:<62} {p['seconds']:>7.2f} {p['kernel_calls']:>7} {p['kernel_seconds']:>11.2f} "
            f"{p['callbacks']:>9} {p['callback_seconds']:>8.2f}"
        )
    print(f"\ntop {args.top} kernel APIs by time (outermost calls only carry time):")
    for key, ns in calls.ns.most_common(args.top):
        print(f"  {ns / 1e9:7.3f} s {calls.count[key]:>7} x  {key}")
    print(f"\ntop {args.top} kernel APIs by count:")
    for key, count in calls.count.most_common(args.top):
        print(f"  {count:>7} x {calls.ns[key] / 1e9:7.3f} s  {key}")
    print(f"\ntop {args.top} project functions by kernel calls they lead to (time includes nested calls):")
    for key, count in calls.caller_count.most_common(args.top):
        print(f"  {count:>7} x {calls.caller_ns[key] / 1e9:7.3f} s  {key}")
    if calls.callback_count:
        print("\ncallbacks from JavaScript into Python:")
        for key, ns in calls.callback_ns.most_common(args.top):
            print(f"  {ns / 1e9:7.3f} s {calls.callback_count[key]:>7} x  {key}")
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(args.cprofile)
        print(stream.getvalue())
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "context": {k: v for k, v in context.items() if not k.startswith("@")},
                    "total_s": round(total, 3),
                    "synth_failure": failure,
                    "phases": phases,
                    "kernel_by_time": [
                        {"api": k, "seconds": round(ns / 1e9, 3), "calls": calls.count[k]}
                        for k, ns in calls.ns.most_common(args.top)
                    ],
                    "kernel_by_count": [
                        {"api": k, "calls": c, "seconds": round(calls.ns[k] / 1e9, 3)}
                        for k, c in calls.count.most_common(args.top)
                    ],
                    "project_callers": [
                        {"caller": k, "calls": c, "seconds": round(calls.caller_ns[k] / 1e9, 3)}
                        for k, c in calls.caller_count.most_common(args.top)
                    ],
                    "callbacks": [
                        {"callback": k, "seconds": round(ns / 1e9, 3), "calls": calls.callback_count[k]}
                        for k, ns in calls.callback_ns.most_common(args.top)
                    ],
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
