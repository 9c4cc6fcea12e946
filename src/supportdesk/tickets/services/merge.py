"""Merging a duplicate into the ticket that goes on.

The duplicate is Declined with the code "duplicate" and the specialist's text (shown to its customer),
points at the ticket that goes on (``merged_into``), and the two are linked. The ticket that goes on
gets an internal history line and shows the duplicate's messages in the workspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from supportdesk.tickets.errors import ActionNotAllowed, ValidationFailed
from supportdesk.tickets.models import DeclineCode, Ticket
from supportdesk.tickets.services._common import (
    check_action,
    clean_text,
    locked_ticket,
    record,
    save_ticket,
    status_data,
)
from supportdesk.tickets.services.links import link_in_transaction, ticket_number
from supportdesk.tickets.workflow import FINISHED, Action

if TYPE_CHECKING:
    from supportdesk.accounts.models import User


def merge_ticket(user: User, duplicate_id: object, *, into: object, reason: str, version: int | None = None) -> Ticket:
    """Decline ``duplicate_id`` as a duplicate of ``into`` (a number or "#123"); returns the one that goes on.

    ``version`` guards the duplicate, the ticket the specialist has open. Both tickets are locked in
    id order, so two merges of the same pair in opposite directions cannot deadlock.
    """
    errors: dict[str, list[str]] = {}
    target_number = 0
    try:
        target_number = ticket_number(into, field="into")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        text = clean_text(
            reason, field="reason", required_message=_("Tell the customer where the conversation goes on."), limit=2000
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    try:
        duplicate_pk = int(str(duplicate_id))
    except ValueError:
        raise Http404 from None
    if target_number == duplicate_pk:
        raise ValidationFailed({"into": [_("A ticket cannot be merged into itself.")]})
    with transaction.atomic():
        if target_number < duplicate_pk:
            target = _lock_target(user, target_number)
            duplicate = locked_ticket(user, duplicate_pk, version=version)
        else:
            duplicate = locked_ticket(user, duplicate_pk, version=version)
            target = _lock_target(user, target_number)
        before = duplicate.status
        after = check_action(user, Action.DECLINE, duplicate)
        if target.status in FINISHED:
            raise ActionNotAllowed(
                _("Ticket %(number)s is finished: merge into an active ticket, or decline this one as a duplicate.")
                % {"number": target.number}
            )
        duplicate.decline_code, duplicate.decline_reason = DeclineCode.DUPLICATE, text
        duplicate.merged_into = target
        duplicate.last_response_at = timezone.now()
        save_ticket(duplicate, "decline_code", "decline_reason", "merged_into", "last_response_at", status=after)
        record(
            duplicate, "ticket.declined", user,
            code=DeclineCode.DUPLICATE, reason=text, merged_into=target.pk, **status_data(before, after),
        )  # fmt: skip
        link_in_transaction(user, duplicate, target)
        # The ticket that goes on changed too (its thread gains the duplicate's messages): bump its version.
        save_ticket(target)
        record(target, "ticket.merge_received", user, public=False, duplicate=duplicate.pk)
    return target


def _lock_target(user: User, number: int) -> Ticket:
    try:
        return locked_ticket(user, number)
    except Http404:
        raise ValidationFailed({"into": [_("There is no ticket #%(number)s.") % {"number": number}]}) from None
