"""Admins manage the shared saved replies here (an empty owner shares a reply with every specialist)."""

from django.contrib import admin

from supportdesk.console.models import SavedReply


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "updated_at"]
    list_filter = [("owner", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
