"""The mock world played by a language model: an LLM mock tool and an LLM mock user (the paper's simulator).

Tool: only calls the mapping has no entry for get here (``MockTools`` answers identical calls from the store).
Before asking the model, a stored call of the same tool whose arguments differ only in case or spacing is
reused as is, and identical calls in flight at once (a GRPO group) share one model request. The prompt gives
the tool's spec, the task context and the task's mapping so far (the paper puts all of M in the prompt); the
model either reuses an equivalent entry (``<reuse>N</reuse>``) or writes a new response (``<response>``).
Output is parsed forgivingly (tags, bare JSON, JSON repair), checked against the tool's output schema, and
retried with the problem pointed out; after ``max_attempts`` it raises ``SimulatorError``, which the env turns
into an error observation and a truncation with the reason in ``info``. Responses are cut at 4,096 characters.

User: the prompt holds the persona, the opening request, the hidden context and facts, and the
conversation (the rubric is never shown). Replies are one or two sentences; a reply naming a tool is
rejected and retried; ``###STOP###`` ends the conversation.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from ..canonical import call_key, canonical_json
from ..llm import LLMClient, LLMError, extract_json, extract_tag, make_client, strip_reasoning
from ..task import HiddenFact, Task, ToolSpec
from .base import Simulator, SimulatorError, TaskMappingView, UserReply, register_backend
from .offline import OfflineUserSimulator, instance_of

MAX_RESPONSE_CHARS = 4096
MAX_PROMPT_ENTRIES = 160  # the paper's bound on mapping entries per task
MAX_ENTRY_CHARS = 800  # per stored response shown in the prompt (the full one is what a reuse returns)
STOP_MARKER = "###STOP###"
CORRECTION_PREFIX = "[format error]"
TOOL_ROLE = "You simulate the tool described below, inside a test environment for an AI assistant."
USER_ROLE = "You are role-playing a customer talking to an AI assistant."
TRUNCATION_MARK = "\n...[truncated]"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _Invalid(ValueError):
    """The model's output cannot be used; the message says why (and is shown to the model on retry)."""


def _retrying(client: LLMClient, messages: list[dict[str, Any]], sampling: dict[str, Any], attempts: int,
              parse: Callable[[str], Any], what: str) -> Any:
    """Ask until ``parse`` accepts the reply; each retry shows the model its previous output and the problem."""
    convo = list(messages)
    problem = "no attempt made"
    for _ in range(max(1, attempts)):
        try:
            text = client.chat(convo, **sampling).text
        except LLMError as err:
            raise SimulatorError(f"{what}: the model server failed: {err}") from err
        try:
            return parse(text)
        except _Invalid as err:
            problem = str(err)
            convo = [*messages, {"role": "assistant", "content": text[:2000]},
                     {"role": "user", "content": f"{CORRECTION_PREFIX} {problem}"}]
    raise SimulatorError(f"{what}: unusable model output after {attempts} attempts: {problem}")


def _clip(text: str, limit: int = MAX_RESPONSE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - len(TRUNCATION_MARK)] + TRUNCATION_MARK


def _loose(value: Any) -> Any:
    """Arguments with case and spacing normalised: ``" A-48213"`` and ``"a-48213"`` name the same thing."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, dict):
        return {k: _loose(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_loose(v) for v in value]
    return value


@lru_cache(maxsize=1 << 16)
def _split_key(key: str) -> tuple[str, Any]:
    """``(tool, arguments)`` of a stored call key (cached: every prompt lists the task's entries again)."""
    tool, _, args = key.partition("\x1f")
    return tool, json.loads(args)


@lru_cache(maxsize=1 << 16)
def _loose_key(key: str) -> str:
    return canonical_json(_loose(_split_key(key)[1]))


@lru_cache(maxsize=1 << 14)
def _entry_line(key: str, response: str) -> str:
    """One mapping entry as the prompt shows it (entries never change, and every prompt lists them again)."""
    name, args = _split_key(key)
    return f"{json.dumps({'name': name, 'arguments': args}, ensure_ascii=False)} -> {_clip(response, MAX_ENTRY_CHARS)}"


@lru_cache(maxsize=1024)
def _output_validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json))


# ---- the tool ----


