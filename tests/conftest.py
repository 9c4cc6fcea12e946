"""Shared personas and helpers for every test.

People (all passwords ``demo``):

* ``customer`` and ``colleague`` — customers of ``org`` ("Acme"), which does not share tickets;
* ``sharing_customer`` and ``sharing_colleague`` — customers of ``sharing_org`` ("Initech"), which does;
* ``other_customer`` — a customer of ``other_org`` ("Globex"): every ticket of the others is a 404 for him;
* ``specialist``, ``specialist2`` — support staff; ``admin_user`` — role admin and superuser;
* ``manager`` — the account manager of ``org``.

Tickets are opened with ``make_ticket`` through the real service, so each has its first message and
its ``ticket.created`` event.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from supportdesk.accounts.models import Organization, User
from supportdesk.tickets import events, services
from supportdesk.tickets.models import Event, Section, Ticket, TicketType
from tests.factories import (
    AdminFactory,
    CustomerFactory,
    ManagerFactory,
    OrganizationFactory,
    SpecialistFactory,
)

# Valid answers for the typed fields the seeded categories ask, used when a test does not care.
SAMPLE_FIELDS = {
    "occurred_at": "2025-03-14T09:30",
    "campaign": "Spring sale",
    "metrics": "successful call\nlead",
    "price_per_action": "0.25",
    "start_date": "2025-04-01",
}


def forget_cached_reads() -> None:
    from django.core.cache import cache

    from supportdesk.tickets import freshness

    cache.clear()
    freshness.forget_in_process()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: cached pages and their stamps never carry across tests
    (whose databases reuse the same ids)."""
    forget_cached_reads()


@pytest.fixture
def session_queries(settings: Any) -> int:
    """Queries a request spends on a session that is already in use: none where sessions are read from
    Redis (``cached_db``, the engine with ``REDIS_URL``), one where they are read from the database.
    After ``cold_cache()`` the next request reads it from the database either way."""
    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


@pytest.fixture
def cold_cache() -> Any:
    """``cold_cache()`` empties the cache, so that the next request computes everything: pin the query
    count of a page's uncached path (the one that must not grow with the data) after it."""
    return forget_cached_reads


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the site's default language. Django's LocaleMiddleware leaves the
    last request's language active in the thread, so a page read by a Russian customer made a later
    test's English message Russian (an order-dependent failure)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploads land in this test's own directory, not in var/ shared by every run in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Organizations --------------------------------------------------------------------------------


@pytest.fixture
def org(db: None) -> Organization:
    return OrganizationFactory(name="Acme", shares_tickets=False)


@pytest.fixture
def sharing_org(db: None) -> Organization:
    return OrganizationFactory(name="Initech", shares_tickets=True)


@pytest.fixture
def other_org(db: None) -> Organization:
    return OrganizationFactory(name="Globex", shares_tickets=False)


# --- People ---------------------------------------------------------------------------------------


@pytest.fixture
def customer(org: Organization) -> User:
    return CustomerFactory(email="alice@acme.test", display_name="Alice Customer", organization=org)


@pytest.fixture
def colleague(org: Organization) -> User:
    return CustomerFactory(email="bob@acme.test", display_name="Bob Colleague", organization=org)


@pytest.fixture
def sharing_customer(sharing_org: Organization) -> User:
    return CustomerFactory(email="carol@initech.test", display_name="Carol Sharing", organization=sharing_org)


@pytest.fixture
def sharing_colleague(sharing_org: Organization) -> User:
    return CustomerFactory(email="dave@initech.test", display_name="Dave Sharing", organization=sharing_org)


@pytest.fixture
def other_customer(other_org: Organization) -> User:
    return CustomerFactory(email="eve@globex.test", display_name="Eve Outsider", organization=other_org)


@pytest.fixture
def specialist(db: None) -> User:
    return SpecialistFactory(email="sam@support.test", display_name="Sam Specialist")


@pytest.fixture
def specialist2(db: None) -> User:
    return SpecialistFactory(email="tess@support.test", display_name="Tess Specialist")


@pytest.fixture
def admin_user(db: None) -> User:
    return AdminFactory(email="root@support.test", display_name="Ada Admin")


