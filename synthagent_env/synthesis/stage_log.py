"""One JSONL file per stage: a record per finished item, appended the moment the item finishes.

A record is ``{"id", "status": "kept" | "discarded", "output", "code", "reason", "notes", "usage", ...}``.
Appends are flushed and fsynced, so a killed run loses at most the line being written; on open, a torn last
line is cut off (otherwise the next append would be glued to it and both lines lost).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


class StageLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._cut_torn_tail()

    def _cut_torn_tail(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            with self.path.open("r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)

    def records(self) -> dict[str, dict[str, Any]]:
        """Finished items by id (the last record wins; unreadable lines are skipped)."""
        out: dict[str, dict[str, Any]] = {}
        if not self.path.exists():
            return out
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    out[record["id"]] = record
        return out

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
