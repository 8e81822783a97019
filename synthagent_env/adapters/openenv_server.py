"""Any synthagent env id as an OpenEnv server, on openenv-core's own ``HTTPEnvServer`` (HTTP + WebSocket).

Each WebSocket session (``/ws``; what ``EnvClient`` speaks) gets its own env from one ``SharedEnvFactory``: the
sessions of a server share one task list, one simulator object and one mapping store (a ``redis://`` mapping path
shares it between servers too). openenv-core bounds the sessions (``max_sessions``; one more gets a
``CAPACITY_REACHED`` error), runs each session's env in its own thread, frees it (``env.close()``) when the client
closes, disconnects or dies, and answers an exception in one session as an error to that client only. Idle
sessions are reaped after ``session_timeout`` seconds if set. ``GET /sessions`` reports the open sessions.

An action is one assistant message: ``{"content": str, "tool_calls": [...] | null}`` (Hermes ``<tool_call>`` text
in ``content``, or OpenAI-style ``tool_calls``). An observation carries the env's text observation, its reward,
``done``/``terminated``/``truncated`` and the env's full ``info`` (tools, messages, trajectory, reward details).
openenv-core drops ``Observation.metadata`` from what it sends, so ``info`` is a field of its own.
"""

from __future__ import annotations

import functools
import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from openenv.core.env_server.http_server import HTTPEnvServer
from openenv.core.env_server.interfaces import Environment
from openenv.core.env_server.types import Action, ConcurrencyConfig, EnvironmentMetadata, Observation, State
from pydantic import Field
from starlette.websockets import WebSocketDisconnect

from .shared_env import SharedEnvFactory


class SynthagentAction(Action):
    """One assistant message."""

    content: str = Field(default="", description="the message text (may hold Hermes <tool_call> blocks, <answer>)")
    tool_calls: list[dict[str, Any]] | None = Field(default=None, description="OpenAI-style tool calls, if any")

    def as_env_action(self) -> str | dict[str, Any]:
        return self.content if self.tool_calls is None else {"content": self.content, "tool_calls": self.tool_calls}


class SynthagentObservation(Observation):
    text: str = Field(default="", description="the env's observation text")
    terminated: bool = False
    truncated: bool = False
    info: dict[str, Any] = Field(default_factory=dict, description="the env's info dict (JSON)")


class SynthagentState(State):
    task_id: str | None = None
    end_reason: str | None = None
    reward: float = 0.0


class SynthagentEnvironment(Environment[SynthagentAction, SynthagentObservation, SynthagentState]):
    """One session's env: ``factory.make()`` behind openenv-core's ``Environment`` interface."""

    SUPPORTS_CONCURRENT_SESSIONS = True  # each session has its own env; shared parts are built to be shared

    def __init__(self, factory: SharedEnvFactory):
        super().__init__()
        self.factory = factory
        self.env = factory.make()
        self._state = SynthagentState()
        self._closed = False

    def _check_open(self) -> None:
        """openenv-core's reaper closes an idle session's env and frees its slot but keeps the socket open: that
        client must not go on (past ``max_sessions``, on an env whose store was released)."""
        if self._closed:
            raise RuntimeError("this session was freed after being idle too long (--session-timeout); "
                               "open a new connection")

    def reset(self, seed: int | None = None, episode_id: str | None = None, task_id: str | None = None,
              task_index: int | None = None, **kwargs: Any) -> SynthagentObservation:
        self._check_open()
        options = {k: v for k, v in (("task_id", task_id), ("task_index", task_index)) if v is not None}
        try:
            text, info = self.env.reset(seed=seed, options=options or None)
        except Exception:
            # gymnasium 1.4's PassiveEnvChecker keeps no data after a failed first reset and then fails every
            # step; a fresh env (cheap: its parts are shared) keeps the session usable after a bad task id
            self.env.close()
            self.env = self.factory.make()
            raise
        self._state = SynthagentState(episode_id=episode_id or str(uuid.uuid4()), step_count=0,
                                      task_id=info.get("task_id"))
        return SynthagentObservation(text=text, info=info, done=False, reward=None)

    def step(self, action: SynthagentAction, timeout_s: float | None = None, **kwargs: Any) -> SynthagentObservation:
        self._check_open()
        text, reward, terminated, truncated, info = self.env.step(action.as_env_action())
        self._state.step_count += 1
        self._state.end_reason = info.get("end_reason")
        self._state.reward = float(reward)
        return SynthagentObservation(text=text, reward=float(reward), done=bool(terminated or truncated),
                                     terminated=bool(terminated), truncated=bool(truncated), info=info)

    @property
    def state(self) -> SynthagentState:
        return self._state

    def get_metadata(self) -> EnvironmentMetadata:
        return EnvironmentMetadata(name=self.factory.env_id, version="0.2.0",
                                   description=f"synthagent env {self.factory.env_id} (gym.make over OpenEnv)")

    def close(self) -> None:
        self._closed = True
        self.env.close()


