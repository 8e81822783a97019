"""BFCL function docs -> OpenAI ``tools`` entries, the way BFCL's own OpenAI function-calling handler does it.

BFCL docs use Python-ish types (``dict``, ``float``, ``tuple``, ``any``); OpenAI tools need JSON Schema. We
mirror ``bfcl_eval.model_handler.utils.convert_to_tool`` (that module needs tree-sitter, so we cannot import
it): types mapped with BFCL's ``GORILLA_TO_OPENAPI`` (unknown -> string), a float property gets
``format: float`` and " This is a float type value.", the doc's ``response`` block is left out.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from bfcl_eval.constants.type_mappings import GORILLA_TO_OPENAPI

FLOAT_NOTE = " This is a float type value."


def _cast(schema: dict[str, Any], *, is_property: bool) -> dict[str, Any]:
    var_type = schema.get("type")
    if is_property and var_type == "float":
        schema["format"] = "float"
        schema["description"] = schema.get("description", "") + FLOAT_NOTE
    schema["type"] = GORILLA_TO_OPENAPI.get(var_type, "string") if isinstance(var_type, str) else "string"
    if isinstance(schema.get("properties"), dict):
        schema["properties"] = {k: _cast(v, is_property=True) for k, v in schema["properties"].items()}
    if isinstance(schema.get("items"), dict):
        schema["items"] = _cast(schema["items"], is_property=False)
    return schema


def to_openai_tool(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    parameters = doc.get("parameters") or {}
    parameters["type"] = "object"
    parameters["properties"] = {k: _cast(v, is_property=True) for k, v in parameters.get("properties", {}).items()}
    function = {
        "name": re.sub(r"\.", "_", doc["name"]),  # OpenAI names cannot hold dots (none of the multi-turn ones do)
        "description": doc.get("description", ""),
        "parameters": parameters,
    }
    return {"type": "function", "function": function}


def to_openai_tools(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [to_openai_tool(doc) for doc in docs]
