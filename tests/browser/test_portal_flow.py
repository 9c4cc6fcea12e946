"""In Chromium: a customer creates a ticket with a pasted screenshot, finds it in the list, opens it, replies,
and uses the filters; the typed fields of a Metrics tariffing request; a phone-width run; the Russian UI;
keyboard-only use of the Create form.

Every page the tests load is audited by tests/browser/conftest.py: axe-core (no serious or critical
violation), no console or script error, no failed static file.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

import supportdesk
from supportdesk.tickets import services
from supportdesk.tickets.models import Message, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RU_CATALOG = Path(supportdesk.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
TICKET_URL = re.compile(r"/help/tickets/(\d+)/(#latest)?$")

# Builds a PNG on a canvas in the page and pastes it into the element as a real ClipboardEvent whose
# DataTransfer holds the file, as Ctrl+V of a screenshot does. Returns whether the page took the paste.
PASTE_PNG = """async ([selector, name, width, height]) => {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#1f7a6d";
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(20, 20, width / 3, height / 4);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const file = new File([blob], name, { type: "image/png" });
  const data = new DataTransfer();
  data.items.add(file);
  const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
  const target = document.querySelector(selector);
  target.focus();
  target.dispatchEvent(event);
  return event.defaultPrevented;
}"""

# The focus ring: an element's outline and box-shadow as computed now. FOCUSED gives them for the focused
# element and, for the section radios (drawn as cards that carry the ring), for its card.
RING_OF = """(node) => {
  if (!node) return null;
  const s = getComputedStyle(node);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  return { outline: outline ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "",
           shadow: s.boxShadow === "none" ? "" : s.boxShadow };
}"""
FOCUSED = f"""async () => {{
  // Let the focus styles' transitions start and finish before measuring.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const finite = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((animation) => animation.finished.catch(() => null)));
  const ringOf = {RING_OF};
  const el = document.activeElement;
  return {{ name: el.getAttribute("name"), submit: el.hasAttribute("data-submit"), text: (el.innerText || "").trim(),
            own: ringOf(el), card: ringOf(el.closest(".choice-card")) }};
}}"""


def shows_focus(focused: dict[str, str], resting: dict[str, str]) -> bool:
    """An outline, or a box-shadow, that the element does not have when it is not focused."""
    return bool(focused["outline"] and focused["outline"] != resting["outline"]) or bool(
        focused["shadow"] and focused["shadow"] != resting["shadow"]
    )


def png_bytes(size: tuple[int, int] = (640, 480), colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def image_size(body: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(body)) as image:
        return image.size


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def rows(page: Any) -> Any:
    return page.locator("#results tbody tr")


def row(page: Any, ticket: Ticket) -> Any:
    return page.locator(f"#ticket-row-{ticket.pk}")


def assert_same_document(page: Any) -> None:
    """The marker set before filtering survives: htmx swapped the results, the page was not reloaded."""
    assert page.evaluate("window.__portalFlowMarker") == "same document", "the filter reloaded the whole page"


def send_twice_quickly(page: Any) -> list[str]:
    """Double-clicks Send and returns the POSTs the browser sent to the Create form."""
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/help/new/" in r.url else None)
    with page.expect_navigation(url=TICKET_URL):
        page.get_by_role("button", name="Send", exact=True).dblclick()
    return posts


# --- The whole flow -------------------------------------------------------------------------------


def test_customer_creates_a_ticket_with_screenshots_finds_it_filters_and_replies(
    open_page: Callable[..., Any],
    login: Callable[..., None],
    live_server: Any,
    customer: Any,
    colleague: Any,
    specialist: Any,
    make_ticket: Callable[..., Ticket],
    sections: dict[str, Any],
) -> None:
    # Earlier tickets to filter among, and a colleague's that Alice never sees (Acme does not share).
    finance = make_ticket(customer, section="documents-finance", ticket_type="metrics-tariffing",
                          question="Please bill successful calls of the Spring sale campaign")  # fmt: skip
    failing = make_ticket(customer, section="system-errors", question="Telephony fails: no calls go out today")
    services.take(specialist, failing.pk)
    old = make_ticket(customer, question="How do I change my profile settings?")
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    hidden = make_ticket(colleague, question="Bob's own question about scripts")

    page = open_page()
    login(page, live_server, customer)
    expect(page).to_have_url(re.compile(r"/help/$"))

    # Create ticket, from the button in the top panel.
    page.locator(".site-header").get_by_role("link", name="Create ticket").click()
    page.wait_for_url("**/help/new/")
    page.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create ticket")

    page.get_by_role("radio", name="Application help").check()
    question = page.get_by_label("Question", exact=True)
    question.fill("The campaign dashboard freezes after I press Start\nIt happens every time since Monday.")

    # A screenshot pasted from the clipboard, and one from the file picker.
    assert page.evaluate(PASTE_PNG, ["#id_question", "pasted.png", 800, 600]) is True
    page.set_input_files(
        "#id_files_create", files=[{"name": "picked.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    thumbs = page.locator("[data-thumbs] .thumb")
    expect(thumbs).to_have_count(2)
    expect(thumbs.nth(0).locator("img")).to_be_visible()
    expect(thumbs.nth(0)).to_contain_text("pasted.png")
    expect(thumbs.nth(1)).to_contain_text("picked.png")
    expect(page.locator("[data-thumbs] input[type='hidden'][name='uploads']")).to_have_count(2)
    expect(page.locator("[data-thumbs] .thumb[aria-busy]")).to_have_count(0)

    # Urgent asks for its impact.
    impact = page.get_by_label("What is the impact?")
    expect(impact).to_be_hidden()
    page.get_by_label("Urgent").check()
    expect(impact).to_be_visible()
    impact.fill("Nobody on the team can start a campaign")
    page.audit()

    before = Ticket.objects.count()
    posts = send_twice_quickly(page)
    assert Ticket.objects.count() == before + 1, "two quick clicks on Send made more than one ticket"
    assert len(posts) == 1, f"the browser sent the form {len(posts)} times"
    ticket = Ticket.objects.latest("pk")
    assert (ticket.requester, ticket.section.code, ticket.is_urgent) == (customer, "application-help", True)
    assert ticket.urgent_impact == "Nobody on the team can start a campaign"
    page.audit()

    # The ticket page: status, urgent mark, impact and both screenshots as thumbnails that open full size.
    expect(page).to_have_url(re.compile(rf"/help/tickets/{ticket.pk}/$"))
    expect(page.locator("#messages")).to_contain_text(f"Ticket {ticket.number} is created")
    expect(page.get_by_role("heading", level=1)).to_have_text("The campaign dashboard freezes after I press Start")
    header = page.locator(".page-header")
    expect(header.locator(".tag-urgent")).to_have_text("Urgent")
    expect(header).to_contain_text("Open")
    expect(page.get_by_text("Nobody on the team can start a campaign")).to_be_visible()
    links = page.locator(".thread .thumbs a")
    expect(links).to_have_count(2)
    full_sizes = {}
    for index in range(2):
        link = links.nth(index)
        expect(link).to_have_attribute("target", "_blank")
        thumbnail = link.locator("img")
        expect(thumbnail).to_have_js_property("complete", True)
        thumbnail_width = thumbnail.evaluate("img => img.naturalWidth")
        assert thumbnail_width > 0, "the thumbnail did not load"
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"].startswith("image/")
        name = link.locator(".thumb__name").inner_text()
        full_sizes[name] = image_size(response.body())
        assert thumbnail_width < full_sizes[name][0], f"the thumbnail of {name} is the full image"
    assert full_sizes == {"pasted.png": (800, 600), "picked.png": (640, 480)}
    pasted = links.filter(has_text="pasted.png")
    with page.context.expect_page() as opened:
        pasted.click()
    full = opened.value
    full.wait_for_load_state()
    assert urlsplit(full.url).path == pasted.get_attribute("href")
    assert full.evaluate("document.images[0].naturalWidth") == 800
    full.close()

    # The list: the new ticket with its urgent mark and Open badge; nobody else's tickets.
    page.get_by_role("link", name="All tickets").click()
    page.wait_for_url(re.compile(r"/help/$"))
    page.audit()
    mine = row(page, ticket)
    expect(mine).to_contain_text(ticket.number)
    expect(mine.get_by_role("link", name=ticket.summary)).to_be_visible()
    expect(mine.locator(".tag-urgent")).to_have_text("Urgent")
    expect(mine.locator(".badge")).to_have_text("Open")
    expect(rows(page)).to_have_count(4)
    expect(row(page, hidden)).to_have_count(0)

    # Filters: each one swaps the results in place (htmx), puts itself in the URL, and Back undoes it.
    page.evaluate("window.__portalFlowMarker = 'same document'")
    page.get_by_label("Status").select_option(label="In progress")
    expect(page).to_have_url(re.compile(r"[?&]status=in_progress"))
    expect(rows(page)).to_have_count(1)
    expect(row(page, failing)).to_contain_text("In progress")
    assert_same_document(page)
    page.audit()

    page.get_by_label("Status").select_option(label="All statuses")
    expect(rows(page)).to_have_count(4)
    app_help = sections["application-help"]
    page.get_by_label("Question type").select_option(label="Application help")
    expect(page).to_have_url(re.compile(rf"[?&]category=s{app_help.pk}"))
    expect(rows(page)).to_have_count(2)
    expect(row(page, ticket)).to_be_visible()
    expect(row(page, old)).to_be_visible()
    assert_same_document(page)

    search = page.get_by_label("Search")
    search.press_sequentially("freezes", delay=30)
    expect(page).to_have_url(re.compile(r"[?&]q=freezes"))
    expect(rows(page)).to_have_count(1)
    expect(row(page, ticket)).to_be_visible()
    assert_same_document(page)
    page.audit()

    # Back: the search is undone, in the results and in the form.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"q=freezes"))
    expect(rows(page)).to_have_count(2)
    expect(search).to_have_value("")
    expect(page.get_by_label("Question type")).to_have_value(f"s{app_help.pk}")
    assert_same_document(page)

    # A date range: only the ticket from 40 days ago.
    today = timezone.localdate()
    page.get_by_label("Created from").fill((today - datetime.timedelta(days=45)).isoformat())
    expect(rows(page)).to_have_count(2)
    page.get_by_label("Created to").fill((today - datetime.timedelta(days=30)).isoformat())
    expect(rows(page)).to_have_count(1)
    expect(row(page, old)).to_be_visible()
    assert query_of(page)["created_to"] == [(today - datetime.timedelta(days=30)).isoformat()]
    assert_same_document(page)
    page.audit()
    shared_url = page.url

    # The URL is shareable: opened afresh it shows the same filtered list, as a whole page.
    other = open_page(customer)
    other.goto(shared_url)
    expect(rows(other)).to_have_count(1)
    expect(row(other, old)).to_be_visible()
    expect(other.get_by_label("Created to")).to_have_value((today - datetime.timedelta(days=30)).isoformat())
    other.close()

    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]created_to=(&|$)"))
    expect(rows(page)).to_have_count(2)
    expect(page.get_by_label("Created to")).to_have_value("")

    # Open the ticket from the filtered list; Back returns to the same filtered list, as a whole page.
    filtered_url = page.url
    row(page, ticket).get_by_role("link", name=ticket.summary).click()
    page.wait_for_url(TICKET_URL)
    page.audit()
    page.go_back()
    expect(page).to_have_url(filtered_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Help")
    expect(rows(page)).to_have_count(2)
    expect(page.get_by_label("Question type")).to_have_value(f"s{app_help.pk}")
    page.go_forward()
    expect(page).to_have_url(re.compile(rf"/help/tickets/{ticket.pk}/$"))

    # Reply, and see the reply in the thread.
    reply = "It froze again just now, at 10:15. I attached nothing new."
    page.get_by_label("Your reply").fill(reply)
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(rf"/help/tickets/{ticket.pk}/#latest$"))
    page.audit()
    expect(page.locator("#messages")).to_contain_text("Your reply is sent.")
    last = page.locator(".thread article.msg").last
    expect(last).to_contain_text(reply)
    expect(last).to_contain_text("Alice Customer")
    assert Message.objects.filter(ticket=ticket).count() == 2
    assert finance.pk not in (ticket.pk, failing.pk)


# --- Typed fields ---------------------------------------------------------------------------------


def test_metrics_tariffing_request_asks_its_fields_only_once_the_type_is_chosen(
    open_page: Callable[..., Any], customer: Any, types: dict[str, Any]
) -> None:
    page = open_page(customer)
    page.goto("/help/new/")
    campaign = page.get_by_label("Campaign", exact=True)
    metrics_type = page.get_by_role("radio", name="Metrics tariffing request")
    expect(metrics_type).to_be_hidden()
    expect(campaign).to_be_hidden()

    page.get_by_role("radio", name="Documents/Finance").check()
    expect(metrics_type).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile(r"^Other\b"))).to_be_visible()
    expect(campaign).to_be_hidden()
    page.get_by_role("radio", name=re.compile(r"^Other\b")).check()
    expect(campaign).to_be_hidden()
    metrics_type.check()
    expect(campaign).to_be_visible()
    page.audit()

    campaign.fill("Spring sale")
    page.get_by_label("Actions (metrics) to bill", exact=True).fill("successful call\nlead")
    page.get_by_label("Proposed price per action", exact=True).fill("0.25")
    page.get_by_label("Start date", exact=True).fill("2025-04-01")
    page.get_by_label("Question", exact=True).fill("Please bill our Spring sale campaign per action")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(TICKET_URL)
    page.audit()

    ticket = Ticket.objects.get(requester=customer)
    assert ticket.ticket_type == types["metrics-tariffing"]
    # Browsers send a textarea's line breaks as CRLF.
    assert {key: value.replace("\r\n", "\n") for key, value in ticket.fields.items()} == {
        "campaign": "Spring sale",
        "metrics": "successful call\nlead",
        "price_per_action": "0.25",
        "start_date": "2025-04-01",
    }
    details = page.locator("section[aria-labelledby='details-title'] dl")
    shown = dict(zip(details.locator("dt").all_inner_texts(), details.locator("dd").all_inner_texts(), strict=True))
    assert shown["Campaign"] == "Spring sale"
    assert shown["Actions (metrics) to bill"] == "successful call\nlead", "one metric per line, as typed"
    assert shown["Proposed price per action"] == "0.25"
    assert shown["Start date"] == "1 Apr 2025"
    expect(page.locator(".page-header__meta")).to_contain_text("Documents/Finance · Metrics tariffing request")


# --- Phone width ----------------------------------------------------------------------------------


def test_list_and_ticket_fit_a_phone_without_horizontal_scroll(
    open_page: Callable[..., Any],
    customer: Any,
    specialist: Any,
    make_ticket: Callable[..., Ticket],
    png_upload: Callable[..., Any],
) -> None:
    from supportdesk.tickets.attachments import upload_image

    shot = upload_image(customer, png_upload("wide-screenshot-of-the-campaign-editor.png", size=(1600, 900)))
    long_word = "https://app.example.test/campaigns/" + "spring-sale-" * 12
    ticket = make_ticket(customer, question=f"The editor breaks on {long_word}\nSee the screenshot.",
                         urgent=True, uploads=[shot.token])  # fmt: skip
    make_ticket(customer, section="documents-finance", ticket_type="metrics-tariffing")
    services.take(specialist, ticket.pk)
    services.specialist_reply(specialist, ticket.pk, f"Which browser? The link {long_word} opens for me.")

    page = open_page(customer, width=390, height=844, is_mobile=True, has_touch=True)

    def fits(path: str) -> None:
        page.goto(path)
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert inner_width == 390
        assert scroll_width <= inner_width, f"{path} scrolls sideways at 390px: {scroll_width}px wide"

    fits("/help/")
    expect(row(page, ticket).locator(".tag-urgent")).to_be_visible()
    box = row(page, ticket).get_by_role("link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"the summary is cut off: {box}"
    fits(f"/help/tickets/{ticket.pk}/")
    expect(page.locator(".thread .thumbs img")).to_be_visible()
    expect(page.get_by_text("Which browser?")).to_be_visible()
    expect(page.get_by_role("button", name="Send reply")).to_be_visible()
    fits("/help/new/")


# --- Russian --------------------------------------------------------------------------------------


def test_a_russian_browser_gets_the_russian_interface(
    open_page: Callable[..., Any], customer: Any, sections: dict[str, Any]
) -> None:
    page = open_page(customer, locale="ru-RU")
    page.goto("/help/new/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Section names come from the database in both languages: no catalog needed.
    expect(page.get_by_role("radio", name="Помощь по приложению")).to_be_visible()
    expect(page.get_by_role("radio", name="Документы/Финансы")).to_be_visible()

    with translation.override("ru"):
        create_ticket = translation.gettext("Create ticket")
    if not RU_CATALOG.exists():
        pytest.skip(f"html lang and Russian section names checked; UI strings not: {RU_CATALOG} is not compiled yet")
    if create_ticket == "Create ticket":
        pytest.skip(
            "html lang and Russian section names checked; UI strings not: 'Create ticket' is not translated yet"
        )
    expect(page.get_by_role("heading", level=1)).to_have_text(create_ticket)
    expect(page.locator(".site-header")).to_contain_text(create_ticket)


# --- Keyboard only --------------------------------------------------------------------------------


def tab_until(page: Any, wanted: Callable[[dict[str, Any]], bool], *, limit: int = 60) -> dict[str, Any]:
    """Presses Tab until the focused element is the wanted one; returns what FOCUSED saw there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"{limit} presses of Tab never reached the element")


