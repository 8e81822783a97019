"""The Redis backend against a real redis-server (the contract tests on both backends are in
test_mapping_store.py): a server that goes away and comes back, a killed server, unfit servers, URLs; and the
``synthagent mapping`` command copying between backends."""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from synthagent_env import cli, store_pool
from synthagent_env.mapping_key import CallKey, MappingEntry
from synthagent_env.stores import MappingStoreError

from redis_server import free_port, redis_server, redis_url  # noqa: F401  (fixtures)


def K(task, tool, **arguments):
    return CallKey.of(task, tool, arguments)


def test_a_redis_that_goes_away_is_a_clear_error_and_the_store_reconnects(redis_server, redis_url):
    store = store_pool.open_store(redis_url, timeout=2)
    assert store.put_if_absent(K("t", "before"), "kept") == "kept"
    redis_server.stop()
    for call in (lambda: store.get(K("t", "other")), lambda: store.put_if_absent(K("t", "new"), "r"),
                 lambda: store.entries("t"), lambda: store.seed("t", [MappingEntry("s", {}, "r")])):
        started = time.monotonic()
        with pytest.raises(MappingStoreError, match="did not answer.*reconnects") as err:
            call()
        assert time.monotonic() - started < 5 and f"127.0.0.1:{redis_server.port}" in str(err.value)
    assert store.get(K("t", "before")) == "kept"  # already seen: write-once, so memory may answer it
    redis_server.start()  # same port, same data directory (AOF)
    assert store.put_if_absent(K("t", "new"), "after") == "after"
    assert [e.tool for e in store.entries("t")] == ["before", "new"]
    store.close()


WRITER = textwrap.dedent("""
    import sys
    from synthagent_env.mapping_key import CallKey
    from synthagent_env.store_pool import open_store
    store = open_store(sys.argv[1], timeout=2)
    i = 0
    while True:
        store.put_if_absent(CallKey.of("crash", "w", {"i": i}), "v" * 500 + str(i))
        print(i, flush=True)  # only after the write was acknowledged
        i += 1
""")


def test_a_killed_redis_loses_no_acknowledged_entry(redis_server, redis_url):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, redis_url], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    acknowledged = []
    for line in proc.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 300:
            break
    redis_server.stop(kill=True)  # SIGKILL the server mid-write (appendfsync always)
    acknowledged += [int(line) for line in proc.stdout.read().split()]
    assert proc.wait(timeout=30) != 0 and "MappingStoreError" in proc.stderr.read()
    redis_server.start()
    with store_pool.open_store(redis_url) as store:
        for i in acknowledged:
            assert store.get(K("crash", "w", i=i)) == "v" * 500 + str(i)
        listed = store.entries("crash")
        assert len(listed) >= len(acknowledged) and len({json.dumps(e.arguments) for e in listed}) == len(listed)


def test_an_evicting_redis_is_refused(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.config_set("maxmemory-policy", "allkeys-lru")
    try:
        with pytest.raises(MappingStoreError, match="evicts entries.*noeviction"):
            store_pool.open_store(redis_url)
    finally:
        client.config_set("maxmemory-policy", "noeviction")
        client.close()


def test_urls_are_checked_at_construction_without_leaking_a_password(redis_url):
    assert store_pool.check(redis_url) == redis_url
    dead = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    with pytest.raises(MappingStoreError, match="did not answer") as err:
        store_pool.check(dead)
    assert time.monotonic() - started < 5
    assert "hunter2" not in str(err.value) and "***" in str(err.value)
    with pytest.raises(MappingStoreError, match="unknown URL scheme"):
        store_pool.check("memcached://127.0.0.1:11211")


def test_pooled_stores_are_shared_per_url(redis_url):
    a, b = store_pool.acquire(redis_url), store_pool.acquire(redis_url)
    assert a is b
    store_pool.release(a)
    assert a.put_if_absent(K("t", "x"), "still open") == "still open"  # one holder left
    store_pool.release(b)
    with pytest.raises(MappingStoreError, match="closed"):
        a.get(K("t", "y"))


# ---- synthagent mapping copy / show ----

@pytest.fixture
def synthagent(monkeypatch):
    """``synthagent_env.cli.main`` loading only the mapping command (the others need heavier imports)."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", {"synthagent_env.mapping_cli": ("mapping",)})
    return cli.main


def test_copy_between_backends_and_show(synthagent, redis_url, tmp_path, capsys):
    src = tmp_path / "src.sqlite"
    with store_pool.open_store(src) as store:
        for t in ("a", "b"):
            store.seed(t, [MappingEntry("tool", {"i": i}, f"{t}{i}") for i in range(5)])
    with store_pool.open_store(redis_url) as dst:  # the destination already answers one call differently
        dst.put_if_absent(K("a", "tool", i=3), "theirs")
    assert synthagent(["mapping", "copy", str(src), redis_url]) == 0
    assert "copied 9 entries of 2 tasks" in capsys.readouterr().out
    assert synthagent(["mapping", "copy", str(src), redis_url]) == 0
    out = capsys.readouterr().out
    assert "copied 0 entries" in out and "9 already there; 1 conflicting" in out
    back = tmp_path / "back.sqlite"
    assert synthagent(["mapping", "copy", redis_url, str(back)]) == 0
    with store_pool.open_store(back) as store:  # insertion order survives both copies; write-once kept "theirs"
        assert [e.response for e in store.entries("a")] == ["theirs", "a0", "a1", "a2", "a4"]
        assert [e.response for e in store.entries("b")] == [f"b{i}" for i in range(5)]
    capsys.readouterr()
    assert synthagent(["mapping", "show", "--task", "b", "--store", redis_url, "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines == [{"tool": "tool", "arguments": {"i": i}, "response": f"b{i}"} for i in range(5)]
    assert synthagent(["mapping", "show", "--task", "a", "--store", str(back)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == '[0] tool {"i": 3} -> theirs'
    assert synthagent(["mapping", "show", "--task", "nope", "--store", str(back)]) == 1
    missing = tmp_path / "missing.sqlite"
    assert synthagent(["mapping", "copy", str(missing), str(back)]) == 2
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
