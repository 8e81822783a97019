"""``synthagent demo`` (the oracle plays bundled tasks) and ``synthagent eval`` (score an agent, resumable;
``eval compare A B``).

Only argparse runs at import; the loop, agents, torch and matplotlib load inside ``run_eval``. A user's mistake
(bad JSON, an unknown agent, a missing model folder or pack) is one line on stderr saying what to do, exit 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from synthagent_env.cli import command
from synthagent_env.cli_help import DefaultsHelpFormatter

TOOLUSE, MATH, BFCL, TAU2 = ("synthagent/ToolUse-v0", "synthagent/Math-v0", "synthagent/BFCL-v0",
                             "synthagent/Tau2-v0")
# The agent that plays each env's reference solutions: the default --agent, and the only one that fits "oracle".
REFERENCE_AGENT = {TOOLUSE: "oracle", MATH: "oracle", BFCL: "bfcl-gold", TAU2: "tau2-gold"}
REPORT_EXTRA = 'pip install "synthagent[report]"'


class UsageError(Exception):
    """A command line that cannot work; the message is the one line the user sees."""


def json_object(text: str) -> dict[str, Any]:
    """An argparse type: a JSON object, or a one-line error showing the expected shape."""
    try:
        value = json.loads(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not valid JSON ({err}); write a JSON object, e.g. "
                                         "'{\"max_turns\": 8}'") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object like '{{\"key\": value}}', not {text!r}")
    return value


def _configure(p: argparse.ArgumentParser) -> None:
    p.formatter_class = DefaultsHelpFormatter
    p.add_argument("mode", nargs="?", choices=["run", "compare"], default="run",
                   help="run an eval, or compare two runs: eval compare RUN_A RUN_B")
    p.add_argument("runs", nargs="*", help="compare: two run directories or summary.json files")
    g = p.add_argument_group("agent")
    g.add_argument("--agent", default=None,
                   help="oracle | bfcl-gold | tau2-gold | random | noop | openai | hf | module:ClassName | "
                        "file.py:ClassName (default: the env's reference player: oracle, bfcl-gold for BFCL-v0, "
                        "tau2-gold for Tau2-v0)")
    g.add_argument("--agent-kwargs", type=json_object, default={}, help="JSON object of extra agent options")
    g.add_argument("--model", help="openai: model name (default: the first the server lists); hf: model folder")
    g.add_argument("--base-url", help="openai: endpoint, e.g. http://localhost:8000/v1 (default: $OPENAI_BASE_URL)")
    g.add_argument("--api-key-env", default="OPENAI_API_KEY", help="openai: variable holding the API key")
    g.add_argument("--tool-mode", choices=["tools", "text"], default="tools",
                   help="openai: native tools= calls, or Hermes <tool_call> text")
    g.add_argument("--temperature", type=float, default=None, help="sampling temperature (default: the agent's)")
    g.add_argument("--max-tokens", type=int, default=None, help="per reply (openai) / new tokens (hf) (default: the agent's)")
    e = p.add_argument_group("environment")
    e.add_argument("--env", default=TOOLUSE, help="gym id following the env contract")
    e.add_argument("--env-kwargs", type=json_object, default={}, help="JSON object passed to gym.make")
    e.add_argument("--tasks", help="task pack (bundled name or JSONL); default for ToolUse-v0: tooluse-v0")
    e.add_argument("--simulator", help="who plays user and tools: offline | server URL | model folder | JSON "
                                       "(default for ToolUse-v0: offline)")
    e.add_argument("--mapping", help="mapping store path (default for ToolUse-v0: OUT/mapping.sqlite)")
    r = p.add_argument_group("run")
    r.add_argument("-k", "--samples", type=int, default=1, help="episodes per task")
    r.add_argument("-c", "--concurrency", type=int, default=8, help="episodes in flight")
    r.add_argument("--seed", type=int, default=0, help="seeds the episodes and seeded agents (random)")
    r.add_argument("--limit", type=int, help="only the first N tasks")
    r.add_argument("--task-id", action="append", dest="task_ids", help="only this task (repeatable)")
    r.add_argument("--success-threshold", type=float, default=1.0, help="reward counted as success")
    r.add_argument("--out", help="run directory (default: eval_runs/AGENT-PACK); rerun to resume")
    r.add_argument("--overwrite", action="store_true", help="discard a previous run in --out")
    r.add_argument("--label", help="agent name in reports (default: from --agent/--model)")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.add_argument("--no-plot", action="store_true", help="no report.png")
    r.add_argument("--ray", action="store_true", help="play episodes in env actors on a Ray cluster (docs/scale.md)")
    r.add_argument("--ray-address", help="Ray cluster address (default: $RAY_ADDRESS, else a new local cluster)")
    r.add_argument("--ray-workers", type=int, default=2, help="env actors on the cluster")


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


def _oracle_tasks(env_id: str, env_kwargs: dict[str, Any]) -> Any:
    if env_id == TOOLUSE:
        return env_kwargs.get("tasks", "tooluse-v0")
    if env_id == MATH:
        from synthagent_env.math_env.tasks import load_math_tasks

        return load_math_tasks(env_kwargs.get("tasks"))
    fit = REFERENCE_AGENT.get(env_id)
    raise UsageError(f"the oracle plays ToolUse-v0 and Math-v0 reference solutions, not {env_id}: "
                     + (f"use --agent {fit}" if fit else "pass --agent with an agent for that env"))


def _agent_options(args: argparse.Namespace, env_kwargs: dict[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.agent == "oracle":
        options["tasks"] = _oracle_tasks(args.env, env_kwargs)
    elif args.agent == "bfcl-gold" and args.env != BFCL:
        raise UsageError(f"bfcl-gold replays BFCL-v0's ground truth, not {args.env}: use --agent oracle")
    elif args.agent == "tau2-gold" and args.env != TAU2:
        raise UsageError(f"tau2-gold replays τ²-bench's gold actions, not {args.env}: use --agent oracle")
    elif args.agent == "random":
        options["seed"] = args.seed
    elif args.agent == "hf":
        if not args.model:
            raise UsageError("--agent hf needs --model MODEL_FOLDER")
        options["model_path"] = args.model
        options.update({k: v for k, v in (("max_new_tokens", args.max_tokens), ("temperature", args.temperature))
                        if v is not None})
    elif args.agent == "openai":
        options.update(model=args.model, base_url=args.base_url, api_key_env=args.api_key_env,
                       tool_mode=args.tool_mode)
        options.update({k: v for k, v in (("max_tokens", args.max_tokens), ("temperature", args.temperature))
                        if v is not None})
    return {**options, **args.agent_kwargs}


def _compare(args: argparse.Namespace) -> int:
    from synthagent_env.evaluation.report import compare_markdown, load_summary

    if len(args.runs) != 2:
        raise UsageError("eval compare needs exactly two runs: eval compare RUN_A RUN_B")
    for run in args.runs:
        if not (Path(run) / "summary.json").is_file() and not (Path(run).is_file() and run.endswith(".json")):
            raise UsageError(f"no eval run at {run} (a run directory holds summary.json)")
    print(compare_markdown(load_summary(args.runs[0]), load_summary(args.runs[1])), end="")
    return 0


def _print_headline(summary: dict[str, Any], files: list[Path]) -> None:
    from synthagent_env.evaluation.report import headline_rows

    for label, value in headline_rows(summary)[:12]:
        print(f"  {label:<32} {value if not isinstance(value, float) else f'{value:.3f}'}")
    print("report: " + ", ".join(str(f) for f in files))


def _missing(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is None


@command("eval", "score an agent on a task pack (k samples per task, resumable) or compare two runs", _configure)
def run_eval(args: argparse.Namespace) -> int:
    try:
        return _run_eval(args)
    except UsageError as err:
        print(f"synthagent eval: error: {err}", file=sys.stderr)
        return 2


def _run_eval(args: argparse.Namespace) -> int:
    if args.mode == "compare":
        return _compare(args)
    if args.runs:
        raise UsageError(f"unexpected arguments: {' '.join(args.runs)} (did you mean: eval compare RUN_A RUN_B?)")
    from synthagent_agents.registry import AgentSpecError, agent_factory
    from synthagent_env.evaluation.loop import EvalConfig, RunMismatch, evaluate
    from synthagent_env.pack import TaskPackError

    if args.agent is None:
        args.agent = REFERENCE_AGENT.get(args.env, "oracle")
    label = _label(args)
    pack = Path(args.tasks).stem if args.tasks else ("tooluse-v0" if args.env == TOOLUSE else args.env)
    out = Path(args.out or Path("eval_runs") / _slug(f"{label}-{pack}"))
    env_kwargs = _env_kwargs(args, out)
    progress = not args.no_progress
    if progress and _missing("rich"):
        print(f"note: no progress bar (rich is not installed; {REPORT_EXTRA})", file=sys.stderr)
        progress = False
    config = EvalConfig(env_id=args.env, env_kwargs=env_kwargs, samples=args.samples, concurrency=args.concurrency,
                        seed=args.seed, task_ids=args.task_ids, limit=args.limit,
                        success_threshold=args.success_threshold, label=label, progress=progress)
    try:
        factory = agent_factory(args.agent, **_agent_options(args, env_kwargs))
        if args.ray or args.ray_address:
            from synthagent_env.evaluation.ray_backend import evaluate_on_ray

            result = evaluate_on_ray(factory, out, config, address=args.ray_address, num_workers=args.ray_workers,
                                     overwrite=args.overwrite, plot=not args.no_plot)
        else:
            result = evaluate(factory, out, config, overwrite=args.overwrite, plot=not args.no_plot)
    except (AgentSpecError, TaskPackError, FileNotFoundError, ValueError) as err:
        raise UsageError(str(err).splitlines()[0] if str(err) else type(err).__name__) from None
    except (RunMismatch, KeyError) as err:  # another run in --out; an unknown --task-id
        raise UsageError(str(err.args[0] if err.args else err)) from None
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished episodes are in {out}; rerun the same command to resume", file=sys.stderr)
        return 130
    print(f"{label}: {result.ran} episodes run, {result.skipped} resumed from {out}")
    _print_headline(result.summary, result.files)
    if not args.no_plot and not any(f.suffix == ".png" for f in result.files):
        print(f"note: report.png not written (matplotlib is not installed; {REPORT_EXTRA})", file=sys.stderr)
    return 1 if result.summary["failed"] else 0  # agent, env and simulator failures alike


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.formatter_class = DefaultsHelpFormatter
    p.add_argument("--tasks", default="tooluse-v0", help="task pack: bundled name or JSONL path")
    p.add_argument("--episodes", type=int, default=3, help="how many tasks to play")
    p.add_argument("--simulator", default="offline",
                   help="who plays user and tools: offline | server URL | model folder | JSON options")
    p.add_argument("--mapping", default=None, help="mapping store path (default: a temporary one)")


@command("demo", "play a few bundled tasks with the oracle agent and print transcripts and rewards", _demo_args)
def demo(args: argparse.Namespace) -> int:
    import gymnasium as gym

    import synthagent_env  # noqa: F401  (registers the env)
    from synthagent_agents import OracleAgent
    from synthagent_env.episode import play_episode
    from synthagent_env.pack import TaskPackError, load_tasks
    from synthagent_env.prompts import render_message

    try:
        tasks = load_tasks(args.tasks)
    except (TaskPackError, FileNotFoundError, OSError) as err:
        print(f"synthagent demo: error: {str(err).splitlines()[0]}", file=sys.stderr)
        return 2
    if not tasks:
        print(f"synthagent demo: error: the pack {args.tasks} holds no tasks", file=sys.stderr)
        return 2
    env = gym.make("synthagent/ToolUse-v0", tasks=tasks, simulator=args.simulator, mapping_path=args.mapping)
    agent = OracleAgent(tasks)
    try:
        for task in tasks[: args.episodes]:
            result = play_episode(env, agent, task_id=task.id)
            print(f"=== {task.id} ({task.domain}) ===")
            for message in result.info["messages"][1:]:
                print(f"[{message['role']}] {render_message(message)}")
            details = result.info["reward_details"]
            print(f"--> reward {result.reward:.2f} (sub-goals {details['sub_goal_fraction']}, "
                  f"interactions {details['interaction_fraction']}, violated {details['violated']}), "
                  f"end: {result.info['end_reason']}\n")
    finally:
        env.close()
    return 0
