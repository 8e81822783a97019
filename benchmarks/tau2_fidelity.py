"""Does ``synthagent/Tau2-v0`` score a trajectory as τ²'s own harness does? The same script, both ways.

A *variant* turns a task into an agent plan (``synthagent_env.tau2.gold``): ``gold``, ``drop_last_write`` (gold
without its last write: the agent's last write call, else the user's last action), ``change_arg`` (one argument
of the last call with arguments changed) and ``do_nothing`` (the agent only closes). The plan is played
(a) through the env with ``PlanAgent`` and (b) through τ²'s own ``Orchestrator`` with a scripted τ² agent and
τ²'s real ``UserSimulator`` (its model reached through litellm), then scored with ``evaluate_simulation(ALL)``.
Both users are one loopback server playing ``GoldUser``. Agreement = same reward, same termination reason, same
per-check verdicts, and the same messages sent to the user model.

Usage: ``python -m benchmarks.tau2_fidelity [--domains airline retail telecom] [--split base] [--limit N]
[--variants gold do_nothing]``; prints per-domain counts and exits non-zero on any disagreement.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from typing import Any

from tau2.agent.base import LocalAgent
from tau2.agent.llm_agent import LLMAgentState
from tau2.data_model.message import AssistantMessage, ToolCall
from tau2.data_model.tasks import Task
from tau2.environment.toolkit import ToolType
from tau2.evaluator.evaluator import EvaluationType, evaluate_simulation
from tau2.orchestrator.orchestrator import Orchestrator
from tau2.user.user_simulator import UserSimulator

from synthagent_env.llm import LLMTestServer
from synthagent_env.tau2 import Tau2Env, load_tasks
from synthagent_env.tau2.backend import registry, user_tools
from synthagent_env.tau2.gold import (
    CLOSING,
    USER_ACTIONS_MARK,
    GoldUser,
    PlanAgent,
    Step,
    ask_user,
    gold_plan,
    step_message,
)

VARIANTS = ("gold", "drop_last_write", "change_arg", "do_nothing")


# ---- variants ----

def _user_actions(step: Step) -> list[tuple[str, dict[str, Any]]]:
    import json

    return [(a["name"], a["arguments"]) for a in json.loads(step.text.split(USER_ACTIONS_MARK, 1)[1])]


def _is_user_step(step: Step) -> bool:
    return step.kind == "say" and step.text.startswith(USER_ACTIONS_MARK)


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "X"
    if isinstance(value, list):
        return value[:-1] if value else ["X"]
    return "X"


def variant_plan(domain: str, task: Task, variant: str) -> list[Step] | None:
    """The plan of a variant, or None where the variant does not apply to this task (nothing to drop or change)."""
    plan = gold_plan(task)
    if variant == "gold":
        return plan
    if variant == "do_nothing":
        return [Step("say", text=CLOSING)]
    tools = registry.get_env_constructor(domain)().tools
    if variant == "drop_last_write":
        writes = [i for i, s in enumerate(plan) if s.kind == "call" and tools.has_tool(s.name)
                  and tools.tool_type(s.name) == ToolType.WRITE]
        if writes:
            return plan[: writes[-1]] + plan[writes[-1] + 1:]
        users = [i for i, s in enumerate(plan) if _is_user_step(s)]
        if not users:
            return None
        i = users[-1]
        rest = _user_actions(plan[i])[:-1]
        return plan[:i] + ([ask_user(rest)] if rest else []) + plan[i + 1:]
    if variant == "change_arg":
        calls = [i for i, s in enumerate(plan) if s.kind == "call" and s.arguments]
        if not calls:
            return None
        i = calls[-1]
        key = min(plan[i].arguments)
        step = Step("call", name=plan[i].name, arguments={**plan[i].arguments, key: _changed(plan[i].arguments[key])})
        return plan[:i] + [step] + plan[i + 1:]
    raise ValueError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")


# ---- τ²'s own harness ----

class ScriptedTau2Agent(LocalAgent[LLMAgentState]):
    """A τ² agent that plays a plan, message by message, as τ²'s LLMAgent would have sent it."""

    def __init__(self, tools: list[Any], domain_policy: str, plan: list[Step]):
        super().__init__(tools=tools, domain_policy=domain_policy)
        self.plan, self._next = plan, 0

    def get_init_state(self, message_history: list[Any] | None = None) -> LLMAgentState:
        return LLMAgentState(system_messages=[], messages=list(message_history or []))

    def generate_next_message(self, message: Any, state: LLMAgentState) -> tuple[AssistantMessage, LLMAgentState]:
        step = self.plan[self._next] if self._next < len(self.plan) else Step("say", text=CLOSING)
        self._next += 1
        if step.kind == "say":
            return AssistantMessage(role="assistant", content=step.text), state
        raw = step_message(step, self._next - 1)["tool_calls"][0]
        call = ToolCall(id=raw["id"], name=step.name, arguments=dict(step.arguments))
        return AssistantMessage(role="assistant", content=None, tool_calls=[call]), state

    def stop(self, message: Any = None, state: Any = None) -> None:
        return None


