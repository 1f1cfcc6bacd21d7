"""``EmrChecks``: the library's cdk-nag v3 pack for EMR clusters and security configurations.

Register it like the stock packs, once on the App::

    Validations.of(app).add_plugins(EmrChecks(app))

It is a real ``cdk_nag.NagPack`` subclass: findings land in ``validation-report.json``
and fail ``cdk synth``, and they are acknowledged like any cdk-nag finding, on the
narrowest construct, with a reason::

    Validations.of(cluster).acknowledge(Acknowledgment(id="EMR-LogEncryption", reason="..."))
    Validations.of(config).acknowledge(Acknowledgment(id="EMR-SecurityConfigEncryption[InTransit]", reason="..."))

Unlike the stock packs it does not read the L1 constructs' props: it reads the templates
CDK synthesized (handed to every validation plugin), so escape-hatch overrides and raw
``CfnCluster`` resources are checked as CloudFormation will see them, and references
across the stacks of a stage are followed. ``validate_scope(scope)`` (used in unit tests)
has no templates handed to it: it synthesizes the stage around ``scope`` (as
``Template.from_stack`` does) and reads those.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import jsii
from aws_cdk import (
    CfnResource,
    IPolicyValidationContext,
    PolicyValidationPluginReport,
    Stack,
    Stage,
)
from aws_cdk.assertions import Template
from cdk_nag import IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance
from constructs import IConstruct

from emr_constructs.policy.rules import PACK_NAME, RULES, RULES_BY_TYPE, Compliance, EmrRule, Outcome
from emr_constructs.policy.templates import ResourceRef, TemplateSet

_COMPLIANCE = {
    Compliance.COMPLIANT: NagRuleCompliance.COMPLIANT,
    Compliance.NON_COMPLIANT: NagRuleCompliance.NON_COMPLIANT,
    Compliance.NOT_APPLICABLE: NagRuleCompliance.NOT_APPLICABLE,
}


@jsii.implements(IApplyRule)
class _AppliedRule:
    """One rule applied to one resource, in the shape ``NagPack.applyRule`` takes.

    jsii only forwards members declared on the class, so every field is a property.
    """

    def __init__(self, node: CfnResource, rule: EmrRule, outcome: Outcome) -> None:
        self._node = node
        self._rule = rule
        self._outcome = outcome

    @property
    def node(self) -> CfnResource:
        return self._node

    @property
    def rule_suffix_override(self) -> str:
        # Without it cdk-nag names the rule after the JavaScript function, which a Python callback does not have.
        return self._rule.suffix

    @property
    def info(self) -> str:
        return self._rule.info

    @property
    def explanation(self) -> str:
        return self._rule.explanation

    @property
    def level(self) -> NagMessageLevel:
        return NagMessageLevel.ERROR

    def rule(self, node: CfnResource) -> NagRuleCompliance | list[str]:
        if isinstance(self._outcome, Compliance):
            return _COMPLIANCE[self._outcome]
        return list(self._outcome)


class EmrChecks(NagPack):
    """Checks every ``AWS::EMR::Cluster`` and ``AWS::EMR::SecurityConfiguration`` of an app.

    Rule ids (``EMR-<suffix>``) and what they require: see :data:`emr_constructs.policy.rules.RULES`.

    :param scope: the App (only used to write acknowledgements into templates, as for the stock packs).
    :param verbose: add each rule's explanation to its finding.
    :param write_suppressions_to_cloud_formation: copy acknowledgements into each resource's template
        ``Metadata.cdk_nag.rules_to_suppress``. cdk-nag does this with an aspect on ``scope``; aspects do not
        cross Stage boundaries, so for an app of Stages use :func:`emr_constructs.policy.add_policy_packs`.
    """

    def __init__(
        self,
        scope: IConstruct | None = None,
        *,
        verbose: bool | None = None,
        write_suppressions_to_cloud_formation: bool | None = None,
    ) -> None:
        super().__init__(
            scope, verbose=verbose, write_suppressions_to_cloud_formation=write_suppressions_to_cloud_formation
        )
        self._pack_name = PACK_NAME
        self._templates: TemplateSet | None = None
        self._template_dirs: dict[str, Path] = {}

    @property
    def name(self) -> str:
        return PACK_NAME

    @property
    def rule_ids(self) -> list[str]:
        return [rule.rule_id for rule in RULES]

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        """Called by CDK at synth with the templates it just wrote."""
        templates: dict[str, Any] = {}
        directories: dict[str, Path] = {}
        for stack in context.stack_templates:
            path = Path(stack.template_path)
            templates[stack.stack_construct_path] = json.loads(path.read_text())
            directories[stack.stack_construct_path] = path.parent
        names = _stack_names(_stacks_under(context.app_construct))
        with self._reading(TemplateSet(templates, names), directories):
            report: PolicyValidationPluginReport = super().validate(context)
        return report

    def validate_scope(self, scope: IConstruct) -> PolicyValidationPluginReport:
        """Findings under ``scope``; synthesizes the stage around ``scope`` unless CDK handed the templates."""
        if self._templates is not None:
            report: PolicyValidationPluginReport = super().validate_scope(scope)
            return report
        with self._reading(_synthesized_templates(scope), {}):
            report = super().validate_scope(scope)
        return report

    @contextmanager
    def _reading(self, templates: TemplateSet, directories: dict[str, Path]) -> Iterator[None]:
        self._templates, self._template_dirs = templates, directories
        try:
            yield
        finally:
            self._templates, self._template_dirs = None, {}

    def _check_resource(self, node: CfnResource) -> None:
        rules = RULES_BY_TYPE.get(_resource_type(node))
        if not rules or self._templates is None:
            return
        stack = Stack.of(node)
        self._load_nested(stack)
        ref = ResourceRef(stack.node.path, str(stack.resolve(node.logical_id)))
        for rule in rules:
            self._apply_rule(cast(IApplyRule, _AppliedRule(node, rule, rule.check(self._templates, ref))))

    def _load_nested(self, stack: Stack) -> None:
        """Nested stacks are not handed to plugins; their templates sit next to their top-level parent's."""
        assert self._templates is not None
        if stack.node.path in self._templates or stack.nested_stack_parent is None:
            return
        top = stack
        while top.nested_stack_parent is not None:
            top = top.nested_stack_parent
        directory = self._template_dirs.get(top.node.path)
        if directory is not None:
            self._templates.add(stack.node.path, json.loads((directory / stack.template_file).read_text()))
        else:
            self._templates.add(stack.node.path, Template.from_stack(stack).to_json())


