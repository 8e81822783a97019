"""A gymnasium Text space for LLM text: any Unicode string within the length bounds is a member; it also
works in gymnasium's shared-memory vector envs (their default).

gymnasium's ``Text`` only contains strings over its charset (alphanumeric by default), which rejects
``{``, ``<`` and every non-ASCII character that models and simulated users write.
"""

from __future__ import annotations

import multiprocessing as mp
import string
from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium.spaces import Text
from gymnasium.vector.utils import create_shared_memory, read_from_shared_memory, write_to_shared_memory

_SAMPLE_CHARS = string.ascii_letters + string.digits + string.punctuation + " \néüß中文😀"
_SAMPLE_MAX = 64


class UnicodeText(Text):
    def __init__(self, max_length: int, *, min_length: int = 0, seed: int | np.random.Generator | None = None):
        super().__init__(max_length, min_length=min_length, charset=_SAMPLE_CHARS, seed=seed)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and self.min_length <= len(x) <= self.max_length

    def sample(self, mask: Any = None, probability: Any = None) -> str:
        """Short random strings (a sample as long as ``max_length`` would be useless and slow)."""
        if mask is not None or probability is not None:
            return super().sample(mask=mask, probability=probability)
        hi = max(self.min_length, min(self.max_length, _SAMPLE_MAX))
        length = int(self.np_random.integers(self.min_length, hi + 1))
        picks = self.np_random.integers(0, len(_SAMPLE_CHARS), size=length)
        return "".join(_SAMPLE_CHARS[i] for i in picks)

    def __repr__(self) -> str:
        return f"UnicodeText({self.min_length}, {self.max_length})"


# ---- gymnasium's shared-memory vector envs ----
# AsyncVectorEnv (shared_memory=True, its default) reads observations through ``read_from_shared_memory`` once,
# at construction, and gymnasium's ``Text`` implementation returns decoded strings: frozen at that moment and
# padded out to ``max_length``. These implementations keep UTF-8 bytes and a length per env, and the reader
# returns a live view that decodes on access (deep-copied, as the vector env does, it becomes a tuple of str).

SHARED_TEXT_BYTES = 4 * 1024 * 1024  # per env: far above any observation our envs produce
_LEN = 8  # bytes of the length prefix


class SharedMemoryOverflow(ValueError):
    """An observation too large for the vector env's shared buffer."""


class SharedTexts(Sequence):
    """The current observation of each env in a shared buffer, decoded on access."""

    def __init__(self, buffer: Any, n: int, slot: int):
        self._buffer, self._n, self._slot = buffer, n, slot

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._n)))
        if not -self._n <= index < self._n:
            raise IndexError(index)
        start = (index % self._n) * self._slot
        raw = memoryview(self._buffer.get_obj()).cast("B")
        size = int.from_bytes(raw[start:start + _LEN], "little")
        return bytes(raw[start + _LEN:start + _LEN + size]).decode("utf-8", "surrogatepass")

    def __deepcopy__(self, memo: dict) -> tuple[str, ...]:
        return tuple(self)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return f"SharedTexts({tuple(self)!r})"


def _slot_bytes(space: UnicodeText) -> int:
    return _LEN + min(4 * space.max_length, SHARED_TEXT_BYTES)


@create_shared_memory.register(UnicodeText)
def _create(space: UnicodeText, n: int = 1, ctx: Any = mp) -> Any:
    return ctx.Array("B", n * _slot_bytes(space))


@read_from_shared_memory.register(UnicodeText)
def _read(space: UnicodeText, shared_memory: Any, n: int = 1) -> SharedTexts:
    return SharedTexts(shared_memory, n, _slot_bytes(space))


@write_to_shared_memory.register(UnicodeText)
def _write(space: UnicodeText, index: int, value: str, shared_memory: Any) -> None:
    data = value.encode("utf-8", "surrogatepass")
    slot = _slot_bytes(space)
    if len(data) > slot - _LEN:
        raise SharedMemoryOverflow(
            f"an observation of {len(data):,} bytes does not fit the shared-memory buffer ({slot - _LEN:,} bytes); "
            "use gym.make_vec(..., vector_kwargs={'shared_memory': False})")
    raw = memoryview(shared_memory.get_obj()).cast("B")
    start = index * slot
    raw[start + _LEN:start + _LEN + len(data)] = data
    raw[start:start + _LEN] = len(data).to_bytes(_LEN, "little")
