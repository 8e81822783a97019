"""The one rollout core: an episode's state and its step function, shared by the demo, eval, training and tests.

``EpisodeState`` holds one episode in one env (the last observation and ``info``, reward, flags, steps) and knows
when it is over and whether it failed. Three drivers use it: ``play_episode`` (sync, one agent), ``aplay_episode``
(async, what the eval loop runs many of at once) and the trainer's batched stepping (one generate call per turn for
every live episode, ``synthagent_training.rollout``). The env scores its own episodes: a loop that stops one early
(a token budget, a step guard) calls the env's public ``end_episode(reason)``; nothing re-scores from outside.

A failed episode (the agent raised, the env raised, the simulator failed, the env worker was lost, or the env
ended without ``reward_details``) carries an ``EpisodeFailure`` and is worth 0 wherever it is counted.
"""

from __future__ import annotations

import math
import traceback
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

# end reasons with which the env says the episode failed for reasons outside the agent's play -> failure kind
FAILED_END_REASONS = {"simulator_failure": "simulator", "store_failure": "env", "env_error": "env",
                      "worker_lost": "worker"}  # the Ray actor holding the episode died (``ray_pool``)
TIME_LIMIT_REASON = "time_limit"  # a ``TimeLimit`` wrapper truncated an episode the env had not ended itself


@dataclass(frozen=True)
class EpisodeFailure:
    """Why an episode does not count as played: ``kind`` is ``agent``, ``env``, ``simulator`` or ``worker``."""

    kind: str
    reason: str
    traceback: str | None = None
    exception: BaseException | None = field(default=None, compare=False, repr=False)


def _failure(kind: str, err: BaseException) -> EpisodeFailure:
    return EpisodeFailure(kind, f"{type(err).__name__}: {err}", traceback.format_exc(limit=6)[-4000:], err)


@dataclass
class EpisodeResult:
    task_id: str
    reward: float  # the env's reward; 0.0 when the episode failed
    terminated: bool
    truncated: bool
    info: dict[str, Any] = field(default_factory=dict)
    failure: EpisodeFailure | None = None
    steps: int = 0

    @property
    def failed(self) -> bool:
        return self.failure is not None

    @property
    def failures(self) -> list[str]:
        """The rubric items this episode did not meet (forbidden ones: those it violated)."""
        details = self.info.get("reward_details") or {}
        return [f"{i['id']}: {i['reason']}" for i in details.get("items", [])
                if (i["section"] == "forbidden") == bool(i["passed"])]


class EpisodeState:
    """One episode in progress. ``start`` resets the env; ``step`` plays one action; ``end`` stops it early."""

    def __init__(self, env: gym.Env, task_id: str | None, seed: int | None):
        self.env, self.task_id, self.seed = env, task_id, seed
        self.observation: Any = None
        self.info: dict[str, Any] = {}
        self.reward, self.terminated, self.truncated, self.steps = 0.0, False, False, 0
        self.failure: EpisodeFailure | None = None

    @classmethod
    def start(cls, env: gym.Env, task_id: str | None = None, seed: int | None = None,
              options: dict[str, Any] | None = None) -> EpisodeState:
        """Reset ``env`` for ``task_id``; a reset that raises leaves a failed (done) state instead of raising."""
        state = cls(env, task_id, seed)
        options = {**(options or {}), **({"task_id": task_id} if task_id is not None else {})}
        try:
            state.observation, state.info = env.reset(seed=seed, options=options or None)
        except Exception as err:  # noqa: BLE001  (a dead store or server: a failed episode, not a crash)
            state.failure = _failure("env", err)
        state.task_id = state.info.get("task_id", task_id)
        return state

    @property
    def done(self) -> bool:
        return self.terminated or self.truncated or self.failure is not None

    @property
    def score(self) -> float:
        """What the episode is worth: the env's reward, or 0 if it failed."""
        return 0.0 if self.failure is not None else float(self.reward)

    def step(self, action: Any) -> None:
        """Play one action; an env that raises ends the episode as an env failure."""
        if self.done:
            raise RuntimeError("the episode is over")
        try:
            self.observation, reward, terminated, truncated, self.info = self.env.step(action)
        except Exception as err:  # noqa: BLE001
            self.failure = _failure("env", err)
            return
        self.steps += 1
        self.reward, self.terminated, self.truncated = self.accept_reward(reward), bool(terminated), bool(truncated)
        if self.terminated or self.truncated:
            self._settle()

    def end(self, reason: str) -> None:
        """Stop the episode now and let the env score it (``env.unwrapped.end_episode(reason)``)."""
        if self.done:
            return
        ender = getattr(self.env.unwrapped, "end_episode", None)
        if ender is None:
            self.failure = EpisodeFailure("env", f"the env cannot end an episode early (no end_episode): {reason}")
            return
        try:
            self.observation, reward, _, _, self.info = ender(reason)
        except Exception as err:  # noqa: BLE001
            self.failure = _failure("env", err)
            return
        self.reward, self.terminated, self.truncated = self.accept_reward(reward), False, True
        self._settle()

    def accept_reward(self, reward: Any) -> float:
        """The env's reward as a float; one that is not a finite number fails the episode (an env bug must not
        reach a mean or a gradient as NaN, nor crash the loop that plays it)."""
        try:
            value = float(reward)
        except (TypeError, ValueError):
            value = math.nan
        if isinstance(reward, bool) or not math.isfinite(value):
            self.failure = EpisodeFailure("env", f"the env returned reward {reward!r}: not a finite number")
            return 0.0
        return value

    def fail(self, kind: str, err: BaseException) -> None:
        """Record that the episode failed outside the env (``kind`` "agent": the agent raised)."""
        self.failure = _failure(kind, err)

    def _settle(self) -> None:
        """The episode ended: it must be scored (``reward_details``) and not have ended in a failure."""
        if "reward_details" not in self.info and self.truncated:  # e.g. a ``TimeLimit`` wrapper's truncation
            ender = getattr(self.env.unwrapped, "end_episode", None)
            if ender is not None:
                try:
                    _, reward, _, _, info = ender(TIME_LIMIT_REASON)
                except Exception as err:  # noqa: BLE001
                    self.failure = _failure("env", err)
                    return
                if "reward_details" in info:
                    self.reward, self.info = self.accept_reward(reward), info
        self.failure = self.failure or failure_of(self.info)

    def result(self) -> EpisodeResult:
        return EpisodeResult(str(self.task_id), self.score, self.terminated, self.truncated, self.info,
                             self.failure, self.steps)


