"""The identity of a stored tool call and one stored entry: the value objects the mapping store speaks.

A call is identified within a task by its tool name and canonical JSON arguments (one spelling per value), so
identical calls get identical keys everywhere. Store backends turn a ``CallKey`` into their own key format;
nothing else builds or splits key strings.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# Backends join the parts of a key with this character; it never appears in task ids or tool names.
KEY_SEPARATOR = "\x1f"


def canonical_json(value: Any) -> str:
    """One spelling per JSON value (sorted keys, no spaces, Unicode kept), so equal values give equal keys: a
    whole-number float is its int (``12000.0``, ``1.2e4`` and ``12000`` are one call) and strings are NFC (one text
    in two Unicode normal forms is one call). Otherwise one call spelt two ways would get two answers: a free
    re-roll for the agent, and two conflicting worlds in the shared mapping."""
    return json.dumps(_normal(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k) if isinstance(k, str) else k: _normal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normal(v) for v in value]
    return value


@dataclass(frozen=True)
class CallKey:
    task_id: str
    tool: str
    arguments_json: str  # canonical JSON of the arguments

    def __post_init__(self) -> None:
        for name in ("task_id", "tool"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or KEY_SEPARATOR in value:
                raise ValueError(f"a mapping key's {name} must be a non-empty string without \\x1f: {value!r}")

    @classmethod
    def of(cls, task_id: str, tool: str, arguments: dict[str, Any]) -> CallKey:
        return cls(task_id, tool, canonical_json(arguments))

    @cached_property
    def arguments(self) -> dict[str, Any]:
        return json.loads(self.arguments_json)

    def entry(self, response: str) -> MappingEntry:
        return MappingEntry(self.tool, self.arguments, response)


@dataclass(frozen=True)
class MappingEntry:
    """One stored call and its response, as simulators see a task's mapping (in insertion order)."""

    tool: str
    arguments: dict[str, Any]
    response: str

    def key(self, task_id: str) -> CallKey:
        return CallKey.of(task_id, self.tool, self.arguments)
