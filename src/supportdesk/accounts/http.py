"""Request types for views that only run for a signed-in user."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from supportdesk.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request whose ``user`` is a signed-in ``User`` (behind a login check)."""

    user: User
    htmx: HtmxDetails
