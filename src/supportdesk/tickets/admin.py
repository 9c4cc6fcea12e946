"""Admins edit sections, types and their typed fields; tickets are read here, changed through the desk."""

from django.contrib import admin

from supportdesk.tickets.models import Event, Section, Ticket, TicketType, TypedField


class TicketTypeInline(admin.TabularInline):
    model = TicketType
    extra = 0
    fields = ["code", "name_en", "name_ru", "summary_en", "summary_ru", "position", "is_active"]


class TypedFieldInline(admin.StackedInline):
    model = TypedField
    extra = 0
    fields = [("key", "kind", "required", "position"), "ticket_type", ("label_en", "label_ru"), ("help_en", "help_ru")]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ru", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    inlines = [TicketTypeInline, TypedFieldInline]


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "section", "code", "position", "is_active"]
    list_filter = ["section"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "public", "data")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: a ticket changes only through the services, which record its history."""

    list_display = ["id", "summary", "status", "section", "organization", "requester", "assignee", "created_at"]
    list_filter = ["status", "section", "is_urgent"]
    search_fields = ["id", "summary", "requester__email"]
    list_select_related = ["section", "organization", "requester", "assignee"]
    show_full_result_count = False
    inlines = [EventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
