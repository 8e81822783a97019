"""Small learnable task packs: each task is solved by one specific, well-formed tool call and nothing else.

All tasks share the same argument-free tools; calling any tool but the right one is a forbidden behaviour (reward 0).
``tool_choice_tasks``: the right tool differs per task, so the instruction decides it. ``weather_tasks``: every task
needs ``get_weather``, asked in different words; a tiny model can learn it with a few CPU minutes of GRPO.
``warm_start`` teaches the ``<tool_call>`` format by calling every tool equally often, so the model starts near chance
(1 / number of tools) and what is left to learn is which call earns the reward.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..task import Rubric, RubricItem, Task, ToolCallCheck, ToolSpec

CHOICES = [
    ("get_weather", "Get today's weather forecast.", "What will the weather be like today?"),
    ("get_time", "Get the current time.", "What time is it right now?"),
    ("get_news", "Get the latest news headlines.", "Give me the latest news headlines."),
    ("get_joke", "Tell a random joke.", "Tell me a joke, please."),
]


def _tools(n: int) -> list[ToolSpec]:
    return [ToolSpec(name=name, description=desc, parameters={"type": "object", "properties": {}},
                     output_description="A short text.") for name, desc, _ in CHOICES[:n]]


WEATHER_ASKS = ["What will the weather be like today?", "Is it going to rain later?",
                "Do I need a coat this afternoon?", "How warm will it be tomorrow?"]


def _task(task_id: str, instruction: str, right: str, tools: list[ToolSpec]) -> Task:
    rubric = Rubric(
        sub_goals=[RubricItem(id=f"call_{right}", description=f"Calls {right}.", check=ToolCallCheck(tool=right))],
        forbidden=[RubricItem(id=f"no_{other.name}", description=f"Calls {other.name}, which was not asked for.",
                              check=ToolCallCheck(tool=other.name)) for other in tools if other.name != right],
    )
    return Task(id=task_id, domain="toy", persona="A curious person.", instruction=instruction, tools=tools,
                rubric=rubric)


def tool_choice_tasks(n: int = 4) -> list[Task]:
    """``n`` (2..4) tasks, task i needing exactly one call to tool i."""
    tools = _tools(n)
    return [_task(f"choose-{name.replace('_', '-')}", instruction, name, tools) for name, _, instruction in CHOICES[:n]]


def weather_tasks(n: int = 4, n_tools: int = 4) -> list[Task]:
    """``n`` (1..4) differently worded weather questions; each needs one call to ``get_weather``."""
    tools = _tools(n_tools)
    return [_task(f"weather-{i}", ask, "get_weather", tools) for i, ask in enumerate(WEATHER_ASKS[:n])]


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
