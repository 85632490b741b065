"""The review app through FastAPI's test client: logging in, the queue, saving reviews, and every refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from synthesis.config import Config
from synthesis.review import auth
from synthesis.review.app import SESSION_COOKIE, create_app
from synthesis.store import Store, ThemeRow
from synthesis.store.reviews import QueueFilter

PASSWORD = "correct horse battery"


@pytest.fixture
def app_store(coded_store_url):
    store = Store(coded_store_url)
    auth.add_user(store, "ana", "reviewer", PASSWORD)
    auth.add_user(store, "ben", "reviewer", PASSWORD)
    auth.add_user(store, "root", "admin", PASSWORD)
    yield store
    store.close()


@pytest.fixture
def client(app_store):
    config = Config(db_url=app_store.url, login_attempts=3, max_request_kb=8)
    with TestClient(create_app(config, app_store)) as test_client:
        yield test_client


def login(client: TestClient, name: str = "ana", password: str = PASSWORD):
    client.cookies.clear()
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf": token}, follow_redirects=False)


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_text).group(1)


def form_of(page_text: str) -> dict:
    return {"csrf": csrf_of(page_text), "base": re.search(r'name="base" value="([^"]+)"', page_text).group(1)}


def test_login_sets_a_strict_httponly_cookie_and_opens_the_queue(client):
    response = login(client)
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/queue")
    assert page.status_code == 200 and 'id="review-form"' in page.text and "Who is left behind" in page.text


def test_wrong_passwords_are_refused_then_rate_limited_for_that_account_only(client):
    # three typos by one reviewer (login_attempts=3) locked every account on the address, the admin's included
    assert login(client, password="wrong password").status_code == 401
    assert "Wrong name or password." in login(client, password="wrong again").text
    assert login(client, name="nobody").status_code == 401
    assert login(client, password="wrong thrice").status_code == 401
    limited = login(client)  # right password, but too many failures for this name from this client
    assert limited.status_code == 429 and "Too many failed logins" in limited.text
    assert int(limited.headers["retry-after"]) > 0
    assert login(client, name=" Ana").status_code == 429  # the same account, however it is typed
    for name in ("ben", "root"):  # the rest of the team, on the same address
        assert login(client, name).status_code == 303


def test_a_team_on_one_address_is_not_locked_out_by_typos_but_many_names_tried_from_it_are():
    limiter = auth.LoginLimiter(5, 600)

    def fail(name: str, times: int = 1, address: str = "10.0.0.1") -> None:
        for _ in range(times):
            limiter.failed(limiter.keys(name, address))

    fail("ben", 5)
    assert limiter.retry_after(limiter.keys("ben", "10.0.0.1")) > 0
    assert limiter.retry_after(limiter.keys("ben", "10.0.0.2")) == 0  # his own account, from another machine
    for member in range(9):  # nine more people behind the same proxy, four typos each
        fail(f"member{member}", 4)
    assert limiter.retry_after(limiter.keys("ana", "10.0.0.1")) == 0
    for guess in range(100):  # one password tried on many names (password spraying)
        fail(f"guess{guess}")
    assert limiter.retry_after(limiter.keys("ana", "10.0.0.1")) > 0
    assert limiter.retry_after(limiter.keys("ana", "10.0.0.2")) == 0


def test_one_accounts_password_guessed_from_many_addresses_is_limited_soon():
    # from an AI review: 100 guesses a window got through, spread over 40 addresses (before this session, 5)
    limiter = auth.LoginLimiter(5, 600)
    accepted = 0
    for address in range(40):
        for _ in range(10):
            keys = limiter.keys("ana", f"10.0.1.{address}")
            if limiter.retry_after(keys) == 0:
                accepted += 1
                limiter.failed(keys)
    assert accepted == 15


def test_without_a_session_pages_redirect_and_actions_are_401(client, app_store):
    assert client.get("/queue", follow_redirects=False).headers["location"] == "/login"
    assert client.post("/segments/1/review", data={"base": "0:x"}).status_code == 401
    user = app_store.user_credentials("ana")[0]
    app_store.start_session(user.id, auth.token_sha256("old"), "c",
                            dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))
    client.cookies.set(SESSION_COOKIE, "old")
    expired = client.get("/queue", headers={"accept": "application/json"})
    assert expired.status_code == 401
    assert expired.json() == {"error": {"status": 401,
                                        "message": "Not logged in, or the session has expired: log in again."}}


def test_saving_a_review_appends_it_and_shows_the_next_item(client, app_store):
    login(client)
    page = client.get("/queue")
    segment_id = int(re.search(r'data-segment="(\d+)"', page.text).group(1))
    data = {**form_of(page.text), "code": ["disability", "geography"], "memo": "checked"}
    saved = client.post(f"/segments/{segment_id}/review", data=data, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and f"Saved your review of segment {segment_id}." in saved.text
    next_id = int(re.search(r'data-segment="(\d+)"', saved.text).group(1))
    assert next_id != segment_id and saved.headers["hx-push-url"] == f"/segments/{next_id}"
    (review,) = app_store.review_history(segment_id)
    assert (review.reviewer, review.labels["groups"], review.labels["causes"], review.memo) == \
        ("ana", ["disability"], ["geography"], "checked")
    again = client.get(f"/segments/{segment_id}")
    assert re.search(r'value="disability" data-key="\d+" checked', again.text)
    history = client.get(f"/segments/{segment_id}/history")
    assert "checked" in history.text and "disability" in history.text


def test_a_stale_form_is_409_and_stores_nothing(client, app_store):
    login(client)
    page = client.get("/queue")
    segment_id = int(re.search(r'data-segment="(\d+)"', page.text).group(1))
    data = form_of(page.text)
    assert client.post(f"/segments/{segment_id}/review", data=data, follow_redirects=False).status_code == 303
    stale = client.post(f"/segments/{segment_id}/review", data={**data, "code": ["disability"]})
    assert stale.status_code == 409 and "you saved another review of it since the form was loaded" in stale.text
    assert len(app_store.review_history(segment_id)) == 1


def test_bad_forms_are_refused(client, app_store):
    login(client)
    page = client.get("/queue")
    segment_id = int(re.search(r'data-segment="(\d+)"', page.text).group(1))
    data = form_of(page.text)
    assert client.post(f"/segments/{segment_id}/review", data={**data, "csrf": "forged"}).status_code == 403
    assert client.post(f"/segments/{segment_id}/review", data={**data, "code": ["nope"]}).status_code == 422
    bad_span = client.post(f"/segments/{segment_id}/review", data={**data, "mention": ["disability:0:99999"]})
    assert bad_span.status_code == 422 and "inside the text" in bad_span.text
    assert client.post(f"/segments/{segment_id}/review", data={**data, "adjudicate": "1"}).status_code == 403
    huge = client.post(f"/segments/{segment_id}/review", data={**data, "memo": "x" * 20000})
    assert huge.status_code == 413
    assert client.get("/queue?status=everything").status_code == 422
    assert client.get("/segments/999999").status_code == 404
    assert app_store.review_history(segment_id) == []


def test_reviewers_cannot_call_admin_actions(client):
    login(client)
    csrf = csrf_of(client.get("/queue").text)
    assert client.get("/admin").status_code == 403
    assert client.post("/themes/1/rename", data={"csrf": csrf, "label": "x"}).status_code == 403
    assert client.post("/admin/retrain", data={"csrf": csrf}).status_code == 403


def test_segment_text_is_escaped(client, app_store, tmp_path):
    from synthesis.ingest import ingest_paths

    hostile = tmp_path / "hostile.txt"
    hostile.write_text("A heading\n=========\n\n<script>alert('x')</script> Older women cannot reach the clinic.\n")
    ingest_paths([hostile], app_store, Config(db_url=app_store.url))
    segment_id = next(s.id for s in app_store.iter_segments() if "<script>" in s.text)
    login(client)
    page = client.get(f"/segments/{segment_id}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text and "<script>alert" not in page.text


def test_admin_adjudicates_disagreements_and_sees_agreement(client, app_store):
    version = app_store.model_version_in_use()
    segment_id = app_store.review_queue(version, "ana", QueueFilter(), 0.0, 1)[0][0]
    for name, groups in (("ana", ["disability"]), ("ben", ["older_people"])):
        login(client, name)
        page = client.get(f"/segments/{segment_id}")
        client.post(f"/segments/{segment_id}/review", data={**form_of(page.text), "code": groups})
    login(client, "root")
    listed = client.get("/disagreements")
    assert listed.status_code == 200 and "older_people" in listed.text and f"/segments/{segment_id}" in listed.text
    stats = client.get("/stats")
    assert "1 segments reviewed by two or more reviewers" in stats.text
    page = client.get(f"/segments/{segment_id}?status=all")
    assert 'name="adjudicate"' in page.text
    client.post(f"/segments/{segment_id}/review?status=all",
                data={**form_of(page.text), "code": ["disability"], "adjudicate": "1"})
    assert [r.kind for r in app_store.review_history(segment_id)] == ["review", "review", "adjudication"]
    assert "No open disagreements." in client.get("/disagreements").text
    assert app_store.effective_labels()[segment_id].groups == ("disability",)


def test_admin_renames_and_merges_themes(client, app_store):
    run_id = app_store.start_run("themes", {})
    ids = [s.id for s in app_store.iter_segments()][:4]
    rows = [ThemeRow(n, f"theme {n}", "generated", ("water",), 2, "", {}, [0.0, 1.0], tuple(ids[2 * n:2 * n + 1]))
            for n in range(2)]
    app_store.replace_themes(run_id, rows, [(sid, i // 2, 0.9) for i, sid in enumerate(ids)])
    login(client, "root")
    page = client.get("/themes")
    first, second = (t.id for t in app_store.themes())
    csrf = csrf_of(page.text)
    assert client.post(f"/themes/{first}/rename", data={"csrf": csrf, "label": "Water <access>"},
                       follow_redirects=False).status_code == 303
    assert "Water &lt;access&gt;" in client.get("/themes").text
    client.post("/themes/merge", data={"csrf": csrf, "keep": first, "other": second})
    (theme,) = app_store.themes()
    assert theme.label == "Water <access>" and theme.size == 4
    assert client.post("/themes/merge", data={"csrf": csrf, "keep": first, "other": 12345}).status_code == 404


def test_logout_ends_the_session(client):
    login(client)
    csrf = csrf_of(client.get("/queue").text)
    token = client.cookies.get(SESSION_COOKIE)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    client.cookies.set(SESSION_COOKIE, token)
    assert client.post("/segments/1/review", data={"base": "0:"}).status_code == 401


def test_every_error_is_the_apps_one_line_message_not_a_framework_page(client):
    # routing's 404 and 405 and FastAPI's request validation answered {"detail": ...} JSON, echoing the input
    login(client)
    for response, status in ((client.get("/nope"), 404), (client.delete("/queue"), 405),
                             (client.get("/segments/abc"), 422), (client.get("/queue?theme=²"), 422)):
        assert response.status_code == status and "text/html" in response.headers["content-type"], response.text
        assert "<strong>" in response.text and '"detail"' not in response.text
    api = client.get("/segments/abc", headers={"accept": "application/json"})
    assert api.json() == {"error": {"status": 422, "message": "segment_id: input should be a valid integer, unable "
                                                              "to parse string as an integer"}}


def test_login_comes_back_to_the_page_it_was_asked_from_on_this_site_only(client, app_store):
    page = client.get("/segments/5?country=Kenya", follow_redirects=False)
    assert page.headers["location"] == "/login?next=%2Fsegments%2F5%3Fcountry%3DKenya"
    for asked, landed in (("/segments/5?country=Kenya", "/segments/5?country=Kenya"),
                          ("//evil.example/x", "/queue"), ("https://evil.example/", "/queue")):
        client.cookies.clear()
        form = client.get("/login", params={"next": asked})
        data = {"name": "ana", "password": PASSWORD, "csrf": csrf_of(form.text), "next": asked}
        assert client.post("/login", data=data, follow_redirects=False).headers["location"] == landed


def test_two_login_pages_open_at_once_both_work(client):
    # each login page replaced the CSRF cookie, so the first tab's login was refused with 403
    client.cookies.clear()
    first, second = client.get("/login"), client.get("/login")
    data = {"name": "ana", "password": PASSWORD, "csrf": csrf_of(first.text)}
    assert csrf_of(first.text) == csrf_of(second.text)
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def test_the_end_reached_by_skipping_says_skipped_items_are_left(client, app_store):
    login(client)
    flt = "?source=consultation"
    shown, page = [], client.get(f"/queue{flt}")
    while 'id="review-form"' in page.text and len(shown) < 300:
        shown.append(int(re.search(r'data-segment="(\d+)"', page.text).group(1)))
        page = client.get(f"/segments/{shown[-1]}/next{flt}", headers={"HX-Request": "true"})
    assert len(shown) > 1 and len(set(shown)) == len(shown)
    assert "Items you skipped are\n  still to review" in page.text and "Nothing left" not in page.text
    assert client.get(f"/queue{flt}").text.count(f'data-segment="{shown[0]}"') == 1


def test_two_reviewers_opening_the_queue_at_once_are_given_different_items(app_store):
    # both were given the head of the queue: the second to save was refused, or saved over the first's labels
    def first_item(client, name):
        login(client, name)
        return int(re.search(r'data-segment="(\d+)"', client.get("/queue").text).group(1))

    for minutes, same in ((15, False), (0, True)):
        with TestClient(create_app(Config(db_url=app_store.url, claim_minutes=minutes), app_store)) as ana, \
                TestClient(ana.app) as ben:
            shown = first_item(ana, "ana"), first_item(ben, "ben")
            assert (shown[0] == shown[1]) is same, shown
            if not same:  # skipped, it goes to the next reviewer who asks
                ana.get(f"/segments/{shown[0]}/next")
                assert first_item(TestClient(ana.app), "root") == shown[0]


def _save(client: TestClient, name: str, segment_id: int, codes: list[str], memo: str = "", query: str = "",
          **extra) -> None:
    login(client, name)
    page = client.get(f"/segments/{segment_id}{query}")
    saved = client.post(f"/segments/{segment_id}/review{query}", follow_redirects=False,
                        data={**form_of(page.text), "code": codes, "memo": memo, **extra})
    assert saved.status_code == 303, saved.text


def _first(app_store, **flt) -> int:
    return app_store.review_queue(app_store.model_version_in_use(), "x", QueueFilter(**flt), 0.0, 1)[0][0]


def test_an_adjudication_is_shown_on_the_segment_and_stays_final_over_a_later_review(client, app_store):
    # a reviewer re-opening an adjudicated segment saw only her own labels; saving them, even for a memo, made them
    # the labels of the reports and of retraining again
    segment_id = _first(app_store)
    _save(client, "ana", segment_id, ["disability"])
    _save(client, "ben", segment_id, ["older_people"])
    _save(client, "root", segment_id, ["youth"], query="?status=all", adjudicate="1")
    login(client, "ana")
    page = client.get(f"/segments/{segment_id}?status=mine")
    notice = re.sub(r"\s+", " ", re.search(r'<p class="message adjudicated" id="adjudicated">(.*?)</p>', page.text,
                                           re.S).group(1))
    assert "Adjudicated by root (" in notice and "groups youth; causes none." in notice
    assert "a review saved here is kept on record but does not change them" in notice
    assert re.search(r'value="disability" data-key="\d+" checked', page.text)  # her own labels, as she left them
    _save(client, "ana", segment_id, ["disability"], memo="just a note", query="?status=mine")
    assert app_store.effective_labels()[segment_id].groups == ("youth",)
    login(client, "root")  # nor is the segment back among the disagreements to adjudicate
    assert f"/segments/{segment_id}" not in client.get("/disagreements").text
    auth.add_user(app_store, "cy", "reviewer", PASSWORD)  # one who has not reviewed it: told, but blind
    login(client, "cy")
    page = client.get(f"/segments/{segment_id}?status=all").text
    assert "An admin has adjudicated this segment's labels. These labels count" in page
    assert "Adjudicated by" not in page and "groups youth" not in page
    text = app_store.review_item(segment_id, None, "ana").text
    assert [t.groups for t in app_store.reviewed_texts() if t.text == text] == [("youth",)]


def test_double_review_is_blind_until_the_reviewer_has_saved_her_own(client, app_store):
    # the second coder saw "reviewed by ana", and the history (key h) showed her labels and memo
    segment_id = _first(app_store)
    _save(client, "ana", segment_id, ["disability"], memo="see the second sentence")
    login(client, "ben")
    page = client.get(f"/segments/{segment_id}")
    assert "reviewed by someone else" in page.text and "reviewed by ana" not in page.text
    history = client.get(f"/segments/{segment_id}/history")
    assert history.status_code == 200 and "see the second sentence" not in history.text
    assert "<td>ana</td>" not in history.text and "1 review by others, hidden until you have" in history.text
    _save(client, "ben", segment_id, ["older_people"])
    assert "reviewed by ana, ben" in client.get(f"/segments/{segment_id}").text
    history = client.get(f"/segments/{segment_id}/history").text
    assert "see the second sentence" in history and "<td>ana</td>" in history and "hidden until" not in history
    login(client, "root")  # an admin sees everything, reviewed or not
    assert "reviewed by ana, ben" in client.get(f"/segments/{segment_id}?status=all").text
    assert "see the second sentence" in client.get(f"/segments/{segment_id}/history").text


def test_a_reviewers_own_memo_comes_back_and_the_adjudicating_admin_sees_the_memos(client, app_store):
    # the memo box of a re-opened review was empty (a correction saved an empty memo), and /disagreements had none
    segment_id = _first(app_store)
    _save(client, "ana", segment_id, ["disability"], memo="see the second sentence")
    _save(client, "ben", segment_id, ["older_people"], memo="an older woman speaks")
    login(client, "ana")
    page = client.get(f"/segments/{segment_id}?status=mine")
    assert re.search(r'<textarea name="memo" id="memo"[^>]*>see the second sentence</textarea>', page.text)
    login(client, "root")
    listed = client.get("/disagreements").text
    assert "memo: see the second sentence" in listed and "memo: an older woman speaks" in listed


def test_a_mention_of_a_code_not_ticked_is_refused_and_shown_set_aside(client, app_store):
    # a mention was accepted whatever was ticked: the review's labels and mentions contradicted each other
    from synthesis.store.reviews import NewReview

    segment_id = _first(app_store)
    login(client)
    page = client.get(f"/segments/{segment_id}")
    data = {**form_of(page.text), "mention": ["disability:0:5"]}
    refused = client.post(f"/segments/{segment_id}/review", data={**data, "code": ["youth"]})
    assert refused.status_code == 422
    assert "mention &#39;disability:0:5&#39;: &#39;disability&#39; is not ticked; tick it, or clear the mention" \
        in refused.text
    assert app_store.review_history(segment_id) == []
    saved = client.post(f"/segments/{segment_id}/review", data={**data, "code": ["disability"]},
                        follow_redirects=False)
    assert saved.status_code == 303
    assert app_store.review_history(segment_id)[0].labels["mentions"] == [{"code": "disability", "start": 0, "end": 5}]
    # a review stored before the rule, with a mention of a code it leaves out: the form does not send it again
    app_store.add_reviews([NewReview(segment_id, "ana", {"groups": ["youth"], "causes": [], "mentions": [
        {"code": "disability", "start": 0, "end": 5}, {"code": "youth", "start": 6, "end": 9}]})], None)
    page = client.get(f"/segments/{segment_id}").text
    assert re.search(r'value="disability:0:5"[^>]*disabled', page) and re.search(r'value="youth:6:9" size', page)
    assert not re.search(r'value="youth:6:9"[^>]*disabled', page)


def test_adding_a_subcode_changes_no_keyboard_number(client, app_store):
    # a sub-code took the number after its parent: every later code's number went up by one
    login(client, "root")
    segment_id = _first(app_store)
    keys = lambda text: dict(re.findall(r'value="([a-z_]+)" data-key="(\d+)"', text))  # noqa: E731
    before = keys(client.get(f"/segments/{segment_id}?status=all").text)
    page = client.get("/admin/codebook").text
    added = client.post("/admin/codebook/subcodes", follow_redirects=False, data={
        "csrf": csrf_of(page), "base": re.search(r'name="base" value="(\d+)"', page).group(1),
        "parent": "women_girls", "code_id": "widows", "label": "Widows", "patterns_en": "widows"})
    assert added.status_code == 303, added.text
    page = client.get(f"/segments/{segment_id}?status=all").text
    assert keys(page) == before and sorted(map(int, before.values())) == list(range(1, len(before) + 1))
    assert re.search(r'<input type="checkbox" name="code" value="widows">\s*<span class="nokey"', page)
    assert f"<kbd>1</kbd>…<kbd>{len(before)}</kbd> toggle a code" in page


def test_a_consultation_answer_names_its_export_for_want_of_a_title(client, app_store):
    # the item line read "consultation: <em></em> ·"
    login(client)
    page = client.get(f"/segments/{_first(app_store, source='consultation', status='all')}").text
    assert re.search(r"consultation:\s*<em>consultation\.csv</em>", page) and "<em></em>" not in page
