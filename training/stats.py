"""Scalar metrics of a batch of episodes: rubric pass rates by section, turns, tool use and how episodes ended.

Shared by training (logged through TRL's reward-function ``log_metric`` hook) and evaluation, so both curves on the
plot mean the same thing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

SECTIONS = {"sub_goal": "rubric/sub_goal_pass", "required_interaction": "rubric/interaction_pass",
            "forbidden": "rubric/forbidden_violated"}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def episode_metrics(summaries: list[dict[str, Any]], prefix: str = "") -> dict[str, float]:
    """``summaries`` are ``EpisodeRollout.summary()`` dicts; rates are over rubric items of all episodes."""
    out: dict[str, float | None] = {"reward": _mean([s["reward"] for s in summaries]),
                                    "episode/turns": _mean([s["turns"] for s in summaries])}
    for section, name in SECTIONS.items():
        verdicts = [bool(i["passed"]) for s in summaries for i in s["items"] if i["section"] == section]
        out[name] = _mean([float(v) for v in verdicts])
    for key in ("tool_calls", "tool_errors", "format_errors", "user_turns"):
        out[f"episode/{key}"] = _mean([float(s["stats"].get(key, 0)) for s in summaries])
    out["episode/failed"] = _mean([float(bool(s.get("failed"))) for s in summaries])  # worth 0, see rollout
    ends = Counter(s["end_reason"] or "unknown" for s in summaries)
    for reason, count in ends.items():
        out[f"episode/end_{reason}"] = count / len(summaries)
    return {f"{prefix}{k}": float(v) for k, v in out.items() if v is not None}
