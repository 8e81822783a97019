"""The PNG a run ends with: mean reward and rubric pass rates over steps (train, plus eval where logged)."""

from __future__ import annotations

import csv
from pathlib import Path

CURVES = {
    "reward": "reward (train)",
    "eval/reward": "reward (eval)",
    "rubric/sub_goal_pass": "sub-goals passed",
    "rubric/interaction_pass": "interactions passed",
    "rubric/forbidden_violated": "forbidden violated",
}


def _series(rows: list[dict[str, str]], key: str) -> tuple[list[float], list[float]]:
    points = [(float(r["step"]), float(r[key])) for r in rows if r.get(key) not in (None, "")]
    return [p[0] for p in points], [p[1] for p in points]


def plot_metrics(csv_path: str | Path, png_path: str | Path, title: str = "GRPO training") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with Path(csv_path).open(newline="") as f:
        rows = list(csv.DictReader(f))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
    for key, label in CURVES.items():
        steps, values = _series(rows, key)
        if steps:
            (top if "reward" in key else bottom).plot(steps, values, marker="." if len(steps) < 50 else None,
                                                      label=label)
    top.set_ylabel("mean reward")
    bottom.set_ylabel("rate")
    bottom.set_xlabel("optimizer step")
    for ax in (top, bottom):
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize=8)
    top.set_title(title)
    fig.tight_layout()
    out = Path(png_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
