"""Every runnable code block in README.md and docs/*.md runs, so the docs cannot rot.

Blocks fenced as ```bash/```sh/```shell or ```python run in order, one temporary directory per document (a later
block may use what an earlier one wrote, e.g. a pack), which holds links to the checkout's top-level entries so
that paths such as ``docs/examples/...`` resolve. Python blocks run in a subprocess with this venv's python,
bash blocks with ``bash -e`` with the venv's ``bin`` first on ``PATH``.

Conventions in the Markdown:
- ``<!-- docs-test: skip (why) -->`` on the line(s) right before a block skips it and says why (a GPU, a model
  server, the network, a long run). The reason is required.
- A block that installs (``pip install``, ``python -m venv``) is skipped as "install": CI runs those itself.
- A Python block whose first line is ``# NAME.py`` is a file the reader saves: it is written to NAME.py, not run.
"""

from __future__ import annotations

import os
import tempfile
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LANGUAGES = {"bash": "bash", "sh": "bash", "shell": "bash", "console": None, "python": "python", "py": "python"}
_FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_MARKER = re.compile(r"<!--\s*docs-test:\s*(\w+)(?:\s*\((.*?)\))?\s*-->\s*$")
_SAVED_FILE = re.compile(r"^#\s*([\w./-]+\.py)\s*$")
_INSTALL = re.compile(r"\bpip install\b|\bpython3? -m venv\b|\buv (pip|venv)\b")
TIMEOUT_S = 240
LINK_SKIP = {".git", ".venv", "eval_runs", "runs", "__pycache__", ".pytest_cache"}  # runs: a block writes its own


@dataclass
class Block:
    doc: Path
    line: int
    language: str  # bash | python
    code: str
    skip: str | None  # why it is not run
    saves: str | None = None  # a file the reader saves, written instead of run

    @property
    def id(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks_of(doc: Path) -> list[Block]:
    text = doc.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        language = LANGUAGES.get(match.group(1).lower())
        if language is None:
            continue
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").splitlines()[-1:] or [""]
        marker = _MARKER.search(before[0])
        code = match.group(2)
        skip = None
        if marker is not None:
            if marker.group(1) != "skip" or not (marker.group(2) or "").strip():
                raise ValueError(f"{doc.name}:{line}: write <!-- docs-test: skip (the reason) -->")
            skip = marker.group(2).strip()
        elif _INSTALL.search(code):
            skip = "install"
        first = code.splitlines()[0] if code.strip() else ""
        saved = _SAVED_FILE.match(first) if language == "python" else None
        found.append(Block(doc, line, language, code, skip, saved.group(1) if saved else None))
    return found


BLOCKS = [b for doc in DOCS for b in blocks_of(doc)]
_WORKDIRS: dict[Path, Path] = {}


def workdir(doc: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory per document, holding links to the checkout's top-level entries."""
    if doc not in _WORKDIRS:
        path = tmp_path_factory.mktemp(doc.stem)
        for entry in ROOT.iterdir():
            if entry.name not in LINK_SKIP and not (path / entry.name).exists():
                (path / entry.name).symlink_to(entry)
        _WORKDIRS[doc] = path
    return _WORKDIRS[doc]


def test_a_block_that_leaves_a_server_in_the_background_neither_hangs_nor_leaks(tmp_path):
    pid_file = tmp_path / "pid"
    code, output = run_block(["bash", "-e", "-c", f"sleep 600 & echo $! > {pid_file}; echo started"], tmp_path,
                             dict(os.environ))
    assert code == 0 and "started" in output
    stat = Path(f"/proc/{int(pid_file.read_text())}/stat")
    time.sleep(0.2)
    assert not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z"  # gone, or dead and unreaped


def test_the_parser_finds_markers_installs_and_saved_files(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("a\n<!-- docs-test: skip (needs a GPU) -->\n```bash\nnvidia-smi\n```\n\n```python\n# mine.py\n"
                   "X = 1\n```\n```bash\npip install -e .\n```\n```json\n{}\n```\n```py\nprint(1)\n```\n")
    got = [(b.language, b.skip, b.saves, b.line) for b in blocks_of(doc)]
    assert got == [("bash", "needs a GPU", None, 3), ("python", None, "mine.py", 7), ("bash", "install", None, 11),
                   ("python", None, None, 17)]
    doc.write_text("<!-- docs-test: skip -->\n```bash\nls\n```\n")
    with pytest.raises(ValueError, match="the reason"):
        blocks_of(doc)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_doc_block_runs(block: Block, tmp_path_factory: pytest.TempPathFactory) -> None:
    if block.skip is not None:
        pytest.skip(block.skip)
    cwd = workdir(block.doc, tmp_path_factory)
    if block.saves is not None:
        (cwd / block.saves).write_text(block.code, encoding="utf-8")
        return
    venv_bin = str(Path(sys.executable).parent)
    env = {**{k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"},
           "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": str(cwd), "MPLBACKEND": "Agg",
           # a block runs as on a fresh machine: its ray.init() must not find the cluster a test of this session
           # started (Ray looks for the latest one under its temp dir, /tmp/ray by default)
           "RAY_TMPDIR": tempfile.mkdtemp(prefix="ray-", dir="/tmp")}
    argv = [sys.executable, "-c", block.code] if block.language == "python" else ["bash", "-e", "-c", block.code]
    code, output = run_block(argv, cwd, env)
    assert code is not None, f"{block.id} ran over {TIMEOUT_S}s: mark it <!-- docs-test: skip (a long run) --> " \
                             f"or shorten it\n{output[-3000:]}"
    assert code == 0, f"{block.id} exited {code}\n{block.code}\n--- output ---\n{output[-6000:]}"


def run_block(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int | None, str]:
    """``(exit status or None on timeout, output)``. The block runs in its own process group, with its output in
    a file rather than a pipe, so a server it leaves in the background can neither hang the test nor outlive it."""
    log = cwd / ".docs-test-output.txt"
    with log.open("w+", encoding="utf-8", errors="replace") as out:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        try:
            code: int | None = proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the block's own group: what it started in the background
            except ProcessLookupError:
                pass
            proc.wait()
        out.seek(0)
        return code, out.read()
