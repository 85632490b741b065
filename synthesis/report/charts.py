"""Charts as PNG bytes (matplotlib, Agg). Readable in greyscale: grey levels plus hatching tell series apart,
matrices use a grey ramp with the numbers printed in the cells. Deterministic: fixed size and DPI, no
software or date metadata, so the same data gives the same bytes."""

from __future__ import annotations

import io
from typing import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

DPI = 150
# (face colour, hatch) per series: dark solid, white hatched, mid-grey dotted.
SERIES_STYLES = (("#3a3a3a", ""), ("#ffffff", "///"), ("#a6a6a6", ".."))
_RC = {"font.family": "DejaVu Sans", "font.size": 8, "axes.spines.top": False, "axes.spines.right": False,
       "svg.hashsalt": "synthesis", "path.simplify": False}


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], xlabel: str,
              width: float = 6.3) -> bytes:
    """Horizontal bars, one row per label (first label on top), one bar per series in each row."""
    height = max(2.0, 0.28 * len(labels) * max(1, len(series)) ** 0.6 + 0.9)
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(width, height), dpi=DPI)
        axes = figure.add_subplot()
        step = 0.8 / len(series)
        positions = range(len(labels))
        for i, (name, values) in enumerate(series):
            face, hatch = SERIES_STYLES[i % len(SERIES_STYLES)]
            axes.barh([p - 0.4 + step * (i + 0.5) for p in positions], values, height=step, color=face,
                      hatch=hatch, edgecolor="black", linewidth=0.6, label=name)
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        axes.grid(axis="x", color="#d0d0d0", linewidth=0.5)
        axes.set_axisbelow(True)
        if len(series) > 1:
            axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncol=len(series))
        # A fixed layout (left margin from the longest label) instead of tight_layout, which costs a draw.
        longest = max((len(label) for label in labels), default=10)
        figure.subplots_adjust(left=min(0.5, 0.05 + longest * 0.055 / width), right=0.97,
                               top=1 - (0.4 if len(series) > 1 else 0.15) / height, bottom=0.5 / height)
        return _png(figure, tight=False)


def matrix_chart(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]],
                 cells: Sequence[Sequence[str]], colour_label: str, width: float = 6.3) -> bytes:
    """A grey heat map with each cell's text printed in it (white on dark cells)."""
    height = max(2.5, 0.24 * len(rows) + 1.6)
    with matplotlib.rc_context({**_RC, "font.size": 7}):
        figure = Figure(figsize=(width, height), dpi=DPI)
        axes = figure.add_subplot()
        top = max((v for row in values for v in row), default=0) or 1
        image = axes.imshow(values, cmap="Greys", vmin=0, vmax=top, aspect="auto")
        axes.set_xticks(range(len(columns)), columns, rotation=60, ha="right", rotation_mode="anchor")
        axes.set_yticks(range(len(rows)), rows)
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        for i, row in enumerate(cells):
            for j, text in enumerate(row):
                if text:
                    axes.text(j, i, text, ha="center", va="center", fontsize=5.5,
                              color="white" if values[i][j] > 0.55 * top else "black")
        colourbar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.02)
        colourbar.set_label(colour_label)
        return _png(figure)


def _png(figure: Figure, tight: bool = True) -> bytes:
    FigureCanvasAgg(figure)
    if tight:
        figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 4})
    return buffer.getvalue()
