"""Rubric rewards: structured checks decided from the trajectory, judged items, and the reward as a small tree
of scorers (item checks, ``Mean``, ``WeightedSum``, ``Gate``) in which the paper's two formulas are written."""

from .checks import Verdict, decide
from .judge import Judge, OfflineJudge, UndecidedJudge, make_judge
from .llm_judge import LLMJudge
from .reward import (
    FORMULAS, Gate, ItemCheck, ItemVerdict, Mean, RewardConfig, RewardResult, Scorer, Sections, WeightedSum,
    score_episode,
)

__all__ = [
    "FORMULAS", "Gate", "ItemCheck", "ItemVerdict", "Judge", "LLMJudge", "Mean", "OfflineJudge", "RewardConfig",
    "RewardResult", "Scorer", "Sections", "UndecidedJudge", "Verdict", "WeightedSum", "decide", "make_judge",
    "score_episode",
]