@pytest.fixture
def manager(org: Organization) -> User:
    """Role manager, and the account manager of ``org`` (Acme)."""
    user = ManagerFactory(email="max@support.test", display_name="Max Manager")
    org.account_manager = user
    org.save(update_fields=["account_manager"])
    return user


# --- Categories -----------------------------------------------------------------------------------


def _ensure_seeded() -> None:
    """The seeded sections, re-seeded if a ``transaction=True`` test flushed the database before."""
    seed = importlib.import_module("supportdesk.tickets.migrations.0002_seed_sections").seed
    seed(django_apps, None)


@pytest.fixture
def sections(db: None) -> dict[str, Section]:
    """code → Section: "application-help", "system-errors", "documents-finance"."""
    _ensure_seeded()
    return {s.code: s for s in Section.objects.all()}


@pytest.fixture
def types(sections: dict[str, Section]) -> dict[str, TicketType]:
    """code → TicketType of Documents/Finance: "metrics-tariffing", "other"."""
    return {t.code: t for t in TicketType.objects.filter(section=sections["documents-finance"])}


# --- Tickets --------------------------------------------------------------------------------------


@pytest.fixture
def make_ticket(sections: dict[str, Section], types: dict[str, TicketType]) -> Callable[..., Ticket]:
    """``make_ticket(requester, *, section="application-help", ticket_type=None, question=..., urgent=False,
    fields=None, **kw)`` opens a ticket through ``services.create_ticket``.

    ``section`` and ``ticket_type`` are codes (or model instances). ``fields=None`` fills the typed fields
    the category asks with valid sample values; pass a dict to send exactly that. ``urgent=True`` without
    ``impact=`` gets a sample impact. Other keywords go to ``NewTicket`` (``submission_key``, ``uploads``,
    ``linked_to``, ``link_kind``, ``client_info``, ``impact``).
    """

    def make(
        requester: User,
        *,
        section: str | Section = "application-help",
        ticket_type: str | TicketType | None = None,
        question: str = "How do I create a new campaign?\nI looked in the menu but could not find it.",
        urgent: bool = False,
        fields: dict[str, str] | None = None,
        **kw: Any,
    ) -> Ticket:
        chosen = section if isinstance(section, Section) else sections[section]
        kind = ticket_type if ticket_type is None or isinstance(ticket_type, TicketType) else types[ticket_type]
        if fields is None:
            fields = {
                f.key: SAMPLE_FIELDS[f.key]
                for f in services.creation.fields_for(chosen, kind)
                if f.key in SAMPLE_FIELDS
            }
        if urgent:
            kw.setdefault("impact", "Every call of the campaign fails")
        new = services.NewTicket(
            section=chosen.pk,
            ticket_type=kind.pk if kind is not None else None,
            question=question,
            urgent=urgent,
            fields=fields,
            **kw,
        )
        return services.create_ticket(requester, new)

    return make


# --- Events, uploads, clients ---------------------------------------------------------------------


@pytest.fixture
def published() -> Iterator[list[Event]]:
    """The events ``supportdesk.tickets.events`` published, in order.

    Events are published only after their transaction commits, and a test's transaction never
    commits: run the service inside ``with django_capture_on_commit_callbacks(execute=True):``
    (pytest-django's fixture) so the on-commit callbacks run, then look at this list.
    """
    captured: list[Event] = []

    def listener(event: Event) -> None:
        captured.append(event)

    events.add_listener(listener)
    yield captured
    events.remove_listener(listener)


@pytest.fixture
def png_upload() -> Callable[..., SimpleUploadedFile]:
    """``png_upload(name="screenshot.png", *, size=(40, 30), colour="teal")``: a small valid PNG upload."""

    def make(
        name: str = "screenshot.png", *, size: tuple[int, int] = (40, 30), colour: str = "teal"
    ) -> SimpleUploadedFile:
        out = io.BytesIO()
        Image.new("RGB", size, colour).save(out, "PNG")
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")

    return make


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """``client_for(user)``: a test ``Client`` signed in as ``user`` (no password round trip)."""

    def make(user: User) -> Client:
        client = Client()
        # The first configured backend (django-axes) only watches sign-ins and cannot load a user.
        client.force_login(user, backend="supportdesk.accounts.backends.ModelBackend")
        return client

    return make
