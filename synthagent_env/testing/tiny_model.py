"""A tiny Qwen2 causal LM with a real chat template, built on the spot and offline.

Tests and benchmarks need a model that ``from_pretrained`` loads like any Hub checkpoint, whose tokenizer renders
tool-calling chats exactly like Qwen2.5's (TRL only recognises chat templates byte-identical to the ones it ships, so
we copy TRL's own ``qwen2_5.jinja``), and that is small enough to train on two CPU cores. The tokenizer is trained
with the same NFC normaliser and pre-tokenizer regex that ``Qwen2Tokenizer`` installs on reload, so token ids do not
change after a save/load round trip. torch and transformers are imported inside the functions.

It is a user tool too: ``synthagent tiny-model OUT_DIR`` builds one offline, to try ``synthagent train`` or the
``hf`` agent with no download (it needs the ``train`` extra: the chat template is TRL's).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# Single tokens in real Qwen vocabularies too; keeping them whole makes the tool-call format learnable in seconds.
MARKUP_TOKENS = ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"]

_BUILT: dict[tuple[Any, ...], Path] = {}  # per-process cache: (out_dir, options) -> folder


def _chat_template() -> str:
    import trl

    return (Path(trl.__file__).parent / "chat_templates" / "qwen2_5.jinja").read_text(encoding="utf-8")


def _corpus(extra: Iterable[str]) -> list[str]:
    """Text the BPE merges are learned from: the chat markup, JSON punctuation and the bundled pack's words."""
    texts = [_chat_template(), '{"name": "tool", "arguments": {"key": "value", "n": 1}}', "<answer>done</answer>"]
    try:
        from synthagent_env.pack import BUNDLED_DIR

        for path in sorted(BUNDLED_DIR.glob("*.jsonl")):
            texts.extend(path.read_text(encoding="utf-8").splitlines())
    except Exception:  # the pack is a nicety for realistic merges, never a requirement
        pass
    texts.extend(extra)
    return texts


def _train_tokenizer(vocab_size: int, extra_text: Iterable[str]):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PRETOKENIZE_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(_corpus(extra_text), trainer=trainer)
    return tok


def _hf_tokenizer(raw):
    from transformers import AddedToken
    from transformers.models.qwen2.tokenization_qwen2 import Qwen2Tokenizer

    state = json.loads(raw.to_str())
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["model"]["merges"]]
    tokenizer = Qwen2Tokenizer(
        vocab=state["model"]["vocab"], merges=merges,
        unk_token="<|endoftext|>", eos_token="<|im_end|>", pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
    )
    tokenizer.add_tokens([AddedToken(t, special=False, normalized=False) for t in MARKUP_TOKENS])
    tokenizer.chat_template = _chat_template()
    tokenizer.model_max_length = 32768
    return tokenizer


def build_tiny_model(
    out_dir: str | Path | None = None,
    *,
    hidden_size: int = 64,
    num_layers: int = 2,
    num_heads: int = 4,
    vocab_size: int = 512,
    seed: int = 0,
    extra_text: tuple[str, ...] = (),
) -> Path:
    """Write a random tiny Qwen2ForCausalLM + tokenizer to ``out_dir`` (a temp dir if None) and return it.

    Built once per process for the same arguments; ``extra_text`` adds words to the tokenizer's training text.
    """
    key = (str(out_dir) if out_dir is not None else None, hidden_size, num_layers, num_heads, vocab_size, seed,
           tuple(extra_text))
    cached = _BUILT.get(key)
    if cached is not None and (cached / "config.json").exists():
        return cached
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="synthagent-tiny-"))
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = _hf_tokenizer(_train_tokenizer(vocab_size, extra_text))
    eos, pad = tokenizer.convert_tokens_to_ids("<|im_end|>"), tokenizer.convert_tokens_to_ids("<|endoftext|>")
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=hidden_size, intermediate_size=2 * hidden_size,
        num_hidden_layers=num_layers, num_attention_heads=num_heads, num_key_value_heads=num_heads,
        max_position_embeddings=32768, tie_word_embeddings=True, bos_token_id=None, eos_token_id=eos,
        pad_token_id=pad,
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(eos_token_id=eos, pad_token_id=pad, do_sample=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    _BUILT[key] = out
    return out


def teach_tool_calls(
    model_dir: str | Path,
    conversations: list[list[dict[str, Any]]],
    tools: list[list[dict[str, Any]]] | None = None,
    *,
    steps: int = 60,
    lr: float = 3e-3,
    batch_size: int = 1,
    out_dir: str | Path | None = None,
) -> Path:
    """Briefly fine-tune on planted chats (last message = the assistant turn to learn) and save the result.

    A random tiny model never writes ``<tool_call>``; a few seconds of supervised training on the assistant turns
    teaches it the format, which is what tests of tool-call handling need. Loss is on the final assistant turn only.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    examples = []
    for i, conv in enumerate(conversations):
        tool_list = tools[i] if tools else None
        prompt = tokenizer.apply_chat_template(conv[:-1], tools=tool_list, add_generation_prompt=True, tokenize=False)
        full = tokenizer.apply_chat_template(conv, tools=tool_list, tokenize=False)
        p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        f_ids = tokenizer(full, add_special_tokens=False)["input_ids"]
        f_ids = f_ids[: len(f_ids) - 1] if tokenizer.decode(f_ids[-1:]) == "\n" else f_ids  # stop at <|im_end|>
        examples.append((f_ids, len(p_ids)))
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    decay = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1.0 - step / steps)  # no recency bias at the end
    model.train()
    for step in range(steps):
        chunk = [examples[(step * batch_size + j) % len(examples)] for j in range(min(batch_size, len(examples)))]
        width = max(len(ids) for ids, _ in chunk)
        input_ids = torch.full((len(chunk), width), tokenizer.pad_token_id)
        labels = torch.full((len(chunk), width), -100)
        attention = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, (ids, n_prompt) in enumerate(chunk):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            labels[row, n_prompt: len(ids)] = torch.tensor(ids[n_prompt:])
            attention[row, : len(ids)] = 1
        model(input_ids=input_ids, attention_mask=attention, labels=labels).loss.backward()
        opt.step()
        decay.step()
        opt.zero_grad()
    out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="synthagent-tiny-sft-"))
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
