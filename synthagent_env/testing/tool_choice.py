"""Small learnable task packs: each task is solved by one specific, well-formed tool call and nothing else.

All tasks share the same argument-free tools; calling any tool but the right one is a forbidden behaviour (reward 0).
``tool_choice_tasks``: the right tool differs per task, so the instruction decides it. ``weather_tasks``: every task
needs ``get_weather``, asked in different words; a tiny model can learn it with a few CPU minutes of GRPO.
``warm_start`` teaches the ``<tool_call>`` format by calling every tool equally often, so the model starts near chance
(1 / number of tools) and what is left to learn is which call earns the reward.

The packs' words (tools, questions, persona) are data, in ``tool_choice.json`` beside this module; only how a task is
assembled from them (which call is right, which are forbidden) is code.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..task import Rubric, RubricItem, Task, ToolCallCheck, ToolSpec

DATA_FILE = Path(__file__).with_name("tool_choice.json")


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _within(name: str, n: int, low: int, high: int) -> None:
    if not low <= n <= high:
        raise ValueError(f"{name} must be {low} to {high}, not {n}")


def _tools(n: int) -> list[ToolSpec]:
    data = _data()
    return [ToolSpec(name=t["name"], description=t["description"], parameters={"type": "object", "properties": {}},
                     output_description=data["tool_output"]) for t in data["tools"][:n]]


def _task(task_id: str, instruction: str, right: str, tools: list[ToolSpec]) -> Task:
    rubric = Rubric(
        sub_goals=[RubricItem(id=f"call_{right}", description=f"Calls {right}.", check=ToolCallCheck(tool=right))],
        forbidden=[RubricItem(id=f"no_{other.name}", description=f"Calls {other.name}, which was not asked for.",
                              check=ToolCallCheck(tool=other.name)) for other in tools if other.name != right],
    )
    data = _data()
    return Task(id=task_id, domain=data["domain"], persona=data["persona"], instruction=instruction, tools=tools,
                rubric=rubric)


def tool_choice_tasks(n: int = 4) -> list[Task]:
    """``n`` (2..4) tasks, task i needing exactly one call to tool i."""
    specs = _data()["tools"]
    _within("n", n, 2, len(specs))
    tools = _tools(n)
    return [_task(f"choose-{t['name'].replace('_', '-')}", t["ask"], t["name"], tools) for t in specs[:n]]


def weather_tasks(n: int = 4, n_tools: int = 4) -> list[Task]:
    """``n`` (1..4) differently worded weather questions; each needs one call to ``get_weather``."""
    data = _data()
    _within("n", n, 1, len(data["weather_asks"]))
    _within("n_tools", n_tools, 1, len(data["tools"]))
    tools = _tools(n_tools)
    return [_task(f"weather-{i}", ask, data["weather_tool"], tools) for i, ask in enumerate(data["weather_asks"][:n])]


def opening(task: Task, seed: int | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages and tools the env opens an episode of ``task`` with (so warm-up matches rollouts exactly);
    the env shuffles tool order per seeded episode, so ``seed`` picks one of those orders."""
    import gymnasium as gym

    import synthagent_env  # noqa: F401

    env = gym.make("synthagent/ToolUse-v0", tasks=[task])
    try:
        _, info = env.reset(seed=seed, options={"task_id": task.id})
        return info["messages"], info["tools"]
    finally:
        env.close()


def warm_start(model_dir: str | Path, tasks: list[Task], out_dir: str | Path, steps: int = 300,
               lr: float = 3e-3, orders: int = 4) -> Path:
    """Teach the call format with every (task, tool) pair equally, over ``orders`` shuffled tool orders: format
    learned whatever the order, choice left at chance."""
    from .tiny_model import teach_tool_calls

    conversations, tool_lists = [], []
    openings = [opening(task, seed) for seed in range(orders) for task in tasks]
    for shift in range(len(tasks[0].tools)):
        for i, (messages, tools) in enumerate(openings):
            tool = tasks[0].tools[(i + shift) % len(tasks[0].tools)]
            call = {"type": "function", "function": {"name": tool.name, "arguments": {}}}
            conversations.append([*messages, {"role": "assistant", "content": "", "tool_calls": [call]}])
            tool_lists.append(tools)
    return teach_tool_calls(model_dir, conversations, tool_lists, steps=steps, lr=lr, out_dir=out_dir)
