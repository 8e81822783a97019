"""Judges decide natural-language rubric items that the trajectory alone cannot decide.

The offline judge decides nothing: it marks such items undecided (no credit for a sub-goal or interaction,
no violation for a forbidden item) and says so, so a missing judge is visible in every verdict.
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


class OfflineJudge:
    def judge(
        self, task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]
    ) -> dict[str, Verdict]:
        return {item.id: Verdict(None, "natural-language item and no judge configured", "undecided") for _, item in items}


def make_judge(spec: Any = None) -> Judge:
    """``None`` -> the offline judge; a judge object -> itself; anything ``make_client`` takes -> an LLM judge."""
    if spec is None:
        return OfflineJudge()
    if hasattr(spec, "judge"):
        return spec
    from ..llm import make_client
    from .llm_judge import LLMJudge

    return LLMJudge(make_client(spec))
