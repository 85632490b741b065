"""Intercoder agreement against hand-computed values."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient

from synthesis.config import Config
from synthesis.review import auth
from synthesis.review.agreement import agreement
from synthesis.review.app import SESSION_COOKIE, create_app
from synthesis.review.codebook_edit import add_subcode, codebook_in_use, parse_code_form, save_codebook
from synthesis.store import Store
from synthesis.store.reviews import NewReview, QueueFilter

TOP_LEVEL_CODES = 22  # in the default codebook, which the coded fixture store uses


def _segments(store: Store, n: int) -> list[int]:
    ids = [s for s, _ in store.review_queue(store.model_version_in_use(), "x", QueueFilter(status="all"), 0.0, 1,
                                            limit=n)]
    assert len(ids) == n
    return ids


def _review(store: Store, saves: list[tuple[int, list[tuple[str, list[str]]]]]) -> None:
    """Each segment's reviews, saved in the order given (reviewer, groups)."""
    version = store.model_version_in_use()
    for sid, reviews in saves:
        for name, groups in reviews:
            store.add_reviews([NewReview(sid, name, {"groups": groups, "causes": []})], version)


def _binary_alpha(values: int, ones: int, mismatched_pairs: float) -> float:
    """Nominal alpha of binary data in closed form, 1 - (n - 1) * o01 / (n0 * n1)."""
    return 1 - (values - 1) * mismatched_pairs / ((values - ones) * ones)


def test_kappa_per_code_and_alpha_overall(coded_store_url):
    with Store(coded_store_url) as store:
        ids = _segments(store, 4)
        ana = [["disability"], ["disability"], [], []]
        ben = [["disability"], [], [], ["youth"]]
        _review(store, [(sid, [("ana", a), ("ben", b)]) for sid, a, b in zip(ids, ana, ben)])
        result = agreement(store)
    # alpha over every segment and top-level code of the codebook (4 x 22 units, 176 values), used or not:
    # 4 of the values are ones, 2 units where the two reviewers differ (o01 = 2)
    assert result["alpha"] == pytest.approx(_binary_alpha(2 * 4 * TOP_LEVEL_CODES, 4, 2), abs=1e-4)
    assert result["alpha_codes"] == TOP_LEVEL_CODES
    assert result["segments"] == 4 and result["reviewers"] == ["ana", "ben"] and result["disagreements"] == 2
    assert result["pairs"] == [{"reviewers": ["ana", "ben"], "segments": 4}]
    # disability: ana 1 1 0 0, ben 1 0 0 0 -> po 0.75, pe 0.5*0.25 + 0.5*0.75 = 0.5, kappa 0.5
    disability = result["per_code"]["disability"]
    assert {k: disability[k] for k in ("kappa", "agreement", "n", "positive")} == {
        "kappa": 0.5, "agreement": 0.75, "n": 4, "positive": 2}
    assert disability["pairs"] == [{"reviewers": ["ana", "ben"], "kappa": 0.5, "agreement": 0.75, "n": 4}]
    # youth: ana never, ben once -> kappa 0
    assert result["per_code"]["youth"]["kappa"] == 0.0


