"""What every tool of the gate reports, in one shape."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Tool(enum.StrEnum):
    NAG = "cdk-nag"
    GUARD = "cfn-guard"
    CDK = "cdk-validation"
    CFN_LINT = "cfn-lint"
    CHECKOV = "checkov"
    GATE = "gate"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One open problem. ``blocking`` findings make the gate fail; the rest are reported."""

    tool: Tool
    rule: str
    stack: str
    resource: str
    message: str
    severity: Severity = Severity.ERROR
    blocking: bool = True

    def line(self) -> str:
        where = self.resource or self.stack or "(assembly)"
        return f"[{self.tool}] {self.rule} @ {where}: {self.message}"


@dataclass(frozen=True)
class Acknowledgement:
    """An acknowledged cdk-nag (or CDK validation) rule: where it was made, on what, and why.

    ``at`` is the construct path ``Validations.of(x).acknowledge`` was called on; for an
    acknowledgement made above every stack (on a Stage or the App) it is ``(stage or app)``.
    """

    stack: str
    at: str
    rule: str
    reason: str
    blanket: bool


@dataclass(frozen=True)
class Skip:
    """A checkov failure that is skipped, with the reason and where the skip is recorded."""

    stack: str
    resource: str
    check: str
    reason: str
    source: str
