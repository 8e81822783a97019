"""Judges decide natural-language rubric items that the trajectory alone cannot decide.

``UndecidedJudge`` (what an env gets with no judge configured) decides nothing: it marks such items undecided
(no credit for a sub-goal or interaction, no violation for a forbidden item) and says so, so a missing judge is
visible in every verdict. ``OfflineJudge`` is its old name, kept as an alias for now.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..task import RubricItem, Task
from .checks import Verdict


class Judge(Protocol):
    def judge(
        self, task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]
    ) -> dict[str, Verdict]:
        """A verdict for each ``(section, item)``, keyed by item id."""
        ...


class UndecidedJudge:
    """Decides nothing: every natural-language item is left undecided, with the reason in the verdict."""

    def judge(
        self, task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]
    ) -> dict[str, Verdict]:
        undecided = Verdict(None, "natural-language item and no judge configured", "undecided")
        return {item.id: undecided for _, item in items}


OfflineJudge = UndecidedJudge  # the old name; it never judged anything offline


def make_judge(spec: Any = None) -> Judge:
    """``None`` -> ``UndecidedJudge``; a judge object -> itself; anything ``make_client`` takes -> an LLM judge."""
    if spec is None:
        return UndecidedJudge()
    if hasattr(spec, "judge"):
        return spec
    from ..llm import make_client
    from .llm_judge import LLMJudge

    cache_path = None
    if isinstance(spec, dict) and "cache_path" in spec:  # the verdict cache file; the rest picks the model
        spec = dict(spec)
        cache_path = spec.pop("cache_path")
    return LLMJudge(make_client(spec, role="judge"), cache_path=cache_path)
