"""Writing and reading ingested sources, documents, respondents and segments.

A source file is written in one transaction: its old version (if any) is deleted and the new one inserted
batch by batch, so a crash or Ctrl-C leaves either the old version or the new one, never half of either.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from sqlalchemy import Engine, case, delete, func, insert, select, text, update

from synthesis.records import (
    CONSULTATION,
    DIALOGUE,
    UNIT_KINDS,
    CorpusSummary,
    ParsedDocument,
    Segment,
    SourceFile,
)
from synthesis.store.database import now
from synthesis.store.schema import documents, respondents, reviews, segments, sources

NEW, UNCHANGED, CHANGED, DUPLICATE = "new", "unchanged", "changed", "duplicate"
NOW_A_COPY = "now a copy"  # a stored path whose content changed to another stored path's


def source_state(engine: Engine, source: SourceFile) -> tuple[str, str | None]:
    """Whether ``source`` is new, unchanged, changed, or a copy (same SHA-256) of another stored path (a new one, or
    a stored one whose content changed to the other's), with that other path."""
    with engine.connect() as connection:
        row = connection.execute(select(sources.c.sha256, sources.c.reader_revision, sources.c.manifest_sha256)
                                 .where(sources.c.path == source.path)).first()
        stored = row.sha256 if row else None
        if stored == source.sha256:  # the same file: read again where older readers parsed it or its manifest row
            # changed (a store from before migration 0010 has no manifest hash: ingest compares the values)
            same_row = row.manifest_sha256 is None or row.manifest_sha256 == source.manifest_sha256
            fresh = row.reader_revision >= source.reader_revision and same_row
            return (UNCHANGED, source.path) if fresh else (CHANGED, None)
        other = connection.execute(
            select(sources.c.path).where(sources.c.sha256 == source.sha256, sources.c.path != source.path)
        ).scalar()
    if other is None:
        return (NEW if stored is None else CHANGED), None
    return (DUPLICATE if stored is None else NOW_A_COPY), other


def document_metadata(engine: Engine, path: str) -> dict[str, str]:
    """The metadata stored for the (first) document of the source ``path``: its fields and attributes."""
    with engine.connect() as connection:
        row = connection.execute(
            select(documents.c.country, documents.c.iso, documents.c.date, documents.c.organisation,
                   documents.c.language, documents.c.title, documents.c.attributes)
            .join(sources, sources.c.id == documents.c.source_id).where(sources.c.path == path)
            .order_by(documents.c.id).limit(1)).first()
    if row is None:
        return {}
    fields = dict(row._mapping)
    return {**{k: str(v) for k, v in (fields.pop("attributes") or {}).items()}, **fields}


def source_paths(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(sources.c.path).order_by(sources.c.path)).scalars())


def remove_source(engine: Engine, path: str) -> None:
    """Delete the stored version of ``path`` and everything parsed from it (its reviews stay, unlinked)."""
    with engine.begin() as connection:
        connection.execute(delete(sources).where(sources.c.path == path))


def write_source(
    engine: Engine, source: SourceFile, batches: Iterable[list[ParsedDocument]], run_id: int | None,
    skipped_rows: list[str] | None = None,
) -> tuple[int, int]:
    """Replace ``source`` and everything parsed from it in one transaction; returns (documents, segments). Reviews
    of the replaced segments are linked to the new unit segment with the same text (``_relink_reviews``).
    ``skipped_rows``, filled while the batches are read, is stored with the source (``skipped_rows``)."""
    n_documents = n_segments = 0
    with engine.begin() as connection:
        reviewed = _reviewed_places(connection, source.path)
        connection.execute(delete(sources).where(sources.c.path == source.path))
        source_id = connection.execute(
            insert(sources).values(
                path=source.path,
                name=source.name,
                format=source.format,
                kind=source.kind,
                sha256=source.sha256,
                size=source.size,
                reader_revision=source.reader_revision,
                manifest_sha256=source.manifest_sha256,
                ingested_at=now(),
                run_id=run_id,
            )
        ).inserted_primary_key[0]
        for batch in batches:
            if batch:
                n_segments += _insert_batch(connection, source_id, batch)
                n_documents += len(batch)
        _relink_reviews(connection, source_id, source.path, reviewed)
        if skipped_rows:
            connection.execute(update(sources).where(sources.c.id == source_id).values(skipped_rows=skipped_rows))
    return n_documents, n_segments


