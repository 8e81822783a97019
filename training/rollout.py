"""Play many episodes at once in our gymnasium envs and turn each into one GRPO completion.

Every turn, one ``generate`` call samples the next assistant message of all live episodes (across the G episodes of
a group and across groups); each episode then steps through the rollout core (``synthagent_env.episode``), the same
``EpisodeState`` the demo and the eval loop use. An episode becomes ``prompt_ids`` (the opening) and
``completion_ids`` (model turns with the env's replies spliced in) plus ``env_mask`` (1 = sampled by the model,
0 = written by the environment, excluded from the loss) and ``logprobs`` (of the sampled tokens; 0 for env tokens).

The env scores every episode itself. Turn and context limits are the env's; the token budget is ours, and an
episode that exhausts it is ended through the env's public ``end_episode("token_budget")``. A failed episode (the
env or simulator failed, its env worker was lost, or it was never scored) is worth 0, and all its tokens are masked
(``env_mask`` 0): a failure outside the policy's play must not teach the policy anything.

Envs come from ``make_env``: local gymnasium envs, or ``RayEnvPool.make_env`` for env workers on a Ray cluster
(the policy still generates here; env steps, simulator calls and scoring run in the actors). Either way the live
episodes of a turn step concurrently (threads: a step mostly waits on a simulator server or on an actor), and the
episodes are rendered to tokens here, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

from synthagent_env.episode import EpisodeState

from .chat_format import ChatFormat
from .generation import Generator

TOKEN_BUDGET = "token_budget"
DEFAULT_PARALLEL_STEPS = 64  # episodes stepped at once: enough for a GRPO batch waiting on simulator servers


@dataclass(frozen=True)
class RolloutLimits:
    max_completion_tokens: int = 2048  # model + env tokens per episode
    max_turn_tokens: int = 512  # tokens per assistant turn


@dataclass
class EpisodeRollout:
    """One episode as tokens, beside its ``EpisodeState`` (reward, info and failure come from there)."""

    state: EpisodeState = field(repr=False)
    prompt_ids: list[int]
    completion_ids: list[int] = field(default_factory=list)
    env_mask: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    turns: int = 0
    seen: int = 0  # messages of ``info["messages"]`` already rendered into tokens

    @property
    def task_id(self) -> str:
        return str(self.state.task_id)

    @property
    def done(self) -> bool:
        return self.state.done

    @property
    def reward(self) -> float:
        return self.state.score

    @property
    def info(self) -> dict[str, Any]:
        return self.state.info

    @property
    def end_reason(self) -> str | None:
        failure = self.state.failure
        return self.info.get("end_reason") or (f"{failure.kind}_error" if failure else None)

    def add(self, ids: list[int], logprobs: list[float] | None, from_model: bool) -> None:
        self.completion_ids += ids
        self.env_mask += [int(from_model)] * len(ids)
        self.logprobs += logprobs if logprobs is not None else [0.0] * len(ids)

    def summary(self) -> dict[str, Any]:
        """What reward functions and metrics need, small enough to travel through TRL's inputs."""
        details = self.info.get("reward_details") or {}
        failure = self.state.failure
        return {
            "task_id": self.task_id, "reward": self.reward, "turns": self.turns, "end_reason": self.end_reason,
            "stats": self.info.get("stats", {}), "failed": failure.kind if failure else None,
            "items": [{k: i[k] for k in ("id", "section", "passed")} for i in details.get("items", [])]
            if failure is None else [],
        }


class RolloutRunner:
    """Owns a pool of envs and plays batches of episodes with one generator call per turn."""

    def __init__(self, make_env: Callable[[], gym.Env], chat: ChatFormat, limits: RolloutLimits = RolloutLimits(),
                 parallel_steps: int = DEFAULT_PARALLEL_STEPS):
        self.make_env, self.chat, self.limits = make_env, chat, limits
        self._envs: list[gym.Env] = []
        self.parallel_steps = max(1, parallel_steps)
        self._threads: ThreadPoolExecutor | None = None

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

    def _each(self, fn: Callable[..., Any], *columns: Sequence[Any]) -> list[Any]:
        """``fn`` over the rows of ``columns`` at once, results in order (one row runs here, without a thread)."""
        if len(columns[0]) == 1 or self.parallel_steps == 1:
            return [fn(*row) for row in zip(*columns)]
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.parallel_steps, thread_name_prefix="rollout-step")
        return list(self._threads.map(fn, *columns))

    def _start(self, env: gym.Env, task_id: str, seed: int | None) -> EpisodeRollout:
        state = EpisodeState.start(env, task_id, seed)
        if state.failure is not None:  # the env could not even open the episode: one masked token, reward 0
            eos = self.chat.eos_id
            return EpisodeRollout(state, [eos], [eos], [0], [0.0])
        return EpisodeRollout(state, self.chat.prompt_ids(state.info["messages"], state.info["tools"]),
                              seen=len(state.info["messages"]))

    def _play(self, task_ids: list[str], generator: Generator, seed: int | None,
              offset: int = 0) -> list[EpisodeRollout]:
        envs = [self._env(offset + i) for i in range(len(task_ids))]
        seeds = [None if seed is None else seed + i for i in range(len(task_ids))]
        episodes = self._each(self._start, envs, task_ids, seeds)
        limits = self.limits
        while live := [ep for ep in episodes if not ep.done]:
            budgets = [min(limits.max_turn_tokens, limits.max_completion_tokens - len(ep.completion_ids))
                       for ep in live]
            samples = generator.generate([ep.prompt_ids + ep.completion_ids for ep in live], budgets)
            for ep, sample in zip(live, samples):
                ep.add(sample.ids, sample.logprobs, from_model=True)
                ep.turns += 1
            self._each(lambda ep, sample: ep.state.step(self.chat.decode(sample.ids)), live, samples)
            over_budget = []
            for ep, sample in zip(live, samples):
                if ep.done:
                    continue
                messages = ep.info["messages"]
                # a turn that stopped at another stop token (``<|endoftext|>``) is closed by the env's end-of-turn
                closed = sample.ended and sample.ids[-1:] == [self.chat.eos_id]
                env_ids = self.chat.env_ids(messages[ep.seen + 1:], turn_closed=closed)
                ep.seen = len(messages)
                if len(ep.completion_ids) + len(env_ids) >= limits.max_completion_tokens:
                    over_budget.append(ep)
                    continue
                ep.add(env_ids, None, from_model=False)
            if over_budget:
                self._each(lambda ep: ep.state.end(TOKEN_BUDGET), over_budget)
        for ep in episodes:
            if ep.state.failure is not None:  # not the policy's doing: no token of it is trained on
                ep.env_mask = [0] * len(ep.env_mask)
        return episodes

    def close(self) -> None:
        for env in self._envs:
            env.close()
        self._envs.clear()
        if self._threads is not None:
            self._threads.shutdown(wait=False)
            self._threads = None
