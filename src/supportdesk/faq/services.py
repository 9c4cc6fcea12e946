"""Reading the FAQ and every change to it: views, answers, deflections, drafts from tickets.

Views only call these. Who may do what: everyone signed in reads published articles; support
(specialists and admins) also reads drafts, inserts links and drafts articles from tickets; admins
edit and publish (in the admin) and see the figures.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from supportdesk.accounts.models import Role
from supportdesk.faq import search
from supportdesk.faq.markdown import plain
from supportdesk.faq.models import RESERVED_SLUGS, Article, ArticleStatus, Deflection, Vote
from supportdesk.tickets import freshness
from supportdesk.tickets.catalog import active_section, active_sections
from supportdesk.tickets.errors import DomainError
from supportdesk.tickets.models import MessageKind, Section, Ticket
from supportdesk.tickets.policies import ticket_for

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

SUGGESTION_MIN_CHARS = 8
SECTION_BOOST = 1.5


# --- Who -------------------------------------------------------------------------------------------


def is_support(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in (Role.SPECIALIST, Role.ADMIN)


def is_editor(user: User) -> bool:
    """Admins write, edit and publish articles and see their figures."""
    return user.is_authenticated and user.is_active and (user.role == Role.ADMIN or user.is_superuser)


def visible_articles(user: User) -> QuerySet[Article]:
    articles = Article.objects.select_related("section")
    if not user.is_authenticated or not user.is_active:
        return articles.none()
    if is_support(user):
        return articles
    return articles.filter(status=ArticleStatus.PUBLISHED)


def article_for(user: User, slug: str) -> Article:
    """The article if this user may read it; otherwise 404, as for one that does not exist."""
    try:
        return visible_articles(user).get(slug=slug)
    except Article.DoesNotExist:
        raise Http404 from None


# --- Reading ---------------------------------------------------------------------------------------


@dataclass
class Group:
    section: Section | None
    articles: list[Article] = field(default_factory=list)


def grouped(user: User) -> list[Group]:
    """Published articles by Help section (in the sections' order), then the ones about support itself."""
    groups: dict[int | None, Group] = {}
    articles = (
        visible_articles(user)
        .filter(status=ArticleStatus.PUBLISHED)
        .order_by(F("section__position").asc(nulls_last=True), "section_id", "position", "id")
    )
    for article in articles.defer("body_en", "body_ru"):
        groups.setdefault(article.section_id, Group(article.section)).articles.append(article)
    return list(groups.values())


def find(
    user: User, text: str, *, limit: int = 20, section: Section | None = None, typing: bool = False
) -> list[Article]:
    """Published articles matching ``text``, best first; those of ``section`` weigh more.

    Kept in the cache under the FAQ's stamp, by the words searched (not the text typed: "Calls drop!"
    and "calls drop" are one search) and by what the reader may see: the Create form asks again at
    every pause in typing.
    """
    found = search.terms(text, typing=typing)
    if not found.words or not (user.is_authenticated and user.is_active):
        return []
    vary = (found, limit, section.pk if section else None, is_support(user), connection.vendor)
    return freshness.cached(
        "faq-find", [freshness.FAQ], vary, lambda: _find(user, text, limit=limit, section=section, typing=typing)
    )


def _find(user: User, text: str, *, limit: int, section: Section | None, typing: bool) -> list[Article]:
    hits = search.search(text, limit=limit * 2 if section else limit, typing=typing)
    if not hits:
        return []
    articles = visible_articles(user).in_bulk([h.article_id for h in hits])
    scored = []
    for hit in hits:
        article = articles.get(hit.article_id)
        if article is None:
            continue
        boost = SECTION_BOOST if section is not None and article.section_id == section.pk else 1.0
        scored.append((hit.score * boost, article))
    scored.sort(key=lambda pair: -pair[0])
    return [article for _score, article in scored[:limit]]


def suggestions(user: User, question: str, *, section: Section | None = None, limit: int = 3) -> list[Article]:
    """While the customer types his question: the articles that may already answer it."""
    if len(question.strip()) < SUGGESTION_MIN_CHARS:
        return []
    return find(user, question, limit=limit, section=section, typing=True)


def section_from(value: object) -> Section | None:
    """The active section named by its id or its code (the Create form sends the id)."""
    text = str(value or "").strip()[:40]
    if not text:
        return None
    if text.isdigit():
        return active_section(int(text))
    return next((s for s in active_sections() if s.code == text), None)  # the catalog (shared: read only)


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """The ones an editor linked, then others of the same section."""
    chosen = list(article.related.filter(status=ArticleStatus.PUBLISHED).select_related("section")[:limit])
    if len(chosen) < limit:
        more = (
            Article.objects.filter(status=ArticleStatus.PUBLISHED, section=article.section)
            .exclude(pk__in=[article.pk, *[a.pk for a in chosen]])
            .select_related("section")
            .defer("body_en", "body_ru")
            .order_by("position", "id")[: limit - len(chosen)]
        )
        chosen.extend(more)
    return chosen


def count_view(article: Article, seen: list[int]) -> bool:
    """Count one view per reader session (``seen``: the ids the session already counted)."""
    if article.pk in seen or not article.is_published:
        return False
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    return True


def vote_of(user: User, article: Article) -> bool | None:
    return Vote.objects.filter(article=article, user=user).values_list("helpful", flat=True).first()


def parse_key(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


# --- "Did this answer your question?" and deflections -----------------------------------------------


@dataclass
class Answer:
    vote: Vote
    deflected: bool


def answer(
    user: User,
    slug: str,
    *,
    helpful: bool,
    submission_key: uuid.UUID | None = None,
    section: Section | None = None,
) -> Answer:
    """Record the reader's answer; "yes" about a suggestion opened from the Create form is a deflection.

    ``submission_key``: the Create form's key, passed in the suggestion's link. One deflection per
    form session however often it is answered; none if that form has already sent its ticket.
    """
    with transaction.atomic():
        article = article_for(user, slug)
        if not article.is_published:
            raise DomainError(_("Only published articles take answers."))
        vote, _created = Vote.objects.update_or_create(
            article=article, user=user, defaults={"helpful": helpful, "created_at": timezone.now()}
        )
        deflected = False
        if helpful and submission_key is not None and user.role == Role.CUSTOMER:
            deflected = _deflect(user, article, submission_key, section)
    return Answer(vote, deflected)


def _deflect(user: User, article: Article, key: uuid.UUID, section: Section | None) -> bool:
    if _ticket_sent(user, key):
        return False  # the form already sent its ticket: nothing was deflected
    Deflection.objects.get_or_create(
        user=user, submission_key=key, defaults={"article": article, "section": section or article.section}
    )
    return True


def counted_deflections() -> QuerySet[Deflection]:
    """Deflections still standing: no ticket was sent afterwards from the same form session."""
    sent = Ticket.objects.filter(requester=OuterRef("user"), submission_key=OuterRef("submission_key"))
    return Deflection.objects.filter(~Exists(sent))


def deflection_for(user: User, key: uuid.UUID | None) -> Deflection | None:
    """The standing deflection of this Create form session, if its customer said a suggestion solved it."""
    if key is None or not user.is_authenticated:
        return None
    # Asked at every pause in typing, and mostly there is none: the plain lookup first (its article read
    # only when there is one), then the check that ``counted_deflections`` makes.
    deflection = Deflection.objects.filter(user=user, submission_key=key).first()
    if deflection is None or _ticket_sent(user, key):
        return None
    return deflection


def _ticket_sent(user: User, key: uuid.UUID) -> bool:
    """Whether the Create form of this key has sent its ticket (so nothing was deflected)."""
    return Ticket.objects.filter(requester=user, submission_key=key).exists()


@dataclass
class ArticleFigures:
    article: Article
    views: int
    helpful: int
    unhelpful: int
    deflections: int

    @property
    def helpful_share(self) -> int | None:
        answers = self.helpful + self.unhelpful
        return round(100 * self.helpful / answers) if answers else None


def figures(user: User) -> tuple[list[ArticleFigures], list[tuple[Section | None, int]]]:
    """Views, answers and deflections per article, and deflections per section (for admins)."""
    if not is_editor(user):
        raise Http404
    per_article = Counter(counted_deflections().values_list("article_id", flat=True))
    per_section = Counter(counted_deflections().values_list("section_id", flat=True))
    articles = (
        Article.objects.select_related("section")
        .defer("body_en", "body_ru")
        .annotate(
            yes=Count("votes", filter=Q(votes__helpful=True)),
            no=Count("votes", filter=Q(votes__helpful=False)),
        )
        .order_by(F("section__position").asc(nulls_last=True), "position", "id")
    )
    rows = [ArticleFigures(a, a.view_count, a.yes, a.no, per_article.get(a.pk, 0)) for a in articles]
    sections = {s.pk: s for s in Section.objects.all()}
    by_section = [(sections.get(pk) if pk else None, n) for pk, n in per_section.most_common()]
    return rows, by_section


# --- Writing articles ---------------------------------------------------------------------------------


def unique_slug(title: str, *, exclude: int | None = None) -> str:
    base = slugify(title)[:70].strip("-") or "article"
    if base in RESERVED_SLUGS:
        base = f"{base}-article"
    slug, number = base, 1
    taken = Article.objects.exclude(pk=exclude) if exclude else Article.objects.all()
    while taken.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def save_article(user: User, article: Article) -> Article:
    """An editor's save (the admin calls it): stamp it and teach search its words."""
    if not is_editor(user):
        raise DomainError(_("Only administrators edit FAQ articles."))
    with transaction.atomic():
        if not article.slug:
            article.slug = unique_slug(article.title_en or article.title_ru, exclude=article.pk)
        if article.created_by_id is None:
            article.created_by = user
        article.updated_at = timezone.now()
        article.save()
        search.remember_words([article])
    return article


def draft_article_from_ticket(user: User, ticket_id: object) -> Article:
    """A specialist turns a ticket's solution into a draft article in one step (twice: the same draft).

    Question: the ticket's brief description; answer: its solution recommendation, else support's
    last response; both in the specialist's language. An admin reviews and publishes it.
    """
    if not is_support(user):
        raise Http404
    with transaction.atomic():
        ticket = ticket_for(user, ticket_id)
        existing = Article.objects.filter(source_ticket=ticket).first()
        if existing is not None:
            return existing
        responses = ticket.messages.filter(kind=MessageKind.RESPONSE).order_by("-is_solution", "-created_at", "-id")
        solution = responses.first()
        if solution is None:
            raise DomainError(_("The ticket has no support response yet to turn into an article."))
        language = "ru" if translation.get_language() == "ru" else "en"
        title = ticket.summary.rstrip(" .…")[:200]
        article = Article(
            slug=unique_slug(title),
            section=ticket.section,
            status=ArticleStatus.DRAFT,
            source_ticket=ticket,
            created_by=user,
            **{f"title_{language}": title, f"body_{language}": solution.body},
        )
        article.save()
        search.remember_words([article])
    return article


@dataclass
class Insertable:
    article: Article
    url: str
    text: str
    snippet: str


def search_for_insertion(user: User, text: str, *, limit: int = 8) -> list[Insertable]:
    """Published articles a specialist can link in a reply: the text to insert is "Title: URL"."""
    if not is_support(user):
        raise Http404
    found = find(user, text, limit=limit) if text.strip() else []
    rows = []
    for article in found:
        link = settings.SITE_URL + reverse("faq:article", args=[article.slug])
        rows.append(Insertable(article, link, f"{article.title}: {link}", plain(article.body, 120)))
    return rows
