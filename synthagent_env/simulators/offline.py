"""The embedded offline simulator: deterministic, no model server, the default for demo, tests and CI.

Tools: a call the mapping does not know gets a response built from the tool's output schema (or its output
description), seeded by the call itself, so the same call always gets the same answer.

User: answers only what a real person would. A fact is asked about when one of its keywords (a whole word or
phrase) stands in a question sentence: one that ends with "?", opens with a question word, or makes a
request ("could you", "please share", "I need", ...). A message asks nothing when one of its questions is a
word list (many commas, over ``MAX_QUESTION_WORDS`` words, or too few function words to be a sentence) or
when it holds more than ``MAX_QUESTIONS`` questions (a questionnaire).
One reply reveals at most ``MAX_FACTS_PER_REPLY`` facts, and a message whose questions name more than
``MAX_KEYWORDS_PER_MESSAGE`` keywords (a keyword dump) reveals none. The user never mentions tools or the
solution, and ends the conversation when the agent says goodbye.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from functools import lru_cache
from typing import Any

from ..canonical import call_key
from ..schema_sampling import instance_of
from ..task import Task, ToolSpec
from .base import Simulator, TaskMappingView, UserReply, register_backend

_FAREWELL = re.compile(r"\b(good\s?bye|bye)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")  # . ? ! before a space, or a line break ("39.00" stays whole)
_QUESTION_OPENER = re.compile(r"^\W*(what|what's|which|when|where|who|whose|how)\b", re.IGNORECASE)
_REQUEST = re.compile(
    r"\b(please|tell me|let me know|i need|i'll need|i will need|i'd need|i would need|could you|can you|"
    r"would you|may i have|share|provide|confirm|send me|give me)\b",
    re.IGNORECASE,
)
_LIST_SEPARATOR = re.compile(r"[,;/|]")
MAX_QUESTION_WORDS = 50  # a longer "question" is a list of words, not something a person answers
MAX_LIST_SEPARATORS = 4  # "the order number, the item, and the refund method?" has 2
MAX_QUESTIONS = 5  # more question sentences in one message: a questionnaire, answered with nothing
MAX_FACTS_PER_REPLY = 2
MAX_KEYWORDS_PER_MESSAGE = 6  # distinct keywords, over all facts, named by one message's questions
_FUNCTION_WORDS = frozenset(
    "a an the is are was were be been do does did you your yours i me my we our us it its this that these those "
    "to of for in on at by with from and or but if so as about what which when where who whose how please could "
    "can would will may should tell let know need have has had any some there here like want".split()
)
MIN_FUNCTION_SHARE = 0.3  # English questions of 8+ words run ~40-70% function words; a pasted word list ~20%


@lru_cache(maxsize=4096)
def _keyword(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(keyword.lower()) + r"(?!\w)")


def _asks_something(sentence: str) -> bool:
    return bool(sentence.rstrip().endswith("?") or _QUESTION_OPENER.search(sentence) or _REQUEST.search(sentence))


def _is_word_list(sentence: str) -> bool:
    """A "question" no person would answer: too long, a comma list, or words without the grammar of a sentence."""
    words = re.findall(r"[a-z']+", sentence.lower())
    if len(sentence.split()) > MAX_QUESTION_WORDS or len(_LIST_SEPARATOR.findall(sentence)) > MAX_LIST_SEPARATORS:
        return True
    return len(words) >= 8 and sum(w in _FUNCTION_WORDS for w in words) / len(words) < MIN_FUNCTION_SHARE


@lru_cache(maxsize=32)  # one message is read once per hidden fact, by the env and the user
def question_sentences(message: str) -> tuple[str, ...]:
    """The message's real questions, lower-cased. None at all when it holds more than ``MAX_QUESTIONS`` or
    any word list dressed as a question: such a message is a dump, and a person would ask what is meant."""
    sentences = [s for s in _SENTENCE_END.split(message) if s and s.strip()]
    asking = [s for s in sentences if _asks_something(s)]
    if len(asking) > MAX_QUESTIONS or any(_is_word_list(s) for s in asking):
        return ()
    return tuple(s.lower() for s in asking)


def asks_about(message: str, keywords: list[str]) -> bool:
    """``message`` holds a real question (see the module doc) that names one of ``keywords`` as a whole word
    or phrase. The same rule records, in the env, which facts an agent's message asked about."""
    return any(_keyword(k).search(q) for q in question_sentences(message) for k in keywords if k.strip())


def keywords_named(message: str, keywords: list[str]) -> set[str]:
    """Which of ``keywords`` the message's real questions name."""
    questions = question_sentences(message)
    return {k.lower() for k in keywords if k.strip() and any(_keyword(k).search(q) for q in questions)}


def _rng_for(task: Task, tool: ToolSpec, arguments: dict[str, Any]) -> random.Random:
    digest = hashlib.sha256(f"{task.id}\x1e{call_key(tool.name, arguments)}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class OfflineToolSimulator:
    def respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        rng = _rng_for(task, tool, arguments)
        if tool.output_schema:
            body = instance_of(tool.output_schema, rng, tool.name)
        else:
            body = {
                "status": "ok",
                "reference": f"{tool.name.upper()}-{rng.getrandbits(24):06X}",
                "request": arguments,
                "note": tool.output_description,
            }
        return json.dumps(body, ensure_ascii=False)


class OfflineUserSimulator:
    def reply(self, task: Task, conversation: list[dict[str, str]]) -> UserReply:
        message = next((m["content"] for m in reversed(conversation) if m["role"] == "assistant"), "")
        if _FAREWELL.search(message):
            return UserReply("Thanks, bye!", stop=True)
        facts = [f for f in task.hidden_facts if asks_about(message, f.keywords)]
        if facts:
            named = keywords_named(message, [k for f in task.hidden_facts for k in f.keywords])
            if len(named) > MAX_KEYWORDS_PER_MESSAGE:
                return UserReply("That's a lot of questions at once. What do you need to know first?")
            return UserReply(" ".join(f.statement for f in facts[:MAX_FACTS_PER_REPLY]))
        if "?" in message:
            return UserReply("I'm not sure about that. Please ask me about a specific detail of my request.")
        return UserReply("Okay. Please go ahead.")


def offline_simulator() -> Simulator:
    return Simulator(tool=OfflineToolSimulator(), user=OfflineUserSimulator(), name="offline")


register_backend("offline", offline_simulator)
