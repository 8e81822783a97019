"""Mock-tool prompt size and client CPU per miss as the task's mapping grows, beside the paper's whole-mapping prompt.

For each mapping size (10, 100, 1,000, 10,000 stored calls of one bundled task plus its 3 seeds, in a real sqlite
mapping file), misses (new calls; their answers are not stored, so the size stays put) are answered by
``LLMToolSimulator`` with an in-process model stub, so the time measured is the client's own work per miss:
listing the mapping, indexing new entries, choosing and rendering the stored-calls section, parsing and checking
the reply. Two mapping views, interleaved: ``store`` is the env's view (``mock_tools.TaskMapping``: its
``entries()`` returns a copy of the whole cached listing, O(n)); ``since`` is a view with ``entries_since(n)``
(only the entries after the first n: what the simulator uses when a view offers it) over the same entries.
The paper's prompt is the same prompt with every entry listed. Sizes and views are interleaved within each
round and rounds repeated; figures are min/median/max over rounds.
Targets (scale-out issue): at 1,000 entries our prompt <= 1/10 of the paper's; CPU per miss at 10,000 entries
within 1.5x of that at 10.

    OMP_NUM_THREADS=1 python -m benchmarks.prompt_size [--rounds 7] [--misses 50] [--mapping-chars 12000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from synthagent_env import load_tasks
from synthagent_env.llm import Completion, UsageMeter
from synthagent_env.mapping_key import MappingEntry
from synthagent_env.mock_tools import TaskMapping
from synthagent_env.schema_sampling import instance_of
from synthagent_env.simulators.llm_tool import LLMToolSimulator, task_world
from synthagent_env.simulators.mapping_section import entry_line
from synthagent_env.simulators.prompts import TOOL_CALL, TOOL_SYSTEM
from synthagent_env.stores import SqliteStore
from synthagent_env.task import Task, ToolSpec

SIZES = (10, 100, 1_000, 10_000)
TASK_ID = "retail-damaged-blender-return"


class SinceView:
    """A mapping view that hands out only new entries (``entries_since``), as an incremental store can."""

    def __init__(self, entries: list[MappingEntry]):
        self.items = entries

    def entries(self) -> list[MappingEntry]:
        return list(self.items)

    def entries_since(self, start: int) -> list[MappingEntry]:
        return self.items[start:]

    @property
    def episode(self) -> list[MappingEntry]:
        return []


class StubModel:
    """An in-process model that answers every tool prompt at once with a schema-valid response."""

    def __init__(self, task: Task):
        self.usage = UsageMeter()
        self.tools = {t.name: t for t in task.tools}
        self.rng = random.Random(0)

    def chat(self, messages: list[dict[str, Any]], **sampling: Any) -> Completion:
        name = messages[-1]["content"].rsplit("Tool: ", 1)[1].split(".", 1)[0]
        return Completion(f"<response>{json.dumps(_response(self.tools[name], self.rng))}</response>")

    async def achat(self, messages: list[dict[str, Any]], **sampling: Any) -> Completion:
        return self.chat(messages, **sampling)

    def close(self) -> None:
        pass


def _response(tool: ToolSpec, rng: random.Random) -> Any:
    if tool.output_schema:
        return instance_of(tool.output_schema, rng, tool.name)
    return {"status": "ok", "reference": f"{tool.name.upper()}-{rng.getrandbits(24):06X}", "note": tool.output_description}


def _call(tool: ToolSpec, rng: random.Random, n: int) -> dict[str, Any]:
    args = instance_of(tool.parameters, rng, tool.name)
    for key, schema in tool.parameters.get("properties", {}).items():
        if schema.get("type") == "string" and "enum" not in schema:
            args[key] = f"{key[:3].upper()}-{n:06d}"  # distinct ids, as exploring rollouts make
    return args


def fill(store: SqliteStore, task: Task, n: int, rng: random.Random) -> None:
    seeds = [MappingEntry(e.tool, e.arguments, e.response_text()) for e in task.seed_mapping]
    made = [MappingEntry(t.name, _call(t, rng, i), json.dumps(_response(t, rng)))
            for i in range(n) for t in [task.tools[i % len(task.tools)]]]
    store.seed(task.id, seeds + made)


def paper_prompt_chars(task: Task, tool: ToolSpec, arguments: dict[str, Any], entries: list[MappingEntry]) -> int:
    """The same prompt with the whole mapping in it (the paper puts all of M in every tool prompt)."""
    world, tools, _ = task_world(task)
    stored = "\n".join(entry_line(str(i), e) for i, e in enumerate(entries))
    call = json.dumps({"name": tool.name, "arguments": arguments})
    return (len(TOOL_SYSTEM.substitute(world=world, tools=tools, stored=stored))
            + len(TOOL_CALL.substitute(history="(no calls yet)", call=call, tool=tool.name)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--misses", type=int, default=50, help="misses per size per round")
    p.add_argument("--mapping-chars", type=int, default=12_000)
    args = p.parse_args(argv)
    task = next(t for t in load_tasks("tooluse-v0") if t.id == TASK_ID)
    rng = random.Random(0)
    views = ("store", "since")
    cpu: dict[tuple[str, int], list[float]] = {(v, n): [] for v in views for n in SIZES}
    ours: dict[int, int] = {}
    paper: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stores, listings = {}, {}
        for n in SIZES:
            stores[n] = SqliteStore(Path(tmp) / f"m{n}.sqlite")
            fill(stores[n], task, n, rng)
            listings[n] = stores[n].entries(task.id)

        def view(kind: str, n: int) -> Any:
            return TaskMapping(stores[n], task.id) if kind == "store" else SinceView(listings[n])

        sims = {(v, n): LLMToolSimulator(StubModel(task), mapping_chars=args.mapping_chars) for v in views for n in SIZES}
        for (v, n), sim in sims.items():  # warm up: the first miss indexes the whole mapping once, as a worker's does
            sim.respond(task, task.tools[0], _call(task.tools[0], rng, 10**8 + n), view(v, n))
        made = 0
        for _ in range(args.rounds):
            for n in SIZES:  # interleaved: every size and view measured under the same machine load in each round
                for v in views:
                    sim, spent = sims[(v, n)], 0.0
                    for _ in range(args.misses):
                        made += 1
                        tool = task.tools[made % len(task.tools)]
                        call = _call(tool, rng, 10**7 + made)
                        mapping = view(v, n)
                        start = time.process_time()
                        sim.respond(task, tool, call, mapping)
                        spent += time.process_time() - start
                    cpu[(v, n)].append(spent / args.misses)
                ours[n] = sum(len(m["content"]) for m in sims[("store", n)].last_prompt)
                paper[n] = paper_prompt_chars(task, tool, call, listings[n])
        for store in stores.values():
            store.close()

    def figures(values: list[float]) -> dict[str, float]:
        ms = sorted(1000 * c for c in values)
        return {"min": round(ms[0], 3), "median": round(statistics.median(ms), 3), "max": round(ms[-1], 3)}

    rows = [{"entries": n + len(task.seed_mapping), "prompt_chars": ours[n], "paper_prompt_chars": paper[n],
             "ratio_to_paper": round(ours[n] / paper[n], 3),
             **{f"cpu_ms_per_miss_{v}_view": figures(cpu[(v, n)]) for v in views}} for n in SIZES]
    growth = {v: round(statistics.median(cpu[(v, SIZES[-1])]) / statistics.median(cpu[(v, SIZES[0])]), 2)
              for v in views}
    report = {"task": TASK_ID, "mapping_chars": args.mapping_chars, "rounds": args.rounds, "misses": args.misses,
              "sizes": rows, "ratio_at_1000": rows[2]["ratio_to_paper"],
              "cpu_10000_over_10": growth}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
