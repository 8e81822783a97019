"""Task packs: JSONL files of tasks, one per line, loaded by path or by bundled name."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from .jsonl import read_jsonl
from .task import Task

BUNDLED_DIR = Path(__file__).parent / "packs"
BUNDLED = {"tooluse-v0": "tooluse_v0.jsonl"}
DEFAULT_PACK = "tooluse-v0"


class TaskPackError(ValueError):
    """A pack line that is not valid JSON or not a valid task; the message names the line and the field."""


def _resolve(source: str | Path) -> Path:
    if isinstance(source, str) and source in BUNDLED:
        return BUNDLED_DIR / BUNDLED[source]
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"no task pack at {path} (bundled packs: {', '.join(BUNDLED)})")
    return path


def _field_errors(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:3]:
        loc = ".".join(str(x) for x in e["loc"]) or "<task>"
        parts.append(f"field {loc!r}: {e['msg']}")
    return "; ".join(parts)


def load_tasks(source: str | Path | Iterable[Task | dict] = DEFAULT_PACK) -> list[Task]:
    """Tasks from a bundled pack name, a JSONL path, or an iterable of tasks/dicts.

    A file is parsed once per process while it is unchanged (every env of a vector env loads the same pack);
    the Task objects are shared, so copy one (``task.model_copy(deep=True)``) before changing it.
    """
    if not isinstance(source, (str, Path)):
        return [t if isinstance(t, Task) else Task.model_validate(t) for t in source]
    path = _resolve(source).resolve()
    stat = path.stat()
    with _loading:  # the threads of an env worker all miss at once: one parses, the others get its result
        return list(_load_file(path, stat.st_mtime_ns, stat.st_size))


_loading = threading.Lock()


@lru_cache(maxsize=16)
def _load_file(path: Path, mtime_ns: int, size: int) -> tuple[Task, ...]:
    tasks: list[Task] = []
    for lineno, raw in read_jsonl(path, TaskPackError):
        try:
            tasks.append(Task.model_validate(raw))
        except ValidationError as err:
            raise TaskPackError(f"{path}:{lineno}: {_field_errors(err)}") from None
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise TaskPackError(f"{path}: task id {dup!r} appears more than once")
    return tuple(tasks)


def save_tasks(tasks: Iterable[Task], path: str | Path) -> Path:
    """Write tasks as JSONL (atomically: a crash leaves the old file or the new one, never half)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for task in tasks:
            fh.write(task.model_dump_json(exclude_defaults=False) + "\n")
    tmp.replace(path)
    return path
