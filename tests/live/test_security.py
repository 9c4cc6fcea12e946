"""Each stream carries exactly what its user may see: live, on replay, and in the in-memory filter.

Two organizations that do not share (Acme: customer, colleague; Globex: other_customer), one that
does (Initech: sharing_customer, sharing_colleague), Acme's account manager, a specialist, an
internal note, and anonymous and signed-out clients that must get nothing.
"""

from __future__ import annotations

import asyncio

import pytest

from supportdesk.live.audience import audience_for, visible_events
from supportdesk.live.bus import event_message
from supportdesk.tickets import services
from supportdesk.tickets.models import Event
from tests.live.conftest import SSEClient, in_thread

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(customer, colleague, sharing_customer, sharing_colleague, other_customer, specialist, manager, make_ticket):
    people = {
        "customer": customer,
        "colleague": colleague,
        "sharing_customer": sharing_customer,
        "sharing_colleague": sharing_colleague,
        "other_customer": other_customer,
        "specialist": specialist,
        "manager": manager,
    }
    tickets = {
        "acme_own": make_ticket(customer),
        "acme_colleague": make_ticket(colleague),
        "initech_own": make_ticket(sharing_customer),
        "initech_colleague": make_ticket(sharing_colleague),
        "globex": make_ticket(other_customer),
    }
    return people, tickets


def _activity(specialist, tickets):
    """Something on every ticket, and an internal note on Acme's."""
    made = []
    for name, ticket in tickets.items():
        services.specialist_reply(specialist, ticket.pk, f"About {name}: we are on it.")
        made.append(ticket.events.latest("id").pk)
    services.internal_note(specialist, tickets["acme_own"].pk, "Internal: the customer is on the old tariff.")
    made.append(tickets["acme_own"].events.latest("id").pk)
    services.take(specialist, tickets["globex"].pk)
    made.append(tickets["globex"].events.latest("id").pk)
    return made


# What each persona must receive of that activity, by ticket (None: the internal note too).
EXPECTED = {
    "customer": {"acme_own"},
    "colleague": {"acme_colleague"},
    "sharing_customer": {"initech_own", "initech_colleague"},
    "sharing_colleague": {"initech_own", "initech_colleague"},
    "other_customer": {"globex"},
    "manager": {"acme_own", "acme_colleague"},
    "specialist": {"acme_own", "acme_colleague", "initech_own", "initech_colleague", "globex"},
}


def test_every_stream_carries_exactly_what_its_user_may_see(arun, world, session_of, client_for):
    people, tickets = world
    sessions = {name: session_of(user) for name, user in people.items()}
    signed_out = client_for(people["customer"])
    signed_out_key = signed_out.cookies["sessionid"].value
    start = Event.objects.latest("id").pk
    by_ticket = {t.pk: name for name, t in tickets.items()}

    async def scenario():
        clients = {
            name: SSEClient(session=key, query=f"presence={tickets['acme_own'].pk}") for name, key in sessions.items()
        }
        anonymous = SSEClient()
        for client in clients.values():
            await client.__aenter__()
        await in_thread(signed_out.post, "/accounts/logout/")
        async with anonymous, SSEClient(session=signed_out_key) as after_sign_out:
            made = await in_thread(_activity, people["specialist"], tickets)
            # The specialist hears everything: once his stream has the last event, the rest have theirs.
            while int((await clients["specialist"].next(kind="ticket")).id) != made[-1]:
                pass
            await asyncio.sleep(0.3)
            for client in clients.values():
                await client.close()
            return clients, anonymous, after_sign_out

    clients, anonymous, after_sign_out = arun(scenario())
    note = Event.objects.get(kind="ticket.note").pk
    for name, client in clients.items():
        got = [e for e in client.received if e.event == "ticket"]
        ids = [int(e.id) for e in got]
        assert len(ids) == len(set(ids)), f"{name} got duplicates"
        assert {by_ticket[e.json["ticket"]] for e in got} == EXPECTED[name], name
        assert (note in ids) is (name == "specialist"), name
        # ...and exactly the policy's own answer, event by event.
        allowed = set(visible_events(people[name]).filter(id__gt=start).values_list("id", flat=True))
        assert set(ids) == allowed, name
        assert [e for e in client.received if e.event == "presence"] == []
    for client in (anonymous, after_sign_out):
        assert client.status == 403
        assert client.received == []


def test_a_replay_carries_exactly_what_its_user_may_see(arun, world, session_of):
    people, tickets = world
    start = Event.objects.latest("id").pk
    _activity(people["specialist"], tickets)
    sessions = {name: session_of(user) for name, user in people.items()}

    async def scenario():
        got = {}
        for name, key in sessions.items():
            async with SSEClient(session=key, query=f"last_id={start}") as client:
                got[name] = [int(e.id) for e in await client.quiet(0.3) if e.event == "ticket"]
        return got

    got = arun(scenario())
    for name, user in people.items():
        assert got[name] == list(visible_events(user).filter(id__gt=start).order_by("id").values_list("id", flat=True))


def test_the_in_memory_filter_agrees_with_the_policy_for_every_persona_and_event(world):
    people, tickets = world
    _activity(people["specialist"], tickets)
    people["sharing_customer"].organization.refresh_from_db()
    for name, user in people.items():
        audience = audience_for(user)
        visible = set(visible_events(user).values_list("id", flat=True))
        for event in Event.objects.select_related("ticket"):
            assert audience.receives(event_message(event)) is (event.pk in visible), (name, event.kind, event.pk)


def test_presence_goes_to_support_staff_on_that_ticket_only(arun, customer, specialist, specialist2, make_ticket,
                                                            session_of, client_for):  # fmt: skip
    ticket = make_ticket(customer)
    other = make_ticket(customer, question="Another question about the dialer.")
    watching = SSEClient(session=session_of(specialist2), query=f"presence={ticket.pk}")
    elsewhere = SSEClient(session=session_of(specialist2), query=f"presence={other.pk}")
    own = SSEClient(session=session_of(specialist), query=f"presence={ticket.pk}")
    nosy = SSEClient(session=session_of(customer), query=f"presence={ticket.pk}")
    announcer = client_for(specialist)

    async def scenario():
        async with watching, elsewhere, own, nosy:
            await in_thread(announcer.post, f"/live/tickets/{ticket.pk}/presence/", {"state": "viewing"})
            seen = await watching.next(kind="presence")
            rest = [await c.quiet(0.3) for c in (elsewhere, own, nosy)]
        return seen, rest

    seen, rest = arun(scenario())
    assert seen.json == {"ticket": ticket.pk, "user": specialist.pk, "name": "Sam Specialist", "state": "viewing",
                         "ttl": 45}  # fmt: skip
    assert rest == [[], [], []]
