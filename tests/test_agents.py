"""The agent protocol, message conversions, the random and do-nothing agents, and agents by name."""

import asyncio
import json
import random
import re

import gymnasium as gym
import pytest
from jsonschema import Draft202012Validator
from synthagent_agents import (
    BaseAgent,
    DoNothingAgent,
    OracleAgent,
    RandomAgent,
    act_async,
    agent_factory,
)

import synthagent_env  # noqa: F401
from synthagent_env import load_tasks
from synthagent_env.chat_messages import (
    action_from_text,
    to_openai_messages,
    to_template_messages,
    to_text_messages,
)
from synthagent_env.episode import play_episode
from synthagent_env.parsing import parse_action
from synthagent_env.schema_sampling import random_arguments, string_for_pattern
from tests.helpers import TASK, call


@pytest.fixture
def env(mapping_path):
    e = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    yield e
    e.close()


def _after_two_turns(env):
    """The env's messages after a Hermes text call and an OpenAI-dict call."""
    env.reset(options={"task_id": TASK})
    env.step("Let me check. " + call("get_order", order_id="A-48213"))
    dict_call = {"id": "x1", "type": "function", "function": {"name": "get_order", "arguments": '{"order_id": "B-1"}'}}
    _, _, _, _, info = env.step({"content": None, "tool_calls": [dict_call]})
    return info


@pytest.mark.parametrize("name, options", [("oracle", {}), ("random", {"seed": 3}), ("noop", {})])
def test_every_built_in_agent_by_name_plays_an_episode(env, name, options):
    """Each name builds a factory whose agents play a whole episode with actions the env can parse."""
    factory = agent_factory(name, **options)
    result = play_episode(env, factory(), task_id=TASK, seed=5)
    stats = result.info["stats"]
    assert result.terminated or result.truncated
    assert stats["format_errors"] == 0 and stats["tool_errors"] == 0, stats
    expected = {"oracle": 1.0, "noop": 0.0}
    if name in expected:
        assert result.reward == expected[name]
    if name == "noop":
        assert result.info["turn"] == 1


def test_openai_messages_carry_each_call_once(env):
    info = _after_two_turns(env)
    msgs = to_openai_messages(info["messages"])
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "tool", "assistant", "tool"]
    assert msgs[2]["content"] == "Let me check." and "<tool_call>" not in msgs[2]["content"]
    assert msgs[2]["tool_calls"][0]["function"] == {"name": "get_order", "arguments": '{"order_id": "A-48213"}'}
    assert msgs[3]["tool_call_id"] == msgs[2]["tool_calls"][0]["id"] and msgs[5]["tool_call_id"] == "x1"
    assert msgs[4]["content"] is None
    template = to_template_messages(info["messages"])
    assert template[2]["tool_calls"][0]["function"]["arguments"] == {"order_id": "A-48213"}
    assert template[5] == {"role": "tool", "content": msgs[5]["content"]}


def test_text_messages_are_plain_alternating_turns(env):
    info = _after_two_turns(env)
    msgs = to_text_messages(info["messages"], info["tools"])
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert "<tools>" in msgs[0]["content"] and '"name": "create_return"' in msgs[0]["content"]
    assert msgs[2]["content"].count("<tool_call>") == 1 and msgs[2]["content"].startswith("Let me check.")
    assert msgs[3]["content"].startswith('<tool_response name="get_order">')


@pytest.mark.parametrize("text, name, args", [
    ('<think>hmm</think>ok <tool_call>{"name": "a", "arguments": {"x": 1}}</tool_call>', "a", {"x": 1}),
    ('```json\n{"name": "b", "arguments": {}}\n```', "b", {}),
    ('<tool_call>{"name": "c", "arguments": "{\\"y\\": 2}"}</tool_call><answer>done</answer>', "c", {"y": 2}),
])
def test_action_from_text_turns_calls_into_openai_tool_calls(text, name, args):
    action = action_from_text(text, "call_3")
    assert isinstance(action, dict) and "<think>" not in action["content"]
    (tool_call,) = action["tool_calls"]
    assert tool_call["id"] == "call_3_0" and tool_call["function"]["name"] == name
    assert json.loads(tool_call["function"]["arguments"]) == args
    assert ("<answer>done</answer>" in action["content"]) == ("<answer>" in text)


