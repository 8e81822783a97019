"""Getting structured data out of model text: reasoning removal, tag extraction and forgiving JSON.

Models wrap JSON in prose or code fences, think aloud first, use Python literals or single quotes, leave
trailing commas, or stop mid-object when they hit a token limit. ``extract_json`` repairs what a careful
reader would and raises ``JSONRepairError`` (a ``ValueError``) for the rest; it never guesses content.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..parsing import strip_reasoning

_FENCE = re.compile(r"```[A-Za-z0-9_-]*\s*\n?(.*?)(?:```|\Z)", re.DOTALL)
_ESCAPES = {'"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_WORDS = {"true": "true", "false": "false", "null": "null", "True": "true", "False": "false", "None": "null"}


class JSONRepairError(ValueError):
    """No JSON value could be recovered from the text."""


def extract_tag(text: str, tag: str) -> str | None:
    """The content of the first ``<tag>...</tag>`` (to the end of the text if the block was cut off)."""
    match = re.search(rf"<{tag}>(.*?)(?:</{tag}>|\Z)", text, re.DOTALL | re.IGNORECASE)
    return match.group(1).strip() if match else None


def _read_string(src: str, i: int) -> tuple[str, int]:
    """A JSON string literal for the (double- or single-quoted) string starting at ``src[i]``; closes it if cut off."""
    quote, j, parts = src[i], i + 1, ['"']
    while j < len(src) and src[j] != quote:
        ch = src[j]
        if ch == "\\" and j + 1 < len(src):
            parts.append("'" if src[j + 1] == "'" else src[j:j + 2])  # \' is not a JSON escape
            j += 2
            continue
        parts.append(_ESCAPES.get(ch, ch))
        j += 1
    parts.append('"')
    return "".join(parts), j + 1


def _drop_trailing_comma(out: list[str]) -> None:
    while out and out[-1].isspace():
        out.pop()
    if out and out[-1] == ",":
        out.pop()


def _normalise(src: str) -> str:
    """Rewrite the first JSON-ish value in ``src`` (which starts with ``{`` or ``[``) as strict JSON text."""
    out: list[str] = []
    closers: list[str] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch in "\"'":
            literal, i = _read_string(src, i)
            out.append(literal)
            continue
        if src.startswith("//", i):
            i = src.find("\n", i) if "\n" in src[i:] else len(src)
            continue
        if src.startswith("/*", i):
            end = src.find("*/", i + 2)
            i = len(src) if end < 0 else end + 2
            continue
        if ch in "{[":
            closers.append("}" if ch == "{" else "]")
        elif ch in "}]":
            _drop_trailing_comma(out)
            if closers:
                closers.pop()
            out.append(ch)
            i += 1
            if not closers:
                break
            continue
        elif ch.isalpha() or ch == "_":
            match = re.match(r"[A-Za-z_][A-Za-z0-9_\-]*", src[i:])
            assert match is not None
            word = match.group(0)
            i += len(word)
            rest = src[i:].lstrip()
            out.append(_WORDS[word] if word in _WORDS and not rest.startswith(":") else json.dumps(word))
            continue
        out.append(ch)
        i += 1
    if closers:  # cut off: close what is open
        _drop_trailing_comma(out)
        out.extend(reversed(closers))
    return "".join(out)


def extract_json(text: str) -> Any:
    """The first JSON object or array in ``text`` (or the whole text if it is any JSON value), repaired."""
    body = strip_reasoning(text)
    fenced = _FENCE.search(body)
    candidates = [fenced.group(1).strip()] if fenced else []
    candidates.append(body)
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested output
            pass
        starts = [p for p in (candidate.find("{"), candidate.find("[")) if p >= 0]
        if not starts:
            continue
        try:
            return json.loads(_normalise(candidate[min(starts):]))
        except (ValueError, RecursionError):
            continue
    raise JSONRepairError(f"no JSON object or array could be recovered from: {text[:120]!r}")
