"""The library core never imports the agents, the trainer or the benchmark scripts, and the CLI finds its commands
through the installed names whatever sits in the working directory."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from synthagent_env.cli import COMMAND_MODULES

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "synthagent_env"
FORBIDDEN = ("synthagent_agents", "synthagent_training", "benchmarks", "agents", "training")
REQUIRED_COMMANDS = {"demo", "eval", "train", "synth"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute module name a file imports (``import x.y`` and ``from x.y import z``), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def forbidden_imports(root: Path) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN:
                bad.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return bad


def test_the_checker_sees_every_import_form(tmp_path):
    pkg = tmp_path / "core"
    pkg.mkdir()
    (pkg / "a.py").write_text("import synthagent_agents.oracle\n")
    (pkg / "b.py").write_text("def f():\n    from synthagent_training.cli import x\n")
    (pkg / "c.py").write_text("import importlib\nimportlib.import_module('benchmarks.eval')\n")
    (pkg / "d.py").write_text("from .agents import x\nfrom synthagent_env.agent import Agent\n")
    assert [b.split(" imports ")[1] for b in forbidden_imports(pkg)] == [
        "synthagent_agents.oracle", "synthagent_training.cli", "benchmarks.eval"]


def test_core_never_imports_agents_training_or_benchmarks():
    assert forbidden_imports(CORE) == []


def _impostor_dir(tmp_path: Path) -> Path:
    """A working directory holding a package ``agents`` that raises on import and a folder ``training``."""
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "__init__.py").write_text("raise ImportError('the impostor agents package was imported')\n")
    (tmp_path / "training").mkdir()
    (tmp_path / "training" / "__init__.py").write_text("raise ImportError('the impostor training folder was imported')\n")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "__init__.py").write_text("raise ImportError('the impostor benchmarks was imported')\n")
    return tmp_path


@pytest.mark.parametrize("argv", [
    [sys.executable, "-m", "synthagent_env.cli", "--help"],
    [str(Path(sys.executable).with_name("synthagent")), "--help"],
], ids=["python -m synthagent_env.cli", "synthagent script"])
def test_every_command_is_listed_with_impostors_on_the_path(tmp_path, argv):
    if not Path(argv[0]).exists() and shutil.which("synthagent") is None:
        pytest.fail("the synthagent console script is not installed (pip install -e .)")
    cwd = _impostor_dir(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "impostor" not in done.stdout + done.stderr
    listed = set(done.stdout.split("{", 1)[1].split("}", 1)[0].split(","))
    registered = {c for commands in COMMAND_MODULES.values() for c in commands}
    assert (registered | REQUIRED_COMMANDS) <= listed
