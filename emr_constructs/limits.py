"""CloudFormation's per-stack limits, checked at synth instead of minutes into a deploy.

CloudFormation rejects a stack with more than 500 resources, 200 outputs, 200 parameters or 200 mappings, and a
template larger than 1 MB (the size of the template object the CDK CLI uploads to S3). A platform that grows by
adding clusters reaches them without warning; this module fails ``cdk synth`` first, naming the stack, the
figure and how to split it::

    prod/Compute: resources=612 is invalid: CloudFormation allows at most 500 resources per stack;
    allowed: at most 500, split the stack

and warns from 80% of any of them (a warning annotation on the stack for the counts, a warning in the
validation report for the size), so the move can be planned before a deploy is refused. Nothing moves by
itself: moving a resource to another stack replaces it.

One call, after every stack of the app exists (it registers on the stacks it finds)::

    CloudFormationLimits.apply(app)

Limits: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsii
from aws_cdk import (
    Annotations,
    CfnMapping,
    CfnOutput,
    CfnParameter,
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
#: Outputs, parameters and mappings CloudFormation accepts in one template.
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200
MAX_MAPPINGS = 200
#: From this share of a limit on, synth warns (and names the stack and what to move).
WARN_RATIO = 0.8
#: Id of the warning annotation (acknowledge it with ``Annotations.of(stack).acknowledge_warning``).
NEAR_LIMIT_WARNING = "@emr-constructs/limits:near-limit"
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
    :param max_outputs: outputs allowed per stack. Default: 200. ``max_parameters``, ``max_mappings`` likewise.
    :param warn_ratio: share of a limit from which synth warns. Default: 0.8.
    """

    def __init__(
        self,
        *,
        advice: Advice = DEFAULT_ADVICE,
        max_resources: int = MAX_RESOURCES,
        max_template_bytes: int = MAX_TEMPLATE_BYTES,
        max_outputs: int = MAX_OUTPUTS,
        max_parameters: int = MAX_PARAMETERS,
        max_mappings: int = MAX_MAPPINGS,
        warn_ratio: float = WARN_RATIO,
    ) -> None:
        self.advice = advice
        self.max_resources = max_resources
        self.max_template_bytes = max_template_bytes
        self.max_outputs = max_outputs
        self.max_parameters = max_parameters
        self.max_mappings = max_mappings
        self.warn_ratio = warn_ratio

    def maxima(self) -> dict[str, int]:
        """Every limit checked, by the field name its messages use."""
        return {
            "resources": self.max_resources,
            "outputs": self.max_outputs,
            "parameters": self.max_parameters,
            "mappings": self.max_mappings,
            "template_bytes": self.max_template_bytes,
        }

    @classmethod
    def apply(
        cls,
        app: Stage,
        *,
        advice: Advice = DEFAULT_ADVICE,
        max_resources: int = MAX_RESOURCES,
        max_template_bytes: int = MAX_TEMPLATE_BYTES,
        warn_ratio: float = WARN_RATIO,
    ) -> CloudFormationLimits:
        """Check every stack under ``app`` (an App or a Stage) at synth. Call it once all stacks exist.

        The counts are a validation on each stack: it runs before any template is written, and before
        CDK's own count (which stops synth with no advice on how to split). The template size is only known
        once the template is written, so it is a policy-validation plugin on ``app`` that reads each
        template's size on disk (what the CDK CLI uploads).
        """
        limits = cls(
            advice=advice, max_resources=max_resources, max_template_bytes=max_template_bytes, warn_ratio=warn_ratio
        )
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

    def count_problems(self, figures: StackFigures, stack_path: str = "") -> list[Problem]:
        """Every count rule for one stack: resources, outputs, parameters, mappings."""
        problems = self.resource_problems(figures.resources, stack_path)
        for field, value in (
            ("outputs", figures.outputs),
            ("parameters", figures.parameters),
            ("mappings", figures.mappings),
        ):
            most = self.maxima()[field]
            if value > most:
                rule = f"CloudFormation allows at most {most} {field} per stack"
                problems.append(Problem(field, value, rule, f"at most {most}, {self.advice_for(stack_path)}"))
        return problems

    def warnings(self, figures: dict[str, int], stack_path: str = "") -> list[str]:
        """A warning per figure at or above ``warn_ratio`` of its limit but within it (beyond it is an error)."""
        found = []
        for field, value in figures.items():
            most = self.maxima()[field]
            if self.warn_ratio * most <= value <= most:
                found.append(
                    f"{stack_path}: {field}={value} is {100 * value / most:.0f}% of CloudFormation's limit of {most} "
                    f"per stack; before it is reached, {self.advice_for(stack_path)}"
                )
        return found


