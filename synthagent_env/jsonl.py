"""Reading JSONL files whose bad lines are reported by file and line number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_jsonl(path: str | Path, error: type[Exception] = ValueError) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line; a line that is not JSON raises ``error``."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as err:
                raise error(f"{path}:{lineno}: not valid JSON: {err.msg} at column {err.colno}") from None
