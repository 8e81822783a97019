"""Reading a run for the viewer: its episode records, summary, plot and task domains, without changing the run.

A run is a directory holding ``episodes.jsonl`` (``synthagent eval --out DIR``), or a training output directory
whose periodic evaluations are kept as ``eval/<step>/episodes.jsonl`` (the latest one is shown). Records are read
defensively: a torn or non-JSON line is skipped and counted, a failed episode may have an error and no ``info``,
and nothing is written to the run directory (the eval log's own ``load`` would trim a torn line).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synthagent_env.evaluation.loop import EPISODES_FILE, RUN_FILE
from synthagent_env.evaluation.metrics import summarize
from synthagent_env.evaluation.records import finite_number, latest_by_key
from synthagent_env.evaluation.report import PLOT_FILE, SUMMARY_FILE

TRAINING_EVAL_DIR = "eval"  # <training output_dir>/eval/<step>/episodes.jsonl


class RunNotFound(FileNotFoundError):
    """The path is neither an eval run directory nor a training output directory with evaluations."""


@dataclass
class Run:
    path: Path  # the directory the episodes were read from
    label: str
    records: list[dict[str, Any]]  # one per episode (the finished one if an episode was retried)
    summary: dict[str, Any]
    config: dict[str, Any] = field(default_factory=dict)  # run.json's "config", when there is one
    plot_png: bytes | None = None
    notes: list[str] = field(default_factory=list)  # what the reader skipped or guessed, shown on the page

    @property
    def success_threshold(self) -> float:
        value = self.summary.get("success_threshold", self.config.get("success_threshold", 1.0))
        return float(value) if isinstance(value, (int, float)) else 1.0

    def plot_data_uri(self) -> str | None:
        return "data:image/png;base64," + base64.b64encode(self.plot_png).decode() if self.plot_png else None


def run_dir(path: str | Path) -> tuple[Path, list[str]]:
    """The directory whose ``episodes.jsonl`` to read, and notes on what was chosen."""
    root = Path(path)
    if root.is_file():  # the run's episodes.jsonl or summary.json named instead of its directory
        root = root.parent
    if (root / EPISODES_FILE).is_file():
        return root, []
    steps = sorted((p.parent for p in (root / TRAINING_EVAL_DIR).glob(f"*/{EPISODES_FILE}")),
                   key=lambda p: (len(p.name), p.name))
    if steps:
        others = ", ".join(p.name for p in steps[:-1])
        note = f"training run: showing the latest evaluation {steps[-1].name}" + (
            f" (also there: {others}; pass {root / TRAINING_EVAL_DIR}/<step> to see one)" if others else "")
        return steps[-1], [note]
    if not root.exists():
        raise RunNotFound(f"{root}: no such directory")
    raise RunNotFound(f"{root}: no {EPISODES_FILE} here, nor under {TRAINING_EVAL_DIR}/<step>/ (pass a directory "
                      f"written by `synthagent eval --out DIR`, or a training output directory)")


def normalize(record: dict[str, Any]) -> dict[str, Any]:
    """The record with every field the viewer and the metrics read in its documented type; what did not fit is
    dropped and named in ``shape_note`` (Python's json writes and reads NaN; a hand-edited log can hold anything)."""
    out, dropped = dict(record), []
    expected = {"trajectory": list, "messages": list, "stats": dict, "reward_details": dict}
    for key, kind in expected.items():
        if key in out and out[key] is not None and not isinstance(out[key], kind):
            dropped.append(key)
            out[key] = None if key == "reward_details" else kind()
    for key in ("trajectory", "messages"):
        if any(not isinstance(e, dict) for e in out.get(key) or []):
            dropped.append(f"non-object entries of {key}")
            out[key] = [e for e in out[key] if isinstance(e, dict)]
    if isinstance(out.get("stats"), dict):
        out["stats"] = {k: v for k, v in out["stats"].items() if finite_number(v)}
    details = out.get("reward_details")
    if isinstance(details, dict) and not isinstance(details.get("items", []), list):
        out["reward_details"] = dict(details, items=[])
        dropped.append("reward_details.items")
    for key in ("reward", "turns"):
        if out.get(key) is not None and not finite_number(out[key]):
            dropped.append(f"{key} ({out[key]!r})")
            out[key] = None
    if out.get("end_reason") is not None and not isinstance(out["end_reason"], str):
        out["end_reason"] = str(out["end_reason"])
    if dropped:
        out["shape_note"] = "not as documented, so not shown: " + ", ".join(dropped)
    return out


def read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Every episode record of a log (``normalize``d), and how many lines were not one (read only)."""
    records, bad = [], 0
    with path.open("rb") as fh:
        for raw in fh:
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                bad += 1
                continue
            sample = record.get("sample", 0) if isinstance(record, dict) else None
            if isinstance(record, dict) and "task_id" in record and isinstance(sample, int) and sample is not True:
                records.append(normalize(dict(record, task_id=str(record["task_id"]), sample=sample)))
            else:
                bad += 1
    return records, bad


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def task_domains(config: dict[str, Any]) -> dict[str, str]:
    """Task id -> domain from the run's task pack (run.json names it); empty when the pack cannot be read."""
    kwargs = config.get("env_kwargs") or {}
    source = kwargs.get("tasks")
    if source is None and config.get("env_id") == "synthagent/ToolUse-v0":
        from synthagent_env.pack import DEFAULT_PACK

        source = DEFAULT_PACK
    if not isinstance(source, str):
        return {}
    try:
        from synthagent_env.pack import load_tasks

        return {t.id: t.domain for t in load_tasks(source)}
    except Exception:  # noqa: BLE001  (a moved or broken pack only costs the domain column)
        return {}


def load_run(path: str | Path) -> Run:
    """A run from its directory (see the module docstring); raises ``RunNotFound`` with what to pass instead."""
    directory, notes = run_dir(path)
    records, bad = read_records(directory / EPISODES_FILE)
    if bad:
        notes.append(f"{bad} line(s) of {EPISODES_FILE} were not episode records and are not shown")
    records = list(latest_by_key(records).values())
    run_file = _read_json(directory / RUN_FILE) or {}
    config = run_file.get("config") if isinstance(run_file.get("config"), dict) else {}
    summary = _read_json(directory / SUMMARY_FILE)
    if summary is None:
        k = max((r["sample"] for r in records), default=0) + 1
        threshold = config.get("success_threshold", 1.0)
        try:
            summary = summarize(records, k, float(threshold) if finite_number(threshold) else 1.0)
            notes.append(f"no {SUMMARY_FILE}: the figures were computed from the episode records")
        except Exception as err:  # noqa: BLE001  (the episodes are still worth showing)
            summary = {}
            notes.append(f"no {SUMMARY_FILE}, and the figures could not be computed: {type(err).__name__}: {err}")
    if any("shape_note" in r for r in records):
        notes.append(f"{sum('shape_note' in r for r in records)} record(s) hold fields not in the documented shape "
                     f"(each says which)")
    domains = task_domains(config)
    for record in records:
        record.setdefault("domain", domains.get(str(record["task_id"])))
    plot = directory / PLOT_FILE
    label = str(summary.get("label") or config.get("label") or directory.name)
    return Run(directory, label, records, summary, config, plot.read_bytes() if plot.is_file() else None, notes)
