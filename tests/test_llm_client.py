"""The OpenAI-compatible client against a real loopback HTTP server: wire format, auth, usage, concurrency, repair,
error bodies, deadlines, model-output failures, the thinking switch, and the loopback server run as a user would."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import time

import pytest
from loopback_llm import (
    ERROR_BODY,
    HELLO,
    NO_CHOICES,
    TRANSFORMERS_SERVE_500,
    VLLM_TOOL_PARSE_500,
    free_port,
    reasoning_only,
    start_in_background,
    stop,
)

from synthagent_env.llm import (
    Completion,
    LLMHTTPError,
    LLMOutputError,
    LLMResponseError,
    LLMTestServer,
    LLMTimeoutError,
    LLMUnavailableError,
    OpenAIClient,
    extract_json,
    extract_tag,
    make_client,
    strip_reasoning,
)
from synthagent_env.llm.completion_body import parse_completion
from synthagent_env.llm.loopback_server import HTTPReply
from synthagent_env.llm.openai_http import normalize_base_url

KEY = "sk-test-5ecret-0123456789"


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
        with pytest.raises(LLMOutputError) as err:  # the reply function raised: HTTP 500 for this request
            client.chat(HELLO)
        assert KEY not in str(err.value) and "***" in str(err.value) and KEY not in err.value.server_message
        server.plan("http_503", "http_503")
        with pytest.raises(LLMUnavailableError) as down:
            client.chat(HELLO)
        assert down.value.attempts == 2 and KEY not in str(down.value)
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
    bad = ([], {"choices": []}, {"error": {"message": "overloaded"}}, {"choices": [{"message": {"content": 3}}]},
           {"choices": [{"message": {"content": "fine"}}], "error": "but an error too"},
           {"choices": [{"message": {"content": " \n "}}]}, {"choices": [{"message": {"content": None}}]},
           {"choices": [{"message": {"content": "<think>so long", "reasoning_content": None}}]},
           {"choices": [{"message": {"content": "", "reasoning_content": "thought"}, "finish_reason": "length"}]})
    for body in bad:
        with pytest.raises(LLMResponseError):
            parse_completion(body)
    parts = {"choices": [{"message": {"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
                                      "reasoning_content": "hmm"}}]}
    out = parse_completion(parts)
    assert out.text == "ab" and out.reasoning == "hmm"
    out = parse_completion({"choices": [{"message": {"content": "<think>plan</think> Answer."}}]})
    assert out.text == "Answer." and out.reasoning == "<think>plan</think> Answer."
    calls_only = {"choices": [{"message": {"content": None, "tool_calls": [
        {"id": "c", "function": {"name": "f", "arguments": "{}"}}]}}]}
    assert parse_completion(calls_only).text == "" and len(parse_completion(calls_only).tool_calls) == 1


@pytest.mark.parametrize(("bad", "why"), [(ERROR_BODY, "CUDA out of memory"), (NO_CHOICES, "no choices"),
                                          ("   \n\t", "the reply is empty"), (reasoning_only(), "only reasoning")],
                         ids=["error_body", "no_choices", "whitespace", "reasoning_only"])
def test_error_bodies_are_retried_never_content(bad, why):
    """HTTP 200 that is not an answer is a server failure: retried, and never handed back as the reply."""
    with LLMTestServer(script=[bad, bad, "real answer"]) as server:
        client = OpenAIClient(server.url, model="m", backoff=0.001)
        out = client.chat(HELLO)
        assert out.text == "real answer" and server.stats["requests"] == 3
        assert client.usage.snapshot()["retries"] == 2 and client.usage["requests"] == 1
        server.script.extend([bad] * 3)
        client = OpenAIClient(server.url, model="m", backoff=0.001, max_retries=2)
        with pytest.raises(LLMUnavailableError) as err:
            asyncio.run(client.achat(HELLO))
        assert err.value.attempts == 3 and "failed after 3 attempts" in str(err.value) and why in err.value.reason


def test_reasoning_only_fault_kinds_of_the_loopback_tool_are_retried():
    with LLMTestServer(fault_plan=["error_body", "garbage", "garbage", "garbage"], seed=3) as server:
        client = OpenAIClient(server.url, model="m", backoff=0.001)
        assert client.chat(HELLO).text == "OK" and client.usage["attempts"] == 5


def test_a_hung_server_is_bounded_by_the_request_deadline():
    """The server accepts every request and never answers: the request ends at its deadline, retries included."""
    with LLMTestServer(fault_plan=["timeout"] * 50, hang=60) as server:
        client = OpenAIClient(server.url, model="m", timeout=0.3, deadline=1.0, max_retries=20, backoff=0.01)
        start = time.monotonic()
        with pytest.raises(LLMTimeoutError) as err:
            client.chat(HELLO)
        took = time.monotonic() - start
        assert 0.9 <= took < 1.6, took
        assert server.url in str(err.value) and "deadline of 1 s" in str(err.value) and err.value.deadline == 1.0
        assert 3 <= err.value.attempts <= 4 and "ReadTimeout" in err.value.reason
        start = time.monotonic()
        with pytest.raises(LLMTimeoutError):
            asyncio.run(client.achat(HELLO))
        assert time.monotonic() - start < 1.6


def test_an_env_step_against_a_hung_server_ends_the_episode_with_the_reason(tmp_path):
    import gymnasium as gym

    import synthagent_env  # noqa: F401  (registers the env)

    with LLMTestServer(faults={"timeout": 1.0}, hang=60) as server:
        url = server.url
        sim = {"base_url": url, "model": "m", "timeout": 0.3, "deadline": 1.0, "backoff": 0.01}
        env = gym.make("synthagent/ToolUse-v0", simulator=sim, mapping_path=tmp_path / "m.sqlite")
        env.reset(seed=0)
        start = time.monotonic()
        _, _, terminated, truncated, info = env.step("Could you tell me your order number, please?")
        took = time.monotonic() - start
        env.close()
    assert took < 3, took
    assert (terminated, truncated, info["end_reason"]) == (False, True, "simulator_failure")
    assert url in info["failure"] and "deadline of 1 s" in info["failure"]


def test_default_bounds_are_finite_and_documented():
    client = OpenAIClient("http://127.0.0.1:9/v1", model="m")
    assert client.timeout == 60.0 and client.deadline == 120.0  # was 120 s per attempt x 5 attempts + waits: 607 s
    for bad in ({"timeout": 0}, {"deadline": 0}, {"deadline": float("nan")}):
        with pytest.raises(ValueError):
            OpenAIClient("http://127.0.0.1:9/v1", **bad)


def test_a_5xx_from_the_models_output_is_not_retried_like_a_dead_server():
    """transformers serve answers a bare HTTP 500 when the model wrote a malformed <tool_call>."""
    with LLMTestServer(script=[TRANSFORMERS_SERVE_500] * 3) as server:
        client = OpenAIClient(server.url, model="m", backoff=0.001, max_retries=4)
        with pytest.raises(LLMOutputError) as err:
            client.chat(HELLO, temperature=0)
        assert server.stats["requests"] == 1  # greedy: the same output would come again
        assert err.value.status == 500 and err.value.server_message == "Internal Server Error"
        assert "Internal Server Error" in str(err.value) and "temperature 0" in str(err.value)
        with pytest.raises(LLMOutputError):
            client.chat(HELLO, temperature=0.7)
        assert server.stats["requests"] == 3  # sampling: one more try, then the server's message
    with LLMTestServer(script=[TRANSFORMERS_SERVE_500]) as server:
        client = OpenAIClient(server.url, model="m", max_retries=0)
        with pytest.raises(LLMOutputError, match="max_retries is 0"):
            client.chat(HELLO, temperature=0.7)
    with LLMTestServer(script=[VLLM_TOOL_PARSE_500, "recovered"]) as server:
        client = OpenAIClient(server.url, model="m", backoff=0.001)
        assert client.chat(HELLO, temperature=0.7).text == "recovered" and server.stats["requests"] == 2
    engine_dead = HTTPReply(500, {"error": {"message": "EngineDeadError: the engine died unexpectedly"}})
    with LLMTestServer(script=[engine_dead] * 4 + ["up again"]) as server:
        client = OpenAIClient(server.url, model="m", backoff=0.001, max_retries=4)
        assert client.chat(HELLO, temperature=0).text == "up again"  # the server says it is the problem: retried
    with LLMTestServer(script=[HTTPReply(502, "Bad Gateway")] * 4 + ["up again"]) as server:
        client = OpenAIClient(server.url, model="m", backoff=0.001, max_retries=4)
        assert client.chat(HELLO, temperature=0).text == "up again"  # a gateway error is the server: retried


def test_thinking_switch_follows_the_role_and_falls_back():
    with LLMTestServer() as server:
        make_client(server.url, role="simulator", model="m").chat(HELLO)
        make_client(server.url, role="judge", model="m").chat(HELLO, chat_template_kwargs={"custom": 1})
        make_client(server.url, model="m").chat(HELLO)
        make_client({"base_url": server.url, "model": "m", "thinking": True}, role="simulator").chat(HELLO)
        sent = [r.body.get("chat_template_kwargs") for r in server.requests]
        assert sent == [{"enable_thinking": False}, {"enable_thinking": False, "custom": 1}, None,
                        {"enable_thinking": True}]

    def strict(body):  # a hosted API that refuses fields it does not know
        if "chat_template_kwargs" in body:
            refusal = "Unrecognized request argument supplied: chat_template_kwargs"
            return HTTPReply(400, {"error": {"message": refusal}})
        return "<think>hidden</think>fine"

    with LLMTestServer(strict) as server:
        client = OpenAIClient(server.url, model="m", thinking=False)
        assert client.chat(HELLO).text == "fine" and client.chat(HELLO).text == "fine"
        assert [("chat_template_kwargs" in r.body) for r in server.requests] == [True, False, False]


def test_base_url_and_make_client():
    assert normalize_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalize_base_url("https://api.example.com/api/v1/") == "https://api.example.com/api/v1"
    with pytest.raises(ValueError):
        normalize_base_url("ftp://h")
    client = make_client("http://127.0.0.1:9/v1")
    assert isinstance(client, OpenAIClient) and client.model is None and client.thinking is None
    pool = make_client("http://127.0.0.1:9/v1, http://127.0.0.1:10", role="simulator")
    assert [s["url"] for s in pool.servers.snapshot()] == ["http://127.0.0.1:9/v1", "http://127.0.0.1:10/v1"]
    assert pool.thinking is False
    assert len(make_client(["http://127.0.0.1:9", "http://127.0.0.1:10"]).servers.servers) == 2
    with pytest.raises(ValueError):
        make_client({"base_url": "http://127.0.0.1:9,http://127.0.0.1:9/v1"})  # the same server twice
    with pytest.raises(ValueError):
        make_client("http://127.0.0.1:9", role="oracle")
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


def test_loopback_server_runs_in_the_background_until_terminated(tmp_path):
    """The documented recipe: ``python -m synthagent_env.llm.loopback_server --port P &`` keeps serving."""
    port = free_port()
    pid = start_in_background(port, "--model", "proc-model", "--fault", "http_503=0.5", log=tmp_path / "log")
    try:
        time.sleep(0.5)  # it used to exit at once when stdin was not a terminal
        client = OpenAIClient(f"http://127.0.0.1:{port}", backoff=0.001, max_retries=10)
        assert [client.chat(HELLO).text for _ in range(5)] == ["OK"] * 5 and client.model == "proc-model"
        assert client.usage["retries"] > 0  # the injected faults were there and were retried
    finally:
        stop(pid, signal.SIGTERM)
    assert not (tmp_path / "log").read_text().strip().count("Traceback")
