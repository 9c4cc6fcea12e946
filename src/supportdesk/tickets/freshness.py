"""Cached reads that stay correct: values stored under the stamps of the data they were made from.

A *scope* names a part of the data that pages read: the ticket catalog (sections, types, fields), one
organization's tickets, one user's tickets and read marks, the desk (every ticket). Each scope has a
*stamp* in the cache, a random token replaced whenever the scope's data changes (``touch``, called
after the change commits). A cached value's key holds the stamps of every scope it was made from, so a
change makes the next read miss and compute afresh; nothing is ever deleted or sent stale.

Ordering: a reader takes the stamps *before* it reads the data; a writer replaces them *after* its
transaction commits (and, when something reads inside that transaction before it ends, once before
that read). A reader that raced a writer either stored the new data under the old stamps (no harm)
or the old data under stamps that are already replaced (never read again).

Round trips: a request reads each stamp from the cache once (they are kept for the rest of the
request, until it touches a scope itself), and a write that nobody reads inside its own transaction,
which is every request's, replaces its stamps once, after the commit.

Several processes must share one cache for this (Redis through ``REDIS_URL``, as the live bus needs):
with the per-process memory cache, one process would not see another's ``touch``. ``CACHED_READS``
turns it all off; ``CACHED_PAGES`` only the computed values (``cached``: pages, FAQ answers). A cache
that fails costs the cached value, never the page.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

log = logging.getLogger(__name__)

T = TypeVar("T")

CATALOG = "catalog"  # sections, ticket types and typed fields
DESK = "desk"  # every ticket, as the support desk sees them
STAFF = "staff"  # the people tickets can be assigned to
REPLIES = "replies"  # the desk's saved replies
FAQ = "faq"  # the FAQ's articles and the vocabulary its search corrects typos against
EVERYTHING = "all"  # part of every value's key: for writes that bypass the services (seeding, imports)

# A stamp that expires only costs a miss; the limit keeps one key per user from piling up forever.
STAMP_TTL = 24 * 3600
VALUE_TTL = 10 * 60


def organization(pk: int | None) -> str | None:
    """The tickets of an organization (what members who share tickets see)."""
    return None if pk is None else f"org:{pk}"


def user(pk: int | None) -> str | None:
    """A user's own tickets and his read marks."""
    return None if pk is None else f"user:{pk}"


def drafts(pk: int) -> str:
    """A specialist's drafts (shown in the ticket workspace)."""
    return f"drafts:{pk}"


def enabled() -> bool:
    return bool(settings.CACHED_READS)


def _key(scope: str) -> str:
    return f"stamp:{scope}"


def touch(*scopes: str | None) -> None:
    """The data of these scopes changed: replace their stamps once the transaction commits.

    The replacement after the commit is what makes readers see the change. Inside a transaction, the
    scopes are also noted as pending: a read later in the same transaction (a test, a command's later
    step) replaces their stamps first, so that it cannot take the values from before the change.
    """
    wanted = sorted({s for s in scopes if s})
    if not wanted:
        return
    # The request's kept stamps are forgotten where they are replaced (``_replace``): at the commit,
    # or at the next read inside this transaction.
    if transaction.get_connection().in_atomic_block:
        _pending().update(wanted)
    transaction.on_commit(lambda: _replace(wanted))


def _replace(scopes: list[str]) -> None:
    try:
        cache.set_many({_key(s): secrets.token_hex(6) for s in scopes}, STAMP_TTL)
    except Exception:
        # Without the new stamps, pages could show the old data until their values expire.
        log.exception("could not replace the cache stamps of %s; cached pages may lag %s s", scopes, VALUE_TTL)
    _forget_request_stamps()


# Scopes touched in this thread's open transaction whose stamps are not replaced yet (the database
# connection, and so its transaction, belongs to the thread).
_in_transaction = threading.local()


def _pending() -> set[str]:
    pending: set[str] | None = getattr(_in_transaction, "scopes", None)
    if pending is None:
        pending = _in_transaction.scopes = set()
    return pending


def _replace_pending() -> None:
    """Before a read: replace the stamps that this thread's open transaction has touched."""
    pending = _pending()
    if not pending:
        return
    scopes = sorted(pending)
    pending.clear()
    # Outside a transaction the touches were committed (and replaced) or rolled back: nothing to do.
    if transaction.get_connection().in_atomic_block:
        _replace(scopes)


# The stamps read during the current request (None outside requests): a page and the catalog it
# shows read the same stamps, so one round trip serves both.
_request_stamps: ContextVar[dict[str, Any] | None] = ContextVar("request_stamps", default=None)


def _request_began(**kwargs: object) -> None:
    _request_stamps.set({})


def _forget_request_stamps() -> None:
    """This request changed data: the stamps it read are read again at its next read."""
    if _request_stamps.get() is not None:
        _request_stamps.set({})


def _request_ended(**kwargs: object) -> None:
    _request_stamps.set(None)