def tool_prompt(task: Task, tool: ToolSpec, arguments: dict[str, Any], entries: list[tuple[str, str]]) -> list[dict]:
    """The messages that ask the model for one tool response (entries: ``(call_key, response)`` pairs)."""
    spec = {"name": tool.name, "description": tool.description, "parameters": tool.parameters,
            "output_description": tool.output_description, "output_schema": tool.output_schema}
    lines = [f"[{i}] {_entry_line(key, response)}" for i, (key, response) in enumerate(entries)]
    mapping = "\n".join(lines) or "(none yet)"
    context = "\n".join(f"- {line}" for line in [
        f"Domain: {task.domain}", f"Customer: {task.persona}", f"Customer's request: {task.instruction}",
        *([f"Background (true facts of this world): {task.hidden_context}"] if task.hidden_context else []),
        *(f"Fact: {f.statement}" for f in task.hidden_facts)])
    system = f"""{TOOL_ROLE}
Answer each call with the output the real tool would return: realistic, specific, consistent with the
output description and schema, with the world below, and with every earlier response in the mapping.

# World
{context}

# Tool
{json.dumps(spec, ensure_ascii=False)}

# Mapping so far (earlier calls and their responses)
{mapping}

# How to answer
- If an earlier call of this tool means the same thing as this call (the same request, worded differently),
  answer exactly <reuse>N</reuse> with that entry's number N.
- Otherwise answer <response>OUTPUT</response>, where OUTPUT is the tool's output{
        ' as one JSON value matching the output schema' if tool.output_schema else ' (JSON when it is structured)'}.
- If the call cannot succeed in this world (e.g. an unknown id), answer <response>{{"error": "..."}}</response>
  with the message the real tool would give.
Write nothing else."""
    call = json.dumps({"name": tool.name, "arguments": arguments}, ensure_ascii=False)
    return [{"role": "system", "content": system}, {"role": "user", "content": f"{call}\nReturn this call's output."}]


class LLMToolSimulator:
    def __init__(self, client: LLMClient, *, max_attempts: int = 3, max_prompt_entries: int = MAX_PROMPT_ENTRIES,
                 loose_reuse: bool = True, sampling: dict[str, Any] | None = None, owns_client: bool = False):
        self.client = client
        self.max_attempts = max_attempts
        self.max_prompt_entries = max_prompt_entries
        self.loose_reuse = loose_reuse
        self.sampling = {"temperature": 0.3, "max_tokens": 1024, **(sampling or {})}
        self.owns_client = owns_client
        self.stats = {"requests": 0, "model_calls": 0, "loose_reuses": 0, "shared_in_flight": 0, "reuses": 0}
        self._lock = threading.Lock()
        self._in_flight: dict[tuple[str, str], Future] = {}

    def _count(self, name: str) -> None:
        with self._lock:
            self.stats[name] += 1

    def respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        self._count("requests")
        key = (task.id, call_key(tool.name, arguments))
        with self._lock:
            future = self._in_flight.get(key)
            leader = future is None
            if leader:
                future = self._in_flight[key] = Future()
        if not leader:  # the same call is being answered right now: share that answer
            self._count("shared_in_flight")
            return future.result()
        try:
            response = self._respond(task, tool, arguments, mapping)
            future.set_result(response)
            return response
        except BaseException as err:
            future.set_exception(err)
            raise
        finally:
            with self._lock:
                del self._in_flight[key]

    def _respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        entries = mapping.entries()
        same_tool = [(k, r) for k, r in entries if k.startswith(tool.name + "\x1f")]
        if self.loose_reuse:
            wanted = canonical_json(_loose(arguments))
            for key, response in same_tool:
                if _loose_key(key) == wanted:
                    self._count("loose_reuses")
                    return response
        others = [(k, r) for k, r in entries if not k.startswith(tool.name + "\x1f")]
        shown = (same_tool + others)[: self.max_prompt_entries]
        messages = tool_prompt(task, tool, arguments, shown)
        validator = _output_validator(canonical_json(tool.output_schema)) if tool.output_schema else None

        def parse(text: str) -> str:
            return self._parse(text, shown, tool, validator)

        self._count("model_calls")
        return _retrying(self.client, messages, self.sampling, self.max_attempts, parse,
                         f"tool simulator ({tool.name})")

    def _parse(self, text: str, shown: list[tuple[str, str]], tool: ToolSpec,
               validator: Draft202012Validator | None) -> str:
        body = strip_reasoning(text)
        reuse = extract_tag(body, "reuse")
        if reuse is not None:
            index = int(reuse) if re.fullmatch(r"[0-9]{1,6}", reuse.strip()) else -1
            if not 0 <= index < len(shown) or not shown[index][0].startswith(tool.name + "\x1f"):
                raise _Invalid(f"<reuse>{reuse}</reuse> is not the number of an earlier {tool.name} call")
            self._count("reuses")
            return shown[index][1]
        inner = extract_tag(body, "response")
        candidate = inner if inner is not None else body
        if not candidate.strip():
            raise _Invalid("the answer is empty; reply with <response>OUTPUT</response>")
        structured = validator is not None or candidate.lstrip()[:1] in "{[" or inner is None
        if not structured:
            return _clip(candidate.strip())
        try:
            value = extract_json(candidate)
        except ValueError:
            if validator is None and inner is not None:
                return _clip(candidate.strip())
            raise _Invalid("no <response>...</response> block with valid JSON was found") from None
        if validator is not None and not (isinstance(value, dict) and "error" in value):
            error = next(iter(sorted(validator.iter_errors(value), key=str)), None)
            if error is not None:
                where = "/".join(map(str, error.absolute_path)) or "(top level)"
                raise _Invalid(f"the output does not match the output schema at {where}: {error.message}")
        return _clip(json.dumps(value, ensure_ascii=False))

    def close(self) -> None:
        if self.owns_client:
            self.client.close()


