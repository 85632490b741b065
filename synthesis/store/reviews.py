"""Human reviews: the review queue, one segment's review item, append-only saving with stale-form detection,
history, doubly-reviewed segments and the reviewed texts that retraining learns from."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import (BigInteger, Engine, and_, cast, exists, false, func, insert, literal, or_, select, union_all,
                        update)
from sqlalchemy.engine import Connection

from synthesis.errors import StoreError
from synthesis.records import UNIT_KINDS, LabelledText
from synthesis.store.database import MAX_ID, names_no_row, now, without_nul
from synthesis.store.schema import documents, predictions, reviews, segment_themes, segments, sources, uncertainty

STATUSES = ("todo", "unreviewed", "reviewed", "mine", "all")
REVIEW, ADJUDICATION = "review", "adjudication"


class StaleReviewError(StoreError):
    """The segment's labels changed (a newer review, or a re-coding) since the form was loaded."""


class UnknownSegmentError(StoreError):
    """No such unit segment (it may have been replaced by re-ingesting its file)."""


@dataclass(frozen=True)
class QueueFilter:
    """What a reviewer asked the queue for; empty fields do not filter."""

    country: str = ""
    language: str = ""
    code: str = ""
    theme: int | None = None
    source: str = ""  # dialogue or consultation
    status: str = "todo"  # see STATUSES; todo = needs a review from this reviewer


@dataclass(frozen=True)
class Prediction:
    code: str
    kind: str  # group or cause
    score: float
    selected: bool


@dataclass(frozen=True)
class Span:
    """A mention, offsets relative to the segment text."""

    code: str
    start: int
    end: int
    score: float | None = None


@dataclass(frozen=True)
class ReviewItem:
    """Everything the review form shows for one unit segment."""

    segment_id: int
    text: str
    kind: str
    language: str
    country: str
    section: str
    speaker_label: str
    document_title: str
    document_kind: str
    source_path: str
    previous_text: str
    next_text: str
    model_version: str | None
    predictions: tuple[Prediction, ...]
    mentions: tuple[Span, ...]
    base: str  # stale-form token: the latest review id, the model's labels and the text's digest when loaded
    current: dict  # labels the form starts from: this reviewer's latest review, else the model's selected codes
    reviewers: tuple[str, ...]  # everyone who reviewed or adjudicated it, in order of first review
    uncertainty: float  # the queue's key (``synthesis.uncertainty``; 0 when the version has not coded it)
    memo: str = ""  # this reviewer's latest memo on it (the form starts from it, as from the labels)
    adjudication: ReviewRecord | None = None  # the latest adjudication: its labels count, whatever came after


@dataclass(frozen=True)
class NewReview:
    segment_id: int
    reviewer: str
    labels: dict  # {"groups": [...], "causes": [...], "mentions": [{"code","start","end"}] (document offsets)}
    memo: str = ""
    base: str | None = None  # None: no stale check (used by tests and tools that know what they do)
    kind: str = REVIEW


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    segment_id: int | None
    reviewer: str
    created_at: dt.datetime
    kind: str
    previous: dict
    labels: dict
    memo: str


@dataclass(frozen=True)
class DoubleReviewed:
    """A segment reviewed by two or more reviewers: each one's latest labels, and the first, saved blind."""

    segment_id: int
    text: str
    labels: dict[str, dict] = field(default_factory=dict)  # reviewer -> labels, in order of first review
    adjudicated: bool = False
    # reviewer -> the labels of her first review, saved before she could see the others' (double review is blind
    # until then): what intercoder agreement measures, as a later review may copy another reviewer's labels
    blind: dict[str, dict] = field(default_factory=dict)


def in_double_share(share: float, seed: int):
    """SQL condition: the segment belongs to the share of the queue that two reviewers review (stable per id)."""
    return ((cast(segments.c.id, BigInteger) * 7919 + seed) % 1000) < int(round(share * 1000))


def _reviewed_by(reviewer: str | None = None, kind: str | None = None):
    condition = reviews.c.segment_id == segments.c.id
    if reviewer is not None:
        condition &= reviews.c.reviewer == reviewer
    if kind is not None:
        condition &= reviews.c.kind == kind
    return exists().where(condition)


