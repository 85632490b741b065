"""Storing themes: the current set is replaced as a whole by each themes run, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Engine, delete, func, insert, select, update

from synthesis.records import CONSULTATION, UNIT_KINDS, Quote, Theme
from synthesis.store.database import names_no_row, now, without_nul
from synthesis.store.schema import documents, segment_themes, segments, sources, theme_quotes, theme_renames, themes


@dataclass(frozen=True)
class ThemeRow:
    """A theme as the themes stage writes it."""

    number: int
    label: str
    label_source: str
    keywords: tuple[str, ...]
    size: int
    description: str
    profile: dict
    centroid: list[float]
    quote_segment_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit segment with what clustering and theme profiles need."""

    id: int
    text: str
    language: str
    country: str
    document_kind: str


def iter_units(engine: Engine, batch_size: int = 5000) -> Iterator[UnitRow]:
    query = (
        select(segments.c.id, segments.c.text, segments.c.language, segments.c.country, documents.c.kind)
        .join(documents, documents.c.id == segments.c.document_id)
        .where(segments.c.kind.in_(UNIT_KINDS))
        .order_by(segments.c.id)
    )
    with engine.connect() as connection:
        for row in connection.execution_options(yield_per=batch_size).execute(query):
            yield UnitRow(row.id, row.text, row.language, row.country, row.kind)


def replace_themes(engine: Engine, run_id: int, rows: Sequence[ThemeRow],
                   assignments: Iterable[tuple[int, int, float]]) -> None:
    """Replace all themes. ``assignments`` are ``(segment_id, theme number, probability)``, any iterable (read
    in chunks, so a generator over millions of rows is never held whole); segments without one are outliers."""
    with engine.begin() as connection:
        connection.execute(delete(segment_themes))
        connection.execute(delete(theme_quotes))
        connection.execute(delete(themes))
        ids = {}
        for row in rows:
            ids[row.number] = connection.execute(insert(themes).values(
                run_id=run_id, number=row.number, label=row.label, label_source=row.label_source,
                keywords=list(row.keywords), size=row.size, description=row.description, profile=row.profile,
                centroid=row.centroid)).inserted_primary_key[0]
            if row.quote_segment_ids:
                connection.execute(insert(theme_quotes), [
                    {"theme_id": ids[row.number], "segment_id": sid, "rank": rank}
                    for rank, sid in enumerate(row.quote_segment_ids)])
        chunks = iter(assignments)
        while chunk := list(islice(chunks, 20000)):  # a large consultation has millions of rows
            batch = [{"segment_id": sid, "theme_id": ids[number], "probability": float(p)}
                     for sid, number, p in chunk if number in ids]
            if batch:
                connection.execute(insert(segment_themes), batch)


def read_themes(engine: Engine) -> list[Theme]:
    """The current themes, largest first, each with its quotes in rank order."""
    with engine.connect() as connection:
        theme_rows = connection.execute(select(themes).order_by(themes.c.number)).all()
        quote_rows = connection.execute(
            select(theme_quotes.c.theme_id, *_quote_columns())
            .join(segments, segments.c.id == theme_quotes.c.segment_id)
            .join(documents, documents.c.id == segments.c.document_id)
            .join(sources, sources.c.id == segments.c.source_id)
            .order_by(theme_quotes.c.theme_id, theme_quotes.c.rank)
        ).all()
    quotes: dict[int, list[Quote]] = {}
    for row in quote_rows:
        quotes.setdefault(row.theme_id, []).append(quote_from_row(row))
    return [Theme(id=r.id, number=r.number, label=r.label, label_source=r.label_source, keywords=tuple(r.keywords),
                  size=r.size, description=r.description, quotes=tuple(quotes.get(r.id, ())), profile=r.profile)
            for r in theme_rows]


