"""Our env ids as a skyrl-gym environment (``BaseTextEnv``), registered as ``"synthagent"`` with ``skyrl_gym.register``.

SkyRL builds one env per trajectory: ``skyrl_gym.make("synthagent", env_config=..., extras=row)``, then
``init(prompt)`` and ``step(llm_output)`` until ``done``. ``env_config`` (SkyRL's
``environment.skyrl_gym.synthagent`` section) names the gym id and its kwargs: ``{"env_id": ..., "env_kwargs":
{...}}``; a dataset row's ``extras`` names the task (``task_id`` / ``seed``, top level or under ``extra_info``).

- ``init`` ignores the dataset's prompt text and returns our opening (system prompt with the tool list, then the
  instruction) as chat messages, with the env's ``info`` as metadata;
- ``step`` returns the messages the env added after the assistant turn (tool results, the simulated user's
  reply, error notices) as ``observations``, the env's reward (0 until the episode ends, then the rubric reward),
  ``done = terminated or truncated``, and ``metadata`` = the env's ``info``.

The envs of one process that share a config share one ``SharedEnvFactory`` (task list, simulator, mapping path).
"""

from __future__ import annotations

import atexit
import json
import threading
from typing import Any

from skyrl_gym import register, registry
from skyrl_gym.envs.base_text_env import BaseTextEnv, BaseTextEnvStepOutput

from synthagent_env.prompts import tools_block

from .shared_env import SharedEnvFactory

SKYRL_ENV_ID = "synthagent"
_factories: dict[str, SharedEnvFactory] = {}
_lock = threading.Lock()


def shared_factory(env_id: str, env_kwargs: dict[str, Any] | None = None) -> SharedEnvFactory:
    """One factory per (env id, kwargs) per process, closed at exit."""
    key = json.dumps([env_id, env_kwargs or {}], sort_keys=True, default=str)
    with _lock:
        factory = _factories.get(key)
        if factory is None:
            factory = _factories[key] = SharedEnvFactory(env_id, env_kwargs)
        return factory


@atexit.register
def _close_factories() -> None:
    with _lock:
        for factory in _factories.values():
            factory.close()
        _factories.clear()


def _plain(config: Any) -> dict[str, Any]:
    """An OmegaConf ``DictConfig`` (what SkyRL passes) or a mapping, as a plain dict."""
    if config is None:
        return {}
    try:
        from omegaconf import DictConfig, OmegaConf

        if isinstance(config, DictConfig):
            return dict(OmegaConf.to_container(config, resolve=True))  # type: ignore[arg-type]
    except ImportError:  # pragma: no cover  (skyrl-gym depends on omegaconf)
        pass
    return dict(config)


class SynthagentSkyRLEnv(BaseTextEnv):
    def __init__(self, env_config: Any = None, extras: dict[str, Any] | None = None):
        super().__init__()
        config, extras = _plain(env_config), dict(extras or {})
        extra_info = extras.get("extra_info") or {}
        self.factory = shared_factory(config.get("env_id", "synthagent/ToolUse-v0"), config.get("env_kwargs"))
        self.task_id = extras.get("task_id", extra_info.get("task_id"))
        self.seed = extras.get("seed", extra_info.get("seed"))
        self.env = self.factory.make()
        self.max_turns = int(getattr(self.env.unwrapped, "max_turns", 16))
        self.info: dict[str, Any] = {}
        self.reward = 0.0

    def init(self, prompt: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        options = {"task_id": self.task_id} if self.task_id is not None else None
        _, self.info = self.env.reset(seed=None if self.seed is None else int(self.seed), options=options)
        messages = [dict(m) for m in self.info["messages"]]
        if self.info.get("tools") and messages and messages[0]["role"] == "system":
            messages[0]["content"] = f"{messages[0]['content']}\n\n{tools_block(self.info['tools'])}"
        return messages, self.info

    def step(self, action: str) -> BaseTextEnvStepOutput:
        self.turns += 1
        seen = len(self.info.get("messages", []))
        _, reward, terminated, truncated, self.info = self.env.step(action)
        added = [dict(m) for m in self.info["messages"][seen:] if m["role"] != "assistant"]
        self.reward = float(reward)
        return BaseTextEnvStepOutput(observations=added, reward=self.reward, done=bool(terminated or truncated),
                                     metadata=self.info, postprocessed_action=None)

    def get_metrics(self) -> dict[str, Any]:
        return {"reward": self.reward, "turns": self.turns, **(self.info.get("stats") or {})}

    def close(self) -> None:
        self.env.close()


def register_skyrl_env(env_id: str = SKYRL_ENV_ID) -> None:
    """Register the env with skyrl-gym (done on import of this module; idempotent)."""
    if env_id not in registry:
        register(id=env_id, entry_point=f"{__name__}:SynthagentSkyRLEnv")


def dataset_rows(factory: SharedEnvFactory, seeds: tuple[int, ...] = (0,)) -> list[dict[str, Any]]:
    """SkyRL dataset rows (``prompt``, ``env_class``, ``extra_info``), one per task and seed, for a parquet file."""
    rows = []
    for task_id in factory.task_ids():
        for seed in seeds:
            rows.append({"data_source": "synthagent", "env_class": SKYRL_ENV_ID,
                         "prompt": [{"role": "user", "content": task_id}],  # replaced by the env's opening in init
                         "reward_spec": {"method": "env", "ground_truth": None},
                         "extra_info": {"task_id": task_id, "seed": seed}})
    return rows


register_skyrl_env()
