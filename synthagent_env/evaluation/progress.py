"""The eval's progress bar (rich, on stderr): episodes done, running mean reward (failures count 0), failures."""

from __future__ import annotations

from typing import Any

from .records import is_scored


class EvalProgress:
    def __init__(self, total: int, done: int, label: str, enabled: bool = True):
        self.total, self.done, self.label, self.enabled = total, done, label, enabled
        self._rewards: list[float] = []
        self._errors = 0
        self._bar: Any = None

    def __enter__(self) -> EvalProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TimeRemainingColumn(), TextColumn("{task.fields[stats]}"), console=Console(stderr=True),
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, completed=self.done, stats="")
        return self

    def advance(self, record: dict[str, Any]) -> None:
        ok = is_scored(record)  # an "ok" episode without a finite reward counts 0 and as failed, as in the metrics
        self._rewards.append(float(record["reward"]) if ok else 0.0)
        self._errors += not ok
        if self._bar is not None:
            mean = sum(self._rewards) / len(self._rewards) if self._rewards else float("nan")
            stats = f"mean reward {mean:.3f}" + (f", [red]{self._errors} failed" if self._errors else "")
            self._bar.update(self._task, advance=1, stats=stats)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
