"""Deciding structured rubric checks from the structured trajectory, never from what the agent claims.

A tool-call check looks only at calls the environment executed successfully; a fact counts as revealed only
when the simulated user's reply contains it in answer to a message that asked about it (the user event's
``asked_facts``, or ``asks_about`` on its ``message`` for events recorded without them), so a user who
volunteers a fact, or answers a keyword dump, earns the agent nothing; an answer check reads only the final
``<answer>``.

Nothing the agent wrote is evidence of itself: for ``require_observed``, a value counts as observed in a tool
response or a user reply only when the call's arguments (or the message the user answered) did not already
hold it. A tool that echoes its request, or a user who repeats the question, would otherwise launder a
memorised or invented value (a confirmation id) into "observed". (A fact may still be revealed in reply to a
message that names it: "ending 7302 or 7320?" is a fair question.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..simulators.offline import asks_about
from ..task import AnswerCheck, FactRevealedCheck, HiddenFact, JudgeCheck, Task, ToolCallCheck
from .matching import arguments_match, normalise


@dataclass(frozen=True)
class Verdict:
    passed: bool | None  # None: undecided (a judge item with no judge, or a judge failure)
    reason: str
    decided_by: str  # "trajectory" | "judge" | "undecided"


def _ok_calls(trajectory: list[dict[str, Any]], tool: str) -> list[tuple[int, dict[str, Any]]]:
    return [
        (i, e) for i, e in enumerate(trajectory)
        if e["type"] == "tool_call" and e["status"] == "ok" and e["name"] == tool
    ]


def check_tool_call(check: ToolCallCheck, trajectory: list[dict[str, Any]]) -> Verdict:
    calls = _ok_calls(trajectory, check.tool)
    for i, event in calls:
        if arguments_match(event["arguments"], check.arguments):
            return Verdict(True, f"call #{i} {check.tool}({event['arguments']}) matches", "trajectory")
    if not calls:
        return Verdict(False, f"{check.tool} was never called successfully", "trajectory")
    return Verdict(False, f"{len(calls)} call(s) to {check.tool}, none with {check.arguments}", "trajectory")


def _agent_wrote(event: dict[str, Any]) -> str:
    """What the agent itself put into the event: a call's arguments, or the message the user answered."""
    if event["type"] == "tool_call":
        return normalise(json.dumps(event.get("arguments") or {}, ensure_ascii=False))
    return normalise(event.get("message") or "")


def _observed_in(event: dict[str, Any], spelling: str) -> bool:
    """``spelling`` (normalised) is in the event's response or reply and did not come from the agent."""
    said = event["response"] if event["type"] == "tool_call" else event["reply"]
    return spelling in normalise(said or "") and spelling not in _agent_wrote(event)


def _asked(event: dict[str, Any], fact: HiddenFact) -> bool:
    if "asked_facts" in event:
        return fact.key in event["asked_facts"]
    return asks_about(event.get("message") or "", fact.keywords)


def check_fact_revealed(check: FactRevealedCheck, trajectory: list[dict[str, Any]], task: Task) -> Verdict:
    fact = next(f for f in task.hidden_facts if f.key == check.fact)
    spellings = [normalise(v) for v in [fact.value, *fact.aliases]]
    replies = [(i, e) for i, e in enumerate(trajectory)
               if e["type"] == "user" and any(s in normalise(e["reply"]) for s in spellings)]
    revealed_at = next((i for i, e in replies if _asked(e, fact)), None)
    if revealed_at is None and replies:
        return Verdict(False, f"the user said {fact.key!r} without being asked about it", "trajectory")
    if revealed_at is None:
        return Verdict(False, f"the user never revealed {fact.key!r}", "trajectory")
    if check.before_tool:
        first_call = next(iter(_ok_calls(trajectory, check.before_tool)), None)
        if first_call is not None and first_call[0] < revealed_at:
            return Verdict(False, f"{check.before_tool} was called before the user revealed {fact.key!r}", "trajectory")
    return Verdict(True, f"the user revealed {fact.key!r} at event #{revealed_at}", "trajectory")


def check_answer(check: AnswerCheck, trajectory: list[dict[str, Any]]) -> Verdict:
    answer = next((e["content"] for e in reversed(trajectory) if e["type"] == "answer"), None)
    if answer is None:
        return Verdict(False, "the agent gave no final answer", "trajectory")
    missing = [v for v in check.values if normalise(v) not in normalise(answer)]
    if missing:
        return Verdict(False, f"the answer does not mention {missing}", "trajectory")
    if check.require_observed:
        sources = [e for e in trajectory if (e["type"] == "tool_call" and e["status"] == "ok") or e["type"] == "user"]
        unseen = [v for v in check.values if not any(_observed_in(e, normalise(v)) for e in sources)]
        if unseen:
            return Verdict(False, f"the answer states {unseen}, which no tool or user ever gave", "trajectory")
    return Verdict(True, "the answer mentions every required value", "trajectory")


def decide(check: Any, trajectory: list[dict[str, Any]], task: Task) -> Verdict | None:
    """The verdict of a structured check, or None for a judge item."""
    if isinstance(check, ToolCallCheck):
        return check_tool_call(check, trajectory)
    if isinstance(check, FactRevealedCheck):
        return check_fact_revealed(check, trajectory, task)
    if isinstance(check, AnswerCheck):
        return check_answer(check, trajectory)
    if isinstance(check, JudgeCheck):
        return None
    raise TypeError(f"unknown rubric check {type(check).__name__}")
