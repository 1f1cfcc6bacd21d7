"""Application configurations as a classification tree, helpers for the common ones, and a merge.

EMR rejects a cluster whose ``Configurations`` name the same classification twice at one level, so helpers
never append blindly: :func:`merge_configurations` folds configurations of the same classification into one
(later properties win), recursively. Configurations a user writes by hand are checked for duplicates instead
(:func:`duplicate_classification_problems`), since merging them silently would hide a mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from aws_cdk import aws_emr as emr

from emr_constructs.errors import Problem

#: The Hive metastore client that reads and writes the AWS Glue Data Catalog
#: (https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-hive-metastore-glue.html).
GLUE_METASTORE_CLIENT_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
METASTORE_FACTORY_PROPERTY = "hive.metastore.client.factory.class"


@dataclass(frozen=True, kw_only=True)
class Configuration:
    """One EMR configuration classification, e.g. ``spark-defaults``, with properties and nested classifications.

    ``properties`` values are strings, as EMR expects (``"true"``, not ``true``).
    """

    classification: str
    """The classification name, e.g. ``spark-defaults``, ``hive-site``, ``yarn-site``. Required."""
    properties: dict[str, str] = field(default_factory=dict)
    """Properties of the classification. Default: none."""
    configurations: tuple[Configuration, ...] = ()
    """Nested classifications (e.g. ``export`` under ``hadoop-env``). Default: none."""

    def to_cfn(self) -> emr.CfnCluster.ConfigurationProperty:
        return emr.CfnCluster.ConfigurationProperty(
            classification=self.classification,
            configuration_properties=dict(self.properties) or None,
            configurations=[c.to_cfn() for c in self.configurations] or None,
        )


def merge_configurations(*groups: Iterable[Configuration]) -> tuple[Configuration, ...]:
    """One configuration per classification at every level; for a property set twice, the later value wins.

    The order of first appearance is kept, so templates stay stable.
    """
    merged: dict[str, Configuration] = {}
    for group in groups:
        for config in group:
            existing = merged.get(config.classification)
            if existing is None:
                merged[config.classification] = Configuration(
                    classification=config.classification,
                    properties=dict(config.properties),
                    configurations=merge_configurations(config.configurations),
                )
            else:
                merged[config.classification] = Configuration(
                    classification=config.classification,
                    properties={**existing.properties, **config.properties},
                    configurations=merge_configurations(existing.configurations, config.configurations),
                )
    return tuple(merged.values())


def configuration_problems(configurations: Iterable[Configuration], field_name: str) -> list[Problem]:
    """Duplicate or empty classifications at any level of ``configurations`` (EMR rejects both)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, config in enumerate(configurations):
        where = f"{field_name}[{index}]"
        if not config.classification.strip():
            problems.append(
                Problem(
                    f"{where}.classification", config.classification, "empty classification", "e.g. 'spark-defaults'"
                )
            )
        elif config.classification in seen:
            problems.append(
                Problem(
                    f"{where}.classification",
                    config.classification,
                    "classification appears twice at the same level; EMR rejects duplicate classifications",
                    "each classification once: put all its properties in one entry",
                )
            )
        seen.add(config.classification)
        problems.extend(configuration_problems(config.configurations, f"{where}.configurations"))
    return problems


def glue_data_catalog_metastore(
    *, hive: bool = True, spark: bool = True, trino: bool = False, presto: bool = False
) -> tuple[Configuration, ...]:
    """Use the AWS Glue Data Catalog as the metastore of Hive, Spark SQL, and optionally Trino/Presto.

    The instance role needs Glue permissions on the databases and tables used (not granted here).
    """
    glue_client = {METASTORE_FACTORY_PROPERTY: GLUE_METASTORE_CLIENT_FACTORY}
    configs: list[Configuration] = []
    if hive:
        configs.append(Configuration(classification="hive-site", properties=dict(glue_client)))
    if spark:
        configs.append(Configuration(classification="spark-hive-site", properties=dict(glue_client)))
    if trino:
        configs.append(Configuration(classification="trino-connector-hive", properties={"hive.metastore": "glue"}))
    if presto:
        configs.append(Configuration(classification="presto-connector-hive", properties={"hive.metastore": "glue"}))
    return tuple(configs)


def spark_defaults(properties: dict[str, str]) -> Configuration:
    """``spark-defaults`` with ``properties`` (``spark.*`` keys as in ``spark-defaults.conf``)."""
    return Configuration(classification="spark-defaults", properties=dict(properties))


def spark_dynamic_allocation(
    enabled: bool = True, *, min_executors: int | None = None, max_executors: int | None = None
) -> Configuration:
    """Spark dynamic allocation on or off (EMR turns it on by default), with optional executor bounds."""
    properties = {"spark.dynamicAllocation.enabled": str(enabled).lower()}
    if min_executors is not None:
        properties["spark.dynamicAllocation.minExecutors"] = str(min_executors)
    if max_executors is not None:
        properties["spark.dynamicAllocation.maxExecutors"] = str(max_executors)
    return spark_defaults(properties)


def maximize_resource_allocation(enabled: bool = True) -> Configuration:
    """EMR's ``spark`` classification ``maximizeResourceAllocation``: one executor per node using all of it."""
    return Configuration(classification="spark", properties={"maximizeResourceAllocation": str(enabled).lower()})
