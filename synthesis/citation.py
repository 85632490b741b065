"""How a quote's source is cited, alike in the reports, their evidence index and the themes files: the source file
relative to the corpus folder, and the place in it."""

from __future__ import annotations

from pathlib import Path


def source_file(stored_path: str, corpus_dir: Path) -> str:
    """A stored source path relative to the corpus folder (as stored when it lies elsewhere)."""
    path, corpus = Path(stored_path), Path(corpus_dir)
    for base in (corpus, corpus.resolve()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def place(paragraph_index: int, respondent: str = "", row: int | None = None, question: str = "") -> str:
    """Where in its source file a quote is: "¶ 3" (1-based) in a transcript; in a consultation export, whose
    thousands of respondents share one file, "respondent 4893905161, q5_help" (the row number when there is no id)."""
    if respondent or row is not None:
        who = f"respondent {respondent}" if respondent else f"row {row}"
        return f"{who}, {question}" if question else who
    return f"¶ {paragraph_index + 1}"
