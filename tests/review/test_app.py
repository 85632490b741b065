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


def test_wrong_passwords_are_refused_then_rate_limited(client):
    assert login(client, password="wrong password").status_code == 401
    assert "Wrong name or password." in login(client, password="wrong again").text
    assert login(client, name="nobody").status_code == 401
    limited = login(client)  # right password, but too many failures from this client
    assert limited.status_code == 429 and "Too many failed logins" in limited.text
    assert int(limited.headers["retry-after"]) > 0


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
