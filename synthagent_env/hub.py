"""Task packs and eval results to and from Hugging Face ``datasets``, losslessly (to share them on a hub).

A task's nested, optional and union-typed fields do not fit one Arrow schema (``Dataset.from_list`` of task
dicts fails with "cannot mix struct and non-struct", and letting a JSON loader infer types drifts floats), so
each row carries the exact JSON of its task or record in one string column, beside a few flat columns to
filter and browse by. ``datasets`` is imported only when these functions are called.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .task import Task

TASK_COLUMN = "task_json"
RECORD_COLUMN = "record_json"


def tasks_to_dataset(tasks: Iterable[Task]) -> Any:
    """A ``datasets.Dataset`` with one row per task: ``id``, ``domain``, ``kind``, ``instruction``, ``task_json``."""
    from datasets import Dataset

    tasks = list(tasks)
    return Dataset.from_dict({
        "id": [t.id for t in tasks], "domain": [t.domain for t in tasks], "kind": [t.kind for t in tasks],
        "instruction": [t.instruction for t in tasks], TASK_COLUMN: [t.model_dump_json() for t in tasks],
    })


def tasks_from_dataset(dataset: Iterable[dict[str, Any]]) -> list[Task]:
    """The tasks of a dataset written by ``tasks_to_dataset`` (a loaded split, or any iterable of its rows)."""
    return [Task.model_validate_json(row[TASK_COLUMN]) for row in dataset]


def records_to_dataset(records: Iterable[dict[str, Any]]) -> Any:
    """Eval episode records (lines of ``episodes.jsonl``) as a dataset: flat headline columns + the exact record."""
    from datasets import Dataset

    records = list(records)
    return Dataset.from_dict({
        "task_id": [str(r.get("task_id")) for r in records], "sample": [int(r.get("sample", 0)) for r in records],
        "reward": [float(r["reward"]) if r.get("reward") is not None else None for r in records],
        RECORD_COLUMN: [json.dumps(r, ensure_ascii=False) for r in records],
    })


def records_from_dataset(dataset: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(row[RECORD_COLUMN]) for row in dataset]
