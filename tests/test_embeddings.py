"""The packaged encoder: cached by text hash, and the same vectors (to a cosine of 0.999) in either precision."""

import os

import numpy as np

from synthesis import embeddings
from synthesis.embeddings import DIMENSIONS, Embedder, native_bfloat16

TEXTS = ["Women in remote villages walk hours to reach a clinic.",
         "Las personas con discapacidad no encuentran trabajo.",
         "Les jeunes sans diplôme sont laissés pour compte.",
         "n/a"]


def test_float32_and_bfloat16_give_the_same_vectors(tmp_path):
    exact = Embedder(tmp_path / "a", precision="float32")
    fast = Embedder(tmp_path / "b", precision="bfloat16")
    try:
        a, b = exact.encode(TEXTS), fast.encode(TEXTS)
    finally:
        exact.close()
        fast.close()
    assert a.shape == b.shape == (len(TEXTS), DIMENSIONS) and a.dtype == b.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-3)
    assert (a * b).sum(axis=1).min() >= 0.999


def test_a_second_encoder_on_the_same_cache_embeds_nothing(tmp_path):
    first = Embedder(tmp_path)
    vectors = first.encode(TEXTS + TEXTS[:1])
    first.close()
    again = Embedder(tmp_path)
    try:
        assert np.array_equal(again.encode(TEXTS), vectors[:len(TEXTS)])
        assert first.embedded == len(TEXTS) and again.embedded == 0
    finally:
        again.close()


def test_auto_precision_uses_bfloat16_only_where_the_cpu_has_it(monkeypatch):
    monkeypatch.setattr(embeddings, "native_bfloat16", lambda: True)
    assert Embedder(precision="auto").bfloat16 and not Embedder(precision="float32").bfloat16
    monkeypatch.setattr(embeddings, "native_bfloat16", lambda: False)
    assert not Embedder(precision="auto").bfloat16 and Embedder(precision="bfloat16").bfloat16


def test_native_bfloat16_reads_the_cpu_flags():
    flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    assert native_bfloat16() is ("avx512_bf16" in flags or "amx_bf16" in flags)


def test_batches_by_token_count_keep_each_vector_with_its_text():
    # texts of very different token counts, more than one batch: each row must be the vector of its own text
    texts = [("word " * n).strip() + f" {n}" for n in (40, 1, 17, 3, 60, 2, 9, 33, 5)]
    embedder = Embedder(batch_size=2, precision="float32")
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    assert (together * alone).sum(axis=1).min() >= 0.9999
    assert (together[0] * together[1]).sum() < 0.99  # rows really differ


def test_a_cache_folder_one_may_not_write_in_is_a_one_line_error(tmp_path, monkeypatch):
    # before, SQLite opened the file read-only and coding failed at the first new vector with a traceback
    import pytest

    from synthesis.errors import StoreError

    Embedder(tmp_path / "cache").close()  # the cache file exists
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: "cache" not in str(path) and real(path, mode))
    with pytest.raises(StoreError, match=r"embeddings.sqlite: cannot use the embedding cache \(permission denied\); "
                                         "set cache_dir to a folder you can write to"):
        Embedder(tmp_path / "cache")


def test_a_cache_damaged_or_full_after_it_opened_is_a_one_line_error_that_says_what_helps(tmp_path):
    # sqlite3's errors from get and put were tracebacks
    import sqlite3

    import numpy as np
    import pytest

    from synthesis.errors import StoreError
    from synthesis.store.embedding_cache import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "embeddings.sqlite", "m", 2)
    cache.put({b"k": np.zeros(2)})

    class Failing:
        def __init__(self, message):
            self.message = message

        def execute(self, *args):
            raise sqlite3.DatabaseError(self.message)

        def executemany(self, *args):
            raise sqlite3.OperationalError(self.message)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    cache._connection = Failing("database disk image is malformed")
    with pytest.raises(StoreError, match=r"embeddings.sqlite: cannot use the embedding cache \(database disk image is "
                                         r"malformed\); it is damaged: delete it"):
        cache.get(["a text"])
    cache._connection = Failing("database or disk is full")
    with pytest.raises(StoreError, match=r"\(database or disk is full\); free some space on its disk"):
        cache.put({b"k2": np.zeros(2)})