def test_action_from_text_leaves_malformed_calls_and_plain_text_to_the_env():
    bad = '<tool_call>{"name": "a", "arguments": {oops}</tool_call>'
    assert action_from_text(bad, "c") == bad
    assert action_from_text("What is your order number?", "c") == "What is your order number?"


def test_random_agent_uses_valid_arguments_and_all_three_moves(env):
    obs, info = env.reset(options={"task_id": TASK})
    schemas = {t["function"]["name"]: t["function"]["parameters"] for t in info["tools"]}
    agent, kinds = RandomAgent(seed=1), set()
    agent.reset({**info, "episode_seed": 5})
    for _ in range(60):
        action = agent.act(obs, info)
        parsed = parse_action(action)
        for c in parsed.tool_calls:
            assert c.error is None and not list(Draft202012Validator(schemas[c.name]).iter_errors(c.arguments))
        kinds.add("tool" if parsed.tool_calls else "answer" if parsed.answer is not None else "message")
    assert kinds == {"tool", "message", "answer"}


def test_random_arguments_pass_every_tool_schema_in_the_pack():
    rng = random.Random(0)
    for task in load_tasks("tooluse-v0"):
        for tool in task.tools:
            validator = Draft202012Validator(tool.parameters)
            for _ in range(3):
                assert validator.is_valid(random_arguments(tool.parameters, rng, tool.name)), tool.name


@pytest.mark.parametrize("pattern", [
    r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$", r"^(LV|TR)-\d+$", r"[^abc]x?", r"^(?:foo|bar)+\.txt$",
    r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$", r"^(?>ab)c\s\w*$",
])
def test_strings_drawn_for_a_pattern_match_it(pattern):
    rng = random.Random(1)
    assert all(re.search(pattern, string_for_pattern(pattern, rng)) for _ in range(20))


def test_random_agent_replays_an_episode_from_its_seed(mapping_path):
    def rollout(seed, episode_seed):
        env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
        agent = RandomAgent(seed=seed)
        obs, info = env.reset(seed=3, options={"task_id": TASK})  # the env's tool order is seeded too
        agent.reset({**info, "episode_seed": episode_seed})
        actions = [agent.act(obs, info) for _ in range(8)]
        env.close()
        return actions

    assert rollout(4, 1) == rollout(4, 1)
    assert rollout(4, 1) != rollout(4, 2)


def test_do_nothing_agent_ends_the_episode_at_once(env):
    result = play_episode(env, DoNothingAgent(), task_id=TASK)
    assert result.info["turn"] == 1 and result.info["end_reason"] == "answer" and result.reward == 0.0


class Echo:
    """A third-party agent: no base class, just the protocol (and an async ``aact``)."""

    def __init__(self, word="hi"):
        self.word = word

    def reset(self, info):
        pass

    def act(self, observation, info):
        return self.word

    async def aact(self, observation, info):
        return self.word.upper()


def test_act_async_prefers_a_coroutine_aact_and_runs_act_otherwise():
    class SyncOnly:
        def act(self, observation, info):
            return "sync"

    assert asyncio.run(act_async(Echo(), "", {})) == "HI"
    assert asyncio.run(act_async(SyncOnly(), "", {})) == "sync"

    class Sub(BaseAgent):
        def act(self, observation, info):
            return "base"

    assert asyncio.run(Sub().aact("", {})) == "base"


def test_agents_by_name_and_by_import_path():
    assert isinstance(agent_factory("oracle")(), OracleAgent)
    assert isinstance(agent_factory("random", seed=2)(), RandomAgent)
    assert isinstance(agent_factory("noop")(), DoNothingAgent)
    made = agent_factory("tests.test_agents:Echo", word="yo")
    assert made() is not made() and made().act("", {}) == "yo"
    with pytest.raises(ValueError, match="unknown agent"):
        agent_factory("nonsense")
