"""The benchmark-only settings files ``clusters-<n>.json``: ``python -m tools.bench.make_configs DIR``.

Each is ``config/prod.json`` with its ``compute.clusters`` replaced by ``n`` copies of prod's first cluster
(ids ``Bench01``..., names ``bench-01``...), so the scaling figures measure what one more production-shaped
cluster costs. Clusters fill a compute stack up to :data:`CLUSTERS_PER_STACK`, then go to the next one
(``Compute``, ``Compute2``, ...), the way a platform stays under CloudFormation's 500 resources per stack.

``make bench`` writes them into a temporary folder and synthesizes with ``-c config_dir=<folder>``, so they
always follow the current ``config/prod.json`` and nothing generated is committed. To synthesize one by hand::

    python -m tools.bench.make_configs /tmp/bench-config
    cdk synth -c config_dir=/tmp/bench-config -c env=clusters-50
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "config" / "prod.json"
CLUSTER_COUNTS = (1, 10, 25, 50, 100, 200)
#: A prod-shaped cluster adds 9 resources but ~63 KB to its stack's template (half of it the cdk-nag
#: acknowledgements written into each resource's metadata), so the 1 MB template limit binds long before
#: 500 resources: 10 clusters (~630 KB) per compute stack keep a margin.
CLUSTERS_PER_STACK = 10


def config_name(count: int) -> str:
    """Environment name (and file stem) of the settings with ``count`` clusters."""
    return f"clusters-{count}"


def stack_id(index: int) -> str:
    """Compute stack of the ``index``-th cluster (0-based)."""
    number = index // CLUSTERS_PER_STACK + 1
    return "Compute" if number == 1 else f"Compute{number}"


def settings_with_clusters(base: dict[str, Any], count: int) -> dict[str, Any]:
    template = next(iter(base["compute"]["clusters"].values()))
    settings = copy.deepcopy(base)
    settings.pop("name", None)
    clusters = {}
    for index in range(count):
        cluster = copy.deepcopy(template)
        cluster["stack"] = stack_id(index)
        cluster["cluster"]["name"] = f"bench-{index + 1:02d}"
        clusters[f"Bench{index + 1:02d}"] = cluster
    settings["compute"] = {**settings["compute"], "clusters": clusters}
    # The data path keeps running on a cluster of the base settings: move it to the first bench cluster.
    renamed = {name: "Bench01" for name in base["compute"]["clusters"]}
    sources = settings.get("sources", {})
    if "stream_readers" in sources:
        sources["stream_readers"] = [renamed.get(n, n) for n in sources["stream_readers"]]
    for pipeline in settings.get("pipelines", {}).values():
        if "cluster" in pipeline:
            pipeline["cluster"] = renamed.get(pipeline["cluster"], pipeline["cluster"])
    return settings


def write(directory: Path, counts: tuple[int, ...] = CLUSTER_COUNTS) -> list[Path]:
    """Write one settings file per cluster count into ``directory``; returns their paths."""
    base = json.loads(BASE.read_text())
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for count in counts:
        path = directory / f"{config_name(count)}.json"
        path.write_text(json.dumps(settings_with_clusters(base, count), indent=2) + "\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tools.bench.make_configs DIR", file=sys.stderr)
        return 2
    for path in write(Path(args[0])):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
