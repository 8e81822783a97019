"""The trainer's rollout with env workers on a real two-node Ray cluster (conftest's ``ray_cluster``) and a real
Redis mapping: the policy generates here, env steps, simulator calls and scoring run in the actors."""

from __future__ import annotations

import functools
import json
import os
import signal
import threading
import time

import pytest

pytest.importorskip("trl")

import gymnasium as gym
from ray_cluster import ray
from synthagent_training.chat_format import ChatFormat
from synthagent_training.rollout import RolloutRunner

import synthagent_env  # noqa: F401
from synthagent_env import store_pool
from synthagent_env.llm import LLMTestServer
from synthagent_env.ray_pool import RayEnvPool, RemoteEnv
from synthagent_env.testing import build_tiny_model, tool_choice_tasks
from tests.helpers import ScriptedGenerator
from tests.redis_server import RedisServer
from tests.world_model import ScriptedWorldModel

TASKS = tool_choice_tasks()
TASK_IDS = [t.id for t in TASKS]


def call(name: str) -> str:
    return f'<tool_call>\n{json.dumps({"name": name, "arguments": {}})}\n</tool_call>'


def asks_first(context: str) -> str:
    """A question to the user on turn 1 (a call to the user simulator), then as ``by_instruction``."""
    if context.count("<|im_start|>assistant") == 1:
        return "Before I start: which city are you in?"
    return by_instruction(context)


def by_instruction(context: str) -> str:
    """Right tool on turn 1, then answer; except for the joke task, which calls the wrong tool."""
    if "<tool_response>" in context:
        return "<answer>done</answer>"
    task = next(t for t in TASKS if t.instruction in context)
    return call("get_weather" if task.id == "choose-get-joke" else task.rubric.sub_goals[0].check.tool)


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(build_tiny_model())


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


def _tokens(episodes):
    return [(e.task_id, e.prompt_ids, e.completion_ids, e.env_mask, e.reward, e.end_reason) for e in episodes]


def test_rollout_on_ray_equals_the_local_rollout(ray_cluster, tokenizer, redis_url, tmp_path):
    chat = ChatFormat(tokenizer)
    ids = [t for t in TASK_IDS for _ in range(3)]  # groups of 3 samples, spread over both actors
    local = RolloutRunner(functools.partial(gym.make, "synthagent/ToolUse-v0", tasks=TASKS, max_turns=3,
                                            mapping_path=str(tmp_path / "m.sqlite")), chat)
    pool = RayEnvPool("synthagent/ToolUse-v0", {"tasks": TASKS, "max_turns": 3, "mapping_path": redis_url},
                      num_workers=2)
    remote = RolloutRunner(pool.make_env, chat)
    try:
        want = local.play(ids, ScriptedGenerator(tokenizer, by_instruction), seed=0)
        got = remote.play(ids, ScriptedGenerator(tokenizer, by_instruction), seed=0)
        assert _tokens(got) == _tokens(want)
        assert {e.task_id: e.reward for e in got} == {i: (0.0 if i == "choose-get-joke" else 1.0) for i in TASK_IDS}
        assert all(e.state.failure is None for e in got)
        # the episodes ran in actors on both nodes, and their tool calls are in the Redis mapping
        assert len(set(pool.nodes())) == 2
        assert {e.worker for e in remote._envs} == set(pool.workers)
        store = store_pool.open_store(redis_url)
        try:
            stored = {e.tool for t in TASK_IDS for e in store.entries(t)}
        finally:
            store.close()
        assert {"get_news", "get_weather"} <= stored
        again = remote.play(ids, ScriptedGenerator(tokenizer, by_instruction), seed=0)  # slots are reused
        assert _tokens(again) == _tokens(want)
    finally:
        local.close()
        remote.close()
        pool.close()


