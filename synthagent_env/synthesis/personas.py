"""Where personas come from: a bundled generator (occupation x context x goal) or a user's JSONL file.

The paper samples Persona Hub; we compose our own so the pipeline runs with nothing downloaded. The bundled
source walks the product space in a seeded, prefix-stable order: the first N personas of a seed are the same
whatever N is, so growing ``--personas`` on a resumed run only adds items.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from pathlib import Path

from ..jsonl import read_jsonl
from .persona_parts import CONTEXTS, GOALS, OCCUPATIONS


@dataclass(frozen=True)
class Persona:
    id: str
    text: str


def persona_id(text: str) -> str:
    """A stable id from the text itself, so the same persona is the same item in every run and file."""
    return "syn-" + hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:10]


def _article(word: str) -> str:
    return "An" if word[:1].lower() in "aeiou" else "A"


def compose(occupation: str, context: str, goal: str) -> str:
    return f"{_article(occupation)} {occupation} {context}. They need to {goal}."


def space_size() -> int:
    return len(OCCUPATIONS) * len(CONTEXTS) * len(GOALS)


def _permutation(seed: int) -> tuple[int, int]:
    """An affine bijection i -> (a*i + b) mod size; a is coprime to size, so indices never repeat."""
    size, rng = space_size(), random.Random(seed)
    while True:
        a = rng.randrange(size // 3, size)
        if math.gcd(a, size) == 1:
            return a, rng.randrange(size)


def bundled_personas(n: int, seed: int = 0) -> list[Persona]:
    """The first ``n`` personas of the seeded walk through the product space (all distinct)."""
    size = space_size()
    if not 0 <= n <= size:
        raise ValueError(f"the bundled source has {size} personas; asked for {n}")
    a, b = _permutation(seed)
    out = []
    for i in range(n):
        j = (a * i + b) % size
        j, goal = divmod(j, len(GOALS))
        occupation, context = divmod(j, len(CONTEXTS))
        text = compose(OCCUPATIONS[occupation], CONTEXTS[context], GOALS[goal])
        out.append(Persona(persona_id(text), text))
    return out


def _text_of(raw: object, where: str) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict):
        for key in ("persona", "text", "description", "input persona"):
            if isinstance(raw.get(key), str):
                return raw[key]
    raise ValueError(f"{where}: expected a JSON string or an object with a 'persona' (or 'text') string")


def load_personas(path: str | Path, limit: int | None = None) -> list[Persona]:
    """Personas from JSONL: each line a JSON string or an object with ``persona``/``text`` (Persona Hub style).

    Duplicates (by text) are dropped; blank lines are skipped; a bad line raises with its line number.
    """
    path = Path(path)
    seen: set[str] = set()
    out: list[Persona] = []
    for lineno, raw in read_jsonl(path):
        text = " ".join(_text_of(raw, f"{path}:{lineno}").split())
        if not text:
            raise ValueError(f"{path}:{lineno}: empty persona")
        pid = persona_id(text)
        if pid not in seen:
            seen.add(pid)
            out.append(Persona(pid, text))
        if limit is not None and len(out) >= limit:
            break
    return out
