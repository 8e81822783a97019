"""From demonstrations to a reference solution, and a rubric the reference actually satisfies.

Each usable demonstration becomes a candidate reference (its questions, successful calls and answer) and is
replayed through the real env with the recorded user replies and the seeded mapping, so the replay sees exactly
what the teacher saw. Structured rubric items the chosen reference fails are inconsistent with the teacher's
own run and are dropped (recorded), unless that is most of them (then the run did not really follow the
workflow and the task is rejected); a reference that triggers a forbidden item rejects the task. Finally the
task must pass the check every pack gets: ``OracleAgent`` in ``ToolUse-v0`` with the offline simulator must
pass every item the trajectory decides.
"""

from __future__ import annotations

from typing import Any

from ..episode import EpisodeResult
from ..reference import play_reference
from ..simulators import Simulator, UserReply
from ..simulators.offline import OfflineToolSimulator
from ..task import Task
from .demos import usable
from .stage import Rejected


class ReplayUser:
    """Answers the n-th message to the user with the n-th reply recorded in the demonstration."""

    def __init__(self, replies: list[str]):
        self.replies = replies

    def reply(self, task: Task, conversation: list[dict[str, str]]) -> UserReply:
        n = sum(1 for m in conversation if m["role"] == "assistant") - 1
        return UserReply(self.replies[n] if 0 <= n < len(self.replies) else "Okay.")


def demo_steps(demo: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]] | None:
    """``(reference steps, user replies)`` of a usable demonstration, or None."""
    if not usable(demo):
        return None
    steps: list[dict[str, Any]] = []
    replies: list[str] = []
    for e in demo["events"]:
        if e["type"] == "user" and e["message"].strip():
            steps.append({"kind": "ask_user", "message": e["message"]})
            replies.append(e["reply"])
        elif e["type"] == "tool_call" and e["status"] == "ok":
            steps.append({"kind": "tool_call", "tool": e["name"], "arguments": e["arguments"]})
        elif e["type"] == "answer" and e["content"].strip():
            steps.append({"kind": "answer", "content": e["content"]})
    return (steps, replies) if steps and steps[-1]["kind"] == "answer" else None


def with_reference(task: Task, steps: list[dict[str, Any]]) -> Task:
    return Task.model_validate({**task.model_dump(mode="json"), "reference_solution": steps})


def decided_failures(result: EpisodeResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(failed credit items, violated forbidden items)`` among the items the trajectory decided."""
    items = [i for i in (result.info.get("reward_details") or {}).get("items", []) if i["decided_by"] == "trajectory"]
    failed = [i for i in items if i["section"] != "forbidden" and not i["passed"]]
    violated = [i for i in items if i["section"] == "forbidden" and i["passed"]]
    return failed, violated


def _describe(items: list[dict[str, Any]]) -> str:
    return "; ".join(f"{i['id']}: {i['reason']}" for i in items)[:800]


def settle(task: Task, demos: list[dict[str, Any]], preferred: int | None, *,
           offline_gate: bool = True) -> tuple[Task, int, list[str]]:
    """``(final task, index of the reference demonstration, notes)``; raises ``Rejected``."""
    candidates = []
    for i, demo in enumerate(demos):
        got = demo_steps(demo)
        if got is None:
            continue
        trial = with_reference(task, got[0])
        replay = play_reference(trial, simulator=Simulator(OfflineToolSimulator(), ReplayUser(got[1]), name="replay"),
                                max_turns=len(got[0]) + 1)
        failed, violated = decided_failures(replay)
        candidates.append(((bool(violated), len(failed), i != preferred, i), trial, failed, violated))
    if not candidates:
        raise Rejected("no_usable_demo", "no demonstration can serve as a reference solution")
    (_, _, _, index), trial, failed, violated = min(candidates, key=lambda c: c[0])
    if violated:
        raise Rejected("reference_violates_policy", f"every usable demonstration triggers a forbidden item: "
                                                    f"{_describe(violated)}")
    structured = [i for section, i in trial.rubric.items() if section != "forbidden" and i.check.kind != "judge"]
    if 2 * len(failed) > len(structured):
        raise Rejected("reference_fails_rubric", f"even the best demonstration fails {len(failed)} of "
                                                 f"{len(structured)} structured items: {_describe(failed)}")
    notes = [f"rubric: dropped {i['id']} (the reference demonstration fails it: {i['reason']})" for i in failed]
    dropped = {i["id"] for i in failed}
    rubric = trial.rubric.model_dump(mode="json")
    for section in ("sub_goals", "required_interactions"):
        rubric[section] = [item for item in rubric[section] if item["id"] not in dropped]
    if not rubric["sub_goals"]:
        raise Rejected("rubric_unsatisfiable", f"the reference demonstration fails every sub-goal: {_describe(failed)}")
    final = Task.model_validate({**trial.model_dump(mode="json"), "rubric": rubric})
    if offline_gate:
        failed, violated = decided_failures(play_reference(final))
        if failed or violated:
            raise Rejected("offline_oracle_failed", f"OracleAgent with the offline simulator fails "
                                                    f"{_describe(failed + violated)}")
    return final, index, notes
