"""Stand-ins for the Python 3.10/3.11 features the workloads would otherwise use, so they run on EMR's Python.

EMR 7.x runs PySpark and PyFlink on Python 3.9 by default (3.11 is installed beside it from 7.1 but used only
when ``PYSPARK_PYTHON`` says so; EMR Serverless 7.x is on 3.9 too), and the tests run on the repository's 3.11.
Each stand-in behaves as the 3.11 feature does on both, so what the tests prove is what runs on the cluster.
``tests/workloads/test_python39.py`` fails when a 3.10+ feature comes back into ``workloads/``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

_Class = TypeVar("_Class", bound=type)


class StrEnum(str, Enum):
    """``enum.StrEnum`` (3.11): members are strings, and ``str()`` and f-strings give the value.

    A plain ``(str, Enum)`` gives ``"Reason.TOO_LATE"`` from ``str()`` (and, on 3.11, from f-strings), not
    ``"too_late"``.
    """

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


def keyword_only(cls: _Class) -> _Class:
    """``@dataclass(kw_only=True)`` (3.10) for a class already made a dataclass: its ``__init__`` takes keywords only.

    Apply it above ``@dataclass``. Unlike ``kw_only``, fields with defaults must still follow those without.
    """
    init: Callable[..., None] = cls.__dict__["__init__"]

    @functools.wraps(init)
    def __init__(self: Any, **fields: Any) -> None:
        init(self, **fields)

    signature = inspect.signature(init)
    self_parameter, *parameters = signature.parameters.values()
    __init__.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[self_parameter, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters)]
    )
    cls.__init__ = __init__  # type: ignore[misc]
    return cls
