"""Report files of a run (``summary.json``, ``report.md``) and the side-by-side comparison of two runs.

``summary.json`` is strict JSON whatever the summary holds: a NaN or infinite float (``summarize`` makes none, a
caller's extra field might) is written as the string ``"NaN"`` / ``"Infinity"`` / ``"-Infinity"``, and the markdown
shows the same name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .records import dumps_strict, strict_jsonable

SUMMARY_FILE, MARKDOWN_FILE, PLOT_FILE = "summary.json", "report.md", "report.png"

# (key in summary, label); pass^k / pass@k rows are added per k
HEADLINE = [
    ("episodes", "episodes"), ("tasks", "tasks"), ("failed", "failed (reward 0, rerun on resume)"),
    ("mean_reward", "mean reward"), ("success_rate", "success rate"), ("avg_at_k", "avg@k (mean of task means)"),
    ("mean_turns", "turns / episode"), ("mean_tool_calls", "tool calls / episode"),
    ("mean_user_questions", "user messages / episode"), ("mean_tool_errors", "tool-call errors / episode"),
    ("tool_error_rate", "tool-call error rate"), ("mean_format_errors", "format errors / episode"),
    ("simulator_failures", "simulator failures"), ("sub_goal_pass_rate", "sub-goal pass rate"),
    ("interaction_pass_rate", "required-interaction pass rate"),
    ("forbidden_violation_rate", "forbidden-behaviour rate"),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def headline_rows(summary: dict[str, Any]) -> list[tuple[str, Any]]:
    rows = [(label, summary.get(key)) for key, label in HEADLINE]
    rows += [(f"pass^{j}", v) for j, v in summary.get("pass_hat_k", {}).items()]
    rows += [(f"pass@{j}", v) for j, v in summary.get("pass_at_k", {}).items() if j != "1"]
    return rows


def failure_lines(summary: dict[str, Any]) -> list[str]:
    """For the console: how many episodes failed, and the first reason of each kind."""
    failures = summary.get("failures") or {}
    if not failures:
        return []
    lines = [f"{summary.get('failed', 0)} of {summary.get('episodes', 0)} episodes failed and count as reward 0 "
             f"(rerun the same command to retry them):"]
    for kind, entry in failures.items():
        first = entry["first"]
        lines.append(f"  {kind}: {entry['count']}; first: {first['task_id']} sample {first['sample']}: {first['error']}")
    return lines


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(summary: dict[str, Any]) -> str:
    summary = strict_jsonable(summary)
    title = f"# Eval: {summary.get('label', 'agent')} on {summary.get('env_id', '?')}"
    parts = [title, _table(["metric", "value"], [list(r) for r in headline_rows(summary)])]
    if summary.get("failures"):
        parts += ["## Failed episodes", "Each counts as reward 0 in every figure above; a rerun retries them.",
                  _table(["kind", "episodes", "first task", "first reason"],
                         [[kind, e["count"], e["first"]["task_id"], e["first"]["error"]]
                          for kind, e in summary["failures"].items()])]
    if summary.get("end_reasons"):
        parts += ["## End reasons", _table(["reason", "episodes"], [list(kv) for kv in summary["end_reasons"].items()])]
    if summary.get("tool_errors_by_kind"):
        parts += ["## Tool-call errors by kind",
                  _table(["kind", "count"], [list(kv) for kv in summary["tool_errors_by_kind"].items()])]
    parts += ["## Per task", _table(["task", "n", "mean reward", "success"],
                                    [[t["task_id"], t["n"], t["mean_reward"], t["success_rate"]]
                                     for t in summary.get("per_task", [])])]
    if summary.get("unreadable_values"):
        parts += ["## Unreadable record fields", "Present in the episode records but not usable, so left out of the "
                  "figures above (an unusable reward is a failed episode instead, under Failed episodes).",
                  _table(["field", "values"], [list(kv) for kv in summary["unreadable_values"].items()])]
    parts += ["## Rubric items", "Pass rate per item; for forbidden items it is the rate of violations.",
              _table(["task", "item", "section", "pass rate", "n", "undecided"],
                     [[r["task_id"], r["item_id"], r["section"], r["pass_rate"], r["n"], r["undecided"]]
                      for r in summary.get("rubric_items", [])])]
    return "\n\n".join(parts) + "\n"


def write_report(out_dir: str | Path, summary: dict[str, Any], plot: bool = True) -> list[Path]:
    """Write the summary JSON, the markdown report and (if matplotlib is installed) the plot; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / SUMMARY_FILE, out / MARKDOWN_FILE]
    paths[0].write_text(dumps_strict(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(summary), encoding="utf-8")
    if plot:
        from .plots import plot_summary

        written = plot_summary(summary, out / PLOT_FILE)
        if written is not None:
            paths.append(written)
    return paths


def load_summary(path: str | Path) -> dict[str, Any]:
    """A run's summary from its directory or its ``summary.json``."""
    path = Path(path)
    if path.is_dir():
        path = path / SUMMARY_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def _delta(a: Any, b: Any) -> Any:
    return b - a if isinstance(a, (int, float)) and isinstance(b, (int, float)) else None


def compare_markdown(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Headline metrics and per-task mean rewards of run A and run B, with B − A."""
    name_a, name_b = a.get("label", "A"), b.get("label", "B")
    if name_a == name_b:
        name_a, name_b = f"A: {name_a}", f"B: {name_b}"
    rows_b = dict(headline_rows(b))
    head = [[label, va, rows_b.get(label), _delta(va, rows_b.get(label))] for label, va in headline_rows(a)]
    tasks_a = {t["task_id"]: t["mean_reward"] for t in a.get("per_task", [])}
    tasks_b = {t["task_id"]: t["mean_reward"] for t in b.get("per_task", [])}
    per_task = [[t, tasks_a.get(t), tasks_b.get(t), _delta(tasks_a.get(t), tasks_b.get(t))]
                for t in sorted(set(tasks_a) | set(tasks_b))]
    return "\n\n".join([
        f"# Compare: {name_a} vs {name_b}",
        _table(["metric", name_a, name_b, "B − A"], head),
        "## Mean reward per task",
        _table(["task", name_a, name_b, "B − A"], per_task),
    ]) + "\n"
