"""Tickets, their thread, attachments and history.

Sections, types and typed fields are data an admin edits; they carry English and Russian text.
"""

from __future__ import annotations

import functools
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from supportdesk.tickets.workflow import COLOUR, MEANING, Status, is_finished


def localized(obj: Any, field: str) -> str:
    """``obj.<field>_ru`` when Russian is active and filled in, else ``obj.<field>_en``."""
    if translation.get_language() == "ru":
        value = getattr(obj, f"{field}_ru", "")
        if value:
            return str(value)
    return str(getattr(obj, f"{field}_en"))


class Section(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    summary_en = models.CharField(_("short description (English)"), max_length=200, blank=True)
    summary_ru = models.CharField(_("short description (Russian)"), max_length=200, blank=True)
    includes_en = models.TextField(_("what it includes (English), one per line"), blank=True)
    includes_ru = models.TextField(_("what it includes (Russian), one per line"), blank=True)
    examples_en = models.TextField(_("example questions (English), one per line"), blank=True)
    examples_ru = models.TextField(_("example questions (Russian), one per line"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    # Filled by the catalog (tickets.catalog.active_sections), not stored.
    active_types: list[TicketType]
    all_fields: list[TypedField]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def includes(self) -> list[str]:
        return [line for line in localized(self, "includes").splitlines() if line.strip()]

    @property
    def examples(self) -> list[str]:
        return [line for line in localized(self, "examples").splitlines() if line.strip()]


class TicketType(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="types", verbose_name=_("section"))
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    summary_en = models.CharField(_("short description (English)"), max_length=200, blank=True)
    summary_ru = models.CharField(_("short description (Russian)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("question type")
        verbose_name_plural = _("question types")
        ordering = ["section__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="ticket_type_code_per_section")]

    def __str__(self) -> str:
        return f"{self.section.name} / {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")


class FieldKind(models.TextChoices):
    TEXT = "text", _("One line of text")
    TEXTAREA = "textarea", _("Several lines of text")
    DATE = "date", _("Date")
    DATETIME = "datetime", _("Date and time")
    DECIMAL = "decimal", _("Amount")


class TypedField(models.Model):
    """An extra question a section (all its tickets) or one type of it asks on the Create form."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="fields", verbose_name=_("section"))
    ticket_type = models.ForeignKey(
        TicketType,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fields",
        verbose_name=_("question type"),
        help_text=_("Empty: asked for every ticket of the section."),
    )
    key = models.SlugField(_("key"), max_length=40)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_ru = models.CharField(_("label (Russian)"), max_length=120, blank=True)
    help_en = models.CharField(_("hint (English)"), max_length=200, blank=True)
    help_ru = models.CharField(_("hint (Russian)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("typed field")
        verbose_name_plural = _("typed fields")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["section", "ticket_type", "key"], name="typed_field_key_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")


class DeclineCode(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    CANNOT_REPRODUCE = "cannot_reproduce", _("Cannot reproduce")
    SPAM = "spam", _("Spam")
    OTHER = "other", _("Other")


class LinkKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up of")
    UNANSWERED = "unanswered", _("Urgent reminder about")


def ticket_number(pk: int) -> str:
    """How people refer to a ticket: ``#42``."""
    return f"#{pk}"


class Ticket(models.Model):
    # No index of their own on organization and requester (nor on the foreign keys below marked so): the
    # indexes that lead with them serve every lookup by them, and each index more costs every insert.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("organization"),
        db_index=False,  # ticket_org_recent
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("requester"),
        db_index=False,  # ticket_requester_recent
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("section"))
    ticket_type = models.ForeignKey(
        TicketType, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("type")
    )
    question = models.TextField(_("question"))
    summary = models.CharField(_("brief description"), max_length=140)
    fields = models.JSONField(_("typed fields"), default=dict, blank=True)
    client_info = models.JSONField(_("browser and page details"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    urgent_impact = models.CharField(_("impact"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    decline_code = models.CharField(_("decline reason code"), max_length=20, choices=DeclineCode.choices, blank=True)
    decline_reason = models.TextField(_("decline reason"), blank=True)
    linked_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_from",
        verbose_name=_("linked to"),
    )
    link_kind = models.CharField(_("link"), max_length=20, choices=LinkKind.choices, blank=True)
    # Set when support merged this ticket, as a duplicate, into the one that goes on.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # Optimistic concurrency: every change bumps it; a writer holding an older number lost the race.
    version = models.PositiveIntegerField(default=1)
    # One ticket per Create form, however many times Send is clicked.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    # Time of the newest message the customer should see from support: drives the "unread" mark.
    last_response_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # The customer's own list, newest first (keyset on created_at, id).
            models.Index(fields=["requester", "-created_at", "-id"], name="ticket_requester_recent"),
            # The shared list of an organization that shares tickets.
            models.Index(fields=["organization", "-created_at", "-id"], name="ticket_org_recent"),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_recent"),
            models.Index(fields=["requester", "status"], name="ticket_requester_status"),
            # The customer's Active tickets (own, or the organization's when it shares), newest first:
            # active tickets are a small share of a long history, which the indexes above would walk
            # (at 1M, an organization with 21k tickets: BitmapAnd 4.4 ms -> an index range). The
            # "not null" part is implied by the customer's filter, not by the desk's queue counts: without
            # it the planner scanned this small index whole for the counts, instead of counting from
            # ticket_status_queue alone (1 ms -> 7 ms).
            models.Index(
                fields=["requester", "-created_at", "-id"],
                condition=models.Q(status__in=["open", "in_progress", "awaiting_response"], requester__isnull=False),
                name="ticket_requester_active",
            ),
            models.Index(
                fields=["organization", "-created_at", "-id"],
                condition=models.Q(status__in=["open", "in_progress", "awaiting_response"], organization__isnull=False),
                name="ticket_org_active",
            ),
            # The desk's active queues: urgent first, then longest waiting for us. Partial: active tickets
            # are a small share of all, so the index (and every queue count) stays small.
            models.Index(
                models.F("is_urgent").desc(),
                Coalesce("last_customer_message_at", "created_at"),
                models.F("id"),
                condition=models.Q(status__in=["open", "in_progress", "awaiting_response"]),
                name="ticket_active_queue",
            ),
            # New and Awaiting response: one status, in the same order. With the assignee last it also
            # holds every column the queue counts read, so they are counted from the index alone.
            models.Index(
                "status",
                models.F("is_urgent").desc(),
                Coalesce("last_customer_message_at", "created_at"),
                models.F("id"),
                "assignee",
                condition=models.Q(status__in=["open", "in_progress", "awaiting_response"]),
                name="ticket_status_queue",
            ),
            # Mine: one assignee's active tickets, in the same order.
            models.Index(
                "assignee",
                models.F("is_urgent").desc(),
                Coalesce("last_customer_message_at", "created_at"),
                models.F("id"),
                condition=models.Q(status__in=["open", "in_progress", "awaiting_response"]),
                name="ticket_assignee_queue",
            ),
            # The desk's Finished queue: most recently finished first.
            models.Index(
                Coalesce("finished_at", "updated_at").desc(),
                models.F("id").desc(),
                condition=models.Q(status__in=["closed", "declined"]),
                name="ticket_finished_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="ticket_one_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    @property
    def number(self) -> str:
        return ticket_number(self.pk)

    @property
    def status_label(self) -> str:
        return _status_label(self.status, translation.get_language())

    @property
    def status_colour(self) -> str:
        return COLOUR[Status(self.status)]

    @property
    def status_meaning(self) -> str:
        return str(MEANING[Status(self.status)])

    @property
    def is_finished(self) -> bool:
        return is_finished(self.status)

    @property
    def category_label(self) -> str:
        if self.ticket_type_id:
            return f"{self.section.name} · {self.ticket_type.name}"  # type: ignore[union-attr]
        return self.section.name


@functools.lru_cache(maxsize=64)
def _status_label(status: str, language: str | None) -> str:
    """A status's name in ``language``, the active one: translated once per language, not once per
    list row (the lazy label's gettext was several microseconds a row)."""
    return str(Status(status).label)


class TicketLink(models.Model):
    """Two tickets support marked as related. One row per pair, the lower id first."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="links_out", db_index=False
    )  # ticket_link_once
    related = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "related"], name="ticket_link_once"),
            models.CheckConstraint(condition=models.Q(ticket__lt=models.F("related")), name="ticket_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} ↔ #{self.related_id}"

    def other(self, ticket_id: int) -> Ticket:
        """The ticket at the other end from ``ticket_id``."""
        return self.related if self.ticket_id == ticket_id else self.ticket


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer message")
    RESPONSE = "response", _("Support response")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )  # message_thread
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    body = models.TextField()
    is_solution = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="message_thread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} on ticket {self.ticket_id}"

    @property
    def is_public(self) -> bool:
        return self.kind != MessageKind.NOTE


def _upload_token() -> str:
    return secrets.token_urlsafe(24)


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.token[:2]}/{instance.token}.{filename.rsplit('.', 1)[-1]}"


def _thumbnail_path(instance: Attachment, filename: str) -> str:
    return f"thumbnails/{instance.token[:2]}/{instance.token}.{filename.rsplit('.', 1)[-1]}"


class Attachment(models.Model):
    """An image, checked and re-encoded on upload. Uploaded first, bound to a ticket message on send."""

    token = models.CharField(max_length=40, unique=True, default=_upload_token, editable=False)
    uploader = models.ForeignKey(  # attachment_unbound
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.ImageField(upload_to=_attachment_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=_thumbnail_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        indexes = [models.Index(fields=["uploader", "ticket"], name="attachment_unbound")]

    def __str__(self) -> str:
        return self.original_name


class ChangeRequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class CategoryChangeRequest(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="category_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    from_type = models.ForeignKey(TicketType, null=True, on_delete=models.PROTECT, related_name="+")
    to_section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    to_type = models.ForeignKey(TicketType, null=True, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=ChangeRequestState.choices, default=ChangeRequestState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(state="pending"), name="one_pending_category_request"
            )
        ]

    def __str__(self) -> str:
        return f"Category change for ticket {self.ticket_id} ({self.state})"


class Event(models.Model):
    """One change of a ticket: its history line and the feed of the live stream.

    ``id`` only grows, so a client that lost its connection asks for everything after the last id it saw.
    ``public`` events are the ones a customer may see; internal notes and assignments are not.
    """

    id = models.BigAutoField(primary_key=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", db_index=False)  # event_ticket
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict)
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["id"]
        indexes = [models.Index(fields=["ticket", "id"], name="event_ticket")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class TicketSeen(models.Model):
    """When a user last looked at a ticket: a newer support response shows as unread."""

    user = models.ForeignKey(  # ticket_seen_once
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="ticket_seen_once")]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.ticket_id} at {self.seen_at:%Y-%m-%d %H:%M}"
