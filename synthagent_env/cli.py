"""``synthagent``: the command line. Subcommands live beside what they run and register here by module name."""

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


# The modules that register subcommands with ``@command``, by name: this dispatcher imports none of them at
# its own import (``synthagent --help`` stays fast, and the library core never imports the agents or the
# trainer). Every one must load: a module that fails is an error naming it, never a command that vanishes.
COMMAND_MODULES = {
    "synthagent_agents.cli": ("demo", "eval"),
    "synthagent_training.cli": ("train", "tiny-model"),
    "synthagent_env.synthesis.cli": ("synth",),
    "synthagent_env.mapping_cli": ("mapping",),
    "synthagent_env.viewer.cli": ("view",),
    "synthagent_env.adapters.serve_cli": ("serve",),
}


class CommandModuleError(RuntimeError):
    """A subcommand's module could not be imported (a broken install or a missing dependency)."""


def _load_command_modules() -> None:
    import importlib

    for name, commands in COMMAND_MODULES.items():
        try:
            importlib.import_module(name)
        except Exception as err:
            raise CommandModuleError(
                f"synthagent: the module {name!r} (commands: {', '.join(commands)}) failed to import: "
                f"{type(err).__name__}: {err}. Reinstall with `pip install -e .` from the checkout.") from err
        missing = [c for c in commands if c not in _COMMANDS]
        if missing:
            raise CommandModuleError(f"synthagent: {name!r} did not register {', '.join(missing)}")


def build_parser() -> argparse.ArgumentParser:
    from .cli_help import DefaultsHelpFormatter

    _load_command_modules()
    parser = argparse.ArgumentParser(prog="synthagent", description="Synthetic tool-use worlds for agentic RL.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, run) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, formatter_class=DefaultsHelpFormatter)
        configure(p)
        p.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except CommandModuleError as err:
        print(err, file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":  # run as a script, this file is not the module that subcommands register with
    from synthagent_env.cli import main as package_main

    sys.exit(package_main())
