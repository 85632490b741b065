"""The labels that count: a segment's human review overrides the model's predictions (its latest adjudication,
else its latest review)."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from synthesis.records import Labels
from synthesis.store.database import now
from synthesis.store.reviews import counting_ids
from synthesis.store.schema import predictions, reviews, runs


def model_version_in_use(engine: Engine) -> str | None:
    """The model version that last coded the store: the one recorded (``record_coding``) by the run that finished
    coding last, also when that run found every segment coded already (of overlapping runs, the one that finished
    last, not the one that started last); for a store coded before runs recorded it, the version of the newest
    prediction. None when nothing is coded."""
    with engine.connect() as connection:
        recorded = connection.execute(  # runs recorded before migration 0007 have no coded_at: they come last
            select(runs.c.model_version).where(runs.c.model_version.is_not(None))
            .order_by(runs.c.coded_at.is_(None), runs.c.coded_at.desc(), runs.c.id.desc()).limit(1)).scalar()
        return recorded or connection.execute(
            select(predictions.c.model_version).order_by(predictions.c.run_id.desc(), predictions.c.id.desc()).limit(1)
        ).scalar()


def record_coding(engine: Engine, run_id: int, version: str) -> None:
    """Record that run ``run_id`` finished coding the store with model ``version`` (the version in use from now)."""
    with engine.begin() as connection:
        connection.execute(update(runs).where(runs.c.id == run_id).values(model_version=version, coded_at=now()))


def effective_labels(engine: Engine, version: str | None = None) -> dict[int, Labels]:
    """``{segment_id: Labels}`` for every coded or reviewed unit segment. A review's ``labels`` JSON is
    ``{"groups": [...], "causes": [...]}``; a segment's latest adjudication wins, else its latest review
    (``reviews.counting_ids``)."""
    version = version or model_version_in_use(engine)
    model: dict[int, tuple[list[str], list[str]]] = {}
    with engine.connect() as connection:
        if version is not None:
            rows = connection.execute(
                select(predictions.c.segment_id, predictions.c.kind, predictions.c.code)
                .where(predictions.c.model_version == version, predictions.c.selected.is_(True),
                       predictions.c.kind.in_(("group", "cause")))
                .order_by(predictions.c.segment_id, predictions.c.kind, predictions.c.code)
            )
            for segment_id, kind, code in rows:
                groups, causes = model.setdefault(segment_id, ([], []))
                (groups if kind == "group" else causes).append(code)
        reviewed = connection.execute(
            select(reviews.c.segment_id, reviews.c.labels).where(reviews.c.id.in_(counting_ids("segment_id")))
        ).all()
    labels = {sid: Labels(tuple(g), tuple(c), False) for sid, (g, c) in model.items()}
    for segment_id, chosen in reviewed:
        labels[segment_id] = Labels(tuple(sorted(chosen.get("groups", []))), tuple(sorted(chosen.get("causes", []))),
                                    True)
    return labels
