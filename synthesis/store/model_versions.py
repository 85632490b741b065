"""The model versions a project has trained (``retrain`` records each one with its scores)."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from synthesis.store.database import now
from synthesis.store.schema import model_versions


def record_model_version(engine: Engine, version: str, path: str, data_sha256: str, metrics: dict) -> None:
    """Record a trained model (a version recorded already is left as it is)."""
    with engine.begin() as connection:
        if connection.execute(select(model_versions.c.id).where(model_versions.c.version == version)).first():
            return
        connection.execute(insert(model_versions).values(version=version, path=path, created_at=now(),
                                                         data_sha256=data_sha256, metrics=metrics))


def latest_model_path(engine: Engine) -> str | None:
    """The folder of the most recently recorded model version, or None."""
    with engine.connect() as connection:
        return connection.execute(select(model_versions.c.path).order_by(model_versions.c.id.desc()).limit(1)).scalar()
