"""synthagent/BFCL-v0: gold replay agrees with BFCL's checker, wrong calls fail, episodes never share state."""

import pytest

pytest.importorskip("bfcl_eval")

import gymnasium as gym  # noqa: E402
from bfcl_eval.constants.default_prompts import DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC  # noqa: E402
from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import multi_turn_checker  # noqa: E402
from gymnasium.utils.env_checker import check_env  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402

import synthagent_env  # noqa: E402,F401
from synthagent_env.bfcl import CATEGORIES, GoldReplayAgent, load_category  # noqa: E402
from synthagent_env.bfcl.gold import calls_message, gold_call  # noqa: E402
from synthagent_env.bfcl.world import live_instances  # noqa: E402
from synthagent_env.episode import play_episode  # noqa: E402

from helpers import call  # noqa: E402

FS_ENTRY = "multi_turn_base_0"  # a GorillaFileSystem entry


def make(category="base", **kwargs):
    return gym.make("synthagent/BFCL-v0", category=category, **kwargs)


def bfcl_verdict_on_ground_truth(entry):
    """What BFCL's own checker says when the model's result is the ground truth itself."""
    result = [[turn] if turn else [] for turn in entry.ground_truth]
    return multi_turn_checker(result, entry.ground_truth, {"id": entry.id, "initial_config": entry.initial_config,
                              "involved_classes": entry.involved_classes}, f"multi_turn_{entry.category}",
                              "test_bfcl_reference")["valid"]


@pytest.mark.parametrize("category", CATEGORIES)
def test_gold_replay_scores_as_bfcl_checker_does_on_ground_truth(category):
    env = make(category)
    agent = GoldReplayAgent(fmt="hermes" if category in ("base", "miss_param") else "openai")
    mismatches, failing = [], []
    for entry in load_category(category):  # all 200: about a second per category
        result = play_episode(env, agent, task_id=entry.id)
        assert result.terminated and not result.truncated
        if result.reward != 1.0:
            failing.append((entry.id, result.info["reward_details"]["error_message"]))
        if (result.reward == 1.0) != bfcl_verdict_on_ground_truth(entry):
            mismatches.append(entry.id)
    env.close()
    assert mismatches == []
    assert failing == []  # with bfcl-eval 2026.3.23 every ground truth passes BFCL's checker


class EditedGold(GoldReplayAgent):
    """The gold agent with one call changed: ``edit(name, arguments)`` -> new (name, arguments)."""

    def __init__(self, edit):
        super().__init__()
        self.edit = edit

    def act(self, observation, info):
        action = super().act(observation, info)
        if isinstance(action, dict):
            calls = [gold_call(c, self._entry.involved_classes) for c in self._entry.ground_truth[info["user_turn"]]]
            action = calls_message([self.edit(n, a) for n, a in calls], "openai")
        return action


def test_a_wrong_call_fails_the_entry():
    env = make(task_ids=[FS_ENTRY])
    first = load_category("base")[0].ground_truth[0][0]
    assert first.startswith("cd(")  # the edit below relies on it

    def wrong_folder(name, arguments):
        return (name, {"folder": "no_such_folder"}) if name == "cd" else (name, arguments)

    result = play_episode(env, EditedGold(wrong_folder), task_id=FS_ENTRY)
    assert result.terminated and result.reward == 0.0
    details = result.info["reward_details"]
    assert details["valid"] is False and details["error_type"].startswith("multi_turn:")
    assert details["task_id"] == FS_ENTRY and details["category"] == "base"
    assert result.failures and result.failures[0].startswith("bfcl_multi_turn_checker:")


def test_an_agent_that_only_talks_fails():
    env = make(task_ids=[FS_ENTRY])
    env.reset(options={"task_id": FS_ENTRY})
    done, reward, info = False, None, None
    while not done:
        _, reward, done, _, info = env.step("I cannot help with that.")
    assert reward == 0.0 and info["reward_details"]["error_type"] == "multi_turn:empty_turn_model_response"


