"""Numbers from episode records: rewards, success, avg@k, pass^k, behaviour counts, per-rubric-item pass rates.

Every number is computed from the structured records (``stats``, ``trajectory``, ``reward_details``), never by
re-reading text. Success means ``reward >= success_threshold``. avg@k is the mean over tasks of each task's mean
reward over its samples; pass^k (tau-bench) is the chance that k samples drawn without replacement all succeed,
C(c, k) / C(n, k) averaged over tasks; pass@k is the chance that at least one does. A failed episode counts in
every one of them as a failure with reward 0: nothing is dropped from a mean.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from math import comb
from statistics import fmean, pstdev
from typing import Any

_STAT_MEANS = {"mean_tool_calls": "tool_calls", "mean_user_questions": "user_turns", "mean_tool_errors": "tool_errors",
               "mean_format_errors": "format_errors"}


def _mean(values: list[float]) -> float | None:
    return fmean(values) if values else None


def pass_hat_k(n: int, c: int, k: int) -> float:
    return comb(c, k) / comb(n, k)


def pass_at_k(n: int, c: int, k: int) -> float:
    return 1.0 - comb(n - c, k) / comb(n, k)


def _by_task(episodes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in episodes:
        groups[e["task_id"]].append(e)
    return dict(groups)


def _k_curves(groups: dict[str, list[dict[str, Any]]], k: int) -> tuple[dict[str, float], dict[str, float]]:
    hat, at = {}, {}
    for j in range(1, k + 1):
        counts = [(len(g), sum(e["success"] for e in g)) for g in groups.values() if len(g) >= j]
        if counts:
            hat[str(j)] = fmean(pass_hat_k(n, c, j) for n, c in counts)
            at[str(j)] = fmean(pass_at_k(n, c, j) for n, c in counts)
    return hat, at


def _rubric_items(episodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    verdicts: dict[tuple[str, str], dict[str, Any]] = {}
    for e in episodes:
        for item in (e.get("reward_details") or {}).get("items", []):
            row = verdicts.setdefault((e["task_id"], item["id"]), {
                "task_id": e["task_id"], "item_id": item["id"], "section": item["section"],
                "description": item["description"], "n": 0, "passed": 0, "undecided": 0})
            row["n"] += 1
            if item["passed"] is None:
                row["undecided"] += 1
            elif item["passed"]:
                row["passed"] += 1
    rows = list(verdicts.values())
    for row in rows:  # for forbidden items "passed" counts violations
        row["pass_rate"] = row["passed"] / row["n"]
    return rows


def _section_rates(items: list[dict[str, Any]]) -> dict[str, float | None]:
    def rate(section: str) -> float | None:
        rows = [r for r in items if r["section"] == section]
        n = sum(r["n"] for r in rows)
        return sum(r["passed"] for r in rows) / n if n else None

    return {"sub_goal_pass_rate": rate("sub_goal"), "interaction_pass_rate": rate("required_interaction"),
            "forbidden_violation_rate": rate("forbidden")}


def _failures(failed: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Failed episodes by kind (agent, env, simulator): how many, and the first one's reason."""
    out: dict[str, dict[str, Any]] = {}
    for r in failed:
        kind = str(r.get("error_in") or "unknown")
        entry = out.setdefault(kind, {"count": 0, "first": {"task_id": r.get("task_id"), "sample": r.get("sample"),
                                                          "error": r.get("error")}})
        entry["count"] += 1
    return dict(sorted(out.items()))


def summarize(records: list[dict[str, Any]], k: int, success_threshold: float = 1.0) -> dict[str, Any]:
    """The report's numbers from one record per episode.

    Every record counts: a failed one (``status`` "error": the agent or env raised, the simulator failed, the
    episode was never scored) is worth reward 0 and is not a success in every reward figure; behaviour figures use
    what the episode did before it failed; rubric-item rates use only the episodes that were scored.
    """
    episodes = [dict(r, reward=float(r.get("reward") or 0.0) if r.get("status") == "ok" else 0.0) for r in records]
    for e in episodes:
        e["success"] = e.get("status") == "ok" and e["reward"] >= success_threshold - 1e-9
    failed = [r for r in records if r.get("status") != "ok"]
    scored = [e for e in episodes if e.get("status") == "ok"]
    groups = _by_task(episodes)
    rewards = [e["reward"] for e in episodes]
    stats = [e.get("stats") or {} for e in episodes]
    tool_calls = sum(s.get("tool_calls", 0) for s in stats)
    tool_errors = sum(s.get("tool_errors", 0) for s in stats)
    error_kinds = Counter(ev.get("error_kind") for e in episodes for ev in e.get("trajectory", [])
                          if ev.get("type") == "tool_call" and ev.get("status") == "error")
    hat, at = _k_curves(groups, k)
    items = _rubric_items(scored)
    failures = _failures(failed)
    summary: dict[str, Any] = {
        "episodes": len(episodes),
        "failed": len(failed),
        "failures": failures,
        "agent_errors": failures.get("agent", {}).get("count", 0),
        "tasks": len(groups),
        "samples_per_task": k,
        "success_threshold": success_threshold,
        "mean_reward": _mean(rewards),
        "reward_std": pstdev(rewards) if rewards else None,
        "success_rate": _mean([float(e["success"]) for e in episodes]),
        "avg_at_k": _mean([fmean(e["reward"] for e in g) for g in groups.values()]),
        "pass_hat_k": hat,
        "pass_at_k": at,
        "mean_turns": _mean([float(e.get("turns") or 0) for e in episodes]),
        **{name: _mean([float(s.get(key, 0)) for s in stats]) for name, key in _STAT_MEANS.items()},
        "tool_error_rate": tool_errors / tool_calls if tool_calls else None,
        "tool_errors_by_kind": dict(sorted(error_kinds.items(), key=lambda kv: str(kv[0]))),
        "simulator_failures": sum(s.get("simulator_failures", 0) for s in stats),
        "episodes_with_simulator_failure": sum(1 for s in stats if s.get("simulator_failures", 0)),
        "end_reasons": dict(Counter(str(e.get("end_reason")) for e in episodes).most_common()),
        **_section_rates(items),
        "per_task": [
            {"task_id": t, "n": len(g), "failed": sum(e.get("status") != "ok" for e in g),
             "mean_reward": fmean(e["reward"] for e in g), "success_rate": fmean(float(e["success"]) for e in g)}
            for t, g in sorted(groups.items())
        ],
        "rubric_items": items,
        "rewards": rewards,
    }
    return summary
