"""The verifiers (v1) adapter: the taskset through verifiers' own loaders, and episodes through ``Env.run``.

The model side is a scripted interaction standing in for verifiers' harness (which runs the model-calling program
as a ``uv`` script in a runtime): each ``turn(message)`` answers with the next action of a fixed agent that sees
only the chat text, as a model would. Everything on the env side is the real adapter over ``gym.make``.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

import gymnasium as gym
import pytest

vf = pytest.importorskip("verifiers.v1")

from synthagent_agents import OracleAgent  # noqa: E402
from synthagent_env import load_tasks  # noqa: E402
from synthagent_env.adapters import verifiers_env  # noqa: E402
from synthagent_env.episode import play_episode  # noqa: E402
from tests.adapter_agents import DetourAgent  # noqa: E402

TASK_IDS = [t.id for t in load_tasks("tooluse-v0")]
TASKSET_ID = "synthagent_vf"  # verifiers imports a taskset by a top-level module name


@pytest.fixture(scope="module", autouse=True)
def taskset_module():
    sys.modules[TASKSET_ID] = verifiers_env
    yield
    sys.modules.pop(TASKSET_ID, None)


class ScriptedTrace:
    def __init__(self):
        self.rewards: dict[str, float] = {}
        self.info: dict = {}

    def record_reward(self, name: str, value: float, weight: float = 1.0) -> None:
        self.rewards[name] = value


class ScriptedInteraction:
    """Plays ``agent`` as the model: it sees the task's prompt, then each user turn's text."""

    def __init__(self, agent, task, max_turns: int = 64):
        self.agent, self.trace, self.turns, self.max_turns = agent, ScriptedTrace(), 0, max_turns
        self.agent.reset({"task_id": task.data.name})
        self.seen: list[str] = [task.data.system_prompt, task.data.prompt]

    async def turn(self, message: str | None = None):
        if message is not None:
            self.seen.append(message)
        if self.turns >= self.max_turns:
            return vf.agent.Segment(messages=[], terminated=True)
        self.turns += 1
        reply = self.agent.act(self.seen[-1], {})
        return vf.agent.Segment(messages=[vf.AssistantMessage(content=reply)])


class ScriptedAgents:
    def __init__(self, make_agent, max_turns: int = 64):
        self.make_agent, self.max_turns, self.played = make_agent, max_turns, []

    @property
    def player(self):
        return self

    @contextlib.asynccontextmanager
    async def interaction(self, task):
        interaction = ScriptedInteraction(self.make_agent(), task, self.max_turns)
        self.played.append(interaction)
        yield interaction


def make_env(tmp_path, name: str, seeds=(0,)):
    taskset = verifiers_env.SynthagentTasksetConfig(
        id=TASKSET_ID, env_kwargs={"mapping_path": str(tmp_path / name)}, seeds=list(seeds))
    return verifiers_env.SynthagentVfEnv(verifiers_env.SynthagentEnvConfig(taskset=taskset))


def play_all(env, make_agent, max_turns: int = 64) -> list[ScriptedInteraction]:
    agents = ScriptedAgents(make_agent, max_turns)

    async def main():
        for task in env.taskset.load():
            await env.run(task, agents)

    asyncio.run(main())
    return agents.played


def test_verifiers_loads_the_taskset_and_env_by_id(tmp_path):
    from verifiers.v1.utils import loaders

    assert loaders.environment_class(TASKSET_ID) is verifiers_env.SynthagentVfEnv
    env = make_env(tmp_path, "load.sqlite", seeds=(0, 1))
    tasks = list(env.taskset.load())
    assert [t.data.name for t in tasks] == [t for t in TASK_IDS for _ in (0, 1)]
    assert len({t.key for t in tasks}) == len(tasks)
    first = tasks[0].data
    assert "<tools>" in first.system_prompt and first.prompt == load_tasks("tooluse-v0")[0].instruction


def test_oracle_scores_one_on_every_bundled_task(tmp_path):
    played = play_all(make_env(tmp_path, "oracle.sqlite"), OracleAgent)
    assert {p.trace.info["synthagent"]["task_id"]: p.trace.rewards[verifiers_env.REWARD_NAME] for p in played} == \
        dict.fromkeys(TASK_IDS, 1.0)


def test_fixed_agent_rewards_match_the_direct_env_episode_for_episode(tmp_path):
    def agent():
        return DetourAgent(seed=5, random_detours=False)

    direct_env = gym.make("synthagent/ToolUse-v0", mapping_path=tmp_path / "direct.sqlite")
    try:
        direct = [play_episode(direct_env, agent(), task_id=t, seed=0) for t in TASK_IDS]
    finally:
        direct_env.close()
    played = play_all(make_env(tmp_path, "vf.sqlite"), agent)
    assert [p.trace.rewards[verifiers_env.REWARD_NAME] for p in played] == [d.reward for d in direct]
    assert [p.trace.info["synthagent"]["stats"] for p in played] == [d.info["stats"] for d in direct]
    assert len({round(d.reward, 3) for d in direct}) >= 3


def test_a_harness_that_stops_first_still_gets_the_env_score(tmp_path):
    played = play_all(make_env(tmp_path, "stop.sqlite"), OracleAgent, max_turns=1)
    details = [p.trace.info["synthagent"] for p in played]
    assert {d["end_reason"] for d in details} == {"harness_stop"}
    assert all(d["reward_details"] is not None for d in details)
    assert all(p.trace.rewards[verifiers_env.REWARD_NAME] < 1.0 for p in played)
