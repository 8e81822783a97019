"""The mapping store contract every backend meets, and the one error it raises.

A mapping store holds, per task, write-once tool responses: the first response stored for a ``CallKey`` wins,
everywhere and forever; a task's entries are listed in insertion order. Backends: a sqlite file (the embedded
default, ``sqlite_store``) and Redis (``redis_store``, selected by a ``redis://`` URL); ``store_pool`` opens
either from one spec string.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from ..mapping_key import CallKey, MappingEntry

DEFAULT_TIMEOUT_S = 10.0  # how long a call may wait for a locked file or a silent server before it fails


class MappingStoreError(RuntimeError):
    """The store cannot answer correctly (locked, damaged, read-only, unreachable). The message names the
    store and says what to do. Never a miss in disguise: a call the store cannot read is not answered anew."""

    end_reason = "store_failure"  # how an env ends an episode this error interrupts


@runtime_checkable
class MappingStore(Protocol):
    spec: str  # the path or URL it was opened from (never holds a password)
    read_only: bool

    def get(self, key: CallKey) -> str | None:
        """The stored response, or None when the call has none."""
        ...

    def put_if_absent(self, key: CallKey, response: str) -> str:
        """Store ``response`` unless the call has one already; return the stored one (the winner)."""
        ...

    def seed(self, task_id: str, entries: Iterable[MappingEntry]) -> None:
        """Insert the entries not stored yet (in the order given); never overwrite."""
        ...

    def entries(self, task_id: str) -> list[MappingEntry]:
        """Every entry of the task in insertion order (only entries added since the last listing are fetched)."""
        ...

    def entries_since(self, task_id: str, start: int) -> list[MappingEntry]:
        """``entries(task_id)[start:]`` without copying the first ``start`` (a reader that keeps its own index)."""
        ...

    def task_ids(self) -> list[str]:
        """The tasks that have at least one entry (for tools such as ``synthagent mapping copy``)."""
        ...

    def close(self) -> None: ...
