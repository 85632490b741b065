"""Accounts, passwords (argon2), sessions and the login rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from synthesis.errors import InputError
from synthesis.store import Store
from synthesis.store.users import ROLES, Session, User

MIN_PASSWORD = 8
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password anyone has")


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Create an account (or raise ``InputError`` for a bad name, role or password)."""
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise InputError("name", f"{name!r}: use 1-64 letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise InputError("role", f"{role!r}: expected one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"shorter than {MIN_PASSWORD} characters")
    return store.add_user(name, role, _hasher.hash(password))


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when the password is right, else None (an unknown name costs the same time as a wrong password)."""
    found = store.user_credentials(name)
    try:
        _hasher.verify(found[1] if found else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if found and _hasher.check_needs_rehash(found[1]):
        store.set_password(name, _hasher.hash(password))
    return found[0] if found else None


def new_session(store: Store, user: User, hours: float) -> tuple[str, str]:
    """Start a session: ``(cookie token, CSRF token)``. The store keeps only the token's hash."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)
    store.start_session(user.id, token_sha256(token), csrf, expires)
    return token, csrf


def find_session(store: Store, token: str | None) -> Session | None:
    return store.find_session(token_sha256(token)) if token else None


class LoginLimiter:
    """At most ``attempts`` failed logins per key (name, client address) in a sliding window of ``window_s``."""

    def __init__(self, attempts: int, window_s: float):
        self.attempts, self.window_s = attempts, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, keys: list[str]) -> int:
        """Seconds until a login may be tried again for these keys (0: now)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                failures = self._failures[key]
                while failures and failures[0] <= now - self.window_s:
                    failures.popleft()
                if len(failures) >= self.attempts:
                    wait = max(wait, failures[0] + self.window_s - now)
        return int(wait) + 1 if wait else 0

    def failed(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures[key].append(time.monotonic())
