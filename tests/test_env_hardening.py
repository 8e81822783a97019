"""Attacks on the env loop through the public gym API (issue 11): each one used to pay or break something."""

import json
import pickle
import random
import string
import time

import gymnasium as gym
import pytest

import synthagent_env  # noqa: F401
from synthagent_env.simulators import Simulator, make_simulator
from synthagent_env.simulators.offline import OfflineUserSimulator

from helpers import TASK, RandomTool, call
from redis_server import redis_server, redis_url  # noqa: F401


@pytest.fixture
def env(mapping_path):
    e = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    yield e
    e.close()


class _Explodes:
    def __str__(self):
        raise RuntimeError("boom")

    __repr__ = __str__


class _BadDict(dict):
    def get(self, *args):
        raise RuntimeError("dict.get exploded")


def _fuzz_actions(rng: random.Random, n: int):
    atoms = [None, 0, -1, 10 ** 5000, 1.5, float("nan"), "", "x" * 50, [], {}, set(), b"bytes", _Explodes(),
             "\ud800", {"a": {"b": [1, 2, {"c": None}]}}, "<tool_call>", "</answer>"]
    for _ in range(n):
        kind = rng.randrange(6)
        if kind == 0:
            yield rng.choice(atoms)
        elif kind == 1:
            yield {"content": rng.choice(atoms), "tool_calls": rng.choice([None, [], "x", [rng.choice(atoms)]])}
        elif kind == 2:
            yield {"content": None, "tool_calls": [{"id": rng.choice(atoms), "function": {
                "name": rng.choice(["get_order", "nope", rng.choice(atoms)]), "arguments": rng.choice(atoms)}}]}
        elif kind == 3:
            yield "".join(rng.choice(string.printable + "{}<>\"ü中") for _ in range(rng.randrange(200)))
        elif kind == 4:
            yield "<tool_call>" + "[" * rng.randrange(1, 5000) + "</tool_call>"
        else:
            yield _BadDict(content="hi")


def test_fuzzed_actions_of_any_type_never_raise(env):
    """Finding 10: an int over 4,300 digits as content and objects whose __str__ raises reached the caller."""
    rng = random.Random(0)
    env.reset(options={"task_id": TASK})
    for action in _fuzz_actions(rng, 600):
        obs, reward, term, trunc, info = env.step(action)
        assert isinstance(obs, str) and isinstance(info, dict)
        if term or trunc:
            env.reset(options={"task_id": TASK})
    obs, *_ = env.step({"content": 10 ** 5000})
    assert "'content' must be a string or null, not int" in obs


def test_huge_actions_are_refused_unparsed_and_fast(env):
    """Finding 5: 10 MB actions and deeply nested JSON in plain text took 1-5 s per step."""
    env.reset(options={"task_id": TASK})
    for action in ["a" * 10_000_000, "{" * 5_000_000, {"content": "hi", "tool_calls": [
            {"function": {"name": "get_order", "arguments": "[" * 5_000_000}}]}]:
        start = time.perf_counter()
        obs, _, term, trunc, info = env.step(action)
        assert time.perf_counter() - start < 0.5
        assert "at most 100,000" in obs and info["stats"]["format_errors"] >= 1
        assert len(info["messages"][-2]["content"]) < 100  # the transcript does not keep the 10 MB either


def test_oversized_call_arguments_are_neither_stored_nor_simulated(mapping_path):
    """Finding 5: one call with a 5 MB argument was stored forever and bloated every later simulator prompt."""
    seen = []

    class Recording(RandomTool):
        def respond(self, task, tool, arguments, mapping):
            seen.append(arguments)
            return super().respond(task, tool, arguments, mapping)

    sim = Simulator(tool=Recording(), user=OfflineUserSimulator())
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=sim)
    env.reset(options={"task_id": TASK})
    obs, *_, info = env.step(call("get_order", order_id="Z" * 50_000))
    event = info["trajectory"][-1]
    assert event["error_kind"] == "arguments_too_large" and "at most 16,000" in obs
    assert seen == []
    env.close()
    from synthagent_env import store_pool

    store = store_pool.acquire(mapping_path)
    try:
        assert all(len(json.dumps(e.arguments)) < 16_000 for e in store.entries(TASK))
    finally:
        store_pool.release(store)


