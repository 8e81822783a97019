"""The learnable toy packs (``synthagent_env.testing.tool_choice``) are data in a file shipped with the package,
not tasks written as Python."""

import fnmatch
import json
import tomllib
from pathlib import Path

import pytest

from synthagent_env.testing import tool_choice, tool_choice_tasks, weather_tasks

ROOT = Path(__file__).resolve().parents[1]
MODULE = Path(tool_choice.__file__)
DATA = MODULE.with_name("tool_choice.json")


def test_the_task_data_lives_in_a_data_file_not_in_the_code():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    code = MODULE.read_text(encoding="utf-8")
    texts = [*(t["description"] for t in data["tools"]), *(t["ask"] for t in data["tools"]), *data["weather_asks"],
             data["persona"]]
    assert len(texts) >= 10 and not [t for t in texts if t in code]


def test_the_data_file_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = patterns["synthagent_env"]
    assert any(fnmatch.fnmatch(DATA.relative_to(ROOT / "synthagent_env").as_posix(), p) for p in shipped)


def test_the_tasks_are_built_from_the_file():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    tasks = tool_choice_tasks()
    assert [t.instruction for t in tasks] == [t["ask"] for t in data["tools"]]
    assert [[s.description for s in t.tools] for t in tasks] == [[d["description"] for d in data["tools"]]] * 4
    for task, tool in zip(tasks, data["tools"]):
        assert task.id == f"choose-{tool['name'].replace('_', '-')}" and task.persona == data["persona"]
        assert [i.check.tool for i in task.rubric.sub_goals] == [tool["name"]]
        assert sorted(i.check.tool for i in task.rubric.forbidden) == sorted(
            d["name"] for d in data["tools"] if d["name"] != tool["name"])
    weather = weather_tasks(3, n_tools=2)
    assert [t.instruction for t in weather] == data["weather_asks"][:3]
    assert all([s.name for s in t.tools] == ["get_weather", "get_time"] for t in weather)
    assert [len(t.tools) for t in tool_choice_tasks(2)] == [2, 2]


def test_the_public_api_is_unchanged_by_the_move():
    """Every pack the callers build (training tests, the learning-curve benchmark) is what it was as code."""
    golden = {"choose-get-weather": ("What will the weather be like today?", "get_weather"),
              "choose-get-time": ("What time is it right now?", "get_time")}
    assert {t.id: (t.instruction, t.rubric.sub_goals[0].check.tool) for t in tool_choice_tasks(2)} == golden
    assert [t.id for t in weather_tasks()] == [f"weather-{i}" for i in range(4)]
    assert weather_tasks(1)[0].rubric.forbidden[0].description == "Calls get_time, which was not asked for."


@pytest.mark.parametrize("n", [0, 1, 5])
def test_an_impossible_size_is_refused(n):
    with pytest.raises(ValueError, match="2 to 4"):
        tool_choice_tasks(n)


@pytest.mark.parametrize("n, n_tools", [(0, 4), (5, 4), (4, 0), (4, 5)])
def test_an_impossible_weather_pack_is_refused(n, n_tools):
    with pytest.raises(ValueError, match="1 to 4"):
        weather_tasks(n, n_tools=n_tools)
