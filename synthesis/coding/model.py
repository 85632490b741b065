"""The coding model: group mentions (patterns + a trained disambiguation step) and root causes (a calibrated
multi-label classifier on sentence embeddings, TF-IDF and cause cues), with per-code thresholds tuned on dev and on
out-of-fold predictions for the train split.

Follows scikit-learn's contract: ``__init__`` stores parameters, ``fit`` returns self, learned state ends in ``_``,
``seed`` makes training repeatable, and predicting before fitting raises ``ModelError``.
"""

from __future__ import annotations

import gc
import logging
import math
import unicodedata
from contextlib import contextmanager
from dataclasses import replace
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from synthesis.coding.codebook import CAUSE, GROUP, Codebook
from synthesis.coding.mentions import Candidate, CandidateFinder
from synthesis.embeddings import Embedder
from synthesis.errors import ModelError
from synthesis.records import Coding, LabelledText, Mention

log = logging.getLogger(__name__)

TIE_TOLERANCE = 0.02  # F1 points on the held-out texts (dev and out-of-fold train)
# Raised when a change to the code changes what a trained model predicts (revision 2: the "not discussed" cue is
# read from the sentence's characters, so "didn't discuss" counts; 3: more "not discussed" cues, no negation
# features in "not only ...", decomposed accents matched; 4: Spanish "no fue(ron) mencionado(s)" cues, causes read
# decomposed text in NFC, sub-code labels train their parent; 5: typographic apostrophes matched as plain ones; 6:
# Unicode hyphens and the en dash too; 7: a number in a mention's phrase is read as "#", and people's stated ages
# are candidates; 8: only numbers tied to a person are ages, and an age outside a code's range drops that code's
# overlapping phrase; 9: a mention in a sentence reporting that a meeting left its group out is capped at
# LEFT_OUT_CAP, and "not been discussed" is a cue; 10: only the mention the note says was left out, in its clause,
# with a meeting word near the cue; 11: more stated-age forms ("Narsappa was just 10 years old", "tenía apenas 12
# años", "il n'avait que 12 ans"), none after a determiner, and the codebook's not_in_context; 12: ages in words
# ("Thirteen-year-old", "doce años"), after a changed name ("Khamraj*, 87,"), in ranges with a held-over hyphen
# ("15- to 25-year-old") and after "both"; 13: a name with a stated age in French and Spanish, "Shakiba, 67 ans,",
# and more sentence-opening words that are no name; 14: an em dash separates words in every language, "LGBTI—y";
# 15: more stated-age forms, "over age 60", "niñas, entre 15 y 18 años", "Lyndsay* a 15 ans"; 16: Spanish and
# French phrases and stated ages also without accents, "los jovenes", "de 16 anos"; 17: a phrase's words apart by any
# white space ("personnes\u00a0âgées", "older\r\npeople"), zero-width characters and soft hyphens dropped; 18:
# right-to-left marks dropped too, "sixty-five-year-old" read as 65 (not 5), a code coded where its reported
# (rounded) score reaches its threshold, as its mentions are, a rapporteur's note read within LEFT_OUT_REACH
# characters of a mention; 19: "30-years-old", an age before an adjective and a person word, and the finder's
# context cache per language; 20: English "one" as a number word, "twenty-one-year-old"; 21: compounds of number
# words in stated ages, "sixty five years old", "sesenta y cinco años", "soixante et onze ans", and decades in words,
# "in her sixties"; 22: a capitalised age in words after an article, "A Twenty-Two-Year-Old woman", ages in capitals,
# "SIXTY-FIVE YEARS OLD", no compound of "sixty twelve" outside French, and decades in words left to the codebook's
# phrases again, "in his early seventies"; 23: a name's age in words in Spanish and French, "Rosa, sesenta y cinco
# años,"); 24: from a bug hunt, open ranges ("aged 15 years and over", "18+", "o más", "et plus"), a thing's age
# keeps its "old women" out, "not covered" and "not mentioned" are no not-discussed cues, unaccented cues, French
# "personne" negates only before "ne", text in capitals; 25: from a bug hunt, more cues of a rapporteur's note
# ("did not talk about", "did not raise the issue of", "no hablaron de", "n'ont pas parlé des", "pas évoqué"); 26: from
# a bug hunt of Spanish and French material, "no trató", "n'a pas traité", "nadie habló de", "personne n'a parlé
# des", the meeting named after the group, and inclusive writing read as the phrases' plural ("enfant·e·s", "niñ@s").
# It is part of a model's version, so stores coded before the change are coded again.
SCORING_REVISION = 26
# The score of a mention in a sentence that reports a meeting left its group out ("the group did not discuss
# refugees"; mentions.LEFT_OUT_CUES): a rapporteur's note, not coded at any tuned threshold
LEFT_OUT_CAP = 0.1


