"""End to end in a real browser: Playwright driving Debian's Chromium headless against the app under uvicorn."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from synthesis.config import Config
from synthesis.review import auth
from synthesis.review.app import create_app
from synthesis.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have /usr/bin/chromium (.ci/run installs the Debian package)")
        pytest.skip("/usr/bin/chromium is missing: `apt-get install chromium` to run the browser test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def server(coded_store_url):
    """The app under uvicorn on a free local port, in a thread."""
    store = Store(coded_store_url)
    auth.add_user(store, "ana", "reviewer", PASSWORD)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    web = uvicorn.Server(uvicorn.Config(create_app(Config(db_url=coded_store_url), store), host="127.0.0.1",
                                        port=port, log_level="warning"))
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    for _ in range(100):
        if web.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    web.should_exit = True
    thread.join(5)
    store.close()


def test_log_in_correct_a_label_with_the_keyboard_reload_and_log_out(browser, server):
    url, store = server
    page = browser.new_page()
    page.goto(f"{url}/queue")
    assert page.url.endswith("/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#review-form")
    segment_id = int(page.get_attribute("article.item", "data-segment"))
    box = page.locator('input[name=code][value="disability"]')
    number = box.get_attribute("data-key")
    was_checked = box.is_checked()
    page.locator("body").click(position={"x": 5, "y": 300})  # keyboard focus on the page, not a field
    page.keyboard.type(number)
    page.wait_for_function(f"document.querySelector('input[data-key=\"{number}\"]').checked === {str(not was_checked).lower()}")
    page.keyboard.press("a")
    page.wait_for_selector("#saved")  # the next item was swapped in without a page load
    assert f"Saved your review of segment {segment_id}." in page.inner_text("#saved")
    assert page.url != f"{url}/queue" and int(page.get_attribute("article.item", "data-segment")) != segment_id

    (review,) = store.review_history(segment_id)
    assert ("disability" in review.labels["groups"]) is (not was_checked)
    page.goto(f"{url}/segments/{segment_id}")
    page.reload()
    assert page.locator('input[name=code][value="disability"]').is_checked() is (not was_checked)
    assert "ana" in page.inner_text(".where")

    page.click("#logout")
    page.wait_for_url(f"{url}/login")
    page.goto(f"{url}/queue")
    assert page.url.endswith("/login")


def _log_in(page, url, start="/queue"):
    page.goto(f"{url}{start}")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#review-form")
    return int(page.get_attribute("article.item", "data-segment"))


def test_enter_on_a_focused_link_or_button_does_its_job_and_saves_nothing(browser, server):
    # Enter saved the review whatever had the focus: "Next without saving" saved, Log out saved instead
    url, store = server
    page = browser.new_page()
    first = _log_in(page, url)
    page.focus("#skip")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector('article.item').dataset.segment !== '{first}'")
    second = int(page.get_attribute("article.item", "data-segment"))
    page.focus("#history-link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/segments/{second}/history")
    assert store.review_history(first) == [] and store.review_history(second) == []


def test_a_session_that_ends_mid_form_keeps_the_reviewers_work(browser, server):
    # the save went to the login page, which went on to the queue: the ticks and the memo were lost
    from datetime import datetime, timezone

    from sqlalchemy import update

    from synthesis.store.schema import sessions

    url, store = server
    page = browser.new_page()
    segment_id = _log_in(page, url)
    box = page.locator('input[name=code][value="lgbtqi"]')
    was_checked = box.is_checked()
    box.click()
    page.fill("#memo", "check the second paragraph")
    with store.engine.begin() as connection:  # the session expires while the reviewer works
        connection.execute(update(sessions).values(expires_at=datetime(2000, 1, 1, tzinfo=timezone.utc)))
    page.click("#save")
    page.wait_for_url(f"{url}/login?next=%2Fsegments%2F{segment_id}")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/segments/{segment_id}")
    page.wait_for_selector("#messages .ok")
    assert "Your unsaved labels and memo were put back" in page.inner_text("#messages")
    assert page.input_value("#memo") == "check the second paragraph"
    assert page.locator('input[name=code][value="lgbtqi"]').is_checked() is (not was_checked)
    assert store.review_history(segment_id) == []
    page.click("#save")
    page.wait_for_selector("#saved")
    [review] = store.review_history(segment_id)
    assert review.memo == "check the second paragraph" and ("lgbtqi" in review.labels["groups"]) is (not was_checked)


def test_after_a_409_the_reload_offers_the_reviewers_input_back(browser, server):
    # the 409 said "reload it", and review.js dropped the draft it kept once the form's token had changed: the
    # reload lost what was ticked and written
    url, store = server
    context = browser.new_context()
    first = context.new_page()
    segment_id = _log_in(first, url)
    second = context.new_page()
    second.goto(f"{url}/segments/{segment_id}")
    second.wait_for_selector("#review-form")
    first.fill("#memo", "tab one memo")
    first.click("#save")
    first.wait_for_selector("#saved")
    box = second.locator('input[name=code][value="lgbtqi"]')
    was_checked = box.is_checked()
    box.click()
    second.fill("#memo", "twenty minutes of careful notes")
    second.click("#save")
    second.wait_for_selector("#messages .error")
    assert "offered back after the reload" in second.inner_text("#messages")
    for _ in range(2):  # offered back at every reload until it is saved or discarded
        second.reload()
        second.wait_for_selector("#draft-notice")
        assert "your unsaved input from before" in second.inner_text("#draft-notice")
        assert second.input_value("#memo") == "twenty minutes of careful notes"
        assert box.is_checked() is (not was_checked)
    second.click("#save")
    second.wait_for_selector("#saved")
    first_review, review = store.review_history(segment_id)
    assert (first_review.memo, review.memo) == ("tab one memo", "twenty minutes of careful notes")
    assert ("lgbtqi" in review.labels["groups"]) is (not was_checked)
    second.goto(f"{url}/segments/{segment_id}")
    second.wait_for_selector("#review-form")
    assert second.locator("#draft-notice").count() == 0 and second.input_value("#memo") == review.memo

    # discarded: the form shows what is stored, and the draft is gone
    key = f"synthesis-draft:ana:/segments/{segment_id}/review"
    second.evaluate("([key, draft]) => sessionStorage.setItem(key, JSON.stringify(draft))",
                    [key, {"base": "0:=stale~tstale", "code": ["lgbtqi", "disability"], "mention": [""],
                           "memo": "an older draft"}])
    second.reload()
    second.wait_for_selector("#draft-notice")
    assert second.input_value("#memo") == "an older draft"
    second.click("#discard-draft")
    assert second.input_value("#memo") == review.memo
    assert box.is_checked() is (not was_checked)
    assert "discarded" in second.inner_text("#messages")
    assert second.evaluate("(key) => sessionStorage.getItem(key)", key) is None
    second.reload()
    second.wait_for_selector("#review-form")
    assert second.locator("#draft-notice").count() == 0


def test_unticking_a_code_sets_its_mentions_aside_and_the_save_goes_through(browser, server):
    # a mention's code must be ticked: the pre-filled mentions of a code unticked would be refused with 422
    from synthesis.store.reviews import QueueFilter

    url, store = server
    version = store.model_version_in_use()
    segment_id, code = next((s, m.code) for s, _ in store.review_queue(version, "ana", QueueFilter(), 0.0, 1, limit=50)
                            for item in [store.review_item(s, version, "ana")] for m in item.mentions
                            if m.code in item.current["groups"])
    page = browser.new_page()
    _log_in(page, url, f"/segments/{segment_id}")
    mention = page.locator(f'input[name=mention][value^="{code}:"]').first
    box = page.locator(f'input[name=code][value="{code}"]')
    assert mention.is_enabled() and box.is_checked()
    box.click()
    assert mention.is_disabled() and "not saved" in mention.get_attribute("title")
    page.locator("body").click(position={"x": 5, "y": 300})
    number = box.get_attribute("data-key")
    page.keyboard.type(number)  # ticked again with its key: the mention counts again
    page.wait_for_function(f"document.querySelector('input[data-key=\"{number}\"]').checked")
    assert mention.is_enabled()
    box.click()
    page.click("#save")
    page.wait_for_selector("#saved")
    (review,) = store.review_history(segment_id)
    assert code not in review.labels["groups"] and all(m["code"] != code for m in review.labels["mentions"])


def test_the_keys_of_the_codes_stay_when_a_subcode_is_added(browser, server):
    # a sub-code took the number after its parent's, and every later code's number went up by one
    from synthesis.review.codebook_edit import add_subcode, codebook_in_use, parse_code_form, save_codebook

    url, store = server
    current = codebook_in_use(Config(db_url=store.url), store)
    top = [c.id for c in current.codebook.codes if c.parent is None]
    edited = add_subcode(current, top[0], "sub_of_first", parse_code_form("A sub-code", patterns={"en": "xyzzy"}))
    save_codebook(store, current, edited, "root")
    page = browser.new_page()
    _log_in(page, url)
    page.locator("body").click(position={"x": 5, "y": 300})
    for number, code in ((2, top[1]), (len(top), top[-1])):  # one digit, and the two of the last number
        box = page.locator(f'input[name=code][value="{code}"]')
        was_checked = box.is_checked()
        page.keyboard.type(str(number))
        page.wait_for_function(f"document.querySelector('input[name=code][value=\"{code}\"]').checked === "
                               f"{str(not was_checked).lower()}")
    assert not page.locator('input[name=code][value="sub_of_first"]').is_checked()
    assert page.locator('input[name=code][value="sub_of_first"]').get_attribute("data-key") is None
