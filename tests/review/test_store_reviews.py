"""Store side of reviews: the queue, review items, append-only saving, stale forms, concurrency, history."""

from __future__ import annotations

import threading

import pytest

from synthesis.store import Store
from synthesis.store.reviews import ADJUDICATION, NewReview, QueueFilter, StaleReviewError, UnknownSegmentError


def _store(url):
    return Store(url)


def test_queue_orders_by_uncertainty_and_filters(coded_store_url):
    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        found = store.review_queue(version, "ana", QueueFilter(status="all"), 0.0, 1, limit=1000)
        unsure = [u for _, u in found]
        assert len(found) > 5 and unsure == sorted(unsure, reverse=True) and unsure[0] > 0
        item = store.review_item(found[0][0], version, "ana")
        assert item.uncertainty == pytest.approx(found[0][1])
        kenya = store.review_queue(version, "ana", QueueFilter(status="all", country="Kenya"), 0.0, 1, limit=1000)
        assert kenya and all(store.review_item(s, version, "ana").country == "Kenya" for s, _ in kenya)
        dialogue = store.review_queue(version, "ana", QueueFilter(status="all", source="dialogue"), 0.0, 1, limit=1000)
        assert {store.review_item(s, version, "ana").document_kind for s, _ in dialogue} == {"dialogue"}
        assert len(dialogue) + len(store.review_queue(version, "ana", QueueFilter(status="all", source="consultation"),
                                                      0.0, 1, limit=1000)) == len(found)
        after = store.review_queue(version, "ana", QueueFilter(status="all"), 0.0, 1,
                                   after=(found[0][1], found[0][0]), limit=1000)
        assert after == found[1:]


def test_reviews_are_appended_with_previous_labels_and_win_in_effective_labels(coded_store_url):
    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        segment_id = store.review_queue(version, "ana", QueueFilter(), 0.0, 1)[0][0]
        item = store.review_item(segment_id, version, "ana")
        labels = {"groups": ["disability"], "causes": ["geography"], "mentions": []}
        store.add_reviews([NewReview(segment_id, "ana", labels, "memo", item.base)], version)
        again = store.review_item(segment_id, version, "ana")
        assert again.current == labels and again.reviewers == ("ana",)
        store.add_reviews([NewReview(segment_id, "ben", {"groups": [], "causes": []}, "", again.base)], version)
        history = store.review_history(segment_id)
        assert [r.reviewer for r in history] == ["ana", "ben"]
        # each form started from the model's labels: ben's never showed ana's (double review is blind)
        assert [r.previous["from"][:6] for r in history] == ["model ", "model "]
        assert history[1].previous["groups"] == item.current["groups"]
        assert store.effective_labels()[segment_id].groups == () and store.effective_labels()[segment_id].reviewed
        # ben's review does not change what ana's form showed (her own labels): double review is blind
        store.add_reviews([NewReview(segment_id, "ana", labels, "", again.base)], version)
        # but her own later review (another tab) does, and so does an adjudication
        with pytest.raises(StaleReviewError, match="you saved another review of it since the form was loaded"):
            store.add_reviews([NewReview(segment_id, "ana", labels, "", again.base)], version)
        loaded = store.review_item(segment_id, version, "ana").base
        store.add_reviews([NewReview(segment_id, "cleo", labels, "", None, ADJUDICATION)], version)
        with pytest.raises(StaleReviewError, match="an admin adjudicated its labels since the form was loaded"):
            store.add_reviews([NewReview(segment_id, "ana", labels, "", loaded)], version)
        assert len(store.review_history(segment_id)) == 4
        with pytest.raises(UnknownSegmentError):
            store.add_reviews([NewReview(10**9, "ana", labels)], version)


def test_a_form_loaded_before_its_segment_got_another_text_is_stale(coded_store_url):
    # SQLite gives a re-ingested source's old segment ids to its new segments: the form's id then names another text
    from sqlalchemy import update

    from synthesis.store.schema import segments

    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        segment_id = store.review_queue(version, "ana", QueueFilter(), 0.0, 1)[0][0]
        loaded = store.review_item(segment_id, version, "ana").base
        with store.engine.begin() as connection:
            connection.execute(update(segments).where(segments.c.id == segment_id)
                               .values(text="The mayor opened the dialogue."))
        labels = {"groups": ["disability"], "causes": []}
        with pytest.raises(StaleReviewError, match="its text changed since the form was loaded"):
            store.add_reviews([NewReview(segment_id, "ana", labels, "", loaded)], version)
        earlier = loaded.rpartition("~t")[0]  # a sheet exported by an earlier version has no text part
        store.add_reviews([NewReview(segment_id, "ana", labels, "", earlier)], version)
        assert [r.labels["groups"] for r in store.review_history(segment_id)] == [["disability"]]


