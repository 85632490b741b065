"""A disk cache of sentence embeddings keyed by model and text hash (a small SQLite file of its own)."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from synthesis.errors import StoreError


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class EmbeddingCache:
    """``get`` returns the vectors it holds; ``put`` adds new ones. Safe to share between processes."""

    def __init__(self, path: Path, model: str, dimensions: int):
        self.dimensions = dimensions
        self._table = "vectors_" + hashlib.sha1(model.encode()).hexdigest()[:12]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # SQLite opens a file it may not write read-only, and fails only at the first new vector: checked here
            if not os.access(path.parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
                raise PermissionError(errno.EACCES, "permission denied")
            self._connection = sqlite3.connect(path, timeout=60)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute(f"CREATE TABLE IF NOT EXISTS {self._table} (key BLOB PRIMARY KEY, vector BLOB)")
        except (OSError, sqlite3.Error) as error:
            raise _problem(path, error) from None
        self._path = path

    def get(self, texts: Sequence[str]) -> dict[bytes, np.ndarray]:
        keys = list({text_key(t) for t in texts})
        found: dict[bytes, np.ndarray] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self._connection.execute(
                    f"SELECT key, vector FROM {self._table} WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as error:
            raise _problem(self._path, error) from None
        return found

    def put(self, vectors: dict[bytes, np.ndarray]) -> None:
        try:
            with self._connection:
                self._connection.executemany(
                    f"INSERT OR IGNORE INTO {self._table} (key, vector) VALUES (?, ?)",
                    [(key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()],
                )
        except sqlite3.Error as error:
            raise _problem(self._path, error) from None

    def close(self) -> None:
        self._connection.close()


def _problem(path: Path, error: Exception) -> StoreError:
    """A one-line error for the cache file, with what helps: it is only a cache, so a damaged one can go."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    if "malformed" in reason or "not a database" in reason:
        advice = "it is damaged: delete it (it is only a cache, rebuilt as texts are embedded again)"
    elif "full" in reason:
        advice = "free some space on its disk, or set cache_dir to another folder"
    else:
        advice = "set cache_dir to a folder you can write to"
    return StoreError(f"{path}: cannot use the embedding cache ({reason}); {advice}")
