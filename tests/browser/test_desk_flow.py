"""In Chromium, two people at once: a specialist works a new ticket in the workspace while its customer answers.

The specialist takes the ticket and asks for information; the customer replies; the specialist closes it
with a solution; the customer sees the solution highlighted and no reply box any more. Every page
visited is checked with axe-core (no serious or critical violation) and for console errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from supportdesk.console.models import Draft, SavedReply
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.workflow import Status
from tests.browser.conftest import wait_for_requests_in_flight

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    wait_for_requests_in_flight()


class Person:
    """One browser context signed in as ``user``, with its page, its console errors and an axe check."""

    def __init__(self, browser: Any, live_server: Any, user: Any, *, width: int = 1280) -> None:
        client = Client()
        client.force_login(user, backend="supportdesk.accounts.backends.ModelBackend")
        self.base = live_server.url
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en-US", reduced_motion="reduce"
        )
        self.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": self.base}])
        self.page = self.context.new_page()
        # The live stream is a plain ASGI endpoint that live_server does not serve: "no content" stops it.
        self.page.route("**/live/stream**", lambda route: route.fulfill(status=204))
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.check()
        return self.page

    def check(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state()
        results = Axe().run(self.page)
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{self.page.url}: {bad}"
        assert self.errors == [], f"{self.page.url}: console errors {self.errors}"


def test_specialist_and_customer_work_a_ticket_to_its_solution(browser, live_server, make_ticket, customer, specialist):
    ticket = make_ticket(customer, question="Campaign statistics are empty\nSince this morning the report shows zeros.")
    sam = Person(browser, live_server, specialist)
    alice = Person(browser, live_server, customer)

    # The specialist finds the new ticket in the New queue and opens it.
    queue = sam.open("/desk/")
    row = queue.locator(f"#ticket-row-{ticket.pk}")
    assert "Campaign statistics are empty" in row.inner_text()
    row.get_by_role("link", name="Campaign statistics are empty").click()
    sam.check()
    assert sam.page.get_by_role("heading", level=1).inner_text() == "Campaign statistics are empty"

    # Take, with the keyboard shortcut.
    sam.page.keyboard.press("t")
    sam.page.get_by_text("You took the ticket.").wait_for()
    sam.check()
    assert sam.page.locator(".status-panel").get_by_text("In progress").is_visible()

    # Request information: a public message, the ticket awaits the customer.
    sam.page.get_by_text("Request information", exact=True).first.click()
    sam.page.get_by_label("Message").fill("Which campaign is it, and since when exactly?")
    sam.page.locator("[data-send]").click()
    sam.page.get_by_text("Information requested").wait_for()
    sam.check()
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_RESPONSE

    # The customer sees the question and replies.
    detail = alice.open(f"/help/tickets/{ticket.pk}/")
    assert detail.get_by_text("Which campaign is it, and since when exactly?").is_visible()
    detail.get_by_label("Your reply").fill("The Spring sale campaign, since 9:00 today.")
    detail.get_by_role("button", name="Send reply").click()
    detail.get_by_text("Your reply is sent.").wait_for()
    alice.check()
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS

    # The specialist sees the reply and closes with a solution: "c", type, Ctrl+Enter.
    sam.open(f"/desk/tickets/{ticket.pk}/")
    assert sam.page.get_by_text("The Spring sale campaign, since 9:00 today.").is_visible()
    sam.page.keyboard.press("c")
    box = sam.page.get_by_label("Message")
    assert box.evaluate("el => el === document.activeElement")
    box.fill("The report was rebuilt; open Statistics → Spring sale and press Refresh.")
    box.press("Control+Enter")
    sam.page.get_by_text("The ticket is closed with your solution.").wait_for()
    sam.check()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED

    # The customer sees the solution highlighted, and no reply box.
    alice.open(f"/help/tickets/{ticket.pk}/")
    solution = alice.page.locator(".msg--solution")
    assert solution.count() == 1
    assert "open Statistics → Spring sale and press Refresh" in solution.inner_text()
    assert alice.page.locator(".reply-box").count() == 0
    assert alice.page.locator("textarea[name='body']").count() == 0

    sam.context.close()
    alice.context.close()


def test_drafts_survive_a_reload_and_saved_replies_insert_at_the_cursor(
    browser, live_server, make_ticket, customer, specialist
):
    ticket = make_ticket(customer)
    SavedReply.objects.create(owner=None, title="Greeting", body="Hello {customer_name}, thanks for writing.")
    sam = Person(browser, live_server, specialist)
    page = sam.open(f"/desk/tickets/{ticket.pk}/")

    # "n": an internal note, visibly different; the words are kept on the server as they are typed.
    page.keyboard.press("n")
    assert page.get_by_text("Only support sees an internal note").is_visible()
    page.get_by_label("Message").press_sequentially("Checked the logs: ", delay=10)
    page.get_by_text("Draft saved").wait_for(timeout=10_000)
    sam.check()
    assert Draft.objects.get(ticket=ticket).mode == "note"

    page.reload()
    sam.check()
    assert page.get_by_label("Message").input_value() == "Checked the logs: "
    assert page.locator("input[name='mode'][value='note']").is_checked()

    # A saved reply goes in at the end, with its placeholders filled in.
    page.get_by_role("button", name="Insert").click()
    inserted = page.get_by_label("Message").input_value()
    assert inserted == "Checked the logs:\n\nHello Alice Customer, thanks for writing."

    # "?" lists the shortcuts.
    page.get_by_label("Message").press("Escape")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    sam.check()
    page.keyboard.press("Escape")

    # Sending the note clears the draft.
    page.locator("[data-send]").click()
    page.get_by_text("The internal note is added.").wait_for()
    assert not Draft.objects.filter(ticket=ticket).exists()
    assert Ticket.objects.get(pk=ticket.pk).messages.filter(kind="note").count() == 1
    sam.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_queue_and_workspace_pass_axe_on_desktop_and_phone(
    browser, live_server, make_ticket, customer, specialist, width
):
    ticket = make_ticket(customer, urgent=True)
    sam = Person(browser, live_server, specialist, width=width)
    sam.open("/desk/")
    sam.open("/desk/queue/active/")
    sam.open(f"/desk/tickets/{ticket.pk}/")
    sam.open("/desk/replies/")
    sam.open("/desk/replies/new/")
    sam.context.close()