def test_a_batch_of_reviews_is_all_or_nothing(coded_store_url):
    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        (first, _), (second, _) = store.review_queue(version, "ana", QueueFilter(), 0.0, 1, limit=2)
        good = NewReview(first, "ana", {"groups": [], "causes": []}, base=store.review_item(first, version, "a").base)
        stale = NewReview(second, "ana", {"groups": [], "causes": []}, base="999:x")
        with pytest.raises(StaleReviewError, match="entry 2"):
            store.add_reviews([good, stale], version)
        assert store.review_history(first) == []


def test_two_reviewers_saving_at_once_lose_nothing(coded_store_url):
    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        ids = [s for s, _ in store.review_queue(version, "x", QueueFilter(status="all"), 0.0, 1, limit=20)]
    errors = []
    stores = {name: _store(coded_store_url) for name in ("ana", "ben")}  # an engine each, as two app workers
    start = threading.Barrier(2)

    def reviewer(name: str) -> None:
        start.wait()
        try:
            for segment_id in ids:
                stores[name].add_reviews([NewReview(segment_id, name, {"groups": [name], "causes": []})], version)
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=reviewer, args=(name,)) for name in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for own in stores.values():
        own.close()
    assert errors == []
    with _store(coded_store_url) as store:
        for segment_id in ids:
            assert sorted(r.reviewer for r in store.review_history(segment_id)) == ["ana", "ben"]


def test_double_review_share_keeps_items_in_the_queue_for_a_second_reviewer(coded_store_url):
    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        everything = store.review_queue(version, "ana", QueueFilter(), 1.0, 1, limit=1000)
        segment_id = everything[0][0]
        store.add_reviews([NewReview(segment_id, "ana", {"groups": [], "causes": []})], version)
        assert segment_id not in [s for s, _ in store.review_queue(version, "ana", QueueFilter(), 1.0, 1, limit=1000)]
        assert segment_id in [s for s, _ in store.review_queue(version, "ben", QueueFilter(), 1.0, 1, limit=1000)]
        assert segment_id not in [s for s, _ in store.review_queue(version, "ben", QueueFilter(), 0.0, 1, limit=1000)]
        store.add_reviews([NewReview(segment_id, "ben", {"groups": ["disability"], "causes": []})], version)
        assert segment_id not in [s for s, _ in store.review_queue(version, "cy", QueueFilter(), 1.0, 1, limit=1000)]
        (double,) = store.double_reviewed()
        assert double.labels == {"ana": {"groups": [], "causes": []}, "ben": {"groups": ["disability"], "causes": []}}
        texts = store.reviewed_texts()
        assert len(texts) == 1 and texts[0].groups == ("disability",)


def test_queue_key_is_the_uncertainty_under_the_versions_thresholds_and_is_filled_in_for_older_stores(
        coded_store_url):
    from sqlalchemy import delete, select

    from synthesis.store.schema import model_thresholds, predictions, uncertainty
    from synthesis.uncertainty import uncertainty as measure

    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        found = store.review_queue(version, "ana", QueueFilter(status="all"), 0.0, 1, limit=1000)
        with store.engine.connect() as connection:
            (kept,) = connection.execute(select(model_thresholds.c.thresholds)
                                         .where(model_thresholds.c.model_version == version)).scalars()
            segment_id, value = found[0]
            rows = connection.execute(select(predictions.c.kind, predictions.c.code, predictions.c.score).where(
                predictions.c.segment_id == segment_id, predictions.c.model_version == version)).all()
        assert kept["cause"] and kept["group"]
        scores = {kind: {code: score for k, code, score in rows if k == kind} for kind in ("group", "cause")}
        assert value == pytest.approx(measure(scores["group"], scores["cause"], kept), abs=0.02)
        with store.engine.begin() as connection:  # as a store coded before migration 0005 was
            connection.execute(delete(uncertainty))
            connection.execute(delete(model_thresholds))
        assert all(u == 0 for _, u in store.review_queue(version, "ana", QueueFilter(status="all"), 0.0, 1,
                                                        limit=1000))
        store.record_thresholds(version, kept)
        again = store.review_queue(version, "ana", QueueFilter(status="all"), 0.0, 1, limit=1000)
        assert [s for s, _ in again][:3] == [s for s, _ in found][:3]


