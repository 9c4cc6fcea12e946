"""Run inside a scratch site's own process (``python -m tests.live.sitekit``): seed people and tickets.

The live tests that start real servers (granian) cannot share pytest-django's test database, so each
builds a scratch site of its own (``tests/live/servers.py``) and fills it through this module, with
the site's environment, through the real services. It prints one JSON object on stdout.

    python -m tests.live.sitekit seed                   people, one session each, and a ticket per customer
    python -m tests.live.sitekit ticket EMAIL QUESTION  one more ticket of that customer: {"ticket": id}
    python -m tests.live.sitekit session EMAIL          another signed-in session of that person: {"session": key}
    python -m tests.live.sitekit sessions EMAIL N       N more sessions of that person: {"sessions": [key, ...]}
"""

from __future__ import annotations

import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    import django

    django.setup()


def session_for(user: object) -> str:
    """A signed-in session of ``user``, as the sign-in page would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = "supportdesk.accounts.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    store.create()
    return str(store.session_key)


def seed() -> dict[str, object]:
    from supportdesk.accounts.models import Organization, Role, User
    from supportdesk.tickets import services
    from supportdesk.tickets.models import Section

    acme = Organization.objects.create(name="Acme")
    globex = Organization.objects.create(name="Globex")
    people = {
        "customer": User.objects.create_user(
            "alice@acme.test", "demo", display_name="Alice Customer", organization=acme
        ),
        "outsider": User.objects.create_user(
            "eve@globex.test", "demo", display_name="Eve Outsider", organization=globex
        ),
        "specialist": User.objects.create_user("anna@support.test", "demo", display_name="Anna", role=Role.SPECIALIST),
        "specialist2": User.objects.create_user(
            "boris@support.test", "demo", display_name="Boris", role=Role.SPECIALIST
        ),
    }
    section = Section.objects.get(code="application-help")
    ticket = services.create_ticket(
        people["customer"],
        services.NewTicket(section=section.pk, ticket_type=None, question="How do I create a new campaign?", fields={}),
    )
    other = services.create_ticket(
        people["outsider"],
        services.NewTicket(section=section.pk, ticket_type=None, question="Where are my call statistics?", fields={}),
    )
    return {
        "emails": {name: user.email for name, user in people.items()},
        "sessions": {name: session_for(user) for name, user in people.items()},
        "users": {name: user.pk for name, user in people.items()},
        "ticket": ticket.pk,
        "other_ticket": other.pk,
    }


def new_ticket(email: str, question: str) -> dict[str, object]:
    from supportdesk.accounts.models import User
    from supportdesk.tickets import services
    from supportdesk.tickets.models import Section

    section = Section.objects.get(code="application-help")
    requester = User.objects.get(email=email)
    new = services.NewTicket(section=section.pk, ticket_type=None, question=question, fields={})
    return {"ticket": services.create_ticket(requester, new).pk}


def main(argv: list[str]) -> None:
    _setup()
    if argv[:1] == ["seed"]:
        result = seed()
    elif argv[:1] == ["ticket"] and len(argv) == 3:
        result = new_ticket(argv[1], argv[2])
    elif argv[:1] == ["session"] and len(argv) == 2:
        from supportdesk.accounts.models import User

        result = {"session": session_for(User.objects.get(email=argv[1]))}
    elif argv[:1] == ["sessions"] and len(argv) == 3:
        from django.db import transaction

        from supportdesk.accounts.models import User

        person = User.objects.get(email=argv[1])
        with transaction.atomic():
            result = {"sessions": [session_for(person) for _ in range(int(argv[2]))]}
    else:
        raise SystemExit(f"usage: see python -m tests.live.sitekit's docstring (got {argv!r})")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
