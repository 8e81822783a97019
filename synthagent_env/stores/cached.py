"""What every backend shares: the JSON value codec, the read-through memory cache and incremental listings.

Entries are write-once, so a process may remember every entry it has seen (bounded: a cache that fills up is
dropped, which is always safe) and list a task by fetching only what was added since its last listing.
Backends implement five small hooks; pickling a store carries only how to reopen it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

from ..mapping_key import CallKey, MappingEntry
from .protocol import MappingStoreError

CACHE_ENTRIES = 200_000  # memory caches are dropped when they reach this (long runs over many tasks stay bounded)
CACHE_TASK_LISTINGS = 512


def encode_value(response: str) -> str:
    """A response as stored: JSON text (the sqlitedict format), ASCII-escaped so any str survives."""
    if not isinstance(response, str):
        raise TypeError(f"a mapping response must be a str, not {type(response).__name__}")
    return json.dumps(response)


def decode_value(raw: Any, where: str) -> str:
    """A stored value back to its response; anything else is damage and raises (never read as a miss)."""
    try:
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8")
        value = json.loads(raw)
    except (ValueError, TypeError) as err:
        raise MappingStoreError(f"{where}: a stored value is not JSON text ({err}); the store is damaged. "
                                "Restore it from a backup or move it aside to start a new one.") from None
    if not isinstance(value, str):
        raise MappingStoreError(f"{where}: a stored value is {type(value).__name__}, not a string; the store is "
                                "damaged or was written by another program. Restore it or move it aside.")
    return value


class CachedStore:
    """The protocol's methods over five backend hooks (``_fetch``, ``_insert``, ``_insert_many``,
    ``_fetch_since``, ``_task_ids``) plus ``_close`` and ``_reopen_args``."""

    spec: str
    read_only: bool = False

    def __init__(self, spec: str):
        self.spec = spec
        self._init_caches()

    def _init_caches(self) -> None:
        self._cache: dict[CallKey, str] = {}
        self._listed: dict[str, tuple[int, list[MappingEntry]]] = {}  # task -> (cursor, entries so far)
        self._listed_lock = threading.Lock()

    # ---- backend hooks ----
    def _fetch(self, key: CallKey) -> str | None: raise NotImplementedError
    def _insert(self, key: CallKey, value: str) -> str | None: raise NotImplementedError  # None: inserted
    def _insert_many(self, rows: list[tuple[CallKey, str]]) -> None: raise NotImplementedError
    def _fetch_since(self, task_id: str, cursor: int) -> tuple[list[MappingEntry], int]: raise NotImplementedError
    def _task_ids(self) -> list[str]: raise NotImplementedError
    def _close(self) -> None: raise NotImplementedError
    def _reopen_args(self) -> tuple[tuple, dict]: raise NotImplementedError

    # ---- the protocol ----
    def get(self, key: CallKey) -> str | None:
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        value = self._fetch(key)
        if value is not None:
            self._remember(key, value)
        return value

    def _remember(self, key: CallKey, value: str) -> None:
        if len(self._cache) >= CACHE_ENTRIES:
            self._cache.clear()  # entries are write-once, so forgetting them is always safe
        self._cache[key] = value

    def _refuse_write(self, what: str) -> None:
        raise MappingStoreError(f"mapping store {self.spec} is read-only: {what} cannot be stored (stored calls "
                                "are still answered). Point mapping_path at a writable copy to record new calls.")

    def put_if_absent(self, key: CallKey, response: str) -> str:
        value = encode_value(response)
        if self.read_only:
            stored = self.get(key)
            if stored is not None:
                return stored
            self._refuse_write(f"a new call of tool {key.tool!r} in task {key.task_id!r}")
        existing = self._insert(key, value)
        winner = response if existing is None else existing
        self._remember(key, winner)
        return winner

    def seed(self, task_id: str, entries: Iterable[MappingEntry]) -> None:
        rows = [(entry.key(task_id), encode_value(entry.response)) for entry in entries]
        if self.read_only:
            missing = [k for k, _ in rows if self.get(k) is None]
            if missing:
                self._refuse_write(f"{len(missing)} seed entries of task {task_id!r}")
            return
        if rows:
            self._insert_many(rows)

    def _listing(self, task_id: str) -> list[MappingEntry]:
        """The task's entries so far, after fetching only those added since the last listing (hold the lock)."""
        cursor, known = self._listed.get(task_id, (0, []))
        fresh, cursor = self._fetch_since(task_id, cursor)
        if fresh:
            known.extend(fresh)  # O(new entries): the list so far is never copied or re-read
            if len(self._listed) >= CACHE_TASK_LISTINGS and task_id not in self._listed:
                self._listed.clear()
            self._listed[task_id] = (cursor, known)
        return known

    def entries(self, task_id: str) -> list[MappingEntry]:
        with self._listed_lock:  # one listing per task at a time: the cursor and the list move together
            return list(self._listing(task_id))

    def entries_since(self, task_id: str, start: int) -> list[MappingEntry]:
        """The task's entries after the first ``start`` (insertion order): O(new entries), no copy of the rest."""
        with self._listed_lock:
            return self._listing(task_id)[start:]

    def task_ids(self) -> list[str]:
        return self._task_ids()

    def close(self) -> None:
        self._close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r}{', read-only' if self.read_only else ''})"

    # ---- pickling: carry how to reopen, never connections (a pooled store re-acquires from its pool) ----
    def __reduce__(self):
        args, kwargs = self._reopen_args()
        return _reopen, (type(self), args, kwargs, getattr(self, "_pooled", False))


def _reopen(cls: type, args: tuple, kwargs: dict[str, Any], pooled: bool) -> CachedStore:
    if pooled:  # one store per spec per process: join the pool of the process that unpickles
        from .. import store_pool

        return store_pool.acquire(args[0], lazy=True, **kwargs)
    return cls(*args, lazy=True, **kwargs)
