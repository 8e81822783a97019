"""BFCL-v4 multi-turn entries, read straight from the files the ``bfcl-eval`` wheel ships.

We read the JSONL files ourselves instead of calling ``bfcl_eval.utils.load_dataset_entry``: that function
takes file locks under the install directory (site-packages may be read-only) and pulls in more of the
package. What it does to multi-turn entries is reproduced here: the function docs of the involved classes,
minus the held-out ones (``missed_function``), which come back at their turn; the "Python 3 syntax" hint is
added to the initial docs only, as BFCL does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

INSTALL_HINT = "the BFCL environment needs bfcl-eval: pip install --no-deps 'bfcl-eval==2026.3.23' 'mpmath>=1.3'"

try:
    import bfcl_eval
    from bfcl_eval.constants.executable_backend_config import MULTI_TURN_FUNC_DOC_FILE_MAPPING
except ImportError as err:  # keep the extra optional, with a message that says what to do; "not found" so
    raise ModuleNotFoundError(INSTALL_HINT, name="bfcl_eval") from err  # pytest.importorskip skips cleanly

CATEGORIES = ("base", "miss_func", "miss_param", "long_context")
DATA_DIR = Path(bfcl_eval.__file__).resolve().parent / "data"
VERSION_PREFIX = "BFCL_v4"
PYTHON_HINT = " Note that the provided function is in Python 3 syntax."


@dataclass(frozen=True)
class BFCLEntry:
    """One multi-turn entry; ``id`` doubles as the env's ``task_id``. Treat its fields as read-only."""

    id: str
    category: str  # short name: base | miss_func | miss_param | long_context
    turns: list[list[dict[str, Any]]]  # user messages per turn; a held-out turn has none
    initial_config: dict[str, Any]
    involved_classes: list[str]
    functions: list[dict[str, Any]]  # BFCL function docs offered from the start
    holdouts: dict[int, list[dict[str, Any]]]  # turn index -> docs added at that turn
    ground_truth: list[list[str]]  # per turn, BFCL call strings

    @property
    def long_context(self) -> bool:
        """BFCL loads a much larger scenario for this category (it decides by the id, so do we)."""
        return "long_context" in self.id.rsplit("_", 1)[0]


def normalize_category(category: str) -> str:
    short = category.removeprefix("multi_turn_")
    if short not in CATEGORIES:
        raise ValueError(f"unknown BFCL multi-turn category {category!r}; expected one of {', '.join(CATEGORIES)}")
    return short


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@lru_cache(maxsize=None)
def _function_docs(class_name: str) -> tuple[str, ...]:
    """Docs as JSON text, so every caller gets fresh dicts it may change."""
    path = DATA_DIR / "multi_turn_func_doc" / MULTI_TURN_FUNC_DOC_FILE_MAPPING[class_name]
    return tuple(json.dumps(doc) for doc in _read_jsonl(path))


def function_docs(class_name: str) -> list[dict[str, Any]]:
    return [json.loads(doc) for doc in _function_docs(class_name)]


def _split_holdouts(raw: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    functions = [doc for cls in raw["involved_classes"] for doc in function_docs(cls)]
    holdouts: dict[int, list[dict[str, Any]]] = {}
    for turn, names in raw.get("missed_function", {}).items():
        for name in names:
            index = next((i for i, doc in enumerate(functions) if doc["name"] == name), None)
            if index is not None:
                holdouts.setdefault(int(turn), []).append(functions.pop(index))
    for doc in functions:
        doc["description"] += PYTHON_HINT
    return functions, holdouts


@lru_cache(maxsize=None)
def load_category(category: str) -> tuple[BFCLEntry, ...]:
    """All entries of one category, in file order (cached: the files are read once per process)."""
    short = normalize_category(category)
    name = f"{VERSION_PREFIX}_multi_turn_{short}.json"
    answers = {a["id"]: a["ground_truth"] for a in _read_jsonl(DATA_DIR / "possible_answer" / name)}
    entries = []
    for raw in _read_jsonl(DATA_DIR / name):
        functions, holdouts = _split_holdouts(raw)
        entries.append(BFCLEntry(
            id=raw["id"], category=short, turns=raw["question"], initial_config=raw["initial_config"],
            involved_classes=list(raw["involved_classes"]), functions=functions, holdouts=holdouts,
            ground_truth=answers[raw["id"]],
        ))
    return tuple(entries)
