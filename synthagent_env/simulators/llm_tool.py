"""The LLM mock tool: answers the calls the mapping has no entry for (``MockTools`` answers identical calls).

Before asking the model, a stored call of the same tool whose arguments differ only in case or spacing is
reused as is; identical calls in flight at once (a GRPO group) share one model request. The prompt
(``prompts.TOOL_SYSTEM``/``TOOL_CALL``) shows the world (domain, opening request, world records: never what
only the user knows), every tool of the task, a character-bounded selection of stored calls
(``mapping_section``) and this episode's own history; the model reuses an entry (``<reuse>N</reuse>``) or writes
a response (``<response>``). A reuse, by the model or by the shortcut, is refused in code when an
identifier-like argument differs (``reuse_guard``). Output is parsed forgivingly (tags, JSON repair), checked
against the output schema, and retried with the problem pointed out; a server failure or output still unusable
after ``max_attempts`` raises ``SimulatorError``, so nothing is stored. A tool error is a response whose
top-level ``error`` is set, written inside ``<response>`` (a bare error object is server text, not an answer).
The filled-in messages of this thread's last model request are ``last_prompt``.
"""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import Future
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from ..llm import LLMClient, extract_json, extract_tag, strip_reasoning
from ..mapping_key import MappingEntry, canonical_json
from ..task import Task, ToolSpec
from .base import TaskMappingView
from .mapping_section import MappingSections, TaskIndex, clip, entry_line
from .prompts import TOOL_CALL, TOOL_SYSTEM
from .retrying import InvalidReply, ask_until_valid
from .reuse_guard import identifier_mismatch, loose_key

MAX_RESPONSE_CHARS = 4096
MAPPING_CHARS = 12_000  # the stored-calls section of a prompt
HISTORY_CHARS = 6_000  # this episode's own calls in a prompt (the newest kept)
_REUSE = re.compile(r"\s*(E?)([0-9]{1,7})\s*")


@lru_cache(maxsize=1024)
def _output_validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json))


_WORLDS: dict[int, tuple[Task, tuple[str, str, frozenset[str]]]] = {}


def task_world(task: Task) -> tuple[str, str, frozenset[str]]:
    """``(world text, tools text, seed call keys)`` of a task: the prompt's stable part (cached per task object)."""
    hit = _WORLDS.get(id(task))
    if hit is not None and hit[0] is task:
        return hit[1]
    if len(_WORLDS) >= 1024:
        _WORLDS.clear()
    value = _world_parts(task)
    _WORLDS[id(task)] = (task, value)
    return value


def _world_parts(task: Task) -> tuple[str, str, frozenset[str]]:
    records = task.world_records
    world = [f"Domain: {task.domain}",
             f"The customer's opening request to the assistant (context only): {json.dumps(task.instruction, ensure_ascii=False)}"]
    if records:
        world += ["Records of this world:", *(f"- {r}" for r in records)]
    tools = "\n".join(json.dumps({"name": t.name, "description": t.description, "parameters": t.parameters,
                                  "output_description": t.output_description, "output_schema": t.output_schema},
                                 ensure_ascii=False) for t in task.tools)
    seeds = frozenset(f"{e.tool}\x1f{canonical_json(e.arguments)}" for e in task.seed_mapping)
    return "\n".join(world), tools, seeds


def _history(episode: list[MappingEntry], budget: int) -> str:
    """This episode's own calls, the newest that fit in ``budget`` characters, oldest first (``E1`` first)."""
    lines: list[str] = []
    used = 0
    for k in range(len(episode), 0, -1):
        line = entry_line(f"E{k}", episode[k - 1])
        if used + len(line) + 1 > budget:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(reversed(lines)) or "(no calls yet)"


