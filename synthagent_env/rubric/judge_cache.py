"""The LLM judge's verdict cache: its own sqlite file and table, never the tool-response mapping.

A verdict is stored under a key that names everything it depends on: the task, the hash of the whole
trajectory, the rubric item (section, id and description) and the judge prompt's version, so an episode that
differs in any event, or a reworded item, is judged again. Write-once (the first verdict stored wins, like the
mapping), WAL journaling and a busy timeout so several processes can share one file; ``None`` keeps verdicts in
memory only.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

TABLE = "judge_verdicts"
BUSY_TIMEOUT_S = 60.0


def verdict_key(task_id: str, trajectory_hash: str, section: str, item_id: str, description: str,
                prompt_version: str) -> str:
    parts = json.dumps([task_id, trajectory_hash, section, item_id, description, prompt_version], ensure_ascii=False)
    return hashlib.sha256(parts.encode()).hexdigest()


class JudgeCache:
    """``key -> {"passed", "reason"}`` in memory, and in ``path`` when given."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else None
        self._memory: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if self.path is not None:
            if str(path) in ("", "/dev/null") or self.path.is_dir():
                raise ValueError(f"the judge cache must be a file path, not {str(path)!r}")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f'CREATE TABLE IF NOT EXISTS "{TABLE}" (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)')
            except sqlite3.DatabaseError as err:
                raise ValueError(f"cannot use {self.path} as a judge cache: {err}") from err
            self._conn = conn

    def get(self, key: str) -> dict | None:
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None or self._conn is None:
                return hit
            row = self._conn.execute(f'SELECT verdict FROM "{TABLE}" WHERE key = ?', (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None  # an unreadable entry is judged again, never answered differently from its text
        with self._lock:
            self._memory[key] = value
        return value

    def put(self, key: str, value: dict) -> None:
        with self._lock:
            self._memory[key] = value
            if self._conn is not None:
                self._conn.execute(f'INSERT OR IGNORE INTO "{TABLE}" (key, verdict) VALUES (?, ?)',
                                   (key, json.dumps(value, ensure_ascii=False)))

    def __len__(self) -> int:
        with self._lock:
            if self._conn is None:
                return len(self._memory)
            return self._conn.execute(f'SELECT COUNT(*) FROM "{TABLE}"').fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __getstate__(self) -> dict:
        return {"path": self.path}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["path"])  # type: ignore[misc]
