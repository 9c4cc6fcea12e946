"""The FAQ pages: browsing, search, an article, "did this help", and every bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.faq.models import Article, ArticleStatus, Vote

pytestmark = pytest.mark.django_db


def test_the_faq_groups_articles_by_help_section(client_for, customer, faq):
    page = client_for(customer).get(reverse("faq:index")).content.decode()
    for text in ("Application help", "System errors", "Documents/Finance", "About support",
                 "How do I create a new campaign?", "What does each ticket status mean?"):  # fmt: skip
        assert text in page
    assert page.index("Application help") < page.index("System errors") < page.index("About support")


def test_the_faq_speaks_russian(client_for, customer, faq):
    client = client_for(customer)
    page = client.get(reverse("faq:index"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Как создать новую кампанию?" in page and "Помощь по приложению" in page
    article = client.get(reverse("faq:article", args=["view-statistics"]), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Откройте кампанию" in article.content.decode()


def test_search_ranks_results_and_htmx_gets_only_the_results(client_for, customer, faq):
    client = client_for(customer)
    page = client.get(reverse("faq:index"), {"q": "campain statistcs"}).content.decode()
    assert page.index("How do I view campaign statistics?") < page.index("How do I create a new campaign?")
    fragment = client.get(reverse("faq:index"), {"q": "statistics"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="faq-results").content.decode()  # fmt: skip
    assert "How do I view campaign statistics?" in fragment and "<html" not in fragment


@pytest.mark.parametrize(
    "query", ["", "   ", "x" * 10_000, '"', "*", "NEAR(a b)", "a:* & !b | (c", "<script>alert(1)</script>", "\x00"]
)
def test_any_search_gets_a_page_not_an_error(client_for, customer, faq, query):
    response = client_for(customer).get(reverse("faq:index"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_long_search_says_it_was_shortened(client_for, customer, faq):
    page = client_for(customer).get(reverse("faq:index"), {"q": "statistics " * 1000}).content.decode()
    assert "Only the first 200 characters" in page and "How do I view campaign statistics?" in page


def test_nothing_found_offers_a_ticket(client_for, customer, faq):
    page = client_for(customer).get(reverse("faq:index"), {"q": "qwxzy"}).content.decode()
    assert "Nothing found" in page and reverse("portal:create") in page


def test_the_faq_is_for_signed_in_people(client, faq):
    response = client.get(reverse("faq:index"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_an_article_renders_markdown_with_related_and_a_ticket_link(client_for, customer, faq):
    page = client_for(customer).get(reverse("faq:article", args=["create-campaign"])).content.decode()
    assert "<strong>New campaign</strong>" in page and "<ol>" in page
    assert "How do I configure a call script?" in page  # related
    assert f"{reverse('portal:create')}?section=application-help" in page
    assert "Did this answer your question?" in page


def test_drafts_are_404_for_customers_and_visible_to_support(client_for, customer, specialist, faq):
    Article.objects.create(slug="secret-draft", title_en="Draft", body_en="Soon", status=ArticleStatus.DRAFT)
    assert client_for(customer).get(reverse("faq:article", args=["secret-draft"])).status_code == 404
    assert client_for(customer).get(reverse("faq:article", args=["no-such-thing"])).status_code == 404
    page = client_for(specialist).get(reverse("faq:article", args=["secret-draft"]))
    assert page.status_code == 200 and "Draft" in page.content.decode()


def test_a_view_counts_once_per_session(client_for, customer, colleague, faq):
    url = reverse("faq:article", args=["view-statistics"])
    client = client_for(customer)
    client.get(url)
    client.get(url)
    client_for(colleague).get(url)
    assert Article.objects.get(slug="view-statistics").view_count == 2


def test_answers_are_counted_per_article_and_can_change(client_for, customer, colleague, faq):
    url = reverse("faq:feedback", args=["view-statistics"])
    response = client_for(customer).post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Glad it helped" in response.content.decode()
    client_for(colleague).post(url, {"helpful": "no"})
    client_for(customer).post(url, {"helpful": "yes"})
    article = faq["view-statistics"]
    assert Vote.objects.filter(article=article, helpful=True).count() == 1
    assert Vote.objects.filter(article=article, helpful=False).count() == 1
    client_for(colleague).post(url, {"helpful": "yes"})
    assert Vote.objects.filter(article=article, helpful=True).count() == 2


def test_bad_answers_are_refused_cleanly(client_for, customer, faq):
    client = client_for(customer)
    assert client.post(reverse("faq:feedback", args=["view-statistics"]), {"helpful": "maybe"}).status_code == 400
    assert client.post(reverse("faq:feedback", args=["nope"]), {"helpful": "yes"}).status_code == 404
    assert client.get(reverse("faq:feedback", args=["view-statistics"])).status_code == 405
    Article.objects.create(slug="d", title_en="Draft", body_en="x", status=ArticleStatus.DRAFT)
    assert client.post(reverse("faq:feedback", args=["d"]), {"helpful": "yes"}).status_code == 404
    assert Vote.objects.count() == 0


def test_a_slug_cannot_take_an_faq_path(faq):
    article = Article(slug="suggest", title_en="Suggest", body_en="x")
    with pytest.raises(Exception, match="taken by the FAQ"):
        article.full_clean()


def test_the_faq_pages_keep_their_query_counts(client_for, customer, faq, django_assert_num_queries, session_queries):
    client = client_for(customer)
    client.get(reverse("faq:index"))
    # The articles with their sections (+ session); the user comes from the cache.
    with django_assert_num_queries(1 + session_queries):
        client.get(reverse("faq:index"))
    client.get(reverse("faq:article", args=["create-campaign"]))
    # article, related (linked; then the section's), this reader's vote (+ session)
    with django_assert_num_queries(4 + session_queries):
        client.get(reverse("faq:article", args=["create-campaign"]))
