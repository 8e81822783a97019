"""BFCL's numbers from episode results: accuracy per multi-turn category and the overall multi-turn score.

BFCL's overall multi-turn score is the unweighted mean of the four category accuracies. The category is
read from the entry id (``multi_turn_<category>_<n>``), so any record with ``task_id`` and ``reward`` works:
the benchmark loop's episode log as well as the gold-replay script's results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from statistics import fmean
from typing import Any

from .data import CATEGORIES


def category_of(task_id: str) -> str:
    return task_id.removeprefix("multi_turn_").rsplit("_", 1)[0]


def summarize(records: Iterable[Mapping[str, Any]], success_threshold: float = 1.0) -> dict[str, Any]:
    """``{"categories": {cat: {"n", "passed", "accuracy"}}, "overall": mean accuracy or None, "complete"}``.

    With several samples per entry every sample counts. ``overall`` is None unless all four categories ran;
    ``complete`` says whether they did.
    """
    passed: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        passed[category_of(record["task_id"])].append(float(record["reward"]) >= success_threshold - 1e-9)
    categories = {
        cat: {"n": len(passed[cat]), "passed": sum(passed[cat]), "accuracy": fmean(passed[cat])}
        for cat in [*CATEGORIES, *sorted(set(passed) - set(CATEGORIES))] if passed.get(cat)
    }
    complete = all(cat in categories for cat in CATEGORIES)
    overall = fmean(categories[c]["accuracy"] for c in CATEGORIES) if complete else None
    return {"categories": categories, "overall": overall, "complete": complete}


def format_summary(summary: Mapping[str, Any]) -> str:
    lines = [f"{cat:<13} {row['passed']:>4}/{row['n']:<4} {100 * row['accuracy']:6.2f}%"
             for cat, row in summary["categories"].items()]
    overall = summary["overall"]
    lines.append(f"{'overall':<13} {'':>9} " + (f"{100 * overall:6.2f}%" if overall is not None
                                               else "  n/a (needs all four categories)"))
    return "\n".join(lines)
