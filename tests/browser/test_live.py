"""Live pages in Chromium, against a real server: what one person does appears on the others' pages.

pytest-django's ``live_server`` serves WSGI from a thread of this process and cannot stream, and its
database is not one another process can open. So this file runs the production shape of its own
(tests/live/servers.py): a scratch site in a temporary directory (a SQLite file, or a database
created on the PostgreSQL server when ``DATABASE_URL`` names one), migrated, its static files
collected, people and tickets made through the real services, served by granian on a port in
8060-8069. The browser signs in with sessions the seed made. Every page visited is checked with
axe-core (no serious or critical violation) and must log no console error. Screenshots of each
step go to test-results/live/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.live.servers import REPO, ScratchSite, Server, free_port, postgres_database

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOTS = REPO / "test-results" / "live"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# The production shape: Redis for the cache and the bus, so the pages the live updates fetch are the
# cached ones (docs/architecture.md, "Cached reads"), and tickets opened by another process
# (ScratchSite.new_ticket) reach them. Its own db number, flushed before the site starts.
REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ScratchSite, Server, dict[str, Any]]]:
    with contextlib.ExitStack() as stack:
        database = None
        if DATABASE_URL.startswith(("postgres://", "postgresql://")):
            database = stack.enter_context(postgres_database(DATABASE_URL))
        redis.Redis.from_url(REDIS_URL).flushdb()
        scratch = ScratchSite(tmp_path_factory.mktemp("live-site"), database_url=database, redis_url=REDIS_URL)
        seed = scratch.prepare()
        server = stack.enter_context(scratch.serve())
        yield scratch, server, seed


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Person:
    """A browser context signed in with one of the seed's sessions; its pages are checked as they load."""

    def __init__(self, browser: Any, server: Server, session: str) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        self.context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
        self.errors: list[str] = []

    def open(self, path: str) -> Any:
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.goto(self.server.url + path)
        page.wait_for_function("() => document.querySelector('.live-status') !== null")  # live.js started
        page.evaluate("window.__sameDocument = true")
        check(page)
        return page


_axe: Any = None


