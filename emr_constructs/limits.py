"""CloudFormation's per-stack limits, checked at synth instead of minutes into a deploy.

CloudFormation rejects a stack with more than 500 resources, and a template larger than 1 MB (the size of the
template object the CDK CLI uploads to S3). A platform that grows by adding clusters reaches both without
warning; this module fails ``cdk synth`` first, naming the stack, the figure and how to split it::

    prod/Compute: resources=612 is invalid: CloudFormation allows at most 500 resources per stack;
    allowed: at most 500, split the stack

One call, after every stack of the app exists (it registers on the stacks it finds)::

    CloudFormationLimits.apply(app)

Limits: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import jsii
from aws_cdk import (
    CfnResource,
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
    Stack,
    Stage,
    Validations,
)
from constructs import IValidation

from emr_constructs.errors import Problem

#: Resources CloudFormation accepts in one stack (template ``Resources`` section).
MAX_RESOURCES = 500
#: Bytes of a template passed to CloudFormation as an S3 object. AWS documents "1 MB" without a byte count;
#: CDK reads it as 1,000,000 (``TEMPLATE_BODY_MAXIMUM_SIZE``, where it only warns) and so does this check:
#: the smaller reading never lets through a template CloudFormation could reject.
MAX_TEMPLATE_BYTES = 1_000_000
#: What every message ends with; apps add how *they* split a stack (e.g. which setting moves a cluster).
DEFAULT_ADVICE = "split the stack (move some of its constructs into another stack)"

#: How to get under a limit: one text for every stack, or a function of the stack's construct path
#: (``prod/Compute``) for apps whose stacks split differently.
Advice = str | Callable[[str], str]

PLUGIN_NAME = "CloudFormationLimits"
TEMPLATE_SIZE_RULE = "CFN-TemplateSize"


class CloudFormationLimits:
    """The limit rules, and their registration on an app.

    :param advice: how to get under a limit; the end of every message's ``allowed:`` part. Default:
        :data:`DEFAULT_ADVICE`. An app names its own lever, e.g. ``"split the stack (e.g. move clusters to
        another compute stack with compute.clusters.<name>.stack)"``, or passes a function of the stack's
        construct path when the lever differs between its stacks.
    :param max_resources: resources allowed per stack. Default: 500, CloudFormation's quota.
    :param max_template_bytes: template bytes allowed per stack. Default: 1,000,000 (1 MB, read conservatively).
    """

    def __init__(
        self,
        *,
        advice: Advice = DEFAULT_ADVICE,
        max_resources: int = MAX_RESOURCES,
        max_template_bytes: int = MAX_TEMPLATE_BYTES,
    ) -> None:
        self.advice = advice
        self.max_resources = max_resources
        self.max_template_bytes = max_template_bytes

    @classmethod
    def apply(
        cls,
        app: Stage,
        *,
        advice: Advice = DEFAULT_ADVICE,
        max_resources: int = MAX_RESOURCES,
        max_template_bytes: int = MAX_TEMPLATE_BYTES,
    ) -> CloudFormationLimits:
        """Check every stack under ``app`` (an App or a Stage) at synth. Call it once all stacks exist.

        The resource count is a validation on each stack: it runs before any template is written, and before
        CDK's own count (which stops synth with no advice on how to split). The template size is only known
        once the template is written, so it is a policy-validation plugin on ``app`` that reads each
        template's size on disk (what the CDK CLI uploads).
        """
        limits = cls(advice=advice, max_resources=max_resources, max_template_bytes=max_template_bytes)
        for construct in app.node.find_all():
            if isinstance(construct, Stack):
                construct.node.add_validation(_ResourceCount(limits, construct))
        Validations.of(app).add_plugins(_TemplateSize(limits))
        return limits

    def advice_for(self, stack_path: str) -> str:
        """The advice for the stack at ``stack_path``."""
        return self.advice if isinstance(self.advice, str) else self.advice(stack_path)

    def resource_problems(self, resources: int, stack_path: str = "") -> list[Problem]:
        """The resource-count rule for one stack (``[]`` when within the limit)."""
        if resources <= self.max_resources:
            return []
        rule = f"CloudFormation allows at most {self.max_resources} resources per stack"
        allowed = f"at most {self.max_resources}, {self.advice_for(stack_path)}"
        return [Problem("resources", resources, rule, allowed)]

    def template_problems(self, template_bytes: int, stack_path: str = "") -> list[Problem]:
        """The template-size rule for one stack (``[]`` when within the limit)."""
        if template_bytes <= self.max_template_bytes:
            return []
        rule = f"CloudFormation allows templates of at most {self.max_template_bytes:,} bytes per stack"
        allowed = f"at most {self.max_template_bytes} bytes, {self.advice_for(stack_path)}"
        return [Problem("template_bytes", template_bytes, rule, allowed)]


def resources_in(stack: Stack) -> int:
    """Resources ``stack`` declares in its own template, as CloudFormation counts them.

    Counted on the construct tree: every ``CfnResource`` of the stack, including ``AWS::CDK::Metadata``, and
    excluding those of nested stacks (they have their own template). One ``find_all`` per stack keeps the
    number of calls into the JavaScript runtime constant instead of one per construct.
    """
    constructs = stack.node.find_all()
    nested = [c for c in constructs if isinstance(c, Stack) and c is not stack]
    inside_nested = {id(c) for n in nested for c in n.node.find_all()}
    return sum(1 for c in constructs if isinstance(c, CfnResource) and id(c) not in inside_nested)


@jsii.implements(IValidation)
class _ResourceCount:
    """Validation on one stack; CDK reports every stack's failures together, each prefixed with its path."""

    def __init__(self, limits: CloudFormationLimits, stack: Stack) -> None:
        self._limits = limits
        self._stack = stack

    def validate(self) -> list[str]:
        where = self._stack.node.path
        return [p.message(where) for p in self._limits.resource_problems(resources_in(self._stack), where)]


@jsii.implements(IPolicyValidationPlugin)
class _TemplateSize:
    """Reads the size of each written template; a violation fails synth and lands in validation-report.json."""

    def __init__(self, limits: CloudFormationLimits) -> None:
        self._limits = limits

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return "1"

    @property
    def rule_ids(self) -> list[str]:
        return [TEMPLATE_SIZE_RULE]

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        violations: list[PolicyViolation] = []
        for stack in context.stack_templates:
            size = os.path.getsize(stack.template_path)
            for problem in self._limits.template_problems(size, stack.stack_construct_path):
                violations.append(_violation(problem, stack.stack_construct_path, stack.template_path))
        return PolicyValidationPluginReport(success=not violations, violations=violations)


def _violation(problem: Problem, stack_path: str, template_path: str) -> PolicyViolation:
    resource: Any = PolicyViolatingResource(locations=[], construct_path=stack_path, template_path=template_path)
    return PolicyViolation(
        rule_name=TEMPLATE_SIZE_RULE,
        description=problem.message(stack_path),
        violating_resources=[resource],
        fix=problem.allowed,
        severity="error",
    )
