#!/usr/bin/env bash
# Bootstrap action of a cluster that runs the streaming job: installs PyFlink into the nodes' python3, where
# `flink run -py` (primary node) and Flink's Python workers (core and task nodes) import it. EMR installs Flink
# itself but not its Python API. Argument: the apache-flink version, the cluster's Flink version (1.20.0 for
# EMR 7.x); a different minor version fails at job start.
#
# PyPI publishes apache-flink wheels for x86_64 Linux only: on Graviton (arm64) nodes pip would try to build it
# from source, so the streaming cluster runs on x86 instances. The nodes need a route to PyPI (a NAT gateway, or a
# mirror given with PIP_INDEX_URL in the action's environment).
set -euo pipefail
version=${1:?usage: install_pyflink.sh <apache-flink version, e.g. 1.20.0>}
sudo python3 -m pip install --quiet --only-binary=:all: "apache-flink==${version}"
python3 -c "import pyflink; print('PyFlink', '${version}', 'installed in', pyflink.__file__)"
