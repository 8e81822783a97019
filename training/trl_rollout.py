"""The bridge to TRL's GRPOTrainer: a ``rollout_func`` that plays episodes, and a reward function that reads them.

Why ``rollout_func``: TRL's ``environment_factory``/``tools`` loop exposes Python methods as tools and appends their
results, but has no place for a simulated user, for our schema validation and mapping store, or for a rubric scored
over the whole trajectory. ``rollout_func`` hands us the batch of prompts and takes back token ids, so the env plays
every turn exactly as in evaluation, while TRL keeps what it is good at: advantages per group, the clipped loss over
tokens with ``env_mask`` = 1, KL, optimiser, logging, checkpoints and vLLM weight sync.

The dataset's ``prompt`` is a task id: the env owns the opening conversation (system prompt, tools, instruction),
so the rollout renders it from ``env.reset`` instead of TRL templating a copy of it.

Sampling settings (temperature, top-p, top-k), the token budget and the seed are read from the trainer's
``GRPOConfig`` at every call: TRL recomputes log-probs at ``args.temperature``, so there is one source for it.

"My GRPOTrainer, your envs" (see docs/training.md)::

    trainer = GRPOTrainer(model=..., args=GRPOConfig(...), processing_class=tokenizer,
                          reward_funcs=env_reward, train_dataset=task_dataset(tasks),
                          rollout_func=rollout_func("synthagent/ToolUse-v0", tokenizer, env_kwargs={"tasks": tasks}))
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from typing import Any

from .chat_format import ChatFormat
from .generation import Generator, HFGenerator, VLLMServerGenerator
from .rollout import RolloutLimits, RolloutRunner
from .stats import episode_metrics


def task_dataset(tasks: Sequence[Any], min_rows: int = 1) -> Any:
    """One row per task (ids or ``Task`` objects), repeated so TRL's sampler can fill a step from a tiny pack."""
    from datasets import Dataset

    ids = [t if isinstance(t, str) else t.id for t in tasks]
    rows = list(ids)
    while len(rows) < min_rows:
        rows += ids
    return Dataset.from_dict({"prompt": rows})


def env_reward(completions: list[Any], env_reward: list[float], episode: list[dict] | None = None,
               log_metric: Any = None, **_: Any) -> list[float]:
    """The env's rubric reward per episode, computed during the rollout; also logs rubric pass rates."""
    if log_metric is not None and episode:
        for name, value in episode_metrics(list(episode)).items():
            if name != "reward":
                log_metric(name, value)
    return [float(r) for r in env_reward]


def end_of_turn_ids(tokenizer: Any, model: Any = None) -> list[int]:
    """End-of-turn tokens: the tokenizer's EOS and whatever the model's generation config adds."""
    ids = [tokenizer.eos_token_id]
    extra = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    ids += extra if isinstance(extra, list) else [extra] if extra is not None else []
    return list(dict.fromkeys(i for i in ids if i is not None))


