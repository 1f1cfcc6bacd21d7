"""The notification channel: the encrypted topic every alarm and event goes to, its key and dead-letter queue.

It is the stateful part of the monitoring (subscribers confirm once; the key encrypts what is in flight), so it
is built under the :class:`~emr_constructs.monitoring.PlatformMonitoring` that owns it, with the ids ``Key``,
``Topic`` and ``DeadLetterQueue`` directly under that construct: their logical ids never depend on what is
watched, or where.
"""

from __future__ import annotations

import jsii
from aws_cdk import Annotations, ArnFormat, Duration, IStableListProducer, Lazy, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk.interfaces import aws_events as events_refs
from constructs import Construct

from emr_constructs.guard import GuardRule, acknowledge_guard, restrict_grants_to_aws_services
from emr_constructs.monitoring.props import MonitoringProps
from emr_constructs.placeholders import is_placeholder
from emr_constructs.policy.acknowledge import acknowledge

#: The service principals allowed to publish to the topic, and so to use its key.
CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"
EVENTBRIDGE_PRINCIPAL = "events.amazonaws.com"

#: Id of the synth warning on a topic whose subscribers reach nobody (acknowledge it with ``Annotations``).
PLACEHOLDER_WARNING = "@emr-constructs/monitoring:placeholder-subscribers"

#: How long and how often EventBridge retries a delivery to the topic before it goes to the dead-letter queue
#: (EventBridge's own maximums: 24 hours, 185 attempts).
EVENT_RETRY = events.CfnRule.RetryPolicyProperty(maximum_event_age_in_seconds=86400, maximum_retry_attempts=185)


@jsii.implements(events.IRuleTarget)
class _TopicTarget:
    """Targets the topic without touching its policy. CDK's ``SnsTopic`` target would add an unconditioned
    ``events.amazonaws.com`` publish statement; the channel writes one limited to the platform's rules instead.
    An event the topic still refuses after the retries lands in the dead-letter queue instead of being lost."""

    def __init__(self, topic: sns.ITopic, dead_letter_queue: sqs.IQueue) -> None:
        self._topic = topic
        self._dead_letter_queue = dead_letter_queue

    def bind(self, rule: events_refs.IRuleRef, id: str | None = None) -> events.RuleTargetConfig:
        return events.RuleTargetConfig(
            arn=self._topic.topic_arn,
            dead_letter_config=events.CfnRule.DeadLetterConfigProperty(arn=self._dead_letter_queue.queue_arn),
            retry_policy=EVENT_RETRY,
        )


@jsii.implements(IStableListProducer)
class _ListOf:
    """The current content of a list, read when the template is written (rules can be added after the policy)."""

    def __init__(self, items: list[str]) -> None:
        self._items = items

    def produce(self) -> list[str]:
        return list(self._items)


