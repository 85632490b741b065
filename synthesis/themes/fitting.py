"""Fitting BERTopic with our settings: packaged embeddings, seeded UMAP and HDBSCAN, multilingual c-TF-IDF,
readable keywords, outlier and topic reduction."""

from __future__ import annotations

import logging
import random
import warnings
from dataclasses import dataclass
from typing import Mapping, NamedTuple, Sequence

import numpy as np

from synthesis.config import Config
from synthesis.embeddings import Embedder
from synthesis.report.redact import redact
from synthesis.themes.representation import CoOccurringKeywords

log = logging.getLogger(__name__)

TOP_WORDS = 25

# Words that carry no theme in dialogue reports and survey answers, on top of spaCy's stop words.
DISCOURSE_WORDS = {
    "en": "said says also would could should need needs like think many much often really people person "
          "participant participants facilitator government things thing way lot etc",
    "es": "dijo también personas persona gente muchas muchos mucho cosas hace hay participante participantes",
    "fr": "dit aussi personnes personne gens beaucoup choses fait faut participant participants",
}


def stop_words(languages: Sequence[str] = ("en", "es", "fr")) -> list[str]:
    """spaCy's stop words for each language plus our discourse words, sorted (for a deterministic vectoriser)."""
    import importlib

    words: set[str] = set()
    for language in languages:
        try:
            words |= set(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
        except ImportError:
            log.warning("no stop words for language %r", language)
        words |= set(DISCOURSE_WORDS.get(language, "").split())
    # scikit-learn tokenises stop words the way it tokenises text: keep only single-token forms.
    return sorted(w.lower() for w in words if w.isalpha())


def vectorizer(languages: Sequence[str], min_df: int = 2):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(stop_words=stop_words(languages), ngram_range=(1, 2), min_df=min_df,
                           token_pattern=r"(?u)\b[^\W\d_]{3,}\b", preprocessor=keyword_text)


def keyword_text(text: str) -> str:
    """A segment as theme keywords are read from it: in lower case, without the personal data that reports remove
    from quotes (``report.redact``). Keywords name a theme in the reports and the themes files, and the words of an
    e-mail address or a link ("maria", "lopez", "gmail") must not."""
    redactions = redact(text).redactions
    if not redactions:
        return text.lower()
    kept, at = [], 0
    for redaction in redactions:
        kept.append(text[at:redaction.start])
        at = redaction.end
    kept.append(text[at:])
    return " ".join(kept).lower()


def embedding_backend(embedder: Embedder, width: int | None = None):
    """BERTopic's embedding interface over our cached, offline embedder (for keywords and guided seeds). With
    ``width``, vectors are padded with zeros to the width of our clustering features (which append codes), so
    that BERTopic can compare them with those features; zeros change no cosine between two embeddings."""
    from bertopic.backend import BaseEmbedder

    class _Backend(BaseEmbedder):
        def embed(self, documents, verbose=False):
            vectors = embedder.encode(list(documents))
            if width and width > vectors.shape[1]:
                vectors = np.hstack([vectors, np.zeros((len(vectors), width - vectors.shape[1]), np.float32)])
            return vectors

    return _Backend()


@dataclass
class LanguageShift:
    """Moves each language's mean vector onto the overall mean. The packaged encoder is English-only and places
    Spanish and French text apart from English text on the same subject; without this shift clusters form by
    language rather than by subject (measured in ``scripts/bench_themes.py``)."""

    shifts: dict[str, np.ndarray]

    @classmethod
    def fit(cls, vectors: np.ndarray, languages: Sequence[str], enabled: bool = True) -> "LanguageShift":
        if not enabled or len(vectors) == 0:
            return cls({})
        languages = np.asarray(languages)
        overall = vectors.mean(axis=0)
        return cls({str(language): overall - vectors[languages == language].mean(axis=0)
                    for language in np.unique(languages) if (languages == language).sum() >= 2})

    def apply(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        if not self.shifts:
            return vectors
        shifted = vectors + np.vstack([self.shifts.get(language, 0 * vectors[0]) for language in languages])
        norms = np.linalg.norm(shifted, axis=1, keepdims=True)
        return (shifted / np.where(norms == 0, 1, norms)).astype(np.float32)


def with_codes(vectors: np.ndarray, codes: Sequence[Sequence[str]], vocabulary: Sequence[str], weight: float
               ) -> np.ndarray:
    """Append each text's codes (excluded groups and root causes, from the coder or a reviewer) as a weighted,
    normalised one-hot block. Codes are the same in every language, so they pull a Spanish and an English segment
    about the same people and causes together where the English-only encoder does not."""
    if weight <= 0 or not vocabulary:
        return vectors
    index = {code: i for i, code in enumerate(vocabulary)}
    block = np.zeros((len(vectors), len(vocabulary)), dtype=np.float32)
    for row, chosen in enumerate(codes):
        for code in chosen:
            if code in index:
                block[row, index[code]] = 1.0
    block /= np.maximum(np.linalg.norm(block, axis=1, keepdims=True), 1.0)
    joined = np.hstack([vectors, weight * block])
    return (joined / np.linalg.norm(joined, axis=1, keepdims=True)).astype(np.float32)


class TextInfo(NamedTuple):
    """What the themes step keeps per distinct text (a tuple: there can be millions)."""

    language: str
    dialogue: bool
    codes: tuple[str, ...]  # excluded groups and root causes of its first segment


@dataclass
class Features:
    """What clustering sees for a text: its embedding, shifted by its language, with its codes appended."""

    shift: LanguageShift
    texts: Mapping[str, TextInfo]
    vocabulary: tuple[str, ...]
    code_weight: float

    def of(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        info = [self.texts.get(t) for t in texts]
        shifted = self.shift.apply(embeddings, [i.language if i else "" for i in info])
        return with_codes(shifted, [i.codes if i else () for i in info], self.vocabulary, self.code_weight)


class _OwnAssignments(logging.Filter):
    """BERTopic warns whenever topics are passed to ``update_topics``; we do that by design (outliers joined to
    their nearest theme), so that warning is noise for our users."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "custom list of topic assignments" not in record.getMessage()


@dataclass
class Fitted:
    model: object  # the BERTopic model
    topics: list[int]  # per fitted text; -1 = outlier


def seed_topics(codebook) -> list[list[str]]:
    """Seed words per root cause from the codebook's patterns (single words only), for guided modelling."""
    seeds = []
    for code in codebook.causes:
        words = {p.lower() for patterns in code.patterns.values() for p in patterns if " " not in p}
        if words:
            seeds.append(sorted(words)[:30])
    return seeds


def fit(texts: list[str], vectors: np.ndarray, config: Config, embedder: Embedder,
        seed_topic_list: list[list[str]] | None = None, languages: Mapping[str, str] | None = None) -> Fitted:
    """Fit BERTopic on ``texts`` with precomputed ``vectors``; reduce to ``config.themes_max`` themes and
    re-assign outliers; deterministic for ``config.seed``. ``languages`` (text -> language code) lets keywords
    follow each theme's main language."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN
    from sklearn.decomposition import PCA
    from sklearn.pipeline import make_pipeline
    from umap import UMAP

    random.seed(config.seed)
    np.random.seed(config.seed)
    n = len(texts)
    # PCA first: UMAP's neighbour search on 50 dimensions is several times faster than on 384, and a seeded
    # UMAP runs on one core only.
    components = min(config.themes_pca_components, n - 1, vectors.shape[1])
    umap_model = make_pipeline(
        *([PCA(components, random_state=config.seed)] if config.themes_pca_components else []),
        UMAP(n_neighbors=min(config.themes_umap_neighbors, n - 1), n_components=min(config.themes_umap_components,
             n - 2), min_dist=0.0, metric="cosine", n_epochs=config.themes_umap_epochs, random_state=config.seed,
             low_memory=True))
    min_size = config.themes_min_size or min(max(10, n // 150), 200)
    hdbscan_model = HDBSCAN(min_cluster_size=max(2, min(min_size, n // 3)), min_samples=min(10, max(1, n // 10)),
                            metric="euclidean", cluster_selection_method="eom", prediction_data=True)
    # 25 words per theme (topic diversity is measured on them); the store keeps the top 10.
    representation = CoOccurringKeywords(languages or {}, cooccurrence=config.themes_keyword_cooccurrence,
                                         top_n_words=TOP_WORDS)
    model = BERTopic(embedding_model=embedding_backend(embedder, vectors.shape[1]), umap_model=umap_model,
                     hdbscan_model=hdbscan_model,
                     vectorizer_model=vectorizer(config.languages, min_df=2 if n >= 100 else 1),
                     ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                     top_n_words=TOP_WORDS, seed_topic_list=seed_topic_list)  # keywords once, at the end
    bertopic_log = logging.getLogger("BERTopic")
    if not any(isinstance(f, _OwnAssignments) for f in bertopic_log.filters):
        bertopic_log.addFilter(_OwnAssignments())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)  # seeded UMAP: one core
        topics, _ = model.fit_transform(texts, vectors)
    if len(set(topics) - {-1}) > config.themes_max:
        model.reduce_topics(texts, nr_topics=config.themes_max + (1 if -1 in topics else 0))
        topics = list(model.topics_)
    topics = np.asarray(topics)
    if (topics == -1).any() and (topics != -1).any():
        topics = join_nearest(vectors, topics, centroids(vectors, topics), config.themes_outlier_threshold)
    model.update_topics(texts, topics=topics.tolist(), vectorizer_model=model.vectorizer_model,
                        ctfidf_model=model.ctfidf_model, representation_model=representation, top_n_words=TOP_WORDS)
    return Fitted(model, [int(t) for t in topics])


def centroids(vectors: np.ndarray, topics: np.ndarray) -> dict[int, np.ndarray]:
    """The normalised mean vector of each theme (outliers, -1, have none)."""
    result = {}
    for topic in sorted(set(topics.tolist()) - {-1}):
        mean = vectors[topics == topic].mean(axis=0)
        result[topic] = mean / (np.linalg.norm(mean) or 1)
    return result


def join_nearest(vectors: np.ndarray, topics: np.ndarray, centres: dict[int, np.ndarray], threshold: float
                 ) -> np.ndarray:
    """Outliers (and unassigned texts, -1) join the theme whose centroid is most similar, when the cosine
    similarity is at least ``threshold`` (BERTopic's ``reduce_outliers(strategy="embeddings")``, done on our
    feature space so that it also serves texts outside the fitting sample)."""
    if not centres:  # the fit found only outliers: nothing to join
        return topics
    numbers = np.asarray(sorted(centres))
    similarity = vectors @ np.vstack([centres[t] for t in numbers]).T
    nearest = numbers[similarity.argmax(axis=1)]
    return np.where((topics == -1) & (similarity.max(axis=1) >= threshold), nearest, topics)


def keywords(model, topic: int, n: int = 10) -> list[str]:
    return [word for word, _ in (model.get_topic(topic) or []) if word][:n]
