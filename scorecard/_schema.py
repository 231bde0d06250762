"""
JSON Schemas for prediction and evidence files, generated from the models.

Editors (Taplo / Even Better TOML) use them to underline a misspelt key as it is typed.
"""

from __future__ import annotations

import datetime
import enum
import typing
from collections.abc import Mapping
from typing import Any, get_args, get_origin

import attrs

from ._convert import field_name
from ._model import RULE_KINDS, Citation, Ledger, Prediction, Rule
from ._time import Duration, Period

_PERIOD_PATTERN = r"^\d{4}(-(H[12]|Q[1-4]|\d{2}(-\d{2})?))?$"
SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def _type(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if cls == Rule:
        return {"$ref": "#/$defs/Rule"}
    origin = get_origin(cls)
    if origin in (typing.Union, __import__("types").UnionType):
        options = [arg for arg in get_args(cls) if arg is not type(None)]
        return _type(options[0], defs) if len(options) == 1 else {"anyOf": [_type(o, defs) for o in options]}
    if origin is tuple:
        return {"type": "array", "items": _type(get_args(cls)[0], defs)}
    if origin is Mapping:
        return {"type": "object", "additionalProperties": _type(get_args(cls)[1], defs)}
    if cls is str:
        return {"type": "string", "minLength": 1}
    if cls is float:
        return {"type": "number"}
    if cls is bool:
        return {"type": "boolean"}
    if cls is datetime.date:
        return {"type": "string", "format": "date"}
    if cls is Period:
        return {
            "anyOf": [
                {"type": "string", "pattern": _PERIOD_PATTERN},
                {"type": "integer"},
                {"type": "string", "format": "date"},
            ]
        }
    if cls is Duration:
        return {"type": "string", "pattern": r"^\s*\d+\s*(d|w|m|y|days?|weeks?|months?|years?)\s*$"}
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return {"enum": [member.value for member in cls]}
    if attrs.has(cls):
        name = cls.__name__
        if cls is Citation and name not in defs:
            defs[name] = {}
            defs[name] = {"anyOf": [{"type": "string", "minLength": 1}, _table(cls, defs)]}
        if name not in defs:
            defs[name] = {}
            defs[name] = _table(cls, defs)
        return {"$ref": f"#/$defs/{name}"}
    msg = f"no schema for {cls!r}"  # pragma: no cover - every model type is listed above
    raise TypeError(msg)  # pragma: no cover


def _table(cls: type, defs: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = dict(extra or {})
    required = list(extra or {})
    for field in attrs.fields(cls):
        key = field_name(cls, field.name)
        properties[key] = _type(hints[field.name], defs)
        if field.default is attrs.NOTHING:
            required.append(key)
    table: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if cls.__doc__:
        table["description"] = " ".join(cls.__doc__.split())
    if required:
        table["required"] = required
    return table


def schema(kind: str) -> dict[str, Any]:
    """
    The JSON Schema of a ``prediction`` file or an ``evidence`` (ledger) file.
    """
    defs: dict[str, Any] = {}
    defs["Rule"] = {"oneOf": [_table(cls, defs, {"kind": {"const": name}}) for name, cls in RULE_KINDS.items()]}
    root = _table(Prediction if kind == "prediction" else Ledger, defs)
    title = "scorecard prediction" if kind == "prediction" else "scorecard evidence ledger"
    return {"$schema": SCHEMA_URL, "title": title, **root, "$defs": defs}