def test_tool_order_is_shuffled_per_episode_and_seeded(mapping_path):
    """Finding 2: distractor tools were always listed last."""
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    orders = {tuple(t["function"]["name"] for t in env.reset(seed=s, options={"task_id": TASK})[1]["tools"])
              for s in range(12)}
    first = [t["function"]["name"] for t in env.reset(seed=3, options={"task_id": TASK})[1]["tools"]]
    again = [t["function"]["name"] for t in env.reset(seed=3, options={"task_id": TASK})[1]["tools"]]
    assert len(orders) > 3 and again == first
    task = next(t for t in env.unwrapped.tasks if t.id == TASK)
    distractor = next(t.name for t in task.tools if t.distractor)
    assert len({order.index(distractor) for order in orders}) > 1
    env.close()


def test_shared_memory_async_vector_env_returns_the_right_strings(mapping_path):
    """Finding 11: the default AsyncVectorEnv turned every observation into 2,000,000 'a's."""
    sim = Simulator(tool=RandomTool(), user=OfflineUserSimulator())
    envs = gym.make_vec("synthagent/ToolUse-v0", num_envs=2, vectorization_mode="async",
                        mapping_path=str(mapping_path), simulator=sim)
    obs, _ = envs.reset(options={"task_id": TASK})
    assert all(o.startswith("You are an assistant") and len(o) < 20_000 for o in obs)
    obs, *_ = envs.step(["What is the order number? ü中😀", call("get_order", order_id="SHM-1")])
    assert obs[0] == "User: The order number is A-48213." and '"token"' in obs[1]
    obs2, *_ = envs.step(["Thanks, goodbye", "Which item?"])
    assert obs2[0] == "User: Thanks, bye!" and obs[0] == "User: The order number is A-48213."  # a copy, not a view
    envs.close()


def test_envs_pickle_mid_episode_and_continue_identically(mapping_path):
    """Finding 12: envs could not be pickled mid-episode (a thread lock of the store)."""
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path).unwrapped
    env.reset(seed=1, options={"task_id": TASK})
    env.step("What is the order number?")
    env.step(call("get_order", order_id="A-48213"))
    clone = pickle.loads(pickle.dumps(env))
    for action in [call("get_order", order_id="A-48213"), "<answer>done</answer>"]:
        a, b = env.step(action), clone.step(action)
        assert a[:4] == b[:4]
        assert a[4]["trajectory"] == b[4]["trajectory"]
    env.close()
    clone.close()


def test_closing_an_env_leaves_a_shared_simulator_open(mapping_path):
    """Finding 7: env.close() closed a simulator passed to several envs; later episodes failed."""
    closed = []

    class ClosableTool(RandomTool):
        def close(self):
            closed.append(True)

    shared = Simulator(tool=ClosableTool(), user=OfflineUserSimulator())
    first = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=shared)
    second = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=shared)
    first.reset(options={"task_id": TASK})
    first.close()
    assert closed == []
    second.reset(options={"task_id": TASK})
    obs, *_, info = second.step(call("get_order", order_id="AFTER-CLOSE"))
    assert info["trajectory"][-1]["status"] == "ok"
    second.close()
    own = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator="offline")
    own.close()  # built from a spec: the env's own, closed with it (nothing to assert beyond not raising)


def test_error_responses_are_failed_calls_that_earn_nothing(mapping_path):
    """Issue 17 finding 6: a simulated {"error": ...} response counted as a successful call."""

    class Refusing:
        def respond(self, task, tool, arguments, mapping):
            return json.dumps({"error": "order not found"})

    sim = Simulator(tool=Refusing(), user=OfflineUserSimulator())
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=sim)
    env.reset(options={"task_id": TASK})
    _, _, _, _, info = env.step(call("get_order", order_id="NOPE-1"))
    event = info["trajectory"][-1]
    assert (event["status"], event["error_kind"]) == ("error", "tool_error")
    assert info["stats"]["tool_errors"] == 1 and "order not found" in info["messages"][-1]["content"]
    env.close()


def test_time_limit_wrapper_truncation_is_scored(mapping_path):
    """Issue 15 item 8: a TimeLimit truncation left the episode unscored.

    gymnasium keeps ``max_episode_steps`` from the env (even for a registered id), so the env's own limit is
    ``max_turns`` (scored), and a loop that sees a wrapper's truncation scores it with ``end_episode``.
    """
    wrapped = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, max_episode_steps=1)
    wrapped.reset(options={"task_id": TASK})
    *_, trunc, info = wrapped.step("What is the order number?")
    assert trunc and "reward_details" not in info
    *_, info = wrapped.unwrapped.end_episode("time_limit")
    assert info["end_reason"] == "time_limit" and info["reward_details"]["items"]
    wrapped.close()


