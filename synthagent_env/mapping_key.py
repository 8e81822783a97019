"""The identity of a stored tool call and one stored entry: the value objects the mapping store speaks.

A call is identified within a task by its tool name and canonical JSON arguments (one spelling per value), so
identical calls get identical keys everywhere. Store backends turn a ``CallKey`` into their own key format;
nothing else builds or splits key strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class CallKey:
    task_id: str
    tool: str
    arguments_json: str  # canonical JSON of the arguments

    @classmethod
    def of(cls, task_id: str, tool: str, arguments: dict[str, Any]) -> CallKey:
        return cls(task_id, tool, canonical_json(arguments))

    @cached_property
    def arguments(self) -> dict[str, Any]:
        return json.loads(self.arguments_json)


@dataclass(frozen=True)
class MappingEntry:
    """One stored call and its response, as simulators see a task's mapping (in insertion order)."""

    tool: str
    arguments: dict[str, Any]
    response: str
