"""Theme keywords a reader can take in at a glance: words that are distinctive for the theme, used by many of
its segments, in the theme's main language, and that occur together in the same segments."""

from __future__ import annotations

from collections import Counter
from typing import Mapping

import numpy as np
from bertopic.representation._base import BaseRepresentation
from scipy import sparse

MIN_IN_LANGUAGE = 10  # below this many candidates in the main language, other words fill the list


class CoOccurringKeywords(BaseRepresentation):
    """A BERTopic representation model. For each theme, candidates are its top c-TF-IDF words written mostly in
    the theme's main language (a theme that joins English and Spanish segments on one subject gets English
    keywords, not a mix of both that never occur together). Keywords are then chosen one at a time, each the
    candidate with the best sum of

    - distinctiveness: its c-TF-IDF score, relative to the theme's best;
    - reach: the share of the theme's segments that use it, relative to the best;
    - ``cooccurrence`` × its mean normalised PMI with the keywords already chosen, counted in the theme's own
      segments (words that appear in the same segments rather than alternatives for one another).
    """

    def __init__(self, languages: Mapping[str, str], candidates: int = 60, cooccurrence: float = 1.0,
                 top_n_words: int = 25):
        self.languages = languages  # segment text -> language code
        self.candidates = candidates
        self.cooccurrence = cooccurrence
        self.top_n_words = top_n_words

    def extract_topics(self, topic_model, documents, c_tf_idf, topics, embeddings=None):
        vocabulary = topic_model.vectorizer_model.get_feature_names_out()
        texts = documents.Document.tolist()
        labels = documents.Topic.to_numpy()
        present = (topic_model.vectorizer_model.transform(texts) > 0).astype(np.float32).tocsr()
        languages = np.asarray([self.languages.get(text, "") for text in texts])
        language_share = _language_share(present, languages)
        updated = {}
        for row, topic in enumerate(sorted(topics)):
            members = present[labels == topic]
            if topic == -1 or members.shape[0] == 0:
                updated[topic] = topics[topic]
                continue
            main = Counter(languages[labels == topic].tolist()).most_common(1)[0][0]
            scores = c_tf_idf[row].toarray().ravel()
            ranked = np.argsort(-scores, kind="stable")[:max(self.candidates * 8, 400)]
            ranked = ranked[scores[ranked] > 0]
            candidates = _in_language(ranked, language_share.get(main), self.candidates)
            chosen = self._choose(scores[candidates], members[:, candidates])
            # BERTopic expects positive, decreasing weights and the same number of words per topic
            words = [(str(vocabulary[candidates[i]]), float(self.top_n_words - rank)) for rank, i in enumerate(chosen)]
            updated[topic] = words + [("", 1e-5)] * (self.top_n_words - len(words))
        return updated

    def _choose(self, scores: np.ndarray, members: sparse.csr_matrix) -> list[int]:
        """Column positions of the chosen keywords, best first."""
        if len(scores) == 0:
            return []
        reach = np.asarray(members.mean(axis=0)).ravel()
        base = scores / scores.max() + reach / max(reach.max(), 1e-9)
        npmi = _npmi(members)
        chosen = [int(np.argmax(base))]
        left = np.ones(len(scores), dtype=bool)
        left[chosen[0]] = False
        while len(chosen) < min(self.top_n_words, len(scores)):
            gain = base + self.cooccurrence * npmi[:, chosen].mean(axis=1)
            gain[~left] = -np.inf
            best = int(np.argmax(gain))
            chosen.append(best)
            left[best] = False
        return chosen


def _language_share(present: sparse.csr_matrix, languages: np.ndarray) -> dict[str, np.ndarray]:
    """For each language, the share of the segments using each word that are in that language."""
    totals = np.asarray(present.sum(axis=0)).ravel()
    return {language: np.asarray(present[languages == language].sum(axis=0)).ravel() / np.maximum(totals, 1)
            for language in np.unique(languages)}


def _in_language(ranked: np.ndarray, share: np.ndarray | None, n: int) -> np.ndarray:
    """The first ``n`` ranked words used mostly in the main language; other words fill up to a short list."""
    if share is None:
        return ranked[:n]
    mostly = ranked[share[ranked] >= 0.5][:n]
    if len(mostly) >= min(MIN_IN_LANGUAGE, len(ranked)):
        return mostly
    return np.concatenate([mostly, ranked[~np.isin(ranked, mostly)][:MIN_IN_LANGUAGE - len(mostly)]])


def _npmi(members: sparse.csr_matrix) -> np.ndarray:
    """Normalised PMI between every pair of columns, counted over the rows (segments) that use them."""
    n = max(members.shape[0], 1)
    together = np.asarray((members.T @ members).todense(), dtype=np.float64) / n
    alone = np.diag(together).copy()
    eps = 1e-12
    pmi = np.log((together + eps) / (np.outer(alone, alone) + eps))
    scale = -np.log(together + eps)
    npmi = np.where(scale > 1e-9, pmi / np.maximum(scale, 1e-9), 1.0)  # in every segment together: 1
    return np.where(together == 0, -1.0, npmi)  # never together: -1
