"""Opening the project store: engine, SQLite settings, migrations, runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import exc as alembic_errors
from sqlalchemy import Engine, create_engine, event, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from synthesis.errors import StoreError
from synthesis.store.schema import runs

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x5E5A0001  # PostgreSQL advisory lock key held while a store is migrated


MAX_ID = 2**31 - 1  # ids are INTEGER columns: 4 bytes on PostgreSQL, which refuses a larger number in a query


def names_no_row(*values: int | str | None) -> bool:
    """Whether a lookup by ``values`` must find nothing: an id past ``MAX_ID`` or a text with a NUL character, which
    no stored row holds (PostgreSQL refuses both in a query, where SQLite finds nothing)."""
    return any(isinstance(v, int) and abs(v) > MAX_ID or isinstance(v, str) and "\x00" in v for v in values)


def without_nul(text: str) -> str:
    """``text`` without NUL characters, which PostgreSQL cannot store (a memo or a label typed or pasted in the review
    app; ingested text loses them in ``segment.normalise``)."""
    return text.replace("\x00", "")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a generous busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{url}: not a database URL (expected e.g. sqlite:///build/project.sqlite)") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"{database}: cannot create the store's folder: {error.strerror}") from None
        engine = create_engine(parsed, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_settings)
        event.listen(engine, "handle_error", _sqlite_problem)
        return engine
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise StoreError(f"{parsed.render_as_string(hide_password=True)}: {error}") from None
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "connect", _utc_session)
    return engine


def _utc_session(dbapi_connection, _record) -> None:
    """Times come back in UTC, as SQLite's do (PostgreSQL gives them in the server's time zone)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.close()
    dbapi_connection.commit()


def store_exists(url: str) -> bool:
    """Whether opening ``url`` finds a store instead of creating one (a server database is taken to exist)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() == "sqlite":
        return bool(parsed.database) and parsed.database != ":memory:" and Path(parsed.database).is_file()
    return True


def _sqlite_settings(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


# SQLite's errors about the file itself (not about a statement), with what the person running the tool can do
_FILE_PROBLEMS = {
    "database is locked": "another program is writing to it (a running synthesis command, the review app, an SQLite "
                          "browser); try again when it is done",
    "readonly database": "it cannot be written (read-only file, folder or connection)",
    "unable to open database file": "it cannot be opened (missing folder or no permission)",
    "disk i/o error": "the disk failed to read or write it",
    "database or disk is full": "the disk is full",
    "database disk image is malformed": "the file is damaged; restore it from a copy",
}


def _sqlite_problem(context) -> None:
    """Turn SQLite's errors about the store file (locked, read-only, full...) into a one-line ``StoreError``; errors
    about a statement propagate as they are (they are bugs)."""
    args = getattr(context.original_exception, "args", ())  # a KeyboardInterrupt has none
    message = str(args[0] if args else "").lower()
    for problem, hint in _FILE_PROBLEMS.items():
        if problem in message:
            raise StoreError(f"{_safe_url(context.engine)}: {problem}: {hint}") from None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.connect() as connection:  # most opens: a read, no lock that would wait for a running writer
            if MigrationContext.configure(connection).get_current_revision() == _head(config):
                return
        with engine.begin() as connection:
            _lock_for_migration(connection)  # two commands opening a new store at once: one migrates, one waits
            config.attributes["connection"] = connection
            command.upgrade(config, "head")  # reads the revision again, under the lock
    except SQLAlchemyError as error:
        raise StoreError(f"{_safe_url(engine)}: cannot open or migrate the store: {error.__class__.__name__}: "
                         f"{str(error.orig if hasattr(error, 'orig') else error).splitlines()[0]}") from None
    except alembic_errors.CommandError as error:  # e.g. a store written by a newer version of the tool
        raise StoreError(f"{_safe_url(engine)}: cannot open or migrate the store: {str(error).splitlines()[0]} (a "
                         "store from a newer version of synthesis?)") from None


def _head(config: AlembicConfig) -> str | None:
    return ScriptDirectory.from_config(config).get_current_head()


def _lock_for_migration(connection) -> None:
    """Take the store's write lock for the migration's transaction. Without it, two commands opening a new store
    at once both created its tables, and the second failed with "table codebooks already exists". On SQLite the
    transaction also makes the migration all or nothing (Python's sqlite3 runs DDL outside any transaction)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits for another writer (the busy timeout)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def latest_setting(engine: Engine, kind: str, name: str):
    """Setting ``name`` of the latest run of ``kind`` (None when there is no such run or setting)."""
    with engine.connect() as connection:
        config = connection.execute(select(runs.c.config).where(runs.c.kind == kind)
                                    .order_by(runs.c.id.desc()).limit(1)).scalar()
    return config.get(name) if isinstance(config, dict) else None


def start_run(engine: Engine, kind: str, config: dict) -> int:
    with engine.begin() as connection:
        result = connection.execute(
            insert(runs).values(kind=kind, started_at=now(), status="running", config=config)
        )
        return result.inserted_primary_key[0]


def fail_run(engine: Engine, run_id: int, summary: dict) -> None:
    """Mark a run failed, waiting at most two seconds for SQLite's write lock: a write interrupted inside the
    database driver (Ctrl-C) can hold it until the process ends, and then the run stays 'running'."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA busy_timeout=2000")
        try:
            connection.execute(update(runs).where(runs.c.id == run_id)
                               .values(finished_at=now(), status="failed", summary=summary))
            connection.commit()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=60000")


def finish_run(engine: Engine, run_id: int, status: str, summary: dict) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(runs).where(runs.c.id == run_id).values(finished_at=now(), status=status, summary=summary)
        )
