"""Monitoring that lives beside the clusters it watches, so no stack grows with the whole platform."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from aws_cdk import Stack, Token
from aws_cdk import aws_events as events
from constructs import Construct

from emr_constructs.arguments import checked_arguments
from emr_constructs.errors import Checks
from emr_constructs.monitoring.channel import NotificationChannel
from emr_constructs.monitoring.cluster_monitor import ClusterMonitor
from emr_constructs.monitoring.events import EventConcern
from emr_constructs.monitoring.monitor import MonitoringScope, ResourceMonitor, check_monitors
from emr_constructs.monitoring.platform_monitoring import PlatformMonitoring
from emr_constructs.monitoring.protocols import MonitoredCluster

#: EventBridge rule names: 1-64 of these characters.
_RULE_NAME = re.compile(r"^[.\-_A-Za-z0-9]+$")
_RULE_NAME_MAX = 64
_LONGEST_CONCERN = max(len(concern.value) for concern in EventConcern)

HEADER = (
    "# EMR clusters of {stack}\nEvery alarm below and every failure event of these clusters (terminated with "
    "errors, failed steps, capacity problems) notifies the platform SNS topic."
)


def default_prefix(stack_name: str) -> str:
    """``<stack name>-`` when rule names stay within 64 characters; else the name's start and a hash of it."""
    longest = _RULE_NAME_MAX - _LONGEST_CONCERN
    if len(stack_name) + 1 <= longest or Token.is_unresolved(stack_name):
        return f"{stack_name}-"
    digest = hashlib.sha256(stack_name.encode()).hexdigest()[:8]
    return f"{stack_name[: longest - len(digest) - 2]}-{digest}-"


class WorkloadMonitoring(MonitoringScope):
    """Watches some of the platform's clusters (typically those of one compute stack) from the stack it is in,
    notifying the topic of a :class:`PlatformMonitoring` in another stack (same account and region).

    Creates the same alarms (``ClusterAlarms/<cluster id>/<alarm>``) and cluster event rules as
    :class:`PlatformMonitoring` would for these clusters, and a ``Dashboard`` of its own. The rules get fixed
    names, ``<rule_name_prefix><concern>``, and the platform's topic lets rules with that prefix publish: a
    prefix is a plain string, so the platform's stack needs no reference to this one (this one already needs
    the topic's ARN). The account-wide Spot interruption rule stays with the platform (added there once).

    :param platform: the monitoring whose topic, dead-letter queue and props are used.
    :param clusters: the clusters watched here; ``node.id`` must be unique among them.
    :param monitors: more kinds of resources to watch here (see
        :class:`~emr_constructs.monitoring.monitor.ResourceMonitor`).
    :param dashboard_name: name of this dashboard. Default: a name CloudFormation generates.
    :param rule_name_prefix: start of the rule names, unique per platform. Default: ``<stack name>-``, or for
        stack names too long for EventBridge's 64 characters, their start and a hash of the whole name.
    """

    @checked_arguments
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        platform: PlatformMonitoring,
        clusters: Sequence[MonitoredCluster] = (),
        monitors: Sequence[ResourceMonitor] = (),
        dashboard_name: str | None = None,
        rule_name_prefix: str | None = None,
    ) -> None:
        super().__init__(scope, id, props=platform.props)
        self._platform = platform
        stack = Stack.of(self)
        self.rule_name_prefix = default_prefix(stack.stack_name) if rule_name_prefix is None else rule_name_prefix
        cluster_monitor = ClusterMonitor(clusters, spot_interruptions=False)
        every_monitor: list[ResourceMonitor] = [cluster_monitor, *monitors]
        check_monitors(self.node.path, self.props, every_monitor)
        self._check_prefix(platform.channel)

        platform.channel.allow_rules_named(self.rule_name_prefix)
        if clusters:
            platform.forward_spot_interruptions()
        #: Alarms by cluster ``node.id`` and alarm id (``HDFSUtilization``, ``Extra0``, ...).
        self.cluster_alarms = cluster_monitor.alarms
        self._build(every_monitor, dashboard_name=dashboard_name, header=HEADER.format(stack=stack.stack_name))

    @property
    def channel(self) -> NotificationChannel:
        return self._platform.channel

    def route_events(self, id: str, pattern: events.EventPattern, description: str) -> events.Rule:
        """Route the events matching ``pattern`` to the platform's topic with a rule ``id`` under this construct,
        named ``<rule_name_prefix><id>`` (the name the topic policy allows)."""
        rule = events.Rule(
            self, id, rule_name=f"{self.rule_name_prefix}{id}", event_pattern=pattern, description=description
        )
        self.channel.target(rule)
        return rule

    def _check_prefix(self, channel: NotificationChannel) -> None:
        checks = Checks()
        prefix = self.rule_name_prefix
        if Token.is_unresolved(prefix):
            return
        longest = _RULE_NAME_MAX - _LONGEST_CONCERN
        checks.require(
            0 < len(prefix) <= longest and _RULE_NAME.match(prefix) is not None,
            "rule_name_prefix",
            prefix,
            f"EventBridge rule names are 1-{_RULE_NAME_MAX} of [.-_A-Za-z0-9] and the longest concern adds "
            f"{_LONGEST_CONCERN} characters",
            f"1-{longest} of [.-_A-Za-z0-9] (pass a shorter rule_name_prefix)",
        )
        checks.require(
            prefix not in channel.rule_name_prefixes,
            "rule_name_prefix",
            prefix,
            "already used by another WorkloadMonitoring of this platform (rule names would clash)",
            "a prefix unique per platform",
        )
        checks.raise_if_any(self.node.path)
