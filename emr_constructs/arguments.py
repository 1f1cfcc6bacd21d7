"""Type checks at the library's boundary, as jsii does for aws-cdk-lib: a wrong argument is a clear error.

Python does not check annotations, so without this an ``aws_ec2.Vpc`` passed where the library's network is
expected fails deep inside with ``AttributeError: 'Vpc' object has no attribute 'cluster_subnets'``. Every
public construct's ``__init__`` (and every public grant helper) is decorated with :func:`checked_arguments`,
which compares each argument with its annotation before anything is built and reports all mismatches at once::

    dev/Compute/Cluster: network=<aws_cdk.aws_ec2.Vpc> is invalid: wrong type; allowed: IPlatformNetwork
    (DataPlatformVpc, or ExistingNetwork for a VPC you bring)

Only the argument's *type* is reported, never its value, so a secret passed in the wrong place is not echoed.

typeguard (which jsii itself uses) does not check protocols, and aws-cdk-lib's interfaces (``IBucket``, ``IKey``,
``ISecret``) are protocols in Python; jsii records which interfaces a class implements in ``__jsii_ifaces__``,
so those are checked here by that record, and everything else by ``isinstance`` on the annotation.
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from emr_constructs.errors import EmrConfigError, Problem

P = ParamSpec("P")
R = TypeVar("R")

_HINTS: dict[type, str] = {}
"""Extra words for an expected type (what satisfies it), registered next to the type."""


class EmrTypeError(EmrConfigError, TypeError):
    """An argument of the wrong type: an :class:`EmrConfigError` (one line per argument) and a ``TypeError``."""


class _TypeOf:
    """Stands in for a value in a problem: only its type is shown (a secret's value must never be echoed)."""

    def __init__(self, value: Any) -> None:
        self.name = "None" if value is None else f"{type(value).__module__}.{type(value).__qualname__}"

    def __repr__(self) -> str:
        return f"<{self.name}>"


def describe_as(expected: type, words: str) -> None:
    """Register what satisfies ``expected``, shown after its name when an argument of another type is given."""
    _HINTS[expected] = words


def describe(expected: Any) -> str:
    """A reader's name for a type annotation: ``IBucket``, ``list of str``, ``EmrRoles or None``."""
    origin = typing.get_origin(expected)
    args = typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if expected is type(None):
        return "None"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (tuple, list, collections.abc.Sequence):
        return f"{getattr(origin, '__name__', 'sequence')} of {describe(args[0])}" if args else "sequence"
    if origin in (dict, collections.abc.Mapping):
        return f"dict of {describe(args[0])} to {describe(args[1])}" if args else "dict"
    name = getattr(expected, "__name__", str(expected))
    hint = _HINTS.get(expected)
    return f"{name} ({hint})" if hint else name


def _is_jsii_interface(expected: type) -> bool:
    return hasattr(expected, "__jsii_type__") and getattr(expected, "_is_protocol", False)


def _implements(value: Any, interface: type) -> bool:
    # An object handed back by the JavaScript side as several interfaces at once.
    delegates: list[Any] | None = (
        vars(value).get("_delegates") if type(value).__name__ == "InterfaceDynamicProxy" else None
    )
    if delegates:
        return any(_implements(d, interface) for d in delegates)
    # An object handed back as the interface itself (e.g. Vpc.from_vpc_attributes) is an instance of its proxy.
    proxy = getattr(interface, "__jsii_proxy_class__", None)
    if proxy is not None and isinstance(value, proxy()):
        return True
    for cls in type(value).__mro__:
        if cls is interface:
            return True
        for declared in getattr(cls, "__jsii_ifaces__", ()):
            if interface in declared.__mro__:
                return True
    return False


@functools.cache
def _protocol_members(protocol: type) -> frozenset[str]:
    """The attributes a protocol asks for (its own and its protocol bases'), for a structural check."""
    members: set[str] = set()
    for cls in protocol.__mro__:
        if cls in (object, typing.Generic) or not getattr(cls, "_is_protocol", False) or cls.__name__ == "Protocol":
            continue
        members.update(getattr(cls, "__annotations__", {}))
        members.update(name for name in vars(cls) if not name.startswith("_"))
    return frozenset(members)


def conforms(value: Any, expected: Any) -> bool:
    """True when ``value`` satisfies the annotation ``expected`` (unions, optionals, sequences, maps, jsii types)."""
    if expected is Any or expected is object:
        return True
    origin = typing.get_origin(expected)
    args = typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, a) for a in args)
    if expected is None or expected is type(None):
        return value is None
    if origin is typing.Literal:
        return value in args
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(conforms(v, a) for v, a in zip(value, args, strict=True))
    if origin in (list, collections.abc.Sequence):
        items: Any = value
        if not isinstance(items, list if origin is list else (list, tuple)):
            return False
        return all(conforms(v, args[0]) for v in items) if args else True
    if origin in (dict, collections.abc.Mapping):
        return isinstance(value, dict) and all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if origin is not None:
        return isinstance(value, origin)
    if isinstance(expected, type):
        if _is_jsii_interface(expected):
            return _implements(value, expected)
        if expected is float:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if expected is int:
            return isinstance(value, int) and not isinstance(value, bool)
        if getattr(expected, "_is_protocol", False):
            return all(hasattr(value, member) for member in _protocol_members(expected))
        return isinstance(value, expected)
    return True


def _where(function: Callable[..., Any], bound: inspect.BoundArguments) -> str:
    """The construct path being built (``scope`` path + ``id``), or the function's name for a plain function."""
    scope, construct_id = bound.arguments.get("scope"), bound.arguments.get("id")
    node = getattr(scope, "node", None)
    if node is not None and isinstance(construct_id, str):
        parent = node.path
        return f"{parent}/{construct_id}" if parent else construct_id
    owner = getattr(bound.arguments.get("self"), "node", None)
    if owner is not None and function.__name__ != "__init__":
        return f"{owner.path}.{function.__name__}()"
    return f"{function.__qualname__.removesuffix('.__init__')}()"


def checked_arguments(function: Callable[P, R]) -> Callable[P, R]:
    """Check every annotated argument of ``function`` when it is called; raise :class:`EmrTypeError` on mismatch.

    Missing or unknown keyword arguments are reported the same way (with the construct path), instead of
    Python's bare ``TypeError``.
    """
    signature = inspect.signature(function)
    hints: dict[str, Any] = {}

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not hints:
            # Resolved on first call: annotations are strings (PEP 563) naming types imported by the module.
            hints.update(typing.get_type_hints(function))
            hints.pop("return", None)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            partial = signature.bind_partial(*args[:3])
            problem = Problem("(arguments)", _TypeOf(None), str(error), str(signature).replace("self, ", ""))
            raise EmrTypeError(_where(function, partial), [problem]) from None
        problems = [
            Problem(name, _TypeOf(value), "wrong type", describe(hints[name]))
            for name, value in bound.arguments.items()
            if name in hints and not conforms(value, hints[name])
        ]
        if problems:
            raise EmrTypeError(_where(function, bound), problems)
        return function(*args, **kwargs)

    return wrapper
