"""Play many episodes at once in our gymnasium envs and turn each into one GRPO completion.

Every turn, one ``generate`` call samples the next assistant message of all live episodes (across the G episodes of
a group and across groups); each env then steps on its episode's message. An episode becomes ``prompt_ids`` (the
opening) and ``completion_ids`` (model turns with the env's replies spliced in) plus ``env_mask`` (1 = sampled by the
model, 0 = written by the environment, excluded from the loss) and ``logprobs`` (of the sampled tokens; 0 for env
tokens). The reward is the env's rubric reward at the episode's end. Turn limits are the env's (``max_turns``); the
token budget is ours, and an episode that exhausts it is scored like the env scores a context-limit end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

from .chat_format import ChatFormat
from .generation import Generator


@dataclass(frozen=True)
class RolloutLimits:
    max_completion_tokens: int = 2048  # model + env tokens per episode
    max_turn_tokens: int = 512  # tokens per assistant turn


@dataclass
class EpisodeRollout:
    task_id: str
    prompt_ids: list[int]
    completion_ids: list[int] = field(default_factory=list)
    env_mask: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    reward: float = 0.0
    turns: int = 0
    end_reason: str | None = None
    info: dict[str, Any] = field(default_factory=dict)
    done: bool = False

    def add(self, ids: list[int], logprobs: list[float] | None, from_model: bool) -> None:
        self.completion_ids += ids
        self.env_mask += [int(from_model)] * len(ids)
        self.logprobs += logprobs if logprobs is not None else [0.0] * len(ids)

    def finish(self, reward: float, info: dict[str, Any], reason: str | None) -> None:
        self.reward, self.info, self.done = float(reward), info, True
        self.end_reason = reason or info.get("end_reason")

    def summary(self) -> dict[str, Any]:
        """What reward functions and metrics need, small enough to travel through TRL's inputs."""
        details = self.info.get("reward_details") or {}
        return {
            "task_id": self.task_id, "reward": self.reward, "turns": self.turns, "end_reason": self.end_reason,
            "stats": self.info.get("stats", {}),
            "items": [{k: i[k] for k in ("id", "section", "passed")} for i in details.get("items", [])],
        }


def _score_unfinished(env: gym.Env, info: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Rubric reward of an episode stopped by the token budget, scored as the env scores a context-limit end."""
    from synthagent_env.rubric import score_episode

    base = env.unwrapped
    result = score_episode(base.task, info["trajectory"], base.reward_config, base.judge)
    return result.reward, {**info, "end_reason": "token_budget", "reward_details": result.as_info()}


class RolloutRunner:
    """Owns a pool of envs and plays batches of episodes with one generator call per turn."""

    def __init__(self, make_env: Callable[[], gym.Env], chat: ChatFormat, limits: RolloutLimits = RolloutLimits()):
        self.make_env, self.chat, self.limits = make_env, chat, limits
        self._envs: list[gym.Env] = []

    def _env(self, i: int) -> gym.Env:
        while len(self._envs) <= i:
            self._envs.append(self.make_env())
        return self._envs[i]

    def play(self, task_ids: list[str], generator: Generator, seed: int | None = None,
             batched: bool = True) -> list[EpisodeRollout]:
        """Play one episode per task id (repeat an id G times for a group); ``batched=False`` is for benchmarks."""
        if not batched:
            return [ep for i, t in enumerate(task_ids)
                    for ep in self._play([t], generator, None if seed is None else seed + i, offset=i)]
        return self._play(task_ids, generator, seed)

    def _play(self, task_ids: list[str], generator: Generator, seed: int | None,
              offset: int = 0) -> list[EpisodeRollout]:
        episodes, envs, seen = [], [], []
        for i, task_id in enumerate(task_ids):
            env = self._env(offset + i)
            _, info = env.reset(seed=None if seed is None else seed + i, options={"task_id": task_id})
            episodes.append(EpisodeRollout(task_id, self.chat.prompt_ids(info["messages"], info["tools"])))
            envs.append(env)
            seen.append(len(info["messages"]))
        limits = self.limits
        while live := [i for i, ep in enumerate(episodes) if not ep.done]:
            budgets = [min(limits.max_turn_tokens, limits.max_completion_tokens - len(episodes[i].completion_ids))
                       for i in live]
            samples = generator.generate([episodes[i].prompt_ids + episodes[i].completion_ids for i in live], budgets)
            for i, sample in zip(live, samples):
                ep, env = episodes[i], envs[i]
                ep.add(sample.ids, sample.logprobs, from_model=True)
                ep.turns += 1
                _, reward, terminated, truncated, info = env.step(self.chat.decode(sample.ids))
                if terminated or truncated:
                    ep.finish(float(reward), info, None)
                    continue
                env_ids = self.chat.env_ids(info["messages"][seen[i] + 1:], turn_closed=sample.ended)
                seen[i] = len(info["messages"])
                if len(ep.completion_ids) + len(env_ids) >= limits.max_completion_tokens:
                    ep.finish(*_score_unfinished(env, info), "token_budget")
                    continue
                ep.add(env_ids, None, from_model=False)
        return episodes

    def close(self) -> None:
        for env in self._envs:
            env.close()
        self._envs.clear()
