"""The model versions a project has trained (``retrain`` records each one with its scores)."""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select

from synthesis.store.database import now
from synthesis.store.schema import model_versions


def record_model_version(engine: Engine, version: str, path: str, data_sha256: str, metrics: dict) -> None:
    """Record a trained model as the latest. A version recorded already (the same model trained again, into another
    folder) is recorded anew: its latest folder is the one reported, and the one later runs use."""
    with engine.begin() as connection:
        connection.execute(delete(model_versions).where(model_versions.c.version == version))
        connection.execute(insert(model_versions).values(version=version, path=path, created_at=now(),
                                                         data_sha256=data_sha256, metrics=metrics))


def latest_model_path(engine: Engine) -> str | None:
    """The folder of the most recently recorded model version, or None."""
    latest = latest_model(engine)
    return latest[0] if latest else None


def latest_model(engine: Engine) -> tuple[str, dict] | None:
    """The folder and the recorded metrics of the most recently recorded model version, or None."""
    with engine.connect() as connection:
        row = connection.execute(select(model_versions.c.path, model_versions.c.metrics)
                                 .order_by(model_versions.c.id.desc()).limit(1)).first()
    return (row.path, row.metrics if isinstance(row.metrics, dict) else {}) if row else None
