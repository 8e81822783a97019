"""The synthesis pipeline: personas -> ToolSetGen -> tool check -> FuzzyTaskGen -> teacher demonstrations ->
rubric extraction -> task pack, one resumable stage after another.

Each stage reads the previous stage's kept outputs and appends one record per item to ``<workdir>/<stage>.jsonl``
as soon as the item finishes; running the same command again skips finished items in every stage. The pack is
written atomically at the end, with each task's teacher tokens in its metadata, and ``report.json`` beside the
logs holds the per-stage counts and the token accounting.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .. import store_pool
from ..llm import LLMClient, OpenAIClient
from ..pack import save_tasks
from ..simulators import Simulator, make_simulator
from ..task import Task
from . import demos, fuzzy, rubric_extraction, tool_check, toolset
from .config import SynthConfig
from .personas import Persona, bundled_personas, load_personas
from .report import format_report, stage_report, token_accounting, tokens_by_item
from .runner import StageRun, run_stage
from .stage import ItemContext, Stage
from .stage_log import StageLog
from .teacher import MeteredClient, Teacher

MAPPING_FILE, REPORT_FILE, RUN_FILE, PERSONAS_FILE = "mapping.sqlite", "report.json", "run.json", "personas.jsonl"


@dataclass
class PipelineResult:
    out: Path
    tasks: list[Task]
    report: dict[str, Any]
    errors: list[dict[str, str]] = field(default_factory=list)  # items to retry: rerun the same command

    def summary(self) -> str:
        return format_report(self.report)


def build_stages(config: SynthConfig) -> list[Stage]:
    assert config.workdir is not None
    return [
        Stage("toolset", toolset.run),
        Stage("tool_check", tool_check.run),
        Stage("fuzzy", fuzzy.run),
        Stage("demos", partial(demos.run, demos=config.demos, mapping_path=config.workdir / MAPPING_FILE,
                               tool_mode=config.agent_tool_mode, sampling=config.sampling,
                               max_turns=config.max_turns)),
        Stage("rubric", partial(rubric_extraction.run, offline_gate=config.offline_gate)),
    ]


def select_personas(config: SynthConfig) -> list[Persona]:
    if config.persona_file is not None:
        return load_personas(config.persona_file, limit=config.personas)
    return bundled_personas(config.personas, seed=config.seed)


def _write_personas(path: Path, personas: list[Persona]) -> None:
    """The run's personas, for inspection (appending only new ones keeps earlier runs' lines)."""
    known = StageLog(path).records()
    new = [p for p in personas if p.id not in known]
    if new:
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"id": p.id, "persona": p.text}, ensure_ascii=False) + "\n" for p in new)
            fh.flush()
            os.fsync(fh.fileno())


def simulator_factory(config: SynthConfig, shared: LLMClient | None) -> Callable[[ItemContext], Simulator]:
    """Who plays the mock world in demonstrations (``shared``: the model that does); metered per item."""
    if config.simulator == "offline" or shared is None:
        return lambda ctx: make_simulator("offline")
    from ..simulators.llm import llm_simulator

    def make(ctx: ItemContext) -> Simulator:
        metered = MeteredClient(shared)
        ctx.simulator_usage = metered.usage
        return llm_simulator(metered)

    return make


def _write_pack(kept: list[tuple[str, dict[str, Any]]], per_item: dict[str, dict[str, int]],
                config: SynthConfig) -> tuple[list[Task], dict[str, Any]]:
    tasks, seen, duplicates = [], set(), []
    for item_id, output in kept:
        raw = output["task"]
        key = (" ".join(raw["instruction"].lower().split()), " ".join(raw["hidden_context"].lower().split()))
        if key in seen:
            duplicates.append(item_id)
            continue
        seen.add(key)
        synthesis = {**raw["metadata"].get("synthesis", {}), **per_item.get(item_id, {})}
        tasks.append(Task.model_validate({**raw, "metadata": {**raw["metadata"], "synthesis": synthesis}}))
    save_tasks(tasks, config.out)
    stage = {"stage": "pack", "in": len(kept), "kept": len(tasks), "discarded": len(duplicates), "pending": 0,
             "errors": 0, "reasons": {"duplicate_task": len(duplicates)} if duplicates else {}, "notes": {},
             "teacher_tokens": 0, "simulator_tokens": 0, "error_samples": []}
    return tasks, stage


def run_pipeline(config: SynthConfig, *, client: LLMClient | None = None,
                 simulator_client: LLMClient | None = None, stages: list[Stage] | None = None) -> PipelineResult:
    """Run (or resume) every stage and write the pack; ``client`` overrides the teacher client (tests)."""
    assert config.workdir is not None
    config.workdir.mkdir(parents=True, exist_ok=True)
    config.out.parent.mkdir(parents=True, exist_ok=True)
    (config.workdir / RUN_FILE).write_text(json.dumps(config.as_json(), indent=2) + "\n", encoding="utf-8")
    personas = select_personas(config)
    _write_personas(config.workdir / PERSONAS_FILE, personas)
    owned: list[LLMClient] = []

    def endpoint(url: str, model: str | None) -> LLMClient:
        owned.append(OpenAIClient(url, model, api_key_env=config.api_key_env, timeout=config.timeout,
                                  max_concurrency=4 * config.concurrency))
        return owned[-1]

    teacher = client or endpoint(config.teacher_url, config.model)
    if config.simulator in ("teacher", "offline"):
        simulator_client = teacher if config.simulator == "teacher" else None
    elif simulator_client is None:
        simulator_client = endpoint(config.simulator, config.simulator_model)
    make_sim = simulator_factory(config, simulator_client)

    def context(item_id: str) -> ItemContext:
        return ItemContext(item_id, Teacher(teacher, sampling=config.sampling, max_attempts=config.max_attempts),
                           make_simulator=make_sim)

    # The demonstrations' store is created once here, before worker threads open it concurrently.
    store_pool.open_store(config.workdir / MAPPING_FILE).close()
    items: list[tuple[str, dict[str, Any]]] = [(p.id, {"persona": p.text}) for p in personas]
    reports, all_records, runs = [], [], []
    try:
        for stage in stages or build_stages(config):
            log = StageLog(config.workdir / f"{stage.name}.jsonl")
            run: StageRun = run_stage(stage, items, log, context, concurrency=config.concurrency,
                                      progress=config.progress)
            records = log.records()
            reports.append(stage_report(stage.name, [i for i, _ in items], records, run.errors))
            all_records.append(records)
            runs.append(run)
            items = run.kept
    finally:
        for c in owned:
            c.close()
    per_item = tokens_by_item(all_records)
    tasks, pack_stage = _write_pack(items, per_item, config)
    report = {"out": str(config.out), "workdir": str(config.workdir), "stages": [*reports, pack_stage],
              "tokens": token_accounting(reports, per_item, [t.id for t in tasks])}
    (config.workdir / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return PipelineResult(config.out, tasks, report, [e for r in runs for e in r.errors])
