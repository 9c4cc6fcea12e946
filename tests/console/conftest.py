"""Helpers of the workspace tests: a signed-in specialist's client and a way to post an action as the page does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.accounts.models import User
from supportdesk.tickets.desk_queries import last_event_id
from supportdesk.tickets.models import Ticket


@pytest.fixture
def desk(client_for: Callable[[User], Client], specialist: User) -> Client:
    """The specialist's browser."""
    return client_for(specialist)


def page_guard(ticket: Ticket) -> dict[str, Any]:
    """What the workspace page puts in every action form: the version and the newest event it shows."""
    ticket.refresh_from_db()
    return {"version": ticket.version, "seen": last_event_id(ticket)}


@pytest.fixture
def act() -> Callable[..., Any]:
    """``act(client, ticket, "take", **fields)``: post an action with the guard of a freshly loaded page."""

    def post(client: Client, ticket: Ticket, action: str, *, guard: dict[str, Any] | None = None, **fields: Any) -> Any:
        payload = {**(guard if guard is not None else page_guard(ticket)), **fields}
        return client.post(reverse(f"console:{action}", args=[ticket.pk]), payload)

    return post
