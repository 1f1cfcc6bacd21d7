"""Every acknowledgement of an assembly, where it was made, and whether it is a blanket one.

Two sources, because neither is complete alone:

* the stack metadata (``aws:cdk:acknowledged-rules`` entries) names the exact construct
  ``Validations.of(x).acknowledge(...)`` was called on and the reason; it only covers
  constructs inside a stack;
* the templates' ``Metadata.cdk_nag.rules_to_suppress`` (cdk-nag's
  ``write_suppressions_to_cloud_formation``) lists, per resource, every acknowledgement that
  applies to it, including ones made on a Stage or the App, which no stack metadata shows.

An acknowledgement made on a stack, a Stage or the App covers every resource below it: that
is a blanket acknowledgement and the gate fails on it. One that is in the metadata but not
in the templates means the acknowledgements are not being written into the templates
(the write-suppressions aspect does not reach Stages registered on the App only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from tools.assembly import Assembly, StackTemplate
from tools.gate.findings import Acknowledgement, Finding, Tool

ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"
#: aws-cdk-lib itself acknowledges findings of its built-in template validation, some on whole
#: stacks (``W3010`` for every VPC). That validation is not part of the gate (cfn-lint is), so
#: acknowledgements in its namespace are listed but never fail the gate as blanket ones.
CDK_TEMPLATE_VALIDATION = "CloudFormation-Validate::"
ABOVE_STACKS = "(stage or app)"
_NAMESPACE = re.compile(r"^annotation::", re.IGNORECASE)


def plain_rule_id(qualified: str) -> str:
    """``Annotation::AwsSolutions-S1`` -> ``AwsSolutions-S1`` (aws-cdk-lib stores acknowledgements qualified)."""
    return _NAMESPACE.sub("", qualified)


def _recorded(stack: StackTemplate) -> Iterator[tuple[str, str, str]]:
    """(construct path, rule, reason) of each acknowledgement made inside ``stack``."""
    for key, entries in stack.metadata.items():
        construct_path = key.lstrip("/")
        if not (construct_path == stack.path or construct_path.startswith(stack.path + "/")):
            continue
        for entry in entries:
            data = entry.get("data")
            if entry.get("type") == ACKNOWLEDGED_RULES and isinstance(data, Mapping):
                for rule, reason in data.items():
                    yield construct_path, plain_rule_id(str(rule)), str(reason)


def _in_template(stack: StackTemplate) -> Iterator[tuple[str, str, str]]:
    """(resource construct path, rule, reason) from ``Metadata.cdk_nag.rules_to_suppress``."""
    for logical_id, body in stack.resources.items():
        metadata: Any = body.get("Metadata", {}) if isinstance(body, Mapping) else {}
        rules = metadata.get("cdk_nag", {}).get("rules_to_suppress", []) if isinstance(metadata, Mapping) else []
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, Mapping) and "id" in rule:
                yield stack.construct_path(logical_id), plain_rule_id(str(rule["id"])), str(rule.get("reason", ""))


def _covers(at: str, construct_path: str) -> bool:
    return construct_path == at or construct_path.startswith(at + "/")


def collect(assembly: Assembly) -> tuple[list[Acknowledgement], list[Finding]]:
    """All acknowledgements of the assembly, and the problems with them (blocking findings)."""
    acknowledgements: list[Acknowledgement] = []
    problems: list[Finding] = []
    for stack in assembly.stacks:
        recorded = sorted(set(_recorded(stack)))
        written = sorted(set(_in_template(stack)))
        for at, rule, reason in recorded:
            blanket = at == stack.path
            acknowledgements.append(Acknowledgement(stack.path, at, rule, reason, blanket))
            if not reason.strip():
                problems.append(_problem(stack, at, rule, "acknowledgement without a reason"))
            if blanket and not rule.startswith(CDK_TEMPLATE_VALIDATION):
                problems.append(
                    _problem(stack, at, rule, "blanket acknowledgement on the whole stack: acknowledge on the resource")
                )
            elif (
                written
                and any(_covers(at, stack.construct_path(logical_id)) for logical_id in stack.resources)
                and not any(r == rule and _covers(at, p) for p, r, _ in written)
            ):
                problems.append(
                    _problem(
                        stack,
                        at,
                        rule,
                        "acknowledgement missing from the template's Metadata.cdk_nag, so the deployed template does "
                        "not show it: it was made after the write-suppressions aspect ran (e.g. in a validation hook), "
                        "or the aspect does not reach this Stage (emr_constructs.policy.add_policy_packs)",
                    )
                )
        from_above = {
            (rule, reason)
            for resource, rule, reason in written
            if not any(r == rule and _covers(at, resource) for at, r, _ in recorded)
        }
        for rule, reason in sorted(from_above):
            acknowledgements.append(Acknowledgement(stack.path, ABOVE_STACKS, rule, reason, blanket=True))
            if rule.startswith(CDK_TEMPLATE_VALIDATION):
                continue
            problems.append(
                _problem(
                    stack,
                    ABOVE_STACKS,
                    rule,
                    "blanket acknowledgement on a Stage or the App: acknowledge on the resource",
                )
            )
        if recorded and not written:
            problems.append(
                Finding(
                    Tool.GATE,
                    "acknowledgements-not-in-template",
                    stack.path,
                    "",
                    "the template carries no cdk_nag.rules_to_suppress metadata although acknowledgements were made: "
                    "write them into every Stage's templates (emr_constructs.policy.add_policy_packs)",
                )
            )
    return acknowledgements, problems


def _problem(stack: StackTemplate, at: str, rule: str, message: str) -> Finding:
    where = f"{stack.path} (acknowledged on a Stage or the App)" if at == ABOVE_STACKS else at
    return Finding(Tool.GATE, f"acknowledgement:{rule}", stack.path, where, message)
