"""Rebuild the bundled ``tooluse_v0.jsonl`` from its source: one JSON file per task, ``tooluse_v0/<domain>/<id>.json``.

``python -m synthagent_env.packs.build`` validates every task file (a bad one is named), lints the pack, plays
each task's reference solution through the environment (it must score 1.0 under the default reward), and
writes the JSONL only if all of that passes. Only the JSONL ships in the package; the task files are the
source a contributor edits in a checkout. Tasks are ordered by domain, then id.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from ..task import Task
from .lint import lint_pack

PACK_PATH = Path(__file__).with_name("tooluse_v0.jsonl")
SOURCE_DIR = Path(__file__).with_name("tooluse_v0")


class TaskFileError(ValueError):
    """A task file that is not valid JSON, not a valid task, or not where its id and domain say."""


def read_task_file(path: Path) -> Task:
    try:
        task = Task.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as err:  # JSONDecodeError is a ValueError
        raise TaskFileError(f"{path}: {err}") from None
    expected = Path(task.domain) / f"{task.id}.json"
    if path.parent.name != task.domain or path.name != expected.name:
        raise TaskFileError(f"{path}: task {task.id!r} of domain {task.domain!r} belongs in {expected}")
    return task


def source_tasks(source_dir: Path = SOURCE_DIR) -> list[Task]:
    """Every task file under ``source_dir``, validated, ordered by domain then id."""
    paths = sorted(source_dir.glob("*/*.json"))
    if not paths:
        raise TaskFileError(f"{source_dir}: no task files (<domain>/<task id>.json)")
    return [read_task_file(p) for p in paths]


def oracle_problems(tasks: list[Task]) -> list[str]:
    from ..reference import play_reference

    problems = []
    for task in tasks:
        result = play_reference(task, tasks)
        if result.reward != 1.0:
            problems.append(f"{task.id}: oracle reward {result.reward} ({result.failures})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PACK_PATH)
    parser.add_argument("--no-oracle", action="store_true", help="skip oracle play (lint only)")
    parser.add_argument("--source", type=Path, default=SOURCE_DIR, help="folder of <domain>/<task id>.json files")
    args = parser.parse_args(argv)
    try:
        tasks = source_tasks(args.source)
    except TaskFileError as err:
        print("PROBLEM", err, file=sys.stderr)
        return 1
    problems = lint_pack(tasks)
    if not args.no_oracle:
        problems += oracle_problems(tasks)
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    if problems:
        return 1
    from ..pack import save_tasks

    save_tasks(tasks, args.out)
    domains = sorted({t.domain for t in tasks})
    print(f"wrote {len(tasks)} tasks over {len(domains)} domains ({', '.join(domains)}) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