def test_two_episodes_of_the_same_entry_do_not_share_state():
    a, b = make(task_ids=[FS_ENTRY]), make(task_ids=[FS_ENTRY])
    a.reset(options={"task_id": FS_ENTRY})
    b.reset(options={"task_id": FS_ENTRY})
    obs, *_ = a.step(call("mkdir", dir_name="leak_probe"))
    assert "Error" not in obs
    obs_a, *_ = a.step(call("ls"))
    obs_b, *_ = b.step(call("ls"))
    assert "leak_probe" in obs_a and "leak_probe" not in obs_b
    a.reset(options={"task_id": FS_ENTRY})  # the same env, a new episode of the same entry
    obs_a, *_ = a.step(call("ls"))
    assert "leak_probe" not in obs_a
    a.close(), b.close()


def test_interleaved_gold_episodes_of_one_entry_both_pass_and_clean_up():
    envs = [make(task_ids=[FS_ENTRY]) for _ in range(2)]
    agents = [GoldReplayAgent(), GoldReplayAgent()]
    state, names = [], []
    for env, agent in zip(envs, agents):
        obs, info = env.reset(options={"task_id": FS_ENTRY})
        agent.reset(info)
        state.append([obs, info, 0.0, False])
        names.append(env.unwrapped._world.name)
    assert all(len(live_instances(n)) == 2 for n in names)  # GorillaFileSystem and TwitterAPI, per episode
    while not all(s[3] for s in state):
        for env, agent, s in zip(envs, agents, state):
            if not s[3]:
                s[0], s[2], s[3], _, s[1] = env.step(agent.act(s[0], s[1]))
    assert [s[2] for s in state] == [1.0, 1.0]
    assert [live_instances(n) for n in names] == [[], []]  # finished episodes leave nothing in BFCL's globals
    envs[0].reset(options={"task_id": FS_ENTRY})
    name = envs[0].unwrapped._world.name
    envs[0].close()
    assert live_instances(name) == []
    assert not [k for k in live_instances("synthagent_check")]  # nor do checker runs


def test_held_out_functions_arrive_at_their_turn_with_bfcls_message():
    entry = next(e for e in load_category("miss_func") if e.holdouts)
    (turn, docs), = entry.holdouts.items()
    held_out = {d["name"] for d in docs}
    env = make("miss_func", task_ids=[entry.id])
    _, info = env.reset(options={"task_id": entry.id})
    assert held_out.isdisjoint(t["function"]["name"] for t in info["tools"])
    for _ in range(turn):
        obs, _, done, _, info = env.step("Nothing to call.")
    assert not done and info["user_turn"] == turn and info["turn"] == turn
    assert held_out <= {t["function"]["name"] for t in info["tools"]}
    assert info["messages"][-1] == {"role": "user", "content": DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC}
    assert "# New tools" in obs and DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC in obs


def test_only_offered_functions_refuses_held_out_ones():
    entry = next(e for e in load_category("miss_func") if e.holdouts)
    name = next(iter(entry.holdouts.values()))[0]["name"]
    env = make("miss_func", task_ids=[entry.id], only_offered_functions=True)
    env.reset(options={"task_id": entry.id})
    _, _, _, _, info = env.step(call(name))
    refused = [e for e in info["trajectory"] if e["type"] == "tool_call"][-1]
    assert refused["name"] == name and refused["error_kind"] == "unknown_tool"


def test_more_than_bfcls_step_limit_in_one_turn_force_quits():
    env = make(task_ids=[FS_ENTRY])
    env.reset(options={"task_id": FS_ENTRY})
    for i in range(21):
        obs, reward, terminated, truncated, info = env.step(call("pwd"))
        assert terminated == (i == 20)
    assert reward == 0.0 and info["end_reason"] == "step_limit"
    assert info["reward_details"]["error_type"] == "multi_turn:force_terminated"


