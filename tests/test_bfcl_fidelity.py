"""synthagent/BFCL-v0 agrees with bfcl_eval's own harness and checker; upstream quirks do not leak between episodes.

The same scripted trajectories run through the env and through BFCL's own multi-turn FC loop
(``benchmarks.bfcl_fidelity``, all 800 entries there; a sample here). Attacks from issue 11 (findings 13-15):
a malformed call was free, refused calls were left out of the checker record, ``name(`` inside string
arguments was rewritten, ``TwitterAPI.post_tweet``'s shared default leaked mentions across episodes.
"""

import json

import pytest

pytest.importorskip("bfcl_eval")
pytest.importorskip("tree_sitter", reason="BFCL's own handlers need its parser dependencies (see README)")

import gymnasium as gym  # noqa: E402
from bfcl_eval.constants.enums import ModelStyle  # noqa: E402
from bfcl_eval.constants.type_mappings import GORILLA_TO_OPENAPI  # noqa: E402
from bfcl_eval.eval_checker.multi_turn_eval.func_source_code.posting_api import (
    TwitterAPI,  # noqa: E402
)
from bfcl_eval.model_handler.utils import convert_to_tool  # noqa: E402

import synthagent_env  # noqa: E402,F401
from benchmarks.bfcl_fidelity import STRATEGIES, bfcl_verdict, env_verdict, message  # noqa: E402
from synthagent_env.bfcl import CATEGORIES, BFCLEnv, load_category  # noqa: E402
from synthagent_env.bfcl.checker import check  # noqa: E402
from synthagent_env.bfcl.data import function_docs  # noqa: E402
from synthagent_env.bfcl.gold import gold_call  # noqa: E402
from synthagent_env.bfcl.schemas import to_openai_tools  # noqa: E402

FS_ENTRY = "multi_turn_base_0"  # GorillaFileSystem and TwitterAPI
TWITTER_LOGIN = {"username": "analyst_pro", "password": "Kj8#mP9$vL2"}  # from that entry's initial config


def call(name, **arguments):
    return message([(name, arguments)])


@pytest.mark.parametrize("category", CATEGORIES)
def test_env_and_bfcl_harness_agree_on_a_sample(category):
    env = BFCLEnv(category)
    for entry in load_category(category)[:1]:
        for name, strategy in STRATEGIES.items():
            ours, theirs = env_verdict(env, entry, strategy), bfcl_verdict(entry, strategy)
            assert ours == theirs, (entry.id, name, ours, theirs)
    env.close()


def test_a_malformed_call_ends_the_turn_so_gold_after_it_fails():
    entry = load_category("base")[0]
    ours = env_verdict(BFCLEnv(task_ids=[entry.id]), entry, STRATEGIES["gold_after_malformed"])
    assert ours["valid"] is False and ours["error_type"] == "multi_turn:empty_turn_model_response"
    env = BFCLEnv(task_ids=[entry.id])
    env.reset(options={"task_id": entry.id})
    good = gold_call(entry.ground_truth[0][0], entry.involved_classes)
    bad = message([good, ("ls", "{not json")])
    _, _, _, _, info = env.step(bad)
    assert info["user_turn"] == 1 and info["step_in_turn"] == 0  # the turn is over
    assert [e["error_kind"] for e in info["trajectory"] if e["type"] == "tool_call"] == ["not_run", "malformed"]
    assert not [e for e in info["trajectory"] if e["type"] == "bfcl_step"]  # nothing ran, nothing recorded


def test_a_refused_call_is_recorded_as_a_step_as_bfcl_records_it():
    entry = load_category("base")[0]
    env = BFCLEnv(task_ids=[entry.id])
    env.reset(options={"task_id": entry.id})
    _, _, _, _, info = env.step(call("no_such_function", x=1))
    assert info["user_turn"] == 0 and info["step_in_turn"] == 1  # a step, as in BFCL: the turn goes on
    step = info["trajectory"][-1]
    assert step["type"] == "bfcl_step" and step["calls"][0].startswith("synthagent_refused_call(")
    theirs = bfcl_verdict(entry, STRATEGIES["early_then_unknown"])
    ours = env_verdict(env, entry, STRATEGIES["early_then_unknown"])
    assert ours == theirs


