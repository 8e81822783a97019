"""The run's episode log: one JSON line per finished episode, appended as episodes finish.

Appending a line and flushing it is the unit of progress: a run killed at any moment loses at most the episodes
in flight. A kill during a write can leave a partial last line; ``load`` cuts it off before anything is appended,
so the next record never lands on a broken line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

EpisodeKey = tuple[str, int]  # (task id, sample index)


def to_jsonable(value: Any) -> Any:
    """``json.dumps`` fallback for what envs put in ``info`` (numpy scalars and arrays, dataclasses, paths)."""
    if hasattr(value, "item") and callable(value.item):
        try:
            return value.item()
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    return repr(value)


def episode_key(record: dict[str, Any]) -> EpisodeKey:
    return str(record["task_id"]), int(record["sample"])


class EpisodeLog:
    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._fh = None

    def load(self) -> list[dict[str, Any]]:
        """Every complete record, in file order (a torn last line is removed from the file)."""
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with self.path.open("r+b") as fh:
                fh.truncate(end)
        records = []
        for line in data[:end].splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line torn by a crash in an older run: its episode simply runs again
        return records

    def append(self, record: dict[str, Any]) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(json.dumps(record, ensure_ascii=False, default=to_jsonable) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def latest_by_key(records: list[dict[str, Any]]) -> dict[EpisodeKey, dict[str, Any]]:
    """One record per episode: a finished one if any, else the last error (errored episodes rerun on resume)."""
    best: dict[EpisodeKey, dict[str, Any]] = {}
    for record in records:
        key = episode_key(record)
        if key not in best or best[key].get("status") != "ok":
            best[key] = record
    return best
