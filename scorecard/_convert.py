"""
The one converter between TOML data and the records, in both directions.

Built on cattrs' tomllib preconf converter, made strict: a string is never read as a number,
an array never as a string, and unknown keys are errors.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import functools
import math
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

import attrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.tomllib import TomllibConverter, make_converter

from ._errors import FieldValueError, ItemValueError
from ._model import RULE_KINDS, ChangeRule, Citation, Rule, hedge_problem
from ._time import Duration, Period


def describe(value: object) -> str:
    """
    Name a TOML value's type the way a person writing TOML would: "a string", "an array".
    """
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."  # noqa: PLR2004 - keep messages short
        return f"a string ({shown!r})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, datetime.datetime):
        return "a date-time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time of day"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _expected(what: str, value: object) -> TypeError:
    return TypeError(f"expected {what}, got {describe(value)}")


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    raise _expected("a string", value)


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _expected("a number", value)


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _expected("true or false", value)


def _structure_date(value: object, _: type) -> datetime.date:
    if isinstance(value, datetime.datetime):
        msg = f"expected a date like 2024-06-27, got a date-time ({value.isoformat()})"
        raise TypeError(msg)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        msg = f"expected a date like 2024-06-27 without quotes, got a string ({value!r})"
        raise TypeError(msg)
    raise _expected("a date like 2024-06-27", value)


def _structure_period(value: object, _: type) -> Period:
    if isinstance(value, datetime.datetime):
        raise _expected('a period such as "2024-H1"', value)
    if isinstance(value, datetime.date):
        return Period.day(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Period.parse(str(value))
    if isinstance(value, str):
        return Period.parse(value)
    raise _expected('a period such as "2024-H1"', value)


def _structure_duration(value: object, _: type) -> Duration:
    if isinstance(value, str):
        return Duration.parse(value)
    raise _expected('a duration such as "6 months"', value)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, str):
        member = _members(cls).get(value) or _spellings(cls).get(" ".join(value.split()).casefold())
        if member is not None:
            return member
        names = list(_members(cls))
        # A transposition ("=>" for ">=") is the likeliest slip; difflib would rank it below ">".
        guess = [name for name in names if sorted(name) == sorted(value)]
        guess = guess or difflib.get_close_matches(value, names, n=1, cutoff=0.6)
        hint = f" (did you mean {guess[0]!r}?)" if guess else f"; expected one of {', '.join(map(repr, names))}"
        msg = f"unknown value {value!r}{hint}"
        raise ValueError(msg)
    raise _expected(f"one of {', '.join(repr(m.value) for m in cls)}", value)


@functools.cache
def _members(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    return {member.value: member for member in cls}


@functools.cache
def _spellings(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    # The pages say "Sort of" where files say "partly": a person copying either is understood,
    # in any case ("Yes", "YES", "sort of").
    found: dict[str, enum.Enum] = {}
    for member in cls:
        found[str(member.value).casefold()] = member
        label = getattr(member, "label", None)
        if isinstance(label, str):
            found.setdefault(label.casefold(), member)
    return found


def _structure_string_tuple(value: object, _: type) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _expected("an array of strings", value)
    wrong = [
        (index, f"expected a string, got {describe(item)}")
        for index, item in enumerate(value)
        if not isinstance(item, str)
    ]
    if wrong:
        raise ItemValueError(wrong)
    return tuple(value)


def _structure_mapping(value: object, _: type) -> dict[str, float]:
    from cattrs.errors import AttributeValidationNote, IterableValidationError  # noqa: PLC0415 - errors only

    if not isinstance(value, dict):
        raise _expected("a table of phrase = probability", value)
    found, errors = {}, []
    # Every phrase is checked, each error noted with its phrase (for its line), so a table of
    # several bad overrides is reported whole, not one problem per run.
    for key, number in value.items():
        try:
            found[str(key)] = _structure_float(number, float)
            message = hedge_problem(str(key), found[str(key)])
            if message is not None:
                raise ValueError(message)  # noqa: TRY301 - noted with the others below
        except (TypeError, ValueError) as error:
            error.add_note(AttributeValidationNote(f"Structuring hedge {key!r}", str(key), float))
            errors.append(error)
    if errors:
        msg = "invalid hedge overrides"
        raise IterableValidationError(msg, errors, dict)
    return found


def _is_optional(cls: Any) -> bool:
    origin = get_origin(cls)
    return bool(origin in (Union, types.UnionType) and type(None) in get_args(cls) and cls is not Rule)


def _is_rule(cls: Any) -> bool:
    return bool(cls == Rule)


def _make_converter(*, detailed: bool) -> TomllibConverter:
    """
    The strict converter; *detailed* collects every problem of a record with its key path.

    The quick one (not detailed) lets attrs' own validators run once in ``__init__``; it is
    used first, and the detailed one only for a record that failed, to say everything wrong.
    """
    converter = make_converter(forbid_extra_keys=True, detailed_validation=detailed)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_structure_hook(Period, _structure_period)
    converter.register_structure_hook(Duration, _structure_duration)
    converter.register_structure_hook_func(lambda cls: cls == tuple[str, ...], _structure_string_tuple)
    converter.register_structure_hook_func(lambda cls: cls == Mapping[str, float], _structure_mapping)
    converter.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), _structure_enum
    )

    def structure_optional(cls: Any) -> Any:
        inner = next(arg for arg in get_args(cls) if arg is not type(None))
        hook = converter.get_structure_hook(inner)
        return lambda value, _: hook(value, inner)

    converter.register_structure_hook_factory(_is_optional, structure_optional)

    def structure_rule(value: object, _: Any) -> Rule:
        if not isinstance(value, dict):
            raise _expected("a table", value)
        kinds = ", ".join(RULE_KINDS)
        if "kind" not in value:
            raise FieldValueError("kind", f"required key is missing; use one of {kinds}")
        kind = value["kind"]
        if not isinstance(kind, str) or kind not in RULE_KINDS:
            raise FieldValueError("kind", f"{kind!r} is not one of {kinds}")
        fields = {key: item for key, item in value.items() if key != "kind"}
        cls = RULE_KINDS[kind]
        # The kind's hook, looked up once: dispatching every rule through structure() cost more.
        hook = rule_hooks.get(cls)
        if hook is None:
            hook = rule_hooks[cls] = converter.get_structure_hook(cls)
        return hook(fields, cls)  # type: ignore[no-any-return]

    rule_hooks: dict[type, Any] = {}

    converter.register_structure_hook_func(_is_rule, structure_rule)

    def checked(field: attrs.Attribute[Any]) -> Any:
        # Run the field's own validator while structuring, so cattrs collects a bad value
        # together with every other problem of the record instead of stopping at __init__.
        def structure_field(value: object, cls: Any) -> object:
            result = converter.structure(value, cls)
            if field.validator is not None:
                field.validator(None, field, result)
            return result

        return structure_field

    def structure_table(cls: type) -> Any:
        overrides = {
            field.name: override(
                struct_hook=checked(field) if detailed else None, rename="from" if field.name == "from_" else None
            )
            for field in attrs.fields(cls)
            if (field.validator is not None and detailed) or field.name == "from_"
        }
        generated: Any = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **overrides)  # type: ignore[arg-type]

        def structure(value: object, _: type) -> object:
            if not isinstance(value, dict):
                raise _expected("a table", value)
            return generated(value, cls)

        return structure

    converter.register_structure_hook_factory(attrs.has, structure_table)
    citation_table = structure_table(Citation)

    def structure_citation(value: object, _: type) -> Citation:
        # A bare address stays valid: the short form most ledgers are written in.
        if isinstance(value, str):
            if not value.strip():
                raise FieldValueError("url", "must not be empty")
            return Citation(value)
        if isinstance(value, dict):
            return citation_table(value, Citation)  # type: ignore[no-any-return]
        raise _expected("an address string or a source table", value)

    converter.register_structure_hook(Citation, structure_citation)

    def unstructure_table(cls: type) -> Any:
        overrides = {"from_": override(rename="from")} if cls is ChangeRule else {}
        generated: Any = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)  # type: ignore[arg-type]
        kind = getattr(cls, "kind", None)
        if cls is Citation:

            def unstructure_citation(record: Citation) -> str | dict[str, Any]:
                data: dict[str, Any] = generated(record)
                return record.url if data.keys() == {"url"} else data

            return unstructure_citation
        if cls in RULE_KINDS.values():

            def unstructure_rule(record: object) -> dict[str, Any]:
                return {"kind": kind, **generated(record)}

            return unstructure_rule
        return generated

    converter.register_unstructure_hook_factory(attrs.has, unstructure_table)
    converter.register_unstructure_hook(Period, str)
    converter.register_unstructure_hook(Duration, str)
    converter.register_unstructure_hook_func(_is_rule, lambda record: converter.unstructure(record, type(record)))
    return converter


@functools.cache
def converter(*, detailed: bool = True) -> TomllibConverter:
    """
    The shared, strict converter (built on first use); see ``_make_converter``.
    """
    return _make_converter(detailed=detailed)


def field_name(cls: type, attribute: str) -> str:
    """
    The TOML key of *attribute* (``from_`` is written ``from``).
    """
    return "from" if cls is ChangeRule and attribute == "from_" else attribute


def toml_keys(cls: type) -> list[str]:
    """
    Every TOML key a table of *cls* accepts.
    """
    return [field_name(cls, field.name) for field in attrs.fields(cls)]


def is_nan(value: float) -> bool:
    """
    Whether *value* is NaN.
    """
    return math.isnan(value)
