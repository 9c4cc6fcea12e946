"""FAQ articles, the answers customers give them, and the tickets they saved.

An article carries English and Russian text in one row, like the sections it is grouped by, so its
figures (views, "did this help", deflections) count once whatever language it was read in.

The search index is not in these models: the migrations add an FTS5 table (SQLite) or a generated
``tsvector`` column with a GIN index (PostgreSQL) beside ``faq_article``; see ``search.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# Paths of the FAQ that an article's slug must not take.
RESERVED_SLUGS = frozenset({"suggest", "insert", "preview", "stats", "from-ticket", "search"})


class Article(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True, allow_unicode=False)
    section = models.ForeignKey(
        "tickets.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="faq_articles",
        help_text=_("Empty: a question about support itself (how to get help, statuses)."),
    )
    status = models.CharField(_("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    title_ru = models.CharField(_("question (Russian)"), max_length=200, blank=True)
    body_en = models.TextField(_("answer (English, Markdown)"), blank=True)
    body_ru = models.TextField(_("answer (Russian, Markdown)"), blank=True)
    keywords_en = models.CharField(
        _("other words for it (English)"), max_length=300, blank=True, help_text=_("Words customers use; searched.")
    )
    keywords_ru = models.CharField(_("other words for it (Russian)"), max_length=300, blank=True)
    related = models.ManyToManyField("self", verbose_name=_("related articles"), symmetrical=False, blank=True)
    source_ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("written from ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("FAQ article")
        verbose_name_plural = _("FAQ articles")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["status", "section", "position"], name="faq_article_listing")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is taken by the FAQ itself; choose another.")
        if not (self.title_en.strip() or self.title_ru.strip()):
            errors["title_en"] = _("Write the question in at least one language.")
        if self.status == ArticleStatus.PUBLISHED and not (self.body_en.strip() or self.body_ru.strip()):
            errors["body_en"] = _("A published article needs an answer.")
        if errors:
            raise ValidationError(errors)

    def _localized(self, field: str) -> str:
        """The active language's text, else the other language's: an article may exist in one only."""
        first, second = ("ru", "en") if translation.get_language() == "ru" else ("en", "ru")
        return str(getattr(self, f"{field}_{first}") or getattr(self, f"{field}_{second}") or "")

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def body(self) -> str:
        return self._localized("body")

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class Vote(models.Model):
    """One reader's answer to "Did this answer your question?"; answering again changes it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to “did this help”")
        verbose_name_plural = _("answers to “did this help”")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="faq_vote_once")]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class Deflection(models.Model):
    """A ticket not sent: the customer opened a suggestion from the Create form and said it solved it.

    ``submission_key`` is the Create form's own key (one per form session), so reloading or answering
    again counts once. It stops counting when a ticket is sent with that key after all: ``counted``
    in ``services.deflections()`` looks for that ticket instead of keeping a flag in step.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission_key = models.UUIDField()
    section = models.ForeignKey(
        "tickets.Section", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The section chosen on the form, else the article's."),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deflected ticket")
        verbose_name_plural = _("deflected tickets")
        constraints = [models.UniqueConstraint(fields=["user", "submission_key"], name="faq_deflection_once")]

    def __str__(self) -> str:
        return f"{self.article_id} ← {self.submission_key}"


class Term(models.Model):
    """A word the articles use: what a misspelt search word is corrected to (see ``search.correct``)."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word