class EnvRolloutFunc:
    """``rollout_func(prompts, trainer)``: prompts are task ids, already repeated G times per group by TRL's sampler.

    ``max_completion_tokens=None`` takes the budget from ``trainer.args.max_completion_length``; ``stop_ids=None``
    from the tokenizer and the trained model's generation config.
    """

    def __init__(self, runner: RolloutRunner, *, max_turn_tokens: int = 512,
                 max_completion_tokens: int | None = None, stop_ids: list[int] | None = None):
        self.runner, self.max_turn_tokens, self.max_completion_tokens = runner, max_turn_tokens, max_completion_tokens
        self.stop_ids = stop_ids
        self._vllm_client: Any = None
        self._calls = 0

    def generator(self, trainer: Any, model: Any) -> Generator:
        """Samples at the trainer's own settings (``GRPOConfig.temperature``, ``top_p``, ``top_k``)."""
        args, stops = trainer.args, self.resolved_stop_ids(trainer)
        top_k = args.top_k or 0
        if getattr(trainer, "use_vllm", False):
            return VLLMServerGenerator(self.client(trainer), args.temperature, args.top_p, top_k, stops)
        return HFGenerator(model, trainer.processing_class, args.temperature, args.top_p, top_k, stops)

    def resolved_stop_ids(self, trainer: Any) -> list[int]:
        if self.stop_ids is None:
            self.stop_ids = end_of_turn_ids(trainer.processing_class, getattr(trainer, "model", None))
        return self.stop_ids

    def client(self, trainer: Any) -> Any:
        """The trainer's own client on the main process; a plain HTTP client elsewhere (no weight-sync role)."""
        client = getattr(getattr(trainer, "vllm_generation", None), "vllm_client", None)
        if client is None and self._vllm_client is None:
            from trl.generation.vllm_client import VLLMClient

            args = trainer.args
            url = args.vllm_server_base_url or f"http://{args.vllm_server_host}:{args.vllm_server_port}"
            self._vllm_client = VLLMClient(base_url=url, connection_timeout=args.vllm_server_timeout)
        return client or self._vllm_client

    def model_context(self, trainer: Any) -> Any:
        if getattr(trainer, "use_vllm", False):
            return contextlib.nullcontext(None)
        from trl.models.utils import unwrap_model_for_generation

        return unwrap_model_for_generation(trainer.model_wrapped, trainer.accelerator,
                                           gather_deepspeed3_params=trainer.args.ds3_gather_for_generation)

    def __call__(self, prompts: list[str], trainer: Any) -> dict[str, list]:
        self._calls += 1
        args = trainer.args
        budget = self.max_completion_tokens or args.max_completion_length
        self.runner.limits = RolloutLimits(max_completion_tokens=budget, max_turn_tokens=min(self.max_turn_tokens,
                                                                                              budget))
        seed = args.seed * 1_000_003 + self._calls * 10_007 + trainer.accelerator.process_index * 101
        with self.model_context(trainer) as model:
            episodes = self.runner.play(list(prompts), self.generator(trainer, model), seed=seed)
        return {
            "prompt_ids": [e.prompt_ids for e in episodes],
            "completion_ids": [e.completion_ids for e in episodes],
            "logprobs": [e.logprobs for e in episodes],
            "env_mask": [e.env_mask for e in episodes],
            "env_reward": [e.reward for e in episodes],
            "episode": [e.summary() for e in episodes],
        }


def env_maker(env: str | Callable[[], Any], env_kwargs: dict[str, Any] | None = None) -> Callable[[], Any]:
    """A zero-argument env factory from a gym id (with its kwargs) or a factory."""
    if callable(env):
        return functools.partial(env, **env_kwargs) if env_kwargs else env
    import gymnasium as gym

    import synthagent_env  # noqa: F401  (registers the env ids)

    return functools.partial(gym.make, env, **(env_kwargs or {}))


def rollout_func(env: str | Callable[[], Any], tokenizer: Any, *, env_kwargs: dict[str, Any] | None = None,
                 chat_template: str | None = None, max_turn_tokens: int = 512,
                 max_completion_tokens: int | None = None, stop_ids: list[int] | None = None) -> EnvRolloutFunc:
    """A ``rollout_func`` for your own ``GRPOTrainer`` that plays whole episodes in our envs.

    ``env``: a gym id (``"synthagent/ToolUse-v0"``, built with ``env_kwargs``) or a zero-argument env factory.
    ``chat_template``: a prefix-preserving template for training, if the tokenizer's own is not.
    Temperature, top-p, top-k, seed and (unless given) the episode token budget come from the trainer's
    ``GRPOConfig``, so rollout sampling and TRL's log-prob recomputation cannot disagree.
    """
    runner = RolloutRunner(env_maker(env, env_kwargs), ChatFormat(tokenizer, chat_template))
    return EnvRolloutFunc(runner, max_turn_tokens=max_turn_tokens, max_completion_tokens=max_completion_tokens,
                          stop_ids=stop_ids)
