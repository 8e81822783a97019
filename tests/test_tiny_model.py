"""The offline tiny model loads like a Hub checkpoint and renders tool-calling chats the way TRL expects."""

from __future__ import annotations

import pytest

pytest.importorskip("transformers")
pytest.importorskip("trl")

from synthagent_env.testing import build_tiny_model, teach_tool_calls  # noqa: E402

TOOLS = [{"type": "function", "function": {
    "name": "get_order", "description": "Look up an order.",
    "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
}}]
CHAT = [
    {"role": "system", "content": "Help the customer. Café ünïcode."},
    {"role": "user", "content": "Where is order A-48213?"},
    {"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": "get_order", "arguments": {"order_id": "A-48213"}}}]},
    {"role": "tool", "name": "get_order", "content": '{"status": "shipped"}'},
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


def test_loads_and_round_trips_tool_chat(tiny):
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl.chat_template_utils import add_response_schema, supports_tool_calling

    tok = AutoTokenizer.from_pretrained(tiny)
    model = AutoModelForCausalLM.from_pretrained(tiny)
    assert model.config.model_type == "qwen2" and model.num_parameters() < 1_000_000
    text = tok.apply_chat_template(CHAT, tools=TOOLS, tokenize=False, add_generation_prompt=True)
    assert '<tool_call>\n{"name": "get_order", "arguments": {"order_id": "A-48213"}}\n</tool_call>' in text
    assert "<tool_response>" in text and text.endswith("<|im_start|>assistant\n")
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert tok.decode(ids) == text
    assert tok.convert_tokens_to_ids("<tool_call>") != tok.unk_token_id
    assert supports_tool_calling(tok)
    add_response_schema(tok)  # raises "Unrecognized chat template" for templates TRL does not ship

    tok.save_pretrained(tiny / "again")
    again = AutoTokenizer.from_pretrained(tiny / "again")
    assert again(text, add_special_tokens=False)["input_ids"] == ids
    assert again.eos_token == "<|im_end|>" and again.pad_token == "<|endoftext|>"


def test_cached_per_process(tiny):
    assert build_tiny_model(tiny) == tiny


def test_teach_tool_calls_makes_the_model_call(tiny, tmp_path):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    taught = teach_tool_calls(tiny, [CHAT[:3]], [TOOLS], steps=100, out_dir=tmp_path / "taught")
    tok = AutoTokenizer.from_pretrained(taught)
    model = AutoModelForCausalLM.from_pretrained(taught)
    prompt = tok.apply_chat_template(CHAT[:2], tools=TOOLS, add_generation_prompt=True, return_tensors="pt",
                                     return_dict=True)
    torch.manual_seed(0)
    out = model.generate(**prompt, max_new_tokens=40, do_sample=False)
    reply = tok.decode(out[0, prompt["input_ids"].shape[1]:], skip_special_tokens=True)
    assert reply.startswith('<tool_call>\n{"name": "get_order"'), reply


def test_the_tiny_model_command_builds_a_loadable_model(tmp_path, capsys):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from synthagent_env.cli import main

    assert main(["tiny-model", str(tmp_path / "mine"), "--seed", "3"]) == 0
    assert str(tmp_path / "mine") in capsys.readouterr().out
    tok = AutoTokenizer.from_pretrained(tmp_path / "mine")
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "mine")
    assert model.config.model_type == "qwen2" and tok.eos_token == "<|im_end|>"
