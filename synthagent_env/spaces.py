"""A gymnasium Text space for LLM text: any Unicode string within the length bounds is a member.

gymnasium's ``Text`` only contains strings over its charset (alphanumeric by default), which rejects
``{``, ``<`` and every non-ASCII character that models and simulated users write.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np
from gymnasium.spaces import Text

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
