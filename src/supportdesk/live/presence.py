"""Who is on a ticket's page in the workspace: "Anna is viewing", "Anna is typing".

Presence is ephemeral: a bus message for the other specialists' open pages, plus a short-lived
cache entry so that someone arriving sees who is already there. No ``Event`` row, no history.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from supportdesk.live import bus

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

log = logging.getLogger(__name__)

# Seconds a state lasts unless renewed: the page renews "viewing" every 20 s and "typing" every 3 s
# while keys are pressed.
TTL = {"viewing": 45, "typing": 8, "left": 0}
STATES = tuple(TTL)


def _key(ticket_id: int) -> str:
    return f"live:presence:{ticket_id}"


def announce(user: User, ticket_id: int, state: str) -> list[dict[str, Any]]:
    """Publish ``user``'s ``state`` on the ticket; return the others present now (for a newcomer)."""
    now = time.time()
    ttl = TTL[state]
    name = str(user)
    present: dict[str, list[Any]] = {
        uid: entry for uid, entry in (cache.get(_key(ticket_id)) or {}).items() if entry[2] > now
    }
    if state == "left":
        present.pop(str(user.pk), None)
    else:
        present[str(user.pk)] = [name, state, now + ttl]
    # Read-modify-write without a lock: a lost update heals at the next renewal, 20 s later at most.
    cache.set(_key(ticket_id), present, timeout=max(TTL.values()))
    try:
        bus.publish({"t": "presence", "ticket": ticket_id, "user": user.pk, "name": name, "state": state, "ttl": ttl})
    except Exception:  # presence is a nicety: with the bus down, the page still works
        log.exception("live: could not publish presence")
    return [
        {"user": int(uid), "name": entry[0], "state": entry[1], "ttl": max(1, round(entry[2] - now))}
        for uid, entry in sorted(present.items())
        if uid != str(user.pk)
    ]
