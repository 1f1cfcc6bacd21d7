"""What the monitoring needs to know about the things it watches.

The monitoring does not import the cluster, Glue or warehouse constructs: it watches anything that has these
few attributes, so the platform's constructs, imported resources and test doubles all fit. Names are read
as they are (CloudFormation tokens are fine); nothing here is looked up in AWS.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from constructs import Node


class MonitoredCluster(Protocol):
    """An EMR cluster whose metrics and events are watched."""

    @property
    def node(self) -> Node:
        """The cluster construct's node. Its ``node.id`` names the cluster's alarms and dashboard widgets, so
        it must be unique among the clusters given to one :class:`PlatformMonitoring`."""
        ...

    @property
    def cluster_id(self) -> str:
        """The cluster id (``j-...``), usually the ``Ref`` of the ``AWS::EMR::Cluster``: the ``JobFlowId``
        dimension of the EMR metrics and the ``clusterId`` of the EMR events."""
        ...

    @property
    def auto_terminates(self) -> bool:
        """True when the cluster has an auto-termination policy (or terminates after its steps); the
        "idle too long" alarm is only added when this is False, where an idle cluster costs money forever."""
        ...


class MonitoredGlueJob(Protocol):
    """A Glue job whose failed runs are reported."""

    @property
    def job_name(self) -> str:
        """The job name (``Ref`` of ``AWS::Glue::Job``): ``jobName`` of the Glue events, ``JobName`` dimension."""
        ...


class MonitoredCrawler(Protocol):
    """A Glue crawler whose failed runs are reported."""

    @property
    def crawler_name(self) -> str:
        """The crawler name (``Ref`` of ``AWS::Glue::Crawler``): ``crawlerName`` of the Glue crawler events."""
        ...


class WarehouseKind(StrEnum):
    """How the Redshift warehouse is deployed; decides its metrics, alarms and events."""

    SERVERLESS = "serverless"
    """Redshift Serverless: ``identifier`` is the workgroup name (``Workgroup`` dimension)."""
    PROVISIONED = "provisioned"
    """A provisioned cluster: ``identifier`` is the cluster identifier (``ClusterIdentifier`` dimension)."""


class MonitoredWarehouse(Protocol):
    """A Redshift warehouse (serverless workgroup or provisioned cluster)."""

    @property
    def node(self) -> Node:
        """The warehouse construct's node; ``node.id`` names its alarms and widgets (unique per monitoring)."""
        ...

    @property
    def kind(self) -> str:
        """``"serverless"`` or ``"provisioned"``: a :class:`WarehouseKind` or any string enum with these values
        (such as the warehouse construct's own), so the protocol needs no import of the warehouse module."""
        ...

    @property
    def identifier(self) -> str:
        """Workgroup name (serverless) or cluster identifier (provisioned), as used in the metric dimensions."""
        ...
