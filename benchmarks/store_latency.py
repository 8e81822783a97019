"""The sqlite and Redis mapping stores side by side: get/put latency (p50/p99) and throughput from N processes.

Each trial starts N worker processes on one store; after a barrier each writes ``--ops`` new entries
(``put_if_absent``: the path of a simulator miss), then, after a second barrier, reads ``--ops`` entries another
worker wrote (``get`` of keys not in its memory cache: a real backend read). Trials of the two backends are
interleaved (A B, then B A, ...) and repeated; the table gives min / median / max over repeats.

    python -m benchmarks.store_latency                      # starts its own redis-server (AOF, appendfsync always)
    python -m benchmarks.store_latency --redis redis://127.0.0.1:6379/0 --repeats 5 --procs 8 --ops 2000
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from synthagent_env.mapping_key import CallKey
from synthagent_env.store_pool import open_store
from synthagent_env.stores import MappingStoreError


def _worker(spec: str, options: dict, trial: str, worker: int, procs: int, ops: int, barrier, out) -> None:
    store = open_store(spec, **options)
    value = "x" * 400  # about a small JSON tool response
    stats = {}
    for phase in ("put", "get"):
        owner = worker if phase == "put" else (worker + 1) % procs  # read what another process wrote
        keys = [CallKey.of(f"{trial}-{owner}", "tool", {"i": i}) for i in range(ops)]
        barrier.wait(timeout=600)
        lat, failed, start = [], 0, time.monotonic()
        for key in keys:
            t = time.perf_counter()
            try:
                if phase == "put":
                    store.put_if_absent(key, value)
                else:
                    failed += store.get(key) != value
            except MappingStoreError:  # e.g. a lock wait past the store's timeout: counted, not hidden
                failed += 1
            lat.append(time.perf_counter() - t)
        stats[phase] = (lat, start, time.monotonic(), failed)
    store.close()
    out.put(stats)


def trial(spec: str, options: dict, name: str, procs: int, ops: int) -> dict[str, float]:
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(procs), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(spec, options, name, w, procs, ops, barrier, out)) for w in range(procs)]
    for p in workers:
        p.start()
    results = [out.get(timeout=600) for _ in workers]
    for p in workers:
        p.join()
    row = {}
    for phase in ("put", "get"):
        lat = sorted(x for r in results for x in r[phase][0])
        wall = max(r[phase][2] for r in results) - min(r[phase][1] for r in results)
        row[f"{phase} p50 us"] = lat[len(lat) // 2] * 1e6
        row[f"{phase} p99 us"] = lat[int(len(lat) * 0.99)] * 1e6
        row[f"{phase} ops/s"] = len(lat) / wall
        row[f"{phase} failed"] = sum(r[phase][3] for r in results)
    return row


def start_redis(directory: Path, appendfsync: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
                             "--appendonly", "yes", "--appendfsync", appendfsync, "--save", ""],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            open_store(url, timeout=1).close()
            return proc, url
        except Exception:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--redis", help="a Redis URL to use (default: start a redis-server here)")
    ap.add_argument("--appendfsync", default="always", choices=["always", "everysec", "no"])
    ap.add_argument("--synchronous", default="NORMAL", choices=["NORMAL", "FULL"], help="the sqlite store's")
    ap.add_argument("--procs", type=int, default=8)
    ap.add_argument("--ops", type=int, default=1000, help="puts and gets per process per trial")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--dir", default=None, help="where the sqlite file lives (default: a temp dir)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="store-latency-", dir=args.dir))
    server = None
    try:
        url = args.redis
        if url is None:
            (tmp / "redis").mkdir()
            server, url = start_redis(tmp / "redis", args.appendfsync)
        sqlite = str(tmp / "mapping.sqlite")
        specs = {f"sqlite {args.synchronous}": (sqlite, {"synchronous": args.synchronous}), "redis": (url, {})}
        open_store(sqlite).close()
        rows: dict[str, list[dict[str, float]]] = {name: [] for name in specs}
        for r in range(args.repeats):
            order = list(specs) if r % 2 == 0 else list(reversed(specs))  # interleaved A/B
            for name in order:
                rows[name].append(trial(*specs[name], f"r{r}-{time.time_ns()}", args.procs, args.ops))
        print(f"{args.procs} processes x {args.ops} puts then {args.ops} gets each; {args.repeats} interleaved "
              f"repeats; sqlite: WAL in {tmp}; redis: {url}"
              + (f" (appendonly yes, appendfsync {args.appendfsync})" if server else ""))
        print(f"{'metric':<14}" + "".join(f"{name + ' min/median/max':>34}" for name in specs))
        for metric in next(iter(rows.values()))[0]:
            cells = []
            for name in specs:
                vals = [row[metric] for row in rows[name]]
                cells.append(f"{min(vals):>10.0f} {statistics.median(vals):>10.0f} {max(vals):>10.0f}  ")
            print(f"{metric:<14}" + "".join(f"{c:>34}" for c in cells))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