def test_kappa_pairs_reviewers_by_name_not_by_who_saved_first(coded_store_url):
    # the bug hunter's set: ana saves first on five segments, ben on three
    w, c, y, d, g, s = "women_girls", "children", "youth", "discrimination", "governance", "socioeconomic"
    plan = [[("ana", [w, d]), ("ben", [w, d])], [("ana", [w]), ("ben", [c])], [("ana", [c, s]), ("ben", [c])],
            [("ana", []), ("ben", [])], [("ana", [w, g]), ("ben", [w, g])], [("ben", [w]), ("ana", [w, c])],
            [("ben", [w]), ("ana", [])], [("ben", [w, y]), ("ana", [y])]]
    with Store(coded_store_url) as store:
        _review(store, list(zip(_segments(store, len(plan)), plan)))
        result = agreement(store)
    # women_girls: ana 1 1 0 0 1 1 0 0, ben 1 0 0 0 1 1 1 1 -> po 5/8, pe 4/8*5/8 + 4/8*3/8 = 0.5, kappa 0.25
    # (first saver against second: 0.333)
    women = result["per_code"][w]
    assert (women["kappa"], women["agreement"], women["n"], women["positive"]) == (0.25, 0.625, 8, 6)
    # children: ana 0 0 1 0 0 1 0 0, ben 0 1 1 0 0 0 0 0 -> po 6/8, pe 2/8*2/8 + 6/8*6/8 = 0.625, kappa 1/3
    # (first saver against second: 0.385)
    assert result["per_code"][c]["kappa"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["per_code"][c]["agreement"] == 0.75


def test_three_reviewers_give_the_pairwise_kappas_weighted_by_shared_segments(coded_store_url):
    w, y = "women_girls", "youth"
    pairs = {("ana", "ben"): ([w, w, None, None], [w, None, None, None]),
             ("ana", "cleo"): ([w, None, w, None], [w, w, None, None]),
             ("ben", "cleo"): ([w, None], [w, None])}
    plan = []
    for turn, ((a, b), (first, second)) in enumerate(pairs.items()):
        for n, (x, z) in enumerate(zip(first, second)):
            saves = [(a, [x] if x else []), (b, [z] if z else [])]
            plan.append(saves[::-1] if (n + turn) % 2 else saves)  # who saves first alternates
    plan.append([("cleo", [y]), ("ana", [y]), ("ben", [y])])  # one segment all three reviewed
    with Store(coded_store_url) as store:
        _review(store, list(zip(_segments(store, len(plan)), plan)))
        result = agreement(store)
    # women_girls per pair, the segment all three reviewed adding an agreed 0 to each:
    # ana-ben 1 1 0 0 0 / 1 0 0 0 0: po 0.8, pe 0.4*0.2 + 0.6*0.8 = 0.56, kappa 0.24/0.44 = 6/11
    # ana-cleo 1 0 1 0 0 / 1 1 0 0 0: po 0.6, pe 0.4*0.4 + 0.6*0.6 = 0.52, kappa 0.08/0.48 = 1/6
    # ben-cleo 1 0 0 / 1 0 0: kappa 1; weighted by the 5, 5 and 3 segments the pairs share
    women = result["per_code"][w]
    assert women["kappa"] == pytest.approx((5 * 6 / 11 + 5 * 1 / 6 + 3 * 1) / 13, abs=1e-4)
    assert result["reviewers"] == ["ana", "ben", "cleo"] and result["segments"] == 11
    assert result["pairs"] == [{"reviewers": ["ana", "ben"], "segments": 5},
                               {"reviewers": ["ana", "cleo"], "segments": 5},
                               {"reviewers": ["ben", "cleo"], "segments": 3}]
    assert [(p["kappa"], p["n"]) for p in women["pairs"]] == [(round(6 / 11, 4), 5), (round(1 / 6, 4), 5), (1.0, 3)]
    assert women["agreement"] == pytest.approx((5 * 0.8 + 5 * 0.6 + 3 * 1) / 13, abs=1e-4)
    assert (women["n"], women["positive"]) == (11, 6)
    # youth: ticked by all three on the one segment they share, by nobody elsewhere: kappa 1 in every pair
    assert result["per_code"][y]["kappa"] == 1.0 and result["per_code"][y]["agreement"] == 1.0


def test_a_sub_code_counts_as_its_parent(coded_store_url):
    config = Config(db_url=coded_store_url)
    with Store(coded_store_url) as store:
        current = codebook_in_use(config, store)
        edited = add_subcode(current, "women_girls", "widows", parse_code_form("Widows"))
        save_codebook(store, current, edited, "root")
        ids = _segments(store, 4)
        ana = [["widows"], ["women_girls"], ["not_a_code_any_more"], []]
        ben = [["women_girls"], ["widows", "women_girls"], [], []]
        _review(store, [(sid, [("ana", a), ("ben", b)]) for sid, a, b in zip(ids, ana, ben)])
        result = agreement(store)  # the store's codebook in use: the edited one
        # women_girls rolled up: ana 1 1 0 0, ben 1 1 0 0; unknown codes are left out, as the reports do
        assert result["per_code"]["women_girls"]["kappa"] == 1.0 and result["alpha"] == 1.0
        assert list(result["per_code"]) == ["women_girls"]
        assert result["alpha_codes"] == TOP_LEVEL_CODES  # the sub-code is no unit of its own
        given = agreement(store, current.codebook)  # a codebook without the sub-code: widows is unknown
    assert given["per_code"]["women_girls"]["kappa"] == 0.5  # ana 0 1 0 0, ben 1 1 0 0
    # the segments still differ as labelled, for the admin to adjudicate
    assert result["disagreements"] == 3


def test_stats_page_names_the_statistics(coded_store_url):
    w = "women_girls"
    plan = [[("ana", [w]), ("ben", [w])], [("ana", []), ("cleo", [w])], [("ben", [w]), ("cleo", [])],
            [("ana", [w]), ("ben", [])]]
    with Store(coded_store_url) as store:
        user = auth.add_user(store, "ana", "reviewer", "correct horse battery")
        store.start_session(user.id, auth.token_sha256("token"), "csrf",
                            dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))
        _review(store, list(zip(_segments(store, len(plan)), plan)))
        with TestClient(create_app(Config(db_url=coded_store_url), store)) as client:
            client.cookies.set(SESSION_COOKIE, "token")
            page = client.get("/stats").text
    text = re.sub(r"\s+", " ", html.unescape(page))
    assert f"each of the codebook's {TOP_LEVEL_CODES} top-level codes, used or not" in text
    assert "a sub-code counts as its parent" in text
    assert "<th>mean pairwise Cohen's kappa</th>" in text
    assert "the mean of the Cohen's kappas of each pair of reviewers over the segments both reviewed, weighted" in text
    assert "ana and ben (2 segments), ana and cleo (1 segment), ben and cleo (1 segment)" in text
    assert "<tr><td>women_girls</td><td>0.000</td>" in text  # ana-ben 0, ana-cleo and ben-cleo 0
    assert '<th scope="row">women_girls</th><td>0.000</td><td>0.000</td><td>0.000</td>' in text


def test_nothing_doubly_reviewed_gives_empty_statistics(coded_store_url):
    with Store(coded_store_url) as store:
        assert agreement(store) == {"segments": 0, "reviewers": [], "pairs": [], "alpha": None,
                                    "alpha_codes": TOP_LEVEL_CODES, "per_code": {}, "disagreements": 0}


def test_agreement_measures_each_reviewers_first_blind_review_not_a_later_copy(coded_store_url):
    # a reviewer sees the other's labels once she has saved her own; saving again with them made the disagreement
    # vanish and agreement perfect
    with Store(coded_store_url) as store:
        ids = _segments(store, 3)
        _review(store, [(sid, [("ana", ["women_girls"]), ("ben", ["children"])]) for sid in ids])
        before = agreement(store)
        _review(store, [(sid, [("ben", ["women_girls"])]) for sid in ids])  # copied after seeing ana's
        after = agreement(store)
    assert before["per_code"]["women_girls"]["agreement"] == 0.0
    assert after["per_code"] == before["per_code"] and after["alpha"] == before["alpha"]
    assert after["disagreements"] == 0  # what is left to adjudicate follows the latest labels