#: CloudFormation type of each L1 class seen: CDK calls ``_check_resource`` for every resource of the app, and
#: reading ``cfn_resource_type`` of each is a call into jsii; the class constant is read once per class.
_TYPE_BY_CLASS: dict[type, str] = {}


def _resource_type(node: CfnResource) -> str:
    cls = type(node)
    if cls not in _TYPE_BY_CLASS:
        constant = getattr(cls, "CFN_RESOURCE_TYPE_NAME", None)
        if constant is None:  # a plain CfnResource (escape hatch) or a subclass of it: the type is per instance
            return node.cfn_resource_type
        _TYPE_BY_CLASS[cls] = constant
    return _TYPE_BY_CLASS[cls]


def _stacks_under(root: IConstruct) -> list[Stack]:
    # isinstance, not Stack.is_stack: one call into jsii per construct adds up on large apps.
    return [c for c in root.node.find_all() if isinstance(c, Stack)]


def _stack_names(stacks: list[Stack]) -> dict[str, str]:
    return {stack.stack_name: stack.node.path for stack in stacks}


def _synthesized_templates(scope: IConstruct) -> TemplateSet:
    """Templates of every stack in the stage around ``scope`` (cross-stack references stay inside a stage)."""
    stage = scope if Stage.is_stage(scope) else Stage.of(scope)
    stacks = _stacks_under(stage if stage is not None else scope)
    templates = {stack.node.path: Template.from_stack(stack).to_json() for stack in stacks}
    return TemplateSet(templates, _stack_names(stacks))
