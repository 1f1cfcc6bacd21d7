"""Regenerate the library's EMR release-label and instance-type tables from recorded ListSupportedInstanceTypes data.

The EMR API answers ``ListReleaseLabels`` and ``ListSupportedInstanceTypes(ReleaseLabel=...)``; moto ships those
answers, recorded per release and per Region, as data files. This script reads them (no network, no credentials)
and writes ``emr_constructs/cluster/release_labels.json`` and ``emr_constructs/cluster/instance_types.json``,
each with its source and date::

    python -m tools.emr_tables            # rewrite both tables
    python -m tools.emr_tables --check    # exit 1 when the committed tables differ from the data
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import sys
from importlib import resources
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "emr_constructs" / "cluster"
LABEL = re.compile(r"^emr-([5-9])\.(\d+)\.(\d+)$")
SOURCE = (
    "EMR API ListReleaseLabels (per Region) and ListSupportedInstanceTypes (per release), as recorded in "
    "moto {version} (moto/emr/resources); cross-checked with "
    "https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-supported-instance-types.html"
)


def _load(name: str) -> object:
    data = resources.files("moto.emr").joinpath("resources", name).read_bytes()
    return json.loads(gzip.decompress(data))


def _version(label: str) -> tuple[int, int, int]:
    match = LABEL.match(label)
    assert match is not None
    major, minor, patch = (int(p) for p in match.groups())
    return major, minor, patch


def build() -> tuple[dict[str, object], dict[str, object]]:
    import moto

    names = [p.name for p in resources.files("moto.emr").joinpath("resources").iterdir()]
    labels_by_region: dict[str, list[str]] = {}
    for name in sorted(names):
        if name.startswith("release-labels-"):
            region = name.removeprefix("release-labels-").removesuffix(".json.gz")
            listed = _load(name)
            assert isinstance(listed, list)
            labels_by_region[region] = sorted((lbl for lbl in listed if LABEL.match(lbl)), key=_version)
    every_label = sorted({lbl for labels in labels_by_region.values() for lbl in labels}, key=_version)
    first_release: dict[str, dict[str, str]] = {}
    for label in every_label:
        file = f"instance-types-{label}.json.gz"
        if file not in names:
            continue
        types = _load(file)
        assert isinstance(types, list)
        major = str(_version(label)[0])
        for instance_type in types:
            first_release.setdefault(instance_type, {}).setdefault(major, label)
    today = datetime.date.today().isoformat()
    source = SOURCE.format(version=moto.__version__)
    release_labels: dict[str, object] = {
        "source": source,
        "date": today,
        "labels": every_label,
        "regions": {region: labels for region, labels in sorted(labels_by_region.items())},
    }
    instance_types: dict[str, object] = {
        "source": source,
        "date": today,
        "about": "Instance types EMR supports, each with the first release of every major line that lists it.",
        "types": {t: first_release[t] for t in sorted(first_release)},
    }
    return release_labels, instance_types


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed tables instead of writing")
    args = parser.parse_args(argv)
    release_labels, instance_types = build()
    outputs = {"release_labels.json": release_labels, "instance_types.json": instance_types}
    stale = []
    for name, data in outputs.items():
        path = PACKAGE / name
        if args.check:
            committed = json.loads(path.read_text())
            committed.pop("date", None)
            fresh = dict(data)
            fresh.pop("date", None)
            if committed != fresh:
                stale.append(name)
        else:
            path.write_text(json.dumps(data, indent=1) + "\n")
            print(f"wrote {path}")
    if stale:
        print(f"stale tables: {', '.join(stale)} (run python -m tools.emr_tables)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
