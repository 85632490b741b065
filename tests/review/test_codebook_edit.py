"""Editing the codebook in the review app: new versions stored append-only, refusals, and retraining with it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from synthesis.coding.codebook import Code
from synthesis.config import Config
from synthesis.review import auth
from synthesis.review.app import create_app
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def app_store(coded_store_url):
    store = Store(coded_store_url)
    auth.add_user(store, "ana", "reviewer", PASSWORD)
    auth.add_user(store, "root", "admin", PASSWORD)
    yield store
    store.close()


@pytest.fixture
def client(app_store):
    with TestClient(create_app(Config(db_url=app_store.url), app_store)) as test_client:
        yield test_client


def login(client: TestClient, name: str) -> None:
    client.cookies.clear()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    assert client.post("/login", data={"name": name, "password": PASSWORD, "csrf": token},
                       follow_redirects=False).status_code == 303


def page_form(client: TestClient) -> dict:
    """The csrf token and codebook version of the codebook page's forms."""
    page = client.get("/admin/codebook")
    assert page.status_code == 200
    return {"csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1),
            "base": re.search(r'name="base" value="(\d+)"', page.text).group(1)}


def fields_of(code: Code) -> dict:
    """A code's edit form filled in as the page shows it."""
    return {"label": code.label, "description": code.description, "include": "\n".join(code.include),
            "exclude": "\n".join(code.exclude), "not_patterns": "\n".join(code.not_patterns),
            **{f"patterns_{lang}": "\n".join(code.patterns.get(lang, ())) for lang in ("en", "es", "fr")}}


def code(store: Store, code_id: str) -> Code:
    return next(c for c in codebook_in_use(Config(db_url=store.url), store).codebook.codes if c.id == code_id)


def segment_page(client: TestClient, store: Store) -> str:
    segment_id = next(s.id for s in store.iter_segments() if s.kind != "paragraph")
    return client.get(f"/segments/{segment_id}?status=all").text


def test_admin_edits_a_label_and_adds_a_subcode(client, app_store):
    login(client, "root")
    page = client.get("/admin/codebook")
    assert 'id="code-disability"' in page.text and "the configured codebook file" in page.text
    before = code(app_store, "disability")
    saved = client.post("/admin/codebook/codes/disability", follow_redirects=False,
                        data={**page_form(client), **fields_of(code(app_store, "disability")),
                              "label": "Disabled <persons>", "patterns_fr": "handicapés\n\n  sourds  "})
    assert saved.status_code == 303, saved.text
    (first,) = app_store.codebook_history()
    assert (first.version, first.author) == ("2", "root") and "Disabled <persons>" in first.yaml
    assert code(app_store, "disability").patterns["fr"] == ("handicapés", "sourds")
    assert code(app_store, "disability").patterns["en"] == before.patterns["en"]
    assert code(app_store, "disability").not_patterns == before.not_patterns
    assert "Disabled &lt;persons&gt;" in segment_page(client, app_store)

    added = client.post("/admin/codebook/subcodes", follow_redirects=False,
                        data={**page_form(client), "parent": "disability", "code_id": "deaf_people",
                              "label": "Deaf people", "patterns_en": "deaf\nhard of hearing"})
    assert added.status_code == 303, added.text
    assert [v.version for v in app_store.codebook_history()] == ["3", "2"]
    sub = code(app_store, "deaf_people")
    assert (sub.kind, sub.parent, sub.patterns) == ("group", "disability", {"en": ("deaf", "hard of hearing")})
    ids = [c.id for c in codebook_in_use(Config(db_url=app_store.url), app_store).codebook.codes]
    assert ids.index("deaf_people") == ids.index("disability") + 1
    assert "Deaf people" in segment_page(client, app_store)
    assert '<option>deaf_people</option>' in client.get("/queue?status=all").text
    with app_store.engine.connect() as connection:  # the codes of each version are stored too
        rows = connection.exec_driver_sql("SELECT codebook_id, label FROM codes WHERE code = 'disability'").all()
    assert sorted(rows) == [(1, "Disabled <persons>"), (2, "Disabled <persons>")]


