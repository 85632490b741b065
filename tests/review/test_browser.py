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
