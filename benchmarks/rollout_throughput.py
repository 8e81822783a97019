"""Rollout throughput: one generate call per turn for all live episodes vs one episode at a time.

Same tiny model, same tasks, same limits; only the batching differs. Reports model tokens generated per second and
episodes per second for both, and their ratio (the issue's target: >= 3x at G = 8).

    OMP_NUM_THREADS=1 python -m benchmarks.rollout_throughput --group-size 8 --max-turn-tokens 128
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import time


def _measure(runner, task_ids: list[str], make_generator, batched: bool, repeats: int,
             seed: int) -> tuple[float, float]:
    """Median model-tokens/s and episodes/s over ``repeats`` runs (a fresh generator, so a cold KV cache, each)."""
    tokens_per_s, episodes_per_s = [], []
    for r in range(repeats):
        start = time.perf_counter()
        episodes = runner.play(task_ids, make_generator(), seed=seed + r, batched=batched)
        elapsed = time.perf_counter() - start
        tokens_per_s.append(sum(sum(e.env_mask) for e in episodes) / elapsed)
        episodes_per_s.append(len(episodes) / elapsed)
    return statistics.median(tokens_per_s), statistics.median(episodes_per_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="tooluse-v0")
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--groups", type=int, default=1, help="tasks per batch (episodes = groups x group size)")
    parser.add_argument("--max-turns", type=int, default=4)
    parser.add_argument("--max-turn-tokens", type=int, default=128)
    parser.add_argument("--vocab-size", type=int, default=2048,
                        help="tiny tokenizer size (bigger: shorter contexts, closer to a real tokenizer)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-cache-reuse", action="store_true", help="re-encode the whole context every turn")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import gymnasium as gym
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    import synthagent_env
    from synthagent_env.testing import build_tiny_model
    from synthagent_training.chat_format import ChatFormat
    from synthagent_training.generation import HFGenerator
    from synthagent_training.rollout import RolloutLimits, RolloutRunner

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    path = build_tiny_model(vocab_size=args.vocab_size, seed=args.seed)
    tokenizer, model = AutoTokenizer.from_pretrained(path), AutoModelForCausalLM.from_pretrained(path)
    tasks = synthagent_env.load_tasks(args.tasks)
    make_env = functools.partial(gym.make, "synthagent/ToolUse-v0", tasks=tasks, max_turns=args.max_turns)
    limits = RolloutLimits(max_completion_tokens=args.max_turns * 4 * args.max_turn_tokens,
                           max_turn_tokens=args.max_turn_tokens)
    runner = RolloutRunner(make_env, ChatFormat(tokenizer), limits)
    make_generator = functools.partial(HFGenerator, model, tokenizer, reuse_cache=not args.no_cache_reuse)
    task_ids = [tasks[g % len(tasks)].id for g in range(args.groups) for _ in range(args.group_size)]
    runner.play(task_ids[:2], make_generator(), seed=args.seed)  # warm-up
    batched = _measure(runner, task_ids, make_generator, True, args.repeats, args.seed)
    single = _measure(runner, task_ids, make_generator, False, args.repeats, args.seed)
    print(f"{len(task_ids)} episodes (G={args.group_size} x {args.groups} task(s)), up to {args.max_turns} turns of "
          f"{args.max_turn_tokens} tokens, tiny model (vocab {len(tokenizer)}), {torch.get_num_threads()} thread(s), "
          f"KV cache reuse {'off' if args.no_cache_reuse else 'on'}")
    print(f"batched:           {batched[0]:8.1f} model tokens/s  {batched[1]:6.2f} episodes/s")
    print(f"one at a time:     {single[0]:8.1f} model tokens/s  {single[1]:6.2f} episodes/s")
    print(f"speed-up: {batched[0] / single[0]:.2f}x tokens/s, {batched[1] / single[1]:.2f}x episodes/s")
    runner.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
