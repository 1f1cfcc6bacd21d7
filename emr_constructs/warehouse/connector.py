"""EMR configuration for the spark-redshift connector (Amazon Redshift integration for Apache Spark).

EMR ships the connector from release 6.4.0. On 6.4.0-6.9.x Spark does not load it by default: every job
must pass its jars with ``--jars``; from 6.10.0 the jars are on Spark's classpath and nothing is needed:
https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-spark-redshift-launch.html
"""

from __future__ import annotations

import re
from typing import Any

from emr_constructs.errors import EmrConfigError, Problem

#: Where EMR installs the connector and its dependencies on every node (6.4.0+).
CONNECTOR_JARS: tuple[str, ...] = (
    "/usr/share/aws/redshift/jdbc/RedshiftJDBC.jar",
    "/usr/share/aws/redshift/spark-redshift/lib/spark-redshift.jar",
    "/usr/share/aws/redshift/spark-redshift/lib/spark-avro.jar",
    "/usr/share/aws/redshift/spark-redshift/lib/minimal-json.jar",
)
FIRST_RELEASE = (6, 4, 0)
ON_CLASSPATH_FROM = (6, 10, 0)

_RELEASE = re.compile(r"^emr-(\d+)\.(\d+)\.(\d+)$")


def spark_redshift_configurations(release_label: str) -> list[dict[str, Any]]:
    """EMR configuration classifications that put the spark-redshift connector on Spark's classpath.

    Returns plain ``{"Classification": ..., "Properties": ...}`` dicts (the shape of
    ``AWS::EMR::Cluster`` ``Configurations``): ``spark-defaults`` with ``spark.jars`` for 6.4.0-6.9.x, and
    ``[]`` from 6.10.0, where the connector is loaded by default. Merge them with the cluster's other
    ``spark-defaults`` properties: EMR takes one classification of each name.

    Raises :class:`EmrConfigError` for a malformed label or a release without the connector.
    """
    match = _RELEASE.match(release_label)
    if match is None:
        raise EmrConfigError(
            "spark_redshift_configurations",
            [Problem("release_label", release_label, "not an EMR release label", "emr-<major>.<minor>.<patch>")],
        )
    release = (int(match[1]), int(match[2]), int(match[3]))
    if release < FIRST_RELEASE:
        raise EmrConfigError(
            "spark_redshift_configurations",
            [
                Problem(
                    "release_label",
                    release_label,
                    "EMR ships the spark-redshift connector from emr-6.4.0",
                    "emr-6.4.0 or later",
                )
            ],
        )
    if release >= ON_CLASSPATH_FROM:
        return []
    return [{"Classification": "spark-defaults", "Properties": {"spark.jars": ",".join(CONNECTOR_JARS)}}]
