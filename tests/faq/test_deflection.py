"""Answers while you type, and counting the tickets they saved."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from supportdesk.faq import services
from supportdesk.faq.models import ArticleStatus, Deflection

pytestmark = pytest.mark.django_db


def _suggest(client, question, **params):
    return client.get(reverse("faq:suggest"), {"question": question, **params}, HTTP_HX_REQUEST="true")


def _say_yes(client, key, slug="view-statistics", section=""):
    return client.post(reverse("faq:feedback", args=[slug]), {"helpful": "yes", "key": str(key), "section": section},
                       HTTP_HX_REQUEST="true")  # fmt: skip


def test_suggestions_follow_the_question(client_for, customer, faq, sections):
    key = uuid.uuid4()
    html = _suggest(client_for(customer), "How can I see the statistcs of my campain", submission_key=str(key),
                    section=str(sections["application-help"].pk)).content.decode()  # fmt: skip
    assert "These answers may help" in html and "How do I view campaign statistics?" in html
    assert f"key={key}" in html and "section=application-help" in html and 'target="_blank"' in html
    assert "<html" not in html


def test_suggestions_wait_for_enough_text_and_survive_anything(client_for, customer, faq):
    client = client_for(customer)
    assert "These answers" not in _suggest(client, "how").content.decode()
    for question in ("x" * 10_000, '"*:() NEAR', "<img src=x onerror=alert(1)>", ""):
        response = _suggest(client, question, submission_key="not-a-uuid", section="../../etc")
        assert response.status_code == 200
        assert "onerror=alert" not in response.content.decode()
    nothing = _suggest(client, "qwxzy vbnmq plkjh").content.decode()
    assert "No ready answer found" in nothing


def test_suggestions_weigh_the_chosen_section(client_for, customer, faq, sections):
    html = _suggest(client_for(customer), "problem with the campaign",
                    section=str(sections["system-errors"].pk)).content.decode()  # fmt: skip
    first = re.search(r"data-faq-suggestion>\s*([^<]+)<", html)
    assert first is not None and first.group(1).strip() == "Errors when creating a campaign"


def test_an_article_opened_from_a_suggestion_asks_if_it_solved_it(client_for, customer, faq):
    key = uuid.uuid4()
    url = reverse("faq:article", args=["view-statistics"]) + f"?key={key}&section=application-help"
    page = client_for(customer).get(url).content.decode()
    assert "Did this solve your problem?" in page and "Yes, this solved it" in page
    assert f'name="key" value="{key}"' in page


def test_yes_from_a_suggestion_is_one_deflected_ticket(client_for, customer, faq, sections):
    key = uuid.uuid4()
    client = client_for(customer)
    response = _say_yes(client, key, section=str(sections["application-help"].pk))
    assert "Glad it solved your problem" in response.content.decode()
    _say_yes(client, key)  # answered again, or the page reloaded
    _say_yes(client, key, slug="create-campaign")  # another suggestion of the same form
    deflection = Deflection.objects.get()
    assert (deflection.article.slug, deflection.section.code) == ("view-statistics", "application-help")
    assert services.counted_deflections().count() == 1


def test_no_or_a_plain_visit_is_not_a_deflection(client_for, customer, faq):
    client = client_for(customer)
    client.post(reverse("faq:feedback", args=["view-statistics"]), {"helpful": "no", "key": str(uuid.uuid4())})
    client.post(reverse("faq:feedback", args=["view-statistics"]), {"helpful": "yes"})  # not from the Create form
    assert Deflection.objects.count() == 0


def test_sending_the_ticket_afterwards_withdraws_the_deflection(client_for, customer, faq, make_ticket):
    key = uuid.uuid4()
    _say_yes(client_for(customer), key)
    assert services.counted_deflections().count() == 1
    make_ticket(customer, submission_key=key)
    assert services.counted_deflections().count() == 0
    assert Deflection.objects.count() == 1  # kept, but no longer counted


def test_a_form_that_already_sent_its_ticket_deflects_nothing(client_for, customer, faq, make_ticket):
    key = uuid.uuid4()
    make_ticket(customer, submission_key=key)
    response = _say_yes(client_for(customer), key)
    assert "Glad it solved" not in response.content.decode()
    assert Deflection.objects.count() == 0


def test_each_customers_form_counts_for_itself(client_for, customer, colleague, faq, make_ticket):
    key = uuid.uuid4()
    _say_yes(client_for(customer), key)
    _say_yes(client_for(colleague), key)
    make_ticket(colleague, submission_key=key)  # the colleague's ticket does not withdraw Alice's
    assert [d.user for d in services.counted_deflections()] == [customer]


def test_support_staff_answering_yes_deflects_nothing(client_for, specialist, faq):
    _say_yes(client_for(specialist), uuid.uuid4())
    assert Deflection.objects.count() == 0


def test_the_form_learns_it_was_solved(client_for, customer, faq):
    key = uuid.uuid4()
    client = client_for(customer)
    _say_yes(client, key)
    html = _suggest(client, "statistics of my campaign", submission_key=str(key)).content.decode()
    assert "Solved by “How do I view campaign statistics?”" in html


def test_admins_see_deflections_per_article_and_per_section(client_for, customer, colleague, admin_user, faq,
                                                              sections, make_ticket):  # fmt: skip
    _say_yes(client_for(customer), uuid.uuid4(), section=str(sections["application-help"].pk))
    _say_yes(client_for(colleague), uuid.uuid4(), slug="telephony-failures")
    withdrawn = uuid.uuid4()
    _say_yes(client_for(colleague), withdrawn, slug="telephony-failures")
    make_ticket(colleague, submission_key=withdrawn)
    rows, by_section = services.figures(admin_user)
    per_article = {r.article.slug: r.deflections for r in rows}
    assert per_article["view-statistics"] == 1 and per_article["telephony-failures"] == 1
    assert {s.code: n for s, n in by_section} == {"application-help": 1, "system-errors": 1}
    page = client_for(admin_user).get(reverse("faq:stats")).content.decode()
    assert "Deflected tickets by section" in page and "System errors" in page
    changelist = client_for(admin_user).get(reverse("admin:faq_article_changelist")).content.decode()
    assert "tickets deflected" in changelist.lower()


def test_figures_are_for_admins_only(client_for, customer, specialist, faq):
    for user in (customer, specialist):
        assert client_for(user).get(reverse("faq:stats")).status_code == 404


def test_suggest_answers_in_few_queries(client_for, customer, faq, sections, django_assert_max_num_queries):
    client = client_for(customer)
    params = {"submission_key": str(uuid.uuid4()), "section": str(sections["system-errors"].pk)}
    _suggest(client, "telephony calls fail", **params)
    # session, user, section, vocabulary version (SQLite) or typo lookup (PostgreSQL), search, articles,
    # this form's deflection
    with django_assert_max_num_queries(7):
        _suggest(client, "telefony calls faill", **params)


def test_cached_suggestions_follow_an_article_edited_or_withdrawn(client_for, customer, faq):
    """Searches are kept under the FAQ's stamp: an edit shows at the next pause in typing."""
    client = client_for(customer)
    assert "No ready answer found" in _suggest(client, "qwxzy vbnmq plkjh").content.decode()
    article = faq["view-statistics"]
    article.keywords_en = "qwxzy"
    article.save()  # what the admin's form does
    assert "How do I view campaign statistics?" in _suggest(client, "qwxzy vbnmq plkjh").content.decode()
    article.status = ArticleStatus.DRAFT
    article.save()
    assert "How do I view campaign statistics?" not in _suggest(client, "qwxzy vbnmq plkjh").content.decode()
