"""Shared test setup: one torch thread (small torch ops are ~100x faster here), a scratch mapping store."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402


@pytest.fixture
def mapping_path(tmp_path):
    return tmp_path / "mapping.sqlite"
