"""Run one stage over many items: bounded threads, one log line per finished item, skip what is already done.

Threads, not asyncio, because a stage item is a chain of blocking work (HTTP calls through the shared client,
a gym env stepping a simulated world); the client bounds the requests in flight, the pool bounds the items.
An interrupt (Ctrl-C, SIGTERM turned into an exception, SIGKILL) loses only the items in flight: every finished
one is already on disk and is skipped when the same command runs again.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from ..llm import LLMHTTPError
from .stage import ItemContext, Rejected, Stage
from .stage_log import StageLog
from .teacher import usage_dict

# Refusals that concern this item's request (too long, unprocessable), not the server or its configuration.
ITEM_HTTP_STATUSES = (400, 413, 422)


@dataclass
class StageRun:
    name: str
    ran: int = 0  # items finished by this call
    skipped: int = 0  # items already in the log
    errors: list[dict[str, str]] = field(default_factory=list)  # not recorded: retried on resume
    kept: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # every kept output, in input order


class _StageBar:
    """One stage's progress bar on stderr (rich, the one progress library of the package, as in ``eval``)."""

    def __init__(self, name: str, total: int, done: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(TextColumn(f"{name:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                             console=Console(stderr=True))
        self._task = self._bar.add_task(name, total=total, completed=done)
        self._bar.start()

    def update(self, n: int) -> None:
        self._bar.update(self._task, advance=n)

    def close(self) -> None:
        self._bar.stop()


def _progress(name: str, total: int, done: int, enabled: bool) -> _StageBar | None:
    if not enabled:
        return None
    if importlib.util.find_spec("rich") is None:
        print('note: no progress bars (rich is not installed; pip install "synthagent[report]")', file=sys.stderr)
        return None
    return _StageBar(name, total, done)


def _finish(stage: Stage, item_id: str, draft: dict[str, Any], ctx: ItemContext, log: StageLog) -> dict[str, Any]:
    """Run the item and log its record from the worker itself, so an item that finishes after an interrupt
    is still kept (raises for errors, which are not recorded)."""
    record: dict[str, Any] = {"id": item_id, "stage": stage.name}
    try:
        record.update(status="kept", output=stage.work(draft, ctx))
    except Rejected as rej:
        record.update(status="discarded", code=rej.code, reason=rej.detail)
    except LLMHTTPError as err:
        if err.status not in ITEM_HTTP_STATUSES:
            raise
        record.update(status="discarded", code=f"teacher_http_{err.status}", reason=str(err)[:500])
    record["notes"] = list(ctx.teacher.notes)
    record["usage"] = usage_dict(ctx.teacher.client.usage)
    if ctx.simulator_usage is not None:
        record["simulator_usage"] = usage_dict(ctx.simulator_usage)
    log.append(record)
    return record


def run_stage(
    stage: Stage,
    items: list[tuple[str, dict[str, Any]]],
    log: StageLog,
    make_context: Callable[[str], ItemContext],
    *,
    concurrency: int = 8,
    progress: bool = True,
) -> StageRun:
    done = log.records()
    todo = [(i, d) for i, d in items if i not in done]
    run = StageRun(stage.name, skipped=len(items) - len(todo))
    bar = _progress(stage.name, len(items), run.skipped, progress)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix=f"synth-{stage.name}")
    pending: dict[Future, str] = {}
    queue = iter(todo)
    try:
        while True:
            while len(pending) < max(1, concurrency):
                nxt = next(queue, None)
                if nxt is None:
                    break
                item_id, draft = nxt
                pending[pool.submit(_finish, stage, item_id, draft, make_context(item_id), log)] = item_id
            if not pending:
                break
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                item_id = pending.pop(future)
                try:
                    record = future.result()
                except Exception as err:  # noqa: BLE001  (an error, not a verdict: retried on resume)
                    run.errors.append({"id": item_id, "error": f"{type(err).__name__}: {err}"[:1000],
                                       "traceback": traceback.format_exc(limit=4)[-2000:]})
                else:
                    done[item_id] = record
                    run.ran += 1
                if bar is not None:
                    bar.update(1)
    except BaseException:  # an interrupt: start nothing new; items in flight still log when they finish
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        if bar is not None:
            bar.close()
    run.kept = [(i, done[i]["output"]) for i, _ in items if i in done and done[i]["status"] == "kept"]
    return run