def test_bad_actions_get_error_observations():
    env = make(task_ids=[FS_ENTRY])
    for action, expect, ends_turn in [
        (42, "action must be", True),
        ("", "empty message", True),
        ('<tool_call>{"name": "ls", "arguments": {</tool_call>', "malformed", True),
        ({"content": None, "tool_calls": [{"function": {"name": "ls", "arguments": "[1]"}}]}, "JSON object", True),
        ('<tool_call>{"name": "tail", "arguments": {"x": 1' + "0" * 5000 + "}}</tool_call>", "malformed tool call JSON",
         True),
        ("x" * 1_000_001, "at most", True),
        (call("no_such_tool"), "unknown tool", False),  # decodes: a step, as in BFCL (whose executor errors)
        (call("ls", **{"not a name": 1}), "not a valid parameter name", False),
    ]:
        env.reset(options={"task_id": FS_ENTRY})
        obs, reward, terminated, truncated, info = env.step(action)
        assert expect in obs and not terminated and reward == 0.0, (action, obs)
        assert (info["user_turn"] == 1) == ends_turn, action  # undecodable: BFCL ends the turn, never free
    env.reset(options={"task_id": FS_ENTRY})
    obs, *_ = env.step(call("cd", folder="nowhere"))  # BFCL's own error, from the API class
    assert "No such" in obs or "Error" in obs


def test_step_after_the_end_and_info_contract():
    env = make(task_ids=[FS_ENTRY])
    result = play_episode(env, GoldReplayAgent(), task_id=FS_ENTRY)
    info = result.info
    assert info["task_id"] == FS_ENTRY and info["category"] == "base" and info["end_reason"] == "conversation_end"
    assert info["reward_details"]["valid"] is True and info["reward_details"]["calls"]
    assert info["stats"]["user_turns"] == info["num_user_turns"] == info["user_turn"] + 1
    obs, reward, terminated, truncated, info = env.step("hello")
    assert terminated and reward == 0.0 and "ended" in obs


def test_reset_observation_and_tools():
    env = make("long_context")
    obs, info = env.reset(seed=3)
    assert "<tools>" in obs and info["messages"][0]["role"] == "system" and info["messages"][-1]["role"] == "user"
    for tool in info["tools"]:
        assert tool["type"] == "function" and tool["function"]["parameters"]["type"] == "object"
        Draft202012Validator.check_schema(tool["function"]["parameters"])
    obs2, _ = make("long_context").reset(seed=3)
    assert obs == obs2
    _, info = make(system_prompt=None).reset(seed=0)
    assert info["messages"][0]["role"] == "user"


def test_unknown_category_and_entry():
    with pytest.raises(ValueError):
        make("simple_python")
    with pytest.raises(KeyError):
        make(task_ids=["multi_turn_base_9999"])
    assert make("multi_turn_miss_param").unwrapped.category == "miss_param"


def test_check_env_passes():
    check_env(make("miss_func").unwrapped)


def test_every_multi_turn_function_doc_converts_to_a_valid_schema():
    from synthagent_env.bfcl.data import function_docs
    from synthagent_env.bfcl.schemas import to_openai_tools

    classes = {c for cat in CATEGORIES for e in load_category(cat) for c in e.involved_classes}
    assert len(classes) == 8
    for cls in sorted(classes):
        for tool in to_openai_tools(function_docs(cls)):
            Draft202012Validator.check_schema(tool["function"]["parameters"])
            assert set(tool["function"]) <= {"name", "description", "parameters", "response"}


def test_an_env_pickles_mid_episode_and_goes_on_where_it_was():
    import pickle

    env = make(task_ids=[FS_ENTRY]).unwrapped
    agent = GoldReplayAgent()
    obs, info = env.reset(options={"task_id": FS_ENTRY})
    agent.reset(info)
    env.step(call("mkdir", dir_name="kept_by_pickle"))
    copy = pickle.loads(pickle.dumps(env))
    assert copy._world.name != env._world.name  # its own instances, under its own name
    obs, *_ = copy.step(call("ls"))
    assert "kept_by_pickle" in obs
    env.close()
    done, reward = False, 0.0
    while not done:
        obs, reward, done, _, info = copy.step(agent.act(obs, info))
    assert reward == 0.0  # the extra directory is not in the ground truth's state
    assert info["reward_details"]["error_type"] == "multi_turn:instance_state_mismatch"
