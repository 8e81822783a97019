"""A self-contained HTML viewer for eval runs: ``synthagent view RUN_DIR [RUN_B]``.

``runs`` reads a run directory (read only), ``page`` renders one page with the data embedded as JSON and the
CSS/JS (``assets/``) inline, ``cli`` is the command. No server and no network: the file opens from disk.
"""

from __future__ import annotations

from pathlib import Path

from .page import render
from .runs import Run, RunNotFound, load_run

__all__ = ["Run", "RunNotFound", "load_run", "render", "write_page"]


def write_page(run_dirs: list[str | Path], out: str | Path | None = None) -> Path:
    """Load one or two runs and write the page; the default file is ``view.html`` in the first run's directory."""
    runs = [load_run(p) for p in run_dirs]
    path = Path(out) if out else runs[0].path / ("view.html" if len(runs) == 1 else "compare.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(runs), encoding="utf-8")
    return path