def skipped_rows(engine: Engine, path: str) -> list[str]:
    """The reports of the rows of the stored source ``path`` that were skipped when it was read."""
    with engine.connect() as connection:
        rows = connection.execute(select(sources.c.skipped_rows).where(sources.c.path == path)).scalar()
    return list(rows) if isinstance(rows, list) else []


def _reviewed_places(connection, path: str) -> dict[tuple[str, int], list[int]]:
    """Review ids by the (document key, position) of the segment they review, among ``path``'s segments."""
    places: dict[tuple[str, int], list[int]] = {}
    for row in connection.execute(
            select(reviews.c.id, documents.c.key, segments.c.position)
            .join(segments, segments.c.id == reviews.c.segment_id)
            .join(documents, documents.c.id == segments.c.document_id)
            .join(sources, sources.c.id == segments.c.source_id).where(sources.c.path == path)):
        places.setdefault((row.key, row.position), []).append(row.id)
    return places


def _relink_reviews(connection, source_id: int, path: str, reviewed: dict[tuple[str, int], list[int]]) -> None:
    """Link the reviews a re-ingested source's old segments had (their link was set to NULL when the segments were
    replaced) to the new unit segment of the same text in the same document (a respondent, a transcript), the one
    nearest the old position, so that they go on counting; reviews of two respondents' identical answers stay
    apart. A review whose text is gone from its document stays unlinked (it still trains ``retrain``, from its
    own copy of the text). Reviews left unlinked by earlier versions of the source are matched by text alone."""
    for (key, position), ids in reviewed.items():
        same_place = (select(segments.c.id)
                      .join(documents, documents.c.id == segments.c.document_id)
                      .where(segments.c.source_id == source_id, documents.c.key == key,
                             segments.c.kind.in_(UNIT_KINDS), segments.c.text == reviews.c.segment_text)
                      .order_by(func.abs(segments.c.position - position), segments.c.id).limit(1).scalar_subquery())
        connection.execute(update(reviews).where(reviews.c.id.in_(ids)).values(segment_id=same_place))
    linked_before = [i for ids in reviewed.values() for i in ids]
    same_text = (select(segments.c.id)
                 .where(segments.c.source_id == source_id, segments.c.kind.in_(UNIT_KINDS),
                        segments.c.text == reviews.c.segment_text)
                 .order_by(segments.c.id).limit(1).scalar_subquery())
    connection.execute(update(reviews).where(reviews.c.segment_id.is_(None), reviews.c.source_path == path,
                                             reviews.c.id.not_in(linked_before))
                       .values(segment_id=same_text))


def _insert_batch(connection, source_id: int, batch: list[ParsedDocument]) -> int:
    doc_ids = _reserve_ids(connection, documents, len(batch))
    connection.execute(insert(documents), [
        {"id": doc_id, **_document_row(source_id, parsed)} for doc_id, parsed in zip(doc_ids, batch)
    ])
    respondent_rows = [
        _respondent_row(source_id, doc_id, parsed)
        for doc_id, parsed in zip(doc_ids, batch)
        if parsed.document.kind == CONSULTATION
    ]
    if respondent_rows:
        connection.execute(insert(respondents), respondent_rows)

    seg_ids = iter(_reserve_ids(connection, segments, sum(len(p.segments) for p in batch)))
    rows = []
    for doc_id, parsed in zip(doc_ids, batch):
        ids = [next(seg_ids) for _ in parsed.segments]
        for seg_id, segment in zip(ids, parsed.segments):
            row = _segment_row(source_id, doc_id, parsed, segment)
            row["id"] = seg_id
            if segment.parent_position is not None:
                row["parent_id"] = ids[segment.parent_position]
            rows.append(row)
    if rows:
        connection.execute(insert(segments), rows)
    return len(rows)