def test_keyboard_alone_fills_and_sends_the_form_with_a_visible_focus_ring(
    open_page: Callable[..., Any], customer: Any, sections: dict[str, Any]
) -> None:
    page = open_page(customer)
    page.goto("/help/new/")
    resting_card = page.locator(".choice-card").first.evaluate(RING_OF)
    resting_question = page.locator("#id_question").evaluate(RING_OF)
    resting_send = page.locator("[data-submit]").evaluate(RING_OF)

    radio = tab_until(page, lambda f: f["name"] == "section")
    assert shows_focus(radio["card"], resting_card), f"no focus ring on the focused section: {radio}"
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Application help")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="System errors")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Application help")).to_be_checked()

    field = tab_until(page, lambda f: f["name"] == "question")
    assert shows_focus(field["own"], resting_question), f"no focus ring on the question: {field}"
    page.keyboard.type("Where do I see the statistics of one campaign?")

    send = tab_until(page, lambda f: f["submit"])
    assert send["text"] == "Send"
    assert shows_focus(send["own"], resting_send), f"no focus ring on Send: {send}"
    page.audit()
    page.keyboard.press("Enter")
    page.wait_for_url(TICKET_URL)
    page.audit()
    ticket = Ticket.objects.get(requester=customer)
    assert (ticket.section.code, ticket.summary) == (
        "application-help",
        "Where do I see the statistics of one campaign?",
    )