class CodingModel:
    def __init__(self, codebook: Codebook, embedder: Embedder | None = None, seed: int = 2016,
                 group_threshold: float = 0.5, cause_threshold: float = 0.5, C: float = 1.0,
                 threshold_folds: int = 5):
        self.codebook = codebook
        self.embedder = embedder
        self.seed = seed
        self.group_threshold = group_threshold
        self.cause_threshold = cause_threshold
        self.C = C
        self.threshold_folds = threshold_folds

    # -- training -------------------------------------------------------------------------------------------
    def fit(self, train: Sequence[LabelledText], dev: Sequence[LabelledText] = (),
            causes_only: Sequence[LabelledText] = ()) -> "CodingModel":
        """Train on ``train``; tune per-code thresholds on ``dev`` when given, together with out-of-fold predictions
        for the training texts (``threshold_folds`` folds; 0: dev alone).

        ``causes_only``: labelled texts that train the cause classifier (and count in the folds) but not the mention
        disambiguator. Written report prose teaches the cause classifier the register of real text; its incidental
        mentions ("a mother of four", "my kids") taught the disambiguator contexts that genuine mentions share."""
        if len(train) + len(causes_only) < 10:
            raise ModelError(f"need at least 10 labelled texts to train, got {len(train) + len(causes_only)}")
        self.finder_ = CandidateFinder(self.codebook)
        self.group_ids_ = self.codebook.ids(GROUP)
        self.cause_ids_ = self.codebook.ids(CAUSE)
        items = self._top_level(list(train) + list(causes_only))  # a sub-code label trains its parent
        mentions_from = [True] * len(train) + [False] * len(causes_only)
        dev = self._top_level(dev)
        self._fit(items, mentions_from)
        self.group_thresholds_ = {c: self.group_threshold for c in self.group_ids_}
        self.cause_thresholds_ = {c: self.cause_threshold for c in self.cause_ids_}
        self.threshold_folds_used_ = 0
        if dev:
            held_out, predicted, grouped = self._out_of_fold(items, mentions_from)
            self.threshold_folds_used_ = self.threshold_folds if held_out else 0
            held_out += list(dev)
            grouped += [True] * len(dev)
            predicted += self.predict_scores([i.text for i in dev], [i.language or "en" for i in dev])
            self._tune_thresholds(held_out, predicted, grouped)
        return self

    def _fit(self, items: list[LabelledText], mentions_from: list[bool]) -> None:
        candidates = self._candidates(items)
        self._fit_disambiguator([i for i, m in zip(items, mentions_from) if m],
                                [c for c, m in zip(candidates, mentions_from) if m])
        self._fit_causes(items, candidates)

    def _out_of_fold(self, items: list[LabelledText], mentions_from: list[bool]) -> tuple[list, list, list]:
        """Training texts, their scores from models fitted on the other folds, and whether each trains mentions
        (group thresholds rest only on those, like the disambiguator). The dev split alone is small (a code's best
        threshold on it moves with one or two texts); with these, thresholds rest on every labelled text the model
        was not fitted on. Nothing when folds are off or a fold cannot be fitted (tiny data)."""
        if self.threshold_folds < 2:
            return [], [], []
        if len(items) < 10 * self.threshold_folds:
            log.info("thresholds tuned on dev alone: %d training texts are too few for %d folds", len(items),
                     self.threshold_folds)
            return [], [], []
        held_out, predicted, grouped = [], [], []
        folds = KFold(self.threshold_folds, shuffle=True, random_state=self.seed)
        for fitted_on, scored in folds.split(np.arange(len(items))):
            fold = CodingModel(self.codebook, embedder=self.embedder, seed=self.seed,
                               group_threshold=self.group_threshold, cause_threshold=self.cause_threshold, C=self.C,
                               threshold_folds=0)
            fold.finder_, fold.group_ids_, fold.cause_ids_ = self.finder_, self.group_ids_, self.cause_ids_
            try:
                fold._fit([items[i] for i in fitted_on], [mentions_from[i] for i in fitted_on])
            except ModelError as error:
                log.info("thresholds tuned on dev alone: a fold could not be fitted (%s)", error)
                return [], [], []
            scored_items = [items[i] for i in scored]
            held_out += scored_items
            grouped += [mentions_from[i] for i in scored]
            predicted += fold.predict_scores([i.text for i in scored_items],
                                             [i.language or "en" for i in scored_items])
        return held_out, predicted, grouped

    def _top_level(self, items: Sequence[LabelledText]) -> list[LabelledText]:
        top = {c.id: c.top for c in self.codebook.codes}
        return [replace(i, groups=tuple(dict.fromkeys(top.get(c, c) for c in i.groups)),
                        causes=tuple(dict.fromkeys(top.get(c, c) for c in i.causes))) for i in items]

    def _candidates(self, items: Sequence[LabelledText]) -> list[list[Candidate]]:
        return self.finder_.find_many([i.text for i in items], [i.language or "en" for i in items])

    def _fit_disambiguator(self, train, candidates) -> None:
        rows, labels = [], []
        for item, found in zip(train, candidates):
            for c in found:
                if c.code in self.group_ids_ or self.codebook.top(c.code) in self.group_ids_:
                    rows.append(c.features)
                    labels.append(int(self.codebook.top(c.code) in item.groups))
        if len(set(labels)) < 2:
            raise ModelError("the training data needs both true and false group mentions")
        self.mention_vectorizer_ = DictVectorizer()
        X = self.mention_vectorizer_.fit_transform(rows)
        self.disambiguator_ = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed).fit(X, labels)

    def _cause_features(self, texts, languages, candidates, fit: bool = False):
        # the classifiers see text as stored (NFC): decomposed accents would be other words to TF-IDF and the encoder
        texts = [t if unicodedata.is_normalized("NFC", t) else unicodedata.normalize("NFC", t) for t in texts]
        cues = np.zeros((len(texts), len(self.cause_ids_)), dtype=np.float32)
        index = {c: i for i, c in enumerate(self.cause_ids_)}
        tops = {c.id: c.top for c in self.codebook.codes}
        for row, found in enumerate(candidates):
            for c in found:
                top = tops.get(c.code, c.code)
                if top in index:
                    cues[row, index[top]] += 1
        cues = np.log1p(cues)
        if fit:
            # words without accents: Spanish and French typed without them ("poblacion") read as the same words
            self.tfidf_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000,
                                          strip_accents="unicode")
            try:
                words = self.tfidf_.fit_transform(texts)
            except ValueError:  # no word in two texts: a handful of texts, or texts with nothing in common
                raise ModelError(f"the {len(texts)} training texts share no word (the cause classifier needs words "
                                 "that occur in at least two of them); add more labelled texts") from None
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

    def _tune_thresholds(self, held_out, predicted, grouped) -> None:
        """Per-code thresholds from held-out texts and their scores; group codes only on ``grouped`` texts."""
        grid = np.round(np.arange(0.3, 0.71, 0.05), 2)  # a narrow range: the held-out texts are few
        every = list(zip(held_out, predicted))
        with_groups = [pair for pair, g in zip(every, grouped) if g]
        for kind, ids, thresholds, pairs in ((GROUP, self.group_ids_, self.group_thresholds_, with_groups),
                                             (CAUSE, self.cause_ids_, self.cause_thresholds_, every)):
            for code in ids:
                truth = np.array([code in (i.groups if kind == GROUP else i.causes) for i, _ in pairs])
                if truth.sum() < 2:
                    continue  # too little evidence: keep the default
                # rounded as predictions report them, and are coded by (see _coding)
                scores = np.round([(g if kind == GROUP else c).get(code, 0.0) for _, (g, c, _) in pairs], 4)
                f1 = [_f1(truth, scores >= t) for t in grid]
                best = max(f1)
                # the held-out texts are few: thresholds within TIE_TOLERANCE of the best F1 count as equally good,
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
        results = self._predict_distinct([t for t, _ in unique], [lang for _, lang in unique], with_causes)
        return [results[i] for i in index]

    def _predict_distinct(self, texts: list[str], languages: list[str], with_causes: bool):
        # groups only: the cause cues are not matched at all
        candidates = self.finder_.find_many(texts, languages, kinds=None if with_causes else (GROUP,))
        top = {c.id: c.top for c in self.codebook.codes}
        groups_of = set(self.group_ids_)
        weights, intercept = self._mention_weights()
        cause_scores = (self._cause_scores(texts, languages, candidates) if with_causes
                        else [{} for _ in texts])
        # (probability, rounded) by features object: the finder shares one among identical contexts
        scored: dict[int, tuple[float, float]] = {}
        results = []
        for found, causes in zip(candidates, cause_scores):
            groups: dict[str, float] = {}
            mentions = []
            for c in found:
                code = top.get(c.code, c.code)
                if code not in groups_of:
                    continue  # a cause cue
                p, rounded = scored.get(id(c.features)) or scored.setdefault(id(c.features), _probability(
                    c.features, weights, intercept))
                if p > groups.get(code, -1.0):
                    groups[code] = p
                mentions.append(Mention(c.code, c.start, c.end, c.text, rounded))
            results.append((groups, causes, mentions))
        return results

    def _mention_weights(self) -> tuple[dict[str, float], float]:
        """The disambiguator as {feature name: coefficient}: a candidate's score is a sum over its few features,
        with no sparse matrix to build (the same logistic function as ``predict_proba``)."""
        cached = self.__dict__.get("_weights_cache")
        if cached is None or cached[0] is not self.disambiguator_:
            coef = self.disambiguator_.coef_[0]
            weights = {name: float(coef[j]) for name, j in self.mention_vectorizer_.vocabulary_.items()}
            cached = (self.disambiguator_, weights, float(self.disambiguator_.intercept_[0]))
            self.__dict__["_weights_cache"] = cached
        return cached[1], cached[2]

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
        self._check_fitted()
        languages = list(languages) if languages is not None else ["en"] * len(texts)
        unique, index = _distinct(texts, languages)
        with _no_cyclic_gc():
            scored = self._predict_distinct([t for t, _ in unique], [lang for _, lang in unique], with_causes)
            codings = self._codings(scored, index)
            del scored  # freed before the collector resumes, so that it does not scan it first
        return codings

    def _codings(self, scored, index: list[int]) -> list[Coding]:
        no_scores = {c: 0.0 for c in self.group_ids_}
        order = {c: i for i, c in enumerate(self.group_ids_)}
        mention_thresholds = {c.id: self.group_thresholds_[c.top] for c in self.codebook.codes
                              if c.top in self.group_thresholds_}
        empty = None  # texts without a mention and without causes all get one shared (frozen) Coding
        codings = []
        for groups, causes, mentions in scored:
            if not groups and not causes:
                empty = empty or self._coding(groups, causes, mentions, no_scores, order, mention_thresholds)
                codings.append(empty)
            else:
                codings.append(self._coding(groups, causes, mentions, no_scores, order, mention_thresholds))
        return [codings[i] for i in index]  # repeated texts share one (frozen) Coding

    def _coding(self, groups: dict, causes: dict, mentions: list, no_scores: dict, order: dict,
                mention_thresholds: dict) -> Coding:
        # a code is coded where its score as reported (rounded) reaches the threshold, as its mentions are: a score
        # of 0.49996 is reported as 0.5 and coded at a threshold of 0.5
        group_scores = dict(no_scores)  # codebook order
        for c, p in groups.items():
            group_scores[c] = round(p, 4)
        thresholds = self.group_thresholds_
        coded = [c for c in groups if group_scores[c] >= thresholds[c]]
        if len(coded) > 1:
            coded.sort(key=order.get)
        if causes:
            cause_scores = {c: round(causes[c], 4) for c in self.cause_ids_ if c in causes}
            coded_causes = tuple(c for c in self.cause_ids_
                                 if c in causes and cause_scores[c] >= self.cause_thresholds_[c])
        else:  # groups only
            cause_scores, coded_causes = {}, ()
        return Coding(groups=tuple(coded), causes=coded_causes,
                      mentions=tuple([m for m in mentions if m.score >= mention_thresholds[m.code]]),
                      group_scores=group_scores, cause_scores=cause_scores)


