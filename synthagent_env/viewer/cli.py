"""``synthagent view RUN_DIR [RUN_B]``: write the run's HTML page and open it in the browser."""

from __future__ import annotations

import argparse
import sys
import webbrowser

from synthagent_env.cli import command

from . import RunNotFound, write_page


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_a", metavar="RUN_DIR", help="an eval run directory (synthagent eval --out DIR) or a training output directory")
    p.add_argument("run_b", metavar="RUN_B", nargs="?", default=None, help="a second run: compare the two side by side (Compare tab)")
    p.add_argument("--out", default=None,
                   help="HTML file to write (default: view.html, or compare.html, in the first run's directory)")
    p.add_argument("--no-open", action="store_true", help="write the file but do not open a browser")


@command("view", "write a self-contained HTML page of a run (or two runs side by side) and open it", _configure)
def run_view(args: argparse.Namespace) -> int:
    try:
        path = write_page([args.run_a] + ([args.run_b] if args.run_b else []), args.out)
    except (RunNotFound, OSError) as err:
        print(f"synthagent view: {err}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    if not args.no_open and not webbrowser.open(path.resolve().as_uri()):
        print("no browser could be opened here; open the file above in one", file=sys.stderr)
    return 0
