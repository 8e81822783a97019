"""Numbers from episode records: rewards, success, avg@k, pass^k, behaviour counts, per-rubric-item pass rates.

Every number is computed from the structured records (``stats``, ``trajectory``, ``reward_details``), never by
re-reading text. Success means ``reward >= success_threshold``. avg@k is the mean over tasks of each task's mean
reward over its samples; pass^k (tau-bench) is the chance that k samples drawn without replacement all succeed,
C(c, k) / C(n, k) averaged over tasks; pass@k is the chance that at least one does. A failed episode counts in
every one of them as a failure with reward 0: nothing is dropped from a mean.

Records are read defensively (a log may come from another env, an older version, or a hand edit); the summary is
always a dict of finite numbers, strings and None, never an exception:

- an ``ok`` record whose ``reward`` is not a finite number (missing, NaN, infinite, a string, a bool) is a failed
  episode worth 0, of failure kind ``invalid_reward`` (its reason quotes the value); it reruns on resume;
- a behaviour figure (turns, tool calls, ...) is the mean over the episodes that report that count; None if none
  does, so a log without ``stats`` does not read as "no tool errors";
- a rubric item needs only an ``id``; a missing ``section`` or ``description`` is None, a ``passed`` that is not
  true, false or null is undecided;
- every value that was present but could not be read (a NaN count, a string turn number, an item without an id, a
  non-object trajectory entry) is counted in ``unreadable_values`` by field, so nothing is dropped silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from math import comb
from statistics import fmean, pstdev
from typing import Any

from .records import finite_number, invalid_reward

_STAT_MEANS = {"mean_tool_calls": "tool_calls", "mean_user_questions": "user_turns", "mean_tool_errors": "tool_errors",
               "mean_format_errors": "format_errors"}
_STAT_SUMS = ("tool_calls", "tool_errors", "simulator_failures")
_SECTIONS = {"sub_goal_pass_rate": "sub_goal", "interaction_pass_rate": "required_interaction",
             "forbidden_violation_rate": "forbidden"}
MISSING_TASK = "?"
MAX_COUNT = 1e12  # no episode makes more calls than this: a larger count is unreadable (and sums stay finite)


def _mean(values: list[float]) -> float | None:
    if not values:
        return None
    try:
        return fmean(values)
    except OverflowError:  # finite values near the float limit: their sum overflows, their mean need not
        mean = sum(v / len(values) for v in values)
        return mean if finite_number(mean) else None


def pass_hat_k(n: int, c: int, k: int) -> float:
    return comb(c, k) / comb(n, k)


def pass_at_k(n: int, c: int, k: int) -> float:
    return 1.0 - comb(n - c, k) / comb(n, k)


class _Reader:
    """Reads the optional fields of records; what is present but unusable is counted by field name."""

    def __init__(self) -> None:
        self.unreadable: Counter[str] = Counter()

    def mapping(self, value: Any, name: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if value is not None:
            self.unreadable[name] += 1
        return {}

    def entries(self, value: Any, name: str) -> list[dict[str, Any]]:
        """The object entries of a list (a trajectory, rubric items)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.unreadable[name] += 1
            return []
        bad = sum(not isinstance(v, dict) for v in value)
        if bad:
            self.unreadable[name] += bad
        return [v for v in value if isinstance(v, dict)]

    def count(self, value: Any, name: str) -> float | None:
        """A count (finite, not negative, at most ``MAX_COUNT``); None when absent or unreadable."""
        if value is None:
            return None
        if finite_number(value) and 0 <= value <= MAX_COUNT:
            return float(value)
        self.unreadable[name] += 1
        return None


def _task_id(record: dict[str, Any], reader: _Reader) -> str:
    task = record.get("task_id")
    if task is None:
        reader.unreadable["task_id"] += 1
        return MISSING_TASK
    return str(task)


def _k_curves(groups: dict[str, list[dict[str, Any]]], k: int) -> tuple[dict[str, float], dict[str, float]]:
    hat, at = {}, {}
    for j in range(1, k + 1):
        counts = [(len(g), sum(e["success"] for e in g)) for g in groups.values() if len(g) >= j]
        if counts:
            hat[str(j)] = fmean(pass_hat_k(n, c, j) for n, c in counts)
            at[str(j)] = fmean(pass_at_k(n, c, j) for n, c in counts)
    return hat, at


def _rubric_items(episodes: list[dict[str, Any]], reader: _Reader) -> list[dict[str, Any]]:
    verdicts: dict[tuple[str, str], dict[str, Any]] = {}
    for e in episodes:
        details = reader.mapping(e.get("reward_details"), "reward_details")
        for item in reader.entries(details.get("items"), "reward_details.items"):
            item_id = item.get("id")
            if not isinstance(item_id, (str, int)) or isinstance(item_id, bool):
                reader.unreadable["reward_details.items.id"] += 1
                continue
            section, description = item.get("section"), item.get("description")
            row = verdicts.setdefault((e["task_id"], str(item_id)), {
                "task_id": e["task_id"], "item_id": str(item_id),
                "section": section if isinstance(section, str) else None,
                "description": description if isinstance(description, str) else None,
                "n": 0, "passed": 0, "undecided": 0})
            row["n"] += 1
            passed = item.get("passed")
            if passed is True:
                row["passed"] += 1
            elif passed is not False:
                row["undecided"] += 1
                if passed is not None:
                    reader.unreadable["reward_details.items.passed"] += 1
    rows = list(verdicts.values())
    for row in rows:  # for forbidden items "passed" counts violations
        row["pass_rate"] = row["passed"] / row["n"]
    return rows


