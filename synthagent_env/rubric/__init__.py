"""Rubric rewards: structured checks decided from the trajectory, judged items, and the reward formula."""

from .checks import Verdict, decide
from .judge import Judge, OfflineJudge, make_judge
from .llm_judge import LLMJudge
from .reward import ItemVerdict, RewardConfig, RewardResult, score_episode

__all__ = ["ItemVerdict", "Judge", "LLMJudge", "OfflineJudge", "make_judge", "RewardConfig", "RewardResult", "Verdict", "decide", "score_episode"]