NOT_A_MESSAGE = ""  # what a malformed frame becomes: openenv-core answers it with INVALID_JSON, session intact


def usable_frame(message: dict[str, Any]) -> dict[str, Any]:
    """A WebSocket frame openenv-core can read without ending the session, else one it answers as INVALID_JSON.

    openenv-core reads each frame with ``receive_text`` and ``json.loads``, catching only ``JSONDecodeError``,
    then calls ``.get`` on the result: a binary frame, a JSON array or string, JSON nested too deeply for the
    decoder, or an integer of over 4,300 digits raised out of its loop and ended the session mid-episode."""
    if message.get("type") != "websocket.receive":
        return message
    text = message.get("text")
    if text is None:
        data = message.get("bytes")
        try:
            text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else NOT_A_MESSAGE
        except UnicodeDecodeError:
            text = NOT_A_MESSAGE
    try:
        ok = isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        ok = False
    return {"type": "websocket.receive", "text": text if ok else NOT_A_MESSAGE}


class _QuietWebSocketClose:
    """openenv-core closes a session's socket in ``finally`` and lets the error of closing an already closed one
    escape (uvicorn logs it as a crash per disconnect); the session is freed by then, so that error is dropped.
    Every incoming frame passes ``usable_frame`` first."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "websocket":
            inner = receive

            async def receive() -> dict[str, Any]:
                return usable_frame(await inner())
        try:
            await self.app(scope, receive, send)
        except WebSocketDisconnect:
            if scope.get("type") != "websocket":
                raise


def build_app(factory: SharedEnvFactory, *, max_sessions: int = 64,
              session_timeout: float | None = None) -> tuple[FastAPI, HTTPEnvServer]:
    """A FastAPI app serving ``factory``'s env over openenv-core's routes, and the server (for its sessions)."""
    server = HTTPEnvServer(functools.partial(SynthagentEnvironment, factory), SynthagentAction,
                           SynthagentObservation,
                           concurrency_config=ConcurrencyConfig(max_concurrent_envs=max_sessions,
                                                                session_timeout=session_timeout))
    app = FastAPI(title=f"synthagent {factory.env_id} (OpenEnv)")
    server.register_routes(app)
    app.add_middleware(_QuietWebSocketClose)

    @app.get("/sessions")
    def sessions() -> dict[str, Any]:
        status = server.get_capacity_status()
        return {"active_sessions": status.active_sessions, "max_sessions": status.max_sessions}

    return app, server


def serve(env_id: str, env_kwargs: dict[str, Any] | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          max_sessions: int = 64, session_timeout: float | None = None, log_level: str = "warning") -> None:
    """Run the server in this thread until interrupted (what ``synthagent serve`` does)."""
    import uvicorn

    with SharedEnvFactory(env_id, env_kwargs) as factory:
        app, _ = build_app(factory, max_sessions=max_sessions, session_timeout=session_timeout)
        uvicorn.run(app, host=host, port=port, log_level=log_level, ws_max_size=64 * 1024 * 1024)


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextmanager
def server_process(env_id: str = "synthagent/ToolUse-v0", env_kwargs: dict[str, Any] | None = None, *,
                   host: str = "127.0.0.1", port: int | None = None, max_sessions: int = 64,
                   session_timeout: float | None = None, startup_timeout: float = 120.0) -> Iterator[str]:
    """``synthagent serve`` in a child process until the block ends; yields its base URL once it answers."""
    import httpx

    port = port or _free_port(host)
    cmd = [sys.executable, "-m", "synthagent_env.adapters.serve_cli", "--env", env_id, "--host", host,
           "--port", str(port), "--max-sessions", str(max_sessions), "--env-kwargs", json.dumps(env_kwargs or {})]
    if session_timeout is not None:
        cmd += ["--session-timeout", str(session_timeout)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"synthagent serve exited with status {proc.returncode} before answering")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"synthagent serve did not answer on {url} within {startup_timeout:.0f} s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
