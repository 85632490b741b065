"""The project store: all SQL lives in this package.

``Store(url)`` opens (and migrates) a SQLite file or a PostgreSQL database; the methods are the store's whole API.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from sqlalchemy import Engine

from synthesis.records import UNIT_KINDS, Coding, CorpusSummary, Labels, ParsedDocument, Quote, Segment, SourceFile, Theme
from synthesis.store import corpus, database, labels, predictions, themes
from synthesis.store.themes import ThemeRow, UnitRow


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine: Engine = database.create_store_engine(url)
        database.migrate(self.engine)

    def start_run(self, kind: str, config: dict) -> int:
        return database.start_run(self.engine, kind, config)

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        database.finish_run(self.engine, run_id, status, summary)

    def source_state(self, source: SourceFile) -> tuple[str, str | None]:
        return corpus.source_state(self.engine, source)

    def write_source(
        self, source: SourceFile, batches: Iterable[list[ParsedDocument]], run_id: int | None = None
    ) -> tuple[int, int]:
        return corpus.write_source(self.engine, source, batches, run_id)

    def corpus_summary(self) -> CorpusSummary:
        return corpus.corpus_summary(self.engine)

    def iter_segments(self, kinds: tuple[str, ...] = UNIT_KINDS) -> Iterator[Segment]:
        return corpus.iter_segments(self.engine, kinds)

    def document_text(self, document_id: int) -> str:
        return corpus.document_text(self.engine, document_id)

    def count_units(self, uncoded_by: str | None = None) -> int:
        return predictions.count_units(self.engine, uncoded_by)

    def iter_unit_batches(self, size: int, uncoded_by: str | None = None) -> Iterator[list[Segment]]:
        return predictions.iter_unit_batches(self.engine, size, uncoded_by)

    def write_predictions(self, run_id: int, version: str, coded: list[tuple[Segment, Coding]]) -> None:
        predictions.write_predictions(self.engine, run_id, version, coded)

    # labels
    def model_version_in_use(self) -> str | None:
        return labels.model_version_in_use(self.engine)

    def effective_labels(self, version: str | None = None) -> dict[int, Labels]:
        """Latest human review where there is one, else the model's selected codes, per unit segment."""
        return labels.effective_labels(self.engine, version)

    # themes
    def iter_units(self) -> Iterator[UnitRow]:
        return themes.iter_units(self.engine)

    def replace_themes(self, run_id: int, rows: list[ThemeRow], assignments: list[tuple[int, int, float]]) -> None:
        themes.replace_themes(self.engine, run_id, rows, assignments)

    def themes(self) -> list[Theme]:
        return themes.read_themes(self.engine)

    def segment_theme_ids(self) -> dict[int, int]:
        return themes.segment_theme_ids(self.engine)

    def quotes_for_segments(self, segment_ids: list[int]) -> list[Quote]:
        return themes.quotes_for_segments(self.engine, segment_ids)

    def rename_theme(self, theme_id: int, label: str, author: str) -> None:
        themes.rename_theme(self.engine, theme_id, label, author)

    def merge_themes(self, keep_id: int, other_id: int) -> None:
        themes.merge_themes(self.engine, keep_id, other_id)

    def theme_renames(self) -> list[tuple[int, str, list[str], list[float]]]:
        return themes.renames(self.engine)

    # --- report queries ---

    # --- review queries ---

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["Store", "ThemeRow", "UnitRow"]
