"""Read-only queries the reports need: coded units with their provenance, dialogues, respondents, sentences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from sqlalchemy import Engine, select

from synthesis.records import CONSULTATION, DIALOGUE, SENTENCE, UNIT_KINDS
from synthesis.store.schema import documents, respondents, segments, sources


@dataclass(frozen=True)
class ReportUnit:
    """A unit segment (paragraph, turn or answer) with everything a report prints or counts about it.

    ``text == documents.text[start:end]`` of ``document_id``. Respondent attributes are empty for dialogues."""

    segment_id: int
    document_id: int
    document_kind: str  # dialogue or consultation
    kind: str
    text: str
    start: int
    end: int
    paragraph_index: int
    language: str
    country: str
    iso: str
    section: str
    question: str
    speaker_role: str
    source_path: str
    document_title: str
    gender: str = ""
    age_band: str = ""
    document_key: str = ""  # a transcript's file stem, a respondent's id as the export gives it
    row: int | None = None  # a consultation answer's row in its export, numbered as a spreadsheet does (header: 1)


@dataclass(frozen=True)
class DialogueRow:
    """A dialogue document's metadata."""

    document_id: int
    country: str
    iso: str
    title: str
    date: str
    organisation: str
    language: str
    source_path: str
    source_format: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RespondentCounts:
    """Consultation respondents counted by attribute (``""`` = not given)."""

    total: int
    gender: Mapping[str, int]
    age_band: Mapping[str, int]
    language: Mapping[str, int]
    country: Mapping[str, int]


def report_units(engine: Engine) -> list[ReportUnit]:
    """Every unit segment of every document, in segment id order."""
    query = (
        select(segments.c.id, segments.c.document_id, documents.c.kind.label("document_kind"), segments.c.kind,
               segments.c.text, segments.c.start_char, segments.c.end_char, segments.c.paragraph_index,
               segments.c.language, segments.c.country, documents.c.iso, segments.c.section, segments.c.question,
               segments.c.speaker_role, sources.c.path, documents.c.title, respondents.c.gender,
               respondents.c.age_band, documents.c.key, documents.c.row)
        .join(documents, documents.c.id == segments.c.document_id)
        .join(sources, sources.c.id == segments.c.source_id)
        .outerjoin(respondents, respondents.c.document_id == documents.c.id)
        .where(segments.c.kind.in_(UNIT_KINDS))
        .order_by(segments.c.id)
    )
    with engine.connect() as connection:
        return [ReportUnit(r.id, r.document_id, r.document_kind, r.kind, r.text, r.start_char, r.end_char,
                           r.paragraph_index, r.language, r.country, r.iso, r.section, r.question, r.speaker_role,
                           r.path, r.title, r.gender or "", r.age_band or "", r.key, r.row)
                for r in connection.execute(query)]


def dialogue_documents(engine: Engine) -> list[DialogueRow]:
    """Every dialogue document, by country name."""
    query = (
        select(documents.c.id, documents.c.country, documents.c.iso, documents.c.title, documents.c.date,
               documents.c.organisation, documents.c.language, documents.c.attributes, sources.c.path,
               sources.c.format)
        .join(sources, sources.c.id == documents.c.source_id)
        .where(documents.c.kind == DIALOGUE)
        .order_by(documents.c.id)
    )
    with engine.connect() as connection:
        rows = [DialogueRow(r.id, r.country, r.iso, r.title, r.date, r.organisation, r.language, r.path, r.format,
                            dict(r.attributes or {}))
                for r in connection.execute(query)]
    # sorted here, by code point: PostgreSQL would sort names by its server's collation ("bolivia" before "Nepal")
    return sorted(rows, key=lambda row: (row.country, row.document_id))


def respondent_counts(engine: Engine) -> RespondentCounts:
    """Consultation respondents by gender, age band, survey language and country."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(respondents.c.gender, respondents.c.age_band, respondents.c.language, respondents.c.country)
            .join(documents, documents.c.id == respondents.c.document_id)
            .where(documents.c.kind == CONSULTATION)
        ).all()
    return RespondentCounts(
        total=len(rows),
        gender=dict(Counter(r.gender for r in rows)),
        age_band=dict(Counter(r.age_band for r in rows)),
        language=dict(Counter(r.language for r in rows)),
        country=dict(Counter(r.country for r in rows)),
    )


def sentence_ends(engine: Engine, unit_ids: Sequence[int]) -> dict[int, list[int]]:
    """``{unit id: [end offset of each of its sentences, in order]}`` for units with more than one sentence."""
    ends: dict[int, list[int]] = {}
    ids = list(unit_ids)
    with engine.connect() as connection:
        for i in range(0, len(ids), 500):
            rows = connection.execute(
                select(segments.c.parent_id, segments.c.end_char)
                .where(segments.c.kind == SENTENCE, segments.c.parent_id.in_(ids[i:i + 500]))
                .order_by(segments.c.parent_id, segments.c.position)
            )
            for parent_id, end in rows:
                ends.setdefault(parent_id, []).append(end)
    return ends
