"""``synthagent``: the command line (``demo`` now; ``eval``, ``synth`` and ``train`` register as they land)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a subcommand; its module is imported only when ``main`` builds the parser."""

    def wrap(run: Callable[[argparse.Namespace], int]):
        _COMMANDS[name] = (help, configure, run)
        return run

    return wrap


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
    from agents import OracleAgent
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


# Modules that register more subcommands with ``@command``; imported when the parser is built, so that
# ``synthagent --help`` stays fast and a part that is not installed does not break the others.
COMMAND_MODULES = ("benchmarks.cli", "training.cli", "synthagent_env.synthesis.cli")


def _load_command_modules() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name is None or not name.startswith(err.name):
                raise


def build_parser() -> argparse.ArgumentParser:
    _load_command_modules()
    parser = argparse.ArgumentParser(prog="synthagent", description="Synthetic tool-use worlds for agentic RL.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, run) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        p.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":  # run as a script, this file is not the module that subcommands register with
    from synthagent_env.cli import main as package_main

    sys.exit(package_main())
