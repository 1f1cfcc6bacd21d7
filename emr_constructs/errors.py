"""One error type for the library, and the collector every construct uses.

Every validation rule in the library reports a :class:`Problem`; a construct
collects the problems of all its props and raises them together, so a user
fixes a whole construct in one round instead of one synth per mistake. The
same problems are reported by the settings loader with a file and key path
instead of a construct path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from aws_cdk import Token


@dataclass(frozen=True)
class Problem:
    """One broken rule: which field, what was given, why it fails, what would pass."""

    field: str
    value: Any
    rule: str
    allowed: str

    def under(self, prefix: str) -> Problem:
        """The same problem with ``prefix`` in front of the field (``fleets[0].`` + ``target``)."""
        if not prefix:
            return self
        joined = f"{prefix}{self.field}" if self.field.startswith("[") else f"{prefix}.{self.field}"
        return replace(self, field=joined)

    def message(self, where: str) -> str:
        return f"{where}: {self.field}={self.value!r} is invalid: {self.rule}; allowed: {self.allowed}"


class EmrConfigError(ValueError):
    """Raised when props or settings break a rule that AWS would only enforce at deploy time.

    ``problems`` keeps the structured list; the message holds one line per problem
    of the form ``<where>: <field>=<value> is invalid: <rule>; allowed: <allowed>``.
    """

    def __init__(self, where: str, problems: Iterable[Problem]) -> None:
        self.where = where
        self.problems = tuple(problems)
        super().__init__("\n".join(p.message(where) for p in self.problems))


def is_token(value: Any) -> bool:
    """True when ``value`` (or anything inside it) is a CDK token only known at deploy time."""
    if isinstance(value, str):
        # Only a string holding a token marker can be unresolved: skip the call into the JavaScript runtime.
        return ("${Token[" in value or "#{Token[" in value) and Token.is_unresolved(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Token.is_unresolved(value)
    if isinstance(value, (list, tuple)):
        return any(is_token(v) for v in value)
    return False


class _Validated(Protocol):
    def problems(self) -> list[Problem]: ...


class Checks:
    """Collects problems; ``require`` skips values that are unresolved tokens.

    Usage::

        checks = Checks()
        checks.require(1 <= n <= 6, "max_azs", n, "AZ count out of range", "1-6")
        checks.raise_if_any(self.node.path)
    """

    def __init__(self, prefix: str = "") -> None:
        self._prefix = prefix
        self.problems: list[Problem] = []

    @classmethod
    def of(cls, props: _Validated) -> Checks:
        """A collector that starts with the problems ``props`` found when they were built (no rule runs again),
        for a construct that adds the checks which depend on the resources it was handed."""
        checks = cls()
        checks.problems.extend(props.problems())
        return checks

    def require(self, ok: bool | Callable[[], bool], field: str, value: Any, rule: str, allowed: str) -> bool:
        """Record a problem unless ``ok`` holds. ``ok`` may be a callable so it is not evaluated on tokens."""
        # A plain check that passed needs no token test (the common case; each test is a call into jsii).
        if ok is True or is_token(value):
            return True
        passed = ok() if callable(ok) else ok
        if not passed:
            self.problems.append(Problem(field, value, rule, allowed).under(self._prefix))
        return bool(passed)

    def extend(self, problems: Iterable[Problem], prefix: str = "") -> None:
        self.problems.extend(p.under(prefix).under(self._prefix) for p in problems)

    def raise_if_any(self, where: str) -> None:
        if self.problems:
            raise EmrConfigError(where, self.problems)
