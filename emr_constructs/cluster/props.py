"""Props of the EMR cluster: the data part of its configuration, parsed straight from settings JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from emr_constructs.choices import require_member
from emr_constructs.cluster.applications import DEFAULT_APPLICATIONS, Application
from emr_constructs.cluster.capacity_rules import capacity_problems, effective_capacity, managed_scaling_problems
from emr_constructs.cluster.configurations import (
    Configuration,
    configuration_problems,
    glue_data_catalog_metastore,
    maximize_resource_allocation,
    merge_configurations,
    spark_defaults,
    spark_dynamic_allocation,
)
from emr_constructs.cluster.enums import ScaleDownBehavior
from emr_constructs.cluster.fleets import InstanceFleets
from emr_constructs.cluster.groups import InstanceGroups
from emr_constructs.cluster.release_rules import (
    application_problems,
    release_problems,
    require_feature,
    security_release_problems,
)
from emr_constructs.cluster.releases import DEFAULT_RELEASE_LABEL, Feature, Release
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.cluster.security_props import SecurityConfigurationProps
from emr_constructs.cluster.steps import BootstrapAction, SparkStep, work_problems
from emr_constructs.cluster.storage import RootVolume, root_volume_problems
from emr_constructs.errors import Checks, Problem
from emr_constructs.iam.roles import EmrRolesProps
from emr_constructs.props import ValidatedProps
from emr_constructs.tags import tag_problems

AUTO_TERMINATION_SECONDS = (60, 604_800)
STEP_CONCURRENCY = (1, 256)
_AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")


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
        return effective_capacity(self.instance_fleets, self.instance_groups)

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
        """Every rule that the props alone decide (release table included), one problem per broken rule.

        Each concept's rules live beside it (release, capacity, storage, steps); this only composes them,
        in the order the messages are reported. Rules needing the construct's references are the construct's.
        """
        checks = Checks()
        release = release_problems(checks, self.release_label)
        application_problems(checks, self.applications, release)
        capacity_problems(
            checks,
            fleets=self.instance_fleets,
            groups=self.instance_groups,
            spread_primary_nodes=self.spread_primary_nodes,
            release=release,
        )
        managed_scaling_problems(checks, self.managed_scaling, capacity=self.capacity, release=release)
        self._lifecycle_problems(checks, release)
        root_volume_problems(checks, self.root_volume, release)
        checks.extend(configuration_problems(self.configurations, "configurations"))
        work_problems(checks, self.bootstrap_actions, self.steps, step_concurrency_level=self.step_concurrency_level)
        checks.extend(self.security.problems(), "security")
        checks.extend(self.roles.problems(), "roles")
        security_release_problems(checks, self.security, release, "security")
        self._settings_problems(checks, release)
        return checks.problems

    def _lifecycle_problems(self, checks: Checks, release: Release | None) -> None:
        idle = self.auto_termination_idle_seconds
        if idle is not None:
            low, high = AUTO_TERMINATION_SECONDS
            checks.require(
                low <= idle <= high,
                "auto_termination_idle_seconds",
                idle,
                "auto-termination idle timeout out of range",
                f"{low}-{high} seconds (1 minute to 7 days)",
            )
            require_feature(
                checks, release, Feature.AUTO_TERMINATION, "auto_termination_idle_seconds", idle, "auto-termination"
            )
        level = self.step_concurrency_level
        if level is not None:
            low, high = STEP_CONCURRENCY
            checks.require(
                low <= level <= high, "step_concurrency_level", level, "step concurrency out of range", f"{low}-{high}"
            )
            if level > 1:
                require_feature(
                    checks, release, Feature.STEP_CONCURRENCY, "step_concurrency_level", level, "step concurrency"
                )
        if self.scale_down_behavior is not None:
            require_member(checks, ScaleDownBehavior, "scale_down_behavior", self.scale_down_behavior)

    def _settings_problems(self, checks: Checks, release: Release | None) -> None:
        """Names, AMI, key pair, logs, metastore and tags."""
        if self.name is not None:
            checks.require(
                0 < len(self.name) <= 256, "name", self.name, "cluster name length out of range", "1-256 characters"
            )
        if self.custom_ami_id is not None:
            checks.require(
                bool(_AMI_ID.match(self.custom_ami_id)),
                "custom_ami_id",
                self.custom_ami_id,
                "not an AMI id",
                "e.g. 'ami-0abc1234def567890'",
            )
        if self.os_release_label is not None:
            checks.require(
                bool(self.os_release_label.strip()),
                "os_release_label",
                self.os_release_label,
                "empty",
                "e.g. '2023.5.20240708.0'",
            )
        if self.ec2_key_name is not None:
            checks.require(
                bool(self.ec2_key_name.strip()),
                "ec2_key_name",
                self.ec2_key_name,
                "empty key pair name",
                "a key pair name, or null",
            )
        if self.log_prefix is not None:
            prefix = self.log_prefix
            checks.require(
                bool(prefix) and prefix.endswith("/") and not prefix.startswith("/") and "://" not in prefix,
                "log_prefix",
                prefix,
                "not an S3 key prefix",
                "a relative prefix ending with '/', e.g. 'emr-logs/analytics/'",
            )
        if self.encrypt_logs:
            require_feature(checks, release, Feature.LOG_ENCRYPTION, "encrypt_logs", True, "log encryption with KMS")
        if self.glue_data_catalog:
            require_feature(
                checks, release, Feature.GLUE_DATA_CATALOG, "glue_data_catalog", True, "the Glue Data Catalog metastore"
            )
        checks.extend(tag_problems(self.tags))