def queue(engine: Engine, version: str | None, reviewer: str, flt: QueueFilter, double_share: float, seed: int,
          after: tuple[float, int] | None = None, limit: int = 1) -> list[tuple[int, float]]:
    """``(segment_id, uncertainty)`` of the next unit segments for ``reviewer``, most uncertain first, then by id;
    ``after`` is the pair of the item shown last (keyset pagination)."""
    if names_no_row(flt.country, flt.language, flt.code, flt.source, flt.theme, reviewer):
        return []
    if after is not None and names_no_row(after[1]):  # an id past every stored one, as PostgreSQL can compare it
        after = (after[0], max(-MAX_ID, min(after[1], MAX_ID)))
    unsure = func.coalesce(uncertainty.c.value, 0.0)
    count_rows = (select(reviews.c.segment_id, func.count(func.distinct(reviews.c.reviewer)).label("n"))
                  .where(reviews.c.kind == REVIEW).group_by(reviews.c.segment_id).subquery())
    n_reviewers = func.coalesce(count_rows.c.n, 0)
    query = (select(segments.c.id, unsure.label("uncertainty"))
             .join(documents, documents.c.id == segments.c.document_id)
             .outerjoin(uncertainty, and_(uncertainty.c.segment_id == segments.c.id,
                                          uncertainty.c.model_version == (version or "")))
             .outerjoin(count_rows, count_rows.c.segment_id == segments.c.id)
             .where(segments.c.kind.in_(UNIT_KINDS)))
    for column, value in ((segments.c.country, flt.country), (segments.c.language, flt.language),
                          (documents.c.kind, flt.source)):
        if value:
            query = query.where(column == value)
    if flt.code:
        query = query.where(exists().where(
            predictions.c.segment_id == segments.c.id, predictions.c.model_version == (version or ""),
            predictions.c.code == flt.code, predictions.c.selected.is_(True)))
    if flt.theme is not None:
        query = query.where(exists().where(segment_themes.c.segment_id == segments.c.id,
                                           segment_themes.c.theme_id == flt.theme))
    if flt.status == "todo":
        query = query.where(~_reviewed_by(reviewer), ~_reviewed_by(kind=ADJUDICATION),
                            or_(n_reviewers == 0, and_(in_double_share(double_share, seed), n_reviewers < 2)))
    elif flt.status == "unreviewed":
        query = query.where(~_reviewed_by())
    elif flt.status == "reviewed":
        query = query.where(_reviewed_by())
    elif flt.status == "mine":
        query = query.where(_reviewed_by(reviewer))
    if after is not None:
        query = query.where(or_(unsure < after[0], and_(unsure == after[0], segments.c.id > after[1])))
    query = query.order_by(unsure.desc(), segments.c.id).limit(limit)
    with engine.connect() as connection:
        return [(row.id, float(row.uncertainty)) for row in connection.execute(query)]


def queue_choices(engine: Engine) -> dict[str, list[str]]:
    """Distinct countries and languages of unit segments, for the queue's filter menus."""
    with engine.connect() as connection:
        return {name: [v for v in connection.execute(select(column).where(segments.c.kind.in_(UNIT_KINDS))
                                                     .distinct().order_by(column)).scalars() if v]
                for name, column in (("country", segments.c.country), ("language", segments.c.language))}


def _latest_review(connection: Connection, segment_id: int, reviewer: str | None = None, kind: str | None = None):
    query = select(reviews).where(reviews.c.segment_id == segment_id)
    if reviewer is not None:
        query = query.where(reviews.c.reviewer == reviewer)
    if kind is not None:
        query = query.where(reviews.c.kind == kind)
    return connection.execute(query.order_by(reviews.c.id.desc()).limit(1)).first()


def _started_from(own, model_labels: dict) -> dict:
    """The labels a reviewer's form starts from: their own latest review of the segment, else the model's (never
    another reviewer's: double review is blind)."""
    return dict(own.labels) if own is not None else dict(model_labels)


def counting_ids(by: str):
    """SQL: the ids of the reviews whose labels count, one per value of the reviews' column ``by`` (``segment_id``,
    or ``segment_text`` for what outlives re-ingestion): the latest adjudication where there is one, which is final
    (a reviewer's later review is kept, for the record and agreement, but does not override it), else the latest
    review. ``Store.effective_labels`` (reports, themes) and ``reviewed_texts`` (retraining) both read it."""
    column = reviews.c[by]
    adjudicated = select(column).where(reviews.c.kind == ADJUDICATION, column.is_not(None))  # no NULL: NOT IN
    final = select(func.max(reviews.c.id)).where(reviews.c.kind == ADJUDICATION, column.is_not(None)).group_by(column)
    plain = select(func.max(reviews.c.id)).where(column.is_not(None), column.not_in(adjudicated)).group_by(column)
    return union_all(final, plain)


