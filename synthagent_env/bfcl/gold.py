"""The gold-replay agent: plays an entry's BFCL ground truth through the env, as a model would send it.

Each turn it sends all of the turn's ground-truth calls in one message, then a plain message that ends the
turn. Ground-truth strings are Python calls, sometimes positional (``sort('a.txt')``); they become JSON
arguments named after the API method's own signature, so they travel the same road as any agent's calls.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
from functools import lru_cache
from typing import Any, Literal

from bfcl_eval.constants.executable_backend_config import CLASS_FILE_PATH_MAPPING

from .data import BFCLEntry, load_category

END_TURN = "Done."


@lru_cache(maxsize=None)
def _parameters(class_name: str, method: str) -> tuple[str, ...] | None:
    cls = getattr(importlib.import_module(CLASS_FILE_PATH_MAPPING[class_name]), class_name)
    func = getattr(cls, method, None)
    if func is None:
        return None
    return tuple(list(inspect.signature(func).parameters)[1:])  # drop ``self``


def gold_call(call: str, classes: list[str]) -> tuple[str, dict[str, Any]]:
    """``"cd('docs')"`` -> ``("cd", {"folder": "docs"})`` for an entry involving ``classes``."""
    node = ast.parse(call, mode="eval").body
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        raise ValueError(f"not a plain function call: {call!r}")
    name = node.func.id
    arguments: dict[str, Any] = {}
    if node.args:
        params = next((p for c in classes if (p := _parameters(c, name)) is not None), None)
        if params is None or len(node.args) > len(params):
            raise ValueError(f"cannot name the positional arguments of {call!r}")
        arguments.update({params[i]: ast.literal_eval(a) for i, a in enumerate(node.args)})
    arguments.update({kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg is not None})
    return name, arguments


def calls_message(calls: list[tuple[str, dict[str, Any]]], fmt: Literal["openai", "hermes"]) -> str | dict[str, Any]:
    if fmt == "hermes":
        return "".join(f"<tool_call>{json.dumps({'name': n, 'arguments': a})}</tool_call>" for n, a in calls)
    return {"content": None, "tool_calls": [
        {"id": f"gold_{i}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
        for i, (n, a) in enumerate(calls)]}


class GoldReplayAgent:
    """Follows the agent protocol (``reset(info)``, ``act(obs, info)``) for ``synthagent/BFCL-v0``."""

    def __init__(self, fmt: Literal["openai", "hermes"] = "openai"):
        self.fmt = fmt
        self._entry: BFCLEntry | None = None
        self._sent_turn = -1

    def reset(self, info: dict[str, Any]) -> None:
        entries = {e.id: e for e in load_category(info["category"])}
        self._entry = entries[info["task_id"]]
        self._sent_turn = -1

    def act(self, observation: str, info: dict[str, Any]) -> str | dict[str, Any]:
        assert self._entry is not None, "call reset(info) first"
        turn = info["user_turn"]
        truth = self._entry.ground_truth[turn]
        if truth and self._sent_turn != turn:
            self._sent_turn = turn
            return calls_message([gold_call(c, self._entry.involved_classes) for c in truth], self.fmt)
        return END_TURN
