"""``synthagent mapping``: copy a mapping between stores (a sqlite file, a Redis URL: any two) and show one
task's entries. Copying keeps write-once semantics: an entry the destination already holds is never changed;
a different answer there is counted as a conflict and kept."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import store_pool
from .cli import command
from .mapping_key import CallKey, MappingEntry
from .stores import MappingStore, MappingStoreError

STORE_VAR = "SYNTHAGENT_MAPPING"


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="mapping_command", required=True)
    copy = sub.add_parser("copy", help="copy every entry of SRC that DST lacks (write-once: DST keeps its own)",
                          description="Copy a mapping between stores: file paths or redis:// URLs.")
    copy.add_argument("src", help="the store to read (a mapping file or a redis:// URL)")
    copy.add_argument("dst", help="the store to write (created if it is a new file)")
    copy.add_argument("--task", action="append", help="copy only this task (repeatable; default: every task)")
    show = sub.add_parser("show", help="list one task's entries in insertion order")
    show.add_argument("--task", required=True, help="the task id")
    show.add_argument("--store", default=os.environ.get(STORE_VAR),
                      help=f"a mapping file or a redis:// URL (default: ${STORE_VAR})")
    show.add_argument("--json", action="store_true", help="one JSON object per entry")
    show.add_argument("--max-chars", type=int, default=300, help="clip responses to this many characters (0: all)")


def _open_existing(spec: str) -> MappingStore:
    """Open a store that must already exist (reading a missing file would create an empty one)."""
    resolved = store_pool.resolve(spec)
    if not store_pool.is_url(resolved) and not Path(resolved).is_file():
        raise MappingStoreError(f"mapping store {resolved} does not exist")
    return store_pool.open_store(resolved)


def copy_mapping(src: MappingStore, dst: MappingStore, tasks: list[str] | None = None) -> dict[str, int]:
    """Copy entries of ``src`` missing from ``dst``, task by task in insertion order; return the counts."""
    counts = {"tasks": 0, "copied": 0, "already_there": 0, "conflicting": 0}
    for task_id in tasks or src.task_ids():
        entries = src.entries(task_id)
        if not entries:
            continue
        counts["tasks"] += 1
        held = {e.key(task_id): e.response for e in dst.entries(task_id)}
        missing: list[MappingEntry] = []
        for entry in entries:
            there = held.get(entry.key(task_id))
            if there is None:
                missing.append(entry)
            else:
                counts["already_there" if there == entry.response else "conflicting"] += 1
        if missing:
            dst.seed(task_id, missing)
            now: dict[CallKey, str] = {e.key(task_id): e.response for e in dst.entries(task_id)}
            for entry in missing:  # another writer may have stored its own answer first: write-once, it stays
                counts["copied" if now.get(entry.key(task_id)) == entry.response else "conflicting"] += 1
    return counts


def _show(store: MappingStore, task_id: str, as_json: bool, max_chars: int) -> int:
    entries = store.entries(task_id)
    if not entries:
        print(f"synthagent mapping: no entries for task {task_id!r} in {store.spec}", file=sys.stderr)
        return 1
    for i, entry in enumerate(entries):
        if as_json:
            print(json.dumps({"tool": entry.tool, "arguments": entry.arguments, "response": entry.response},
                             ensure_ascii=False))
            continue
        response = entry.response
        if max_chars and len(response) > max_chars:
            response = response[:max_chars] + f"... [{len(entry.response)} chars]"
        print(f"[{i}] {entry.tool} {json.dumps(entry.arguments, ensure_ascii=False)} -> {response}")
    return 0


@command("mapping", "copy a tool-response mapping between stores, or show a task's entries", _configure)
def main(args: argparse.Namespace) -> int:
    try:
        if args.mapping_command == "copy":
            with _open_existing(args.src) as src, store_pool.open_store(args.dst) as dst:
                counts = copy_mapping(src, dst, args.task)
            print(f"copied {counts['copied']} entries of {counts['tasks']} tasks from {src.spec} to {dst.spec}; "
                  f"{counts['already_there']} already there; {counts['conflicting']} conflicting "
                  "(the destination keeps its own answer)")
            return 0
        if not args.store:
            print(f"synthagent mapping show: give --store (a mapping file or a redis:// URL) or set ${STORE_VAR}",
                  file=sys.stderr)
            return 2
        with _open_existing(args.store) as store:
            return _show(store, args.task, args.json, args.max_chars)
    except MappingStoreError as err:
        print(f"synthagent mapping: {err}", file=sys.stderr)
        return 2
