"""The coding model: group mentions (patterns + a trained disambiguation step) and root causes (a calibrated
multi-label classifier on sentence embeddings, TF-IDF and cause cues), with per-code thresholds tuned on dev.

Follows scikit-learn's contract: ``__init__`` stores parameters, ``fit`` returns self, learned state ends in ``_``,
``seed`` makes training repeatable, and predicting before fitting raises ``ModelError``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from synthesis.coding.codebook import CAUSE, GROUP, Codebook
from synthesis.coding.mentions import Candidate, CandidateFinder
from synthesis.embeddings import Embedder
from synthesis.errors import ModelError
from synthesis.records import Coding, LabelledText, Mention

TIE_TOLERANCE = 0.02  # F1 points on dev


class CodingModel:
    def __init__(self, codebook: Codebook, embedder: Embedder | None = None, seed: int = 2016,
                 group_threshold: float = 0.5, cause_threshold: float = 0.5, C: float = 1.0):
        self.codebook = codebook
        self.embedder = embedder
        self.seed = seed
        self.group_threshold = group_threshold
        self.cause_threshold = cause_threshold
        self.C = C

    # -- training -------------------------------------------------------------------------------------------
    def fit(self, train: Sequence[LabelledText], dev: Sequence[LabelledText] = ()) -> "CodingModel":
        """Train on ``train``; tune per-code thresholds on ``dev`` when given."""
        if len(train) < 10:
            raise ModelError(f"need at least 10 labelled texts to train, got {len(train)}")
        self.finder_ = CandidateFinder(self.codebook)
        self.group_ids_ = self.codebook.ids(GROUP)
        self.cause_ids_ = self.codebook.ids(CAUSE)
        candidates = self._candidates(train)
        self._fit_disambiguator(train, candidates)
        self._fit_causes(train, candidates)
        self.group_thresholds_ = {c: self.group_threshold for c in self.group_ids_}
        self.cause_thresholds_ = {c: self.cause_threshold for c in self.cause_ids_}
        if dev:
            self._tune_thresholds(dev)
        return self

    def _candidates(self, items: Sequence[LabelledText]) -> list[list[Candidate]]:
        return self.finder_.find_many([i.text for i in items], [i.language or "en" for i in items])

    def _fit_disambiguator(self, train, candidates) -> None:
        rows, labels = [], []
        for item, found in zip(train, candidates):
            for c in found:
                if c.code in self.group_ids_ or self.codebook.top(c.code) in self.group_ids_:
                    rows.append(c.features)
                    labels.append(int(self.codebook.top(c.code) in item.groups))
        self.mention_vectorizer_ = DictVectorizer()
        X = self.mention_vectorizer_.fit_transform(rows)
        if len(set(labels)) < 2:
            raise ModelError("the training data needs both true and false group mentions")
        self.disambiguator_ = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed).fit(X, labels)

    def _cause_features(self, texts, languages, candidates, fit: bool = False):
        cues = np.zeros((len(texts), len(self.cause_ids_)), dtype=np.float32)
        index = {c: i for i, c in enumerate(self.cause_ids_)}
        for row, found in enumerate(candidates):
            for c in found:
                top = self.codebook.top(c.code) if c.code in self.codebook else c.code
                if top in index:
                    cues[row, index[top]] += 1
        cues = np.log1p(cues)
        if fit:
            self.tfidf_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000)
            words = self.tfidf_.fit_transform(texts)
        else:
            words = self.tfidf_.transform(texts)
        parts = [words, sparse.csr_matrix(cues)]
        if self.embedder is not None:
            parts.append(sparse.csr_matrix(self.embedder.encode(list(texts))))
        return sparse.hstack(parts).tocsr()

    def _fit_causes(self, train, candidates) -> None:
        X = self._cause_features([i.text for i in train], [i.language for i in train], candidates, fit=True)
        self.cause_models_ = {}
        for code in self.cause_ids_:
            y = np.array([int(code in i.causes) for i in train])
            if y.sum() < 3 or y.sum() > len(y) - 3:
                self.cause_models_[code] = float(y.mean())  # too few examples: a constant prior
                continue
            base = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced", random_state=self.seed)
            self.cause_models_[code] = CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(X, y)

    def _tune_thresholds(self, dev) -> None:
        predicted = self.predict_scores([i.text for i in dev], [i.language or "en" for i in dev])
        grid = np.round(np.arange(0.3, 0.71, 0.05), 2)  # a narrow range: dev sets are small
        for kind, ids, thresholds in ((GROUP, self.group_ids_, self.group_thresholds_),
                                      (CAUSE, self.cause_ids_, self.cause_thresholds_)):
            for code in ids:
                truth = np.array([code in (i.groups if kind == GROUP else i.causes) for i in dev])
                if truth.sum() < 2:
                    continue  # too little evidence on dev: keep the default
                scores = np.array([(g if kind == GROUP else c).get(code, 0.0) for g, c, _ in predicted])
                f1 = [_f1(truth, scores >= t) for t in grid]
                best = max(f1)
                # dev sets are small: thresholds within TIE_TOLERANCE of the best F1 are treated as equally good,
                # and of those the one nearest the calibrated default wins (it generalises better to new text)
                default = self.group_threshold if kind == GROUP else self.cause_threshold
                near = [t for t, f in zip(grid, f1) if f >= best - TIE_TOLERANCE]
                thresholds[code] = float(min(near, key=lambda t: (abs(t - default), -t)))

    # -- prediction -----------------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "disambiguator_"):
            raise ModelError("the coding model is not trained: call fit() or load a model directory")

    def predict_scores(self, texts: Sequence[str], languages: Sequence[str], with_causes: bool = True):
        """(group scores, cause scores, mentions) per text; cause scores are empty without ``with_causes``.

        Identical (text, language) pairs are scored once: consultation exports repeat many short answers."""
        self._check_fitted()
        unique, index = _distinct(texts, languages)
        texts, languages = [t for t, _ in unique], [lang for _, lang in unique]
        candidates = self.finder_.find_many(texts, languages)
        group_found = [[c for c in found if self.codebook.top(c.code) in self.group_ids_] for found in candidates]
        flat = [c for found in group_found for c in found]
        probabilities = (self.disambiguator_.predict_proba(self.mention_vectorizer_.transform(
            [c.features for c in flat]))[:, 1] if flat else np.zeros(0))
        it = iter(probabilities)
        cause_scores = (self._cause_scores(texts, languages, candidates) if with_causes
                        else [{} for _ in texts])
        results = []
        for found, causes in zip(group_found, cause_scores):
            groups: dict[str, float] = {}
            mentions = []
            for c in found:
                p = float(next(it))
                top = self.codebook.top(c.code)
                groups[top] = max(groups.get(top, 0.0), p)
                mentions.append(Mention(c.code, c.start, c.end, c.text, round(p, 4)))
            results.append((groups, causes, mentions))
        return [results[i] for i in index]

    def _cause_scores(self, texts, languages, candidates) -> list[dict[str, float]]:
        if not texts:
            return []
        X = self._cause_features(list(texts), list(languages), candidates)
        columns = {}
        for code, model in self.cause_models_.items():
            columns[code] = (np.full(len(texts), model) if isinstance(model, float)
                             else model.predict_proba(X)[:, 1])
        return [{code: float(columns[code][i]) for code in self.cause_ids_} for i in range(len(texts))]

    def predict(self, texts: Sequence[str], languages: Sequence[str] | None = None,
                with_causes: bool = True) -> list[Coding]:
        """Codings of ``texts``; ``with_causes=False`` codes groups only (faster: no embeddings)."""
        languages = list(languages) if languages is not None else ["en"] * len(texts)
        unique, index = _distinct(texts, languages)
        codings = [self._coding(*scored) for scored in self.predict_scores(
            [t for t, _ in unique], [lang for _, lang in unique], with_causes)]
        return [codings[i] for i in index]  # repeated texts share one (frozen) Coding

    def _coding(self, groups: dict, causes: dict, mentions: list) -> Coding:
        return Coding(
            groups=tuple(c for c in self.group_ids_ if groups.get(c, 0.0) >= self.group_thresholds_[c]),
            causes=tuple(c for c in self.cause_ids_ if c in causes and causes[c] >= self.cause_thresholds_[c]),
            mentions=tuple(m for m in mentions if m.score >= self.group_thresholds_[self.codebook.top(m.code)]),
            group_scores={c: round(groups.get(c, 0.0), 4) for c in self.group_ids_},
            cause_scores={c: round(causes[c], 4) for c in self.cause_ids_ if c in causes},
        )


def _distinct(texts: Sequence[str], languages: Sequence[str]) -> tuple[list[tuple[str, str]], list[int]]:
    """The distinct (text, language) pairs in first-seen order, and each input's position among them."""
    positions: dict[tuple[str, str], int] = {}
    index = [positions.setdefault(pair, len(positions)) for pair in zip(texts, languages)]
    return list(positions), index


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return 2 * tp / denominator if denominator else 1.0