def test_end_episode_is_the_public_way_to_stop_and_score(env):
    env.reset(options={"task_id": TASK})
    env.step("What is the order number?")
    obs, reward, term, trunc, info = env.unwrapped.end_episode("token_budget")
    assert trunc and not term and info["end_reason"] == "token_budget" and "reward_details" in info
    obs, reward, *_ , info = env.step("hello?")
    assert reward == 0.0 and info["error"].startswith("the episode has ended")


def test_messages_are_a_function_of_the_event_log(env):
    """Issue 12 finding 4, and a mutation no test caught: hidden_context leaking into info["messages"]."""
    from synthagent_env.episode_record import messages_of

    _, info = env.reset(options={"task_id": TASK})
    task = env.unwrapped.task
    for action in ["What is the order number?", call("get_order", order_id="A-48213"), "<tool_call>{bad",
                   "<answer>ok</answer>"]:
        *_, info = env.step(action)
    derived = info["messages"][:2] + [m for e in info["trajectory"] for m in messages_of(e)]
    assert derived == info["messages"]
    everything = json.dumps(info["messages"], ensure_ascii=False)
    assert task.hidden_context and task.hidden_context not in everything
    for fact in task.hidden_facts:
        if fact.statement not in [e.get("reply") for e in info["trajectory"] if e["type"] == "user"]:
            assert fact.statement not in everything


def test_a_store_that_fails_at_reset_ends_the_first_step_with_a_reason(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path).unwrapped

    from synthagent_env.stores import MappingStoreError

    def broken(task):
        raise MappingStoreError("the mapping file stayed locked for 10 s")

    env._prepare = broken
    obs, info = env.reset(options={"task_id": TASK})
    assert "locked" in info["failure"]
    obs, reward, term, trunc, info = env.step("hello")
    assert trunc and info["end_reason"] == "store_failure" and reward == 0.0
    env.close()


def test_a_simulator_built_from_a_spec_is_rebuilt_after_pickling(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator="offline").unwrapped
    clone = pickle.loads(pickle.dumps(env))
    assert clone.simulator is not env.simulator and clone.simulator.name == make_simulator("offline").name
    env.close()
    clone.close()


def test_a_redis_mapping_that_goes_away_ends_the_episode_and_comes_back(redis_server, redis_url):
    """Issue 13: a Redis that goes away mid-run: a clear error, the episode ends with a reason, then reconnects."""
    sim = Simulator(tool=RandomTool(), user=OfflineUserSimulator())
    env = gym.make("synthagent/ToolUse-v0", mapping_path=redis_url, simulator=sim)
    env.reset(options={"task_id": TASK})
    assert env.step(call("get_order", order_id="A-48213"))[4]["trajectory"][-1]["source"] == "mapping"
    redis_server.stop()
    *_, trunc, info = env.step(call("get_order", order_id="NEW-1"))
    assert trunc and info["end_reason"] == "store_failure" and str(redis_server.port) in info["failure"]
    redis_server.start()
    env.reset(options={"task_id": TASK})
    *_, info = env.step(call("get_order", order_id="NEW-1"))
    assert info["trajectory"][-1]["status"] == "ok"
    env.close()


def test_user_signals_name_the_ending_and_debug_prompts_show_what_the_models_were_told(mapping_path):
    from synthagent_env.simulators import UserReply

    class Transferring:
        last_prompt = [{"role": "system", "content": "you are the user"}]

        def reply(self, task, conversation):
            return UserReply("Please transfer me to a human.", stop=True, signal="transfer")

    class PromptedTool(RandomTool):
        last_prompt = [{"role": "system", "content": "you are the tool"}]

    sim = Simulator(tool=PromptedTool(), user=Transferring())
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=sim, debug_prompts=True)
    env.reset(options={"task_id": TASK})
    *_, info = env.step(call("get_order", order_id="DEBUG-1"))
    assert info["trajectory"][-1]["simulator_prompt"][0]["content"] == "you are the tool"
    _, _, term, _, info = env.step("Can you tell me your order number?")
    assert term and info["end_reason"] == "user_transfer"
    assert info["trajectory"][-1]["simulator_prompt"][0]["content"] == "you are the user"
    assert "judge_prompt" in info["reward_details"]
    env.close()
