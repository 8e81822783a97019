"""The synthesis pipeline (the paper's data engine): a teacher model served over an OpenAI-compatible API turns
personas into task packs that ``synthagent/ToolUse-v0`` runs.

    personas      personas.py (bundled: occupation x context x goal) or a user's JSONL
    toolset       ToolSetGen: task, 3-5 tools, 5-7 step workflow, one restriction
    tool_check    drop invalid / LLM-doable / non-text tools (recorded), add 1-2 distractors
    fuzzy         FuzzyTaskGen: one-sentence instruction + hidden background and facts; the gap is checked
    demos         the teacher solves each task 2-4 times in ToolUseEnv; its calls seed the mapping
    rubric_extraction  KEEP/DISCARD, structured rubric, reference solution checked by replay and by OracleAgent

``run_pipeline(SynthConfig(...))`` runs or resumes it (``synthagent synth`` on the command line); stage records
go to ``<workdir>/<stage>.jsonl`` as items finish. This package imports nothing heavy until it is used.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SynthConfig", "bundled_personas", "load_personas", "run_pipeline"]


def __getattr__(name: str) -> Any:
    if name == "SynthConfig":
        from .config import SynthConfig

        return SynthConfig
    if name == "run_pipeline":
        from .pipeline import run_pipeline

        return run_pipeline
    if name in ("bundled_personas", "load_personas"):
        from . import personas

        return getattr(personas, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
