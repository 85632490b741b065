"""Storing model predictions per segment and model version (re-coding replaces that version's rows), with each
segment's uncertainty under the version's thresholds (the review queue's order)."""

from __future__ import annotations

from typing import Iterator, Sequence

from sqlalchemy import Engine, delete, func, insert, select

from synthesis.records import UNIT_KINDS, Coding, Segment
from synthesis.store.corpus import segment_from_row
from synthesis.store.schema import model_thresholds, predictions, segments, uncertainty
from synthesis.uncertainty import Thresholds
from synthesis.uncertainty import uncertainty as segment_uncertainty

MIN_SCORE = 0.05  # scores below this are not stored (they are neither labels nor review candidates)


def _uncoded(version: str | None):
    """Unit segments (those ``version`` has not coded, when given). Every segment a version codes gets an
    uncertainty row, also one with no score worth storing; stores coded before uncertainty was kept have
    prediction rows only."""
    condition = segments.c.kind.in_(UNIT_KINDS)
    if version is not None:
        scored = select(predictions.c.id).where(predictions.c.segment_id == segments.c.id,
                                                predictions.c.model_version == version)
        measured = select(uncertainty.c.segment_id).where(uncertainty.c.segment_id == segments.c.id,
                                                          uncertainty.c.model_version == version)
        condition = condition & ~scored.exists() & ~measured.exists()
    return condition


def count_units(engine: Engine, uncoded_by: str | None = None) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(segments).where(_uncoded(uncoded_by))).scalar_one()


def iter_unit_batches(engine: Engine, size: int, uncoded_by: str | None = None) -> Iterator[list[Segment]]:
    """Unit segments (paragraphs, turns, answers) in id order, ``size`` at a time, keyset-paginated; with
    ``uncoded_by``, only those that model version has not coded yet."""
    last = 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(segments).where(_uncoded(uncoded_by), segments.c.id > last)
                .order_by(segments.c.id).limit(size)
            ).all()
        if not rows:
            return
        yield [segment_from_row(r) for r in rows]
        last = rows[-1].id


def record_thresholds(engine: Engine, version: str, thresholds: Thresholds) -> None:
    """Keep a model version's per-code thresholds (first recording wins: a version's thresholds never change).
    Segments the version coded before its thresholds were known (a store coded before migration 0005) get their
    uncertainty now, from the stored scores."""
    kept = {kind: dict(thresholds.get(kind, {})) for kind in ("group", "cause")}
    with engine.begin() as connection:
        if connection.execute(select(model_thresholds.c.model_version)
                              .where(model_thresholds.c.model_version == version)).first() is not None:
            return
        connection.execute(insert(model_thresholds).values(model_version=version, thresholds=kept))
        measured = select(uncertainty.c.segment_id).where(uncertainty.c.segment_id == predictions.c.segment_id,
                                                          uncertainty.c.model_version == version)
        scores: dict[int, dict[str, dict[str, float]]] = {}
        for segment_id, kind, code, score in connection.execute(
                select(predictions.c.segment_id, predictions.c.kind, predictions.c.code, predictions.c.score)
                .where(predictions.c.model_version == version, predictions.c.kind.in_(("group", "cause")),
                       ~measured.exists())):
            scores.setdefault(segment_id, {"group": {}, "cause": {}})[kind][code] = score
        if scores:
            connection.execute(insert(uncertainty), [
                {"segment_id": segment_id, "model_version": version,
                 "value": segment_uncertainty(found["group"], found["cause"], kept)}
                for segment_id, found in scores.items()])


def _thresholds(connection, version: str) -> Thresholds:
    return connection.execute(select(model_thresholds.c.thresholds)
                              .where(model_thresholds.c.model_version == version)).scalar() or {}


def write_predictions(engine: Engine, run_id: int, version: str, coded: Sequence[tuple[Segment, Coding]]) -> None:
    """Replace this version's predictions and uncertainty of the given segments, in one transaction."""
    rows = []
    for segment, coding in coded:
        for kind, scores, chosen in (("group", coding.group_scores, coding.groups),
                                     ("cause", coding.cause_scores, coding.causes)):
            for code, score in scores.items():
                if score >= MIN_SCORE or code in chosen:
                    rows.append({"segment_id": segment.id, "run_id": run_id, "model_version": version, "code": code,
                                 "kind": kind, "score": score, "selected": code in chosen,
                                 "start_char": None, "end_char": None})
        for mention in coding.mentions:
            rows.append({"segment_id": segment.id, "run_id": run_id, "model_version": version, "code": mention.code,
                         "kind": "mention", "score": mention.score, "selected": True,
                         "start_char": segment.start + mention.start, "end_char": segment.start + mention.end})
    ids = [s.id for s, _ in coded]
    with engine.begin() as connection:
        thresholds = _thresholds(connection, version)
        connection.execute(delete(predictions).where(predictions.c.segment_id.in_(ids),
                                                     predictions.c.model_version == version))
        connection.execute(delete(uncertainty).where(uncertainty.c.segment_id.in_(ids),
                                                     uncertainty.c.model_version == version))
        if rows:
            connection.execute(insert(predictions), rows)
        if coded:
            connection.execute(insert(uncertainty), [
                {"segment_id": segment.id, "model_version": version,
                 "value": segment_uncertainty(coding.group_scores, coding.cause_scores, thresholds)}
                for segment, coding in coded])
