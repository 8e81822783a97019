"""The OpenAI-compatible agent against the loopback test server: native tools=, Hermes text mode, the eval
loop with many episodes in flight, the one-command CLI, and a dead endpoint."""

import json

import gymnasium as gym
import pytest
from synthagent_agents import OpenAIAgent, agent_factory

import synthagent_env  # noqa: F401
from synthagent_env import load_tasks
from synthagent_env.cli import main as cli_main
from synthagent_env.episode import play_episode
from synthagent_env.evaluation.loop import EvalConfig, evaluate
from synthagent_env.llm import LLMHTTPError, OpenAIClient
from synthagent_env.llm import LLMTestServer
from synthagent_env.task import AnswerStep, AskUserStep, ToolCallStep
from tests.helpers import TASK

TASKS = {t.instruction: t for t in load_tasks("tooluse-v0")}


def oracle_reply(text_calls: bool):
    """A stateless server-side policy: the reference solution's next step for the task in the request."""

    def reply(body):
        messages = body["messages"]
        task = TASKS[next(m["content"] for m in messages if m["role"] == "user")]
        steps = task.reference_solution
        step = steps[min(sum(m["role"] == "assistant" for m in messages), len(steps) - 1)]
        if isinstance(step, ToolCallStep):
            call = {"name": step.tool, "arguments": step.arguments}
            return f"<tool_call>{json.dumps(call)}</tool_call>" if text_calls else {"content": "", "tool_calls": [call]}
        if isinstance(step, AskUserStep):
            return step.message
        assert isinstance(step, AnswerStep)
        return f"<answer>{step.content}</answer>"

    return reply


@pytest.fixture
def env(mapping_path):
    e = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    yield e
    e.close()


def _client(server, **kw):
    return OpenAIClient(server.url, "test-model", api_key_env=None, max_retries=1, timeout=10, **kw)


def test_native_tool_calls_solve_a_task(env):
    with LLMTestServer(oracle_reply(text_calls=False)) as server:
        client = _client(server)
        result = play_episode(env, OpenAIAgent(client, temperature=0.0), task_id=TASK)
    assert result.reward == 1.0
    first, second = server.requests[0].body, server.requests[1].body
    assert {t["function"]["name"] for t in first["tools"]} >= {"get_order", "create_return"}
    assert first["temperature"] == 0.0 and first["messages"][0]["role"] == "system"
    calls = [m for b in (r.body for r in server.requests) for m in b["messages"] if m.get("tool_calls")]
    tool_msgs = [m for r in server.requests for m in r.body["messages"] if m["role"] == "tool"]
    call_ids = {c["id"] for m in calls for c in m["tool_calls"]}
    assert calls and tool_msgs and {m["tool_call_id"] for m in tool_msgs} <= call_ids
    assert len(second["messages"]) > len(first["messages"])


def test_text_mode_speaks_hermes_without_tools(env):
    with LLMTestServer(oracle_reply(text_calls=True)) as server:
        agent = OpenAIAgent(_client(server), tool_mode="text")
        result = play_episode(env, agent, task_id=TASK)
    assert result.reward == 1.0
    for received in server.requests:
        assert "tools" not in received.body
        assert {m["role"] for m in received.body["messages"]} <= {"system", "user", "assistant"}
    assert "<tools>" in server.requests[0].body["messages"][0]["content"]
    assert any("<tool_response" in m["content"] for m in server.requests[-1].body["messages"])


def test_repeated_server_call_ids_are_made_unique(env):
    reply = {"content": "", "tool_calls": [{"id": "same", "name": "get_order", "arguments": {"order_id": "A-1"}}]}
    with LLMTestServer(script=[reply, reply]) as server:
        agent = OpenAIAgent(_client(server))
        obs, info = env.reset(options={"task_id": TASK})
        agent.reset(info)
        ids = []
        for _ in range(2):
            action = agent.act(obs, info)
            ids.append(action["tool_calls"][0]["id"])
            obs, _, _, _, info = env.step(action)
    assert ids[0] == "same" and ids[1] != "same"


def test_the_eval_loop_drives_concurrent_async_episodes(tmp_path):
    with LLMTestServer(oracle_reply(text_calls=False), latency=0.02) as server:
        factory = agent_factory("openai", model="test-model", base_url=server.url, api_key_env=None)
        config = EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, limit=3, samples=2,
                            concurrency=4, progress=False, label="served-oracle")
        s = evaluate(factory, tmp_path / "run", config, plot=False).summary
        in_flight = server.max_in_flight
    assert s["episodes"] == 6 and s["success_rate"] == 1.0 and s["agent_errors"] == 0
    assert in_flight > 1  # episodes really overlapped


def test_one_cli_command_evaluates_an_endpoint(tmp_path, capsys):
    with LLMTestServer(oracle_reply(text_calls=True)) as server:
        rc = cli_main(["eval", "--agent", "openai", "--model", "test-model", "--base-url", server.url,
                       "--tool-mode", "text", "--limit", "2", "--out", str(tmp_path / "run"), "--no-progress",
                       "--no-plot"])
    assert rc == 0
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["success_rate"] == 1.0
    assert "openai-test-model" in capsys.readouterr().out


def test_a_refusing_endpoint_is_an_agent_error_not_a_crash(tmp_path, env):
    with LLMTestServer(faults={"http_400": 1.0}) as server:
        with pytest.raises(LLMHTTPError):
            play_episode(env, OpenAIAgent(_client(server)), task_id=TASK)
        factory = agent_factory("openai", model="test-model", base_url=server.url, api_key_env=None,
                                client_options={"max_retries": 0})
        config = EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, limit=2, progress=False)
        s = evaluate(factory, tmp_path / "run", config, plot=False).summary
    assert s["agent_errors"] == s["failed"] == s["episodes"] == 2 and s["mean_reward"] == 0.0  # failures count
    record = json.loads((tmp_path / "run" / "episodes.jsonl").read_text().splitlines()[0])
    assert record["status"] == "error" and "HTTP 400" in record["error"]


def test_text_mode_keeps_tool_calls_the_server_already_parsed(env):
    """Some servers (transformers serve) parse Hermes blocks into ``tool_calls`` even when no tools were sent,
    leaving the text empty: text mode must run those calls, not drop them."""
    reply = {"content": "", "tool_calls": [{"id": "srv_1", "name": "get_order", "arguments": {"order_id": "A-48213"}}]}
    with LLMTestServer(script=[reply]) as server:
        agent = OpenAIAgent(_client(server), tool_mode="text")
        obs, info = env.reset(options={"task_id": TASK})
        agent.reset(info)
        action = agent.act(obs, info)
        assert "tools" not in server.requests[0].body
    assert action["tool_calls"][0]["function"]["name"] == "get_order"
    _, _, _, _, info = env.step(action)
    (event,) = [e for e in info["trajectory"] if e["type"] == "tool_call"]
    assert event["name"] == "get_order" and event["arguments"] == {"order_id": "A-48213"}


def test_the_cli_discovers_the_served_model(tmp_path, capsys):
    with LLMTestServer(oracle_reply(text_calls=False), model="served-model-7b") as server:
        rc = cli_main(["eval", "--agent", "openai", "--base-url", server.url, "--limit", "1",
                       "--out", str(tmp_path / "run"), "--no-progress", "--no-plot", "--api-key-env", ""])
        models = {r.body.get("model") for r in server.requests}
    assert rc == 0 and models == {"served-model-7b"}
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["success_rate"] == 1.0
