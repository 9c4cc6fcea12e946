"""The FAQ pages and fragments: thin, over ``services``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from supportdesk.faq import services
from supportdesk.faq.markdown import plain
from supportdesk.faq.markdown import render as render_markdown
from supportdesk.tickets.errors import DomainError

SEARCH_MAX_CHARS = 200
PREVIEW_MAX_CHARS = 100_000
SEEN_KEY = "faq_seen"

if TYPE_CHECKING:
    from supportdesk.accounts.http import AuthenticatedRequest


def _only(check: Callable[[Any], bool]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed in and passing ``check``; anyone else gets the 404 of a page that is not his."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


support_only = _only(services.is_support)
editor_only = _only(services.is_editor)


@login_required
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """All articles by section, or with ``?q=`` the best matches of the search."""
    raw = request.GET.get("q", "")
    query = " ".join(raw.split())[:SEARCH_MAX_CHARS]
    context: dict[str, Any] = {"query": query, "shortened": len(raw.strip()) > SEARCH_MAX_CHARS, "plain": plain}
    if query:
        context["results"] = services.find(request.user, query)
    else:
        context["groups"] = services.grouped(request.user)
    template = "faq/_results.html" if request.htmx and request.htmx.target == "faq-results" else "faq/index.html"
    return render(request, template, context)


@login_required
@require_GET
def article(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    item = services.article_for(request.user, slug)
    seen = list(request.session.get(SEEN_KEY, []))
    if services.count_view(item, seen):
        request.session[SEEN_KEY] = [*seen[-199:], item.pk]
    section = services.section_from(request.GET.get("section")) or item.section
    context = {
        "article": item,
        "body": render_markdown(item.body),
        "related": services.related_articles(item),
        "vote": services.vote_of(request.user, item),
        "key": services.parse_key(request.GET.get("key")),
        "section": section,
    }
    return render(request, "faq/article.html", context)


@login_required
@require_POST
def feedback(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """ "Did this answer your question?" Yes / No."""
    choice = request.POST.get("helpful")
    if choice not in ("yes", "no"):
        return HttpResponse(_("Choose yes or no."), status=400)
    key = services.parse_key(request.POST.get("key"))
    section = services.section_from(request.POST.get("section"))
    try:
        outcome = services.answer(request.user, slug, helpful=choice == "yes", submission_key=key, section=section)
    except DomainError as exc:
        return HttpResponse(str(exc.message), status=exc.status_code)
    context = {"article": outcome.vote.article, "vote": outcome.vote.helpful, "deflected": outcome.deflected,
               "key": key, "section": section, "answered": True}  # fmt: skip
    if request.htmx:
        return render(request, "faq/_feedback.html", context)
    messages.success(request, _("Thank you for your answer."))
    return redirect("faq:article", slug=slug)


@login_required
@require_GET
@never_cache
def suggest(request: AuthenticatedRequest) -> HttpResponse:
    """The Create form's companion: articles that may answer the question being typed (htmx fragment)."""
    question = request.GET.get("question") or request.GET.get("q") or ""
    section = services.section_from(request.GET.get("section"))
    key = services.parse_key(request.GET.get("submission_key") or request.GET.get("key"))
    context = {
        "articles": services.suggestions(request.user, question, section=section),
        "deflection": services.deflection_for(request.user, key),
        "key": key,
        "section": section,
        "typed": len(question.strip()) >= services.SUGGESTION_MIN_CHARS,
        "plain": plain,
    }
    return render(request, "faq/_suggestions.html", context)


@support_only
@require_GET
@never_cache
def insert(request: AuthenticatedRequest) -> HttpResponse:
    """The workspace's "link an FAQ article" search: rows with the text to insert into a reply."""
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_CHARS]
    rows = services.search_for_insertion(request.user, query)
    context = {"rows": rows, "query": query, "target": request.GET.get("target", "")[:100]}
    return render(request, "faq/_insert.html", context)


@support_only
@require_POST
def from_ticket(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    """One step from a ticket's solution to a draft article."""
    try:
        draft = services.draft_article_from_ticket(request.user, ticket_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if back and safe else reverse("home"))
    messages.success(request, _("Draft article “%(title)s” is saved. An administrator reviews and publishes it.")
                     % {"title": draft.title})  # fmt: skip
    if services.is_editor(request.user):
        return redirect("admin:faq_article_change", draft.pk)
    return redirect("faq:article", slug=draft.slug)


@editor_only
@require_POST
def preview(request: AuthenticatedRequest) -> HttpResponse:
    """The admin's live preview of an article body."""
    text = request.POST.get("body", "")[:PREVIEW_MAX_CHARS]
    return render(request, "faq/_preview.html", {"html": render_markdown(text)})


@editor_only
@require_GET
def stats(request: AuthenticatedRequest) -> HttpResponse:
    rows, by_section = services.figures(request.user)
    context = {
        "rows": rows,
        "by_section": by_section,
        "total_deflections": sum(n for _s, n in by_section),
        "total_views": sum(r.views for r in rows),
    }
    return render(request, "faq/stats.html", context)
