"""Every change to a consultation: each checks the policy, locks the row and writes in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.consult.models import Consultation, ConsultationMessage, ConsultationStatus, ContactMethod
from supportdesk.consult.policies import consultation_for
from supportdesk.tickets.errors import ActionNotAllowed, DomainError, ValidationFailed
from supportdesk.tickets.policies import can_create_tickets
from supportdesk.tickets.services._common import clean_text

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

MAX_MESSAGE_LENGTH = 5_000
# The same request sent twice within this time (a double click, a resent form) is one consultation.
REPEAT_WINDOW = datetime.timedelta(seconds=30)


@dataclass
class ConsultationRequest:
    """What the feedback form sends."""

    topic: str
    message: str
    contact_method: str = ContactMethod.HERE
    contact_details: str = ""
    preferred_time: str = ""


def _clean_request(user: User, data: ConsultationRequest) -> ConsultationRequest:
    errors: dict[str, list[str]] = {}

    def check(field: str, value: str, message: str, limit: int) -> str:
        try:
            return clean_text(value, field=field, required_message=message, limit=limit)
        except ValidationFailed as exc:
            errors.update(exc.errors)
            return ""

    topic = " ".join(check("topic", data.topic, _("Say what the consultation is about."), 200).split())
    message = check("message", data.message, _("Write your question to the manager."), MAX_MESSAGE_LENGTH)
    method = data.contact_method or ContactMethod.HERE
    if method not in ContactMethod.values:
        errors["contact_method"] = [_("Choose how to contact you.")]
    details = " ".join((data.contact_details or "").split())[:200]
    if method == ContactMethod.PHONE and not details:
        errors["contact_details"] = [_("Give the phone number to call.")]
    if method == ContactMethod.EMAIL and not details:
        details = user.email
    time_text = " ".join((data.preferred_time or "").split())
    if len(time_text) > 200:
        errors["preferred_time"] = [_("Keep it under 200 characters.")]
    if errors:
        raise ValidationFailed(errors)
    return ConsultationRequest(topic, message, method, details, time_text)


def request_consultation(user: User, data: ConsultationRequest) -> Consultation:
    """The customer's feedback form: a new conversation with his organization's account manager."""
    organization = user.organization
    if not can_create_tickets(user) or organization is None:
        raise DomainError(_("Only customers can ask for a consultation."))
    clean = _clean_request(user, data)
    now = timezone.now()
    with transaction.atomic():
        repeated = (
            Consultation.objects.filter(requester=user, topic=clean.topic, created_at__gte=now - REPEAT_WINDOW)
            .filter(messages__body=clean.message)
            .first()
        )
        if repeated is not None:
            return repeated
        consultation = Consultation.objects.create(
            organization=organization,
            requester=user,
            topic=clean.topic,
            contact_method=clean.contact_method,
            contact_details=clean.contact_details,
            preferred_time=clean.preferred_time,
            created_at=now,
            updated_at=now,
        )
        ConsultationMessage.objects.create(
            consultation=consultation, author=user, from_customer=True, body=clean.message, created_at=now
        )
    return consultation


def _locked(user: User, pk: object, *, side: str) -> Consultation:
    return consultation_for(user, pk, side=side, queryset=Consultation.objects.select_for_update(of=("self",)))


def _add_message(
    consultation: Consultation, user: User, body: str, *, from_customer: bool, status: str
) -> ConsultationMessage:
    if consultation.is_closed:
        raise ActionNotAllowed(_("This consultation is closed. Ask for a new one if you need to."))
    now = timezone.now()
    message = ConsultationMessage.objects.create(
        consultation=consultation, author=user, from_customer=from_customer, body=body, created_at=now
    )
    consultation.status, consultation.updated_at = status, now
    consultation.save(update_fields=["status", "updated_at"])
    return message


def customer_message(user: User, pk: object, body: str) -> ConsultationMessage:
    """The customer adds to his consultation: it waits for the manager again (New)."""
    text = clean_text(body, field="body", required_message=_("Write your message."), limit=MAX_MESSAGE_LENGTH)
    with transaction.atomic():
        consultation = _locked(user, pk, side="customer")
        return _add_message(consultation, user, text, from_customer=True, status=ConsultationStatus.NEW)


def manager_reply(user: User, pk: object, body: str) -> ConsultationMessage:
    """The manager (or a support lead) answers: the consultation is Answered."""
    text = clean_text(body, field="body", required_message=_("Write your answer."), limit=MAX_MESSAGE_LENGTH)
    with transaction.atomic():
        consultation = _locked(user, pk, side="staff")
        return _add_message(consultation, user, text, from_customer=False, status=ConsultationStatus.ANSWERED)


def close(user: User, pk: object, *, side: str) -> Consultation:
    """Either side closes the conversation; closing a closed one changes nothing."""
    with transaction.atomic():
        consultation = _locked(user, pk, side=side)
        if not consultation.is_closed:
            consultation.status, consultation.closed_by = ConsultationStatus.CLOSED, user
            consultation.updated_at = timezone.now()
            consultation.save(update_fields=["status", "closed_by", "updated_at"])
    return consultation
