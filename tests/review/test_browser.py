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
