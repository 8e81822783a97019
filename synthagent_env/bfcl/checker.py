"""The episode's verdict from BFCL's own multi-turn checker, as BFCL's eval runner would call it.

The runner (``bfcl_eval.eval_checker.eval_runner._evaluate_single_multi_turn_entry``) cannot be imported
without its heavy dependencies, so its two steps before the checker are reproduced: a run whose number of
turns differs from the ground truth was force-terminated and fails; steps without calls are dropped. The
checker replays the recorded calls and the ground truth on fresh instances under a one-off name, removed after;
both sides' instances are built first and moved onto one fresh set of classes (``world.isolate``), so no
upstream class-level state (shared mutable defaults) carries from one check to the next.
"""

from __future__ import annotations

from typing import Any

from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import multi_turn_checker

from .data import BFCLEntry
from .world import execute, isolate, release, unique_name

MAX_DETAIL_CHARS = 4000


def _summary(details: Any) -> str:
    text = repr(details)
    return text if len(text) <= MAX_DETAIL_CHARS else text[:MAX_DETAIL_CHARS] + "...[truncated]"


def check(entry: BFCLEntry, turns: list[list[list[str]]]) -> dict[str, Any]:
    """``turns``: per user turn, per step, the call strings executed. Returns ``valid``, ``error_type``, ..."""
    ground_truth = entry.ground_truth
    if len(turns) != len(ground_truth):
        return {
            "valid": False, "error_type": "multi_turn:force_terminated",
            "error_message": f"Model was force-terminated during inference phase. The length of the model result "
                             f"turns ({len(turns)}) does not match the length of the ground truth turns "
                             f"({len(ground_truth)}).",
            "details": "",
        }
    decoded = [[step for step in turn if step] for turn in turns]
    prompt = {"id": entry.id, "initial_config": entry.initial_config, "involved_classes": entry.involved_classes}
    name = unique_name("synthagent_check")
    try:
        _, model_side = execute([], entry, name, eval_run=True)  # the checker finds these and uses them
        _, truth_side = execute([], entry, f"{name}_ground_truth", eval_run=True)
        isolate(truth_side, isolate(model_side))
        result = multi_turn_checker(decoded, ground_truth, prompt, f"multi_turn_{entry.category}", name)
    except Exception as err:  # the checker asserts on shapes it does not expect; that is a failed entry, not a crash
        result = {"valid": False, "error_type": "synthagent:checker_error",
                  "error_message": f"{type(err).__name__}: {err}"}
    finally:
        release(name)
    if result.get("valid"):
        return {"valid": True, "error_type": None, "error_message": None, "details": ""}
    details = result.get("details", {})
    if isinstance(details, dict):  # keep the short part: whole states run to megabytes in long_context
        details = details.get("differences", details.get("missing_items", details))
    return {
        "valid": False, "error_type": result.get("error_type"), "error_message": result.get("error_message"),
        "details": _summary(details),
    }