# ---- the user ----


def user_prompt(task: Task, conversation: list[dict[str, str]]) -> list[dict]:
    """The messages that ask the model for the user's next turn (roles flipped: the model speaks as the user)."""
    facts = "\n".join(f"- {f.statement} (say it only when asked about: {'; '.join(f.keywords)})"
                      for f in task.hidden_facts) or "- (none)"
    system = f"""{USER_ROLE}

# Who you are
{task.persona}

# What you want
You opened the conversation with: "{task.instruction}"
Background only you know: {task.hidden_context or "(none)"}

# Details you know (reveal each one only when the assistant asks for it)
{facts}

# Rules
- Reply in one or two short sentences, in your own voice, as this customer.
- Answer only what the assistant asked; do not volunteer other details.
- You are not an assistant: never solve the task yourself, never give instructions on how to do it, and never
  mention tools, functions or systems.
- When your request is fully handled or the assistant says goodbye, reply briefly and end with {STOP_MARKER}."""
    flipped = {"assistant": "user", "user": "assistant"}
    turns = [{"role": flipped[m["role"]], "content": m["content"]} for m in conversation[1:] if m["role"] in flipped]
    return [{"role": "system", "content": system}, *turns]


def _first_sentences(text: str, n: int = 2) -> str:
    parts = _SENTENCE_END.split(text.strip())
    return " ".join(parts[:n])


class LLMUserSimulator:
    def __init__(self, client: LLMClient, *, max_attempts: int = 3, max_sentences: int = 2,
                 sampling: dict[str, Any] | None = None, owns_client: bool = False):
        self.client = client
        self.max_attempts = max_attempts
        self.max_sentences = max_sentences
        self.sampling = {"temperature": 0.7, "max_tokens": 256, **(sampling or {})}
        self.owns_client = owns_client

    def reply(self, task: Task, conversation: list[dict[str, str]]) -> UserReply:
        # identifiers only (get_order, findCard): a tool called "refund" must not forbid the word refund
        names = [t.name for t in task.tools if re.search(r"[_\d]|[a-z][A-Z]", t.name)]
        mentions = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None

        def parse(text: str) -> UserReply:
            body = strip_reasoning(text)
            stop = STOP_MARKER in body
            body = body.replace(STOP_MARKER, "").strip().strip('"').strip()
            body = re.sub(r"^(user|customer)\s*:\s*", "", body, flags=re.IGNORECASE)
            if "<tool_call>" in body or "<answer>" in body:
                raise _Invalid("you are the customer: write a plain message, no tool calls or answers")
            if mentions is not None and mentions.search(body):
                raise _Invalid("do not mention tools or functions; speak as the customer would")
            if not body:
                if stop:
                    return UserReply("Thanks, goodbye.", stop=True)
                raise _Invalid(f"the reply is empty; write one or two sentences, or end with {STOP_MARKER}")
            return UserReply(_first_sentences(body, self.max_sentences), stop=stop)

        return _retrying(self.client, user_prompt(task, conversation), self.sampling, self.max_attempts,
                         parse, "user simulator")

    def close(self) -> None:
        if self.owns_client:
            self.client.close()


# ---- backends ----


