"""Files under ``OUT/themes/``: tables for analysts, PNG charts for the reports, BERTopic's interactive HTML."""

from __future__ import annotations

import csv
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Sequence

from synthesis.citation import place, source_file
from synthesis.errors import ReportError
from synthesis.records import Theme
from synthesis.report.redact import redact
from synthesis.staging import sweep

log = logging.getLogger(__name__)


def check_folder(folder: Path) -> None:
    """Raise a ``ReportError`` when the themes files cannot be written to ``folder`` (checked before the stored
    themes are replaced, so that the store and the files agree)."""
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"{folder}: a file has the name of the themes folder; rename or move it")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"{folder.parent}: cannot write the themes files there: {error.strerror or error}") from None
    if not os.access(folder.parent, os.W_OK):
        raise ReportError(f"{folder.parent}: cannot write the themes files there: permission denied")


def write_outputs(folder: Path, themes: Sequence[Theme], model=None, corpus_dir: Path = Path(".")) -> list[str]:
    """Write everything into a fresh temporary folder, then swap it in: readers never see half a set, and a failed
    write leaves the earlier set as it was. The temporary folders' names are new ones (no folder of the user's is
    removed)."""
    check_folder(folder)
    try:
        return _write(folder, themes, model, corpus_dir)
    except OSError as error:
        raise ReportError(f"{folder}: cannot write the themes files: {error.strerror or error}") from None


def _write(folder: Path, themes: Sequence[Theme], model, corpus_dir: Path) -> list[str]:
    for what in ("partial", "old"):  # left by a run killed while it wrote
        sweep(folder.parent, f".{folder.name}.*.{what}")
    unique = uuid.uuid4().hex[:12]
    partial, old = (folder.with_name(f".{folder.name}.{unique}.{what}") for what in ("partial", "old"))
    partial.mkdir()
    try:
        _themes_csv(partial / "themes.csv", themes, corpus_dir)
        _crosstab_csv(partial / "theme_by_country.csv", themes, "country")
        _crosstab_csv(partial / "theme_by_group.csv", themes, "group")
        _crosstab_csv(partial / "theme_by_cause.csv", themes, "cause")
        _crosstab_csv(partial / "theme_by_language.csv", themes, "language")
        if themes:
            _size_chart(partial / "theme_sizes.png", themes)
        if model is not None:
            _html(partial, model)
        if folder.exists():
            os.replace(folder, old)
        os.replace(partial, folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        if old.exists() and not folder.exists():  # the new set could not be moved in: the earlier one goes back
            os.replace(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return sorted(p.name for p in folder.iterdir())


def _themes_csv(path: Path, themes: Sequence[Theme], corpus_dir: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["theme_id", "label", "label_source", "size", "keywords", "countries", "description",
                         "quote_1", "quote_1_source", "quote_2", "quote_2_source", "quote_3", "quote_3_source"])
        for theme in themes:
            countries = [c for c in theme.profile.get("country", {}) if c != "(none)"]
            quotes = []
            for quote in theme.quotes[:3]:  # personal data removed, and cited, as in the reports
                where = place(quote.paragraph_index, quote.respondent, quote.row, quote.question)
                quotes += [redact(quote.text).text, f"{source_file(quote.source_path, corpus_dir)}, {where}, "
                                                    f"characters {quote.start}–{quote.end} [Q{quote.segment_id}]"]
            quotes += [""] * (6 - len(quotes))
            writer.writerow([theme.id, theme.label, theme.label_source, theme.size, "; ".join(theme.keywords[:10]),
                             len(countries), theme.description, *quotes])


def _crosstab_csv(path: Path, themes: Sequence[Theme], key: str) -> None:
    """One row per theme, one column per value of ``key`` (country, group, …), cells = segments."""
    values = sorted({v for t in themes for v in t.profile.get(key, {})})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["theme_id", "label", "size", *values])
        for theme in themes:
            counts = theme.profile.get(key, {})
            writer.writerow([theme.id, theme.label, theme.size, *(counts.get(v, 0) for v in values)])


def _size_chart(path: Path, themes: Sequence[Theme]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = list(themes)[:25]
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.2), dpi=150)
    labels = [t.label if len(t.label) <= 60 else t.label[:57] + "…" for t in shown]
    axes.barh(range(len(shown)), [t.size for t in shown], color="0.35", edgecolor="black", hatch="//")
    axes.set_yticks(range(len(shown)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("segments")
    axes.set_title("Themes by number of segments")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def _html(folder: Path, model) -> None:
    """BERTopic's intertopic distance map and keyword bar chart, with plotly.js embedded (works offline)."""
    for name, draw in (("intertopic_map.html", lambda: model.visualize_topics()),
                       ("keywords_barchart.html", lambda: model.visualize_barchart(top_n_topics=25, n_words=8))):
        try:
            figure = draw()
        except Exception as error:  # noqa: BLE001 - a visual that cannot be drawn (e.g. too few themes) is skipped
            reason = str(error).splitlines()[0] if str(error) else error.__class__.__name__
            themes = len(set(model.topics_) - {-1})
            log.warning("themes: %s not written: BERTopic could not draw it for %d theme%s (%s)", name, themes,
                        "s" * (themes != 1), reason)
            continue
        # a failed write (a full disk) is the set's failure: the earlier set stays (``write_outputs``)
        figure.write_html(folder / name, include_plotlyjs=True, full_html=True)