def test_tools_are_bfcls_own_openai_conversion_response_included():
    classes = {c for cat in CATEGORIES for e in load_category(cat) for c in e.involved_classes}
    kept = 0
    for cls in sorted(classes):
        docs = function_docs(cls)
        ours = to_openai_tools(docs)
        assert ours == convert_to_tool(docs, GORILLA_TO_OPENAPI, ModelStyle.OPENAI_COMPLETIONS)
        assert [t["function"].get("response") for t in ours] == [d.get("response") for d in docs]
        kept += sum("response" in t["function"] for t in ours)
    assert kept > 100
    _, info = BFCLEnv(task_ids=[FS_ENTRY]).reset(options={"task_id": FS_ENTRY})
    assert all("response" in t["function"] for t in info["tools"])


@pytest.mark.parametrize("text", ["call ls(now)", "ls (a=True); cd(folder='x')", "mkdir(", "(((", "x" * 3])
def test_name_paren_inside_a_string_argument_is_stored_exactly(text):
    env = BFCLEnv(task_ids=[FS_ENTRY])
    env.reset(options={"task_id": FS_ENTRY})
    env.step(call("touch", file_name="probe.txt"))
    obs, *_ = env.step(call("echo", content=text, file_name="probe.txt"))
    assert obs.split("\n")[1] == "None"  # written (BFCL shows the method result with str())
    obs, *_ = env.step(call("cat", file_name="probe.txt"))
    assert json.loads(obs.split("\n")[1]) == {"file_content": text}
    fs = env.unwrapped._world.instances["GorillaFileSystem"]
    assert fs._current_dir._get_item("probe.txt").content == text


def _post_without_mentions(env, mention):
    env.reset(options={"task_id": FS_ENTRY})
    env.step(call("authenticate_twitter", **TWITTER_LOGIN))
    obs, *_ = env.step(call("post_tweet", content="hello"))
    tweet = json.loads(obs.split("\n")[1])
    if mention:
        env.step(call("mention", tweet_id=tweet["id"], mentioned_usernames=["@user0"]))
    return tweet["mentions"]


def test_upstream_shared_default_does_not_leak_between_episodes():
    defaults = [list(d) for d in TwitterAPI.post_tweet.__defaults__]
    a, b = BFCLEnv(task_ids=[FS_ENTRY]), BFCLEnv(task_ids=[FS_ENTRY])
    assert _post_without_mentions(a, mention=True) == []
    assert _post_without_mentions(a, mention=True) == []  # the same env, a new episode
    assert _post_without_mentions(b, mention=False) == []  # another env in the same process
    assert [list(d) for d in TwitterAPI.post_tweet.__defaults__] == defaults  # upstream left as it was


def test_checker_runs_do_not_leak_upstream_state_either():
    entry = load_category("base")[0]
    tweet_id = entry.initial_config["TwitterAPI"]["tweet_counter"]
    login = ", ".join(f"{k}={v!r}" for k, v in TWITTER_LOGIN.items())
    steps = [f"authenticate_twitter({login})", "post_tweet(content='hi')",
             f"mention(tweet_id={tweet_id}, mentioned_usernames=['@user0'])"]
    defaults = [list(d) for d in TwitterAPI.post_tweet.__defaults__]
    for _ in range(2):
        verdict = check(entry, [[steps]] + [[] for _ in entry.ground_truth[1:]])
        assert verdict["valid"] is False  # not the task; what matters is what the replay leaves behind
    assert [list(d) for d in TwitterAPI.post_tweet.__defaults__] == defaults


def test_gym_make_gives_the_same_env():
    env = gym.make("synthagent/BFCL-v0", category="base")
    assert isinstance(env.unwrapped, BFCLEnv)
