"""One env id and its kwargs, turned into many envs that share what should be shared.

A server or trainer builds an env per session or per trajectory. Built naively, each would parse the task pack
again, build its own simulator (its own HTTP pool, its own offline world) and, with no ``mapping_path``, agree on
the default store only by accident. ``SharedEnvFactory`` resolves those once: one task list, one simulator object
(closed by the factory, never by an env: an env closes only what it built) and one mapping path (a file, or a
``redis://`` URL several servers share). ``make()`` is then ``gym.make(env_id, **those)``; nothing else.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import gymnasium as gym

import synthagent_env  # noqa: F401  (registers the gym ids)


def _env_class(env_id: str) -> type:
    if env_id not in gym.registry:
        known = ", ".join(sorted(k for k in gym.registry if k.startswith("synthagent/")))
        raise KeyError(f"unknown env id {env_id!r}; known: {known}")
    entry = gym.spec(env_id).entry_point
    if isinstance(entry, str):
        module, _, attr = entry.partition(":")
        entry = getattr(__import__(module, fromlist=[attr]), attr)
    return entry


def parse_env_kwargs(text: str | None) -> dict[str, Any]:
    """``--env-kwargs`` JSON as a dict, or a clear error."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as err:
        raise ValueError(f"--env-kwargs is not JSON: {err}") from err
    if not isinstance(value, dict):
        raise ValueError(f"--env-kwargs must be a JSON object, not {type(value).__name__}")
    return value


class SharedEnvFactory:
    """Builds envs of ``env_id`` that share one task list, one simulator and one mapping path."""

    def __init__(self, env_id: str = "synthagent/ToolUse-v0", env_kwargs: dict[str, Any] | None = None):
        self.env_id = env_id
        env_cls = _env_class(env_id)
        kwargs = dict(env_kwargs or {})
        self._owned: list[Any] = []
        from synthagent_env.env import ToolUseEnv

        if issubclass(env_cls, ToolUseEnv):
            from synthagent_env import store_pool
            from synthagent_env.pack import DEFAULT_PACK, load_tasks
            from synthagent_env.simulators import Simulator, make_simulator

            kwargs["tasks"] = load_tasks(kwargs.get("tasks", DEFAULT_PACK))
            spec = kwargs.get("simulator")
            kwargs["simulator"] = make_simulator(spec)
            if not isinstance(spec, Simulator):
                self._owned.append(kwargs["simulator"])
            kwargs["mapping_path"] = store_pool.check(kwargs.get("mapping_path"))
        self.kwargs = kwargs
        self._lock = threading.Lock()
        self._task_ids: list[str] | None = None
        try:
            self.task_ids()  # builds one env now: bad kwargs are an error here, not in the first session
        except Exception:
            self.close()
            raise

    @property
    def simulator(self) -> Any:
        return self.kwargs.get("simulator")

    @property
    def mapping_path(self) -> str | None:
        return self.kwargs.get("mapping_path")

    def make(self, **overrides: Any) -> gym.Env:
        """A new env (the caller closes it); ``overrides`` replace this factory's kwargs for that env only."""
        return gym.make(self.env_id, **{**self.kwargs, **overrides})

    def task_ids(self) -> list[str]:
        """The ids of the tasks an env of this factory plays (``reset(options={"task_id": ...})``)."""
        with self._lock:
            if self._task_ids is None:
                env = self.make()
                try:
                    self._task_ids = [str(t.id) for t in env.unwrapped.tasks]
                finally:
                    env.close()
            return list(self._task_ids)

    def close(self) -> None:
        """Close what this factory built (the simulator made from a spec); envs made from it must be closed first."""
        for part in self._owned:
            closer = getattr(part, "close", None)
            if callable(closer):
                closer()
        self._owned.clear()

    def __enter__(self) -> SharedEnvFactory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