def failure_of(info: dict[str, Any]) -> EpisodeFailure | None:
    """Why an ended episode does not count (the env's own verdict in ``info``), or None when it does."""
    end_reason = info.get("end_reason")
    if end_reason in FAILED_END_REASONS:
        reason = info.get("failure") or f"the episode ended with {end_reason}"
        return EpisodeFailure(FAILED_END_REASONS[end_reason], str(reason))
    if "reward_details" not in info:
        return EpisodeFailure("env", f"the episode ended ({end_reason or 'no end reason'}) without "
                                     f"reward_details: it was never scored")
    if (info["reward_details"] or {}).get("error"):
        return EpisodeFailure("env", str(info["reward_details"]["error"]))
    return None


def _check_steps(state: EpisodeState, max_steps: int) -> None:
    if state.steps >= max_steps and not state.done:
        state.failure = EpisodeFailure("env", f"the env did not end the episode within {max_steps} steps")


def play_episode(env: gym.Env, agent: Any, task_id: str | None = None, seed: int | None = None, *,
                 max_steps: int = 1000, agent_info: dict[str, Any] | None = None,
                 raise_failures: bool = True) -> EpisodeResult:
    """Play one episode synchronously. Agent and env exceptions propagate (the sync caller wants to see them)
    unless ``raise_failures=False``: then they are recorded in ``result.failure`` (a worker playing for a loop)."""
    state = EpisodeState.start(env, task_id, seed)
    if state.failure is None:
        try:
            agent.reset({**state.info, **(agent_info or {})})
        except Exception as err:
            if raise_failures:
                raise
            state.fail("agent", err)
    while not state.done:
        try:
            action = agent.act(state.observation, state.info)
        except Exception as err:
            if raise_failures:
                raise
            state.fail("agent", err)
            break
        state.step(action)
        _check_steps(state, max_steps)
    if raise_failures and state.failure is not None and state.failure.exception is not None:
        raise state.failure.exception
    return state.result()


async def aplay_episode(env: gym.Env, agent: Any, task_id: str | None = None, seed: int | None = None, *,
                        max_steps: int = 1000, agent_info: dict[str, Any] | None = None) -> EpisodeState:
    """Play one episode on an event loop (env steps and sync agents in threads); failures are recorded, not raised."""
    import asyncio

    from .agent import act_async

    state = await asyncio.to_thread(EpisodeState.start, env, task_id, seed)
    if state.failure is None:
        try:
            agent.reset({**state.info, **(agent_info or {})})
        except Exception as err:  # noqa: BLE001
            state.fail("agent", err)
    while not state.done:
        try:
            action = await act_async(agent, state.observation, state.info)
        except Exception as err:  # noqa: BLE001  (an endpoint that died or answered HTTP 500)
            state.fail("agent", err)
            break
        await asyncio.to_thread(state.step, action)
        _check_steps(state, max_steps)
    return state
