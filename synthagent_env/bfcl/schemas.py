"""BFCL function docs -> OpenAI ``tools`` entries, the way BFCL's own OpenAI function-calling handler does it.

BFCL docs use Python-ish types (``dict``, ``float``, ``tuple``, ``any``); OpenAI tools need JSON Schema. We
mirror ``bfcl_eval.model_handler.utils.convert_to_tool`` (that module needs tree-sitter, so we cannot import
it): types mapped with BFCL's ``GORILLA_TO_OPENAPI`` (unknown -> string), a float property gets
``format: float`` and " This is a float type value.", and the doc's ``response`` block is kept in the function,
as that handler keeps it (``tests/test_bfcl_fidelity.py`` compares the two on every doc).
:class:`BFCLTool` carries that OpenAI entry through the env's ``ToolSpec`` contract unchanged.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from typing import Any

from bfcl_eval.constants.type_mappings import GORILLA_TO_OPENAPI

from ..task import ToolSpec

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
        **doc,
        "name": re.sub(r"\.", "_", doc["name"]),  # OpenAI names cannot hold dots (none of the multi-turn ones do)
        "description": doc.get("description", ""),
        "parameters": parameters,
    }
    return {"type": "function", "function": function}


class BFCLTool(ToolSpec):
    """A BFCL function as the env's ``ToolSpec``; ``openai_schema()`` is BFCL's own OpenAI entry, ``response`` too."""

    openai_tool: dict[str, Any]

    def openai_schema(self) -> dict[str, Any]:
        return copy.deepcopy(self.openai_tool)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> BFCLTool:
        tool = to_openai_tool(doc)
        function = tool["function"]
        response = function.get("response")
        return cls(name=function["name"], description=function["description"] or function["name"],
                   parameters=function["parameters"], openai_tool=tool,
                   output_description=(response or {}).get("description") or "the function's result",
                   output_schema=None)


def to_openai_tools(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [to_openai_tool(doc) for doc in docs]


@lru_cache(maxsize=1024)
def _tool_of_json(doc_json: str) -> BFCLTool:
    return BFCLTool.from_doc(json.loads(doc_json))


def tool_of(doc: dict[str, Any]) -> BFCLTool:
    """``BFCLTool.from_doc``, built once per distinct doc (tools are immutable; building validates schemas)."""
    return _tool_of_json(json.dumps(doc, sort_keys=True))