def _model_labels(connection: Connection, segment_id: int, version: str | None) -> dict:
    rows = connection.execute(
        select(predictions.c.kind, predictions.c.code)
        .where(predictions.c.segment_id == segment_id, predictions.c.model_version == (version or ""),
               predictions.c.selected.is_(True), predictions.c.kind.in_(("group", "cause")))
        .order_by(predictions.c.code)).all()
    return {"groups": [c for k, c in rows if k == "group"], "causes": [c for k, c in rows if k == "cause"]}


def _token(latest_id: int | None, model_labels: dict, text: str) -> str:
    """What a review form (or sheet row) was loaded from: the latest review of the segment, the model's labels and
    the segment's text. The text matters on SQLite, which gives the ids of a re-ingested source's old segments to new
    ones: a form loaded before would otherwise save its labels on another text. The model's labels, not its version:
    a retraining that codes the segment as before leaves the forms open on it valid."""
    shown = _digest(json.dumps(model_labels, sort_keys=True))
    return f"{latest_id or 0}:{_MODEL_MARK}{shown}{_TEXT_MARK}{_digest(text)}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


_MODEL_MARK, _TEXT_MARK = "=", "~t"
TEXT_CHANGED = "its text changed since the form was loaded (its source was ingested again); reload it"
LABELS_CHANGED = "its labels changed since the form was loaded; reload it"
SHOWN_CHANGED = "you saved another review of it since the form was loaded (in another tab?); reload it"
ADJUDICATED = "an admin adjudicated its labels since the form was loaded; reload it"


def _stale(connection: Connection, segment_id: int, base: str, current: str, reviewer: str, kind: str,
           version: str | None) -> str | None:
    """Why a form loaded as ``base`` is stale now that the segment's token is ``current`` (None when it is not):
    the segment has another text, the model codes it otherwise, or a review came since that changes what the form
    showed: one of the reviewer's own (the form starts from it) or an adjudication. Another reviewer's independent
    review does not (double review is blind), except for an adjudication, which weighs every review. Tokens of earlier
    versions (no text part; the model version instead of its labels) are still read."""
    if base == current:
        return None
    base_review, _, rest = base.partition(":")
    base_model, _, base_text = rest.partition(_TEXT_MARK)
    current_review, _, rest = current.partition(":")
    current_model, _, current_text = rest.partition(_TEXT_MARK)
    if base_text and base_text != current_text:
        return TEXT_CHANGED
    if base_model != current_model and not (not base_model.startswith(_MODEL_MARK) and base_model == (version or "")):
        return LABELS_CHANGED
    if base_review == current_review:
        return None
    if not base_review.isdecimal() or not base_review.isascii():
        return LABELS_CHANGED
    later = connection.execute(select(reviews.c.reviewer, reviews.c.kind).where(
        reviews.c.segment_id == segment_id, reviews.c.id > int(base_review))).all()
    if kind == ADJUDICATION and later:
        return LABELS_CHANGED
    if any(r.kind == ADJUDICATION for r in later):
        return ADJUDICATED
    return SHOWN_CHANGED if any(r.reviewer == reviewer for r in later) else None


def stale_reason(engine: Engine, segment_id: int, base: str, reviewer: str, version: str | None,
                 kind: str = REVIEW) -> str | None:
    """Why a form or sheet row loaded as ``base`` cannot be saved now as ``reviewer``'s (see ``_stale``)."""
    with engine.connect() as connection:
        text = connection.execute(select(segments.c.text).where(segments.c.id == segment_id)).scalar()
        if text is None:
            raise UnknownSegmentError(f"segment {segment_id}: no such unit segment")
        latest = _latest_review(connection, segment_id)
        current = _token(latest.id if latest else None, _model_labels(connection, segment_id, version), text)
        return _stale(connection, segment_id, base, current, reviewer, kind, version)