class LLMToolSimulator:
    def __init__(self, client: LLMClient, *, max_attempts: int = 3, mapping_chars: int = MAPPING_CHARS,
                 history_chars: int = HISTORY_CHARS, loose_reuse: bool = True, sampling: dict[str, Any] | None = None,
                 owns_client: bool = False):
        self.client = client
        self.max_attempts = max_attempts
        self.sections = MappingSections(mapping_chars)
        self.history_chars = history_chars
        self.loose_reuse = loose_reuse
        self.sampling = {"temperature": 0.3, "max_tokens": 1024, **(sampling or {})}
        self.owns_client = owns_client
        self.stats = {"requests": 0, "model_calls": 0, "loose_reuses": 0, "shared_in_flight": 0, "reuses": 0,
                      "reuses_refused": 0}
        self._lock = threading.Lock()
        self._local = threading.local()
        self._in_flight: dict[tuple[str, str], Future] = {}

    @property
    def last_prompt(self) -> list[dict[str, str]] | None:
        """The messages of this thread's last call that reached the model (None: answered without one)."""
        return getattr(self._local, "prompt", None)

    def _count(self, name: str) -> None:
        with self._lock:
            self.stats[name] += 1

    def respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        self._count("requests")
        self._local.prompt = None
        key = (task.id, f"{tool.name}\x1f{canonical_json(arguments)}")
        with self._lock:
            future = self._in_flight.get(key)
            leader = future is None
            if leader:
                future = self._in_flight[key] = Future()
        if not leader:  # the same call is being answered right now: share that answer
            self._count("shared_in_flight")
            response, self._local.prompt = future.result()
            return response
        try:
            response = self._respond(task, tool, arguments, mapping)
            future.set_result((response, self.last_prompt))
            return response
        except BaseException as err:
            future.set_exception(err)
            raise
        finally:
            with self._lock:
                del self._in_flight[key]

    def prompt(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], index: TaskIndex,
               episode: list[MappingEntry]) -> tuple[list[dict[str, str]], list[int]]:
        """The messages for one call, and the mapping positions they show."""
        world, tools, _ = task_world(task)
        stored, shown = self.sections.render(index, tool.name)
        history = _history(episode, self.history_chars)
        call = json.dumps({"name": tool.name, "arguments": arguments}, ensure_ascii=False)
        system = TOOL_SYSTEM.substitute(world=world, tools=tools, stored=stored)
        user = TOOL_CALL.substitute(history=history, call=call, tool=tool.name)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}], shown

    def _respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        index = self.sections.index_view(task.id, task_world(task)[2], mapping)
        episode = list(getattr(mapping, "episode", []) or [])
        if self.loose_reuse:
            for i in index.by_loose_call.get(loose_key(tool.name, arguments), []):
                if identifier_mismatch(tool.parameters, arguments, index.entries[i].arguments) is None:
                    self._count("loose_reuses")
                    return index.entries[i].response
        messages, shown = self.prompt(task, tool, arguments, index, episode)
        self._local.prompt = messages
        validator = _output_validator(canonical_json(tool.output_schema)) if tool.output_schema else None
        shown_set = set(shown)

        def parse(text: str) -> str:
            return self._parse(text, tool, arguments, index, shown_set, episode, validator)

        self._count("model_calls")
        return ask_until_valid(self.client, messages, self.sampling, self.max_attempts, parse,
                               f"tool simulator ({tool.name})")

    def _reused(self, ref: str, tool: ToolSpec, arguments: dict[str, Any], index: TaskIndex, shown: set[int],
                episode: list[MappingEntry]) -> str:
        match = _REUSE.fullmatch(ref)
        entry = None
        if match and match.group(1):
            k = int(match.group(2))
            entry = episode[k - 1] if 1 <= k <= len(episode) else None
        elif match and int(match.group(2)) in shown:
            entry = index.entries[int(match.group(2))]
        if entry is None or entry.tool != tool.name:
            raise InvalidReply(f"<reuse>{ref[:40]}</reuse> is not the number of a listed {tool.name} call")
        mismatch = identifier_mismatch(tool.parameters, arguments, entry.arguments)
        if mismatch is not None:
            self._count("reuses_refused")
            raise InvalidReply(f"entry {ref.strip()} has a different {mismatch} than this call, so it is a different "
                               f"request: write this call's own <response> (the tool's error if it does not exist)")
        self._count("reuses")
        return entry.response

    def _parse(self, text: str, tool: ToolSpec, arguments: dict[str, Any], index: TaskIndex, shown: set[int],
               episode: list[MappingEntry], validator: Draft202012Validator | None) -> str:
        body = strip_reasoning(text)
        reuse = extract_tag(body, "reuse")
        if reuse is not None:
            return self._reused(reuse, tool, arguments, index, shown, episode)
        inner = extract_tag(body, "response")
        candidate = inner if inner is not None else body
        if not candidate.strip():
            raise InvalidReply("the answer is empty; reply with <response>OUTPUT</response>")
        structured = validator is not None or candidate.lstrip()[:1] in "{[" or inner is None
        if not structured:
            return clip(candidate.strip(), MAX_RESPONSE_CHARS)
        try:
            value = extract_json(candidate)
        except ValueError:
            if validator is None and inner is not None:
                return clip(candidate.strip(), MAX_RESPONSE_CHARS)
            raise InvalidReply("no <response>...</response> block with valid JSON was found") from None
        is_error = isinstance(value, dict) and bool(value.get("error"))
        if is_error and inner is None:
            raise InvalidReply('a tool error must be written as <response>{"error": "..."}</response>')
        if validator is not None and not is_error:
            error = next(iter(sorted(validator.iter_errors(value), key=str)), None)
            if error is not None:
                where = "/".join(map(str, error.absolute_path)) or "(top level)"
                raise InvalidReply(f"the output does not match the output schema at {where}: {error.message}")
        return clip(json.dumps(value, ensure_ascii=False), MAX_RESPONSE_CHARS)

    def close(self) -> None:
        if self.owns_client:
            self.client.close()
