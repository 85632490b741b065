"""Storing model predictions per segment and model version (re-coding replaces that version's rows)."""

from __future__ import annotations

from typing import Iterator, Sequence

from sqlalchemy import Engine, delete, func, insert, select

from synthesis.records import UNIT_KINDS, Coding, Segment
from synthesis.store.corpus import segment_from_row
from synthesis.store.schema import predictions, segments

MIN_SCORE = 0.05  # scores below this are not stored (they are neither labels nor review candidates)


def _uncoded(version: str | None):
    condition = segments.c.kind.in_(UNIT_KINDS)
    if version is not None:
        coded = select(predictions.c.id).where(predictions.c.segment_id == segments.c.id,
                                               predictions.c.model_version == version)
        condition = condition & ~coded.exists()
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


def write_predictions(engine: Engine, run_id: int, version: str, coded: Sequence[tuple[Segment, Coding]]) -> None:
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
    with engine.begin() as connection:
        connection.execute(delete(predictions).where(
            predictions.c.segment_id.in_([s.id for s, _ in coded]), predictions.c.model_version == version))
        if rows:
            connection.execute(insert(predictions), rows)
