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
SHARED_LIMIT = 20  # times ``attempts``: failed logins allowed from one address over all names
NAME_LIMIT = 3  # times ``attempts``: failed logins allowed for one name over all addresses (a password guessed from
# many machines: before, 5 a window; 20 times that let 100 guesses through)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password anyone has")


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Create an account (or raise ``InputError`` for a bad name, role or password; ``StoreError`` for a name that
    exists, in any capitals)."""
    name = name.strip()
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise InputError("name", f"{name!r}: use 1-64 letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise InputError("role", f"{role!r}: expected one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"shorter than {MIN_PASSWORD} characters")
    return store.add_user(name, role, _hasher.hash(password))


def reset_password(store: Store, name: str, password: str) -> None:
    """Give ``name`` a new password and end its sessions (``InputError`` for a short password or no such account)."""
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"shorter than {MIN_PASSWORD} characters")
    if not store.set_password(name, _hasher.hash(password), sign_out=True):
        raise InputError(name, _no_account(store, name))


def remove_user(store: Store, name: str) -> None:
    """Delete the account ``name`` and its sessions; its reviews stay under its name (``InputError`` if none)."""
    if not store.remove_user(name):
        raise InputError(name, _no_account(store, name))


def _no_account(store: Store, name: str) -> str:
    names = [u.name for u in store.list_users()]
    same = next((n for n in names if n.casefold() == name.strip().casefold()), None)
    return (f"no account of that name (did you mean {same!r}?)" if same else
            f"no account of that name (accounts: {', '.join(names) or 'none'})")


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
    """Failed logins in a sliding window of ``window_s``: ``attempts`` per account name from one client address, so
    one person's typos lock only their own account from their own machine, not a team that shares an address (one
    office, one proxy); and ``SHARED_LIMIT`` times as many from one address whatever the names (one password tried on
    many accounts), and ``NAME_LIMIT`` times as many for one name whatever the address (one account's password
    guessed from many machines; its owner, typing from two machines, is not locked out by a few typos)."""

    def __init__(self, attempts: int, window_s: float):
        self.attempts, self.window_s = attempts, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def keys(self, name: str, client: str) -> list[tuple[str, int]]:
        """The counters a login of ``name`` from ``client`` is checked against, each with its limit."""
        name = name.strip().casefold()
        return [(f"login:{client}\n{name}", self.attempts), (f"client:{client}", self.attempts * SHARED_LIMIT),
                (f"name:{name}", self.attempts * NAME_LIMIT)]

    def retry_after(self, keys: list[tuple[str, int]]) -> int:
        """Seconds until a login may be tried again for these counters (0: now)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key, limit in keys:
                failures = self._failures.get(key)
                while failures and failures[0] <= now - self.window_s:
                    failures.popleft()
                if failures is not None and not failures:
                    del self._failures[key]  # names tried once do not pile up
                elif failures and len(failures) >= limit:
                    wait = max(wait, failures[-limit] + self.window_s - now)
        return int(wait) + 1 if wait else 0

    def failed(self, keys: list[tuple[str, int]]) -> None:
        with self._lock:
            for key, _ in keys:
                self._failures[key].append(time.monotonic())
