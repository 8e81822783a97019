"""synthagent: synthetic tool-use tasks as Gymnasium environments with simulated tools and users.

Importing this package registers its gym ids (``synthagent/ToolUse-v0``, ...). The public surface is below;
the heavier names load on first use, and nothing here imports torch or transformers.

- tasks and packs: ``Task``, ``ToolSpec``, ``Rubric``, ``RubricItem``, ``load_tasks``, ``save_tasks``
- environments: ``ToolUseEnv`` (``synthagent/ToolUse-v0``), ``TextToolEnv`` (the one episode loop)
- the simulated world: ``make_simulator``, ``Simulator``, ``make_client`` (LLM backends)
- rewards: ``RewardConfig``, ``score_episode``, ``LLMJudge``
- agents and evaluation: ``Agent``, ``BaseAgent`` (the protocol), ``evaluate``, ``EvalConfig``;
  the agents themselves are in ``synthagent_agents``, the GRPO trainer in ``synthagent_training``.
"""

from importlib import import_module
from typing import Any

from .pack import TaskPackError, load_tasks, save_tasks
from .registration import register_envs
from .task import Rubric, RubricItem, Task, ToolSpec

register_envs()

_LAZY = {
    "ToolUseEnv": ".env", "TextToolEnv": ".text_env",
    "make_simulator": ".simulators", "Simulator": ".simulators", "make_client": ".llm",
    "RewardConfig": ".rubric", "score_episode": ".rubric", "LLMJudge": ".rubric",
    "Agent": ".agent", "BaseAgent": ".agent",
    "evaluate": ".evaluation.loop", "EvalConfig": ".evaluation.loop",
}

__all__ = ["Rubric", "RubricItem", "Task", "TaskPackError", "ToolSpec", "load_tasks", "save_tasks", *_LAZY]
__version__ = "0.2.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'synthagent_env' has no attribute {name!r}")
