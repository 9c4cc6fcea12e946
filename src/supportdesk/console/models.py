"""What the specialist's workspace keeps besides tickets: saved replies and drafts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PLACEHOLDER_HELP = _(
    "Placeholders: {customer_name}, {ticket_number}, {organization}, {specialist_name} are replaced when inserted."
)


class SavedReply(models.Model):
    """A canned response. Without an owner it is shared with every specialist (admins edit those)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_replies",
        verbose_name=_("owner"),
        help_text=_("Empty: shared with every specialist."),
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20_000, help_text=PLACEHOLDER_HELP)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["owner", "title"], name="saved_reply_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None


class DraftMode(models.TextChoices):
    REPLY = "reply", _("Reply")
    NOTE = "note", _("Internal note")
    REQUEST = "request", _("Request information")
    CLOSE = "close", _("Close with solution")


class Draft(models.Model):
    """The half-written text of one specialist's reply box on one ticket, kept as he types."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=12, choices=DraftMode.choices, default=DraftMode.REPLY)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="one_draft_per_ticket")]

    def __str__(self) -> str:
        return f"{self.user_id} · #{self.ticket_id} · {self.mode}"