class KillingGenerator(ScriptedGenerator):
    """Before its second turn, SIGKILLs the process of one actor (Ray restarts the actor, empty) and stops one
    simulator server."""

    def __init__(self, tokenizer, reply, pid: int, server):
        super().__init__(tokenizer, reply)
        self.pid, self.server = pid, server

    def generate(self, prompts, max_new_tokens):
        if len(self.batch_sizes) == 1:
            self.server.stop()
            os.kill(self.pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        return super().generate(prompts, max_new_tokens)


def test_a_killed_actor_and_server_end_its_episodes_with_a_reason_and_the_batch_completes(
        ray_cluster, tokenizer, redis_url):
    """Redis mapping, the LLM simulator on a pool of two loopback servers; one actor and one server die."""
    with LLMTestServer(ScriptedWorldModel(), latency=0.05) as a, LLMTestServer(ScriptedWorldModel(), latency=0.05) as b:
        simulator = {"backend": "openai", "base_url": [a.url, b.url], "model": "test-model"}
        fresh = redis_url.rsplit("/", 1)[0] + "/1"  # a mapping of its own: every call goes to the servers
        pool = RayEnvPool("synthagent/ToolUse-v0", {"tasks": TASKS, "max_turns": 4, "mapping_path": fresh,
                                                    "simulator": simulator}, num_workers=2)
        runner = RolloutRunner(pool.make_env, ChatFormat(tokenizer))
        try:
            ids = [t for t in TASK_IDS for _ in range(2)]
            victim = pool.workers[0]
            pid = ray.get(victim.pid.remote())
            episodes = runner.play(ids, KillingGenerator(tokenizer, asks_first, pid, a), seed=1)
            assert [e.task_id for e in episodes] == ids  # every episode is accounted for, in order
            lost = [e for env, e in zip(runner._envs, episodes) if env.worker == victim]
            kept = [e for env, e in zip(runner._envs, episodes) if env.worker != victim]
            assert lost and kept
            for e in lost:
                assert e.end_reason == "worker_lost" and e.reward == 0.0
                assert e.state.failure.kind == "worker" and e.summary()["failed"] == "worker"
                assert set(e.env_mask) == {0}  # nothing of a lost episode is trained on
            assert all(e.state.failure is None for e in kept), [e.state.failure for e in kept]
            assert {e.task_id: e.reward for e in kept} == {
                e.task_id: 0.0 if e.task_id == "choose-get-joke" else 1.0 for e in kept}
            assert a.stats["requests"] and b.stats["requests"]  # both servers played the user
            served = b.stats["requests"]
            # the restarted actor serves the next batch in full, on the server left
            again = runner.play(ids, ScriptedGenerator(tokenizer, asks_first), seed=2)
            assert b.stats["requests"] >= served + len(ids)
            assert all(e.state.failure is None for e in again), [e.state.failure for e in again]
            assert ray.get(victim.pid.remote()) != pid
        finally:
            runner.close()
            pool.close()


def test_live_episodes_step_at_once_not_one_after_another(ray_cluster, tokenizer):
    """8 episodes whose every step waits 0.5 s in its actor: a turn takes ~0.5 s, not 4 s."""
    pool = RayEnvPool("synthagent/ToolUse-v0", {"tasks": TASKS, "max_turns": 3}, num_workers=2,
                      episodes_per_worker=4)
    runner = RolloutRunner(pool.make_env, ChatFormat(tokenizer))
    try:
        runner.play(TASK_IDS[:1], ScriptedGenerator(tokenizer, by_instruction), seed=0)  # make the actors' envs

        class Slow(RemoteEnv):
            def step(self, action):
                time.sleep(0.5)
                return super().step(action)

        starts: list[float] = []
        lock = threading.Lock()

        class Timed(Slow):
            def step(self, action):
                with lock:
                    starts.append(time.monotonic())
                return super().step(action)

        runner._envs = [Timed(env.worker, env.key) for env in runner._envs]
        while len(runner._envs) < 8:
            env = pool.make_env()
            runner._envs.append(Timed(env.worker, env.key))
        runner.play([TASK_IDS[0]] * 8, ScriptedGenerator(tokenizer, by_instruction), seed=0)
        assert len(starts) == 16  # two turns of 8 episodes
        first_turn = sorted(starts)[:8]
        assert first_turn[-1] - first_turn[0] < 0.4  # all 8 steps were in flight together
    finally:
        runner.close()
        pool.close()


def test_train_steps_its_episodes_on_the_ray_cluster(ray_cluster, tmp_path, redis_url):
    from synthagent_training.options import TrainOptions
    from synthagent_training.trainer import build_trainer

    options = TrainOptions(model=str(build_tiny_model()), output_dir=str(tmp_path / "run"), group_size=2,
                           max_steps=1, max_completion_tokens=96, max_turn_tokens=32, max_turns=2,
                           mapping_path=redis_url, ray=True, ray_workers=2, save_steps=0)
    trainer = build_trainer(options)
    runner = trainer.rollout_func.runner
    trainer.train()
    assert [h for h in trainer.state.log_history if "reward" in h]
    assert runner._envs and all(isinstance(env, RemoteEnv) for env in runner._envs)
    for env in runner._envs:  # the run's env actors were closed when training ended
        with pytest.raises(ray.exceptions.RayActorError):
            ray.get(env.worker.pid.remote(), timeout=30)


def test_train_cli_ray_flags_reach_the_options():
    from synthagent_training.cli import options_from_args

    from synthagent_env.cli import build_parser

    options = options_from_args(build_parser().parse_args(["train", "--model", "m"]))
    assert (options.ray, options.ray_address, options.ray_workers) == (False, None, 2)
    options = options_from_args(build_parser().parse_args(["train", "--model", "m", "--ray", "--ray-workers", "3"]))
    assert (options.ray, options.ray_address, options.ray_workers) == (True, None, 3)
    options = options_from_args(build_parser().parse_args(["train", "--model", "m", "--ray-address", "10.0.0.1:6379"]))
    assert (options.ray, options.ray_address) == (True, "10.0.0.1:6379")  # an address implies --ray