def llm_simulator(client: LLMClient | str | dict[str, Any] | None = None, *, tool: dict[str, Any] | None = None,
                  user: dict[str, Any] | None = None, name: str = "llm", **client_options: Any) -> Simulator:
    """A simulator whose tool and user are played by one model.

    ``client`` is a ready ``LLMClient`` (the caller keeps it: closing the simulator does not close it) or what
    ``make_client`` takes (a URL, a model folder, a dict), possibly as keyword options (``base_url=...``).
    ``tool``/``user`` hold options of ``LLMToolSimulator``/``LLMUserSimulator`` (e.g. ``sampling``).
    """
    if isinstance(client, LLMClient):
        if client_options:
            raise TypeError(f"unexpected options with a ready client: {', '.join(sorted(client_options))}")
        model: LLMClient = client
    else:
        model = _SharedClose(make_client(client if client is not None else client_options,
                                         **(client_options if client is not None else {})))
    owns = model is not client
    return Simulator(
        tool=LLMToolSimulator(model, **(tool or {}), owns_client=owns),
        user=LLMUserSimulator(model, **(user or {}), owns_client=owns),
        name=name,
    )


class _SharedClose:
    """One client shared by the tool and the user, closed once when both have let go."""

    def __init__(self, client: LLMClient):
        self._client, self._users = client, 2
        self.usage = client.usage

    def chat(self, messages: list[dict], **sampling: Any) -> Any:
        return self._client.chat(messages, **sampling)

    async def achat(self, messages: list[dict], **sampling: Any) -> Any:
        return await self._client.achat(messages, **sampling)

    def close(self) -> None:
        self._users -= 1
        if self._users == 0:
            self._client.close()


register_backend("llm", lambda client=None, **kw: llm_simulator(client, name="llm", **kw))
register_backend("openai", lambda **kw: llm_simulator(None, name="openai", backend="openai", **kw))
register_backend("transformers", lambda **kw: llm_simulator(None, name="transformers", backend="transformers", **kw))


# ---- a stand-in model for tests and benchmarks ----


class ScriptedWorldModel:
    """Answers this module's prompts the way the offline backend would: a fast, server-side fake model.

    Use it as an ``LLMTestServer`` reply. With ``deterministic=False`` (the default) tool outputs vary between
    calls, like a sampling model's, so tests see whether the mapping, not the model, keeps answers consistent.
    """

    def __init__(self, deterministic: bool = False, seed: int | None = None):
        self.deterministic = deterministic
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._user = OfflineUserSimulator()

    def __call__(self, request: dict[str, Any]) -> str:
        messages = [m for m in request["messages"] if isinstance(m.get("content"), str)]
        original = self._without_corrections(messages)
        system = messages[0]["content"] if messages else ""
        if system.startswith(TOOL_ROLE):
            return self._tool(system, original)
        if system.startswith(USER_ROLE):
            return self._user_turn(system, original)
        return "I can only play tools and users."

    @staticmethod
    def _without_corrections(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for m in messages:
            if m["role"] == "user" and m["content"].startswith(CORRECTION_PREFIX):
                if out and out[-1]["role"] == "assistant":
                    out.pop()
                continue
            out.append(m)
        return out

    def _tool(self, system: str, messages: list[dict[str, Any]]) -> str:
        spec = json.loads(system.split("# Tool\n", 1)[1].split("\n", 1)[0])
        call = json.loads(messages[1]["content"].split("\n", 1)[0])
        if self.deterministic:
            rng = random.Random(canonical_json(call))
        else:
            with self._lock:
                rng = random.Random(self._rng.getrandbits(64))
        schema = spec.get("output_schema")
        body = instance_of(schema, rng, spec["name"]) if schema else {
            "status": "ok", "reference": f"{spec['name'].upper()}-{rng.getrandbits(24):06X}",
            "request": call["arguments"]}
        return f"<response>{json.dumps(body, ensure_ascii=False)}</response>"

    def _user_turn(self, system: str, messages: list[dict[str, Any]]) -> str:
        facts = []
        for i, match in enumerate(re.finditer(r"^- (.+) \(say it only when asked about: (.+)\)$", system, re.M)):
            statement, keywords = match.group(1), match.group(2).split("; ")
            facts.append(HiddenFact(key=f"f{i}", value=statement, statement=statement, keywords=keywords))
        task = Task(id="scripted", domain="scripted", persona="scripted", instruction="scripted", hidden_facts=facts)
        flipped = {"assistant": "user", "user": "assistant"}
        conversation = [{"role": flipped[m["role"]], "content": m["content"]} for m in messages[1:]]
        reply = self._user.reply(task, conversation)
        return f"{reply.text} {STOP_MARKER}" if reply.stop else reply.text
