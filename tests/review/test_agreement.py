"""Intercoder agreement against hand-computed values."""

from __future__ import annotations

import pytest

from synthesis.review.agreement import agreement
from synthesis.store import Store
from synthesis.store.reviews import NewReview, QueueFilter


def test_kappa_per_code_and_alpha_overall(coded_store_url):
    with Store(coded_store_url) as store:
        version = store.model_version_in_use()
        ids = [s for s, _ in store.review_queue(version, "x", QueueFilter(status="all"), 0.0, 1, limit=4)]
        ana = [["disability"], ["disability"], [], []]
        ben = [["disability"], [], [], ["youth"]]
        for sid, a, b in zip(ids, ana, ben):
            store.add_reviews([NewReview(sid, "ana", {"groups": a, "causes": []}),
                               NewReview(sid, "ben", {"groups": b, "causes": []})], version)
        result = agreement(store)
    assert result["segments"] == 4 and result["reviewers"] == ["ana", "ben"] and result["disagreements"] == 2
    # disability: ana 1 1 0 0, ben 1 0 0 0 -> po 0.75, pe 0.5*0.25 + 0.5*0.75 = 0.5, kappa 0.5
    assert result["per_code"]["disability"] == {"kappa": 0.5, "agreement": 0.75, "n": 4, "positive": 2}
    # youth: ana never, ben once -> kappa 0
    assert result["per_code"]["youth"]["kappa"] == 0.0
    # alpha over 8 units (4 segments x 2 codes), binary nominal closed form 1 - (n - 1) * o01 / (n0 * n1):
    # 16 values, 4 of them ones, 2 units where the two reviewers differ (o01 = 2)
    n, ones, mismatched = 16, 4, 2
    expected = 1 - (n - 1) * mismatched / ((n - ones) * ones)
    assert result["alpha"] == pytest.approx(expected, abs=1e-4)


def test_nothing_doubly_reviewed_gives_empty_statistics(coded_store_url):
    with Store(coded_store_url) as store:
        assert agreement(store) == {"segments": 0, "reviewers": [], "alpha": None, "per_code": {},
                                    "disagreements": 0}
