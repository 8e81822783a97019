"""Canonical JSON: one spelling per value, so identical tool calls get identical mapping keys."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def call_key(tool: str, arguments: dict[str, Any]) -> str:
    """The identity of a tool call within a task: tool name plus canonical arguments."""
    return f"{tool}\x1f{canonical_json(arguments)}"
