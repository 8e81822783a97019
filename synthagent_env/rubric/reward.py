"""The rubric reward R(tau): verdicts per item, then a small tree of scorers over them.

The tree's leaves are item checks (1 when a sub-goal or interaction passed, 1 when a forbidden behaviour did
NOT occur); ``Mean`` makes a section's fraction; ``WeightedSum`` mixes sections; ``Gate`` zeroes its child
unless a condition reaches a minimum. The paper's two formulas are two trees:

``paper_code`` (the default; what the paper's released code trains with): 0 if policy compliance (the fraction
of forbidden items not violated) is below ``min_compliance`` or the sub-goal fraction is below
``min_sub_goals`` (0.3), else 0.7 * sub-goals + 0.3 * interactions. Without sub-goal credit there is no
reward, so asking questions alone pays nothing. The paper's code gates compliance at 0.5; our default is 1.0,
because a task's forbidden items are the ways of breaking its policy: at 0.5 a task with two of them (8 of the
36 bundled tasks) would pay in full for breaking the policy one way. ``min_compliance=0.5`` restores the
paper's gate exactly.
``paper``: 0 if any forbidden behaviour occurred, else the mean of the sub-goal and interaction fractions.

A section with no items scores ``None``: it drops out of a weighted sum (the weights renormalise); an empty
forbidden section passes its gate, an empty sub-goal section does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..task import Task
from .checks import Verdict, decide
from .judge import Judge, UndecidedJudge

FORMULAS = ("paper", "paper_code")


@dataclass
class ItemVerdict:
    id: str
    section: str  # sub_goal | required_interaction | forbidden
    description: str
    passed: bool | None  # forbidden items: True means the behaviour occurred (a violation)
    reason: str
    decided_by: str


Verdicts = Mapping[str, ItemVerdict]


# ---- the tree ----


class Scorer:
    """A node of the reward tree: a score in [0, 1], or ``None`` when it has nothing to score."""

    def score(self, verdicts: Verdicts) -> float | None:
        raise NotImplementedError


@dataclass(frozen=True)
class ItemCheck(Scorer):
    """One rubric item: 1.0 when it passed (for a forbidden item: when the behaviour did not occur), else 0.0.
    An undecided item earns no credit and is no violation."""

    item_id: str
    forbidden: bool = False

    def score(self, verdicts: Verdicts) -> float:
        occurred = verdicts[self.item_id].passed is True
        return float(not occurred) if self.forbidden else float(occurred)


@dataclass(frozen=True)
class Mean(Scorer):
    children: tuple[Scorer, ...]

    def score(self, verdicts: Verdicts) -> float | None:
        scores = [s for s in (c.score(verdicts) for c in self.children) if s is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class WeightedSum(Scorer):
    """Weighted mean of the children that score; ``None`` when none does or their weights sum to 0."""

    parts: tuple[tuple[float, Scorer], ...]

    def score(self, verdicts: Verdicts) -> float | None:
        scored = [(w, s) for w, s in ((w, c.score(verdicts)) for w, c in self.parts) if s is not None]
        total = sum(w for w, _ in scored)
        return sum(w * s for w, s in scored) / total if total > 0 else None


@dataclass(frozen=True)
class Gate(Scorer):
    """``child``'s score when ``condition`` scores at least ``minimum``, else 0.0. An empty condition
    (``None``) opens the gate only when ``open_if_empty``."""

    child: Scorer
    condition: Scorer
    minimum: float
    open_if_empty: bool = True

    def score(self, verdicts: Verdicts) -> float | None:
        value = self.condition.score(verdicts)
        opens = self.open_if_empty if value is None else value >= self.minimum
        return self.child.score(verdicts) if opens else 0.0


@dataclass(frozen=True)
class Sections:
    """The three section scorers of one task's rubric."""

    sub_goals: Mean
    interactions: Mean
    compliance: Mean

    @classmethod
    def of(cls, task: Task) -> Sections:
        r = task.rubric
        return cls(
            sub_goals=Mean(tuple(ItemCheck(i.id) for i in r.sub_goals)),
            interactions=Mean(tuple(ItemCheck(i.id) for i in r.required_interactions)),
            compliance=Mean(tuple(ItemCheck(i.id, forbidden=True) for i in r.forbidden)),
        )


# ---- configuration: which tree ----


@dataclass(frozen=True)
class RewardConfig:
    formula: Literal["paper", "paper_code"] = "paper_code"
    sub_goal_weight: float | None = None  # None: the formula's own (0.7 paper_code, 0.5 paper)
    interaction_weight: float | None = None  # None: 0.3 paper_code, 0.5 paper
    min_compliance: float = 1.0  # paper_code only; the paper's code uses 0.5 (see the module doc)
    min_sub_goals: float = 0.3  # paper_code only

    def __post_init__(self) -> None:
        if self.formula not in FORMULAS:
            raise ValueError(f"unknown reward formula {self.formula!r}; choose one of {', '.join(FORMULAS)}")
        for name in ("sub_goal_weight", "interaction_weight"):
            value = getattr(self, name)
            if value is not None and not value >= 0:
                raise ValueError(f"{name} must be >= 0, got {value!r}")
        for name in ("min_compliance", "min_sub_goals"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {getattr(self, name)!r}")

    def weights(self) -> tuple[float, float]:
        default = (0.5, 0.5) if self.formula == "paper" else (0.7, 0.3)
        return (
            default[0] if self.sub_goal_weight is None else self.sub_goal_weight,
            default[1] if self.interaction_weight is None else self.interaction_weight,
        )

    def tree(self, sections: Sections) -> Scorer:
        """This configuration's formula as a tree over ``sections``."""
        w_sub, w_int = self.weights()
        mix = WeightedSum(((w_sub, sections.sub_goals), (w_int, sections.interactions)))
        if self.formula == "paper":
            return Gate(mix, sections.compliance, minimum=1.0)  # any violation zeroes it
        complying = Gate(mix, sections.compliance, minimum=self.min_compliance)
        return Gate(complying, sections.sub_goals, minimum=self.min_sub_goals, open_if_empty=False)


# ---- scoring an episode ----


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


def item_verdicts(task: Task, trajectory: Sequence[dict[str, Any]], judge: Judge) -> list[ItemVerdict]:
    """Every rubric item decided: structured ones from the trajectory, the rest by ``judge`` in one batch."""
    trajectory = list(trajectory)
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
    return [
        ItemVerdict(item.id, section, item.description, decided[item.id].passed, decided[item.id].reason,
                    decided[item.id].decided_by)
        for section, item in task.rubric.items()
    ]


def score_episode(
    task: Task,
    trajectory: Sequence[dict[str, Any]],
    config: RewardConfig = RewardConfig(),
    judge: Judge | None = None,
) -> RewardResult:
    """Decide every rubric item, then evaluate ``config``'s tree over the verdicts."""
    items = item_verdicts(task, trajectory, judge or UndecidedJudge())
    verdicts = {i.id: i for i in items}
    sections = Sections.of(task)
    return RewardResult(
        reward=config.tree(sections).score(verdicts) or 0.0,
        sub_goal_fraction=sections.sub_goals.score(verdicts),
        interaction_fraction=sections.interactions.score(verdicts),
        compliance=sections.compliance.score(verdicts),
        violated=any(i.passed is True for i in items if i.section == "forbidden"),
        items=items,
    )
