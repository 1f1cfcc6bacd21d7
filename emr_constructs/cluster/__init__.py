"""The EMR on EC2 cluster: release table, applications, configurations, capacity, security configuration.

``EmrCluster(stack, "Cluster", network=..., security_groups=..., log_bucket=..., encryption_key=...)`` builds a
secure cluster from :class:`ClusterProps` (all defaults); every EMR rule that can be known at synth time is
checked first (``ClusterProps.problems()`` for the data, the construct for its references).
"""

from emr_constructs.cluster.applications import DEFAULT_APPLICATIONS, NON_YARN_APPLICATIONS, Application
from emr_constructs.cluster.artifacts import S3File, TlsCertificates, grant_object_read
from emr_constructs.cluster.cluster import EmrCluster
from emr_constructs.cluster.configurations import (
    Configuration,
    glue_data_catalog_metastore,
    maximize_resource_allocation,
    merge_configurations,
    spark_defaults,
    spark_dynamic_allocation,
)
from emr_constructs.cluster.enums import (
    ActionOnFailure,
    AdjustmentType,
    ComparisonOperator,
    Market,
    OnDemandAllocationStrategy,
    ScaleDownBehavior,
    ScalingStrategy,
    ScalingUnitType,
    SpotAllocationStrategy,
    SpotTimeoutAction,
    Statistic,
    VolumeType,
)
from emr_constructs.cluster.fleets import InstanceFleet, InstanceFleets, InstanceTypeConfig
from emr_constructs.cluster.groups import AutoScalingPolicy, InstanceGroup, InstanceGroups, ScalingRule
from emr_constructs.cluster.props import ClusterProps
from emr_constructs.cluster.releases import (
    DEFAULT_RELEASE_LABEL,
    Feature,
    Release,
    closest_instance_types,
    get_release,
    is_emr_instance_type,
    latest_release,
    newest_known_label,
    supported_instance_types,
    supported_release_labels,
    supported_releases,
)
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.cluster.security_configuration import EmrSecurityConfiguration
from emr_constructs.cluster.security_props import (
    DEFAULT_TLS_CERTIFICATES_KEY,
    KerberosProps,
    S3EncryptionMode,
    SecurityConfigurationProps,
)
from emr_constructs.cluster.steps import BootstrapAction, SparkStep
from emr_constructs.cluster.storage import EbsVolume, RootVolume

__all__ = [
    "DEFAULT_APPLICATIONS",
    "DEFAULT_RELEASE_LABEL",
    "DEFAULT_TLS_CERTIFICATES_KEY",
    "NON_YARN_APPLICATIONS",
    "ActionOnFailure",
    "AdjustmentType",
    "Application",
    "AutoScalingPolicy",
    "BootstrapAction",
    "ClusterProps",
    "ComparisonOperator",
    "Configuration",
    "EbsVolume",
    "EmrCluster",
    "EmrSecurityConfiguration",
    "Feature",
    "InstanceFleet",
    "InstanceFleets",
    "InstanceGroup",
    "InstanceGroups",
    "InstanceTypeConfig",
    "KerberosProps",
    "ManagedScaling",
    "Market",
    "OnDemandAllocationStrategy",
    "Release",
    "RootVolume",
    "S3EncryptionMode",
    "S3File",
    "ScaleDownBehavior",
    "ScalingRule",
    "ScalingStrategy",
    "ScalingUnitType",
    "SecurityConfigurationProps",
    "SparkStep",
    "SpotAllocationStrategy",
    "SpotTimeoutAction",
    "Statistic",
    "TlsCertificates",
    "VolumeType",
    "closest_instance_types",
    "get_release",
    "glue_data_catalog_metastore",
    "grant_object_read",
    "is_emr_instance_type",
    "latest_release",
    "maximize_resource_allocation",
    "merge_configurations",
    "newest_known_label",
    "spark_defaults",
    "spark_dynamic_allocation",
    "supported_instance_types",
    "supported_release_labels",
    "supported_releases",
]
