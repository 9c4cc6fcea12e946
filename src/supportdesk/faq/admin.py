"""Admins write and edit FAQ articles here, with a live preview, and see each article's figures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from supportdesk.faq import services
from supportdesk.faq.markdown import render
from supportdesk.faq.models import Article, Deflection


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title_en", "title_ru", "section", "status", "views", "helpful", "unhelpful", "deflected"]
    list_filter = ["status", "section"]
    search_fields = ["title_en", "title_ru", "keywords_en", "keywords_ru", "slug"]
    list_select_related = ["section"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["related"]
    readonly_fields = ["preview_en", "preview_ru", "source_ticket_link", "figures"]
    fieldsets = [
        (None, {"fields": [("status", "section", "position"), "slug"]}),
        (_("English"), {"fields": ["title_en", "keywords_en", "body_en", "preview_en"]}),
        (_("Russian"), {"fields": ["title_ru", "keywords_ru", "body_ru", "preview_ru"]}),
        (_("Related"), {"fields": ["related", "source_ticket_link", "figures"]}),
    ]

    class Media:
        css = {"all": ["faq/faq.css"]}
        js = ["faq/admin_preview.js"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        counted = (
            services.counted_deflections()
            .filter(article=OuterRef("pk"))
            .values("article")
            .annotate(n=Count("id"))
            .values("n")
        )
        articles: QuerySet[Article] = super().get_queryset(request)
        return articles.annotate(
            yes=Count("votes", filter=Q(votes__helpful=True)),
            no=Count("votes", filter=Q(votes__helpful=False)),
            deflection_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        )

    @admin.display(description=_("views"), ordering="view_count")
    def views(self, obj: Article) -> int:
        return obj.view_count

    @admin.display(description=_("helpful"), ordering="yes")
    def helpful(self, obj: Article) -> int:
        return obj.yes  # type: ignore[attr-defined,no-any-return]

    @admin.display(description=_("not helpful"), ordering="no")
    def unhelpful(self, obj: Article) -> int:
        return obj.no  # type: ignore[attr-defined,no-any-return]

    @admin.display(description=_("tickets deflected"), ordering="deflection_count")
    def deflected(self, obj: Article) -> int:
        return obj.deflection_count  # type: ignore[attr-defined,no-any-return]

    def _preview(self, obj: Article, language: str) -> str:
        return format_html(
            '<div class="faq-preview" data-preview-for="id_body_{}" data-preview-url="{}" aria-live="polite">'
            '<div class="faq-body">{}</div></div>',
            language,
            reverse("faq:preview"),
            render(getattr(obj, f"body_{language}", "") if obj else ""),
        )

    @admin.display(description=_("preview (English)"))
    def preview_en(self, obj: Article) -> str:
        return self._preview(obj, "en")

    @admin.display(description=_("preview (Russian)"))
    def preview_ru(self, obj: Article) -> str:
        return self._preview(obj, "ru")

    @admin.display(description=_("written from ticket"))
    def source_ticket_link(self, obj: Article) -> str:
        if not obj or not obj.source_ticket_id:
            return "—"
        link = reverse("admin:tickets_ticket_change", args=[obj.source_ticket_id])
        return format_html('<a href="{}">#{}</a>', link, obj.source_ticket_id)

    @admin.display(description=_("figures"))
    def figures(self, obj: Article) -> str:
        if not obj or not obj.pk:
            return "—"
        return format_html(
            '{}: {} · {}: {} · {}: {} · {}: {} · <a href="{}">{}</a>',
            _("views"), obj.view_count, _("helpful"), getattr(obj, "yes", 0), _("not helpful"), getattr(obj, "no", 0),
            _("tickets deflected"), getattr(obj, "deflection_count", 0), reverse("faq:stats"), _("all figures"),
        )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        services.save_article(request.user, obj)  # type: ignore[arg-type]


@admin.register(Deflection)
class DeflectionAdmin(admin.ModelAdmin):
    """Read-only: tickets not sent because a suggestion solved the problem (withdrawn ones excluded)."""

    list_display = ["created_at", "article", "section", "user"]
    list_filter = ["section", "article__section"]
    date_hierarchy = "created_at"
    list_select_related = ["article", "section", "user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Deflection]:
        return services.counted_deflections()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
