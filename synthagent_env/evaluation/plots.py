"""The report's PNG: the reward distribution and each task's mean reward (matplotlib, Agg, imported lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def plot_summary(summary: dict[str, Any], path: str | Path) -> Path | None:
    """Write the plot; None (and no file) when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    tasks = sorted(summary.get("per_task", []), key=lambda t: t["mean_reward"])
    height = max(3.0, 0.22 * len(tasks) + 1.2)
    fig, (hist, bars) = plt.subplots(1, 2, figsize=(12, height), gridspec_kw={"width_ratios": [1, 1.4]})
    hist.hist(summary.get("rewards", []), bins=[i / 10 for i in range(11)], color="#4C72B0", edgecolor="white")
    hist.set(title="Reward distribution", xlabel="episode reward", ylabel="episodes", xlim=(0, 1))
    names = [t["task_id"] for t in tasks]
    bars.barh(range(len(tasks)), [t["mean_reward"] for t in tasks], color="#55A868")
    bars.set_yticks(range(len(tasks)), names, fontsize=7)
    bars.set(title="Mean reward per task", xlabel="mean reward", xlim=(0, 1))
    fig.suptitle(f"{summary.get('label', 'agent')}: mean reward {_fmt(summary.get('mean_reward'))}, "
                 f"success {_fmt(summary.get('success_rate'))}")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
