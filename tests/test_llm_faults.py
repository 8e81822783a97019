"""Fault injection: every kind of server failure is retried, and 1,000 LLM-simulated episodes survive 20% faults."""

from __future__ import annotations

import asyncio
import random
import socket
import threading
import time
from collections import Counter
from email.utils import formatdate

import gymnasium as gym
import pytest

import synthagent_env  # noqa: F401
from benchmarks.group_rollouts import ExploringAgent, consistency
from synthagent_env import load_tasks
from synthagent_env.llm import LLMUnavailableError, OpenAIClient, RetryPolicy
from synthagent_env.llm.retry import parse_retry_after
from synthagent_env.llm import LLMTestServer
from synthagent_env.mapping_key import CallKey
from synthagent_env.simulators.llm import llm_simulator
from synthagent_env.simulators.user_guards import junk_problem
from synthagent_env.stores import SqliteStore
from tests.world_model import ScriptedWorldModel

HELLO = [{"role": "user", "content": "hello"}]
FAULTS = ["http_500", "http_502", "http_503", "http_429", "timeout", "drop", "bad_json"]


def _client(server: LLMTestServer, **kw) -> OpenAIClient:
    return OpenAIClient(server.url, model="m", timeout=kw.pop("timeout", 0.3), backoff=0.001, **kw)


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_retried_sync_and_async(fault):
    with LLMTestServer(fault_plan=[fault], retry_after=0.01, hang=5) as server:
        client = _client(server)
        assert client.chat(HELLO).text == "OK"
        server.plan(fault)
        assert asyncio.run(client.achat(HELLO)).text == "OK"
        usage = client.usage.snapshot()
        assert usage["requests"] == 2 and usage["attempts"] == 4 and usage["retries"] == 2
        assert server.stats[fault] == 2


def test_retry_after_is_honoured():
    with LLMTestServer(fault_plan=["http_429"], retry_after=0.4) as server:
        client = OpenAIClient(server.url, model="m", backoff=0)
        start = time.perf_counter()
        client.chat(HELLO)
        assert time.perf_counter() - start >= 0.4


def test_backoff_grows_with_jitter_and_reads_retry_after():
    policy = RetryPolicy(max_retries=5, backoff=0.1, backoff_max=0.5)
    for retry, ceiling in enumerate([0.1, 0.2, 0.4, 0.5, 0.5]):
        waits = [policy.delay(retry) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits) and len(set(waits)) > 1
    assert policy.delay(0, retry_after=3.0) == 3.0
    assert parse_retry_after("2") == 2.0 and parse_retry_after("0.25") == 0.25
    assert 8 <= parse_retry_after(formatdate(time.time() + 10, usegmt=True)) <= 10
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_clear_error_after_the_last_try():
    with LLMTestServer(fault_plan=["http_503"] * 3) as server:
        client = _client(server, max_retries=2)
        with pytest.raises(LLMUnavailableError) as err:
            client.chat(HELLO)
        assert err.value.attempts == 3 and "HTTP 503" in err.value.reason
        assert "failed after 3 attempts" in str(err.value) and server.url in str(err.value)


def test_dead_server_fails_fast():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once the socket is closed
    client = OpenAIClient(f"http://127.0.0.1:{port}/v1", model="m", max_retries=2, backoff=0.001)
    start = time.perf_counter()
    with pytest.raises(LLMUnavailableError) as err:
        client.chat(HELLO)
    assert "ConnectError" in err.value.reason and time.perf_counter() - start < 5


# what a broken server or proxy can deliver as a 200 reply's content: never a tool response or a user's words
JUNK_CONTENT = ("Internal Server Error", '{"error": {"message": "upstream failed", "type": "server_error"}}',
                "<html><body>502 Bad Gateway</body></html>", "j" * 2_000_000)


class JunkyWorld:
    """The scripted world model, but a fraction ``p`` of its replies are server junk delivered as content."""

    def __init__(self, p: float, seed: int):
        self.world, self.p, self.rng, self.lock = ScriptedWorldModel(seed=seed), p, random.Random(seed), threading.Lock()
        self.served = 0

    def __call__(self, request):
        with self.lock:
            junk = self.rng.random() < self.p
            choice = self.rng.choice(JUNK_CONTENT)
            self.served += junk
        return choice if junk else self.world(request)