def check(page: Any) -> None:
    """axe-core on the page as it is now: no serious or critical violation."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    violations = _axe.run(page).response["violations"]
    blocking = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}" for v in violations
                if v.get("impact") in ("serious", "critical")]  # fmt: skip
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(blocking)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS, f"{name}.png")), full_page=True)


def still_same_document(*pages: Any) -> bool:
    return all(page.evaluate("window.__sameDocument === true") for page in pages)


def test_a_specialists_reply_appears_on_the_customers_open_pages_within_two_seconds(browser, site):
    scratch, server, seed = site
    ticket = scratch.new_ticket(seed["emails"]["customer"], "The dialer stops after ten calls. What limits it?")
    customer = Person(browser, server, seed["sessions"]["customer"])
    specialist = Person(browser, server, seed["sessions"]["specialist"])
    thread = customer.open(f"/help/tickets/{ticket}/")
    tickets = customer.open("/help/")
    desk = specialist.open(f"/desk/tickets/{ticket}/")

    desk.click("label.desk-mode--request")
    desk.fill("textarea[name=body]", "Which campaign is it? Please send its name.")
    started = time.monotonic()
    desk.click("[data-send]")
    thread.locator("#thread").get_by_text("Which campaign is it?").wait_for(timeout=2000)
    tickets.locator(f"#ticket-row-{ticket}").get_by_text("Awaiting response").wait_for(timeout=2000)
    elapsed = time.monotonic() - started

    assert elapsed < 2.0
    assert still_same_document(thread, tickets)
    assert thread.locator("#status-panel").get_by_text("Awaiting response").is_visible()
    assert thread.locator("#reply-area textarea").is_visible()
    desk.wait_for_load_state()
    for page in (thread, tickets, desk):
        check(page)
    shot(thread, "customer-ticket-after-reply")
    shot(tickets, "customer-list-after-reply")
    assert customer.errors == [] and specialist.errors == []


def test_a_reply_being_written_stays_and_is_warned_when_the_ticket_changes(browser, site):
    scratch, server, seed = site
    ticket = scratch.new_ticket(seed["emails"]["customer"], "Where do I see the call statistics of a campaign?")
    customer = Person(browser, server, seed["sessions"]["customer"])
    specialist = Person(browser, server, seed["sessions"]["specialist"])
    thread = customer.open(f"/help/tickets/{ticket}/")
    desk = specialist.open(f"/desk/tickets/{ticket}/")

    thread.fill("#reply-area textarea", "I am still writing this")
    desk.fill("textarea[name=body]", "Statistics → Campaigns, then pick the campaign.")
    desk.click("[data-send]")

    thread.locator("#thread").get_by_text("Statistics → Campaigns").wait_for(timeout=3000)
    thread.locator("#reply-area .live-guard").wait_for(timeout=3000)
    assert thread.input_value("#reply-area textarea") == "I am still writing this"
    assert still_same_document(thread)
    check(thread)
    shot(thread, "customer-writing-warned")
    assert customer.errors == [] and specialist.errors == []


def test_specialists_see_each_other_on_a_ticket_and_the_queue_follows(browser, site):
    scratch, server, seed = site
    ticket = scratch.new_ticket(seed["emails"]["customer"], "Can I export the campaign's leads to a spreadsheet?")
    anna = Person(browser, server, seed["sessions"]["specialist"])
    boris = Person(browser, server, seed["sessions"]["specialist2"])
    queue = anna.open("/desk/")
    new_count = int(queue.locator("#queue-tabs .tabs__count").first.inner_text())
    assert queue.locator(f"#ticket-row-{ticket}").is_visible()
    annas = anna.open(f"/desk/tickets/{ticket}/")
    boriss = boris.open(f"/desk/tickets/{ticket}/")

    annas.locator(".live-presence").get_by_text("Boris is viewing").wait_for(timeout=5000)
    boriss.locator(".live-presence").get_by_text("Anna is viewing").wait_for(timeout=5000)
    annas.fill("textarea[name=body]", "Let me check the export settings…")
    boriss.locator(".live-presence").get_by_text("Anna is typing").wait_for(timeout=5000)
    check(boriss)
    shot(boriss, "desk-presence")

    boriss.click("form[data-shortcut-take] button")
    annas.locator("#composer-area .live-guard").wait_for(timeout=3000)  # Anna was writing: warned
    annas.locator("#status-panel").get_by_text("Boris").wait_for(timeout=3000)
    queue.locator(f"#ticket-row-{ticket}").wait_for(state="detached", timeout=3000)  # taken: leaves New
    assert int(queue.locator("#queue-tabs .tabs__count").first.inner_text()) == new_count - 1
    assert annas.input_value("textarea[name=body]") == "Let me check the export settings…"
    assert still_same_document(queue, annas)
    for page in (queue, annas):
        check(page)
    shot(annas, "desk-changed-under-reply")
    shot(queue, "desk-queue-after-take")
    assert anna.errors == [] and boris.errors == []


def test_the_indicator_says_when_the_connection_is_lost_and_back(browser, site):
    scratch, _server, seed = site
    port = free_port()
    with scratch.serve(port) as server:
        customer = Person(browser, server, seed["sessions"]["customer"])
        page = customer.open("/help/")
    # Server down: the page says so after a short grace.
    page.locator(".live-status[data-state=offline]").wait_for(timeout=8000)
    check(page)
    shot(page, "indicator-offline")
    with scratch.serve(port):
        page.locator(".live-status[data-state=online]").wait_for(timeout=15000)
        check(page)
        shot(page, "indicator-back")
        assert still_same_document(page)
    # Only the refused connections while the server was down are errors here.
    assert all("ERR_CONNECTION_REFUSED" in error for error in customer.errors)


def test_signing_out_in_one_tab_stops_the_others(browser, site):
    scratch, server, seed = site
    colleague = Person(browser, server, scratch.new_session(seed["emails"]["customer"]))
    first = colleague.open("/help/")
    second = colleague.open("/help/")
    second.click(".user-menu summary")
    second.get_by_role("button", name="Sign out").click()
    first.locator(".live-status[data-state=stopped]").wait_for(timeout=5000)
    check(first)
    shot(first, "indicator-stopped")
    assert colleague.errors == []
