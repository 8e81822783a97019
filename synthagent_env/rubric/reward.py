"""The rubric reward R(tau): verdicts per item, then one of the paper's two formulas over them.

``paper``: 0 if any forbidden behaviour occurred, else the weighted mean of the sub-goal fraction and the
required-interaction fraction (equal weights). ``paper_code``: 0 if policy compliance (the fraction of forbidden
items not violated) is below ``min_compliance`` or the sub-goal fraction is below ``min_sub_goals``, else
0.7 * sub-goals + 0.3 * interactions. A section with no items drops out and the weights renormalise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..task import Task
from .checks import Verdict, decide
from .judge import Judge, OfflineJudge


@dataclass(frozen=True)
class RewardConfig:
    formula: Literal["paper", "paper_code"] = "paper"
    sub_goal_weight: float | None = None  # None: the formula's own (0.5 paper, 0.7 paper_code)
    interaction_weight: float | None = None  # None: 0.5 paper, 0.3 paper_code
    min_compliance: float = 0.5  # paper_code only
    min_sub_goals: float = 0.3  # paper_code only

    def weights(self) -> tuple[float, float]:
        default = (0.5, 0.5) if self.formula == "paper" else (0.7, 0.3)
        return (
            default[0] if self.sub_goal_weight is None else self.sub_goal_weight,
            default[1] if self.interaction_weight is None else self.interaction_weight,
        )


@dataclass
class ItemVerdict:
    id: str
    section: str  # sub_goal | required_interaction | forbidden
    description: str
    passed: bool | None  # forbidden items: True means the behaviour occurred (a violation)
    reason: str
    decided_by: str


@dataclass
class RewardResult:
    reward: float
    sub_goal_fraction: float | None
    interaction_fraction: float | None
    compliance: float | None
    violated: bool
    items: list[ItemVerdict] = field(default_factory=list)

    def as_info(self) -> dict[str, Any]:
        return asdict(self)


def _fraction(items: list[ItemVerdict]) -> float | None:
    return sum(1 for i in items if i.passed) / len(items) if items else None


def combine(result: RewardResult, config: RewardConfig) -> float:
    w_sub, w_int = config.weights()
    parts = [(w_sub, result.sub_goal_fraction), (w_int, result.interaction_fraction)]
    parts = [(w, f) for w, f in parts if f is not None]
    total = sum(w for w, _ in parts)
    mix = sum(w * f for w, f in parts) / total if total > 0 else 0.0
    if config.formula == "paper":
        return 0.0 if result.violated else mix
    compliance = 1.0 if result.compliance is None else result.compliance
    if compliance < config.min_compliance or (result.sub_goal_fraction or 0.0) < config.min_sub_goals:
        return 0.0
    return mix


def score_episode(
    task: Task,
    trajectory: list[dict[str, Any]],
    config: RewardConfig = RewardConfig(),
    judge: Judge | None = None,
) -> RewardResult:
    """Decide every rubric item (structured ones from the trajectory, the rest by ``judge``) and combine."""
    judge = judge or OfflineJudge()
    decided: dict[str, Verdict] = {}
    pending = []
    for section, item in task.rubric.items():
        verdict = decide(item.check, trajectory, task)
        if verdict is None:
            pending.append((section, item))
        else:
            decided[item.id] = verdict
    if pending:
        decided.update(judge.judge(task, trajectory, pending))
    items = [
        ItemVerdict(item.id, section, item.description, decided[item.id].passed, decided[item.id].reason,
                    decided[item.id].decided_by)
        for section, item in task.rubric.items()
    ]
    forbidden = [i for i in items if i.section == "forbidden"]
    result = RewardResult(
        reward=0.0,
        sub_goal_fraction=_fraction([i for i in items if i.section == "sub_goal"]),
        interaction_fraction=_fraction([i for i in items if i.section == "required_interaction"]),
        compliance=(1.0 - _fraction(forbidden)) if forbidden else None,  # type: ignore[operator]
        violated=any(i.passed for i in forbidden),
        items=items,
    )
    result.reward = combine(result, config)
    return result
