"""The stored-calls section of the mock-tool prompt: bounded by characters, chosen by relevance, stable prefix.

The paper puts the whole mapping M in every tool prompt; with 1,000 entries that is ~80k tokens, and one rollout
that stores huge arguments would bloat every later prompt of the task. Here the section holds at most
``budget`` characters: the task's seed entries (the teacher's records) first, then entries of the called tool,
most recent first, then the most recent others. The chosen entries are listed in append order with their
position in the mapping as their number, so consecutive prompts of a task share their prefix (vLLM/SGLang
prefix caching) and ``<reuse>N</reuse>`` means the same entry in every prompt.

The per-task index is incremental: a task's entries only grow, so each miss renders and indexes only the
entries added since the last one (``TaskIndex.sync``); choosing costs O(shown entries), not O(mapping).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..mapping_key import MappingEntry, canonical_json
from .reuse_guard import loose_key

MAX_ENTRY_RESPONSE_CHARS = 800  # of a stored response, as the prompt shows it (a reuse returns the full one)
MAX_ENTRY_ARGUMENTS_CHARS = 400  # of a stored call's arguments (larger ones are shown as a quoted, cut string)
TRUNCATION_MARK = "\n...[truncated]"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - len(TRUNCATION_MARK))] + TRUNCATION_MARK


def entry_line(label: str, entry: MappingEntry) -> str:
    """One stored call as the prompt shows it: the call as JSON (the arguments quoted), then its response."""
    arguments: Any = entry.arguments
    text = json.dumps(arguments, ensure_ascii=False)
    if len(text) > MAX_ENTRY_ARGUMENTS_CHARS:
        arguments = clip(text, MAX_ENTRY_ARGUMENTS_CHARS)  # a JSON string: still quoted, still data
    call = json.dumps({"name": entry.tool, "arguments": arguments}, ensure_ascii=False)
    return f"[{label}] {call} -> {clip(entry.response, MAX_ENTRY_RESPONSE_CHARS)}"


@dataclass
class TaskIndex:
    """Everything derived from one task's entries, extended as entries are added."""

    seeds: frozenset[str]  # canonical (tool, arguments) of the task's seed mapping
    entries: list[MappingEntry] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    by_tool: dict[str, list[int]] = field(default_factory=dict)
    seed_positions: list[int] = field(default_factory=list)
    by_loose_call: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def extend(self, fresh: Sequence[MappingEntry]) -> None:
        """Index entries that follow the ones already indexed (from a view's ``entries_since``)."""
        for entry in fresh:
            i = len(self.entries)
            self.entries.append(entry)
            self.lines.append(entry_line(str(i), entry))
            self.by_tool.setdefault(entry.tool, []).append(i)
            self.by_loose_call.setdefault(loose_key(entry.tool, entry.arguments), []).append(i)
            if f"{entry.tool}\x1f{canonical_json(entry.arguments)}" in self.seeds:
                self.seed_positions.append(i)

    def sync(self, entries: Sequence[MappingEntry]) -> None:
        """Index the entries added since the last call (the listing is append-only; anything else rebuilds)."""
        known, given = len(self.entries), len(entries)
        if given <= known:  # an older listing (another thread's): fine if it is a prefix of what is indexed
            if given == 0 or entries[given - 1] == self.entries[given - 1]:
                return
        elif known and entries[known - 1] != self.entries[known - 1]:
            known = 0
        if known == 0 or given <= known:
            self.entries, self.lines, self.by_tool, self.seed_positions, self.by_loose_call = [], [], {}, [], {}
            known = 0
        self.extend(entries[known:])

    def choose(self, tool: str, budget: int) -> list[int]:
        """Positions to show, in append order: seeds, then this tool's newest, then the newest others."""
        chosen: set[int] = set()
        used = 0

        def take(i: int) -> bool:
            nonlocal used
            if i in chosen:
                return True
            cost = len(self.lines[i]) + 1
            if used + cost > budget:
                return False
            chosen.add(i)
            used += cost
            return True

        for i in self.seed_positions:
            take(i)
        for i in reversed(self.by_tool.get(tool, [])):
            if not take(i):
                break
        for i in range(len(self.entries) - 1, -1, -1):
            if not take(i):
                break
        return sorted(chosen)


class MappingSections:
    """Per-task indexes for one tool simulator (a bounded number of tasks kept; each rebuilt on demand)."""

    def __init__(self, budget_chars: int = 12_000, max_tasks: int = 256):
        if budget_chars < 0:
            raise ValueError("the mapping section's budget must be >= 0 characters")
        self.budget_chars = budget_chars
        self.max_tasks = max_tasks
        self._tasks: OrderedDict[str, TaskIndex] = OrderedDict()
        self._lock = threading.Lock()

    def index_view(self, task_id: str, seeds: frozenset[str], mapping: Any) -> TaskIndex:
        """The index of a ``TaskMappingView``: through its ``entries_since(n)`` when it has one (O(new entries)),
        else through ``entries()`` (whose listing may copy the whole list)."""
        since = getattr(mapping, "entries_since", None)
        if not callable(since):
            return self.index(task_id, seeds, mapping.entries())
        index = self._task(task_id, seeds)
        with index.lock:
            index.extend(since(len(index.entries)))
        return index

    def _task(self, task_id: str, seeds: frozenset[str]) -> TaskIndex:
        with self._lock:
            index = self._tasks.get(task_id)
            if index is None or index.seeds != seeds:
                index = self._tasks[task_id] = TaskIndex(seeds)
            self._tasks.move_to_end(task_id)
            while len(self._tasks) > self.max_tasks:
                self._tasks.popitem(last=False)
        return index

    def index(self, task_id: str, seeds: frozenset[str], entries: Sequence[MappingEntry]) -> TaskIndex:
        index = self._task(task_id, seeds)
        with index.lock:
            index.sync(entries)
        return index

    def render(self, index: TaskIndex, tool: str) -> tuple[str, list[int]]:
        """``(section text, positions shown)``."""
        with index.lock:
            shown = index.choose(tool, self.budget_chars)
            text = "\n".join(index.lines[i] for i in shown)
        return text or "(none yet)", shown
