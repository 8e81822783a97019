"""The skyrl-gym adapter through skyrl-gym's own registry and ``make``, played the way SkyRL's generator plays it."""

from __future__ import annotations

import gymnasium as gym
import pytest

skyrl_gym = pytest.importorskip("skyrl_gym")

from omegaconf import OmegaConf  # noqa: E402

from synthagent_agents import OracleAgent  # noqa: E402
from synthagent_env import load_tasks  # noqa: E402
from synthagent_env.adapters.skyrl import SKYRL_ENV_ID, SynthagentSkyRLEnv, dataset_rows, shared_factory  # noqa: E402
from synthagent_env.episode import play_episode  # noqa: E402
from tests.adapter_agents import DetourAgent  # noqa: E402

TASK_IDS = [t.id for t in load_tasks("tooluse-v0")]


def play_skyrl(env_config, agent, task_id: str, seed: int) -> tuple[float, int, dict]:
    """What SkyRL's generator does: make, init with the dataset prompt, step the model's text until done."""
    env = skyrl_gym.make(SKYRL_ENV_ID, env_config=env_config, extras={"extra_info": {"task_id": task_id, "seed": seed}})
    try:
        chat, info = env.init([{"role": "user", "content": "(dataset prompt)"}])
        assert chat[0]["role"] == "system" and "<tools>" in chat[0]["content"] and chat[-1]["role"] == "user"
        agent.reset(info)
        reward, done, steps = 0.0, False, 0
        while not done:
            out = env.step(agent.act("", info))
            assert all(m["role"] in ("tool", "user") for m in out["observations"])
            chat += out["observations"]
            reward, done, info, steps = out["reward"], out["done"], out["metadata"], steps + 1
            assert done or reward == 0.0
        return reward, steps, info
    finally:
        env.close()


def config(tmp_path, name: str):
    return OmegaConf.create({"env_id": "synthagent/ToolUse-v0", "env_kwargs": {"mapping_path": str(tmp_path / name)}})


def test_registered_the_skyrl_gym_way():
    assert SKYRL_ENV_ID in skyrl_gym.registry
    assert skyrl_gym.spec(SKYRL_ENV_ID).entry_point == "synthagent_env.adapters.skyrl:SynthagentSkyRLEnv"


def test_oracle_scores_one_on_every_bundled_task(tmp_path):
    cfg = config(tmp_path, "oracle.sqlite")
    rewards = {t: play_skyrl(cfg, OracleAgent(), t, seed=0)[0] for t in TASK_IDS}
    assert rewards == dict.fromkeys(TASK_IDS, 1.0)


def test_fixed_agent_rewards_match_the_direct_env_episode_for_episode(tmp_path):
    direct_env = gym.make("synthagent/ToolUse-v0", mapping_path=tmp_path / "direct.sqlite")
    try:
        direct = [play_episode(direct_env, DetourAgent(seed=11), task_id=t, seed=3) for t in TASK_IDS]
    finally:
        direct_env.close()
    cfg = config(tmp_path, "skyrl.sqlite")
    through = [play_skyrl(cfg, DetourAgent(seed=11), t, seed=3) for t in TASK_IDS]
    assert [r for r, _, _ in through] == [d.reward for d in direct]
    assert [s for _, s, _ in through] == [d.steps for d in direct]
    assert [i["trajectory"] for _, _, i in through] == [d.info["trajectory"] for d in direct]
    assert through[0][2]["reward_details"]["items"]  # our info, rubric verdicts included, is the metadata
    assert len({round(d.reward, 3) for d in direct}) >= 3


def test_envs_of_one_config_share_the_simulator_and_store(tmp_path):
    cfg = config(tmp_path, "shared.sqlite")
    a = SynthagentSkyRLEnv(cfg, {"task_id": TASK_IDS[0]})
    b = SynthagentSkyRLEnv(cfg, {"task_id": TASK_IDS[1]})
    try:
        assert a.factory is b.factory
        assert a.env.unwrapped.simulator is b.env.unwrapped.simulator
        assert a.env.unwrapped.mapping_path == b.env.unwrapped.mapping_path == str(tmp_path / "shared.sqlite")
    finally:
        a.close()
        b.close()


def test_bad_actions_end_nothing_and_raise_nothing(tmp_path):
    env = SynthagentSkyRLEnv(config(tmp_path, "bad.sqlite"), {"task_id": TASK_IDS[0], "seed": 0})
    try:
        env.init([])
        for action in ("", "<tool_call>{oops</tool_call>", "x" * 200_000, "<tool_call>{\"name\": \"nope\"}</tool_call>"):
            out = env.step(action)
            assert out["done"] is False and out["reward"] == 0.0 and out["observations"]
    finally:
        env.close()


def test_dataset_rows_name_every_task(tmp_path):
    rows = dataset_rows(shared_factory("synthagent/ToolUse-v0", {"mapping_path": str(tmp_path / "rows.sqlite")}), seeds=(0, 1))
    assert len(rows) == 2 * len(TASK_IDS) and {r["env_class"] for r in rows} == {SKYRL_ENV_ID}
    assert {r["extra_info"]["task_id"] for r in rows} == set(TASK_IDS)