def test_a_review_goes_on_counting_after_its_source_is_ingested_again(tmp_path):
    # before, re-ingesting a changed file unlinked its reviews: the reports counted the model's labels again
    from conftest import FIXTURES
    from synthesis.config import Config
    from synthesis.ingest import ingest_paths

    source = tmp_path / "dialogue.txt"
    source.write_text((FIXTURES / "dialogue.txt").read_text(encoding="utf-8"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'project.sqlite'}"
    config = Config(db_url=url)
    with _store(url) as store:
        ingest_paths([source], store, config)
        unit = next(s for s in store.iter_segments() if "Dalit women" in s.text)
        labels = {"groups": ["caste_descent"], "causes": ["discrimination"], "mentions": []}
        store.add_reviews([NewReview(unit.id, "ana", labels)], None)
        source.write_text(source.read_text(encoding="utf-8") + "\nA closing paragraph was added.\n", encoding="utf-8")
        ingest_paths([source], store, config)
        assert any("closing paragraph" in s.text for s in store.iter_segments())  # the source was replaced
        again = next(s for s in store.iter_segments() if s.text == unit.text)
        effective = store.effective_labels()
        assert effective[again.id].reviewed and effective[again.id].groups == ("caste_descent",)
        assert [r.reviewer for r in store.review_history(again.id)] == ["ana"]


def test_the_thresholds_are_recorded_under_the_version_that_codes(coded_store_url, small_model, tmp_path):
    # a model whose version gains a suffix on loading (+codebook-..., +r...) had its thresholds recorded under the
    # folder's version only: the queue then measured uncertainty against default thresholds
    import shutil

    from sqlalchemy import select

    from synthesis.coding import code_store
    from synthesis.config import Config
    from synthesis.store.schema import model_thresholds

    model = tmp_path / "model"
    shutil.copytree(small_model, model)
    with open(model / "codebook.yaml", "a", encoding="utf-8") as handle:
        handle.write("# edited after training\n")
    config = Config(model_dir=model, cache_dir=small_model.parent / "cache", real_eval=tmp_path / "none.jsonl")
    with _store(coded_store_url) as store:
        run_id = store.start_run("run", {})
        code_store(config, store, run_id)
        version = store.model_version_in_use()
        with store.engine.connect() as connection:
            recorded = connection.execute(select(model_thresholds.c.model_version)).scalars().all()
    assert "+codebook-" in version and version in recorded


def test_a_form_stays_valid_through_a_retraining_that_codes_its_segment_as_before(coded_store_url):
    # the model version was part of the form's token: every open form was refused after any retraining
    from synthesis.records import Coding
    from synthesis.store.reviews import LABELS_CHANGED

    with _store(coded_store_url) as store:
        version = store.model_version_in_use()
        first, second = [s for s, _ in store.review_queue(version, "ana", QueueFilter(), 0.0, 1, limit=2)]
        bases = {s: store.review_item(s, version, "ana").base for s in (first, second)}
        units = {u.id: u for u in store.iter_segments() if u.id in bases}
        before = {s: store.review_item(s, version, "ana").current for s in bases}
        retrained = [(units[first], Coding(tuple(before[first]["groups"]), tuple(before[first]["causes"]), (), {}, {})),
                     (units[second], Coding(tuple(before[second]["groups"]) + ("lgbtqi",), (), (), {}, {}))]
        run_id = store.start_run("retrain", {})
        store.write_predictions(run_id, "v-retrained", retrained)
        store.record_coding(run_id, "v-retrained")
        assert store.stale_reason(first, bases[first], "ana", "v-retrained") is None
        assert store.stale_reason(second, bases[second], "ana", "v-retrained") == LABELS_CHANGED
        store.add_reviews([NewReview(first, "ana", {"groups": [], "causes": []}, "", bases[first])], "v-retrained")
        with pytest.raises(StaleReviewError, match="its labels changed"):
            store.add_reviews([NewReview(second, "ana", {"groups": [], "causes": []}, "", bases[second])], "v-retrained")
        # a token of an earlier version (the model version in place of its labels) is read as before
        legacy = f"0:{version}"
        assert store.stale_reason(second, legacy, "ana", version) is None
        assert store.stale_reason(second, legacy, "ana", "v-retrained") == LABELS_CHANGED
