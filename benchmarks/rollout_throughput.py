"""Rollout throughput: one generate call per turn for all live episodes vs one episode at a time.

Same tiny model, same tasks, same limits; only the batching differs. The two are run interleaved (A B, B A, A B, ...),
so changing load from other processes hits both alike; it prints model tokens/s of each and the per-pair speed-up
as min / median / max over the repeats.

    OMP_NUM_THREADS=1 python -m benchmarks.rollout_throughput --group-size 8 --max-turn-tokens 128
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import time


def _once(runner, task_ids: list[str], make_generator, batched: bool, seed: int) -> tuple[float, float]:
    """Model tokens/s and episodes/s of one run (a fresh generator, so a cold KV cache)."""
    start = time.perf_counter()
    episodes = runner.play(task_ids, make_generator(), seed=seed, batched=batched)
    elapsed = time.perf_counter() - start
    return sum(sum(e.env_mask) for e in episodes) / elapsed, len(episodes) / elapsed


def _spread(values: list[float]) -> str:
    return f"min {min(values):.2f}  median {statistics.median(values):.2f}  max {max(values):.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="tooluse-v0")
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--groups", type=int, default=1, help="tasks per batch (episodes = groups x group size)")
    parser.add_argument("--max-turns", type=int, default=4)
    parser.add_argument("--max-turn-tokens", type=int, default=128)
    parser.add_argument("--vocab-size", type=int, default=2048,
                        help="tiny tokenizer size (bigger: shorter contexts, closer to a real tokenizer)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved A/B pairs")
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
    pairs = []  # A B, B A, A B, ...: load that changes during the run hits both sides alike
    for r in range(args.repeats):
        runs = {mode: None for mode in ((True, False) if r % 2 == 0 else (False, True))}
        for mode in runs:
            runs[mode] = _once(runner, task_ids, make_generator, mode, args.seed + r)
        batched, single = runs[True], runs[False]
        pairs.append((batched, single))
        print(f"repeat {r + 1}: batched {batched[0]:7.1f} tok/s, one at a time {single[0]:7.1f} tok/s, "
              f"ratio {batched[0] / single[0]:.2f}x", flush=True)
    print(f"{len(task_ids)} episodes (G={args.group_size} x {args.groups} task(s)), up to {args.max_turns} turns of "
          f"{args.max_turn_tokens} tokens, tiny model (vocab {len(tokenizer)}), {torch.get_num_threads()} thread(s), "
          f"KV cache reuse {'off' if args.no_cache_reuse else 'on'}, {args.repeats} interleaved repeats")
    print(f"batched model tokens/s:        {_spread([b[0] for b, _ in pairs])}")
    print(f"one-at-a-time model tokens/s:  {_spread([s[0] for _, s in pairs])}")
    print(f"speed-up (tokens/s, per pair): {_spread([b[0] / s[0] for b, s in pairs])}")
    print(f"speed-up (episodes/s, per pair): {_spread([b[1] / s[1] for b, s in pairs])}")
    runner.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
