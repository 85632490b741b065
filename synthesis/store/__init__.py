"""The project store: all SQL lives in this package.

``Store(url)`` opens (and migrates) a SQLite file or a PostgreSQL database; the methods are the store's whole API.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

from sqlalchemy import Engine

from synthesis.records import UNIT_KINDS, Coding, CorpusSummary, Labels, ParsedDocument, Quote, Segment, SourceFile, Theme
from synthesis.store import corpus, database, labels, predictions, reports, themes
from synthesis.store.reports import DialogueRow, ReportUnit, RespondentCounts
from synthesis.store.themes import ThemeRow, UnitRow
from synthesis.records import LabelledText  # noqa: E402  (review queries)
from synthesis.store import codebooks, model_versions, reviews, users  # review queries


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine: Engine = database.create_store_engine(url)
        database.migrate(self.engine)

    @staticmethod
    def exists(url: str) -> bool:
        """Whether ``Store(url)`` would open an existing store rather than create one."""
        return database.store_exists(url)

    def start_run(self, kind: str, config: dict) -> int:
        return database.start_run(self.engine, kind, config)

    def latest_setting(self, kind: str, name: str):
        """Setting ``name`` of the latest run of ``kind`` ("run", "ingest", …), or None."""
        return database.latest_setting(self.engine, kind, name)

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        database.finish_run(self.engine, run_id, status, summary)

    @contextmanager
    def recorded_run(self, kind: str, config: dict) -> Iterator[int]:
        """``start_run``; the body calls ``finish_run``, and a run whose body raises is marked failed (with the
        error's first line) instead of staying 'running'."""
        run_id = self.start_run(kind, config)
        try:
            yield run_id
        except BaseException as error:
            first = (str(error).splitlines() or [""])[0]
            try:
                database.fail_run(self.engine, run_id, {"error": f"{error.__class__.__name__}: {first}"[:500]})
            except Exception:  # the store itself failed, or is locked: the original error is the one to report
                pass
            raise

    def source_state(self, source: SourceFile) -> tuple[str, str | None]:
        return corpus.source_state(self.engine, source)

    def write_source(
        self, source: SourceFile, batches: Iterable[list[ParsedDocument]], run_id: int | None = None,
        skipped_rows: list[str] | None = None,
    ) -> tuple[int, int]:
        return corpus.write_source(self.engine, source, batches, run_id, skipped_rows)

    def skipped_rows(self, path: str) -> list[str]:
        """What was reported of the stored source ``path``'s skipped rows when it was read."""
        return corpus.skipped_rows(self.engine, path)

    def document_metadata(self, path: str) -> dict[str, str]:
        return corpus.document_metadata(self.engine, path)

    def source_paths(self) -> list[str]:
        return corpus.source_paths(self.engine)

    def remove_source(self, path: str) -> None:
        corpus.remove_source(self.engine, path)

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

    def record_coding(self, run_id: int, version: str) -> None:
        labels.record_coding(self.engine, run_id, version)

    def effective_labels(self, version: str | None = None) -> dict[int, Labels]:
        """The human labels that count where there are some (the latest adjudication, else the latest review), else the
        model's selected codes, per unit segment."""
        return labels.effective_labels(self.engine, version)

    # themes
    def iter_units(self) -> Iterator[UnitRow]:
        return themes.iter_units(self.engine)

    def replace_themes(self, run_id: int, rows: list[ThemeRow], assignments: Iterable[tuple[int, int, float]]
                       ) -> None:
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
    def report_units(self) -> list[ReportUnit]:
        """Every unit segment with its provenance and respondent attributes, for reports."""
        return reports.report_units(self.engine)

    def dialogue_documents(self) -> list[DialogueRow]:
        return reports.dialogue_documents(self.engine)

    def respondent_counts(self) -> RespondentCounts:
        return reports.respondent_counts(self.engine)

    def sentence_ends(self, unit_ids: list[int]) -> dict[int, list[int]]:
        """End offsets of the sentences of each given unit (units of one sentence are left out)."""
        return reports.sentence_ends(self.engine, unit_ids)


    # --- review queries ---
    def add_user(self, name: str, role: str, password_hash: str) -> users.User:
        return users.add_user(self.engine, name, role, password_hash)

    def set_password(self, name: str, password_hash: str, sign_out: bool = False) -> bool:
        return users.set_password(self.engine, name, password_hash, sign_out)

    def remove_user(self, name: str) -> bool:
        return users.remove_user(self.engine, name)

    def review_counts(self) -> dict[str, int]:
        return reviews.review_counts(self.engine)

    def user_credentials(self, name: str) -> tuple[users.User, str] | None:
        return users.user_credentials(self.engine, name)

    def list_users(self) -> list[users.User]:
        return users.list_users(self.engine)

    def start_session(self, user_id: int, token_sha256: str, csrf: str, expires_at) -> None:
        users.start_session(self.engine, user_id, token_sha256, csrf, expires_at)

    def find_session(self, token_sha256: str) -> users.Session | None:
        return users.find_session(self.engine, token_sha256)

    def end_session(self, token_sha256: str) -> None:
        users.end_session(self.engine, token_sha256)

    def review_queue(self, version: str | None, reviewer: str, flt: reviews.QueueFilter, double_share: float,
                     seed: int, after: tuple[float, int] | None = None, limit: int = 1) -> list[tuple[int, float]]:
        """``(segment_id, uncertainty)`` pairs, most uncertain first (see ``store/reviews.py``)."""
        return reviews.queue(self.engine, version, reviewer, flt, double_share, seed, after, limit)

    def queue_choices(self) -> dict[str, list[str]]:
        return reviews.queue_choices(self.engine)

    def review_item(self, segment_id: int, version: str | None, reviewer: str) -> reviews.ReviewItem:
        return reviews.review_item(self.engine, segment_id, version, reviewer)

    def stale_reason(self, segment_id: int, base: str, reviewer: str, version: str | None) -> str | None:
        return reviews.stale_reason(self.engine, segment_id, base, reviewer, version)

    def add_reviews(self, entries: list[reviews.NewReview], version: str | None) -> list[int]:
        """Append reviews, all or none; raises ``StaleReviewError`` for a form loaded before a newer review."""
        return reviews.add_reviews(self.engine, entries, version)

    def review_history(self, segment_id: int) -> list[reviews.ReviewRecord]:
        return reviews.history(self.engine, segment_id)

    def double_reviewed(self) -> list[reviews.DoubleReviewed]:
        return reviews.double_reviewed(self.engine)

    def reviewed_texts(self) -> list[LabelledText]:
        return reviews.reviewed_texts(self.engine)

    def record_model_version(self, version: str, path: str, data_sha256: str, metrics: dict) -> None:
        model_versions.record_model_version(self.engine, version, path, data_sha256, metrics)

    def latest_model_path(self) -> str | None:
        return model_versions.latest_model_path(self.engine)

    def latest_model(self) -> tuple[str, dict] | None:
        """(folder, metrics) of the model ``retrain`` recorded last, or None."""
        return model_versions.latest_model(self.engine)

    def record_thresholds(self, version: str, thresholds: dict) -> None:
        """Keep a model version's per-code thresholds ``{"group": {...}, "cause": {...}}``; predictions written
        afterwards get their uncertainty measured against them (``synthesis.uncertainty``)."""
        predictions.record_thresholds(self.engine, version, thresholds)

    def latest_codebook_id(self) -> int:
        """The latest codebook version saved from the review app (0: none, the configured codebook is in use)."""
        return codebooks.latest_codebook_id(self.engine)

    def latest_codebook(self) -> codebooks.StoredCodebook | None:
        return codebooks.latest_codebook(self.engine)

    def codebook_history(self, limit: int = 50) -> list[codebooks.StoredCodebook]:
        return codebooks.codebook_history(self.engine, limit)

    def add_codebook(self, base: int, name: str, version: str, sha256: str, yaml_text: str, author: str,
                     rows: list[codebooks.CodeRow]) -> int:
        """Append a codebook version with its codes; raises ``StaleCodebookError`` unless ``base`` is the latest."""
        return codebooks.add_codebook(self.engine, base, name, version, sha256, yaml_text, author, rows)


    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["Store", "ThemeRow", "UnitRow"]
