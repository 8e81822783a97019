"""The OpenEnv adapter against a real ``synthagent serve`` child process on 127.0.0.1, driven by openenv-core's client.

Servers start once per module: an offline-world server (the oracle, the fixed random agent, errors, the session
bound) and one whose simulator is a loopback model that samples a different tool output on every call (so equal
answers across 64 sessions are the shared mapping's doing, not the model's), also used to kill clients.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time

import gymnasium as gym
import httpx
import pytest

pytest.importorskip("openenv.core")

from synthagent_agents import OracleAgent, RandomAgent  # noqa: E402
from synthagent_env import load_tasks  # noqa: E402
from synthagent_env.adapters.openenv_client import SynthagentEnvClient, play_remote  # noqa: E402
from synthagent_env.adapters.openenv_server import SynthagentAction, server_process  # noqa: E402
from synthagent_env.episode import play_episode  # noqa: E402
from synthagent_env.llm import LLMTestServer  # noqa: E402
from synthagent_env.schema_sampling import instance_of  # noqa: E402
from tests.adapter_agents import DetourAgent  # noqa: E402
from tests.world_model import ScriptedWorldModel  # noqa: E402

TASK_IDS = [t.id for t in load_tasks("tooluse-v0")]


@pytest.fixture(scope="module")
def offline_url(tmp_path_factory):
    mapping = tmp_path_factory.mktemp("openenv-offline") / "mapping.sqlite"
    with server_process(env_kwargs={"mapping_path": str(mapping)}, max_sessions=4) as url:
        yield url


@pytest.fixture(scope="module")
def model_server():
    with LLMTestServer(ScriptedWorldModel(), latency=0.05, record=False) as server:
        yield server


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory, model_server):
    mapping = tmp_path_factory.mktemp("openenv-llm") / "mapping.sqlite"
    kwargs = {"mapping_path": str(mapping), "simulator": {"base_url": model_server.url, "model": "test-model"}}
    with server_process(env_kwargs=kwargs, max_sessions=64) as url:
        yield url


def client(url: str):
    return SynthagentEnvClient(base_url=url, message_timeout_s=120).sync()


def active_sessions(url: str) -> int:
    return httpx.get(url + "/sessions", timeout=10).json()["active_sessions"]


def wait_for_sessions(url: str, count: int, timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    while (n := active_sessions(url)) != count and time.monotonic() < deadline:
        time.sleep(0.1)
    return n


def test_oracle_scores_one_on_every_bundled_task(offline_url):
    with client(offline_url) as env:
        rewards = {t: play_remote(env, OracleAgent(), task_id=t, seed=0).reward for t in TASK_IDS}
    assert rewards == dict.fromkeys(TASK_IDS, 1.0)


def test_fixed_agent_rewards_match_the_direct_env_episode_for_episode(tmp_path):
    """Each side starts from an empty mapping store of its own (the offline world's answers depend on it)."""
    direct_env = gym.make("synthagent/ToolUse-v0", mapping_path=tmp_path / "direct.sqlite")
    try:
        direct = [play_episode(direct_env, DetourAgent(seed=11), task_id=t, seed=3) for t in TASK_IDS]
    finally:
        direct_env.close()
    with server_process(env_kwargs={"mapping_path": str(tmp_path / "served.sqlite")}) as url, client(url) as env:
        remote = [play_remote(env, DetourAgent(seed=11), task_id=t, seed=3) for t in TASK_IDS]
    assert [r.reward for r in remote] == [d.reward for d in direct]
    assert [r.steps for r in remote] == [d.steps for d in direct]
    assert [r.info["trajectory"] for r in remote] == [d.info["trajectory"] for d in direct]
    assert len({round(d.reward, 3) for d in direct}) >= 3  # non-trivial: full, partial and no credit


def test_openai_style_tool_calls_reach_the_env(offline_url):
    with client(offline_url) as env:
        info = env.reset(task_id=TASK_IDS[0], seed=0).observation.info
        fn = info["tools"][0]["function"]
        call = {"id": "c1", "type": "function",
                "function": {"name": fn["name"], "arguments": json.dumps(instance_of(fn["parameters"], random.Random(0), fn["name"]))}}
        result = env.step(SynthagentAction(content="", tool_calls=[call]))
    event = result.observation.info["trajectory"][-1]
    assert (event["type"], event["name"], event["status"]) == ("tool_call", fn["name"], "ok")


def test_bad_requests_get_clear_errors_and_the_session_survives(offline_url):
    with client(offline_url) as env:
        with pytest.raises(RuntimeError, match="before calling env.reset"):
            env.step(SynthagentAction(content="hello"))  # before any reset
        with pytest.raises(RuntimeError, match="no task 'no-such-task'"):
            env.reset(task_id="no-such-task")
        with pytest.raises(ValueError, match="valid string"):  # the client checks the action before sending it
            env.step({"content": 5, "tool_calls": "not a list"})
        garbage = env.reset(task_id=TASK_IDS[0], seed=0)
        result = env.step(SynthagentAction(content="<tool_call>{not json</tool_call>"))
        assert not result.done and result.observation.info["stats"]["format_errors"] + \
            result.observation.info["stats"]["tool_errors"] == 1 and garbage.observation.info["task_id"] == TASK_IDS[0]
        assert play_remote(env, OracleAgent(), task_id=TASK_IDS[1], seed=0).reward == 1.0


def test_the_server_refuses_malformed_messages_and_keeps_the_session(offline_url):
    from websockets.sync.client import connect

    with connect(offline_url.replace("http://", "ws://") + "/ws") as ws:
        for bad in ('{"type": "step", "data": {"content": 5, "tool_calls": "x"}}', "not json",
                    '{"type": "step", "data": {"content": "hi", "extra": 1}}'):
            ws.send(bad)
            reply = json.loads(ws.recv(timeout=30))
            assert reply["type"] == "error" and reply["data"]["code"] in ("VALIDATION_ERROR", "INVALID_JSON")
        ws.send(json.dumps({"type": "reset", "data": {"task_id": TASK_IDS[0], "seed": 0}}))
        reply = json.loads(ws.recv(timeout=30))
        assert reply["type"] == "observation" and reply["data"]["observation"]["info"]["task_id"] == TASK_IDS[0]


def test_sessions_beyond_the_bound_are_refused_and_freed_ones_reused(offline_url):
    assert wait_for_sessions(offline_url, 0) == 0
    held = [client(offline_url) for _ in range(4)]
    try:
        for c in held:
            c.connect()
            c.reset(task_id=TASK_IDS[0], seed=0)
        assert active_sessions(offline_url) == 4
        from websockets.sync.client import connect

        with connect(offline_url.replace("http://", "ws://") + "/ws") as extra:  # one more: refused at once
            reply = json.loads(extra.recv(timeout=30))
        assert reply["type"] == "error" and reply["data"]["code"] == "CAPACITY_REACHED"
        assert active_sessions(offline_url) == 4
    finally:
        for c in held:
            c.close()
    assert wait_for_sessions(offline_url, 0) == 0
    with client(offline_url) as env:
        assert play_remote(env, OracleAgent(), task_id=TASK_IDS[2], seed=0).reward == 1.0


def test_64_concurrent_sessions_share_one_mapping(llm_url):
    task = load_tasks("tooluse-v0")[0]
    tool = task.tools[0]
    arguments = instance_of(tool.parameters, random.Random(5), tool.name)
    action = f"<tool_call>{json.dumps({'name': tool.name, 'arguments': arguments})}</tool_call>"
    answers: list[str] = []
    errors: list[BaseException] = []
    opened = threading.Barrier(64, timeout=120)
    peak: list[int] = []

    def session(i: int) -> None:
        try:
            with client(llm_url) as env:
                env.reset(task_id=task.id, seed=i)
                opened.wait()
                if i == 0:
                    peak.append(active_sessions(llm_url))
                result = env.step(action)
                event = result.observation.info["trajectory"][-1]
                answers.append(event["response"])
                play_remote(env, RandomAgent(seed=i), task_id=TASK_IDS[i % len(TASK_IDS)], seed=i, max_steps=6)
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    assert peak == [64]
    assert len(answers) == 64 and len(set(answers)) == 1  # the model samples; the store answered them all alike
    assert wait_for_sessions(llm_url, 0) == 0


KILLED_CLIENT = """
import sys, time
from synthagent_env.adapters.openenv_client import SynthagentEnvClient
env = SynthagentEnvClient(base_url=sys.argv[1], message_timeout_s=120).sync()
env.connect()
env.reset(task_id=sys.argv[2], seed=0)
print("ready", flush=True)
if sys.argv[3] == "step":
    env.step("Could you tell me your order number and everything else I should know?")
time.sleep(600)
"""


def test_clients_killed_mid_episode_free_their_sessions(llm_url):
    assert wait_for_sessions(llm_url, 0) == 0
    procs = [subprocess.Popen([sys.executable, "-c", KILLED_CLIENT, llm_url, TASK_IDS[i], mode],
                              stdout=subprocess.PIPE, text=True)
             for i, mode in enumerate(["idle", "idle", "step", "step", "step", "idle"])]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        time.sleep(0.02)  # the "step" clients are now waiting on the 50 ms simulated user
        assert active_sessions(llm_url) == len(procs)
    finally:
        for p in procs:
            p.send_signal(signal.SIGKILL)
            p.wait()
    assert wait_for_sessions(llm_url, 0) == 0
    with client(llm_url) as env:  # and the server keeps serving
        episode = play_remote(env, RandomAgent(seed=1), task_id=TASK_IDS[0], seed=0, max_steps=8)
    assert episode.steps >= 1


@pytest.mark.parametrize("argv, message", [
    (["--env-kwargs", "[1]"], "must be a JSON object"),
    (["--env-kwargs", "{oops"], "is not JSON"),
    (["--env", "synthagent/Nope-v0"], "unknown env id"),
    (["--max-sessions", "0"], "at least 1"),
])
def test_serve_refuses_bad_arguments_with_a_clear_message(argv, message):
    proc = subprocess.run([sys.executable, "-m", "synthagent_env.adapters.serve_cli", *argv, "--port", "1"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and message in proc.stderr


def test_serve_frees_idle_sessions_by_default(monkeypatch):
    """Without a default idle bound, a client holding --max-sessions idle connections locks everyone out."""
    from synthagent_env.adapters import openenv_server
    from synthagent_env.cli import main

    seen = []
    monkeypatch.setattr(openenv_server, "serve", lambda *a, **kw: seen.append(kw["session_timeout"]))
    assert main(["serve"]) == 0 and seen == [900.0]
    assert main(["serve", "--session-timeout", "0"]) == 0 and seen[-1] is None  # 0: never
    assert main(["serve", "--session-timeout", "-1"]) == 2
