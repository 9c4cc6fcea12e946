"""In Chromium: a customer types his question, sees the FAQ's suggestion, opens it and says it solved it;
a specialist links an article in a reply; a consultation goes to the manager and back.

Every page loaded is audited by tests/browser/conftest.py (axe-core: no serious or critical violation;
no console error, which a CSP violation is; no failed static file); after htmx swaps, ``page.audit()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string

from supportdesk.faq.models import Deflection, Vote
from tests.browser.conftest import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def include_if_missing(page: Any, live_server: Any, selector: str, template: str, where: str, **context: Any) -> None:
    """Until the page owned elsewhere includes our partial, put the same markup where it goes."""
    if page.locator(selector).count():
        return
    html = render_to_string(template, context).split("<script", 1)[0]
    page.evaluate(
        """([where, selector, html]) => {
             document.querySelector(where).insertAdjacentHTML('afterbegin', html);
             htmx.process(document.querySelector(selector)); }""",
        [where, selector, html],
    )
    page.add_script_tag(url=f"{live_server.url}/static/faq/faq.js")


def test_a_suggestion_answers_the_question_before_it_becomes_a_ticket(
    open_page: Callable[..., Any], live_server: Any, customer: Any, sections: Any
) -> None:
    call_command("seed_faq", verbosity=0)
    page = open_page(customer)
    page.goto("/help/new/")
    include_if_missing(page, live_server, "#faq-suggestions", "faq/_suggestions_slot.html", ".sidebar-layout > aside")
    key = page.locator("#id_submission_key").input_value()
    assert uuid.UUID(key)

    page.locator("#id_question").press_sequentially("How can I see the statistcs of my campain?", delay=15)
    suggestion = page.locator("[data-faq-suggestion]", has_text="How do I view campaign statistics?")
    suggestion.wait_for()
    assert page.get_by_role("heading", name="These answers may help").is_visible()
    page.audit()

    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    assert article.get_by_role("heading", level=1).inner_text() == "How do I view campaign statistics?"
    assert article.get_by_role("heading", name="Did this solve your problem?").is_visible()
    audit(article)

    article.get_by_role("button", name="Yes, this solved it").click()
    article.get_by_text("Glad it solved your problem!").wait_for()
    audit(article)
    deflection = Deflection.objects.get()
    assert (str(deflection.submission_key), deflection.article.slug) == (key, "view-statistics")
    assert Vote.objects.get().helpful is True

    # Back on the form (its tab shown again), the suggestions say the ticket is not needed.
    page.bring_to_front()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_text("Solved by “How do I view campaign statistics?”").wait_for()
    page.audit()


def test_a_specialist_links_an_faq_article_in_a_reply(
    open_page: Callable[..., Any], live_server: Any, specialist: Any, customer: Any, make_ticket: Any
) -> None:
    call_command("seed_faq", verbosity=0)
    ticket = make_ticket(customer, section="system-errors", question="Calls do not go through since 9:00")
    page = open_page(specialist)
    page.goto(f"/desk/tickets/{ticket.pk}/")
    if page.locator("#form-compose textarea").count() == 0:
        pytest.skip("the specialist's workspace has no reply box at /desk/tickets/<id>/ in this checkout")
    include_if_missing(page, live_server, "#faq-insert-box", "faq/_insert_box.html", "#composer",
                       faq_target="#form-compose textarea")  # fmt: skip
    page.locator("#form-compose textarea").fill("Hello! Please check the numbers first.")
    page.locator("#faq-insert-q").press_sequentially("telefony", delay=15)
    insert = page.get_by_role("button", name="Insert link to “Telephony failures: calls don't go through”")
    insert.wait_for()
    page.audit()
    insert.click()
    value = page.locator("#form-compose textarea").input_value()
    link = f"{settings.SITE_URL}/faq/telephony-failures/"
    assert value == f"Hello! Please check the numbers first.\nTelephony failures: calls don't go through: {link}"


def test_a_consultation_reaches_the_manager_and_his_answer_comes_back(
    open_page: Callable[..., Any], customer: Any, manager: Any, sections: Any
) -> None:
    call_command("seed_faq", verbosity=0)
    page = open_page(customer)
    russian = "/faq/?q=%D1%81%D1%82%D0%B0%D1%82%D0%B8%D1%81%D1%82%D0%B8%D0%BA%D0%B0"  # статистика
    for path in ("/faq/", "/faq/?q=campain+statistcs", russian, "/faq/ticket-statuses/", "/help/consultations/"):
        page.goto(path)
    page.goto("/help/consultations/new/")
    page.get_by_label("Topic").fill("Volume discount")
    page.get_by_label("Your question").fill("Can we discuss a discount?")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Volume discount").wait_for()
    page.audit()

    desk = open_page(manager)
    desk.goto("/manager/")
    desk.get_by_role("link", name="Volume discount").click()
    desk.get_by_label("Your answer").wait_for()
    desk.audit()
    desk.get_by_label("Your answer").fill("Yes: 10% from 50k minutes.")
    desk.get_by_role("button", name="Send answer").click()
    desk.get_by_text("Your answer is sent.").wait_for()
    desk.audit()
    desk.goto("/manager/tickets/")

    page.reload()
    assert page.get_by_text("Yes: 10% from 50k minutes.").is_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_suggestions_show_before_send_on_a_phone_and_beside_the_form_on_a_desk(
    open_page: Callable[..., Any], customer: Any, sections: Any, width: int
) -> None:
    """On a phone the aside stacks under the form: the answers would appear below Send, unseen while
    the customer types. There they come right under the question; on a wide screen, beside the form."""
    call_command("seed_faq", verbosity=0)
    page = open_page(customer, width=width, height=844)
    page.goto("/help/new/")
    page.locator("#id_question").press_sequentially("How can I see the statistcs of my campain?", delay=15)
    suggestion = page.locator("[data-faq-suggestion]", has_text="How do I view campaign statistics?")
    suggestion.wait_for()
    page.audit()
    found = suggestion.bounding_box()
    question = page.locator("#id_question").bounding_box()
    send = page.get_by_role("button", name="Send").bounding_box()
    form = page.locator("form[data-create-form]").bounding_box()
    assert found and question and send and form
    if width < 960:
        assert question["y"] < found["y"] < send["y"]
        assert found["x"] >= 0 and found["x"] + found["width"] <= width
    else:
        assert found["x"] >= form["x"] + form["width"]  # in the aside, to the form's right
