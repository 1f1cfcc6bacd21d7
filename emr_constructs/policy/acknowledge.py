"""Precise cdk-nag acknowledgements for the findings that IAM wiring causes by design.

cdk-nag reports some rules once per offending value (``AwsSolutions-IAM5[Resource::<Bucket.Arn>/events/*]``)
and names the value by flattening the CloudFormation expression it resolves to. That expression depends on
where the policy lives: in the bucket's stack it is ``<BucketLogicalId.Arn>``; in another stack, once the app
is prepared, it is a cross-stack reference (``Fn::GetStackOutput`` or ``Fn::ImportValue``) whose name CDK
picks. The helpers here compute the id the same way cdk-nag does, from the value itself, both when they are
called and again after CDK has resolved cross-stack references, so the acknowledgement matches exactly one
finding wherever the grantee lives, and never a wildcard of findings.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, cast

import jsii
from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct, IValidation

#: The rule that flags every ``AWS::IAM::Policy`` (the default policies CDK grants write to), in the three
#: compliance packs the library is checked against.
INLINE_POLICY_RULES: tuple[str, ...] = (
    "NIST.800.53.R5-IAMNoInlinePolicy",
    "HIPAA.Security-IAMNoInlinePolicy",
    "PCI.DSS.321-IAMNoInlinePolicy",
)


def flatten_reference(value: Any) -> str:
    """A resolved CloudFormation value as the flat string cdk-nag puts into finding ids.

    Mirrors ``flattenCfnReference`` of cdk-nag 3.0.2: ``Fn::Join`` joined, ``Fn::GetAtt`` as
    ``<Logical.Attr>``, ``Ref`` as ``<Name>``, ``Fn::Sub`` placeholders as ``<...>``, ``Fn::ImportValue``
    as its export name, anything else as compact JSON.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict):
        if value.get("Fn::Join"):
            delimiter, items = value["Fn::Join"]
            return str(delimiter).join(flatten_reference(item) for item in items)
        if value.get("Fn::Sub"):
            return flatten_reference(value["Fn::Sub"])
        if value.get("Fn::GetAtt"):
            resource, attribute = value["Fn::GetAtt"]
            return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
        if value.get("Fn::ImportValue"):
            return flatten_reference(value["Fn::ImportValue"])
        if value.get("Ref"):
            return f"<{flatten_reference(value['Ref'])}>"
    # cdk-nag falls back to JavaScript's JSON.stringify: no spaces, keys in insertion order.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def acknowledge(scope: IConstruct, rule_ids: Iterable[str], reason: str) -> None:
    """Acknowledge each of ``rule_ids`` on ``scope`` (and so on its children) with ``reason``."""
    acknowledgments = [Acknowledgment(id=rule_id, reason=reason) for rule_id in rule_ids]
    # One call into jsii for all of them (acknowledge takes several): grants acknowledge in bulk.
    if acknowledgments:
        Validations.of(scope).acknowledge(*acknowledgments)


def acknowledge_inline_policies(scope: IConstruct, reason: str) -> None:
    """Acknowledge the NIST/HIPAA/PCI ``IAMNoInlinePolicy`` findings of the policies under ``scope``."""
    acknowledge(scope, INLINE_POLICY_RULES, reason)


def managed_policy_finding(scope: IConstruct, policy: iam.IManagedPolicy) -> str:
    """The ``AwsSolutions-IAM4`` finding id that attaching AWS managed ``policy`` to a role in ``scope`` causes."""
    resolved = Stack.of(scope).resolve(policy.managed_policy_arn)
    return f"AwsSolutions-IAM4[Policy::{flatten_reference(resolved)}]"


def acknowledge_managed_policy(role: IConstruct, policy: iam.IManagedPolicy, reason: str) -> None:
    """Acknowledge the ``AwsSolutions-IAM4`` finding of AWS managed ``policy`` on ``role`` (that one only)."""
    acknowledge(role, [managed_policy_finding(role, policy)], reason)


def wildcard_resource_findings(consumer: IConstruct, resources: Iterable[str]) -> list[str]:
    """``AwsSolutions-IAM5`` finding ids of the wildcard ``resources`` in a policy that lives in ``consumer``'s stack.

    Before the app is prepared a cross-stack value resolves to its producer's ``Fn::GetAtt``; afterwards to
    the reference CDK created. Calling this at both times yields both ids.
    """
    stack = Stack.of(consumer)
    ids = []
    for resource in resources:
        flat = flatten_reference(stack.resolve(resource))
        if "*" in flat:
            ids.append(f"AwsSolutions-IAM5[Resource::{flat}]")
    return ids


def grant_target(grantee: iam.IGrantable) -> IConstruct | None:
    """The construct that holds the policies a grant to ``grantee`` writes (the role itself for a role)."""
    for candidate in (grantee.grant_principal, grantee):
        if Construct.is_construct(candidate):
            return cast(IConstruct, candidate)
    return None


@jsii.implements(IValidation)
class _AcknowledgeAfterPrepare:
    """Runs in CDK's validation phase, after cross-stack references are resolved and before policy
    validation plugins (cdk-nag) run, to add the ids the resolved references produce."""

    def __init__(self, target: IConstruct, resources: Sequence[str], reason: str) -> None:
        self._target = target
        self._resources = tuple(resources)
        self._reason = reason

    def validate(self) -> list[str]:
        added = _acknowledge_new(self._target, wildcard_resource_findings(self._target, self._resources), self._reason)
        # cdk-nag's write-suppressions aspect has already run: copy what was added into the templates'
        # metadata ourselves, so the deployed template shows these acknowledgements as it shows the others.
        if added:
            _write_to_template_metadata(self._target, added, self._reason)
        return []


