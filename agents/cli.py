"""``synthagent demo`` (the oracle plays bundled tasks) and ``synthagent eval`` (score an agent, resumable; ``eval compare A B``).

Only argparse runs at import; the loop, agents, torch and matplotlib load inside ``run_eval``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from synthagent_env.cli import command

TOOLUSE = "synthagent/ToolUse-v0"


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("mode", nargs="?", choices=["run", "compare"], default="run",
                   help="run (default) an eval, or compare two runs: eval compare RUN_A RUN_B")
    p.add_argument("runs", nargs="*", help="compare: two run directories or summary.json files")
    g = p.add_argument_group("agent")
    g.add_argument("--agent", default="oracle",
                   help="oracle | random | noop | openai | hf | package.module:ClassOrFactory (default: oracle)")
    g.add_argument("--agent-kwargs", type=json.loads, default={}, help="JSON object of extra agent options")
    g.add_argument("--model", help="openai: model name; hf: model folder")
    g.add_argument("--base-url", help="openai: endpoint, e.g. http://localhost:8000/v1 (default $OPENAI_BASE_URL)")
    g.add_argument("--api-key-env", default="OPENAI_API_KEY", help="openai: variable holding the API key")
    g.add_argument("--tool-mode", choices=["tools", "text"], default="tools",
                   help="openai: native tools= calls, or Hermes <tool_call> text")
    g.add_argument("--temperature", type=float, default=None)
    g.add_argument("--max-tokens", type=int, default=None, help="per reply (openai) / new tokens (hf)")
    e = p.add_argument_group("environment")
    e.add_argument("--env", default=TOOLUSE, help=f"gym id following the env contract (default {TOOLUSE})")
    e.add_argument("--env-kwargs", type=json.loads, default={}, help="JSON object passed to gym.make")
    e.add_argument("--tasks", help="task pack (bundled name or JSONL); ToolUse default: tooluse-v0")
    e.add_argument("--simulator", help="who plays user and tools: offline (ToolUse default) | server URL | model folder | JSON")
    e.add_argument("--mapping", help="mapping store path (ToolUse default: OUT/mapping.sqlite)")
    r = p.add_argument_group("run")
    r.add_argument("-k", "--samples", type=int, default=1, help="episodes per task")
    r.add_argument("-c", "--concurrency", type=int, default=8, help="episodes in flight")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--limit", type=int, help="only the first N tasks")
    r.add_argument("--task-id", action="append", dest="task_ids", help="only this task (repeatable)")
    r.add_argument("--success-threshold", type=float, default=1.0, help="reward counted as success")
    r.add_argument("--out", help="run directory (default eval_runs/AGENT-PACK); rerun to resume")
    r.add_argument("--overwrite", action="store_true", help="discard a previous run in --out")
    r.add_argument("--label", help="agent name in reports (default from --agent/--model)")
    r.add_argument("--no-progress", action="store_true")
    r.add_argument("--no-plot", action="store_true")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "run"


def _label(args: argparse.Namespace) -> str:
    if args.label:
        return args.label
    if args.agent in ("openai", "hf") and args.model:
        return f"{args.agent}-{Path(args.model).name if args.agent == 'hf' else args.model}"
    return args.agent


def _env_kwargs(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    kwargs = dict(args.env_kwargs)
    tooluse = args.env == TOOLUSE
    for key, value, default in (("tasks", args.tasks, "tooluse-v0"), ("simulator", args.simulator, None),
                                ("mapping_path", args.mapping, str(out / "mapping.sqlite"))):
        if value is not None:
            kwargs[key] = value
        elif tooluse and default is not None:
            kwargs.setdefault(key, default)
    return kwargs


def _agent_options(args: argparse.Namespace, env_kwargs: dict[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.agent == "oracle":
        options["tasks"] = env_kwargs.get("tasks", "tooluse-v0")
    elif args.agent == "random":
        options["seed"] = args.seed
    elif args.agent == "hf":
        if not args.model:
            raise SystemExit("--agent hf needs --model MODEL_FOLDER")
        options["model_path"] = args.model
        options.update({k: v for k, v in (("max_new_tokens", args.max_tokens), ("temperature", args.temperature))
                        if v is not None})
    elif args.agent == "openai":
        if not args.model:
            raise SystemExit("--agent openai needs --model NAME")
        options.update(model=args.model, base_url=args.base_url, api_key_env=args.api_key_env,
                       tool_mode=args.tool_mode)
        options.update({k: v for k, v in (("max_tokens", args.max_tokens), ("temperature", args.temperature))
                        if v is not None})
    return {**options, **args.agent_kwargs}


def _compare(args: argparse.Namespace) -> int:
    from synthagent_env.evaluation.report import compare_markdown, load_summary

    if len(args.runs) != 2:
        raise SystemExit("eval compare needs exactly two runs: eval compare RUN_A RUN_B")
    print(compare_markdown(load_summary(args.runs[0]), load_summary(args.runs[1])), end="")
    return 0


def _print_headline(summary: dict[str, Any], files: list[Path]) -> None:
    from synthagent_env.evaluation.report import headline_rows

    for label, value in headline_rows(summary)[:12]:
        print(f"  {label:<32} {value if not isinstance(value, float) else f'{value:.3f}'}")
    print("report: " + ", ".join(str(f) for f in files))


@command("eval", "score an agent on a task pack (k samples per task, resumable) or compare two runs", _configure)
def run_eval(args: argparse.Namespace) -> int:
    if args.mode == "compare":
        return _compare(args)
    if args.runs:
        raise SystemExit(f"unexpected arguments: {' '.join(args.runs)}")
    from synthagent_agents.registry import agent_factory

    from synthagent_env.evaluation.loop import EvalConfig, RunMismatch, evaluate

    label = _label(args)
    pack = Path(args.tasks).stem if args.tasks else ("tooluse-v0" if args.env == TOOLUSE else args.env)
    out = Path(args.out or Path("eval_runs") / _slug(f"{label}-{pack}"))
    env_kwargs = _env_kwargs(args, out)
    config = EvalConfig(env_id=args.env, env_kwargs=env_kwargs, samples=args.samples, concurrency=args.concurrency,
                        seed=args.seed, task_ids=args.task_ids, limit=args.limit,
                        success_threshold=args.success_threshold, label=label, progress=not args.no_progress)
    factory = agent_factory(args.agent, **_agent_options(args, env_kwargs))
    try:
        result = evaluate(factory, out, config, overwrite=args.overwrite, plot=not args.no_plot)
    except (RunMismatch, KeyError) as err:  # another run in --out; an unknown --task-id
        print(f"error: {err.args[0] if err.args else err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished episodes are in {out}; rerun the same command to resume", file=sys.stderr)
        return 130
    print(f"{label}: {result.ran} episodes run, {result.skipped} resumed from {out}")
    _print_headline(result.summary, result.files)
    return 1 if result.summary["agent_errors"] else 0


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tasks", default="tooluse-v0", help="task pack: bundled name or JSONL path")
    p.add_argument("--episodes", type=int, default=3, help="how many tasks to play")
    p.add_argument("--simulator", default="offline",
                   help="who plays user and tools: offline (default) | server URL | model folder | JSON options")
    p.add_argument("--mapping", default=None, help="mapping store path (default: a temporary one)")


@command("demo", "play a few bundled tasks with the oracle agent and print transcripts and rewards", _demo_args)
def demo(args: argparse.Namespace) -> int:
    import gymnasium as gym

    import synthagent_env  # noqa: F401  (registers the env)
    from synthagent_agents import OracleAgent
    from synthagent_env.episode import play_episode
    from synthagent_env.prompts import render_message

    env = gym.make("synthagent/ToolUse-v0", tasks=args.tasks, simulator=args.simulator, mapping_path=args.mapping)
    agent = OracleAgent(args.tasks)
    tasks = env.unwrapped.tasks[: args.episodes]
    for task in tasks:
        result = play_episode(env, agent, task_id=task.id)
        print(f"=== {task.id} ({task.domain}) ===")
        for message in result.info["messages"][1:]:
            print(f"[{message['role']}] {render_message(message)}")
        details = result.info["reward_details"]
        print(f"--> reward {result.reward:.2f} (sub-goals {details['sub_goal_fraction']}, "
              f"interactions {details['interaction_fraction']}, violated {details['violated']}), "
              f"end: {result.info['end_reason']}\n")
    env.close()
    return 0
