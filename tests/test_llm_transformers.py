"""Real models: the local transformers client on a tiny model, and a real third-party OpenAI-compatible server.

``transformers serve`` (FastAPI + uvicorn, from the ``transformers[serving]`` extra) serves the same tiny
model on loopback, so the client and the LLM simulator are checked against a wire format we did not write.
A random tiny model writes junk: the simulator must turn that into a clean truncation, never a crash.
"""

from __future__ import annotations

import json
import os
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

import synthagent_env  # noqa: E402,F401
from synthagent_env import load_tasks  # noqa: E402
from synthagent_env.llm import Completion, OpenAIClient, make_client  # noqa: E402
from synthagent_env.llm.transformers_client import TransformersClient, _tool_calls  # noqa: E402
from synthagent_env.simulators import make_simulator  # noqa: E402
from synthagent_env.task import ToolCallStep  # noqa: E402

CHAT = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Where is my order?"}]
TASK = load_tasks("tooluse-v0")[0].model_copy(update={"seed_mapping": []})


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    from synthagent_env.testing import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


def test_local_client_generates_batches_and_counts(tiny):
    client = TransformersClient(tiny, max_new_tokens=6, sampling={"temperature": 0})
    out = client.chat(CHAT, seed=0)
    assert isinstance(out, Completion) and isinstance(out.text, str)
    assert out.usage.prompt_tokens > 0 and 0 < out.usage.completion_tokens <= 6
    assert out.finish_reason in {"stop", "length"}
    batch = client.chat_batch([CHAT, CHAT[1:], [{"role": "user", "content": "hi"}]])
    assert len(batch) == 3 and batch[0].text == out.text  # greedy: same prompt, same output, padding or not
    outs: list[Completion] = []
    threads = [threading.Thread(target=lambda: outs.append(client.chat(CHAT))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outs) == 4 and len({o.text for o in outs}) == 1
    assert client.usage["requests"] == 8
    assert make_client(str(tiny), max_new_tokens=2).max_new_tokens == 2


def test_hermes_tool_calls_become_openai_calls():
    text, calls = _tool_calls('Checking.<tool_call>{"name": "get_order", "arguments": {"order_id": "A-1"}}</tool_call>')
    assert text == "Checking." and calls[0]["function"]["name"] == "get_order"
    assert json.loads(calls[0]["function"]["arguments"]) == {"order_id": "A-1"}
    assert _tool_calls("<tool_call>{broken</tool_call>") == ("<tool_call>{broken</tool_call>", [])


def test_local_model_folder_selects_the_transformers_simulator(tiny, tmp_path):
    env = gym.make("synthagent/ToolUse-v0", tasks=[TASK], mapping_path=tmp_path / "m.sqlite",
                   simulator={"model_path": str(tiny), "max_new_tokens": 8, "tool": {"max_attempts": 1},
                              "user": {"max_attempts": 1}})
    assert env.unwrapped.simulator.name == "transformers"
    env.reset(options={"task_id": TASK.id})
    _, _, terminated, truncated, info = env.step("Could you tell me your order number?")
    assert info["end_reason"] in {None, "user_stop", "simulator_failure"}  # junk from a random model is handled
    if info["end_reason"] == "simulator_failure":
        assert truncated and "user simulator" in info["failure"]
    env.close()
    assert make_simulator(str(tiny)).name == "transformers"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tiny):
    from transformers.utils.import_utils import is_serve_available

    if not is_serve_available():
        pytest.skip("transformers serve needs fastapi, uvicorn and openai (pip install 'transformers[serving]')")
    port = _free_port()
    cli = Path(sys.executable).parent / "transformers"
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "transformers.cli.transformers"]
    proc = subprocess.Popen([*command, "serve", str(tiny), "--host", "127.0.0.1", "--port", str(port),
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


def test_client_speaks_to_transformers_serve(served, tiny):
    client = OpenAIClient(served, timeout=60, max_retries=2)
    out = client.chat(CHAT, max_tokens=5, temperature=0)
    assert client.model == str(tiny)  # discovered from /v1/models
    assert isinstance(out.text, str) and out.finish_reason in {"stop", "length"}
    assert out.usage.prompt_tokens > 0 and 0 < out.usage.completion_tokens <= 5
    import asyncio

    assert isinstance(asyncio.run(client.achat(CHAT, max_tokens=3)).text, str)


def test_env_survives_a_real_server_with_a_junk_model(served, tmp_path):
    sim = {"base_url": served, "timeout": 60, "tool": {"max_attempts": 1, "sampling": {"max_tokens": 8}},
           "user": {"max_attempts": 1, "sampling": {"max_tokens": 8}}}
    env = gym.make("synthagent/ToolUse-v0", tasks=[TASK], simulator=sim, mapping_path=tmp_path / "m.sqlite")
    env.reset(options={"task_id": TASK.id})
    step = next(s for s in TASK.reference_solution if isinstance(s, ToolCallStep))
    call = json.dumps({"name": step.tool, "arguments": step.arguments})
    obs, _, _, truncated, info = env.step(f"<tool_call>{call}</tool_call>")
    env.close()
    event = info["trajectory"][-1]
    assert event["error_kind"] in {None, "simulator_failure"}, event
    assert event["status"] == "ok" or (truncated and info["end_reason"] == "simulator_failure" and info["failure"])