def review_item(engine: Engine, segment_id: int, version: str | None, reviewer: str) -> ReviewItem:
    """The review form's data for one unit segment; an unknown id raises ``UnknownSegmentError``."""
    if names_no_row(segment_id):
        raise UnknownSegmentError(f"segment {segment_id}: no such unit segment")
    with engine.connect() as connection:
        row = connection.execute(
            select(segments, documents.c.title, documents.c.kind.label("document_kind"),
                   sources.c.path.label("source_path"))
            .join(documents, documents.c.id == segments.c.document_id)
            .join(sources, sources.c.id == segments.c.source_id)
            .where(segments.c.id == segment_id, segments.c.kind.in_(UNIT_KINDS))).first()
        if row is None:
            raise UnknownSegmentError(f"segment {segment_id}: no such unit segment")
        scored = connection.execute(
            select(predictions.c.code, predictions.c.kind, predictions.c.score, predictions.c.selected,
                   predictions.c.start_char, predictions.c.end_char)
            .where(predictions.c.segment_id == segment_id, predictions.c.model_version == (version or ""))
            .order_by(predictions.c.start_char, predictions.c.code)).all()
        neighbours = []
        for condition, order in ((segments.c.position < row.position, segments.c.position.desc()),
                                 (segments.c.position > row.position, segments.c.position)):
            neighbours.append(connection.execute(
                select(segments.c.text).where(segments.c.document_id == row.document_id, condition,
                                              segments.c.kind.in_(UNIT_KINDS)).order_by(order).limit(1)
            ).scalar() or "")
        latest = _latest_review(connection, segment_id)
        own = _latest_review(connection, segment_id, reviewer)
        adjudication = _latest_review(connection, segment_id, kind=ADJUDICATION)
        model_labels = _model_labels(connection, segment_id, version)
        current = _started_from(own, model_labels)
        token = _token(latest.id if latest else None, model_labels, row.text)
        unsure = connection.execute(select(uncertainty.c.value).where(
            uncertainty.c.segment_id == segment_id, uncertainty.c.model_version == (version or ""))).scalar()
        reviewers = tuple(connection.execute(
            select(reviews.c.reviewer).where(reviews.c.segment_id == segment_id)
            .group_by(reviews.c.reviewer).order_by(func.min(reviews.c.id))).scalars())
    coded = tuple(Prediction(r.code, r.kind, r.score, bool(r.selected)) for r in scored if r.kind != "mention")
    mentions = tuple(Span(r.code, r.start_char - row.start_char, r.end_char - row.start_char, r.score)
                     for r in scored if r.kind == "mention")
    return ReviewItem(segment_id, row.text, row.kind, row.language, row.country, row.section, row.speaker_label,
                      row.title, row.document_kind, row.source_path, neighbours[0], neighbours[1], version, coded,
                      mentions, token, current, reviewers, unsure or 0.0, own.memo if own is not None else "",
                      _record(adjudication) if adjudication is not None else None)


def add_reviews(engine: Engine, entries: Sequence[NewReview], version: str | None) -> list[int]:
    """Store reviews, all or none, in one transaction. A review whose ``base`` token no longer matches the segment
    raises ``StaleReviewError``; the check and the insert are one statement, so concurrent saves cannot slip
    between them."""
    ids = []
    with engine.begin() as connection:
        # Take the write lock first (SQLite: a write statement, even one that matches no row, before any read), so
        # that two savers queue up instead of the second failing on a snapshot the first has made stale.
        connection.execute(update(reviews).where(false()).values(memo=reviews.c.memo))
        # PostgreSQL: lock the segments in id order, so two batches of the same segments in other orders queue up
        # instead of each holding a row the other waits for (a deadlock)
        ordered = sorted({e.segment_id for e in entries if not names_no_row(e.segment_id)})
        for chunk in range(0, len(ordered) if len(ordered) > 1 else 0, 1000):
            connection.execute(select(segments.c.id).where(segments.c.id.in_(ordered[chunk:chunk + 1000]))
                               .order_by(segments.c.id).with_for_update())
        for number, entry in enumerate(entries, 1):
            where = f"segment {entry.segment_id}" if len(entries) == 1 else f"entry {number} (segment {entry.segment_id})"
            if names_no_row(entry.segment_id):
                raise UnknownSegmentError(f"{where}: no such unit segment")
            row = connection.execute(
                select(segments.c.text, sources.c.path).join(sources, sources.c.id == segments.c.source_id)
                .where(segments.c.id == entry.segment_id, segments.c.kind.in_(UNIT_KINDS))
                .with_for_update(of=segments)).first()
            if row is None:
                raise UnknownSegmentError(f"{where}: no such unit segment")
            latest = _latest_review(connection, entry.segment_id)
            latest_id = latest.id if latest else None
            model_labels = _model_labels(connection, entry.segment_id, version)
            current = _token(latest_id, model_labels, row.text)
            stale = (_stale(connection, entry.segment_id, entry.base, current, entry.reviewer, entry.kind, version)
                     if entry.base is not None else None)
            if stale:
                raise StaleReviewError(f"{where}: {stale}")
            # "before" is what this reviewer's form started from, not another reviewer's labels it never showed
            own = _latest_review(connection, entry.segment_id, entry.reviewer)
            previous = _started_from(own, model_labels)
            previous["from"] = f"review {own.id}" if own is not None else f"model {version or 'none'}"
            values = {"segment_id": entry.segment_id, "source_path": row.path, "segment_text": row.text,
                      "reviewer": entry.reviewer, "created_at": now(), "previous": previous,
                      "labels": entry.labels, "memo": without_nul(entry.memo), "kind": entry.kind}
            unchanged = func.coalesce(
                select(func.max(reviews.c.id)).where(reviews.c.segment_id == entry.segment_id).scalar_subquery(), 0
            ) == (latest_id or 0)
            # the new row's id, or none when another review came first (rowcount is no guide: PostgreSQL's driver
            # reports -1 for an INSERT ... SELECT)
            inserted = connection.execute(insert(reviews).from_select(
                list(values), select(*[literal(v, type_=reviews.c[k].type) for k, v in values.items()])
                .where(unchanged)).returning(reviews.c.id)).scalar_one_or_none()
            if inserted is None:
                raise StaleReviewError(f"{where}: another review was saved at the same moment; reload it")
            ids.append(inserted)
    return ids