class NotificationChannel:
    """Key, topic, dead-letter queue and subscriptions, built under ``owner`` (see the module docstring).

    Publishing is allowed to CloudWatch alarms of this account, and to EventBridge rules the channel knows:
    the rules it routed itself (by ARN, ``ArnEquals``) and the rules of other stacks that carry a registered
    name prefix (``ArnLike``, :meth:`allow_rules_named`), which is how a compute stack's own rules publish
    without the channel's stack depending on it.
    """

    def __init__(self, owner: Construct, *, props: MonitoringProps, removal_policy: RemovalPolicy) -> None:
        self._owner = owner
        self._removal_policy = removal_policy
        self._notify_on_ok = props.notify_on_ok
        self._rule_arns: list[str] = []
        self._rule_name_arns: list[str] = []
        #: The rule name prefixes registered with :meth:`allow_rules_named`.
        self.rule_name_prefixes: list[str] = []
        stack = Stack.of(owner)
        self._stack = stack

        self.key = kms.Key(
            owner,
            "Key",
            description="Encrypts the platform notification topic (CloudWatch alarms and EventBridge events)",
            enable_key_rotation=True,
            removal_policy=removal_policy,
        )
        restrict_grants_to_aws_services(self.key)
        # SNS asks KMS for data keys on behalf of the publishing service, with the topic ARN as encryption
        # context. The topic's own ARN cannot appear here (the topic already depends on the key), so the
        # context is limited to this account's topics in this region.
        topics_here = stack.format_arn(service="sns", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME)
        for sid, principal, source_arns in (
            ("AllowCloudWatchAlarmsToUseTheKey", CLOUDWATCH_PRINCIPAL, self._alarm_arns()),
            ("AllowEventBridgeRulesToUseTheKey", EVENTBRIDGE_PRINCIPAL, self._rule_arn("*")),
        ):
            self.key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=sid,
                    principals=[iam.ServicePrincipal(principal)],
                    actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                    resources=["*"],
                    conditions={
                        "StringEquals": {"aws:SourceAccount": stack.account},
                        "ArnLike": {"aws:SourceArn": source_arns},
                        "StringLike": {"kms:EncryptionContext:aws:sns:topicArn": topics_here},
                    },
                )
            )

        self.topic = sns.Topic(owner, "Topic", master_key=self.key, enforce_ssl=True)
        #: Where notifications that could not be delivered wait for 14 days: events EventBridge could not
        #: publish to the topic, and messages SNS could not deliver to a subscriber.
        self.dead_letter_queue = self._dead_letter_queue()
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="DenyPublishingByAnyoneButAwsServices",
                effect=iam.Effect.DENY,
                principals=[iam.StarPrincipal()],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={"Bool": {"aws:PrincipalIsAWSService": "false"}},
            )
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsToPublish",
                principals=[iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": self._alarm_arns()},
                },
            )
        )
        self._subscribe(props)
        #: The action every alarm of the platform takes (usable from any stack of the same account and region).
        self.alarm_action = cloudwatch_actions.SnsAction(self.topic)

    def notify(self, alarm: cloudwatch.Alarm) -> None:
        """Send ``alarm`` to the topic, and its recovery when ``notify_on_ok`` is set."""
        alarm.add_alarm_action(self.alarm_action)
        if self._notify_on_ok:
            alarm.add_ok_action(self.alarm_action)

    def target(self, rule: events.Rule) -> None:
        """Make ``rule`` deliver to the topic (retries, then the dead-letter queue); its stack's name prefix
        must be registered with :meth:`allow_rules_named` unless :meth:`route` registered the rule itself."""
        rule.add_target(_TopicTarget(self.topic, self.dead_letter_queue))

    def route(self, rule: events.Rule) -> None:
        """Deliver ``rule`` (a rule of the channel's own stack) to the topic, allowed by its ARN."""
        self.target(rule)
        if not self._rule_arns:
            self._allow_rules(
                "AllowPlatformEventRulesToDeadLetter", "AllowPlatformEventRulesToPublish", "ArnEquals", self._rule_arns
            )
        self._rule_arns.append(rule.rule_arn)

    def allow_rules_named(self, prefix: str) -> None:
        """Let the rules whose names start with ``prefix`` (in this account and region) publish and dead-letter.

        The prefix is a plain string, so a rule of another stack is allowed without a reference from the
        channel's stack to it (which would be a cycle: that stack needs the topic's ARN)."""
        if not self._rule_name_arns:
            self._allow_rules(
                "AllowPlatformRulesByNameToDeadLetter",
                "AllowPlatformRulesByNameToPublish",
                "ArnLike",
                self._rule_name_arns,
            )
        if prefix not in self.rule_name_prefixes:
            self.rule_name_prefixes.append(prefix)
            self._rule_name_arns.append(self._rule_arn(f"{prefix}*"))

    # -- internals ----------------------------------------------------------------------------------------

    def _allow_rules(self, queue_sid: str, topic_sid: str, operator: str, arns: list[str]) -> None:
        source_arns = {operator: {"aws:SourceArn": Lazy.list(_ListOf(arns))}}
        self.dead_letter_queue.add_to_resource_policy(
            iam.PolicyStatement(
                sid=queue_sid,
                principals=[iam.ServicePrincipal(EVENTBRIDGE_PRINCIPAL)],
                actions=["sqs:SendMessage"],
                resources=[self.dead_letter_queue.queue_arn],
                conditions=source_arns,
            )
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid=topic_sid,
                principals=[iam.ServicePrincipal(EVENTBRIDGE_PRINCIPAL)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions=source_arns,
            )
        )

    def _subscribe(self, props: MonitoringProps) -> None:
        for address in props.email_subscribers:
            # CDK names the subscription after its endpoint: reordering the list keeps every subscription
            # (and its confirmation) in place.
            self.topic.add_subscription(
                subscriptions.EmailSubscription(address, dead_letter_queue=self.dead_letter_queue)
            )
        for url in props.https_subscribers:
            self.topic.add_subscription(
                subscriptions.UrlSubscription(
                    url, protocol=sns.SubscriptionProtocol.HTTPS, dead_letter_queue=self.dead_letter_queue
                )
            )
        endpoints = [*props.email_subscribers, *props.https_subscribers]
        placeholders = [endpoint for endpoint in endpoints if is_placeholder(endpoint)]
        if placeholders or not endpoints:
            # A warning, not an error: example settings must still synthesize, but nobody would be notified.
            found = f"placeholder subscribers {', '.join(placeholders)}" if placeholders else "no subscribers"
            Annotations.of(self.topic).add_warning_v2(
                PLACEHOLDER_WARNING,
                f"Alarms and events reach nobody: the topic has {found}. Set the monitoring's email_subscribers or "
                "https_subscribers to real endpoints before deploying.",
            )

    def _dead_letter_queue(self) -> sqs.Queue:
        queue = sqs.Queue(
            self._owner,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            removal_policy=self._removal_policy,
        )
        acknowledge(
            queue,
            ["AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"],
            "This queue is itself the dead-letter queue of the platform's EventBridge rule targets and SNS "
            "subscriptions; a dead-letter queue needs none of its own (cdk-nag only recognises queues named as "
            "another queue's dead-letter queue).",
        )
        acknowledge_guard(
            queue,
            [GuardRule.SQS_DLQ],
            "This queue is itself the platform's dead-letter queue (EventBridge targets and SNS subscriptions); "
            "a dead-letter queue needs none of its own.",
        )
        return queue

    def _alarm_arns(self) -> str:
        return self._stack.format_arn(
            service="cloudwatch", resource="alarm", resource_name="*", arn_format=ArnFormat.COLON_RESOURCE_NAME
        )

    def _rule_arn(self, name: str) -> str:
        return self._stack.format_arn(service="events", resource="rule", resource_name=name)
