"""Argument matching for structured rubric checks: normalised equality plus a few comparison operators."""

from __future__ import annotations

from typing import Any

MISSING = object()


def normalise(value: Any) -> Any:
    """Strings compare case-insensitively with whitespace collapsed; ints and floats compare numerically."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, bool):
        return ("bool", value)  # True must not equal 1
    if value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "$eq":
        return normalise(actual) == normalise(expected)
    if op == "$ne":
        return normalise(actual) != normalise(expected)
    if op == "$in":
        return normalise(actual) in [normalise(v) for v in expected]
    if op == "$contains":
        if isinstance(actual, str):
            return normalise(expected) in normalise(actual)
        if isinstance(actual, list):
            return normalise(expected) in normalise(actual)
        return False
    a, e = _number(actual), _number(expected)
    if a is None or e is None:
        return False
    return {"$gt": a > e, "$gte": a >= e, "$lt": a < e, "$lte": a <= e}[op]


OPERATORS = ("$eq", "$ne", "$in", "$contains", "$gt", "$gte", "$lt", "$lte")


def value_matches(actual: Any, expected: Any) -> bool:
    if actual is MISSING:
        return False
    if isinstance(expected, dict) and expected and all(k in OPERATORS for k in expected):
        return all(_compare(op, actual, v) for op, v in expected.items())
    return normalise(actual) == normalise(expected)


def arguments_match(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Every expected argument is present in ``actual`` with a matching value (extra arguments are fine)."""
    return all(value_matches(actual.get(k, MISSING), v) for k, v in expected.items())