def _quote_columns():
    return (segments.c.id.label("segment_id"), segments.c.text, sources.c.path.label("source_path"),
            documents.c.id.label("document_id"), documents.c.title, segments.c.country, documents.c.iso,
            segments.c.language, segments.c.kind, segments.c.paragraph_index, segments.c.start_char,
            segments.c.end_char, segments.c.speaker_role, documents.c.kind.label("document_kind"),
            documents.c.key.label("document_key"), documents.c.row, segments.c.question)


def quote_from_row(row) -> Quote:
    answer = ({"respondent": row.document_key, "row": row.row, "question": row.question or ""}
              if row.document_kind == CONSULTATION else {})
    return Quote(segment_id=row.segment_id, text=row.text, source_path=row.source_path, document_id=row.document_id,
                 document_title=row.title, country=row.country, iso=row.iso, language=row.language, kind=row.kind,
                 paragraph_index=row.paragraph_index, start=row.start_char, end=row.end_char,
                 speaker_role=row.speaker_role, **answer)


def quotes_for_segments(engine: Engine, segment_ids: Sequence[int]) -> list[Quote]:
    """``Quote`` records for the given segments, in the order given (unknown ids are left out)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(*_quote_columns())
            .join(documents, documents.c.id == segments.c.document_id)
            .join(sources, sources.c.id == segments.c.source_id)
            .where(segments.c.id.in_(list(segment_ids)))
        ).all()
    by_id = {row.segment_id: quote_from_row(row) for row in rows}
    return [by_id[i] for i in segment_ids if i in by_id]


def segment_theme_ids(engine: Engine) -> dict[int, int]:
    """``{segment_id: theme_id}`` for every segment assigned to a current theme."""
    with engine.connect() as connection:
        return dict(connection.execute(select(segment_themes.c.segment_id, segment_themes.c.theme_id)).all())


def rename_theme(engine: Engine, theme_id: int, label: str, author: str) -> None:
    """Rename a current theme; the rename is recorded so the next themes run carries it to the matching theme."""
    label = without_nul(label)
    if names_no_row(theme_id):
        raise KeyError(theme_id)
    with engine.begin() as connection:
        row = connection.execute(select(themes.c.keywords, themes.c.centroid).where(themes.c.id == theme_id)).first()
        if row is None:
            raise KeyError(theme_id)
        connection.execute(update(themes).where(themes.c.id == theme_id).values(label=label, label_source="human"))
        connection.execute(insert(theme_renames).values(label=label, keywords=row.keywords, centroid=row.centroid,
                                                        author=author, created_at=now()))


def merge_themes(engine: Engine, keep_id: int, other_id: int) -> None:
    """Move ``other``'s segments and quotes into ``keep`` and delete ``other`` (one transaction)."""
    for theme_id in (keep_id, other_id):
        if names_no_row(theme_id):
            raise KeyError(theme_id)
    with engine.begin() as connection:
        for theme_id in (keep_id, other_id):
            if connection.execute(select(themes.c.id).where(themes.c.id == theme_id)).first() is None:
                raise KeyError(theme_id)
        connection.execute(update(segment_themes).where(segment_themes.c.theme_id == other_id)
                           .values(theme_id=keep_id))
        top = connection.execute(select(func.coalesce(func.max(theme_quotes.c.rank), -1))
                                 .where(theme_quotes.c.theme_id == keep_id)).scalar_one()
        connection.execute(update(theme_quotes).where(theme_quotes.c.theme_id == other_id)
                           .values(theme_id=keep_id, rank=theme_quotes.c.rank + top + 1))
        size = connection.execute(select(func.count()).select_from(segment_themes)
                                  .where(segment_themes.c.theme_id == keep_id)).scalar_one()
        connection.execute(update(themes).where(themes.c.id == keep_id).values(size=size))
        connection.execute(delete(themes).where(themes.c.id == other_id))


def renames(engine: Engine) -> list[tuple[int, str, list[str], list[float]]]:
    """Human renames, oldest first: ``(id, label, keywords, centroid)``."""
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            select(theme_renames.c.id, theme_renames.c.label, theme_renames.c.keywords, theme_renames.c.centroid)
            .order_by(theme_renames.c.id)).all()]
