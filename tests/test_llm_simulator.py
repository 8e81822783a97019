"""The LLM mock tool and mock user, through the env and on their own, against a loopback model server."""

from __future__ import annotations

import json
import threading

import gymnasium as gym
import pytest
from synthagent_agents import OracleAgent

import synthagent_env  # noqa: F401
from synthagent_env import load_tasks
from synthagent_env.episode import play_episode
from synthagent_env.llm import OpenAIClient
from synthagent_env.llm import LLMTestServer
from synthagent_env.mapping_key import MappingEntry
from synthagent_env.simulators import make_simulator
from synthagent_env.simulators.llm import (
    CORRECTION_PREFIX,
    STOP_MARKER,
    TOOL_ROLE,
    USER_ROLE,
    LLMToolSimulator,
    LLMUserSimulator,
    llm_simulator,
)
from synthagent_env.stores import SqliteStore
from tests.world_model import ScriptedWorldModel
from helpers import MappingView

TASK_ID = "retail-damaged-blender-return"
PACK = load_tasks("tooluse-v0")
TASK = next((t for t in PACK if t.id == TASK_ID), PACK[0])
UNSEEDED = TASK.model_copy(update={"seed_mapping": []})
GET_ORDER = TASK.tools[0]


def _rubric_texts(task):
    return [item.description for _, item in task.rubric.items()]


_Mapping = MappingView


def _env(server, tmp_path, task=UNSEEDED, **kw):
    return gym.make("synthagent/ToolUse-v0", tasks=[task], simulator=server.url,
                    mapping_path=tmp_path / "mapping.sqlite", **kw)


def test_gym_make_with_an_endpoint_plays_user_and_tools(tmp_path):
    with LLMTestServer(ScriptedWorldModel()) as server:
        env = _env(server, tmp_path)
        assert env.unwrapped.simulator.name == "openai"
        result = play_episode(env, OracleAgent([UNSEEDED]), task_id=UNSEEDED.id)
        env.close()
        prompts = [r.body["messages"][0]["content"] for r in server.requests]
    assert result.info["end_reason"] == "answer" and result.info["failure"] is None
    stats = result.info["stats"]
    assert stats["simulator_calls"] == stats["tool_calls"] > 0 and stats["user_turns"] > 0
    assert sum(p.startswith(TOOL_ROLE) for p in prompts) == stats["tool_calls"]
    assert sum(p.startswith(USER_ROLE) for p in prompts) == stats["user_turns"]
    # the oracle reveals the task's facts through the LLM-played user
    assert result.info["reward_details"]["interaction_fraction"] == 1.0


def test_prompts_hold_the_world_but_never_the_rubric(tmp_path):
    with LLMTestServer(ScriptedWorldModel()) as server:
        env = _env(server, tmp_path)
        play_episode(env, OracleAgent([UNSEEDED]), task_id=UNSEEDED.id)
        env.close()
        bodies = [r.body["messages"] for r in server.requests]
    tool_prompts = [m for m in bodies if m[0]["content"].startswith(TOOL_ROLE)]
    user_prompts = [m for m in bodies if m[0]["content"].startswith(USER_ROLE)]
    last_tool = tool_prompts[-1][0]["content"]
    assert UNSEEDED.instruction in last_tool and "[0] " in last_tool  # earlier calls are in the prompt
    history = tool_prompts[-1][1]["content"]
    assert "[E1] " in history  # this episode's own calls are its history
    # what only the user knows is never shown to the tool
    assert UNSEEDED.hidden_context not in last_tool and all(f.statement not in last_tool for f in UNSEEDED.hidden_facts)
    user = user_prompts[-1]
    system = user[0]["content"]
    assert UNSEEDED.persona in system and UNSEEDED.hidden_context in system
    assert all(f.statement in system for f in UNSEEDED.hidden_facts) and STOP_MARKER in system
    roles = [m["role"] for m in user[1:]]
    assert roles[0] == "user" and all(a != b for a, b in zip(roles, roles[1:], strict=False))  # the agent speaks as "user"
    assert all(t.name not in system for t in UNSEEDED.tools)
    for messages in bodies:
        text = json.dumps(messages)
        assert not any(d in text for d in _rubric_texts(UNSEEDED))


