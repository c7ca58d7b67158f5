"""``report.png``: the main figures as bars, and the latency distribution, drawn with matplotlib."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .answer_metrics import percentile


def write_chart(
    path: str | Path,
    figures: Mapping[str, float | None],
    latencies_s: Sequence[float],
    *,
    title: str,
    references: Mapping[str, Mapping[str, float]] | None = None,
    latency_label: str = "ask() latency",
) -> Path:
    """Draw ``figures`` (shares in [0, 1]) as horizontal bars, with optional reference systems beside them
    (``{"system": {"figure": value}}``), and a histogram of ``latencies_s`` with its median and p95 marked.

    Raises:
        ImportError: matplotlib is not installed (``pip install 'rag-quotes[eval]'``).
    """
    try:
        import matplotlib
    except ImportError as e:
        raise ImportError("report.png needs matplotlib: pip install 'rag-quotes[eval]'") from e
    matplotlib.use("Agg")  # no display: write files only
    import matplotlib.pyplot as plt

    names = [n for n, v in figures.items() if v is not None]
    references = references or {}
    height_in = max(4.0, 0.45 * len(names) + 1.5 + 0.25 * len(references))  # room for the legend below
    fig, (bars, hist) = plt.subplots(1, 2, figsize=(13, height_in), gridspec_kw={"width_ratios": [3, 2]})
    rows = [("this run", figures), *references.items()]
    height = 0.8 / len(rows)
    for i, (label, values) in enumerate(rows):
        ys = [j + i * height for j in range(len(names))]
        xs = [values.get(n) or 0.0 for n in names]
        drawn = bars.barh(ys, xs, height=height, label=label)
        if i == 0:
            bars.bar_label(drawn, labels=[f"{x:.3f}" for x in xs], padding=2, fontsize=8)
    bars.set_yticks([j + height * (len(rows) - 1) / 2 for j in range(len(names))], names, fontsize=9)
    bars.invert_yaxis()
    bars.set_xlim(0, 1.1)
    bars.set_title(title)
    if references:
        bars.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)

    ms = [x * 1000 for x in latencies_s]
    if ms:
        hist.hist(ms, bins=min(30, max(5, len(ms) // 3)), color="#888888")
        for q, style in ((50, "-"), (95, "--")):
            value = percentile(ms, q)
            if value is not None:
                hist.axvline(value, color="black", linestyle=style, label=f"p{q} {value:.0f} ms")
        hist.legend(fontsize=8)
    hist.set_xlabel("milliseconds")
    hist.set_ylabel("count")
    hist.set_title(latency_label)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
