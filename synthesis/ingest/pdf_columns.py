"""Pages in two text columns: find the gutter between the columns and read each column whole, band by band.

pdfplumber joins the left and the right column's lines at the same height into one line; read top to bottom, such a
page interleaves the columns into sentences nobody wrote."""

from __future__ import annotations

import statistics
from itertools import groupby
from typing import Callable

_MIDDLE = (0.25, 0.75)  # the part of the text's width a gutter lies in, and the least share of it a column takes
_MIN_LINES = 3  # lines on each side of a gutter
_MIN_FILL = 0.8  # median share of its column's width a column's lines fill: entries of a list fill less
_SPACE = 0.8  # the widest gap between words, and the narrowest gutter, as a share of the font size


def reading_order(page, items: list[dict], keep: Callable[[dict], bool]) -> list[dict]:
    """The page's items (text lines with their chars; tables with their bbox) in reading order: top to bottom, but on
    a page in two text columns band by band -- a band is a run of full-width items (a title, a paragraph across the
    page) or a run of column lines -- and within a band of columns the whole left column, then the whole right one.
    Column lines are extracted again from the chars on each side of the gutter, so that pdfplumber assembles each
    column's lines itself; `keep` says which of them to keep (those not inside a table)."""
    items = sorted(items, key=lambda item: item["top"])
    lines = [item for item in items if "chars" in item]
    layout = _two_columns(lines)
    if layout is None:
        return items
    (left, gutter_left, gutter_right, right), size = layout
    middle = (gutter_left + gutter_right) / 2
    bands: list[tuple[bool, list[dict]]] = []  # (is a band of columns, its items)
    for item in items:
        in_columns = not _crosses(item, gutter_left, gutter_right)
        # a line far below the columns (a footer at the margin) starts a band of its own, to stay at the page's end
        if bands and bands[-1][0] == in_columns and item["top"] - bands[-1][1][-1]["bottom"] <= 2 * size:
            bands[-1][1].append(item)
        else:
            bands.append((in_columns, [item]))
    ordered: list[dict] = []
    for in_columns, band in bands:
        if not in_columns:
            ordered.extend(band)
            continue
        top, bottom = min(item["top"] for item in band), max(item["bottom"] for item in band)
        for on_left, (x0, x1) in ((True, (left, gutter_left)), (False, (gutter_right, right))):
            column = [item for item in band if "rows" in item and ((item["x0"] + item["x1"]) / 2 < middle) == on_left]
            side = page.filter(lambda obj, on_left=on_left: obj["object_type"] == "char"
                               and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom
                               and ((obj["x0"] + obj["x1"]) / 2 < middle) == on_left)
            for line in side.extract_text_lines(return_chars=True):
                if keep(line):
                    # a line running to its column's right edge goes on in the next column
                    column.append({**line, "_wraps_at": x1 - 0.08 * (x1 - x0)})
            ordered.extend(sorted(column, key=lambda item: item["top"]))
    return ordered


def _two_columns(lines: list[dict]) -> tuple[tuple[float, float, float, float], float] | None:
    """Where the page's lines are in two text columns: the columns' and the gutter's edges (left, gutter left, gutter
    right, right), and the body's font size. The gutter is an x-range in the middle of the text
    that the lines which leave it empty -- nearly all but full-width ones -- leave empty; those lines must fill most of
    their column's width, so that a one-column page and an unruled list of short entries are not taken for columns."""
    chars = [char for line in lines for char in line["chars"]]
    if len(lines) < 2 * _MIN_LINES or not chars:
        return None
    size = statistics.median(char["size"] for char in chars)
    spans = [line_spans(line["chars"]) for line in lines]
    text_left, text_right = min(line["x0"] for line in lines), max(line["x1"] for line in lines)
    width = text_right - text_left

    def sides(x: float) -> tuple[list[list], list[list]]:
        """The spans left and right of x, one list a line, of the lines that leave a gutter around x empty."""
        half = _SPACE * size / 2
        free = [line for line in spans if not any(x0 <= x + half and x - half <= x1 for x0, x1 in line)]
        return [[s for s in line if s[1] < x] for line in free], [[s for s in line if s[0] > x] for line in free]

    def balance(x: float) -> int:
        left, right = sides(x)
        return min(sum(1 for s in left if s), sum(1 for s in right if s))

    candidates = range(int(text_left + _MIDDLE[0] * width), int(text_left + _MIDDLE[1] * width) + 1)
    scores = [balance(x) for x in candidates]
    best = max(scores, default=0)
    if best < _MIN_LINES:
        return None
    # the middle of the widest run of best places: the gutter, not a sliver beside a page number that stands in it
    runs = [[x for x, _ in run] for is_best, run in groupby(zip(candidates, scores), key=lambda xs: xs[1] == best)
            if is_best]
    run = max(runs, key=len)
    split = run[len(run) // 2]
    left, right = ([(s[0][0], s[-1][1]) for s in side if s] for side in sides(split))
    edges = (min(x0 for x0, _ in left), max(x1 for _, x1 in left), min(x0 for x0, _ in right),
             max(x1 for _, x1 in right))
    column_widths = (edges[1] - edges[0], edges[3] - edges[2])
    if (min(column_widths) < _MIDDLE[0] * width
            or statistics.median((x1 - x0) / column_widths[0] for x0, x1 in left) < _MIN_FILL
            or statistics.median((x1 - x0) / column_widths[1] for x0, x1 in right) < _MIN_FILL):
        return None
    return edges, size


def line_spans(chars: list[dict]) -> list[list[float]]:
    """The x-ranges a line's chars cover, a gap narrower than _SPACE of the font size (a space between words, also
    a wide one in justified text) counted as covered."""
    spans: list[list[float]] = []
    previous = None
    for char in sorted(chars, key=lambda char: char["x0"]):
        if previous and char["x0"] - spans[-1][1] < _SPACE * max(char["size"], previous["size"]):
            spans[-1][1] = max(spans[-1][1], char["x1"])
        else:
            spans.append([char["x0"], char["x1"]])
        previous = char
    return spans


def _crosses(item: dict, gutter_left: float, gutter_right: float) -> bool:
    """Whether a line's chars or a table's box cross the gutter (a full-width item)."""
    if "chars" not in item:
        return item["x0"] < (gutter_left + gutter_right) / 2 < item["x1"]
    return any(x0 < gutter_right and x1 > gutter_left for x0, x1 in line_spans(item["chars"]))
