"""Load the demo FAQ (English and Russian) from ``supportdesk.faq.demo``. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from supportdesk.faq import search
from supportdesk.faq.demo import ARTICLES
from supportdesk.faq.models import Article, ArticleStatus, Term
from supportdesk.tickets import freshness
from supportdesk.tickets.models import Section

TEXT_FIELDS = ("title_en", "title_ru", "keywords_en", "keywords_ru", "body_en", "body_ru")


class Command(BaseCommand):
    help = "Add the demo FAQ articles that are missing (by address); --update also rewrites existing ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true", help="rewrite the demo articles' text too")

    def handle(self, *args: Any, update: bool = False, **options: Any) -> None:
        sections = {s.code: s for s in Section.objects.all()}
        created = updated = 0
        with transaction.atomic():
            by_slug: dict[str, Article] = {}
            for position, data in enumerate(ARTICLES, start=1):
                section = sections.get(data["section"]) if data["section"] else None
                text = {name: data[name] for name in TEXT_FIELDS}
                article = Article.objects.filter(slug=data["slug"]).first()
                if article is None:
                    article = Article.objects.create(
                        slug=data["slug"], section=section, status=ArticleStatus.PUBLISHED, position=position, **text
                    )
                    created += 1
                elif update:
                    for name, value in text.items():
                        setattr(article, name, value)
                    article.section, article.status, article.updated_at = (
                        section,
                        ArticleStatus.PUBLISHED,
                        timezone.now(),
                    )
                    article.save()
                    updated += 1
                by_slug[data["slug"]] = article
            for data in ARTICLES:
                article = by_slug[data["slug"]]
                if update or not article.related.exists():
                    article.related.set([by_slug[s] for s in data["related"] if s in by_slug])
            # The vocabulary typos are corrected against: rebuilt from every article.
            Term.objects.all().delete()
            search.remember_words(Article.objects.all())
            freshness.touch(freshness.FAQ)  # the vocabulary's bulk writes send no signals
        self.stdout.write(
            f"FAQ: {created} articles added, {updated} updated, {len(ARTICLES) - created - updated} kept."
        )
