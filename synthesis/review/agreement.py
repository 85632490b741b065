"""Intercoder agreement on doubly-reviewed segments: Cohen's kappa per code (scikit-learn) and Krippendorff's
alpha over all codes and reviewers (the ``krippendorff`` package), and the disagreements left to adjudicate."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from synthesis.store import Store
from synthesis.store.reviews import DoubleReviewed


def _codes(labels: dict) -> set[str]:
    return set(labels.get("groups", [])) | set(labels.get("causes", []))


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def disagreements(double: list[DoubleReviewed]) -> list[DoubleReviewed]:
    """Doubly-reviewed segments whose reviewers chose different codes and that no admin has adjudicated."""
    return [d for d in double if not d.adjudicated and len({frozenset(_codes(v)) for v in d.labels.values()}) > 1]


def agreement(store: Store) -> dict:
    """``{"segments": n doubly reviewed, "reviewers": [...], "alpha": overall Krippendorff's alpha (nominal, one
    unit per segment and code), "per_code": {code: {"kappa", "agreement", "n", "positive"}}, "disagreements": n}``.
    Kappa compares the first two reviewers of each segment; a statistic that is undefined (e.g. nobody used the
    code) is None."""
    double = store.double_reviewed()
    reviewers = sorted({name for d in double for name in d.labels})
    codes = sorted(set().union(*(_codes(v) for d in double for v in d.labels.values())) if double else set())
    per_code = {}
    for code in codes:
        pairs = [[code in _codes(v) for v in list(d.labels.values())[:2]] for d in double]
        first, second = [int(a) for a, _ in pairs], [int(b) for _, b in pairs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            kappa = cohen_kappa_score(first, second) if len(set(first) | set(second)) > 1 else float("nan")
        per_code[code] = {"kappa": _finite(kappa), "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4),
                          "n": len(pairs), "positive": sum(a or b for a, b in pairs)}
    alpha = None
    if double and codes:
        data = np.full((len(reviewers), len(double) * len(codes)), np.nan)
        for column, (d, code) in enumerate((d, c) for d in double for c in codes):
            for name, labels in d.labels.items():
                data[reviewers.index(name), column] = float(code in _codes(labels))
        try:
            alpha = _finite(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
        except ValueError:  # a single value throughout: alpha is undefined
            alpha = None
    return {"segments": len(double), "reviewers": reviewers, "alpha": alpha, "per_code": per_code,
            "disagreements": len(disagreements(double))}
