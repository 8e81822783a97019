"""What a run produced and what it cost: per-stage kept/discarded counts with reasons, and teacher tokens.

Computed from the stage logs, so a resumed run reports on all of its items, including those finished by
earlier, interrupted runs. Token accounting follows the paper's "tokens per kept task": everything the teacher
spent (on discarded items too) divided by the tasks that made it into the pack; each kept task's own tokens
are also in its metadata.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_NOTE_KINDS = (
    (re.compile(r"attempt \d+ rejected \((\w+)\)"), "rejected replies ({})"),
    (re.compile(r"repaired on attempt"), "repaired by asking again"),
    (re.compile(r"JSON repaired"), "JSON repaired in place"),
    (re.compile(r"tool check: dropped \S+ \((\w+)\)"), "tools dropped ({})"),
    (re.compile(r"rubric: dropped "), "rubric items dropped (reference fails them)"),
    (re.compile(r"became a judge item"), "rubric items turned into judge items"),
    (re.compile(r"no world records given"), "tasks without world records"),
)


def note_counts(notes: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for note in notes:
        for pattern, label in _NOTE_KINDS:
            match = pattern.search(note)
            if match:
                counts[label.format(*match.groups())] += 1
    return counts


def _tokens(record: dict[str, Any], key: str) -> int:
    return int((record.get(key) or {}).get("total_tokens", 0))


def stage_report(name: str, input_ids: list[str], records: dict[str, dict[str, Any]],
                 errors: list[dict[str, str]]) -> dict[str, Any]:
    recs = [records[i] for i in input_ids if i in records]
    kept = [r for r in recs if r["status"] == "kept"]
    notes = note_counts([n for r in recs for n in r.get("notes", [])])
    return {
        "stage": name, "in": len(input_ids), "kept": len(kept), "discarded": len(recs) - len(kept),
        "pending": len(input_ids) - len(recs), "errors": len(errors),
        "reasons": dict(Counter(r["code"] for r in recs if r["status"] == "discarded").most_common()),
        "notes": dict(sorted(notes.items())),
        "teacher_tokens": sum(_tokens(r, "usage") for r in recs),
        "simulator_tokens": sum(_tokens(r, "simulator_usage") for r in recs),
        "error_samples": [e["error"] for e in errors[:3]],
    }


def tokens_by_item(all_records: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, int]]:
    """Each item's teacher and simulator tokens over every stage."""
    out: dict[str, dict[str, int]] = {}
    for records in all_records:
        for item_id, r in records.items():
            row = out.setdefault(item_id, {"teacher_tokens": 0, "simulator_tokens": 0})
            row["teacher_tokens"] += _tokens(r, "usage")
            row["simulator_tokens"] += _tokens(r, "simulator_usage")
    return out


def token_accounting(stages: list[dict[str, Any]], per_item: dict[str, dict[str, int]],
                     kept_ids: list[str]) -> dict[str, Any]:
    teacher = sum(s["teacher_tokens"] for s in stages)
    simulator = sum(s["simulator_tokens"] for s in stages)
    n = len(kept_ids)
    own = [per_item.get(i, {}).get("teacher_tokens", 0) for i in kept_ids]
    return {
        "kept_tasks": n, "teacher_tokens_total": teacher, "simulator_tokens_total": simulator,
        "teacher_tokens_per_kept_task": round(teacher / n, 1) if n else None,
        "simulator_tokens_per_kept_task": round(simulator / n, 1) if n else None,
        "teacher_tokens_of_a_kept_task_mean": round(sum(own) / n, 1) if n else None,
    }


def format_report(report: dict[str, Any]) -> str:
    head = (f"{'stage':<11}{'in':>6}{'kept':>6}{'discarded':>11}{'pending':>9}{'errors':>8}"
            f"{'teacher tok':>13}{'sim tok':>11}")
    lines = [head, "-" * len(head)]
    for s in report["stages"]:
        lines.append(f"{s['stage']:<11}{s['in']:>6}{s['kept']:>6}{s['discarded']:>11}{s['pending']:>9}"
                     f"{s['errors']:>8}{s['teacher_tokens']:>13,}{s['simulator_tokens']:>11,}")
        if s["reasons"]:
            lines.append("    discarded: " + ", ".join(f"{k} {v}" for k, v in s["reasons"].items()))
        if s["notes"]:
            lines.append("    noted: " + ", ".join(f"{k} {v}" for k, v in s["notes"].items()))
        for sample in s.get("error_samples", []):
            lines.append(f"    error: {sample[:200]}")
    t = report["tokens"]
    lines.append("-" * len(head))
    lines.append(f"pack: {t['kept_tasks']} tasks -> {report['out']}")
    if t["kept_tasks"]:
        lines.append(f"teacher tokens: {t['teacher_tokens_total']:,} total, "
                     f"{t['teacher_tokens_per_kept_task']:,} per kept task (all spent / kept; a kept task's own: "
                     f"{t['teacher_tokens_of_a_kept_task_mean']:,} on average)")
        lines.append(f"simulator tokens: {t['simulator_tokens_total']:,} total, "
                     f"{t['simulator_tokens_per_kept_task']:,} per kept task")
    return "\n".join(lines)
