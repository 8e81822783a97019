"""A pool of real loopback servers behind one client: least-outstanding routing, failover, circuit breaker."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import pytest
from loopback_llm import HELLO, free_port, start_in_background, stats, stop

from synthagent_env.llm import LLMTestServer, LLMTimeoutError, OpenAIClient
from synthagent_env.llm.server_pool import ServerPool


def _hammer(client: OpenAIClient, threads: int, until: threading.Event | float, results: list,
            errors: list) -> list[threading.Thread]:
    """``threads`` workers sending requests back to back until the event is set (or for that many seconds)."""
    end = time.monotonic() + until if isinstance(until, float) else None

    def work() -> None:
        while not (until.is_set() if end is None else time.monotonic() > end):
            try:
                results.append(client.chat(HELLO).text)
            except Exception as err:  # noqa: BLE001  (a lost request is what the test counts)
                errors.append(err)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    return workers


def _served(port: int) -> int:
    return stats(port).get("requests", 0)


def test_requests_go_to_the_least_busy_server():
    with LLMTestServer(latency=0.1) as a, LLMTestServer(latency=0.1) as b, LLMTestServer(latency=0.1) as c:
        client = OpenAIClient([a.url, b.url, c.url], model="m", max_concurrency=30)
        workers = [threading.Thread(target=client.chat, args=(HELLO,)) for _ in range(30)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        counts = [s.stats["requests"] for s in (a, b, c)]
        assert sum(counts) == 30 and max(counts) - min(counts) <= 2, counts
    with LLMTestServer(latency=0.3) as slow, LLMTestServer(latency=0.02) as fast:
        client = OpenAIClient(f"{slow.url},{fast.url}", model="m")
        results: list[str] = []
        errors: list[Exception] = []
        for w in _hammer(client, 4, 1.2, results, errors):
            w.join()
        assert not errors and fast.stats["requests"] > 4 * slow.stats["requests"] > 0


def test_a_failing_server_is_taken_out_and_its_request_retried_elsewhere_at_once():
    with LLMTestServer(faults={"http_503": 1.0}) as bad, LLMTestServer() as good:
        client = OpenAIClient([bad.url, good.url], model="m", backoff=5.0, cooldown=30, failures_to_open=1)
        start = time.monotonic()
        assert [client.chat(HELLO).text for _ in range(6)] == ["OK"] * 6
        assert time.monotonic() - start < 2  # retried on the healthy server without the 5 s backoff
        assert bad.stats["requests"] == 1 and good.stats["requests"] == 6
        out = {s["url"]: s for s in client.servers.snapshot()}
        assert out[bad.url]["out_for_s"] > 25 and out[bad.url]["times_opened"] == 1 and out[good.url]["failures"] == 0


def test_async_requests_fail_over_too():
    with LLMTestServer(faults={"drop": 1.0}) as bad, LLMTestServer() as good:
        client = OpenAIClient([bad.url, good.url], model="m", backoff=5.0, cooldown=30, failures_to_open=1)

        async def many() -> list[str]:
            outs = await asyncio.gather(*(client.achat(HELLO) for _ in range(10)))
            await client.aclose()
            return [o.text for o in outs]

        start = time.monotonic()
        assert asyncio.run(many()) == ["OK"] * 10 and time.monotonic() - start < 2
        assert good.stats["requests"] == 10 and 1 <= bad.stats["requests"] <= 5


def test_a_pool_of_hung_servers_ends_at_the_deadline_and_names_them():
    with LLMTestServer(faults={"timeout": 1.0}, hang=30) as a, LLMTestServer(faults={"timeout": 1.0}, hang=30) as b:
        client = OpenAIClient(f"{a.url},{b.url}", model="m", timeout=0.2, deadline=0.7, backoff=0.01)
        start = time.monotonic()
        with pytest.raises(LLMTimeoutError) as err:
            client.chat(HELLO)
        assert time.monotonic() - start < 1.2
        assert a.url in str(err.value) and b.url in str(err.value) and "deadline of 0.7 s" in str(err.value)
        assert a.stats["requests"] >= 1 and b.stats["requests"] >= 1  # the retry went to the other server


def test_a_pool_whose_servers_are_all_out_still_tries_one():
    with LLMTestServer(fault_plan=["http_503", "http_503"]) as only:
        client = OpenAIClient(only.url, model="m", backoff=0.001, cooldown=60, failures_to_open=1)
        assert client.chat(HELLO).text == "OK" and only.stats["requests"] == 3


def test_a_server_killed_mid_run_loses_no_request_and_comes_back_after_the_cooldown():
    """Three servers (one a separate process), eight threads sending requests; the process is killed with SIGKILL
    mid-run: no request fails, the dead server gets no traffic while it is out, and once restarted on the same
    port it gets traffic again after the cool-down."""
    port = free_port()
    pid = start_in_background(port, "--latency", "0.02")
    cooldown = 3.0
    try:
        with LLMTestServer(latency=0.02) as a, LLMTestServer(latency=0.02) as b:
            dead_url = f"http://127.0.0.1:{port}/v1"
            client = OpenAIClient([a.url, b.url, dead_url], model="m", cooldown=cooldown, backoff=0.01,
                                  max_concurrency=8)
            results: list[str] = []
            errors: list[Exception] = []
            done = threading.Event()
            workers = _hammer(client, 8, done, results, errors)
            try:
                time.sleep(1.0)
                served_before_kill = _served(port)
                stop(pid, signal.SIGKILL)
                time.sleep(0.5)  # the breaker has opened by now
                sent_when_out = _server(client, dead_url)["sent"]
                assert _server(client, dead_url)["out_for_s"] > 0
                time.sleep(cooldown / 2)
                assert _server(client, dead_url)["sent"] == sent_when_out  # no traffic while it is out
                pid = start_in_background(port, "--latency", "0.02")
                restarted = time.monotonic()
                while _served(port) < 20 and time.monotonic() - restarted < 3 * cooldown + 5:
                    time.sleep(0.1)  # back after the cool-down (or two, if a probe found it still starting)
                served_after_restart = _served(port)
            finally:
                done.set()
                for w in workers:
                    w.join()
        assert not errors, errors[:3]
        assert len(results) > 100 and set(results) == {"OK"}
        assert served_before_kill > 20 and served_after_restart > 20, (served_before_kill, served_after_restart)
        assert _server(client, dead_url)["times_opened"] >= 1
    finally:
        stop(pid, signal.SIGKILL)


def _server(client: OpenAIClient, url: str) -> dict:
    return next(s for s in client.servers.snapshot() if s["url"] == url)


def test_pool_rejects_bad_configuration():
    with pytest.raises(ValueError):
        ServerPool([])
    with pytest.raises(ValueError):
        ServerPool(["http://a/v1", "http://a/v1"])
    with pytest.raises(ValueError):
        ServerPool(["http://a/v1"], failures_to_open=0)
