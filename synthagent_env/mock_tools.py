"""Answering validated tool calls: the task-level mapping first (seeds included), the simulator on a miss."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .mapping_key import CallKey, MappingEntry
from .simulators.base import ToolSimulator
from .stores import MappingStore
from .task import Task, ToolSpec


class TaskMapping:
    """The simulator's read view of one task's mapping (``TaskMappingView``): the task's stored entries and
    this episode's own earlier calls."""

    def __init__(self, store: MappingStore, task_id: str, episode: Sequence[MappingEntry] = ()):
        self._store, self._task_id, self._episode = store, task_id, list(episode)

    def entries(self) -> list[MappingEntry]:
        return self._store.entries(self._task_id)

    def entries_since(self, start: int) -> list[MappingEntry]:
        return self._store.entries_since(self._task_id, start)

    @property
    def episode(self) -> list[MappingEntry]:
        return list(self._episode)


class MockTools:
    def __init__(self, store: MappingStore, tool_simulator: ToolSimulator):
        self.store = store
        self.simulator = tool_simulator
        self._seeded: set[str] = set()

    def prepare(self, task: Task) -> None:
        """Put the task's seed mapping in the store (once per process; never overwriting stored entries)."""
        if task.id in self._seeded:
            return
        self.store.seed(task.id, [MappingEntry(e.tool, e.arguments, e.response_text()) for e in task.seed_mapping])
        self._seeded.add(task.id)

    def call(self, task: Task, tool: ToolSpec, arguments: dict[str, Any],
             episode: Sequence[MappingEntry] = ()) -> tuple[str, str]:
        """``(response, source)``: source is "mapping" (no model involved) or "simulator" (new entry stored).

        Raises ``SimulatorError`` when the simulator fails (nothing is stored then) and ``MappingStoreError``
        when the store cannot answer (locked, damaged, read-only for a new call, unreachable).
        """
        key = CallKey.of(task.id, tool.name, arguments)
        stored = self.store.get(key)
        if stored is not None:
            return stored, "mapping"
        response = self.simulator.respond(task, tool, arguments, TaskMapping(self.store, task.id, episode))
        if not isinstance(response, str):
            response = str(response)
        winner = self.store.put_if_absent(key, response)
        return winner, "simulator" if winner == response else "mapping"
