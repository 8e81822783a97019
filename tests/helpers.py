"""Small things several test modules share."""

import json
import uuid

TASK = "retail-damaged-blender-return"  # a bundled task whose details the env tests rely on


def call(name, **arguments):
    """A Hermes tool-call block, as a model would write it."""
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


class RandomTool:
    """A tool simulator whose answers are pure chance: only the mapping can make them agree."""

    def respond(self, task, tool, arguments, mapping):
        return json.dumps({"token": uuid.uuid4().hex})


class ScriptedGenerator:
    """A trainer generator (token ids in, ``Sample`` out) that writes scripted assistant turns, no sampling luck.

    ``reply(context_text) -> assistant text``; ``close_turn=False`` leaves turns unfinished (no EOS). It records the
    batch size of every call, so tests can check that all live episodes were generated in one batch.
    """

    def __init__(self, tokenizer, reply, close_turn=True):
        self.tokenizer, self.reply, self.close_turn = tokenizer, reply, close_turn
        self.batch_sizes = []

    def generate(self, prompts, max_new_tokens):
        from synthagent_training.generation import Sample

        self.batch_sizes.append(len(prompts))
        samples = []
        for ids, budget in zip(prompts, max_new_tokens):
            text = self.reply(self.tokenizer.decode(ids))
            out = self.tokenizer(text, add_special_tokens=False)["input_ids"]
            out = (out + [self.tokenizer.eos_token_id] if self.close_turn else out)[:budget]
            ended = bool(out) and out[-1] == self.tokenizer.eos_token_id
            samples.append(Sample(out, [0.0] * len(out), ended=ended))
        return samples


class MappingView:
    """A stand-in for ``TaskMappingView``: the task's stored entries and this episode's own calls."""

    def __init__(self, entries=(), episode=()):
        self.items, self.calls = list(entries), list(episode)

    def entries(self):
        return list(self.items)

    @property
    def episode(self):
        return list(self.calls)
