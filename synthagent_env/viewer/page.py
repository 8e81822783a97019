"""One self-contained HTML page for one run or two: the runs' data as embedded JSON, the CSS and JS inline.

Everything a run holds is agent-controlled text, so it never becomes markup: it travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u`` escapes (no ``</script>``
can end the block), and the page's script puts it into the DOM as text nodes only. A Content-Security-Policy
allows exactly the page's own script and style (by hash) and ``data:`` images, so even a markup bug could not run
injected code or reach the network. Conversations are built in the browser when an episode is opened.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from importlib import resources
from typing import Any

from synthagent_env.evaluation.report import failure_lines, headline_rows

from .runs import Run

MAX_TEXT = 20_000  # characters kept of any one string (an agent's runaway message must not bloat the page)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _asset(name: str) -> str:
    return resources.files("synthagent_env.viewer").joinpath("assets", name).read_text(encoding="utf-8")


def _clip(value: Any) -> Any:
    """The value with every string cut to ``MAX_TEXT`` characters (and non-JSON values as their repr)."""
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + f"\n[… {len(value) - MAX_TEXT} characters cut]"
    if isinstance(value, dict):
        return {str(k): _clip(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clip(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return repr(value)


class _Texts:
    """Interned long strings (the system prompt repeats in every episode of a task)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.items)
            self.items.append(text)
        return self._index[text]


def _outcome(record: dict[str, Any], threshold: float) -> tuple[str, float]:
    if record.get("status") != "ok":
        return "error", 0.0
    reward = record.get("reward")
    reward = float(reward) if isinstance(reward, (int, float)) else 0.0
    return ("success" if reward >= threshold - 1e-9 else "failure"), reward


def _slim(event: dict[str, Any]) -> dict[str, Any]:
    """An assistant event keeps the number of its parsed calls: each call is its own ``tool_call`` event."""
    if event.get("type") == "assistant" and isinstance(event.get("tool_calls"), list):
        return {**{k: v for k, v in event.items() if k != "tool_calls"}, "n_tool_calls": len(event["tool_calls"])}
    return event


def episode_payload(record: dict[str, Any], run_index: int, threshold: float, texts: _Texts) -> dict[str, Any]:
    """What the page needs of one record: the opening interned, the event log, the rubric verdicts, any error."""
    messages = [m for m in record.get("messages") or [] if isinstance(m, dict)]
    opening = []
    for m in messages:
        if m.get("role") not in ("system", "user"):
            break
        opening.append({"role": m["role"], "text": texts.add(str(m.get("content") or ""))})
    events = [_slim(e) for e in record.get("trajectory") or [] if isinstance(e, dict)]
    details = record.get("reward_details") if isinstance(record.get("reward_details"), dict) else {}
    outcome, reward = _outcome(record, threshold)
    payload: dict[str, Any] = {
        "run": run_index, "task": str(record.get("task_id")), "domain": record.get("domain") or "",
        "sample": record.get("sample"), "seed": record.get("seed"), "agent": record.get("agent"),
        "outcome": outcome, "reward": reward, "end": str(record.get("end_reason") or "none"),
        "turns": record.get("turns"), "stats": record.get("stats") or {}, "failure": record.get("failure"),
        "note": record.get("shape_note"),
        "opening": opening, "events": events,
        "scores": {k: v for k, v in details.items() if k != "items"},
        "items": [i for i in details.get("items") or [] if isinstance(i, dict)],
    }
    if not events and len(messages) > len(opening):  # a log without the event log: show the chat messages
        payload["messages"] = messages[len(opening):]
    if record.get("status") != "ok":
        payload["error"] = {"in": record.get("error_in"), "message": record.get("error"),
                            "traceback": record.get("traceback"), "env_reward": record.get("env_reward")}
    return payload