request_started.connect(_request_began, dispatch_uid="freshness-request-started")
request_finished.connect(_request_ended, dispatch_uid="freshness-request-finished")


def stamps(scopes: Iterable[str | None]) -> str:
    """The current stamps of these scopes, as one string (new stamps for scopes that have none)."""
    _replace_pending()
    keys = [_key(s) for s in (EVERYTHING, *scopes) if s]
    known = _request_stamps.get()
    found = {k: known[k] for k in keys if k in known} if known else {}
    unread = [k for k in keys if k not in found]
    if unread:
        found.update(cache.get_many(unread))
        missing = [k for k in unread if k not in found]
        if missing:
            for key in missing:
                cache.add(key, secrets.token_hex(6), STAMP_TTL)  # add: a writer's newer stamp wins
            found.update(cache.get_many(missing))
        if known is not None:
            known.update((k, found[k]) for k in unread if k in found)
    return ".".join(str(found.get(k, "-")) for k in keys)


def cached(
    name: str,
    scopes: Iterable[str | None],
    vary: Iterable[object],
    compute: Callable[[], T],
    *,
    ttl: int | Callable[[], int] = VALUE_TTL,
) -> T:
    """``compute()``, or the value it gave for the same scopes' stamps and the same ``vary`` parts.

    ``vary`` holds whatever else the value depends on (viewer, language, time zone, query string...).
    ``ttl`` is seconds, or a function called after ``compute()`` that gives them: a value that is true
    only for a while (a page that shows "3 min" ago) says so there. A ``None`` from ``compute()``, or a
    ``ttl`` under one second, is returned and not kept.
    """
    if not (enabled() and settings.CACHED_PAGES):
        return compute()
    try:
        digest = hashlib.blake2b(repr((stamps(scopes), tuple(vary))).encode(), digest_size=16).hexdigest()
        key = f"cached:{name}:{digest}"
        hit = cache.get(key)
    except Exception:
        log.exception("cache unavailable for %s", name)
        return compute()
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    value = compute()
    seconds = ttl() if callable(ttl) else ttl
    if value is None or seconds < 1:  # compute() says: not something to keep, or not for long enough
        return value
    try:
        cache.set(key, value, seconds)
    except Exception:
        log.exception("could not cache %s", name)
    return value


def in_process(name: str, scopes: Iterable[str | None], compute: Callable[[], T]) -> T:
    """Like ``cached``, but kept in this process's memory: for small values read on most pages.

    Only the stamps are fetched from the cache. The value is shared by every request of the process:
    callers must not change it.
    """
    if not enabled():
        return compute()
    scopes = list(scopes)
    try:
        current = stamps(scopes)
    except Exception:
        log.exception("cache unavailable for %s", name)
        return compute()
    held = _memory.get(name)
    if held is not None and held[0] == current:
        return held[1]  # type: ignore[return-value]
    value = compute()
    if held is None and len(_memory) >= IN_PROCESS_LIMIT:
        del _memory[next(iter(_memory))]  # the longest held: values per organization must not pile up
    _memory[name] = (current, value)
    return value


IN_PROCESS_LIMIT = 10_000
_memory: dict[str, tuple[str, object]] = {}


def forget_in_process() -> None:
    """Drop the values held in this process (tests clear the cache between tests; stamps may repeat)."""
    _memory.clear()


def watch_admin_edits() -> None:
    """Touch the scopes of what admins edit outside the services: the catalog, organizations, users."""
    from django.db.models.signals import post_delete, post_save

    from supportdesk.accounts.models import Organization, Role, User
    from supportdesk.faq.models import Article
    from supportdesk.tickets.models import Section, TicketType, TypedField

    def catalog_changed(**kwargs: object) -> None:
        touch(CATALOG)

    def faq_changed(**kwargs: object) -> None:
        touch(FAQ)

    def organization_changed(instance: Organization, **kwargs: object) -> None:
        touch(organization(instance.pk), DESK)

    def user_changed(instance: User, update_fields: frozenset[str] | None = None, **kwargs: object) -> None:
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return  # signing in changes nothing that a page shows
        if instance.role == Role.CUSTOMER:
            touch(user(instance.pk), organization(instance.organization_id), DESK)
        else:  # support staff and managers appear on customers' pages too (assignee, answers)
            touch(EVERYTHING)

    # weak=False: the receivers are local functions, which nothing else keeps alive.
    for model in (Section, TicketType, TypedField):
        for signal in (post_save, post_delete):
            signal.connect(catalog_changed, sender=model, weak=False, dispatch_uid=f"freshness-{model.__name__}")
    # The vocabulary (faq.Term) changes only with the articles, or in seed_faq, which touches FAQ itself.
    for sender, receiver in ((Organization, organization_changed), (User, user_changed), (Article, faq_changed)):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=sender, weak=False, dispatch_uid=f"freshness-{sender.__name__}")
