"""Intercoder agreement on doubly-reviewed segments, and the disagreements left to adjudicate.

Agreement is measured on the top-level codes the reports count: a sub-code counts as its parent, and a code the
codebook in use does not know (from an older codebook) is left out. Per code: Cohen's kappa (scikit-learn) of each
pair of reviewers over the segments both reviewed, summarised as their mean weighted by those segments (with one pair,
that pair's Cohen's kappa). Overall: Krippendorff's alpha (the ``krippendorff`` package, nominal) over every doubly
reviewed segment and every top-level code of the codebook, all reviewers together."""

from __future__ import annotations

import math
import threading
import warnings
from itertools import combinations
from statistics import fmean

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from synthesis.coding.codebook import Codebook
from synthesis.config import Config
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.store import Store
from synthesis.store.reviews import DoubleReviewed

_parsed: dict[tuple[str, int], Codebook] = {}  # the last codebook read by store and version: parsing takes ~1 s
_parsing = threading.Lock()


def _codes(labels: dict) -> set[str]:
    return set(labels.get("groups", [])) | set(labels.get("causes", []))


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def disagreements(double: list[DoubleReviewed]) -> list[DoubleReviewed]:
    """Doubly-reviewed segments whose reviewers chose different codes and that no admin has adjudicated (sub-codes
    as chosen: the labels an adjudication settles, which retraining reads)."""
    return [d for d in double if not d.adjudicated and len({frozenset(_codes(v)) for v in d.labels.values()}) > 1]


def agreement(store: Store, codebook: Codebook | None = None) -> dict:
    """Agreement on the store's doubly-reviewed segments (``agreement_of``). ``codebook``: the codebook in use
    (``codebook_in_use(config, store).codebook``); without it, the latest version edited in the review app, else the
    default codebook file, as the store alone cannot tell a configured file."""
    return agreement_of(store.double_reviewed(), codebook or _codebook_in_use(store))


def agreement_of(double: list[DoubleReviewed], codebook: Codebook) -> dict:
    """``{"segments": n doubly reviewed, "reviewers": [...], "pairs": [{"reviewers": [a, b], "segments": n both
    reviewed}], "alpha": Krippendorff's alpha, "alpha_codes": n top-level codes it covers, "per_code": {code:
    {"kappa", "agreement", "n", "positive", "pairs": [{"reviewers", "kappa", "agreement", "n"}]}}, "disagreements":
    n}``, on top-level codes (a sub-code counts as its parent). Per code, for each pair of reviewers, Cohen's kappa
    and raw agreement over the segments both reviewed; ``kappa`` is the mean of the pairs' kappas weighted by the
    segments each pair shares (every pairwise comparison counts once, so a pair that shares two segments weighs little;
    pairs whose kappa is undefined, as when neither used the code, left out), ``agreement`` the pairs' raw agreement
    weighted alike (the share of all pairwise comparisons that agree), ``n`` the segments compared and ``positive``
    those where a reviewer ticked the code; ``per_code`` lists the codes some reviewer used. Alpha (nominal) has one
    unit per segment and top-level code of the codebook, used or not: every reviewer decided every code, so the units
    do not depend on which were ticked. A statistic that is undefined is None."""
    top = {c.id: c.top for c in codebook.codes}
    # each reviewer's first review, saved blind: a later one may copy what she saw of the others' afterwards
    coded = [{name: {top[c] for c in _codes(labels) if c in top} for name, labels in d.blind.items()}
             for d in double if len(d.blind) > 1]
    reviewers = sorted({name for d in coded for name in d})
    pairs = {(a, b): [d for d in coded if a in d and b in d] for a, b in combinations(reviewers, 2)}
    pairs = {pair: shared for pair, shared in pairs.items() if shared}
    used = sorted(set().union(*(codes for d in coded for codes in d.values())))
    per_code = {}
    for code in used:
        by_pair = [_pair(code, a, b, shared) for (a, b), shared in pairs.items()]
        defined = [p for p in by_pair if p["kappa"] is not None]
        per_code[code] = {"kappa": _finite(_weighted(defined, "kappa")) if defined else None,
                          "agreement": round(_weighted(by_pair, "agreement"), 4), "n": len(coded),
                          "positive": sum(any(code in codes for codes in d.values()) for d in coded),
                          "pairs": [{**p, "kappa": _finite(p["kappa"]), "agreement": round(p["agreement"], 4)}
                                    for p in by_pair]}
    units = [c.id for c in codebook.codes if c.parent is None]
    return {"segments": len(double), "reviewers": reviewers,
            "pairs": [{"reviewers": [a, b], "segments": len(shared)} for (a, b), shared in pairs.items()],
            "alpha": _alpha(coded, reviewers, units) if coded else None, "alpha_codes": len(units),
            "per_code": per_code, "disagreements": len(disagreements(double))}


def _weighted(pairs: list[dict], key: str) -> float:
    return fmean([p[key] for p in pairs], weights=[p["n"] for p in pairs])


def _pair(code: str, a: str, b: str, shared: list[dict[str, set[str]]]) -> dict:
    """Cohen's kappa (None when undefined) and raw agreement of reviewers ``a`` and ``b`` on ``code``."""
    first, second = [int(code in d[a]) for d in shared], [int(code in d[b]) for d in shared]
    kappa = None
    if len(set(first) | set(second)) > 1:  # one value throughout: kappa is undefined
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            kappa = cohen_kappa_score(first, second)
    return {"reviewers": [a, b], "kappa": None if kappa is None or math.isnan(kappa) else float(kappa),
            "agreement": sum(x == y for x, y in zip(first, second)) / len(shared), "n": len(shared)}


def _alpha(coded: list[dict[str, set[str]]], reviewers: list[str], codes: list[str]) -> float | None:
    data = np.full((len(reviewers), len(coded) * len(codes)), np.nan)
    for column, (d, code) in enumerate((d, c) for d in coded for c in codes):
        for name, chosen in d.items():
            data[reviewers.index(name), column] = float(code in chosen)
    try:
        return _finite(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # a single value throughout: alpha is undefined
        return None


def _codebook_in_use(store: Store) -> Codebook:
    """The latest version edited in the app, else the default file; read again when a newer version is saved, like
    the app's own copy (``app.current_codebook``)."""
    key = (store.url, store.latest_codebook_id())
    with _parsing:
        if key not in _parsed:
            codebook = codebook_in_use(Config(), store).codebook
            _parsed.clear()
            _parsed[key] = codebook
        return _parsed[key]
