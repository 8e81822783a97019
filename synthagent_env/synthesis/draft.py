"""An item's draft (the JSON dict the stages grow) as a ``Task``: the one place the two shapes meet."""

from __future__ import annotations

from typing import Any

from ..task import Task


def policy_line(restriction: dict[str, Any]) -> str:
    reason = str(restriction.get("reason") or "").strip().rstrip(".")
    rule = str(restriction["rule"]).strip().rstrip(".")
    return f"{rule} ({reason})." if reason else f"{rule}."


def task_from_draft(item_id: str, draft: dict[str, Any], **fields: Any) -> Task:
    """The task as far as the draft goes; ``fields`` add what later stages decide (rubric, seed mapping, ...)."""
    return Task.model_validate({
        "id": item_id,
        "kind": "tool_use",
        "domain": draft["domain"],
        "persona": draft["persona"],
        "instruction": draft["instruction"],
        "hidden_context": draft["hidden_context"],
        "hidden_facts": draft["hidden_facts"],
        "world_records": draft.get("world_records", []),  # absent in a fuzzy log written before they existed
        "tools": draft["tools"],
        "policy": [policy_line(draft["restriction"])],
        "workflow": draft["workflow"],
        **fields,
    })
