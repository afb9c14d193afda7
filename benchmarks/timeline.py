"""A timeline picture of one run: one bar per external call, from its start to its finish.

Drawn from the ``Schedule``'s call records, so it shows what the runtime did, not what the
program meant: overlapping bars are calls that were in flight together, the tick before a bar
is when the program issued it, and the dotted line marks the program's first output.
"""

from __future__ import annotations

from pathlib import Path

from opportune import Schedule


def plot_schedule(schedule: Schedule, path: str | Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    calls = sorted(schedule.executed, key=lambda c: (c.started or 0.0, c.call_id))
    names = sorted({c.name.rsplit(".", 1)[-1] for c in calls})
    palette = plt.get_cmap("tab10")
    colour = {name: palette(i % 10) for i, name in enumerate(names)}
    shown = calls[:400]
    height = min(12.0, 1.5 + 0.18 * len(shown))
    fig, ax = plt.subplots(figsize=(10, height))
    for row, call in enumerate(shown):
        assert call.started is not None and call.finished is not None
        name = call.name.rsplit(".", 1)[-1]
        ax.barh(row, call.finished - call.started, left=call.started, height=0.8,
                color=colour[name], label=name)
        ax.plot([call.issued, call.started], [row, row], color="grey", linewidth=0.8)
    if schedule.first_output is not None:
        ax.axvline(schedule.first_output, color="black", linestyle=":", label="first output")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="lower right", fontsize=8)
    ax.set_xlabel("seconds since the run started")
    ax.set_ylabel("external calls (by start time)")
    ax.invert_yaxis()
    more = f" (first {len(shown)} of {len(calls)} calls)" if len(calls) > len(shown) else ""
    ax.set_title(f"{title}{more}\n{schedule.summary()}", fontsize=9)
    fig.tight_layout()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=90)
    plt.close(fig)
    return target
