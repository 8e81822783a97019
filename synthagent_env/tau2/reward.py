"""τ²'s evaluator on an episode: ``evaluate_simulation(..., EvaluationType.ALL)`` as ``(reward, details)``.

The reward is τ²'s, unchanged: the product of the components in the task's ``reward_basis`` (database hash,
environment assertions, gold actions, communicated information), and 0 when the episode ended any way other
than a stop signal. ``details["items"]`` has one item per component check, with ``counted`` saying whether it
is in the task's reward basis. Natural-language assertions need an LLM: τ²'s ``ALL`` does not score them (no
task of the shipped splits counts them); with ``judge`` they are judged by our client and reported, counted
only where the task's basis names them; without one they are left undecided and the item says why.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from tau2.data_model.message import Message
from tau2.data_model.simulation import RewardInfo, SimulationRun, TerminationReason
from tau2.data_model.tasks import RewardType, Task
from tau2.evaluator.evaluator import EvaluationType, evaluate_simulation
from tau2.utils.utils import get_now

from ..llm import LLMClient, extract_json

EVALUATOR = "tau2_evaluator"
NO_JUDGE = "natural-language assertion: no judge given (judge=...), so it is left undecided"
JUDGE_PROMPT = (
    "You will be given a list of expected outcomes and a conversation between an agent and a customer, collected "
    "during a test case run. Decide, for each expected outcome separately, whether the agent satisfies it. Answer "
    'with a JSON object {"results": [{"expectedOutcome": "<the outcome, repeated>", "reasoning": "<short>", '
    '"metExpectation": true or false}]}.'
)


def simulation_run(task: Task, messages: list[Message], termination: TerminationReason) -> SimulationRun:
    now = get_now()
    return SimulationRun(id=str(uuid.uuid4()), task_id=task.id, start_time=now, end_time=now, duration=0.0,
                         termination_reason=termination, messages=messages)


def _item(id_: str, section: str, description: str, passed: bool | None, reason: str, counted: bool,
          decided_by: str = EVALUATOR) -> dict[str, Any]:
    return {"id": id_, "section": section, "description": description, "passed": passed, "reason": reason,
            "decided_by": decided_by, "counted": counted}


def evaluator_items(info: RewardInfo, basis: set[RewardType]) -> list[dict[str, Any]]:
    """One item per check τ²'s evaluator made."""
    items: list[dict[str, Any]] = []
    if info.db_check is not None:
        items.append(_item("db", "db", "the databases end as the gold actions leave them", info.db_check.db_match,
                           "database hashes match" if info.db_check.db_match else "database hashes differ",
                           RewardType.DB in basis))
    for i, check in enumerate(info.env_assertions or []):
        a = check.env_assertion
        items.append(_item(f"env_assertion_{i}", "env_assertion",
                           f"{a.env_type}.{a.func_name}({json.dumps(a.arguments)}) is {a.assert_value}", check.met,
                           a.message or ("holds" if check.met else "does not hold"),
                           RewardType.ENV_ASSERTION in basis))
    for check in info.action_checks or []:
        a = check.action
        items.append(_item(f"action_{a.action_id}", "action",
                           f"{a.requestor} calls {a.name}({json.dumps(a.arguments)})"
                           + (f" comparing {a.compare_args}" if a.compare_args is not None else ""),
                           check.action_match, "a matching call was made" if check.action_match
                           else "no matching call", RewardType.ACTION in basis))
    for i, check in enumerate(info.communicate_checks or []):
        items.append(_item(f"communicate_{i}", "communicate", f"the agent tells the user {check.info!r}",
                           check.met, check.justification, RewardType.COMMUNICATE in basis))
    return items


def judge_assertions(judge: LLMClient, messages: list[Message], assertions: list[str]) -> list[tuple[bool, str]]:
    """``(met, reasoning)`` per assertion, in order; the judge's answer is matched by position."""
    conversation = "\n".join(f"{m.role}: {m.content}" for m in messages)
    prompt = f"conversation:\n{conversation}\n\nexpectedOutcomes:\n{assertions}"
    reply = judge.chat([{"role": "system", "content": JUDGE_PROMPT}, {"role": "user", "content": prompt}],
                       temperature=0.0)
    results = extract_json(reply.text).get("results", [])
    out = []
    for i in range(len(assertions)):
        r = results[i] if i < len(results) and isinstance(results[i], dict) else {}
        met = r.get("metExpectation")
        out.append((met if isinstance(met, bool) else False, str(r.get("reasoning", "no verdict for this outcome"))))
    return out


def score(domain: str, task: Task, messages: list[Message], termination: TerminationReason,
          judge: LLMClient | None = None) -> tuple[float, dict[str, Any]]:
    criteria = task.evaluation_criteria
    basis = set(criteria.reward_basis) if criteria is not None else set()
    nl_counted = RewardType.NL_ASSERTION in basis
    scored = task
    if nl_counted:  # τ²'s ALL refuses a basis naming NL assertions; they are judged below instead
        scored = task.model_copy(update={"evaluation_criteria": criteria.model_copy(
            update={"reward_basis": [b for b in criteria.reward_basis if b != RewardType.NL_ASSERTION]})})
    info = evaluate_simulation(simulation_run(scored, messages, termination), scored, EvaluationType.ALL,
                               solo_mode=False, domain=domain)
    reward = float(info.reward)
    items = evaluator_items(info, basis)
    note = (info.info or {}).get("note") if isinstance(info.info, dict) else None
    if termination not in (TerminationReason.USER_STOP, TerminationReason.AGENT_STOP):
        items = [_item("termination", "termination", "the conversation ends with a stop signal", False,
                       note or f"terminated: {termination.value}", True)]
    assertions = list(criteria.nl_assertions or []) if criteria is not None else []
    verdicts: list[tuple[bool | None, str]] = [(None, NO_JUDGE)] * len(assertions)
    if assertions and judge is not None:
        verdicts = judge_assertions(judge, messages, assertions)  # type: ignore[assignment]
    for i, (text, (met, why)) in enumerate(zip(assertions, verdicts)):
        items.append(_item(f"nl_assertion_{i}", "nl_assertion", text, met, why, nl_counted,
                           "judge" if met is not None else "undecided"))
    if nl_counted and reward > 0 and termination in (TerminationReason.USER_STOP, TerminationReason.AGENT_STOP):
        reward *= 1.0 if verdicts and all(m is True for m, _ in verdicts) else 0.0
    basis_names = sorted(b.value for b in basis)
    return reward, {"reward": reward, "benchmark": "tau2", "domain": domain, "task_id": task.id,
                    "termination_reason": termination.value, "reward_basis": basis_names,
                    "reward_breakdown": {k.value: v for k, v in (info.reward_breakdown or {}).items()},
                    "note": note, "items": items}