def _record(row) -> ReviewRecord:
    return ReviewRecord(row.id, row.segment_id, row.reviewer, row.created_at, row.kind, row.previous, row.labels,
                        row.memo)


def history(engine: Engine, segment_id: int) -> list[ReviewRecord]:
    """Every review of a segment, oldest first."""
    if names_no_row(segment_id):
        return []
    with engine.connect() as connection:
        return [_record(r) for r in connection.execute(
            select(reviews).where(reviews.c.segment_id == segment_id).order_by(reviews.c.id))]


def double_reviewed(engine: Engine) -> list[DoubleReviewed]:
    """Segments with reviews by two or more reviewers: each reviewer's latest labels, and whether an admin
    adjudicated them (final, as for the labels that count: a review saved later, a memo added, does not put the
    segment back among the disagreements)."""
    with engine.connect() as connection:
        several = (select(reviews.c.segment_id).where(reviews.c.kind == REVIEW, reviews.c.segment_id.is_not(None))
                   .group_by(reviews.c.segment_id).having(func.count(func.distinct(reviews.c.reviewer)) > 1))
        rows = connection.execute(select(reviews).where(reviews.c.segment_id.in_(several))
                                  .order_by(reviews.c.segment_id, reviews.c.id)).all()
    found: dict[int, DoubleReviewed] = {}
    for row in rows:
        item = found.setdefault(row.segment_id, DoubleReviewed(row.segment_id, row.segment_text))
        if row.kind == ADJUDICATION:
            found[row.segment_id] = DoubleReviewed(item.segment_id, item.text, item.labels, True, item.blind)
        else:
            item.labels[row.reviewer] = row.labels
            item.blind.setdefault(row.reviewer, row.labels)
    return list(found.values())


def reviewed_texts(engine: Engine) -> list[LabelledText]:
    """The human labels that count for every reviewed text (by text, so reviews outlive re-ingestion; see
    ``counting_ids``), oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(reviews.c.id, reviews.c.segment_text, reviews.c.labels, segments.c.language)
            .outerjoin(segments, segments.c.id == reviews.c.segment_id)
            .where(reviews.c.id.in_(counting_ids("segment_text"))).order_by(reviews.c.id)).all()
    return [LabelledText(f"review-{r.id}", r.segment_text, tuple(r.labels.get("groups", [])),
                         tuple(r.labels.get("causes", [])), r.language or "") for r in rows]


def review_counts(engine: Engine) -> dict[str, int]:
    """How many reviews each reviewer name has stored (an account's, or a removed account's)."""
    with engine.connect() as connection:
        return dict(connection.execute(select(reviews.c.reviewer, func.count()).group_by(reviews.c.reviewer)).all())
