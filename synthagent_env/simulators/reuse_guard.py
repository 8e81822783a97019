"""When may a stored response answer another call? Only when every identifier-like argument agrees.

The mock-tool model may reuse a stored entry that "means the same thing" (``<reuse>N</reuse>``), and calls that
differ only in case or spacing are answered from the store without a model. Both are refused here, in code,
when an identifier-like argument differs, so a wrong id can never fetch another id's record. An argument is
identifier-like when its name says so (``order_id``, ``sku``, ``email``, ...), when the tool's schema makes it
exact (an enum, a number, an integer, a boolean, a ``format``), or when its value looks like one (no spaces and
a digit or an ``@``: ``A-48213``, ``2025-03-03``, ``ann@example.com``). Strings compare with case and spacing
normalised; everything else compares exactly. Free text (``"reason": "it arrived broken"``) is the model's call.
"""

from __future__ import annotations

import re
from typing import Any

from ..mapping_key import canonical_json

_ID_NAME = re.compile(
    r"(^|_)(id|ids|uuid|sku|code|number|no|num|ref|reference|email|phone|account|iban|pnr|zip|postcode|date|time)$"
    r"|[a-z](Id|ID|Number|Code|Ref|Email|Date)$",
)
_ID_VALUE = re.compile(r"^[^\s]*[\d@][^\s]*$")
_EXACT_TYPES = {"integer", "number", "boolean"}


def loose(value: Any) -> Any:
    """Case and spacing normalised: ``" A-48213"`` and ``"a-48213"`` name the same thing."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, dict):
        return {k: loose(v) for k, v in value.items()}
    if isinstance(value, list):
        return [loose(v) for v in value]
    return value


def loose_key(tool: str, arguments: dict[str, Any]) -> str:
    """One spelling of a call up to case and spacing (the store-side shortcut's key)."""
    return f"{tool}\x1f{canonical_json(loose(arguments))}"


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(value, dict):
        out: dict[tuple[Any, ...], Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, (*path, k)))
        return out or {path: {}}
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_leaves(v, (*path, i)))
        return out or {path: []}
    return {path: value}


def _exact_by_schema(parameters: dict[str, Any], path: tuple[Any, ...]) -> bool:
    schema: Any = parameters
    for part in path:
        if not isinstance(schema, dict):
            return False
        schema = schema.get("items") if isinstance(part, int) else (schema.get("properties") or {}).get(part)
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    return "enum" in schema or "const" in schema or "format" in schema or bool(kinds & _EXACT_TYPES)


def _name(path: tuple[Any, ...]) -> str:
    return next((p for p in reversed(path) if isinstance(p, str)), "")


def identifier_mismatch(parameters: dict[str, Any], wanted: dict[str, Any], stored: dict[str, Any]) -> str | None:
    """The first identifier-like argument on which two calls differ (``"order_id"``), or None if none does."""
    a, b = _leaves(wanted), _leaves(stored)
    for path in sorted(set(a) | set(b), key=repr):
        x, y = a.get(path), b.get(path)
        name = _name(path)
        id_like = (bool(_ID_NAME.search(name)) or _exact_by_schema(parameters, path)
                   or any(isinstance(v, str) and _ID_VALUE.match(v.strip() or " ") for v in (x, y))
                   or any(v is not None and not isinstance(v, str) for v in (x, y)))
        if id_like and loose(x) != loose(y):
            return "/".join(map(str, path)) or "(arguments)"
    return None
