"""The bridge to TRL's GRPOTrainer: a ``rollout_func`` that plays episodes, and a reward function that reads them.

Why ``rollout_func``: TRL's ``environment_factory``/``tools`` loop exposes Python methods as tools and appends their
results, but has no place for a simulated user, for our schema validation and mapping store, or for a rubric scored
over the whole trajectory. ``rollout_func`` hands us the batch of prompts and takes back token ids, so the env plays
every turn exactly as in evaluation, while TRL keeps what it is good at: advantages per group, the clipped loss over
tokens with ``env_mask`` = 1, KL, optimiser, logging, checkpoints and vLLM weight sync.

The dataset's ``prompt`` is a task id: the env owns the opening conversation (system prompt, tools, instruction),
so the rollout renders it from ``env.reset`` instead of TRL templating a copy of it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from .generation import Generator, HFGenerator, VLLMServerGenerator
from .options import TrainOptions
from .rollout import RolloutRunner
from .stats import episode_metrics


def task_dataset(task_ids: list[str], min_rows: int = 1) -> Any:
    """One row per task (repeated so TRL's sampler can fill a step even from a tiny pack)."""
    from datasets import Dataset

    rows = list(task_ids)
    while len(rows) < min_rows:
        rows += task_ids
    return Dataset.from_dict({"prompt": rows})


def env_reward(completions: list[Any], env_reward: list[float], episode: list[dict] | None = None,
               log_metric: Any = None, **_: Any) -> list[float]:
    """The env's rubric reward per episode, computed during the rollout; also logs rubric pass rates."""
    if log_metric is not None and episode:
        for name, value in episode_metrics(list(episode)).items():
            if name != "reward":
                log_metric(name, value)
    return [float(r) for r in env_reward]


class EpisodeRolloutFunc:
    """``rollout_func(prompts, trainer)``: prompts are task ids, already repeated G times per group by TRL's sampler."""

    def __init__(self, runner: RolloutRunner, options: TrainOptions, stop_ids: list[int]):
        self.runner, self.options, self.stop_ids = runner, options, stop_ids
        self._vllm_client: Any = None
        self._calls = 0

    def generator(self, trainer: Any, model: Any) -> Generator:
        o = self.options
        if getattr(trainer, "use_vllm", False):
            return VLLMServerGenerator(self.client(trainer), o.temperature, o.top_p, o.top_k, self.stop_ids)
        return HFGenerator(model, trainer.processing_class, o.temperature, o.top_p, o.top_k, self.stop_ids)

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
        seed = self.options.seed * 1_000_003 + self._calls * 10_007 + trainer.accelerator.process_index * 101
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
