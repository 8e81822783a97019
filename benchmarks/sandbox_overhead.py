"""Per-call cost of Math-v0's bubblewrap sandbox against a plain subprocess (``unsafe-subprocess``, the old runner
without its audit hook), for a trivial program and one that imports sympy.

Calls are interleaved (A B, then B A, ...) and repeated; the table gives min / median / max wall time per call in
milliseconds and the per-pair difference (bwrap minus subprocess).

    python -m benchmarks.sandbox_overhead                  # 20 repeats
    python -m benchmarks.sandbox_overhead --repeats 50
"""

from __future__ import annotations

import argparse
import statistics
import time

from synthagent_env.math_env import BWRAP, UNSAFE, Limits, make_sandbox

PROGRAMS = {"print(1)": "print(1)", "import sympy": "import sympy\nprint(sympy.factorint(360))"}


def timed(sandbox, code: str) -> float:
    start = time.perf_counter()
    result = sandbox.run(code)
    elapsed = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"{sandbox.kind} failed: {result.output}")
    return elapsed * 1000


def summary(values: list[float]) -> str:
    return f"{min(values):8.1f} {statistics.median(values):8.1f} {max(values):8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=20, help="calls per sandbox and program (default: 20)")
    args = parser.parse_args()
    sandboxes = {kind: make_sandbox(kind, Limits(timeout=60)) for kind in (UNSAFE, BWRAP)}
    print(f"{'program':14} {'sandbox':18} {'min':>8} {'median':>8} {'max':>8}   (ms per call, {args.repeats} repeats)")
    for label, code in PROGRAMS.items():
        times: dict[str, list[float]] = {kind: [] for kind in sandboxes}
        for sandbox in sandboxes.values():
            timed(sandbox, code)  # warm the page cache
        for i in range(args.repeats):
            order = list(sandboxes) if i % 2 == 0 else list(reversed(sandboxes))
            for kind in order:
                times[kind].append(timed(sandboxes[kind], code))
        for kind, values in times.items():
            print(f"{label:14} {kind:18} {summary(values)}")
        diff = [b - a for a, b in zip(times[UNSAFE], times[BWRAP])]
        print(f"{label:14} {'bwrap - subprocess':18} {summary(diff)}")


if __name__ == "__main__":
    main()