@dataclass(frozen=True)
class StackFigures:
    """What one stack declares in its own template, as CloudFormation counts it against its limits."""

    resources: int
    outputs: int
    parameters: int
    mappings: int

    def as_dict(self) -> dict[str, int]:
        return {
            "resources": self.resources,
            "outputs": self.outputs,
            "parameters": self.parameters,
            "mappings": self.mappings,
        }


def figures_of(stack: Stack) -> StackFigures:
    """Counted on the construct tree, without a synth: every ``CfnResource`` (including ``AWS::CDK::Metadata``),
    ``CfnOutput``, ``CfnParameter`` and ``CfnMapping`` of the stack, excluding those of nested stacks (they have
    their own template). One ``find_all`` per stack keeps the calls into the JavaScript runtime constant.
    Outputs and parameters that CDK adds while it synthesizes (cross-stack references, the bootstrap version
    parameter) are not constructs yet; the template-level check sees them."""
    constructs = stack.node.find_all()
    nested = [c for c in constructs if isinstance(c, Stack) and c is not stack]
    inside_nested = {id(c) for n in nested for c in n.node.find_all()}
    own = [c for c in constructs if id(c) not in inside_nested]
    return StackFigures(
        resources=sum(1 for c in own if isinstance(c, CfnResource)),
        outputs=sum(1 for c in own if isinstance(c, CfnOutput)),
        parameters=sum(1 for c in own if isinstance(c, CfnParameter)),
        mappings=sum(1 for c in own if isinstance(c, CfnMapping)),
    )


def template_figures(template: dict[str, Any], template_bytes: int) -> dict[str, int]:
    """The figures of a written template, as CloudFormation counts them."""
    return {
        "resources": len(template.get("Resources", {})),
        "outputs": len(template.get("Outputs", {})),
        "parameters": len(template.get("Parameters", {})),
        "mappings": len(template.get("Mappings", {})),
        "template_bytes": template_bytes,
    }


def resources_in(stack: Stack) -> int:
    """Resources ``stack`` declares in its own template, as CloudFormation counts them (see :func:`figures_of`)."""
    return figures_of(stack).resources


@jsii.implements(IValidation)
class _ResourceCount:
    """Validation on one stack; CDK reports every stack's failures together, each prefixed with its path."""

    def __init__(self, limits: CloudFormationLimits, stack: Stack) -> None:
        self._limits = limits
        self._stack = stack

    def validate(self) -> list[str]:
        where = self._stack.node.path
        figures = figures_of(self._stack)
        for warning in self._limits.warnings(figures.as_dict(), where):
            Annotations.of(self._stack).add_warning_v2(NEAR_LIMIT_WARNING, warning)
        return [p.message(where) for p in self._limits.count_problems(figures, where)]


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
        failed = False
        for stack in context.stack_templates:
            where = stack.stack_construct_path
            size = os.path.getsize(stack.template_path)
            with open(stack.template_path, encoding="utf-8") as template:
                figures = template_figures(json.load(template), size)
            # Outputs and parameters CDK adds at synth (cross-stack references) only exist in the template.
            problems = self._limits.template_problems(size, where) + self._limits.count_problems(
                StackFigures(0, figures["outputs"], figures["parameters"], figures["mappings"]), where
            )
            for problem in problems:
                failed = True
                violations.append(_violation(problem.message(where), problem.allowed, where, stack.template_path))
            near = {"template_bytes": size} if not problems else {}
            for warning in self._limits.warnings(near, where):
                violations.append(
                    _violation(warning, self._limits.advice_for(where), where, stack.template_path, "warning")
                )
        return PolicyValidationPluginReport(success=not failed, violations=violations)


def _violation(
    description: str, fix: str, stack_path: str, template_path: str, severity: str = "error"
) -> PolicyViolation:
    resource: Any = PolicyViolatingResource(locations=[], construct_path=stack_path, template_path=template_path)
    return PolicyViolation(
        rule_name=TEMPLATE_SIZE_RULE,
        description=description,
        violating_resources=[resource],
        fix=fix,
        severity=severity,
    )
