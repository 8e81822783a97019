"""What the distribution installs: no generic top-level import name, every package shipped, every command there."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLED_ROOTS = {"synthagent_env": "synthagent_env", "synthagent_agents": "agents", "synthagent_training": "training"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _packages_on_disk() -> set[str]:
    found = set()
    for name, folder in INSTALLED_ROOTS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            if "__pycache__" not in rel.parts and "sources" not in rel.parts:
                found.add(".".join((name, *rel.parts)))
    return found


def test_every_package_on_disk_is_listed_for_installation():
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    assert _packages_on_disk() == listed


def test_the_wheel_holds_no_generic_top_level_name(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("synthagent-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == set(INSTALLED_ROOTS)
    assert "synthagent_env/packs/tooluse_v0.jsonl" in names
    assert "synthagent_env/viewer/assets/viewer.js" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "synthagent = synthagent_env.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