def test_identical_calls_never_reach_the_model(tmp_path):
    with LLMTestServer(ScriptedWorldModel()) as server:
        env = _env(server, tmp_path)
        env.reset(options={"task_id": UNSEEDED.id})
        action = '<tool_call>{"name": "get_order", "arguments": {"order_id": "A-48213"}}</tool_call>'
        first = env.step(action)[0]
        second = env.step(action)[0]
        third = env.step(action.replace("A-48213", " a-48213"))[0]  # same call re-spelled: reused, no model
        info = env.step("<answer>done</answer>")[4]
        env.close()
        assert server.stats["requests"] == 1
    assert first == second == third
    sources = [e["source"] for e in info["trajectory"] if e["type"] == "tool_call"]
    assert sources == ["simulator", "mapping", "simulator"]


def test_reuse_answer_returns_the_stored_entry_exactly():
    stored = MappingEntry("get_order", {"order_id": "A-1"}, '{"order_id": "A-1", "status": "shipped"}')
    with LLMTestServer(script=["<reuse>7</reuse>", "<reuse>0</reuse>"]) as server:
        tool = LLMToolSimulator(OpenAIClient(server.url, model="m"), loose_reuse=False)
        out = tool.respond(TASK, GET_ORDER, {"order_id": "A-1 "}, _Mapping([stored]))
        assert out == stored.response and tool.stats["reuses"] == 1
        assert server.requests[1].body["messages"][-1]["content"].startswith(CORRECTION_PREFIX)  # 7 is no entry


def test_pathological_replies_are_retried_not_raised():
    stored = MappingEntry("get_order", {"order_id": "A-1"}, '{"order_id": "A-1", "status": "shipped", "items": []}')
    script = ["<reuse>\u00b2</reuse>", "<reuse>" + "9" * 5000 + "</reuse>", "<response>" + "[" * 100_000 + "</response>",
              "<reuse>0</reuse>"]
    with LLMTestServer(script=script) as server:
        tool = LLMToolSimulator(OpenAIClient(server.url, model="m"), loose_reuse=False, max_attempts=4)
        assert tool.respond(TASK, GET_ORDER, {"order_id": " a-1"}, _Mapping([stored])) == stored.response
        assert len(server.requests) == 4


def test_output_is_repaired_and_checked_against_the_schema():
    schema_tool = GET_ORDER
    assert schema_tool.output_schema is not None
    bad_schema = '<response>{"order_id": "A-1", "status": "lost-in-space", "items": []}</response>'
    sloppy = "Here you go:\n```json\n{'order_id': 'A-1', 'status': 'shipped', 'items': [],}\n```"
    with LLMTestServer(script=[bad_schema, sloppy]) as server:
        tool = LLMToolSimulator(OpenAIClient(server.url, model="m"))
        out = tool.respond(TASK, schema_tool, {"order_id": "A-1"}, _Mapping())
        correction = server.requests[1].body["messages"][-1]["content"]
    assert json.loads(out) == {"order_id": "A-1", "status": "shipped", "items": []}
    assert "output schema" in correction and "status" in correction
    free = next(t for t in TASK.tools if t.output_schema is None)
    with LLMTestServer(script=["<response>Your return is RMA-1.</response>", '{"ok": true}']) as server:
        tool = LLMToolSimulator(OpenAIClient(server.url, model="m"))
        assert tool.respond(TASK, free, {"x": 1}, _Mapping()) == "Your return is RMA-1."
        assert tool.respond(TASK, free, {"x": 2}, _Mapping()) == '{"ok": true}'


def test_long_responses_are_truncated():
    with LLMTestServer(script=["<response>" + "word " * 3000 + "</response>"]) as server:
        free = next(t for t in TASK.tools if t.output_schema is None)
        out = LLMToolSimulator(OpenAIClient(server.url, model="m")).respond(TASK, free, {}, _Mapping())
    assert len(out) == 4096 and out.endswith("[truncated]")


