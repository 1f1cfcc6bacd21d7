"""Settings as data: JSON-shaped values parsed into the library's Props, every problem reported with its key path.

The library's Props classes are plain data (str, int, float, bool, optional values, tuples, string maps, enums
and nested Props), so one generic parser serves every Props class, the library's and a team's own settings
classes alike. Shape problems found here (unknown or missing keys, wrong types) and the rules the Props ran
when they were built are reported together as ``<file>: <key.path>=<value> is invalid: ...``::

    lake = DataLakeProps.from_dict(json.load(f)["lake"], source="config/prod.json: lake")
    props = ClusterProps.from_file("settings/cluster.json")
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from emr_constructs.errors import EmrConfigError, Problem

T = TypeVar("T")

_MISSING = object()


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if origin in (tuple, list, Sequence):
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin in (dict, Mapping):
        return f"object of {_type_name(typing.get_args(tp)[1])}"
    if tp is type(None):
        return "null"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in tp)
    if dataclasses.is_dataclass(tp):
        return "object"
    return getattr(tp, "__name__", str(tp))


def _convert(tp: Any, value: Any, path: str, problems: list[Problem]) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return _convert(non_none[0], value, path, problems)
        for candidate in non_none:
            trial: list[Problem] = []
            result = _convert(candidate, value, path, trial)
            if not trial:
                return result
        problems.append(Problem(path, value, "wrong type", _type_name(tp)))
        return _MISSING
    if origin in (tuple, list, Sequence):
        if not isinstance(value, list):
            problems.append(Problem(path, value, "wrong type", _type_name(tp)))
            return _MISSING
        item_type = typing.get_args(tp)[0]
        return tuple(_convert(item_type, item, f"{path}[{i}]", problems) for i, item in enumerate(value))
    if origin in (dict, Mapping):
        key_type, value_type = typing.get_args(tp)
        if not isinstance(value, dict) or key_type is not str:
            problems.append(Problem(path, value, "wrong type", _type_name(tp)))
            return _MISSING
        return {k: _convert(value_type, v, _join(path, k), problems) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            problems.append(Problem(path, value, f"unknown {tp.__name__}", _type_name(tp)))
            return _MISSING
    if dataclasses.is_dataclass(tp):
        return _build(typing.cast(type, tp), value, path, problems)
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp in (str, int, float, bool):
        if type(value) is not tp:
            problems.append(Problem(path, value, "wrong type", tp.__name__))
            return _MISSING
        return value
    if tp is Any:
        return value
    raise TypeError(f"settings parser does not support field type {tp!r} at {path}")


def parse_into(cls: type[T], data: Any, path: str, problems: list[Problem]) -> T:
    """Build ``cls`` from ``data``; append problems (unknown keys, missing keys, wrong types, rule breaks).

    Returns a best-effort instance so parsing can go on and report everything at once; callers must check
    ``problems`` before using it. The rules ran once, when the Props were built: nested Props' problems are
    already part of their parent's, so only the top level's stored problems are read here.
    """
    instance = _build(cls, data, path, problems)
    if instance is not _MISSING:
        stored = getattr(instance, "problems", None)
        if callable(stored):
            problems.extend(p.under(path) for p in stored())
    return instance


def parse_props(cls: type[T], data: Any, *, source: str) -> T:
    """Build ``cls`` from ``data`` or raise :class:`EmrConfigError` with every problem at ``source``."""
    problems: list[Problem] = []
    instance = parse_into(cls, data, "", problems)
    if problems:
        raise EmrConfigError(source, problems)
    return instance


def _build(cls: type[T], data: Any, path: str, problems: list[Problem]) -> T:
    if not isinstance(data, dict):
        problems.append(Problem(path, data, "wrong type", "object"))
        return typing.cast(T, _MISSING)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(typing.cast(Any, cls)) if f.init}
    for key in data:
        if key not in fields:
            problems.append(Problem(_join(path, key), data[key], "unknown key", ", ".join(sorted(fields))))
    kwargs: dict[str, Any] = {}
    before = len(problems)
    for name, field in fields.items():
        if name in data:
            converted = _convert(hints[name], data[name], _join(path, name), problems)
            if converted is not _MISSING:
                kwargs[name] = converted
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            problems.append(Problem(_join(path, name), None, "required key is missing", _type_name(hints[name])))
    if len(problems) > before:
        return typing.cast(T, _MISSING)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        problems.append(Problem(path or "(root)", data, str(exc), "see the field documentation"))
        return typing.cast(T, _MISSING)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