def _headline(run: Run) -> dict[str, Any]:
    """The summary's headline rows and failure lines; a summary.json of another shape becomes a note, not a crash."""
    try:
        return {"headline": [[label, value] for label, value in headline_rows(run.summary)],
                "notes": run.notes + failure_lines(run.summary)}
    except Exception as err:  # noqa: BLE001
        return {"headline": [], "notes": run.notes + [f"summary.json could not be read: {type(err).__name__}: {err}"]}


def _task_means(run: Run) -> dict[str, tuple[int, float]]:
    groups: dict[str, list[float]] = {}
    for r in run.records:
        groups.setdefault(str(r.get("task_id")), []).append(_outcome(r, run.success_threshold)[1])
    return {t: (len(v), sum(v) / len(v)) for t, v in groups.items()}


def compare_rows(a: Run, b: Run) -> list[dict[str, Any]]:
    """Per task: episodes and mean reward in each run (failed episodes count 0) and B − A."""
    ma, mb = _task_means(a), _task_means(b)
    domains = {str(r.get("task_id")): r.get("domain") or "" for r in a.records + b.records}
    rows = []
    for task in sorted(set(ma) | set(mb)):
        (na, ra), (nb, rb) = ma.get(task, (0, None)), mb.get(task, (0, None))
        delta = rb - ra if ra is not None and rb is not None else None
        rows.append({"task": task, "domain": domains.get(task, ""), "n_a": na, "mean_a": ra, "n_b": nb,
                     "mean_b": rb, "delta": delta})
    return rows


def _json(value: Any) -> str:
    """``value`` as JSON; clipped (``_clip``) only when a string could be too long or a number is not finite."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError):
        text = ""
    if not text or len(text) > MAX_TEXT:  # short JSON cannot hold a string over MAX_TEXT: most episodes skip the walk
        text = json.dumps(_clip(value), ensure_ascii=False, allow_nan=False)
    return text


def _escape(text: str) -> str:
    """JSON that is inert inside a ``<script>`` block: no ``<``, ``>`` or ``&`` survive as themselves."""
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def embed_json(value: Any) -> str:
    return _escape(_json(value))


def page_data(runs: list[Run]) -> str:
    """The page's data as escaped JSON: strings clipped to ``MAX_TEXT``, non-finite numbers as null, plots as
    ``data:`` URIs. Episodes are encoded one by one, so a run of thousands is not walked twice."""
    texts = _Texts()
    episodes = [_json(episode_payload(r, i, run.success_threshold, texts))
                for i, run in enumerate(runs) for r in run.records]
    meta = [{"label": run.label, "path": str(run.path), "env_id": run.summary.get("env_id"),
             **_headline(run), "threshold": run.success_threshold} for run in runs]
    parts = {"runs": _json(_clip(meta)), "texts": _json(_clip(texts.items)), "episodes": "[" + ",".join(episodes) + "]",
             "compare": _json(_clip(compare_rows(runs[0], runs[1]) if len(runs) == 2 else None)),
             "plots": json.dumps([run.plot_data_uri() for run in runs])}  # base64: longer than MAX_TEXT, and inert
    return _escape("{" + ",".join(f'"{key}":{value}' for key, value in parts.items()) + "}")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render(runs: list[Run]) -> str:
    """The whole page as one string (one or two runs)."""
    if not 1 <= len(runs) <= 2:
        raise ValueError("the viewer shows one run or compares two")
    script, style = _asset("viewer.js"), _asset("viewer.css")
    csp = (f"default-src 'none'; img-src data:; style-src {_sha256(style)}; script-src {_sha256(script)}; "
           f"base-uri 'none'; form-action 'none'")
    title = "synthagent: " + " vs ".join(run.label for run in runs)
    fields = {"CSP": html.escape(csp), "TITLE": html.escape(title), "STYLE": style, "SCRIPT": script,
              "DATA": page_data(runs)}
    # one pass, so text substituted for one field is never searched for another field's marker
    return re.sub(r"@@(CSP|TITLE|STYLE|SCRIPT|DATA)@@", lambda m: fields[m.group(1)], _asset("viewer.html"))
