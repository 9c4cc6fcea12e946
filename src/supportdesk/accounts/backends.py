"""Signing in, and the user of each request read through the shared cache.

Every request of a signed-in user loads him from his session's user id. Django's ``ModelBackend``
reads the row each time: one query per request, most of the floor's cost (docs/performance.md). With a
shared cache (Redis, when cached reads are on) the row is kept there instead, and any save or delete
of the user drops the copy: now, and again once the transaction commits, so that a reader that took
the old row meanwhile cannot keep it. Django still checks the session's password hash against the user
it gets, so a password change still signs out the other sessions.

Only the user's own columns are kept, never the objects he refers to (his organization is kept apart, under
its own stamp: ``policies.organization_of``), so nothing else can go stale under his copy.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import backends
from django.core.cache import cache
from django.db import transaction

from supportdesk.tickets import freshness

log = logging.getLogger(__name__)

# A copy that outlives every invalidation (a save that bypassed the model) lags at most this long.
USER_TTL = 10 * 60


def _key(pk: object) -> str:
    return f"auth-user:{pk}"


class ModelBackend(backends.ModelBackend):
    """Django's ``ModelBackend``, with ``get_user`` read through the shared cache."""

    def get_user(self, user_id: Any) -> Any:
        if not freshness.enabled():
            return super().get_user(user_id)
        try:
            user = cache.get(_key(user_id))
        except Exception:
            log.exception("cache unavailable for the signed-in user")
            return super().get_user(user_id)
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        user = super().get_user(user_id)  # None for an unknown or inactive user, which is not kept
        if user is not None:
            try:
                cache.set(_key(user_id), user, USER_TTL)  # just read: none of his related objects
            except Exception:
                log.exception("could not cache the signed-in user")
        return user


def forget_user(pk: object) -> None:
    """The user's row changed or is gone: drop the cached copy now and after the commit."""

    def drop() -> None:
        try:
            cache.delete(_key(pk))
        except Exception:
            # The old copy (an old password hash, a deactivated account) could sign him in until it expires.
            log.exception("could not drop the cached user %s; it expires in %s s", pk, USER_TTL)

    drop()
    transaction.on_commit(drop)


def watch_user_changes() -> None:
    from django.db.models.signals import post_delete, post_save

    from supportdesk.accounts.models import User

    def changed(instance: User, **kwargs: object) -> None:
        forget_user(instance.pk)

    for signal in (post_save, post_delete):
        signal.connect(changed, sender=User, weak=False, dispatch_uid=f"cached-user-{signal is post_save}")
