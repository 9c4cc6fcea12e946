"""Changes to accounts."""

from __future__ import annotations

from django.db import transaction

from supportdesk.accounts.models import User


def update_profile(user: User, *, display_name: str, language: str, time_zone: str) -> User:
    with transaction.atomic():
        user.display_name, user.language, user.time_zone = display_name, language, time_zone
        user.full_clean(exclude=["password"])
        user.save(update_fields=["display_name", "language", "time_zone"])
    return user
