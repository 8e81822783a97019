"""Rebuild the bundled ``tooluse_v0.jsonl`` from the hand-written sources in ``packs/sources/``.

``python -m synthagent_env.packs.build`` validates every task, lints the pack, plays each task's reference
solution through the environment (it must score 1.0), and writes the JSONL only if all of that passes.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from ..task import Task
from . import sources
from .lint import lint_pack

PACK_PATH = Path(__file__).with_name("tooluse_v0.jsonl")


def source_tasks() -> list[Task]:
    """Every task of every module in ``packs/sources``, validated, in a stable order."""
    tasks: list[Task] = []
    for info in sorted(pkgutil.iter_modules(sources.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sources.__name__}.{info.name}")
        for i, raw in enumerate(module.TASKS):
            try:
                tasks.append(Task.model_validate(raw))
            except ValueError as err:
                raise SystemExit(f"{info.name}.TASKS[{i}] ({raw.get('id', '?')}): {err}") from None
    return tasks


def oracle_problems(tasks: list[Task]) -> list[str]:
    from .verify import play_reference

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
    args = parser.parse_args(argv)
    tasks = source_tasks()
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
