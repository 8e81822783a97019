"""Play a task's reference solution through the real env (offline simulator, throwaway mapping)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..env import ToolUseEnv
from ..episode import EpisodeResult, play_episode
from ..task import Task


def play_reference(task: Task, pack: list[Task] | None = None) -> EpisodeResult:
    from synthagent_agents.oracle import OracleAgent

    with tempfile.TemporaryDirectory() as tmp:
        env = ToolUseEnv(tasks=pack or [task], mapping_path=Path(tmp) / "mapping.sqlite")
        try:
            return play_episode(env, OracleAgent(pack or [task]), task_id=task.id)
        finally:
            env.close()
