"""Everything the stream asks the database: sign-in, replay, the periodic access check.

These are plain synchronous functions; the stream runs each in a worker thread
(``sync_to_async(thread_sensitive=False)``) and every one closes the thread's database connections
before returning, so an open stream holds no connection between them.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import SimpleNamespace
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.db import connections
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from supportdesk.accounts.models import Organization, Role, User
from supportdesk.live.audience import Audience, audience_for, visible_events
from supportdesk.live.bus import Message, event_message, session_digest
from supportdesk.tickets.models import Event

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

# On a first connection (no Last-Event-ID) the page asks for what happened since it was rendered;
# events that committed just before are replayed too, as their transaction may have outlasted the page.
RENDER_SLACK = datetime.timedelta(seconds=2)
MAX_PAGE_AGE = datetime.timedelta(seconds=60)


def closes_connections(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        finally:
            connections.close_all()

    return wrapper


@dataclass(slots=True)
class Identity:
    """The signed-in user behind a stream, and how to tell later that he still is."""

    user_id: int
    session_key: str
    auth_hash: str
    audience: Audience
    session_digest: str = field(init=False)

    def __post_init__(self) -> None:
        self.session_digest = session_digest(self.session_key)


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore  # type: ignore[no-any-return]


@closes_connections
def authenticate(session_key: str | None) -> Identity | None:
    """The session's user, checked as Django checks it on every page (backend, auth hash, active)."""
    if not session_key:
        return None
    session = _session_store()(session_key=session_key)
    user = auth.get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]
    if not user.is_authenticated:
        return None
    user = User.objects.select_related("organization").get(pk=user.pk)
    audience = audience_for(user)
    if audience is None:
        return None
    return Identity(user.pk, session_key, user.get_session_auth_hash(), audience)


@dataclass(slots=True)
class Replay:
    """Events to send before going live, or ``reset``: too many or unknown, refresh the page instead."""

    events: list[Message]
    reset: bool
    head: int


@closes_connections
def replay(user_id: int, *, after: int | None, page_age_ms: int | None, limit: int) -> Replay:
    """What the user missed: events after ``after`` (Last-Event-ID), or since his page was rendered."""
    user = User.objects.select_related("organization").get(pk=user_id)
    events = visible_events(user)
    # The newest id of all: one primary-key lookup. Through the user's visibility it joined his whole
    # history (0.1-0.8 s at a million tickets, docs/performance.md), and replay filters anyway.
    head = Event.objects.aggregate(head=Max("id"))["head"] or 0
    if after is not None:
        if after > head:  # not an id this process ever wrote: the database was reset, or it is made up
            return Replay([], True, head)
        wanted = events.filter(id__gt=after)
    elif page_age_ms is not None:
        age = min(datetime.timedelta(milliseconds=max(page_age_ms, 0)), MAX_PAGE_AGE)
        since = timezone.now() - age - RENDER_SLACK
        # Events are written in time order: walking back from the newest by primary key reaches the
        # last one before ``since`` after the few written since, where created_at (no index) would
        # scan the table.
        floor = Event.objects.filter(created_at__lt=since).order_by("-id").values_list("id", flat=True).first()
        wanted = events.filter(id__gt=floor or 0, created_at__gte=since)
    else:
        return Replay([], False, head)
    rows = list(wanted.select_related("ticket").order_by("id")[: limit + 1])
    if len(rows) > limit:
        return Replay([], True, head)
    return Replay([event_message(e) for e in rows], False, head)


@closes_connections
def events_after(after: int, *, limit: int) -> list[Message] | None:
    """Every event after ``after``, for a process that lost its bus for a while; None if too many."""
    rows = list(Event.objects.filter(id__gt=after).select_related("ticket").order_by("id")[: limit + 1])
    return None if len(rows) > limit else [event_message(e) for e in rows]


# IN lists are read in slices of this size: well within SQLite's and PostgreSQL's limits.
CHUNK = 500


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _live_sessions(keys: set[str]) -> set[str]:
    """The session keys that still exist: a query (or cache read) per 500 streams, not one per stream."""
    store = _session_store()
    if hasattr(store, "get_model_class"):  # db and cached_db: the table is the truth
        model = store.get_model_class()
        now = timezone.now()
        alive: set[str] = set()
        for chunk in _chunks(keys):
            alive.update(
                model.objects.filter(session_key__in=chunk, expire_date__gt=now).values_list("session_key", flat=True)
            )
        return alive
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix is not None:  # the cache engine
        cache = caches[settings.SESSION_CACHE_ALIAS]
        found = cache.get_many([prefix + key for key in keys])
        return {key for key in keys if prefix + key in found}
    if settings.SESSION_ENGINE.endswith("signed_cookies"):
        return keys  # nothing on the server to ask: the cookie's own expiry is all there is
    return {key for key in keys if store().exists(key)}


@closes_connections
def recheck(identities: Iterable[Identity]) -> dict[str, Audience | None]:
    """For each stream's session: its user's audience now, or None if signed out or no longer allowed.

    Run every heartbeat for all of a process's streams together: a few queries, however many streams.
    """
    identities = list(identities)
    alive = _live_sessions({i.session_key for i in identities})
    users: dict[int, User] = {}
    for chunk in _chunks({i.user_id for i in identities}):
        users.update((u.pk, u) for u in User.objects.select_related("organization").filter(pk__in=chunk))
    managed: dict[int, set[int]] = {pk: set() for pk, u in users.items() if u.role == Role.MANAGER}
    for manager_id, org_id in Organization.objects.filter(account_manager_id__in=list(managed)).values_list(
        "account_manager_id", "pk"
    ):
        managed[manager_id].add(org_id)
    now: dict[int, tuple[str, Audience | None]] = {
        pk: (user.get_session_auth_hash(), audience_for(user, managed=frozenset(managed.get(pk, ()))))
        for pk, user in users.items()
    }
    result: dict[str, Audience | None] = {}
    for identity in identities:
        auth_hash, audience = now.get(identity.user_id, ("", None))
        signed_in = identity.session_key in alive and constant_time_compare(identity.auth_hash, auth_hash)
        result[identity.session_key] = audience if signed_in else None
    return result