#: Template metadata key cdk-nag's ``WriteNagSuppressionsToCloudFormationAspect`` writes.
NAG_METADATA_KEY = "cdk_nag"


def _write_to_template_metadata(target: IConstruct, rule_ids: Sequence[str], reason: str) -> None:
    for construct in target.node.find_all():
        if not isinstance(construct, CfnResource):
            continue
        resource = construct
        existing = resource.get_metadata(NAG_METADATA_KEY)
        rules = list(existing.get("rules_to_suppress", [])) if isinstance(existing, dict) else []
        known = {rule.get("id") for rule in rules if isinstance(rule, dict)}
        rules.extend({"id": rule_id, "reason": reason} for rule_id in rule_ids if rule_id not in known)
        resource.add_metadata(
            NAG_METADATA_KEY, {**(existing if isinstance(existing, dict) else {}), "rules_to_suppress": rules}
        )


#: Ids this module acknowledged, per construct. Reading them back from ``node.metadata`` instead costs three
#: calls into jsii per metadata entry of the construct (roles carry dozens), for every grant.
_ACKNOWLEDGED: weakref.WeakKeyDictionary[IConstruct, set[str]] = weakref.WeakKeyDictionary()


def _acknowledge_new(target: IConstruct, rule_ids: Iterable[str], reason: str) -> list[str]:
    """Acknowledge the ids this module has not yet acknowledged on ``target``; return those it added."""
    known = _ACKNOWLEDGED.setdefault(target, set())
    added = [rule_id for rule_id in dict.fromkeys(rule_ids) if rule_id not in known]
    acknowledge(target, added, reason)
    known.update(added)
    return added


def acknowledge_wildcard_resources(grantee: iam.IGrantable, resources: Sequence[str], reason: str) -> None:
    """Acknowledge exactly the ``AwsSolutions-IAM5[Resource::...]`` findings that granting ``grantee``
    access to ``resources`` (ARNs holding ``*``, e.g. ``bucket.arn_for_objects("events/*")``) causes.

    The acknowledgement goes on the grantee's policy holder (the role), with ``reason``. Works for a
    grantee in the resources' stack and in another stack of the same app. No-op for principals that
    hold no policy in the app (imported principals without a construct).
    """
    target = grant_target(grantee)
    if target is None:
        return
    _acknowledge_new(target, wildcard_resource_findings(target, resources), reason)
    target.node.add_validation(_AcknowledgeAfterPrepare(target, resources, reason))


#: The construct id CDK gives the one Lambda function behind every ``AwsCustomResource`` of a stack.
SDK_CALL_HANDLER_ID = "AWS679f53fac002430cb0da5b7982bd2287"


def acknowledge_sdk_call(resource: IConstruct, *, action: str, touches: str) -> None:
    """Acknowledge what CDK's ``AwsCustomResource`` brings, for one that makes one control-plane call.

    ``action`` is the IAM action of the call, which has no resource-level permissions (so ``*``); ``touches``
    says what it reads or changes (never data). The packs' Lambda rules go on the stack's one handler
    function (beside ``resource``, not under it), the policy rules on ``resource``.
    """
    handler_reasons = {
        "NIST.800.53.R5-LambdaConcurrency": "CDK's custom-resource handler runs once per deployment; reserved "
        "concurrency would withhold account capacity for nothing",
        "HIPAA.Security-LambdaConcurrency": "as NIST.800.53.R5-LambdaConcurrency: one run per deployment",
        "NIST.800.53.R5-LambdaDLQ": "CloudFormation invokes the handler synchronously and fails the deploy on "
        "error; a dead-letter queue would never receive an event",
        "HIPAA.Security-LambdaDLQ": "as NIST.800.53.R5-LambdaDLQ: synchronous invocation by CloudFormation",
        "Serverless-LambdaDLQ": "as NIST.800.53.R5-LambdaDLQ: synchronous invocation by CloudFormation",
        "NIST.800.53.R5-LambdaInsideVPC": f"the handler only calls a control-plane API ({touches}) and touches no "
        "data; in a VPC it would need a NAT gateway or an endpoint for that API",
        "HIPAA.Security-LambdaInsideVPC": "as NIST.800.53.R5-LambdaInsideVPC: control-plane call only, no data",
        "PCI.DSS.321-LambdaInsideVPC": "as NIST.800.53.R5-LambdaInsideVPC: control-plane call only, no data",
        "Serverless-LambdaTracing": "one control-plane call per deployment; its outcome is in CloudFormation's "
        "events and the function's log",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]": (
            "CDK's handler role holds AWS's basic execution policy: it may write its own log streams, nothing else"
        ),
    }
    log_reasons = {
        f"{pack}-CloudWatchLogGroupEncrypted": f"the handler's log holds only the API call ({touches}), no data; "
        "CloudWatch Logs encrypts it at rest with its own key"
        for pack in ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
    }
    resource_reasons = {
        "AwsSolutions-IAM5[Resource::*]": f"{action} supports no resource-level permission (Service Authorization "
        "Reference), so its only resource is '*'; the policy allows that one action only",
        **{
            rule: "the custom resource's role holds one inline statement for its one action; a managed policy would "
            "be reusable by other roles, which is not wanted"
            for rule in INLINE_POLICY_RULES
        },
        **log_reasons,
    }
    handler = Stack.of(resource).node.try_find_child(SDK_CALL_HANDLER_ID)
    if handler is not None:
        for rule, reason in {**handler_reasons, **log_reasons}.items():
            Validations.of(handler).acknowledge(Acknowledgment(id=rule, reason=reason))
    for rule, reason in resource_reasons.items():
        Validations.of(resource).acknowledge(Acknowledgment(id=rule, reason=reason))
