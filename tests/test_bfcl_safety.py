"""Agent text never reaches BFCL's eval(): injected code gets an error observation and nothing runs."""

import json

import pytest

pytest.importorskip("bfcl_eval")

import gymnasium as gym  # noqa: E402
from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils  # noqa: E402

import synthagent_env  # noqa: E402,F401
from synthagent_env.bfcl.safe_call import REFUSED, UnsafeCall, build_call, literal  # noqa: E402

FS_ENTRY = "multi_turn_base_0"


def call(name, arguments=None, **kwargs):
    """A Hermes tool-call block (arguments may use any key, ``name`` included)."""
    return f"<tool_call>{json.dumps({'name': name, 'arguments': {**(arguments or {}), **kwargs}})}</tool_call>"


class EvilRepr(str):
    def __repr__(self):
        return "__import__('os').system('echo pwned')"


class EvilObject:
    def __repr__(self):
        return "__import__('os').system('echo pwned')"


@pytest.fixture
def executed(monkeypatch):
    """Every list of call strings handed to BFCL's executor during the test."""
    seen: list[list[str]] = []
    real = multi_turn_utils.execute_multi_turn_func_call

    def spy(func_call_list, *args, **kwargs):
        seen.append(list(func_call_list))
        return real(func_call_list, *args, **kwargs)

    monkeypatch.setattr(multi_turn_utils, "execute_multi_turn_func_call", spy)
    return seen


@pytest.fixture
def env():
    e = gym.make("synthagent/BFCL-v0", category="base", task_ids=[FS_ENTRY])
    e.reset(options={"task_id": FS_ENTRY})
    yield e
    e.close()


def injections(marker):
    touch = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    return [
        call(f"ls(a=True) or {touch} or ls"),
        call("__import__", {"name": "os"}),
        call("eval", source=touch),
        call("exec", source=touch),
        call("open", file=str(marker), mode="w"),
        call("ls", {f"a={touch},b": 1}),
        call("ls", {"a b": 1}),
        '<tool_call>{"name": "ls", "arguments": {"a": NaN}}</tool_call>',
        '<tool_call>{"name": "ls", "arguments": {"a": Infinity}}</tool_call>',
        {"content": None, "tool_calls": [{"function": {"name": "ls", "arguments": {"a": EvilObject()}}}]},
        {"content": None, "tool_calls": [{"function": {"name": "cd", "arguments": {"folder": EvilRepr("x")}}}]},
        {"content": None, "tool_calls": [{"function": {"name": EvilRepr("ls"), "arguments": {}}}]},
        call("echo", content=json.loads("[" * 100 + "]" * 100), file_name="f"),
    ]


def test_injected_code_gets_an_error_observation_and_nothing_is_executed(executed, tmp_path):
    marker = tmp_path / "pwned"
    env = gym.make("synthagent/BFCL-v0", category="base", task_ids=[FS_ENTRY])
    env.reset(options={"task_id": FS_ENTRY})
    before, *_ = env.step(call("ls", a=True))
    for action in injections(marker):
        env.reset(options={"task_id": FS_ENTRY})  # an undecodable call ends the turn: one episode per attempt
        executed.clear()
        obs, reward, terminated, truncated, info = env.step(action)
        assert '<tool_response name="' in obs and "Error: " in obs, (action, obs)
        assert [e for e in info["trajectory"] if e["type"] == "tool_call"][-1]["status"] == "error"
        assert executed == [] and not terminated, (action, executed)
        after, *_ = env.step(call("ls", a=True))
        assert after == before and not marker.exists()
        while True:
            _, _, done, _, info = env.step("end of turn")
            if done:
                break
        recorded = [c for turn in info["reward_details"]["calls"] for step in turn for c in step]
        assert all(c == "ls(a=True)" or c.startswith(f"{REFUSED}(name=") for c in recorded), recorded
        assert not marker.exists()  # the checker replayed the record: stand-ins fail like unknown names, nothing ran
    env.close()


def test_code_in_string_arguments_stays_data(env, executed, tmp_path):
    marker = tmp_path / "pwned"
    payload = f"x'); __import__('pathlib').Path({str(marker)!r}).touch(); ('"
    obs, *_ = env.step(call("cd", folder=payload))
    assert executed == [[f"cd(folder={literal(payload)})"]]
    assert '"error": "cd: ' in obs  # the file system refused a folder with that odd name
    obs, *_ = env.step(call("touch", file_name="notes.txt"))
    obs, *_ = env.step(call("echo", content="run ls(a=True) and rm(file_name='x')", file_name="notes.txt"))
    assert "Error" not in obs
    assert not marker.exists()


@pytest.mark.parametrize("name, arguments, problem", [
    ("ls", {"a": True}, None),
    ("mv", {"source": "a", "destination": "b"}, None),
    ("echo", {"content": "x", "file_name": "y", "extra": [1, -2.5, {"k": None}]}, None),
    ("rm", {"file_name": "a"}, "unknown function"),  # not allowed here
    ("ls", {"lambda": 1}, "not a valid parameter name"),
    ("ls", {"ä": 1}, "not a valid parameter name"),
    ("ls", [1], "must be a JSON object"),
    ("ls", {"a": {1: 2}}, "non-string key"),
    ("ls", {"a": (1, 2)}, "must be a JSON value"),
    ("ls", {"a": float("nan")}, "finite"),
])
def test_build_call(name, arguments, problem):
    allowed = {"ls": "inst", "mv": "inst", "echo": "inst"}
    if problem is None:
        source = build_call(name, arguments, allowed)
        assert source.startswith(f"{name}(") and eval(source, {name: lambda **kw: kw}) == arguments
    else:
        with pytest.raises(UnsafeCall, match=problem):
            build_call(name, arguments, allowed)
