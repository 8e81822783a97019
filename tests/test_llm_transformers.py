"""Real models: the local transformers client on a tiny model, and a real third-party OpenAI-compatible server.

``transformers serve`` (FastAPI + uvicorn, from the ``transformers[serving]`` extra) serves the same tiny
model on loopback, so the client and the LLM simulator are checked against a wire format we did not write.
A random tiny model writes junk: the simulator must turn that into a clean truncation, never a crash.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import gymnasium as gym
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import synthagent_env  # noqa: F401
from synthagent_env import load_tasks
from synthagent_env.llm import (
    Completion,
    LLMResponseError,
    LLMUnavailableError,
    OpenAIClient,
    make_client,
)
from synthagent_env.llm.transformers_client import TransformersClient, _tool_calls
from synthagent_env.simulators import make_simulator
from synthagent_env.task import ToolCallStep

CHAT = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Where is my order?"}]
TASK = load_tasks("tooluse-v0")[0].model_copy(update={"seed_mapping": []})
SAMPLED = {"temperature": 1.0, "top_p": 1.0, "seed": 0}  # a random tiny model's greedy output is all newlines


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    from synthagent_env.testing import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


def test_a_model_that_writes_only_whitespace_is_an_error_not_empty_content(tiny):
    client = TransformersClient(tiny, max_new_tokens=6, sampling={"temperature": 0})
    with pytest.raises(LLMResponseError, match="wrote nothing"):
        client.chat(CHAT)
    with pytest.raises(LLMResponseError, match="wrote nothing"):
        client.chat_batch([CHAT, CHAT[1:]])
    assert client.usage["requests"] == 3  # generated (and counted), then refused


def test_local_client_samples_reproducibly_batches_and_counts(tiny):
    client = TransformersClient(tiny, max_new_tokens=12)
    first, again = client.chat(CHAT, **SAMPLED), client.chat(CHAT, **SAMPLED)
    assert first.text and first.text == again.text and first.reasoning is None
    assert first.finish_reason == "length" and first.usage.completion_tokens == 12
    prompt = client.tokenizer.apply_chat_template(CHAT, add_generation_prompt=True, tokenize=False)
    assert first.usage.prompt_tokens == len(client.tokenizer(prompt, add_special_tokens=False)["input_ids"])
    served: list[int] = []
    generate = client.model.generate

    def counting(**kw):
        served.append(kw["input_ids"].shape[0])
        return generate(**kw)

    client.model.generate = counting
    outs: list[Completion] = []
    threads = [threading.Thread(target=lambda: outs.append(client.chat(CHAT, temperature=1.0))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outs) == 4 and all(o.text for o in outs) and sum(served) == 4  # each request served exactly once
    assert client.usage["requests"] == 6
    assert make_client(str(tiny), max_new_tokens=2).max_new_tokens == 2


@pytest.fixture(scope="module")
def qwen3_like(tiny, tmp_path_factory) -> Path:
    """The tiny model with a template that, like Qwen3's, opens an empty think block when thinking is off."""
    folder = tmp_path_factory.mktemp("qwen3-like") / "model"
    shutil.copytree(tiny, folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    template_file = folder / "chat_template.jinja"
    template = template_file.read_text() if template_file.exists() else config["chat_template"]
    template += "{%- if add_generation_prompt and enable_thinking is defined and enable_thinking is false %}" \
                "{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}"
    if template_file.exists():
        template_file.write_text(template)
    else:
        config["chat_template"] = template
        (folder / "tokenizer_config.json").write_text(json.dumps(config))
    return folder


def _empty_think_block_tokens(client: TransformersClient) -> int:
    return len(client.tokenizer("<think>\n\n</think>\n\n", add_special_tokens=False)["input_ids"])


def test_thinking_switch_reaches_the_chat_template(qwen3_like):
    default = TransformersClient(qwen3_like, max_new_tokens=4)
    off = TransformersClient(qwen3_like, max_new_tokens=4, thinking=False)
    assert make_client(str(qwen3_like), role="simulator").thinking is False
    a, b = default.chat(CHAT, **SAMPLED), off.chat(CHAT, **SAMPLED)
    assert b.usage.prompt_tokens == a.usage.prompt_tokens + _empty_think_block_tokens(default) > a.usage.prompt_tokens


def test_hermes_tool_calls_become_openai_calls():
    text, calls = _tool_calls('Checking.<tool_call>{"name": "get_order", "arguments": {"order_id": "A-1"}}</tool_call>')
    assert text == "Checking." and calls[0]["function"]["name"] == "get_order"
    assert json.loads(calls[0]["function"]["arguments"]) == {"order_id": "A-1"}
    assert _tool_calls("<tool_call>{broken</tool_call>") == ("<tool_call>{broken</tool_call>", [])
    both = '<tool_call>{"name": "a", "arguments": {}}</tool_call><tool_call>{"name": "b"</tool_call>'
    assert _tool_calls(both) == (both, [])  # one malformed block: the env must see (and report) it
    text, calls = _tool_calls('<think>plan</think>{"name": "a", "arguments": {"x": 1}}')
    assert text == "" and calls[0]["function"] == {"name": "a", "arguments": '{"x": 1}'}


def test_a_junk_local_model_ends_the_episode_as_a_simulator_failure(tiny, tmp_path):
    """The user model writes only whitespace: the episode ends with the reason, never with an empty user turn."""
    env = gym.make("synthagent/ToolUse-v0", tasks=[TASK], mapping_path=tmp_path / "m.sqlite",
                   simulator={"model_path": str(tiny), "max_new_tokens": 8, "tool": {"max_attempts": 1},
                              "user": {"max_attempts": 1, "sampling": {"temperature": 0}}})
    assert env.unwrapped.simulator.name == "transformers"
    env.reset(options={"task_id": TASK.id})
    _, _, terminated, truncated, info = env.step("Could you tell me your order number?")
    env.close()
    assert (terminated, truncated, info["end_reason"]) == (False, True, "simulator_failure")
    assert "user simulator" in info["failure"] and "wrote nothing" in info["failure"]
    assert make_simulator(str(tiny)).name == "transformers"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(qwen3_like):
    from transformers.utils.import_utils import is_serve_available

    if not is_serve_available():
        pytest.skip("transformers serve needs fastapi, uvicorn and openai (pip install 'transformers[serving]')")
    port = _free_port()
    cli = Path(sys.executable).parent / "transformers"
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "transformers.cli.transformers"]
    proc = subprocess.Popen([*command, "serve", str(qwen3_like), "--host", "127.0.0.1", "--port", str(port),
                             "--device", "cpu"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"transformers serve exited: {proc.stderr.read()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("transformers serve did not start within 120 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_client_speaks_to_transformers_serve(served, qwen3_like):
    """Same model, same seed: the server's sampled reply is the local client's; its all-newline greedy reply is an
    error after the retries, never empty content; the thinking switch reaches the server's chat template."""
    client = OpenAIClient(served, timeout=60, max_retries=1, backoff=0.01)
    out = client.chat(CHAT, max_tokens=5, **SAMPLED)
    assert client.model == str(qwen3_like)  # discovered from /v1/models
    local = TransformersClient(qwen3_like)
    expected = local.chat(CHAT, max_tokens=5, **SAMPLED)
    assert out.text == expected.text and out.usage == expected.usage and out.finish_reason == "length"
    import asyncio

    assert asyncio.run(client.achat(CHAT, max_tokens=5, **SAMPLED)).text == expected.text
    with pytest.raises(LLMUnavailableError, match="the reply is empty"):
        client.chat(CHAT, max_tokens=5, temperature=0)
    no_thinking = make_client(served, role="simulator", timeout=60).chat(CHAT, max_tokens=5, **SAMPLED)
    assert no_thinking.usage.prompt_tokens == out.usage.prompt_tokens + _empty_think_block_tokens(local)


def test_env_ends_cleanly_on_a_real_server_with_a_junk_model(served, tmp_path):
    sim = {"base_url": served, "timeout": 60, "max_retries": 1, "backoff": 0.01,
           "tool": {"max_attempts": 1, "sampling": {"max_tokens": 8, "temperature": 0}},
           "user": {"max_attempts": 1, "sampling": {"max_tokens": 8, "temperature": 0}}}
    env = gym.make("synthagent/ToolUse-v0", tasks=[TASK], simulator=sim, mapping_path=tmp_path / "m.sqlite")
    env.reset(options={"task_id": TASK.id})
    step = next(s for s in TASK.reference_solution if isinstance(s, ToolCallStep))
    call = json.dumps({"name": step.tool, "arguments": step.arguments})
    _, _, terminated, truncated, info = env.step(f"<tool_call>{call}</tool_call>")
    env.close()
    event = info["trajectory"][-1]
    assert (terminated, truncated, info["end_reason"]) == (False, True, "simulator_failure")
    assert event["error_kind"] == "simulator_failure" and "the reply is empty" in info["failure"]
