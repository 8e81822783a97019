"""Which item an episode plays: ``reset(options={"task_id": ...})``, ``{"task_index": n}``, or seeded chance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


def pick(items: Sequence[T], options: dict[str, Any] | None, rng: np.random.Generator, what: str = "task") -> T:
    """The item named by ``options`` (by ``.id`` or index), else one drawn with the env's seeded generator."""
    options = options or {}
    if "task_id" in options:
        found = next((item for item in items if getattr(item, "id", None) == options["task_id"]), None)
        if found is None:
            raise KeyError(f"no {what} {options['task_id']!r} here")
        return found
    if "task_index" in options:
        return items[int(options["task_index"]) % len(items)]
    return items[int(rng.integers(len(items)))]