@contextmanager
def _no_cyclic_gc():
    """Pause Python's cyclic garbage collector while a batch is coded. Coding builds several small objects per
    candidate mention (features, candidates, mentions, codings), and each allocation burst made the collector
    re-scan every live object: about 40% of groups-only time on short texts. Reference counting still frees these
    objects at once; anything cyclic is collected when the collector resumes (its previous state is restored)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _distinct(texts: Sequence[str], languages: Sequence[str]) -> tuple[list[tuple[str, str]], list[int]]:
    """The distinct (text, language) pairs in first-seen order, and each input's position among them."""
    positions: dict[tuple[str, str], int] = {}
    index = [positions.setdefault(pair, len(positions)) for pair in zip(texts, languages)]
    return list(positions), index


def _probability(features: dict, weights: dict[str, float], intercept: float) -> tuple[float, float]:
    """A candidate's probability, capped for a mention a meeting left out ("the group did not discuss
    refugees"), and rounded as mentions report it."""
    p = _score(features, weights, intercept)
    if features.get("left_out_of_discussion"):
        p = min(p, LEFT_OUT_CAP)
    return p, round(p, 4)


def _score(features: dict, weights: dict[str, float], intercept: float) -> float:
    """The disambiguator's probability for one candidate's features (``DictVectorizer`` naming: a string value
    ``v`` of feature ``f`` is the feature ``f=v`` with value 1; unknown features count nothing)."""
    z = intercept
    for name, value in features.items():
        if value.__class__ is str:
            z += weights.get(f"{name}={value}", 0.0)
        elif value:
            z += weights.get(name, 0.0) * value
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # no overflow for a very negative z
    return e / (1.0 + e)


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return 2 * tp / denominator if denominator else 1.0
