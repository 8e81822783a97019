"""Test-only replies and process helpers for the loopback server (``synthagent_env.llm.loopback_server``).

The replies imitate what real servers send when things go wrong: an error body with HTTP 200, a thinking model
cut off by ``max_tokens``, ``transformers serve``'s bare HTTP 500 for a malformed ``<tool_call>``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from synthagent_env.llm.loopback_server import HTTPReply

HELLO = [{"role": "user", "content": "hello"}]

ERROR_BODY = HTTPReply(200, {"error": {"message": "CUDA out of memory", "type": "server_error", "code": 500}})
NO_CHOICES = HTTPReply(200, {"id": "chatcmpl-1", "object": "chat.completion", "choices": []})
# What transformers serve 5.24 answers when its response parser raises on the model's output (Starlette's default).
TRANSFORMERS_SERVE_500 = HTTPReply(500, "Internal Server Error")
VLLM_TOOL_PARSE_500 = HTTPReply(503, {"error": {"message": "Error in extracting tool call from response.",
                                                "type": "InternalServerError"}})


def reasoning_only(words: int = 400) -> dict[str, Any]:
    """A Qwen3-style reply that spent ``max_tokens`` thinking: a long unfinished ``<think>`` and no answer."""
    return {"content": "<think>" + "Let me consider what the user wants. " * (words // 7),
            "finish_reason": "length"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_in_background(port: int, *args: str, log: Path | None = None) -> int:
    """``python -m synthagent_env.llm.loopback_server --port PORT ... &`` through a shell, as the docs say; the
    server's pid once it answers. stdin is not a terminal (a background job's is /dev/null)."""
    out = str(log) if log else "/dev/null"
    command = (f"{sys.executable} -m synthagent_env.llm.loopback_server --port {port} {' '.join(args)} "
               f"> {out} 2>&1 & echo $!")
    pid = int(subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=True,
                             stdin=subprocess.DEVNULL, env={**os.environ, "OMP_NUM_THREADS": "1"}).stdout)
    wait_until_serving(port)
    return pid


def wait_until_serving(port: int, within: float = 20.0) -> None:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"the loopback server on port {port} did not answer within {within:g} s")


def stats(port: int) -> dict[str, int]:
    return json.loads(httpx.get(f"http://127.0.0.1:{port}/stats", timeout=2).content)


def stop(pid: int, sig: int = signal.SIGTERM, within: float = 10.0) -> None:
    """Send ``sig`` to a server started in the background and wait until the process is gone."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not _alive(pid):
            return
        time.sleep(0.02)
    raise RuntimeError(f"process {pid} did not exit within {within:g} s of signal {sig}")


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie, which the shell's init has not reaped yet, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError, ProcessLookupError):
        return False
    return state != "Z"