def _section_rates(items: list[dict[str, Any]]) -> dict[str, float | None]:
    def rate(section: str) -> float | None:
        rows = [r for r in items if r["section"] == section]
        n = sum(r["n"] for r in rows)
        return sum(r["passed"] for r in rows) / n if n else None

    return {name: rate(section) for name, section in _SECTIONS.items()}


def _failures(failed: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Failed episodes by kind (agent, env, simulator, invalid_reward): how many, and the first one's reason."""
    out: dict[str, dict[str, Any]] = {}
    for r in failed:
        kind = str(r.get("error_in") or "unknown")
        entry = out.setdefault(kind, {"count": 0, "first": {"task_id": r.get("task_id"), "sample": r.get("sample"),
                                                          "error": r.get("error")}})
        entry["count"] += 1
    return dict(sorted(out.items()))


def _episode(record: dict[str, Any], reader: _Reader, success_threshold: float) -> dict[str, Any]:
    """The record as the figures read it: a task id, a reward that counts (0 if failed), a success flag."""
    episode = dict(record, task_id=_task_id(record, reader))
    problem = invalid_reward(record)
    if problem is not None:
        episode.update(status="error", error_in="invalid_reward", error=problem)
    ok = episode.get("status") == "ok"
    episode["reward"] = float(record["reward"]) if ok else 0.0
    episode["success"] = ok and episode["reward"] >= success_threshold - 1e-9
    return episode


def _error_kind(event: dict[str, Any]) -> str:
    kind = event.get("error_kind")
    return "unknown" if kind is None else kind if isinstance(kind, str) else repr(kind)


def _behaviour(episodes: list[dict[str, Any]], reader: _Reader) -> dict[str, Any]:
    """Behaviour figures, each over the episodes that report its count."""
    stats = [reader.mapping(e.get("stats"), "stats") for e in episodes]
    counts = {key: [c for s in stats if (c := reader.count(s.get(key), f"stats.{key}")) is not None]
              for key in sorted({*_STAT_MEANS.values(), *_STAT_SUMS})}
    turns = [t for e in episodes if (t := reader.count(e.get("turns"), "turns")) is not None]
    events = [ev for e in episodes for ev in reader.entries(e.get("trajectory"), "trajectory")]
    error_kinds = Counter(_error_kind(ev) for ev in events if ev.get("type") == "tool_call"
                          and ev.get("status") == "error")
    tool_calls = sum(counts["tool_calls"])
    return {
        "mean_turns": _mean(turns),
        **{name: _mean(counts[key]) for name, key in _STAT_MEANS.items()},
        "tool_error_rate": sum(counts["tool_errors"]) / tool_calls if tool_calls else None,
        "tool_errors_by_kind": dict(sorted(error_kinds.items())),
        "simulator_failures": int(sum(counts["simulator_failures"])),
        "episodes_with_simulator_failure": sum(1 for c in counts["simulator_failures"] if c),
    }


def summarize(records: list[dict[str, Any]], k: int, success_threshold: float = 1.0) -> dict[str, Any]:
    """The report's numbers from one record per episode (see the module docstring for odd records).

    Every record counts: a failed one (``status`` "error": the agent or env raised, the simulator failed, the
    episode was never scored; or an ``ok`` one without a finite reward) is worth reward 0 and is not a success in
    every reward figure; behaviour figures use what the episode did before it failed; rubric-item rates use only
    the episodes that were scored. Raises ``ValueError`` only for a ``success_threshold`` that is not a finite number.
    """
    if not finite_number(success_threshold):
        raise ValueError(f"success_threshold must be a finite number, not {success_threshold!r}")
    reader = _Reader()
    episodes = [_episode(r, reader, success_threshold) for r in records]
    failed = [e for e in episodes if e.get("status") != "ok"]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in episodes:
        groups[e["task_id"]].append(e)
    rewards = [e["reward"] for e in episodes]
    hat, at = _k_curves(groups, k)
    items = _rubric_items([e for e in episodes if e.get("status") == "ok"], reader)
    failures = _failures(failed)
    behaviour = _behaviour(episodes, reader)
    reward_std = pstdev(rewards) if rewards else None
    summary: dict[str, Any] = {
        "episodes": len(episodes),
        "failed": len(failed),
        "failures": failures,
        "agent_errors": failures.get("agent", {}).get("count", 0),
        "tasks": len(groups),
        "samples_per_task": k,
        "success_threshold": success_threshold,
        "mean_reward": _mean(rewards),
        "reward_std": reward_std if reward_std is None or finite_number(reward_std) else None,
        "success_rate": _mean([float(e["success"]) for e in episodes]),
        "avg_at_k": _mean([m for g in groups.values() if (m := _mean([e["reward"] for e in g])) is not None]),
        "pass_hat_k": hat,
        "pass_at_k": at,
        **behaviour,
        "end_reasons": dict(Counter(str(e.get("end_reason")) for e in episodes).most_common()),
        **_section_rates(items),
        "per_task": [
            {"task_id": t, "n": len(g), "failed": sum(e.get("status") != "ok" for e in g),
             "mean_reward": _mean([e["reward"] for e in g]), "success_rate": fmean(float(e["success"]) for e in g)}
            for t, g in sorted(groups.items())
        ],
        "rubric_items": items,
        "rewards": rewards,
        "unreadable_values": dict(sorted(reader.unreadable.items())),
    }
    return summary