def run_on_tau2(domain: str, task: Task, plan: list[Step], user_url: str, max_steps: int = 200,
                max_errors: int = 10) -> tuple[float, str, Any]:
    """τ²'s own run and evaluation of a plan: ``(reward, termination_reason, RewardInfo)``."""
    environment = registry.get_env_constructor(domain)()
    agent = ScriptedTau2Agent(environment.get_tools(), environment.get_policy(), plan)
    user = UserSimulator(tools=user_tools(environment), instructions=str(task.user_scenario), llm="openai/test-model",
                         llm_args={"api_base": user_url, "api_key": "loopback", "temperature": 0.0})
    simulation = Orchestrator(domain=domain, agent=agent, user=user, environment=environment, task=task,
                              max_steps=max_steps, max_errors=max_errors).run()
    info = evaluate_simulation(simulation=simulation, task=task, evaluation_type=EvaluationType.ALL,
                               solo_mode=False, domain=domain)
    return float(info.reward), simulation.termination_reason.value, info


def run_on_env(env: Tau2Env, task: Task, plan: list[Step]) -> tuple[float, dict[str, Any]]:
    agent = PlanAgent(plan)
    obs, info = env.reset(options={"task_id": task.id})
    agent.reset(info)
    reward, done = 0.0, False
    while not done:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs, info))
        done = terminated or truncated
    return float(reward), info


def verdicts(info: Any) -> dict[str, bool]:
    """τ²'s per-check verdicts, keyed as the env's items are."""
    out: dict[str, bool] = {}
    if info.db_check is not None:
        out["db"] = info.db_check.db_match
    out.update({f"env_assertion_{i}": c.met for i, c in enumerate(info.env_assertions or [])})
    out.update({f"action_{c.action.action_id}": c.action_match for c in info.action_checks or []})
    out.update({f"communicate_{i}": c.met for i, c in enumerate(info.communicate_checks or [])})
    return out


def user_requests(server: LLMTestServer, start: int) -> list[list[tuple[str, Any]]]:
    """The conversations the user model was sent since ``start``: (role, content) per message."""
    return [[(m.get("role"), m.get("content") or None) for m in r.body.get("messages", [])]
            for r in server.requests[start:]]


def compare(domain: str, task: Task, variant: str, env: Tau2Env, server: LLMTestServer) -> dict[str, Any] | None:
    plan = variant_plan(domain, task, variant)
    if plan is None:
        return None
    mark = len(server.requests)
    env_reward, env_info = run_on_env(env, task, plan)
    env_requests = user_requests(server, mark)
    mark = len(server.requests)
    tau_reward, tau_end, tau_info = run_on_tau2(domain, task, plan, server.url, env.max_steps, env.max_errors)
    tau_requests = user_requests(server, mark)
    details = env_info.get("reward_details") or {}
    env_verdicts = {i["id"]: i["passed"] for i in details.get("items", []) if i["decided_by"] == "tau2_evaluator"
                    and i["section"] != "termination"}
    problems = []
    if env_reward != tau_reward:
        problems.append(f"reward env {env_reward} vs tau2 {tau_reward}")
    if details.get("termination_reason") != tau_end:
        problems.append(f"termination env {details.get('termination_reason')} vs tau2 {tau_end}")
    if tau_end in ("user_stop", "agent_stop") and env_verdicts != verdicts(tau_info):
        problems.append(f"verdicts env {env_verdicts} vs tau2 {verdicts(tau_info)}")
    if env_requests != tau_requests:
        problems.append("the user model was sent different conversations")
    return {"domain": domain, "task_id": task.id, "variant": variant, "env": env_reward, "tau2": tau_reward,
            "agree": not problems, "problems": problems, "user_requests": len(env_requests)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--domains", nargs="+", default=["airline", "retail", "telecom"])
    parser.add_argument("--split", default="base")
    parser.add_argument("--limit", type=int, default=None, help="tasks per domain (a seeded sample)")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    args = parser.parse_args(argv)
    failed = 0
    with LLMTestServer(reply=GoldUser()) as server:
        for domain in args.domains:
            tasks = load_tasks(domain, args.split)
            if args.limit is not None and args.limit < len(tasks):
                tasks = random.Random(0).sample(tasks, args.limit)
            env = Tau2Env(domain=domain, task_split=args.split, user=server.url)
            counts: Counter[str] = Counter()
            start = time.perf_counter()
            for task in tasks:
                for variant in args.variants:
                    row = compare(domain, task, variant, env, server)
                    if row is None:
                        counts[f"{variant}:n/a"] += 1
                        continue
                    counts[f"{variant}:{'agree' if row['agree'] else 'DISAGREE'}"] += 1
                    counts[f"{variant}:env_reward_1"] += row["env"] == 1.0
                    if not row["agree"]:
                        failed += 1
                        print(f"DISAGREE {domain} {task.id} {variant}: {'; '.join(row['problems'])}", flush=True)
            env.close()
            print(f"{domain} ({len(tasks)} tasks, {time.perf_counter() - start:.0f} s): "
                  + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())), flush=True)
    print("all agree" if not failed else f"{failed} disagreements")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
