"""Is a teacher-written tool a valid OpenAI function tool that our ``ToolSpec`` can hold? Say exactly why not.

Three layers, each checked with jsonschema or the data model: the ``{"type": "function", "function": {...}}``
envelope (name pattern, description, an object ``parameters``), the parameters as a JSON Schema under the
2020-12 meta-schema (a typo like ``"type": "strng"`` fails here), and our own additions (an output description,
an output schema, ``required`` naming only declared properties).
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError

from ..task import ToolSpec

OPENAI_TOOL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "function"],
    "properties": {
        "type": {"const": "function"},
        "function": {
            "type": "object",
            "required": ["name", "description", "parameters"],
            "properties": {
                "name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_-]{0,63}$"},
                "description": {"type": "string", "minLength": 1},
                "parameters": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {
                        "type": {"const": "object"},
                        "properties": {"type": "object", "additionalProperties": {"type": ["object", "boolean"]}},
                        "required": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                    },
                },
                "strict": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
_ENVELOPE = Draft202012Validator(OPENAI_TOOL_SCHEMA)
_FLAT_KEYS = ("name", "description", "parameters", "output_description", "output_schema")


def flatten_tool(raw: Any) -> dict[str, Any]:
    """Accept the OpenAI envelope or a flat dict; return the flat ``ToolSpec`` fields (unvalidated)."""
    if not isinstance(raw, dict):
        return {}
    fn = raw.get("function") if isinstance(raw.get("function"), dict) else raw
    flat = {k: fn.get(k) for k in _FLAT_KEYS if fn.get(k) is not None}
    for key in ("output_description", "output_schema"):  # teachers put these beside the envelope, too
        if key not in flat and raw.get(key) is not None:
            flat[key] = raw[key]
    return flat


def envelope(flat: dict[str, Any]) -> dict[str, Any]:
    fn = {k: flat[k] for k in ("name", "description", "parameters") if k in flat}
    return {"type": "function", "function": fn}


def _where(error: Any) -> str:
    return "/".join(map(str, error.absolute_path)) or "(tool)"


def tool_problems(flat: dict[str, Any]) -> list[str]:
    """Everything wrong with one flat tool, as short sentences (empty: a valid tool)."""
    if not flat:
        return ["a tool must be a JSON object"]
    problems = [f"{_where(e)}: {e.message}" for e in sorted(_ENVELOPE.iter_errors(envelope(flat)), key=str)[:3]]
    params = flat.get("parameters")
    if isinstance(params, dict):
        try:
            Draft202012Validator.check_schema(params)
        except SchemaError as err:
            problems.append(f"parameters is not a valid JSON Schema: {err.message}")
        props = params.get("properties") if isinstance(params.get("properties"), dict) else {}
        required = params.get("required") if isinstance(params.get("required"), list) else []
        missing = [r for r in required if r not in props]
        if missing:
            problems.append(f"parameters.required names undeclared properties {missing}")
    if not isinstance(flat.get("output_description"), str) or not flat["output_description"].strip():
        problems.append("output_description (what the tool returns) is missing")
    if not isinstance(flat.get("output_schema"), dict):
        problems.append("output_schema (a JSON Schema of what the tool returns) is missing")
    if problems:
        return problems
    try:
        ToolSpec.model_validate(flat)
    except ValidationError as err:
        problems += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()[:3]]
    return problems
