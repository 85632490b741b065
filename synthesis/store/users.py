"""Review app accounts and sessions. Passwords arrive already hashed; session tokens arrive as SHA-256."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from synthesis.errors import StoreError
from synthesis.store.database import names_no_row, now
from synthesis.store.schema import sessions, users

ROLES = ("reviewer", "admin")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires_at: dt.datetime


def add_user(engine: Engine, name: str, role: str, password_hash: str) -> User:
    """A new account; a name that exists already, also in other capitals or with spaces around it, raises
    ``StoreError`` ("Ana" beside "ana" would be two reviewers in the agreement figures)."""
    if role not in ROLES:
        raise StoreError(f"{role}: not a role (expected one of {', '.join(ROLES)})")
    name = name.strip()
    try:
        with engine.begin() as connection:
            # compared in Python: SQLite's lower() folds ASCII letters only, and there are few accounts
            same = next((n for n in connection.execute(select(users.c.name)).scalars()
                         if n.strip().casefold() == name.casefold()), None)
            if same is not None:
                raise StoreError(f"{name}: a user of that name exists already" if same == name else
                                 f"{name}: a user named {same!r} exists already (names are compared ignoring case)")
            user_id = connection.execute(insert(users).values(
                name=name, role=role, password_hash=password_hash, created_at=now())).inserted_primary_key[0]
    except IntegrityError:
        raise StoreError(f"{name}: a user of that name exists already") from None
    return User(user_id, name, role)


def set_password(engine: Engine, name: str, password_hash: str, sign_out: bool = False) -> bool:
    """Store a new password hash for ``name`` (and with ``sign_out``, end the account's sessions: a reset password
    should not leave someone else logged in); whether the account exists."""
    with engine.begin() as connection:
        user_id = _user_id(connection, name)
        if user_id is None:
            return False
        connection.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))
        if sign_out:
            connection.execute(delete(sessions).where(sessions.c.user_id == user_id))
    return True


def remove_user(engine: Engine, name: str) -> bool:
    """Delete the account ``name`` and its sessions (its reviews stay, under its name); whether it existed."""
    with engine.begin() as connection:
        user_id = _user_id(connection, name)
        if user_id is None:
            return False
        connection.execute(delete(sessions).where(sessions.c.user_id == user_id))
        connection.execute(delete(users).where(users.c.id == user_id))
    return True


def _user_id(connection, name: str) -> int | None:
    if names_no_row(name):
        return None
    return connection.execute(select(users.c.id).where(users.c.name == name)).scalar()


def user_credentials(engine: Engine, name: str) -> tuple[User, str] | None:
    """``(user, password hash)`` for ``name``, or None."""
    if names_no_row(name):
        return None
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
    return None if row is None else (User(row.id, row.name, row.role), row.password_hash)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        return [User(r.id, r.name, r.role) for r in connection.execute(select(users).order_by(users.c.name))]


def start_session(engine: Engine, user_id: int, token_sha256: str, csrf: str, expires_at: dt.datetime) -> None:
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.expires_at < now()))
        connection.execute(insert(sessions).values(token_sha256=token_sha256, user_id=user_id, csrf=csrf,
                                                   created_at=now(), expires_at=expires_at))


def find_session(engine: Engine, token_sha256: str) -> Session | None:
    """The live session with this token hash (None when unknown or expired)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(sessions.c.csrf, sessions.c.expires_at, users.c.id, users.c.name, users.c.role)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_sha256 == token_sha256)
        ).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    if expires <= now():
        return None
    return Session(User(row.id, row.name, row.role), row.csrf, expires)


def end_session(engine: Engine, token_sha256: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.token_sha256 == token_sha256))
