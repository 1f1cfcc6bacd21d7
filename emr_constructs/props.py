"""The base of every Props class: its rules run once, when the Props are built, and its settings parse as data.

A Props dataclass subclasses :class:`ValidatedProps` and implements ``_rules()``. The rules run in
``__post_init__`` (so a Props built from Python and one parsed from settings take the same path), their result is
kept on the instance, and everything downstream reads it: the parent Props that nest it, the settings loader
(which reports ``<file>: <key.path>=...``) and the construct (which reports ``<construct path>: <field>=...``)::

    props = ClusterProps(step_concurrency_level=999)   # rules run here, once
    props.problems()                                   # the stored result, no rule runs again
    EmrCluster(stack, "Cluster", props=props, ...)     # raises EmrConfigError at dev/Compute/Cluster

A Props object is never invalid *silently*: building it does not raise (so one synth reports every mistake of a
construct at once, with the construct's path), and a construct refuses Props that carry problems.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Self

from emr_constructs.errors import EmrConfigError, Problem


class ValidatedProps:
    """Mixin for the library's frozen Props dataclasses: rules evaluated once, at build time.

    Subclasses implement :meth:`_rules`; nested Props are already validated, so a parent only lifts their
    stored problems under its field name (``checks.extend(self.child.problems(), "child")``).
    """

    _problems: tuple[Problem, ...]

    def __post_init__(self) -> None:
        # Frozen dataclasses refuse attribute writes; the stored result is not a field (no effect on eq/hash).
        object.__setattr__(self, "_problems", tuple(self._rules()))

    def _rules(self) -> list[Problem]:
        """Every rule the Props alone decide, one problem per broken rule. Runs once per instance."""
        return []

    def problems(self) -> list[Problem]:
        """The problems found when these Props were built (empty when they are valid)."""
        return list(self._problems)

    def raise_if_invalid(self, where: str) -> None:
        """Raise :class:`EmrConfigError` at ``where`` (a construct path or a file) when the Props carry problems."""
        if self._problems:
            raise EmrConfigError(where, self._problems)

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "settings") -> Self:
        """Build from plain data (parsed JSON/YAML), or raise every problem at once as ``<source>: <key>=...``.

        Keys are the dataclass fields; enums take their values, nested Props take objects, tuples take lists.
        """
        from emr_constructs.settings import parse_props

        return parse_props(cls, data, source=source)

    @classmethod
    def from_file(cls, path: str | Path) -> Self:
        """Build from a JSON file whose top-level object holds this Props' fields."""
        file = Path(path)
        try:
            data = json.loads(file.read_text())
        except (OSError, json.JSONDecodeError) as error:
            problem = Problem("(file)", str(file), str(error), "a readable JSON file")
            raise EmrConfigError(str(file), [problem]) from None
        return cls.from_dict(data, source=str(file))