def test_garbage_after_retries_truncates_the_episode_with_the_reason(tmp_path):
    # replies a server delivers intact but that are no tool output: parsed, retried, then the episode ends
    with LLMTestServer(script=["I am not sure what you mean.", "```\nnope\n```", '{"order_id": ']) as server:
        env = _env(server, tmp_path)
        env.reset(options={"task_id": UNSEEDED.id})
        obs, reward, terminated, truncated, info = env.step(
            '<tool_call>{"name": "get_order", "arguments": {"order_id": "A-48213"}}</tool_call>')
        env.close()
    assert truncated and not terminated and info["end_reason"] == "simulator_failure"
    assert "unusable model output after 3 attempts" in info["failure"] and "unavailable" in obs
    with SqliteStore(tmp_path / "mapping.sqlite") as store:
        assert store.entries(UNSEEDED.id) == []  # nothing half-made was stored


def test_dead_model_server_truncates_a_user_turn(tmp_path):
    with LLMTestServer(fault_plan=["http_503"] * 3) as server:
        env = gym.make("synthagent/ToolUse-v0", tasks=[UNSEEDED], mapping_path=tmp_path / "m.sqlite",
                       simulator={"base_url": server.url, "model": "m", "max_retries": 2, "backoff": 0.001})
        env.reset(options={"task_id": UNSEEDED.id})
        _, _, terminated, truncated, info = env.step("What is your order number?")
        env.close()
    assert truncated and info["end_reason"] == "simulator_failure"
    assert "user simulator" in info["failure"] and "HTTP 503" in info["failure"]


def test_user_stops_with_the_marker_and_is_kept_short(tmp_path):
    script = ["I bought it last week. It is a blender. The jug cracked. Please hurry.",
              "Call get_order for me.", "Sure, that order.", f"Thanks, bye! {STOP_MARKER}"]
    with LLMTestServer(script=script) as server:
        env = _env(server, tmp_path)
        env.reset(options={"task_id": UNSEEDED.id})
        first = env.step("When did you buy it?")[0]
        second = env.step("Which order?")[0]
        _, _, terminated, _, info = env.step("All done, goodbye!")
        env.close()
        retried = server.requests[2].body["messages"][-1]["content"]
    assert first == "User: I bought it last week. It is a blender."  # two sentences at most
    assert second == "User: Sure, that order." and retried.startswith(CORRECTION_PREFIX)  # tool name rejected
    assert terminated and info["end_reason"] == "user_stop"
    assert info["messages"][-1]["content"] == "Thanks, bye!"


def test_group_of_identical_calls_shares_one_model_request():
    with LLMTestServer(ScriptedWorldModel(), latency=0.2) as server:
        tool = LLMToolSimulator(OpenAIClient(server.url, model="m"))
        outs: list[str] = []
        threads = [threading.Thread(target=lambda: outs.append(tool.respond(
            UNSEEDED, GET_ORDER, {"order_id": "A-9"}, _Mapping()))) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert server.stats["requests"] == 1 and len(set(outs)) == 1 and len(outs) == 8


def test_backend_selection_is_one_argument(tmp_path):
    assert make_simulator().name == make_simulator("offline").name == "offline"
    assert make_simulator("http://127.0.0.1:9/v1").name == "openai"
    spec = json.dumps({"backend": "openai", "base_url": "http://127.0.0.1:9", "model": "x",
                       "tool": {"max_attempts": 5}})
    sim = make_simulator(spec)
    assert sim.tool.max_attempts == 5 and sim.tool.client.chat and sim.name == "openai"
    client = OpenAIClient("http://127.0.0.1:9", model="x")
    shared = make_simulator({"backend": "llm", "client": client})
    assert isinstance(shared.tool, LLMToolSimulator) and isinstance(shared.user, LLMUserSimulator)
    shared.close()
    assert not client._closed  # a client handed in stays the caller's
    owned = llm_simulator("http://127.0.0.1:9/v1", model="x")
    owned.close()
    with pytest.raises(ValueError):
        make_simulator("no-such-backend")
    with pytest.raises(ValueError):
        make_simulator("{not json")
    with pytest.raises(TypeError):
        make_simulator(42)