def _reserve_ids(connection, table, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table``, so that a batch and its children insert without RETURNING.

    SQLite lets one writer at a time in, and this transaction already writes, so max(id) is stable; PostgreSQL
    hands out sequence values that no concurrent writer can also get.
    """
    if n == 0:
        return []
    if connection.dialect.name == "postgresql":
        sequence = f"{table.name}_id_seq"
        return list(connection.execute(
            text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :n)"),
            {"sequence": sequence, "n": n},
        ).scalars())
    first = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    return list(range(first, first + n))


def _document_row(source_id: int, parsed: ParsedDocument) -> dict:
    d = parsed.document
    return {
        "source_id": source_id,
        "key": d.key,
        "kind": d.kind,
        "title": d.title,
        "country": d.country,
        "iso": d.iso,
        "language": d.language,
        "date": d.date,
        "organisation": d.organisation,
        "row": d.row,
        "text": d.text,
        "attributes": dict(d.attributes),
    }


def _respondent_row(source_id: int, doc_id: int, parsed: ParsedDocument) -> dict:
    d = parsed.document
    attributes = dict(d.attributes)
    return {
        "document_id": doc_id,
        "source_id": source_id,
        "external_id": d.key,
        "row": d.row,
        "country": d.country,
        "gender": attributes.pop("gender", ""),
        "age_band": attributes.pop("age_band", ""),
        "language": d.language,
        "attributes": attributes,
    }


def _segment_row(source_id: int, doc_id: int, parsed: ParsedDocument, s: Segment) -> dict:
    return {
        "document_id": doc_id,
        "source_id": source_id,
        "parent_id": None,
        "position": s.position,
        "kind": s.kind,
        "start_char": s.start,
        "end_char": s.end,
        "text": s.text,
        "paragraph_index": s.paragraph_index,
        "language": s.language,
        "country": parsed.document.country,
        "speaker_role": s.speaker_role,
        "speaker_label": s.speaker_label,
        "section": s.section,
        "question": s.question,
    }


def corpus_summary(engine: Engine) -> CorpusSummary:
    """Counts of what the store holds."""
    with engine.connect() as connection:
        count = lambda table: connection.execute(select(func.count()).select_from(table)).scalar_one()  # noqa: E731
        languages = Counter(
            dict(
                connection.execute(
                    select(segments.c.language, func.count())
                    .where(segments.c.kind.in_(UNIT_KINDS))
                    .group_by(segments.c.language)
                ).all()
            )
        )
        # each spelling of a country, and whether a dialogue's: the reports count countries (``CorpusSummary``)
        countries = connection.execute(
            select(documents.c.country, func.max(case((documents.c.kind == DIALOGUE, 1), else_=0)))
            .where(documents.c.country != "")
            .group_by(documents.c.country)
            .order_by(documents.c.country)
        ).all()
        return CorpusSummary(
            sources=count(sources),
            documents=count(documents),
            segments=count(segments),
            respondents=count(respondents),
            languages=dict(sorted(languages.items(), key=lambda kv: -kv[1])),
            country_names={country: bool(dialogue) for country, dialogue in countries},
        )


def iter_segments(engine: Engine, kinds: tuple[str, ...] = UNIT_KINDS, batch_size: int = 5000) -> Iterator[Segment]:
    """Stored segments of the given kinds in document order, with their ids."""
    query = (
        select(segments, documents.c.key)
        .join(documents, documents.c.id == segments.c.document_id)
        .where(segments.c.kind.in_(kinds))
        .order_by(segments.c.id)
    )
    with engine.connect() as connection:
        for row in connection.execution_options(yield_per=batch_size).execute(query):
            yield segment_from_row(row)


def segment_from_row(row) -> Segment:
    """The ``Segment`` record of a row of the segments table."""
    return Segment(id=row.id, position=row.position, kind=row.kind, start=row.start_char, end=row.end_char,
                   text=row.text, paragraph_index=row.paragraph_index, language=row.language,
                   speaker_role=row.speaker_role, speaker_label=row.speaker_label, section=row.section,
                   question=row.question)


def document_text(engine: Engine, document_id: int) -> str:
    with engine.connect() as connection:
        return connection.execute(select(documents.c.text).where(documents.c.id == document_id)).scalar_one()
