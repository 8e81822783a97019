"""The persistent task-level mapping: (task, tool, canonical arguments) -> response, shared by every process.

Stored with sqlitedict (one ``mapping`` table; the file opens as a plain
``SqliteDict(path, tablename="mapping", journal_mode="WAL", decode=json.loads)`` — the WAL is required: an
opener asking for another journal mode fails with "database is locked"). Entries are write-once: the first response stored for a call wins, everywhere and forever,
which is what makes identical calls get identical answers across rollouts, processes and restarts. Because an
entry never changes once stored, each process keeps a read-through memory cache of the entries it has seen.

sqlitedict's own write path is fire-and-forget (errors surface later, on another call) and does
get-then-set; here every write is a single insert-if-absent statement run synchronously in autocommit mode on
sqlitedict's connection, so a write that returned is committed, a race between processes has exactly one
winner, and errors are raised on the call that caused them. Reads go through one plain sqlite3 connection per
thread: sqlitedict funnels every statement through its one worker thread, which many concurrent episodes
queue behind, while WAL lets readers run side by side. WAL journaling, ``synchronous=NORMAL`` and a long busy timeout make several
processes safe on one file and a SIGKILL harmless (see ../shared/PITFALLS.md for what the defaults did).
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from sqlitedict import SqliteDict

TABLE = "mapping"
BUSY_TIMEOUT_MS = 60_000
CACHE_ENTRIES = 200_000  # memory caches are dropped when they reach this (long runs over many tasks stay bounded)
CACHE_TASK_LISTINGS = 512
_SEED_CHUNK = 400  # rows per statement, well under sqlite's bound-variable limit
_SEP = "\x1f"  # never appears in task ids or tool names (both are identifiers)


def entry_key(task_id: str, call: str) -> str:
    """The store key of one call (``call`` is ``canonical.call_key(tool, arguments)``)."""
    return f"{task_id}{_SEP}{call}"


def _prepare_file(path: Path) -> None:
    """Create the file in WAL mode with its table, once, under a file lock (concurrent first opens can hang)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f'CREATE TABLE IF NOT EXISTS "{TABLE}" (key TEXT PRIMARY KEY, value BLOB)')
                conn.commit()
            finally:
                conn.close()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class MappingStore:
    """A file of write-once tool responses for many tasks, safe for many processes at once."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        _prepare_file(self.path)
        self._db = SqliteDict(
            str(self.path),
            tablename=TABLE,
            journal_mode="WAL",
            autocommit=True,
            encode=json.dumps,
            decode=json.loads,
            outer_stack=False,
        )
        self._run(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._run("PRAGMA synchronous=NORMAL")  # sqlitedict sets OFF, which an OS crash can corrupt
        self._cache: dict[str, str] = {}
        self._pid = os.getpid()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._listed: dict[str, tuple[int, dict[str, str]]] = {}  # task -> (highest rowid read, call -> response)
        self._listed_lock = threading.Lock()

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Run one statement on sqlitedict's connection and wait for it, raising its error here."""
        return list(self._db.conn.select(sql, args))

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Run a query on this thread's own read connection (made on first use, per process)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA query_only=1")
            self._local.conn, self._local.pid = conn, os.getpid()
            with self._readers_lock:
                self._readers.append(conn)
        return conn.execute(sql, args).fetchall()

    def get(self, task_id: str, call: str) -> str | None:
        key = entry_key(task_id, call)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        rows = self._read(f'SELECT value FROM "{TABLE}" WHERE key = ?', (key,))
        if not rows:
            return None
        value = self._db.decode(rows[0][0])
        self._remember(key, value)
        return value

    def _remember(self, key: str, value: str) -> None:
        if len(self._cache) >= CACHE_ENTRIES:
            self._cache.clear()  # entries are write-once, so forgetting them is always safe
        self._cache[key] = value

    def put_if_absent(self, task_id: str, call: str, response: str) -> str:
        """Store ``response`` unless the call already has one; return the response that is stored (the winner)."""
        key = entry_key(task_id, call)
        inserted = self._run(
            f'INSERT INTO "{TABLE}" (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING RETURNING key',
            (key, self._db.encode(response)),
        )
        if inserted:
            self._remember(key, response)
            return response
        self._cache.pop(key, None)
        stored = self.get(task_id, call)
        assert stored is not None, "an entry vanished right after it was written"
        return stored

    def seed(self, task_id: str, entries: Iterable[tuple[str, str]]) -> None:
        """Insert ``(call, response)`` pairs that are not stored yet; each chunk is one atomic statement."""
        rows = [(entry_key(task_id, call), self._db.encode(resp)) for call, resp in entries]
        for start in range(0, len(rows), _SEED_CHUNK):
            chunk = rows[start:start + _SEED_CHUNK]
            values = ", ".join("(?, ?)" for _ in chunk)
            self._run(f'INSERT OR IGNORE INTO "{TABLE}" (key, value) VALUES {values}', tuple(x for r in chunk for x in r))

    def entries(self, task_id: str) -> list[tuple[str, str]]:
        """All ``(call, response)`` pairs stored for a task, in key order.

        Entries never change, so only rows added since the last listing (by rowid) are read and decoded.
        """
        lo, hi = f"{task_id}{_SEP}", f"{task_id}{chr(ord(_SEP) + 1)}"
        with self._listed_lock:
            seen, known = self._listed.get(task_id, (0, {}))
        rows = self._read(
            f'SELECT rowid, key, value FROM "{TABLE}" WHERE key >= ? AND key < ? AND rowid > ?', (lo, hi, seen)
        )
        if rows:
            known = {**known, **{key[len(lo):]: self._db.decode(value) for _, key, value in rows}}
            seen = max(seen, max(r[0] for r in rows))
            with self._listed_lock:
                if len(self._listed) >= CACHE_TASK_LISTINGS and task_id not in self._listed:
                    self._listed.clear()
                if seen > self._listed.get(task_id, (0, {}))[0]:
                    self._listed[task_id] = (seen, known)
        return sorted(known.items())

    def __len__(self) -> int:
        return self._run(f'SELECT COUNT(*) FROM "{TABLE}"')[0][0]

    def close(self) -> None:
        if getattr(self, "_db", None) is not None and os.getpid() == self._pid:
            self._db.close()
            with self._readers_lock:
                for conn in self._readers:
                    conn.close()
                self._readers.clear()
        self._db = None  # type: ignore[assignment]

    def __enter__(self) -> MappingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
