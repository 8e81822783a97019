"""Random values that conform to a JSON schema: offline tool responses and the random agent's arguments.

Objects, arrays, enums and numbers follow the schema's structure; strings honour ``pattern`` (drawn by walking
the regex's parse tree, stdlib only), ``format`` and length bounds. ``random_arguments`` checks the result with
the validator class the env uses and redraws if it fails.
"""

from __future__ import annotations

import random
import re
import string
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

try:  # Python >= 3.11
    from re import _constants as sre_c, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover  (3.10)
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_ALNUM = string.ascii_letters + string.digits
_CATEGORIES = {
    sre_c.CATEGORY_DIGIT: string.digits, sre_c.CATEGORY_WORD: _ALNUM + "_", sre_c.CATEGORY_SPACE: " ",
    sre_c.CATEGORY_NOT_DIGIT: string.ascii_letters, sre_c.CATEGORY_NOT_WORD: "-.", sre_c.CATEGORY_NOT_SPACE: _ALNUM,
}
_MAX_EXTRA_REPEATS = 3
_TRIES = 20


def _charset(items: list, rng: random.Random) -> str:
    return rng.choice(_charset_chars(tuple(items)))


@lru_cache(maxsize=1024)
def _charset_chars(items: tuple) -> str:
    """The characters a ``[...]`` class admits (a class is parsed once per pattern: see ``_parsed``)."""
    chars, negate = [], False
    for op, arg in items:
        if op == sre_c.NEGATE:
            negate = True
        elif op == sre_c.LITERAL:
            chars.append(chr(arg))
        elif op == sre_c.RANGE:
            chars.extend(chr(c) for c in range(arg[0], min(arg[1], arg[0] + 200) + 1))
        elif op == sre_c.CATEGORY:
            chars.extend(_CATEGORIES.get(arg, _ALNUM))
    if negate:
        chars = [c for c in _ALNUM if c not in chars] or ["~"]
    return "".join(chars) or _ALNUM


def _emit(tree: Any, rng: random.Random) -> str:
    out = []
    for op, arg in tree:
        if op == sre_c.LITERAL:
            out.append(chr(arg))
        elif op == sre_c.NOT_LITERAL:
            out.append(rng.choice([c for c in _ALNUM if ord(c) != arg]))
        elif op == sre_c.ANY:
            out.append(rng.choice(_ALNUM))
        elif op == sre_c.IN:
            out.append(_charset(arg, rng))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = arg
            hi = lo + _MAX_EXTRA_REPEATS if hi == sre_c.MAXREPEAT else min(hi, lo + _MAX_EXTRA_REPEATS)
            out.extend(_emit(sub, rng) for _ in range(rng.randint(lo, hi)))
        elif op == sre_c.SUBPATTERN:
            out.append(_emit(arg[-1], rng))
        elif op == getattr(sre_c, "ATOMIC_GROUP", None):
            out.append(_emit(arg, rng))
        elif op == sre_c.BRANCH:
            out.append(_emit(rng.choice(arg[1]), rng))
        # AT (anchors), ASSERT, ASSERT_NOT, GROUPREF: nothing to emit
    return "".join(out)


@lru_cache(maxsize=1024)
def _parsed(pattern: str) -> tuple[Any, re.Pattern[str]]:
    """The pattern's parse tree (only read by ``_emit``) and compiled form, made once per pattern."""
    return sre_parse.parse(pattern), re.compile(pattern)


def string_for_pattern(pattern: str, rng: random.Random) -> str:
    """A string that ``re.search(pattern, ...)`` accepts (JSON Schema patterns are unanchored searches)."""
    tree, compiled = _parsed(pattern)
    candidate = ""
    for _ in range(_TRIES):
        candidate = _emit(tree, rng)
        if compiled.search(candidate):
            break
    return candidate


def _date(r: random.Random) -> str:
    return f"20{r.randint(20, 29)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"


_FORMATS = {
    "date": _date,
    "date-time": lambda r: f"{_date(r)}T{r.randint(0, 23):02d}:00:00Z",
    "time": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00",
    "email": lambda r: f"user{r.randint(1, 999)}@example.com",
    "uri": lambda r: f"https://example.com/{r.randint(1, 999)}",
}


def _string(schema: dict[str, Any], rng: random.Random, name: str) -> str:
    if "pattern" in schema:
        value = string_for_pattern(schema["pattern"], rng)
    elif schema.get("format") in _FORMATS:
        value = _FORMATS[schema["format"]](rng)
    else:
        value = f"{name}-{rng.getrandbits(24):06x}"
    lo, hi = schema.get("minLength", 0), schema.get("maxLength")
    value = value + "x" * max(0, lo - len(value))
    return value[:hi] if hi is not None else value


_MAX_ITEMS = 3


def instance_of(schema: dict[str, Any], rng: random.Random, name: str = "value") -> Any:
    """A value that conforms to a (simple) JSON schema, chosen by ``rng``."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return rng.choice(schema["enum"])
    for combinator in ("anyOf", "oneOf"):
        if schema.get(combinator):
            return instance_of(rng.choice(schema[combinator]), rng, name)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: instance_of(sub, rng, key) for key, sub in props.items()}
    if kind == "array":
        count = max(schema.get("minItems", 1), rng.randint(1, _MAX_ITEMS))
        return [instance_of(schema.get("items", {}), rng, name) for _ in range(count)]
    if kind == "integer":
        return rng.randint(int(schema.get("minimum", 1)), int(schema.get("maximum", 500)))
    if kind == "number":
        return round(rng.uniform(schema.get("minimum", 1.0), schema.get("maximum", 500.0)), 2)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _string(schema, rng, name)


def random_arguments(schema: dict[str, Any], rng: random.Random, name: str = "value") -> dict[str, Any]:
    """Arguments for a function whose ``parameters`` are ``schema``; valid unless the schema defeats the sampler."""
    validator = Draft202012Validator(schema)
    value: Any = {}
    for _ in range(_TRIES):
        value = instance_of(schema, rng, name)
        if isinstance(value, dict) and validator.is_valid(value):
            return value
    return value if isinstance(value, dict) else {}
