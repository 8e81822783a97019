"""The OpenAI-compatible client against a real loopback HTTP server: wire format, auth, usage, concurrency, repair."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading

import pytest

from synthagent_env.llm import (
    Completion, LLMHTTPError, LLMResponseError, LLMUnavailableError, OpenAIClient, extract_json, extract_tag,
    make_client, strip_reasoning,
)
from synthagent_env.llm.openai_http import normalize_base_url, parse_completion
from synthagent_env.llm.test_server import LLMTestServer

KEY = "sk-test-5ecret-0123456789"
HELLO = [{"role": "user", "content": "hello"}]


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("SYNTHAGENT_TEST_KEY", KEY)
    return "SYNTHAGENT_TEST_KEY"


def test_round_trip_sends_sampling_and_key_and_counts_usage(key_env):
    with LLMTestServer(reply=lambda body: f"echo: {body['messages'][-1]['content']}") as server:
        client = OpenAIClient(server.url, model="m1", api_key_env=key_env, sampling={"temperature": 0.2})
        out = client.chat(HELLO, max_tokens=7, top_p=None)
        assert isinstance(out, Completion) and out.text == "echo: hello" and out.finish_reason == "stop"
        assert out.usage.prompt_tokens > 0 and out.usage.completion_tokens > 0
        seen = server.requests[0]
        assert seen.headers["authorization"] == f"Bearer {KEY}"
        assert seen.body["model"] == "m1" and seen.body["temperature"] == 0.2 and seen.body["max_tokens"] == 7
        assert "top_p" not in seen.body and seen.body["stream"] is False
        usage = client.usage.snapshot()
        assert usage["requests"] == 1 and usage["total_tokens"] == out.usage.total_tokens
        assert KEY not in repr(client) and key_env in repr(client)
        client.close()


def test_key_never_appears_in_errors(key_env):
    def leaky(body):
        raise RuntimeError(f"server echoes the credentials: Bearer {KEY}")

    with LLMTestServer(reply=leaky) as server:
        client = OpenAIClient(server.url, model="m", api_key_env=key_env, max_retries=1, backoff=0)
        with pytest.raises(LLMUnavailableError) as err:
            client.chat(HELLO)
        assert KEY not in str(err.value) and "***" in str(err.value) and err.value.attempts == 2
        server.plan("http_401")
        with pytest.raises(LLMHTTPError) as denied:
            client.chat(HELLO)
        assert denied.value.status == 401 and f"${key_env}" in str(denied.value) and KEY not in str(denied.value)


def test_non_retryable_status_fails_at_once():
    with LLMTestServer(fault_plan=["http_400"]) as server:
        client = OpenAIClient(server.url, model="m", backoff=0)
        with pytest.raises(LLMHTTPError):
            client.chat(HELLO)
        assert server.stats["requests"] == 1 and client.usage["failures"] == 1


def test_tool_calls_are_normalised():
    reply = {"content": None, "tool_calls": [{"name": "get_order", "arguments": {"order_id": "A-1"}}]}
    with LLMTestServer(script=[reply]) as server:
        out = OpenAIClient(server.url, model="m").chat(HELLO, tools=[{"type": "function", "function": {"name": "x"}}])
    assert out.text == "" and out.finish_reason == "tool_calls"
    call = out.tool_calls[0]
    assert call["type"] == "function" and call["function"]["name"] == "get_order"
    assert json.loads(call["function"]["arguments"]) == {"order_id": "A-1"}
    assert out.message()["tool_calls"] == out.tool_calls


def test_model_is_discovered_from_models_endpoint():
    with LLMTestServer(model="served-model") as server:
        client = OpenAIClient(server.url + "/")
        client.chat(HELLO)
        assert client.model == "served-model" and server.requests[0].body["model"] == "served-model"


def test_concurrency_is_bounded_for_threads_and_asyncio():
    with LLMTestServer(latency=0.05) as server:
        client = OpenAIClient(server.url, model="m", max_concurrency=3)
        threads = [threading.Thread(target=client.chat, args=(HELLO,)) for _ in range(9)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert server.max_in_flight == 3

        server.max_in_flight = 0

        async def many():
            outs = await asyncio.gather(*(client.achat(HELLO) for _ in range(9)))
            await client.aclose()
            return outs

        assert [o.text for o in asyncio.run(many())] == ["OK"] * 9
        assert server.max_in_flight == 3 and client.usage["requests"] == 18


def test_parse_completion_rejects_non_completions():
    for bad in ([], {"choices": []}, {"error": {"message": "overloaded"}}, {"choices": [{"message": {"content": 3}}]}):
        with pytest.raises(LLMResponseError):
            parse_completion(bad)
    parts = {"choices": [{"message": {"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
                                      "reasoning_content": "hmm"}}]}
    out = parse_completion(parts)
    assert out.text == "ab" and out.reasoning == "hmm"


def test_base_url_and_make_client():
    assert normalize_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalize_base_url("https://api.example.com/api/v1/") == "https://api.example.com/api/v1"
    with pytest.raises(ValueError):
        normalize_base_url("ftp://h")
    client = make_client("http://127.0.0.1:9/v1")
    assert isinstance(client, OpenAIClient) and client.model is None
    assert make_client({"base_url": "http://127.0.0.1:9", "model": "x"}).model == "x"
    assert make_client(client) is client
    with pytest.raises(ValueError):
        make_client("not-a-url-or-folder")
    with pytest.raises(ValueError):
        make_client({"backend": "carrier-pigeon"})


def test_output_repair():
    assert extract_json('Sure!\n```json\n{"a": [1, 2,], "b": True,}\n```') == {"a": [1, 2], "b": True}
    assert extract_json("<think>{not this}</think> {'k': None, 'q': 'it\\'s'}") == {"k": None, "q": "it's"}
    assert extract_json('{"cut": {"off": "mid') == {"cut": {"off": "mid"}}
    assert extract_json('{status: ok, // comment\n "n": 2}') == {"status": "ok", "n": 2}
    with pytest.raises(ValueError):
        extract_json("no json here")
    assert strip_reasoning("plan</think>answer") == "answer" and strip_reasoning("<think>unfinished") == ""
    assert extract_tag("x <response> {1} </response> y", "response") == "{1}"
    assert extract_tag("<response>cut off", "response") == "cut off" and extract_tag("none", "response") is None


def test_server_runs_as_its_own_process():
    proc = subprocess.Popen([sys.executable, "-m", "synthagent_env.llm.test_server", "--model", "proc-model"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert OpenAIClient(url).chat(HELLO).model == "proc-model"
    finally:
        proc.stdin.close()
        assert proc.wait(10) == 0