def test_reviewers_cannot_see_or_edit_the_codebook(client, app_store):
    login(client, "ana")
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/queue").text).group(1)
    assert client.get("/admin/codebook").status_code == 403
    data = {"csrf": csrf, "base": "0", **fields_of(code(app_store, "disability")), "label": "x"}
    assert client.post("/admin/codebook/codes/disability", data=data).status_code == 403
    assert client.post("/admin/codebook/subcodes", data={**data, "parent": "disability", "code_id": "x"}).status_code \
        == 403
    assert app_store.codebook_history() == []


@pytest.mark.parametrize(("url", "change", "message"), [
    ("codes/disability", {"patterns_en": " \n", "patterns_es": "", "patterns_fr": ""},
     "a group code needs patterns in at least one language"),
    ("codes/disability", {"label": "x" * 201}, "the label must be one line of at most 200 characters"),
    ("codes/disability", {"label": "  "}, "the label is empty"),
    ("codes/disability", {"patterns_en": "ok\n" + "y" * 201}, "longer than 200 characters"),
    ("codes/disability", {}, "nothing changed"),
    ("subcodes", {"parent": "disability", "code_id": "children"}, "duplicate code id &#39;children&#39;"),
    ("subcodes", {"parent": "martians", "code_id": "new_one"}, "parent &#39;martians&#39;: not a code"),
    ("subcodes", {"parent": "disability", "code_id": "Bad Id"}, "ids are lower-case letters"),
    ("subcodes", {"parent": "disability", "code_id": "x" * 65}, "an id of 1 to 64 characters"),
])
def test_bad_edits_are_422_and_store_nothing(client, app_store, url, change, message):
    login(client, "root")
    data = {**page_form(client), **fields_of(code(app_store, "disability")), **change}
    refused = client.post(f"/admin/codebook/{url}", data=data)
    assert refused.status_code == 422 and message in refused.text, refused.text
    assert app_store.codebook_history() == []


def test_stale_forms_and_unknown_codes_and_forged_tokens_are_refused(client, app_store):
    login(client, "root")
    loaded = {**page_form(client), **fields_of(code(app_store, "youth"))}
    assert client.post("/admin/codebook/codes/youth", data={**loaded, "label": "Young people"},
                       follow_redirects=False).status_code == 303
    stale = client.post("/admin/codebook/codes/youth", data={**loaded, "label": "Youth again"})
    assert stale.status_code == 409 and "changed since the page was loaded" in stale.text
    fresh = page_form(client)
    assert client.post("/admin/codebook/codes/nope", data={**loaded, **fresh}).status_code == 404
    assert client.post("/admin/codebook/codes/youth", data={**loaded, **fresh, "csrf": "forged"}).status_code == 403
    assert client.post("/admin/codebook/codes/youth", data={**loaded, "base": "x", "csrf": fresh["csrf"]}) \
        .status_code == 422
    assert [v.version for v in app_store.codebook_history()] == ["2"]
    assert code(app_store, "youth").label == "Young people"


def test_the_retrain_button_trains_with_the_edited_codebook(app_store, small_model, tmp_path):
    config = Config(db_url=app_store.url, model_dir=small_model, cache_dir=small_model.parent / "cache",
                    gold_dir=small_model.parent / "gold", real_eval=tmp_path / "none.jsonl",
                    models_dir=tmp_path / "models")
    old_version = app_store.model_version_in_use()
    app = create_app(config, app_store)
    with TestClient(app) as client:
        login(client, "root")
        form = page_form(client)
        client.post("/admin/codebook/codes/disability",
                    data={**form, **fields_of(code(app_store, "disability")), "label": "Disabled people (edited)"})
        client.post("/admin/codebook/subcodes", data={**page_form(client), "parent": "disability",
                                                      "code_id": "deaf_people", "label": "Deaf people"})
        assert len(app_store.codebook_history()) == 2
        assert client.post("/admin/retrain", data={"csrf": form["csrf"]}, follow_redirects=False).status_code == 303
        state = app.state.retrain
        assert state["lock"].acquire(timeout=300)  # released when the background job ends
        state["lock"].release()
        assert state["state"] == "done", state["message"]
    (written,) = (tmp_path / "models").iterdir()
    text = (written / "codebook.yaml").read_text(encoding="utf-8")
    assert "Disabled people (edited)" in text and "deaf_people" in text and "name: lnob-default-v3" in text
    # the model version follows the codebook version, so the store is re-coded even without new reviews
    assert app_store.model_version_in_use() != old_version
    assert app_store.model_version_in_use().startswith("lnob-default-v3-")
