"""Support's side of the FAQ: links in replies, drafts from solved tickets, the admin."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from supportdesk.faq import services
from supportdesk.faq.models import Article, ArticleStatus
from supportdesk.tickets import services as tickets
from supportdesk.tickets.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_specialist_finds_articles_to_link_in_a_reply(client_for, specialist, faq, settings):
    settings.SITE_URL = "https://help.example"
    rows = services.search_for_insertion(specialist, "telephony")
    assert rows[0].text == "Telephony failures: calls don't go through: https://help.example/faq/telephony-failures/"
    html = client_for(specialist).get(reverse("faq:insert"), {"q": "telefony", "target": "#id_body"}).content.decode()
    assert (
        'data-faq-insert="Telephony failures: calls don&#39;t go through: https://help.example/faq/telephony-failures/"'
        in html
    )
    assert 'data-faq-target="#id_body"' in html


def test_link_search_is_for_support_only(client_for, customer, manager, faq):
    for user in (customer, manager):
        assert client_for(user).get(reverse("faq:insert"), {"q": "telephony"}).status_code == 404
    with pytest.raises(Exception):  # noqa: B017 - Http404
        services.search_for_insertion(customer, "telephony")


def test_link_search_does_not_offer_drafts(specialist, faq):
    Article.objects.create(slug="wip", title_en="Telephony draft", body_en="x", status=ArticleStatus.DRAFT)
    assert "wip" not in [r.article.slug for r in services.search_for_insertion(specialist, "telephony draft")]


def test_a_solved_ticket_becomes_a_draft_article_in_one_step(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer, section="system-errors", question="Calls drop after ten seconds on every line")
    tickets.take(specialist, ticket.pk)
    tickets.close(specialist, ticket.pk, "Update the SIP codec to G.711 under Telephony → Lines.")
    response = client_for(specialist).post(reverse("faq:from_ticket", args=[ticket.pk]))
    article = Article.objects.get(source_ticket=ticket)
    assert response.status_code == 302 and response["Location"] == reverse("faq:article", args=[article.slug])
    assert article.status == ArticleStatus.DRAFT and article.section.code == "system-errors"
    assert article.title_en == "Calls drop after ten seconds on every line"
    assert article.body_en == "Update the SIP codec to G.711 under Telephony → Lines."
    assert article.created_by == specialist
    # Twice: the same draft.
    assert services.draft_article_from_ticket(specialist, ticket.pk) == article
    assert Article.objects.filter(source_ticket=ticket).count() == 1


def test_an_admin_lands_on_the_draft_in_the_admin(client_for, customer, admin_user, make_ticket):
    ticket = make_ticket(customer)
    tickets.specialist_reply(admin_user, ticket.pk, "Open Campaigns → New campaign.")
    response = client_for(admin_user).post(reverse("faq:from_ticket", args=[ticket.pk]))
    article = Article.objects.get(source_ticket=ticket)
    assert response["Location"] == reverse("admin:faq_article_change", args=[article.pk])
    page = client_for(admin_user).get(response["Location"]).content.decode()
    assert "preview" in page.lower() and "Open Campaigns" in page


def test_a_ticket_without_an_answer_cannot_become_an_article(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    with pytest.raises(DomainError):
        services.draft_article_from_ticket(specialist, ticket.pk)
    response = client_for(specialist).post(reverse("faq:from_ticket", args=[ticket.pk]), {"next": "/desk/"})
    assert response.status_code == 302 and Article.objects.count() == 0


def test_drafting_from_a_ticket_is_for_support_only(client_for, customer, manager, make_ticket, specialist):
    ticket = make_ticket(customer)
    tickets.specialist_reply(specialist, ticket.pk, "Answer")
    for user in (customer, manager):
        assert client_for(user).post(reverse("faq:from_ticket", args=[ticket.pk])).status_code == 404
    assert client_for(specialist).post(reverse("faq:from_ticket", args=[999999])).status_code == 404
    assert Article.objects.count() == 0


def test_admins_write_articles_in_the_admin_and_search_learns_them(client_for, admin_user, customer, sections, faq):
    response = client_for(admin_user).post(
        reverse("admin:faq_article_add"),
        {
            "status": "published", "section": sections["application-help"].pk, "position": 5, "slug": "operator-roles",
            "title_en": "How do I give an operator supervisor rights?", "title_ru": "", "keywords_en": "roles",
            "keywords_ru": "", "body_en": "Open **Team** and choose the role.", "body_ru": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="operator-roles")
    assert article.created_by == admin_user
    assert [a.slug for a in services.find(customer, "supervisr rights", limit=1)] == ["operator-roles"]


def test_the_admin_refuses_an_article_without_a_question(client_for, admin_user, sections):
    response = client_for(admin_user).post(
        reverse("admin:faq_article_add"),
        {"status": "published", "position": 0, "slug": "empty", "title_en": "", "title_ru": "", "keywords_en": "",
         "keywords_ru": "", "body_en": "", "body_ru": ""},
    )  # fmt: skip
    assert response.status_code == 200 and Article.objects.filter(slug="empty").count() == 0


def test_a_refused_draft_goes_back_only_within_the_site(client_for, customer, specialist, make_ticket):
    ticket = make_ticket(customer)
    url = reverse("faq:from_ticket", args=[ticket.pk])
    assert client_for(specialist).post(url, {"next": "https://evil.example/"})["Location"] == reverse("home")
    assert client_for(specialist).post(url, {"next": "/desk/"})["Location"] == "/desk/"


def test_the_workspace_pieces_render_for_the_desk(rf, specialist, customer, make_ticket):
    ticket = make_ticket(customer)
    request = rf.get(f"/desk/tickets/{ticket.pk}/")
    request.user = specialist
    box = render_to_string("faq/_insert_box.html", {"faq_target": "#id_body"}, request=request)
    assert 'hx-get="/faq/insert/"' in box and 'name="target" value="#id_body"' in box
    button = render_to_string("faq/_draft_button.html", {"ticket": ticket}, request=request)
    assert f'action="/faq/from-ticket/{ticket.pk}/"' in button and 'name="csrfmiddlewaretoken"' in button
