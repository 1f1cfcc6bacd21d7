"""EMR configuration for the spark-redshift connector (Amazon Redshift integration for Apache Spark).

EMR ships the connector from release 6.4.0. On 6.4.0-6.9.x Spark does not load it by default: every job
must pass its jars with ``--jars``; from 6.10.0 the jars are on Spark's classpath and nothing is needed:
https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-spark-redshift-launch.html
"""

from __future__ import annotations

from emr_constructs.cluster.configurations import Configuration, spark_defaults
from emr_constructs.cluster.releases import parse_release_label
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


def spark_redshift_configurations(release_label: str) -> tuple[Configuration, ...]:
    """The cluster configurations that put the spark-redshift connector on Spark's classpath for ``release_label``.

    ``spark-defaults`` with ``spark.jars`` for emr-6.4.0 to 6.9.x, nothing from emr-6.10.0 (EMR loads the
    connector by default). Add the result to ``ClusterProps.configurations``: the cluster merges it with your
    own ``spark-defaults`` (a ``spark.jars`` of yours replaces this one, so list these jars in it too).

    Raises :class:`EmrConfigError` for a malformed label or a release without the connector.
    """
    release = parse_release_label(release_label)
    if release is None:
        raise EmrConfigError(
            "spark_redshift_configurations",
            [Problem("release_label", release_label, "not an EMR release label", "emr-<major>.<minor>.<patch>")],
        )
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
        return ()
    return (spark_defaults({"spark.jars": ",".join(CONNECTOR_JARS)}),)
