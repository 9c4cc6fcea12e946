"""Manager consultations: a conversation between a customer and his organization's account manager.

Who answers is not stored on the consultation: it is whoever manages the organization now (or the
support leads while nobody does; see ``policies``), so a change of manager hands the open
conversations over with the organization.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsultationStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("consultation status", "New")
    ANSWERED = "answered", pgettext_lazy("consultation status", "Answered")
    CLOSED = "closed", pgettext_lazy("consultation status", "Closed")


STATUS_COLOUR = {
    ConsultationStatus.NEW: "blue",
    ConsultationStatus.ANSWERED: "green",
    ConsultationStatus.CLOSED: "grey",
}


class ContactMethod(models.TextChoices):
    HERE = "here", _("Reply here, in SupportDesk")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")


class Consultation(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("organization")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("customer")
    )
    topic = models.CharField(_("topic"), max_length=200)
    contact_method = models.CharField(
        _("preferred way to be contacted"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.HERE
    )
    contact_details = models.CharField(_("phone or e-mail"), max_length=200, blank=True)
    preferred_time = models.CharField(_("preferred time"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.NEW
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "-updated_at"], name="consult_requester_recent"),
            models.Index(fields=["organization", "status", "-updated_at"], name="consult_org_status"),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def status_label(self) -> str:
        return str(ConsultationStatus(self.status).label)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOUR[ConsultationStatus(self.status)]

    @property
    def is_closed(self) -> bool:
        return self.status == ConsultationStatus.CLOSED


class ConsultationMessage(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_customer = models.BooleanField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultation message")
        verbose_name_plural = _("consultation messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["consultation", "created_at", "id"], name="consult_message_thread")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"
