"""Agents by name, for the CLI and for loops that take an agent spec: ``oracle``, ``bfcl-gold``, ``random``,
``noop``, ``openai``, ``hf``, or ``module:attr`` / ``path/to/file.py:attr`` for any third-party class or factory.

``agent_factory`` returns a zero-argument callable that makes one agent per concurrent episode; expensive parts
(a loaded model, an HTTP client, a task pack) are built once here and shared by every agent it makes. Mistakes
(an unknown name, a module that is not there, a model folder that does not exist) raise ``AgentSpecError`` with
one line that says what to do.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthagent_env.agent import Agent

AgentFactory = Callable[[], Agent]
NAMES = ("oracle", "bfcl-gold", "tau2-gold", "random", "noop", "openai", "hf")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


class AgentSpecError(ValueError):
    """An agent spec or option that cannot work; the message says what to use instead."""


def _oracle(tasks: Any = "tooluse-v0") -> AgentFactory:
    from synthagent_env import load_tasks

    from .oracle import OracleAgent

    loaded = load_tasks(tasks)
    return lambda: OracleAgent(loaded)


def _bfcl_gold(fmt: str = "openai") -> AgentFactory:
    from synthagent_env.bfcl.gold import GoldReplayAgent

    return lambda: GoldReplayAgent(fmt)  # type: ignore[arg-type]


def _tau2_gold() -> AgentFactory:
    from synthagent_env.tau2.gold import GoldReplayAgent

    return lambda: GoldReplayAgent()


def _random(seed: int | None = 0, **options: Any) -> AgentFactory:
    from .random_agent import RandomAgent

    return lambda: RandomAgent(seed=seed, **options)


def _noop(**options: Any) -> AgentFactory:
    from .do_nothing import DoNothingAgent

    return lambda: DoNothingAgent(**options)


def check_model_path(path: str | Path) -> None:
    """A local model must exist: ``./my-qwen`` that is not there is "no model folder", not a hub-id error."""
    p = Path(path).expanduser()
    if p.is_dir():
        if not (p / "config.json").is_file():
            raise AgentSpecError(f"{p} is not a model folder (no config.json); point --model at a saved "
                                 "Hugging Face model, or build a tiny one: synthagent tiny-model DIR")
        return
    if p.exists():
        raise AgentSpecError(f"{p} is a file, not a model folder (config.json, weights and tokenizer files)")
    text = str(path)
    if _HUB_ID.match(text) and not text.startswith("."):
        return  # a Hugging Face hub id: from_pretrained finds it in the local cache or downloads it
    raise AgentSpecError(f"no model folder at {p.resolve()}")


def _hf(model_path: str | Path, agent_options: dict[str, Any] | None = None, **model_options: Any) -> AgentFactory:
    from .hf_agent import HFAgent, HFChatModel

    check_model_path(model_path)
    try:
        model = HFChatModel.load(model_path, **model_options)
    except OSError as err:  # not a model folder after all, or a hub id that is neither cached nor reachable
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise AgentSpecError(f"cannot load a model from {model_path}: {first}") from None
    return lambda: HFAgent(model, **(agent_options or {}))


def _openai(**options: Any) -> AgentFactory:
    from .openai_agent import openai_factory

    return openai_factory(**options)


_BUILDERS: dict[str, Callable[..., AgentFactory]] = {
    "oracle": _oracle, "bfcl-gold": _bfcl_gold, "tau2-gold": _tau2_gold, "random": _random, "noop": _noop, "do-nothing": _noop, "hf": _hf,
    "openai": _openai,
}


def _module(name: str) -> Any:
    """``name`` as a module: a ``.py`` file path, an installed module, or a module in the current directory."""
    if name.endswith(".py") or "/" in name or "\\" in name:
        path = Path(name).expanduser().resolve()
        if not path.is_file():
            raise AgentSpecError(f"no Python file at {path}")
        unique = f"synthagent_user_agents_{path.stem}"  # never shadows an installed module of the same name
        spec = importlib.util.spec_from_file_location(unique, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        top = name.split(".")[0]
        cwd = Path.cwd()
        if err.name != top or not ((cwd / f"{top}.py").is_file() or (cwd / top / "__init__.py").is_file()):
            raise AgentSpecError(f"cannot import {name!r} ({err}): install it, or pass a file path such as "
                                 f"./{name.replace('.', '/')}.py:ClassName") from None
    if str(cwd) not in sys.path:  # a console script does not put the working directory on the path
        sys.path.insert(0, str(cwd))
    return importlib.import_module(name)


def load_object(spec: str) -> Any:
    """``module:attr`` or ``path/to/file.py:attr`` → the object (``attr`` may be dotted)."""
    module, _, attr = spec.rpartition(":")
    if not module or not attr:
        raise AgentSpecError(f"{spec!r} is not module:ClassName or path/to/file.py:ClassName")
    obj: Any = _module(module)
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise AgentSpecError(f"{module!r} has no attribute {part!r}")
        obj = getattr(obj, part)
    return obj


def agent_factory(spec: str, **options: Any) -> AgentFactory:
    """A factory for the named agent. Options go to the builder (``tasks`` for the oracle, ``seed`` for random,
    ``model_path`` for hf, ``model``/``base_url``/... for openai) or to a third party's class/factory."""
    if spec in _BUILDERS:
        return _BUILDERS[spec](**options)
    if ":" not in spec:
        raise AgentSpecError(f"unknown agent {spec!r}: use one of {', '.join(NAMES)}, module:ClassName or "
                             "path/to/file.py:ClassName")
    target = load_object(spec)
    return lambda: target(**options)
