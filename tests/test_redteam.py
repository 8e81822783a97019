"""Outside red team, round 2: attacks on the public surfaces that the round-1 tests did not cover.

Each test performs one attack through the public API and asserts that it does not pay (or does not break the
env). Every test here failed before its fix.
"""

from __future__ import annotations

import json

import gymnasium as gym
import pytest

import synthagent_env  # noqa: F401
from benchmarks.laundering import LaunderViaToolEcho, LaunderViaUserEcho, echoing_user_simulator
from synthagent_env import load_tasks
from synthagent_env.episode import play_episode
from synthagent_env.parsing import hermes_block, parse_text
from synthagent_env.simulators.base import Simulator

PACK = load_tasks("tooluse-v0")
TASKS = {t.id: t for t in PACK}
CEILING = 0.05
LOAN = "banking-car-loan-offer-choice"


def _make(mapping_path, **kwargs):
    return gym.make("synthagent/ToolUse-v0", mapping_path=str(mapping_path), **kwargs)


# ---- 1. a memorised confirmation id laundered through a tool that echoes its arguments ----


def _launder_and_answer(env, task, seed=0):
    """Put the answer's values in a tool's arguments (the offline tool echoes a request it has no schema for),
    then answer them: the values were "observed" without the agent ever doing the task."""
    result = play_episode(env, LaunderViaToolEcho(PACK), task_id=task.id, seed=seed)
    return result.reward, result.info


def test_a_value_the_agent_put_in_a_call_is_not_observed_from_its_echo(tmp_path):
    env = _make(tmp_path / "m.sqlite")
    reward, info = _launder_and_answer(env, TASKS[LOAN])
    assert info["end_reason"] == "answer"
    echoed = [e for e in info["trajectory"] if e["type"] == "tool_call" and e["status"] == "ok"]
    assert echoed and "LAP-559207" in echoed[-1]["response"]  # the attack did launder the id
    told = next(i for i in info["reward_details"]["items"] if i["id"] == "told_application_id")
    assert told["passed"] is False
    assert reward == 0.0


def test_laundering_answers_through_echoes_pays_nothing_on_any_bundled_task(tmp_path):
    over = {}
    for task in PACK:
        env = _make(tmp_path / "m.sqlite")
        reward, _ = _launder_and_answer(env, task)
        env.close()
        if reward > CEILING:
            over[task.id] = reward
    assert over == {}


def test_a_value_the_agent_said_to_the_user_is_not_observed_from_the_users_echo(tmp_path):
    env = _make(tmp_path / "m.sqlite", simulator=echoing_user_simulator())
    result = play_episode(env, LaunderViaUserEcho(PACK), task_id=LOAN, seed=0)
    reward, info = result.reward, result.info
    said = next(e for e in info["trajectory"] if e["type"] == "user")
    assert "LAP-559207" in said["message"] and "LAP-559207" in said["reply"]  # the user did echo the id
    told = next(i for i in info["reward_details"]["items"] if i["id"] == "told_application_id")
    assert told["passed"] is False and reward == 0.0


# ---- 2. the OpenEnv server: a malformed WebSocket message must not end the session (and its episode) ----


@pytest.fixture(scope="module")
def openenv_url(tmp_path_factory):
    from synthagent_env.adapters.openenv_server import server_process

    mapping = tmp_path_factory.mktemp("openenv") / "m.sqlite"
    with server_process(env_kwargs={"mapping_path": str(mapping)}, max_sessions=4) as url:
        yield url


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("bad", [
    "[1, 2]",  # JSON, but not an object
    '"step"',
    b"\xff\xfe not UTF-8",  # a binary frame (one holding UTF-8 JSON is read as text)
    '{"type": "step", "data": {"content": "", "tool_calls": [{"function": {"name": "x", "arguments": ' + DEEP + "}}]}}",
    '{"type": "step", "data": {"content": "", "tool_calls": [{"function": {"name": "x", "arguments": {"a": '
    + "9" * 5000 + "}}}]}}",  # an integer Python refuses to read
], ids=["array", "string", "binary", "deep", "bigint"])
def test_a_malformed_websocket_message_is_an_error_and_the_episode_goes_on(openenv_url, bad):
    from websockets.sync.client import connect

    with connect(openenv_url.replace("http://", "ws://") + "/ws", max_size=None) as ws:
        ws.send(json.dumps({"type": "reset", "data": {"task_id": LOAN, "seed": 0}}))
        episode = json.loads(ws.recv(timeout=30))["data"]["observation"]["info"]["task_id"]
        ws.send(json.dumps({"type": "step", "data": {"content": "How much do you need to borrow?"}}))
        assert json.loads(ws.recv(timeout=30))["type"] == "observation"
        ws.send(bad)
        reply = json.loads(ws.recv(timeout=30))
        assert reply["type"] == "error" and reply["data"]["code"] == "INVALID_JSON", reply
        ws.send(json.dumps({"type": "state"}))
        state = json.loads(ws.recv(timeout=30))
        assert state["type"] == "state" and state["data"]["task_id"] == episode and state["data"]["step_count"] == 1


