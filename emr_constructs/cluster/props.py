"""Props of the EMR cluster: the data part of its configuration, parsed straight from settings JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

from emr_constructs.cluster.applications import DEFAULT_APPLICATIONS, Application
from emr_constructs.cluster.configurations import (
    Configuration,
    glue_data_catalog_metastore,
    maximize_resource_allocation,
    merge_configurations,
    spark_defaults,
    spark_dynamic_allocation,
)
from emr_constructs.cluster.enums import ScaleDownBehavior
from emr_constructs.cluster.fleets import InstanceFleets
from emr_constructs.cluster.groups import InstanceGroups
from emr_constructs.cluster.releases import DEFAULT_RELEASE_LABEL
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.cluster.security_props import SecurityConfigurationProps
from emr_constructs.cluster.steps import BootstrapAction, SparkStep
from emr_constructs.cluster.storage import RootVolume
from emr_constructs.cluster.validation import cluster_problems
from emr_constructs.errors import Problem
from emr_constructs.iam.roles import EmrRolesProps
from emr_constructs.props import ValidatedProps


@dataclass(frozen=True, kw_only=True)
class ClusterProps(ValidatedProps):
    """An EMR on EC2 cluster. Every field has a default, so ``ClusterProps()`` is a small, secure cluster:

    the newest release in the table with Hadoop, Spark and Hive; one on-demand ``m6g.xlarge`` primary and two
    core units; at-rest (S3, local disk, EBS) and in-transit encryption, IMDSv2; logs encrypted under a
    per-cluster prefix; operator access through SSM (no SSH key). The cluster stays up when it has no steps
    (``KeepJobFlowAliveWhenNoSteps``); set ``auto_termination_idle_seconds`` for a transient one.
    """

    name: str | None = None
    """Cluster name shown by EMR. Default: a name derived from the construct path."""
    release_label: str = DEFAULT_RELEASE_LABEL
    """An EMR release in the library's table (``supported_release_labels()``). Default: the newest there."""
    applications: tuple[Application, ...] = DEFAULT_APPLICATIONS
    """Applications to install; each must exist in the release. Default: Hadoop, Spark, Hive."""
    configurations: tuple[Configuration, ...] = ()
    """Configuration classifications, merged after the helper flags below (your properties win)."""
    glue_data_catalog: bool = False
    """Use the AWS Glue Data Catalog as metastore of the installed Hive, Spark, Trino and Presto. The instance
    role needs Glue permissions (not granted by the cluster). Default off."""
    maximize_resource_allocation: bool = False
    """EMR's ``spark`` ``maximizeResourceAllocation``: one large executor per node. Default off."""
    spark_dynamic_allocation: bool | None = None
    """Set ``spark.dynamicAllocation.enabled`` explicitly. Default: EMR's own (on)."""
    spark_defaults: dict[str, str] = field(default_factory=dict)
    """Extra ``spark-defaults`` properties. Default: none."""
    instance_fleets: InstanceFleets | None = None
    """Capacity as instance fleets. Default: ``InstanceFleets()`` when ``instance_groups`` is not set either.
    Exactly one of the two may be set."""
    instance_groups: InstanceGroups | None = None
    """Capacity as instance groups (one subnet; custom autoscaling possible). Default: not used."""
    managed_scaling: ManagedScaling | None = None
    """EMR managed scaling of core and task capacity. Default: off (fixed capacity)."""
    auto_termination_idle_seconds: int | None = 3600
    """Terminate the cluster after this many idle seconds, 60-604800. Default 3600: a forgotten cluster stops
    costing money after an hour of idleness (and passes the library's EMR-ScalingOrAutoTermination rule).
    ``None`` for a long-running cluster: give it managed scaling instead, and turn termination protection on."""
    termination_protection: bool = False
    """Refuse API/console termination until turned off. Default off; turn on for production clusters."""
    step_concurrency_level: int | None = None
    """Steps that may run at once, 1-256. Default: EMR's 1."""
    unhealthy_node_replacement: bool | None = None
    """Replace unhealthy core nodes automatically. Default: EMR's own."""
    scale_down_behavior: ScaleDownBehavior | None = None
    """How instances are removed on scale-in. Default: EMR's (TERMINATE_AT_TASK_COMPLETION on current releases)."""
    spread_primary_nodes: bool = False
    """Place the three HA primaries on distinct hardware (placement group, SPREAD). HA clusters only. Default off."""
    custom_ami_id: str | None = None
    """A custom Amazon Linux AMI for all nodes. Default: EMR's AMI of the release."""
    os_release_label: str | None = None
    """Pin the Amazon Linux release of EMR's AMI. Default: the latest EMR validated."""
    root_volume: RootVolume = field(default_factory=RootVolume)
    """EBS root volume size/IOPS/throughput. Default: EMR's."""
    ec2_key_name: str | None = None
    """EC2 key pair for SSH to the nodes. Default: none; operators use SSM Session Manager."""
    roles: EmrRolesProps = field(default_factory=EmrRolesProps)
    """The roles the cluster creates when none are passed in. Default: SSM Session Manager access for operators
    (``enable_ssm``); the autoscaling role is created whenever an instance group has a custom scaling policy."""
    log_prefix: str | None = None
    """Key prefix of the cluster's logs in the log bucket, ending with ``/``. Default ``emr-logs/<unique id>/``."""
    encrypt_logs: bool = True
    """Encrypt the logs EMR pushes to S3 with the cluster's KMS key (release 5.30.0+, not 6.0.0). Default on."""
    bootstrap_actions: tuple[BootstrapAction, ...] = ()
    """Scripts every node runs at start, at most 16. Default: none."""
    steps: tuple[SparkStep, ...] = ()
    """Spark steps run once the cluster is up. Default: none."""
    security: SecurityConfigurationProps = field(default_factory=SecurityConfigurationProps)
    """The security configuration the cluster creates when none is passed in. Default: everything on."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags on the cluster (and its instances). The EMR managed-policy tag is always added."""

    @property
    def capacity(self) -> InstanceFleets | InstanceGroups:
        """The capacity in effect: the groups or fleets set, or the default fleets."""
        if self.instance_groups is not None and self.instance_fleets is None:
            return self.instance_groups
        return self.instance_fleets if self.instance_fleets is not None else InstanceFleets()

    @property
    def uses_fleets(self) -> bool:
        return isinstance(self.capacity, InstanceFleets)

    @property
    def primary_count(self) -> int:
        capacity = self.capacity
        if isinstance(capacity, InstanceFleets):
            return capacity.primary.primary_count
        return capacity.primary.instance_count

    def effective_configurations(self) -> tuple[Configuration, ...]:
        """The helper flags' configurations merged with ``configurations`` (yours win), one per classification."""
        installed = set(self.applications)
        helpers: list[Configuration] = []
        if self.glue_data_catalog:
            helpers.extend(
                glue_data_catalog_metastore(
                    hive=Application.HIVE in installed,
                    spark=Application.SPARK in installed,
                    trino=Application.TRINO in installed,
                    presto=Application.PRESTO in installed,
                )
            )
        if self.maximize_resource_allocation:
            helpers.append(maximize_resource_allocation())
        if self.spark_dynamic_allocation is not None:
            helpers.append(spark_dynamic_allocation(self.spark_dynamic_allocation))
        if self.spark_defaults:
            helpers.append(spark_defaults(self.spark_defaults))
        return merge_configurations(helpers, self.configurations)

    def _rules(self) -> list[Problem]:
        """Every rule that the props alone decide (release table included), one problem per broken rule."""
        return cluster_problems(self)
