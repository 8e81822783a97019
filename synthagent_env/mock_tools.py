"""Answering validated tool calls: the task-level mapping first (seeds included), the simulator on a miss."""

from __future__ import annotations

from typing import Any

from .canonical import call_key
from .mapping_store import MappingStore
from .simulators.base import ToolSimulator
from .task import Task, ToolSpec


class _TaskMapping:
    """The simulator's read view of one task's mapping."""

    def __init__(self, store: MappingStore, task_id: str):
        self._store, self._task_id = store, task_id

    def entries(self) -> list[tuple[str, str]]:
        return self._store.entries(self._task_id)


class MockTools:
    def __init__(self, store: MappingStore, simulator: ToolSimulator):
        self.store = store
        self.simulator = simulator
        self._seeded: set[str] = set()

    def prepare(self, task: Task) -> None:
        """Put the task's seed mapping in the store (once per process; never overwriting stored entries)."""
        if task.id in self._seeded:
            return
        self.store.seed(task.id, [(call_key(e.tool, e.arguments), e.response_text()) for e in task.seed_mapping])
        self._seeded.add(task.id)

    def call(self, task: Task, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        """``(response, source)``: source is "mapping" (no model involved) or "simulator" (new entry stored).

        Raises ``SimulatorError`` when the simulator fails; nothing is stored then.
        """
        key = call_key(tool.name, arguments)
        stored = self.store.get(task.id, key)
        if stored is not None:
            return stored, "mapping"
        response = self.simulator.respond(task, tool, arguments, _TaskMapping(self.store, task.id))
        if not isinstance(response, str):
            response = str(response)
        winner = self.store.put_if_absent(task.id, key, response)
        return winner, "simulator" if winner == response else "mapping"
