"""Codebook versions edited in the review app: append-only rows of ``codebooks`` (the whole YAML) with their codes
in ``codes``; the latest version is the codebook in use. Saving is conditional on the version the edit started
from, so an edit made on a stale page stores nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import Engine, false, func, insert, select, text, update

from synthesis.errors import StoreError
from synthesis.store.database import now
from synthesis.store.schema import codebooks, codes


class StaleCodebookError(StoreError):
    """The codebook changed (another version was saved) since the edit form was loaded."""


@dataclass(frozen=True)
class StoredCodebook:
    id: int
    name: str
    version: str
    sha256: str
    yaml: str
    author: str
    created_at: dt.datetime


@dataclass(frozen=True)
class CodeRow:
    code: str
    kind: str
    label: str
    parent: str | None
    description: str


def latest_codebook_id(engine: Engine) -> int:
    """The id of the latest edited version (0 when none was saved: the configured codebook is in use)."""
    with engine.connect() as connection:
        return connection.execute(select(func.coalesce(func.max(codebooks.c.id), 0))
                                  .where(codebooks.c.yaml.is_not(None))).scalar_one()


def latest_codebook(engine: Engine) -> StoredCodebook | None:
    with engine.connect() as connection:
        row = connection.execute(select(codebooks).where(codebooks.c.yaml.is_not(None))
                                 .order_by(codebooks.c.id.desc()).limit(1)).first()
    return None if row is None else _stored(row)


def codebook_history(engine: Engine, limit: int = 50) -> list[StoredCodebook]:
    """Edited versions, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(codebooks).where(codebooks.c.yaml.is_not(None))
                                  .order_by(codebooks.c.id.desc()).limit(limit)).all()
    return [_stored(row) for row in rows]


def add_codebook(engine: Engine, base: int, name: str, version: str, sha256: str, yaml_text: str, author: str,
                 rows: Sequence[CodeRow]) -> int:
    """Append a version with its codes, in one transaction; raises ``StaleCodebookError`` unless ``base`` is still
    the latest version's id (0: none saved yet)."""
    with engine.begin() as connection:
        # Take the write lock first, so that two editors queue up and the second sees the first's version: SQLite
        # locks the database on a write statement, even one that changes no row; PostgreSQL needs the table locked
        # against other writers (an UPDATE of no row locks nothing there)
        if connection.dialect.name == "postgresql":
            connection.execute(text("LOCK TABLE codebooks IN SHARE ROW EXCLUSIVE MODE"))
        else:
            connection.execute(update(codebooks).where(false()).values(name=codebooks.c.name))
        latest = connection.execute(select(func.coalesce(func.max(codebooks.c.id), 0))
                                    .where(codebooks.c.yaml.is_not(None))).scalar_one()
        if latest != base:
            raise StaleCodebookError("the codebook changed since the page was loaded (another version was saved); "
                                     "reload it and make the edit again")
        if connection.execute(select(codebooks.c.id).where(codebooks.c.sha256 == sha256)).first():
            raise StaleCodebookError("this exact codebook version is stored already; reload the page")
        codebook_id = connection.execute(
            insert(codebooks).values(name=name, sha256=sha256, created_at=now(), version=version, yaml=yaml_text,
                                     author=author)).inserted_primary_key[0]
        connection.execute(insert(codes), [{"codebook_id": codebook_id, "code": r.code, "kind": r.kind,
                                            "label": r.label, "parent": r.parent, "description": r.description}
                                           for r in rows])
    return codebook_id


def _stored(row) -> StoredCodebook:
    return StoredCodebook(row.id, row.name, row.version or "", row.sha256, row.yaml, row.author or "",
                          row.created_at)