def test_thousand_episodes_under_twenty_percent_faults(tmp_path):
    """20% of model calls fail (5xx, 429, timeouts, drops, bad and error bodies, empty replies, junk content):
    nothing escapes or is lost, no server text is stored as a tool response, and no junk becomes a user turn."""
    faults = {"http_500": 0.02, "http_503": 0.02, "http_429": 0.03, "timeout": 0.02, "drop": 0.03,
              "bad_json": 0.02, "error_body": 0.01, "garbage": 0.03}
    world = JunkyWorld(0.02 / 0.82, seed=1)  # ~2% of all requests
    tasks = [t.model_copy(update={"seed_mapping": []}) for t in load_tasks("tooluse-v0")]
    mapping = tmp_path / "mapping.sqlite"
    with SqliteStore(mapping) as store:  # created before the workers (a concurrent first open is the store's concern)
        store.entries(tasks[0].id)
    episodes, threads_n = 1000, 16
    results: list[tuple[str, dict]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    with LLMTestServer(world, faults=faults, retry_after=0.005, hang=1.0, seed=7,
                       record=False) as server:
        client = OpenAIClient(server.url, model="m", timeout=0.25, max_retries=4, backoff=0.002, max_concurrency=32)
        simulator = llm_simulator(client)

        def worker(k: int) -> None:
            env = gym.make("synthagent/ToolUse-v0", tasks=tasks, simulator=simulator, mapping_path=mapping)
            agent = ExploringAgent(tasks, seed=k)
            try:
                for i in range(k, episodes, threads_n):
                    obs, info = env.reset(seed=i, options={"task_index": i})
                    agent.reset(info)
                    done = False
                    while not done:
                        obs, _, terminated, truncated, info = env.step(agent.act(obs, info))
                        done = terminated or truncated
                    with lock:
                        results.append((info["task_id"], info))
            except BaseException as err:  # any exception reaching here is a failure of the test
                errors.append(err)
            finally:
                env.close()

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stats = dict(server.stats)
        usage = client.usage.snapshot()
        tool_stats = dict(simulator.tool.stats)
        client.close()

    assert not errors, errors[:3]
    assert len(results) == episodes and not server.errors
    injected = stats["requests"] - stats["replies"]
    assert 0.15 < injected / stats["requests"] < 0.25 and stats["garbage"] > 0 and stats["timeout"] > 0
    assert usage["retries"] > 0 and tool_stats["model_calls"] > 100  # the tool side was exercised, not only the user
    print(stats, usage, tool_stats, Counter(info["end_reason"] for _, info in results))
    for _, info in results:
        assert info["end_reason"] in {"answer", "user_stop", "max_turns", "simulator_failure"}
        if info["end_reason"] == "simulator_failure":
            assert info["failure"]  # the reason is in info
    # the mapping loses nothing: every response an agent saw is stored, and identical calls agreed
    with SqliteStore(mapping) as store:
        for task_id, info in results:
            for event in info["trajectory"]:
                if event["type"] == "tool_call" and event["status"] == "ok":
                    assert store.get(CallKey.of(task_id, event["name"], event["arguments"])) == event["response"]
    agree, repeated = consistency([(task_id, info["trajectory"]) for task_id, info in results])
    assert repeated > 0 and agree == repeated
    # no server text or junk became a tool response (stored or seen) or a user turn
    assert world.served > 20
    with SqliteStore(mapping) as store:
        stored = [e.response for task in tasks for e in store.entries(task.id)]
    user_turns = [e["reply"] for _, info in results for e in info["trajectory"] if e["type"] == "user"]
    assert stored and user_turns
    assert [r for r in stored if any(j[:40] in r for j in JUNK_CONTENT) or "upstream" in r] == []
    assert [r for r in user_turns if junk_problem(r) or any(j[:40] in r for j in JUNK_CONTENT)] == []
