"""Applications EMR installs on a cluster, by the names the ``Applications`` parameter expects."""

from __future__ import annotations

from enum import StrEnum


class Application(StrEnum):
    """An application of the release table (``releases.json``); which releases contain it is in the table.

    Values are the exact names ``AWS::EMR::Cluster`` ``Applications[].Name`` takes.
    """

    AMAZON_CLOUDWATCH_AGENT = "AmazonCloudWatchAgent"
    DELTA = "Delta"
    FLINK = "Flink"
    GANGLIA = "Ganglia"
    HADOOP = "Hadoop"
    HBASE = "HBase"
    HCATALOG = "HCatalog"
    HIVE = "Hive"
    HUDI = "Hudi"
    HUE = "Hue"
    ICEBERG = "Iceberg"
    JUPYTER_ENTERPRISE_GATEWAY = "JupyterEnterpriseGateway"
    JUPYTERHUB = "JupyterHub"
    LIVY = "Livy"
    MAHOUT = "Mahout"
    MXNET = "MXNet"
    OOZIE = "Oozie"
    PHOENIX = "Phoenix"
    PIG = "Pig"
    PRESTO = "Presto"
    SPARK = "Spark"
    SQOOP = "Sqoop"
    TENSORFLOW = "TensorFlow"
    TEZ = "Tez"
    TRINO = "Trino"
    ZEPPELIN = "Zeppelin"
    ZOOKEEPER = "ZooKeeper"


#: Applications EMR managed scaling and auto-termination do not watch: they are not YARN applications, so a
#: cluster busy with them looks idle (emr-managed-scaling.html, emr-auto-termination-policy.html).
NON_YARN_APPLICATIONS = frozenset({Application.PRESTO, Application.TRINO, Application.HBASE})

#: A cluster that names no applications gets these: HDFS/YARN, Spark and Hive (with the Glue catalog helper,
#: Spark SQL and Hive share tables).
DEFAULT_APPLICATIONS = (Application.HADOOP, Application.SPARK, Application.HIVE)