def test_a_session_freed_for_idling_cannot_go_on_past_the_session_bound(tmp_path):
    """openenv-core's reaper closes an idle session's env and gives its slot away, but keeps the socket: the
    reaped client went on stepping a closed env (reopening the store, never released again), so two sessions
    ran under ``max_sessions=1``."""
    import time

    import httpx
    from websockets.sync.client import connect

    from synthagent_env.adapters.openenv_server import server_process

    with server_process(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, max_sessions=1,
                        session_timeout=1) as url:
        ws_url = url.replace("http://", "ws://") + "/ws"
        with connect(ws_url) as idle:
            idle.send(json.dumps({"type": "reset", "data": {"task_id": LOAN, "seed": 0}}))
            assert json.loads(idle.recv(timeout=30))["type"] == "observation"
            deadline = time.monotonic() + 30  # the reaper looks every 5 s at most
            while httpx.get(url + "/sessions").json()["active_sessions"] and time.monotonic() < deadline:
                time.sleep(0.5)
            with connect(ws_url) as other:
                other.send(json.dumps({"type": "reset", "data": {"task_id": LOAN, "seed": 0}}))
                assert json.loads(other.recv(timeout=30))["type"] == "observation"
                idle.send(json.dumps({"type": "step", "data": {"content": "How much do you need to borrow?"}}))
                reply = json.loads(idle.recv(timeout=30))
                assert reply["type"] == "error" and "idle" in reply["data"]["message"], reply


# ---- 3. the shared mapping: one call, two spellings, two worlds ----


@pytest.mark.parametrize("first, second", [
    ({"amount": 12000, "purpose": "car"}, {"amount": 12000.0, "purpose": "car"}),
    ({"amount": 12000, "purpose": "car"}, {"amount": 1.2e4, "purpose": "car"}),
], ids=["int-float", "exponent"])
def test_one_call_spelt_two_ways_gets_one_answer(tmp_path, first, second):
    env = _make(tmp_path / "m.sqlite")
    env.reset(seed=0, options={"task_id": LOAN})
    _, _, _, _, info = env.step(hermes_block("get_loan_offers", first))
    a = info["trajectory"][-1]
    _, _, _, _, info = env.step(hermes_block("get_loan_offers", second))
    b = info["trajectory"][-1]
    assert a["status"] == b["status"] == "ok"
    got = next(i for i in env.unwrapped._score()[1]["items"] if i["id"] == "got_offers")
    assert got["passed"]  # the rubric already counts both spellings as the right call...
    assert b["response"] == a["response"]  # ...so the world must answer them alike


def test_one_string_in_two_unicode_normal_forms_gets_one_answer(tmp_path):
    import unicodedata

    env = _make(tmp_path / "m.sqlite")
    env.reset(seed=0, options={"task_id": LOAN})
    name = "OFF-48 Caf\u00e9"
    _, _, _, _, info = env.step(hermes_block("get_offer_details", {"offer_id": unicodedata.normalize("NFC", name)}))
    a = info["trajectory"][-1]
    _, _, _, _, info = env.step(hermes_block("get_offer_details", {"offer_id": unicodedata.normalize("NFD", name)}))
    b = info["trajectory"][-1]
    assert b["response"] == a["response"]


# ---- 4. parsing: an <answer> that is data inside a tool call's JSON is not the agent's final answer ----


def test_an_answer_tag_inside_a_tool_calls_arguments_is_data_not_the_end():
    text = hermes_block("send_message", {"body": "Reply with <answer>yes</answer> to confirm."})
    parsed = parse_text(text)
    assert parsed.answer is None
    assert len(parsed.tool_calls) == 1 and parsed.tool_calls[0].arguments == {
        "body": "Reply with <answer>yes</answer> to confirm."}


def test_a_tool_call_argument_holding_an_answer_tag_does_not_end_the_episode(tmp_path):
    env = _make(tmp_path / "m.sqlite")
    env.reset(seed=0, options={"task_id": LOAN})
    _, reward, terminated, truncated, info = env.step(
        hermes_block("get_offer_details", {"offer_id": "<answer>OFF-48</answer>"}))
    assert not (terminated or truncated) and info["end_reason"] is None
    assert info["trajectory"][-1]["type"] == "tool_call"


# ---- 5. a long error response is a failed call, truncated or not ----


class _LongErrorTool:
    """A tool world that answers an unknown id with an error quoting the request (as LLM tools often do)."""

    def respond(self, task, tool, arguments, mapping):
        return json.dumps({"error": f"no such record: {json.dumps(arguments)}", "hint": "x" * 5000})


def test_an_error_response_longer_than_the_output_limit_is_still_a_failed_call(tmp_path):
    from synthagent_env.simulators.offline import OfflineUserSimulator

    sim = Simulator(tool=_LongErrorTool(), user=OfflineUserSimulator(), name="long-error")
    env = _make(tmp_path / "m.sqlite", simulator=sim)
    env.reset(seed=0, options={"task_id": LOAN})
    _, _, _, _, info = env.step(hermes_block("get_offer_details", {"offer_id": "OFF-99"}))
    event = info["trajectory"][-1]
    assert event["response"].startswith('{"error"')
    assert event["status"] == "error"
