"""Our env ids as a verifiers (v1, ``verifiers>=0.4``) taskset and multi-turn env: the env plays the user side.

verifiers 0.4 replaced ``MultiTurnEnv`` by ``vf.Env.run(task, agents)``: an env opens the model's interaction and
answers each assistant turn itself, as its bundled TextArena and OpenEnv tasksets do. Here:

- ``SynthagentTaskset`` yields one task per (bundled task, seed): the system prompt with our tool list, and the
  instruction, exactly the opening ``env.reset`` gives an agent;
- ``SynthagentVfEnv.run`` makes a ``gym.make`` env for the task (``shared_env``: one task list, simulator and
  mapping path per process), steps it with each model reply (Hermes ``<tool_call>`` text or plain text to the
  simulated user), sends back the env's observation (tool results, the user's reply) as the next user turn, and
  records the env's rubric reward on the trace as ``synthagent_reward`` with our end reason, stats and per-item
  verdicts in ``trace.info["synthagent"]``. A run the harness ends first (its turn limit) is ended and scored
  by the env (``end_episode``), never left unscored.

    vf-eval synthagent_env.adapters.verifiers_env -m <model> ...      # the taskset id is this module
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import verifiers.v1 as vf
from pydantic import Field

from synthagent_env.prompts import tools_block

from .skyrl import shared_factory

REWARD_NAME = "synthagent_reward"


class SynthagentTasksetConfig(vf.TasksetConfig):
    env_id: str = "synthagent/ToolUse-v0"
    """The gym id to play."""
    env_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Keyword arguments for ``gym.make`` (``simulator``, ``mapping_path``, ``tasks``, ...)."""
    seeds: list[int] = Field(default_factory=lambda: [0])
    """One task per bundled task and seed (the seed orders the tool list)."""


class SynthagentData(vf.TaskData):
    info: dict[str, Any]
    """``env_id``, ``env_kwargs``, ``task_id`` and ``seed``: what ``run`` rebuilds the episode from."""


class SynthagentTask(vf.Task[SynthagentData, vf.State, vf.TaskConfig]):
    @property
    def key(self) -> str:
        return f"{self.data.info['task_id']}#{self.data.info['seed']}"


class SynthagentEnvConfig(vf.EnvConfig):
    player: vf.AgentConfig = vf.AgentConfig()


def _opening(info: dict[str, Any]) -> tuple[str, str]:
    """The system prompt (with the tool list) and the instruction of a freshly reset env."""
    system = next(m["content"] for m in info["messages"] if m["role"] == "system")
    if info.get("tools"):
        system = f"{system}\n\n{tools_block(info['tools'])}"
    instruction = "\n\n".join(m["content"] for m in info["messages"] if m["role"] == "user")
    return system, instruction


class SynthagentVfEnv(vf.Env[SynthagentEnvConfig]):
    async def run(self, task: SynthagentTask, agents: Any) -> None:
        spec = task.data.info
        env = shared_factory(spec["env_id"], spec["env_kwargs"]).make()
        try:
            _, info = await asyncio.to_thread(env.reset, seed=spec["seed"], options={"task_id": spec["task_id"]})
            reward, done = 0.0, False
            async with agents.player.interaction(task) as interaction:
                segment = await interaction.turn()
                while not segment.terminated:
                    text, reward, terminated, truncated, info = await asyncio.to_thread(env.step, segment.last_reply)
                    if terminated or truncated:
                        done = True
                        break
                    segment = await interaction.turn(text)
            if not done:  # the harness stopped first: the env still scores the episode
                _, reward, _, _, info = await asyncio.to_thread(env.unwrapped.end_episode, "harness_stop")
            trace = interaction.trace
            trace.record_reward(REWARD_NAME, float(reward))
            trace.info["synthagent"] = {"task_id": info.get("task_id"), "end_reason": info.get("end_reason"),
                                        "stats": info.get("stats"), "failure": info.get("failure"),
                                        "reward_details": info.get("reward_details")}
        finally:
            env.close()


class SynthagentTaskset(vf.Taskset[SynthagentTask, SynthagentTasksetConfig]):
    def load(self) -> Iterator[SynthagentTask]:
        config = self.config
        factory = shared_factory(config.env_id, config.env_kwargs)
        env = factory.make()
        try:
            for task_id in factory.task_ids():
                for seed in config.seeds:
                    _, info = env.reset(seed=seed, options={"task_id": task_id})
                    system, instruction = _opening(info)
                    data = SynthagentData(id=f"{task_id}#{seed}", name=task_id, system_prompt=system,
                                          prompt=instruction,
                                          info={"env_id": config.env_id, "env_kwargs": config.env_kwargs,
                                                "task_id": task_id, "seed": seed})
                    yield SynthagentTask(data, config.task)
        finally:
            env.close()


__all__ = ["SynthagentData", "SynthagentEnvConfig", "SynthagentTask", "SynthagentTaskset", "SynthagentTasksetConfig",
           "SynthagentVfEnv"]
