"""The run's episode log: one JSON line per finished episode, appended as episodes finish.

Appending a line and flushing it is the unit of progress: a run killed at any moment loses at most the episodes
in flight. A kill during a write can leave a partial last line; ``load`` cuts it off before anything is appended,
so the next record never lands on a broken line.

Every line is strict JSON (what jq, browsers and other languages read): a NaN or infinite float is written as the
string ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``, so the value is still named, and a record whose ``reward`` is
such a string (or anything else that is not a finite number) is not a scored episode: it reruns on resume.
"""

from __future__ import annotations

import json
import math
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


def finite_number(value: Any) -> bool:
    """A real number a figure may take (not a bool, a string, NaN or an infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def strict_jsonable(value: Any) -> Any:
    """``value`` with every non-finite float as its name (``"NaN"``...) and other objects made JSON (``to_jsonable``),
    so ``json.dumps(..., allow_nan=False)`` never fails and never writes the non-standard ``NaN`` token."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, dict):
        return {k if isinstance(k, (str, int)) or k is None else str(strict_jsonable(k)): strict_jsonable(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_jsonable(v) for v in value]
    converted = to_jsonable(value)
    return strict_jsonable(converted) if type(converted) is not type(value) else repr(value)


def dumps_strict(value: Any, **kwargs: Any) -> str:
    return json.dumps(strict_jsonable(value), allow_nan=False, **kwargs)


def invalid_reward(record: dict[str, Any]) -> str | None:
    """Why an ``ok`` record's reward cannot be counted (missing, not a number, NaN, infinite); None if it can or
    the record is not ``ok`` (a failed episode's reward is 0 anyway)."""
    if record.get("status") != "ok" or finite_number(record.get("reward")):
        return None
    return f"the episode ended but its reward {record.get('reward')!r} is not a finite number"


def is_scored(record: dict[str, Any]) -> bool:
    """A finished episode with a reward that counts: it is not played again on resume."""
    return record.get("status") == "ok" and invalid_reward(record) is None


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
        self._fh.write(dumps_strict(record, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def latest_by_key(records: list[dict[str, Any]]) -> dict[EpisodeKey, dict[str, Any]]:
    """One record per episode: a scored one if any, else the last failure (those rerun on resume)."""
    best: dict[EpisodeKey, dict[str, Any]] = {}
    for record in records:
        key = episode_key(record)
        if key not in best or not is_scored(best[key]):
            best[key] = record
    return best
