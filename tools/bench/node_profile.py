"""Summarize Node's ``--cpu-prof`` output of a synth: ``python -m tools.bench.node_profile [-c KEY=VALUE ...]``.

Runs ``python -m tools.bench.profile`` (same arguments) with ``NODE_OPTIONS=--cpu-prof`` so the jsii kernel's Node
process writes a CPU profile, then prints where the JavaScript time went: by area (aws-cdk-lib module,
cdk-nag, the built-in CloudFormation validation, jsii's kernel) and by function, self and inclusive.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
_AREA = re.compile(r"node_modules/((?:@[^/]+/)?[^/]+)/(?:lib/)?([^/]+)?")


def area(url: str, function: str) -> str:
    if not url:
        return f"({function or 'native'})"
    if url.startswith("node:"):
        return "node internals"
    if url.startswith("wasm://"):
        # The only WebAssembly in a synth: aws-cdk-lib's built-in CloudFormation validation engine.
        return "wasm (CDK built-in template validation)"
    # The innermost node_modules package is the one the code belongs to.
    match = next(reversed(list(_AREA.finditer(url))), None)
    if match is None:
        return "jsii kernel" if "program.js" in url or "jsii" in url else Path(url).name
    package, module = match.group(1), match.group(2) or ""
    if package == "aws-cdk-lib":
        return f"aws-cdk-lib/{module}"
    return package


def summarize(profile: dict[str, Any], top: int) -> dict[str, Any]:
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent: dict[int, int] = {}
    for node in profile["nodes"]:
        for child in node.get("children", []):
            parent[child] = node["id"]
    self_us: collections.Counter[int] = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        self_us[sample] += delta

    def key(node: dict[str, Any]) -> str:
        frame = node["callFrame"]
        return f"{frame['functionName'] or '(anonymous)'} [{area(frame['url'], frame['functionName'])}]"

    by_area: collections.Counter[str] = collections.Counter()
    by_function_self: collections.Counter[str] = collections.Counter()
    by_function_total: collections.Counter[str] = collections.Counter()
    by_area_total: collections.Counter[str] = collections.Counter()
    for node_id, micros in self_us.items():
        node = nodes[node_id]
        frame = node["callFrame"]
        by_area[area(frame["url"], frame["functionName"])] += micros
        by_function_self[key(node)] += micros
        seen_functions, seen_areas = set(), set()
        current: int | None = node_id
        while current is not None:
            ancestor = nodes[current]
            seen_functions.add(key(ancestor))
            seen_areas.add(area(ancestor["callFrame"]["url"], ancestor["callFrame"]["functionName"]))
            current = parent.get(current)
        for function in seen_functions:
            by_function_total[function] += micros
        for name in seen_areas:
            by_area_total[name] += micros
    total = sum(self_us.values())
    return {
        "total_s": total / 1e6,
        "areas_self": [(a, us / 1e6) for a, us in by_area.most_common(top)],
        "areas_inclusive": [(a, us / 1e6) for a, us in by_area_total.most_common(top)],
        "functions_self": [(f, us / 1e6) for f, us in by_function_self.most_common(top)],
        "functions_inclusive": [(f, us / 1e6) for f, us in by_function_total.most_common(top)],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.node_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--profile", type=Path, help="summarize this .cpuprofile instead of running a synth")
    args, rest = parser.parse_known_args(argv)
    path = args.profile
    if path is None:
        directory = Path(tempfile.mkdtemp(prefix="bench-node-prof-"))
        env = {**os.environ, "NODE_OPTIONS": f"--cpu-prof --cpu-prof-dir={directory}"}
        subprocess.run([sys.executable, "-m", "tools.bench.profile", *rest], cwd=ROOT, env=env, check=True)
        # jsii starts a small launcher process, then the kernel: the kernel's profile is the large one.
        path = max(directory.glob("*.cpuprofile"), key=lambda p: p.stat().st_size)
    summary = summarize(json.loads(path.read_text()), args.top)
    print(f"\nNode CPU profile {path}: {summary['total_s']:.2f} s sampled")
    for title, rows in (
        ("by area, self time", summary["areas_self"]),
        ("by area, inclusive", summary["areas_inclusive"]),
        ("by function, self time", summary["functions_self"]),
        ("by function, inclusive", summary["functions_inclusive"]),
    ):
        print(f"\n{title}:")
        for name, seconds in rows:
            print(f"  {seconds:7.3f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
