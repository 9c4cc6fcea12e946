"""``manage.py seed_demo``: the demo's organizations, people and about 30 tickets with real histories.

Every ticket change goes through ``supportdesk.tickets.services``, so threads, statuses and history
events are exactly what the application itself would have written. Run it again and it sees the demo
tickets and changes nothing.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from tqdm import tqdm

from supportdesk.accounts.models import Organization, Role, User
from supportdesk.tickets import freshness, services
from supportdesk.tickets.attachments import upload_image
from supportdesk.tickets.management.commands._demo_stories import (
    DEMO_PASSWORD,
    ORGANIZATIONS,
    PEOPLE,
    STORIES,
    DaysFromStart,
    FieldValue,
    HoursBeforeStart,
    Person,
    Shot,
    Step,
    Story,
)
from supportdesk.tickets.models import (
    Attachment,
    CategoryChangeRequest,
    ChangeRequestState,
    Event,
    Message,
    Section,
    Ticket,
    TicketSeen,
    TicketType,
)

# The demo's accounts were created this long before the oldest ticket.
ACCOUNTS_AGE = timedelta(days=75)
# The newest step of any story happens at least this long before the run.
LATEST = timedelta(minutes=5)


class Command(BaseCommand):
    help = "Create the demo organizations, accounts (password “demo”) and tickets; does nothing if they exist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        customers = [p.email for p in PEOPLE if p.role == Role.CUSTOMER]
        if Ticket.objects.filter(requester__email__in=customers).exists():
            self.stdout.write("Demo data already present: nothing changed.")
        else:
            show_progress = verbosity > 0 and not options["no_progress"]
            # One transaction: a run that fails half-way leaves nothing behind, and the next run starts over.
            with transaction.atomic():
                people = _ensure_people(self)
                counts = Seeder(people, show_progress=show_progress).run()
                # Written in bulk, not through the services: no page cached before may be served.
                freshness.touch(freshness.EVERYTHING)
            if verbosity > 0:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Demo data created: {counts['tickets']} tickets, {counts['messages']} messages, "
                        f"{counts['events']} history events, {counts['attachments']} screenshots."
                    )
                )
        if verbosity > 0:
            self.stdout.write(accounts_table())


def accounts_table() -> str:
    rows = [("E-mail", "Name", "Role", "Organization", "Password")]
    for person in PEOPLE:
        rows.append(
            (person.email, person.name, str(Role(person.role).label), person.organization or "—", DEMO_PASSWORD)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["", "Demo accounts:"]
    for index, row in enumerate(rows):
        lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _ensure_people(command: BaseCommand) -> dict[str, User]:
    """The demo organizations and accounts; existing ones are kept as they are (passwords included)."""
    joined = timezone.now() - ACCOUNTS_AGE
    users: dict[str, User] = {}
    # Staff first: an organization names its account manager.
    for person in sorted(PEOPLE, key=lambda p: p.organization is not None):
        organization = _organization(person.organization, users, joined) if person.organization else None
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = _create_user(person, organization, joined)
        else:
            command.stdout.write(f"{person.email} already exists: kept as it is (its password may not be “demo”).")
        users[person.key] = user
    return users


def _organization(name: str, users: dict[str, User], joined: datetime) -> Organization:
    spec = next(o for o in ORGANIZATIONS if o.name == name)
    organization, _created = Organization.objects.get_or_create(
        name=name,
        defaults={
            "shares_tickets": spec.shares_tickets,
            "account_manager": users.get(spec.account_manager) if spec.account_manager else None,
            "created_at": joined,
        },
    )
    return organization


def _create_user(person: Person, organization: Organization | None, joined: datetime) -> User:
    fields = {
        "display_name": person.name,
        "role": person.role,
        "organization": organization,
        "language": person.language,
        "time_zone": person.time_zone,
        "date_joined": joined,
    }
    if person.role == Role.ADMIN:
        return User.objects.create_superuser(person.email, DEMO_PASSWORD, **fields)
    return User.objects.create_user(person.email, DEMO_PASSWORD, **fields)


@dataclass
class Window:
    """One step of a story: when it really ran (``started``) and when the story says it happened."""

    started: datetime
    story_time: datetime


@dataclass
class Seeder:
    people: dict[str, User]
    show_progress: bool = True
    tickets: dict[str, Ticket] = field(default_factory=dict)

    def run(self) -> dict[str, int]:
        before = _counts()
        now = timezone.now()
        # Oldest first, so that ticket numbers grow with their dates as they would in real life.
        stories = sorted(((_story_start(i, story, now), story) for i, story in enumerate(STORIES)), key=lambda s: s[0])
        with tqdm(stories, desc="Demo tickets", unit="ticket", disable=not self.show_progress) as bar:
            for start, story in bar:
                self.play(story, start)
        after = _counts()
        return {key: after[key] - before[key] for key in after}

    def play(self, story: Story, start: datetime) -> None:
        windows: list[Window] = []
        requester = self.people[story.requester]

        windows.append(Window(timezone.now(), start))
        section = Section.objects.get(code=story.section)
        ticket_type = TicketType.objects.get(section=section, code=story.ticket_type) if story.ticket_type else None
        linked = self.tickets[story.link[0]] if story.link else None
        ticket = services.create_ticket(
            requester,
            services.NewTicket(
                section=section.pk,
                ticket_type=ticket_type.pk if ticket_type else None,
                question=story.question,
                fields={key: _field_text(value, start) for key, value in story.fields.items()},
                client_info=story.client_info,
                urgent=bool(story.urgent),
                impact=story.urgent,
                uploads=_uploads(requester, story.shot),
                linked_to=linked.pk if linked else None,
                link_kind=story.link[1] if story.link else "",
            ),
        )
        self.tickets[story.key] = ticket

        moment = start
        for step in story.steps:
            moment += step.after
            windows.append(Window(timezone.now(), moment))
            self.do(step, ticket, start)
        restamp(ticket.pk, windows)

    def do(self, step: Step, ticket: Ticket, start: datetime) -> None:
        user = self.people[step.who]
        uploads = _uploads(user, step.shot)
        match step.action:
            case "take":
                services.take(user, ticket.pk)
            case "reply":
                services.specialist_reply(user, ticket.pk, step.text, uploads=uploads)
            case "note":
                services.internal_note(user, ticket.pk, step.text)
            case "ask":
                services.request_information(user, ticket.pk, step.text)
            case "answer":
                services.mark_seen(user, ticket)
                services.customer_reply(user, ticket.pk, step.text, uploads=uploads)
            case "close":
                services.close(user, ticket.pk, step.text)
            case "decline":
                services.decline(user, ticket.pk, code=str(step.options["code"]), reason=step.text)
            case "urgent":
                services.set_urgent(user, ticket.pk, urgent=True, impact=step.text)
            case "reassign":
                services.reassign(user, ticket.pk, assignee_id=self.people[str(step.options["to"])].pk)
            case "recategorize":
                section = Section.objects.get(code=step.options["section"])
                type_code = step.options["type"]
                ticket_type = TicketType.objects.get(section=section, code=type_code) if type_code else None
                raw_fields: dict[str, FieldValue] = step.options["fields"]  # type: ignore[assignment]
                services.customer_change_category(
                    user,
                    ticket.pk,
                    section=section.pk,
                    ticket_type=ticket_type.pk if ticket_type else None,
                    fields={key: _field_text(value, start) for key, value in raw_fields.items()},
                    comment=step.text,
                )
            case "accept":
                pending = CategoryChangeRequest.objects.get(ticket=ticket, state=ChangeRequestState.PENDING)
                services.decide_category_change(user, ticket.pk, pending.pk, accept=True)
            case "read":
                services.mark_seen(user, ticket)
            case _:
                raise ValueError(f"unknown demo step {step.action!r}")


def _story_start(index: int, story: Story, now: datetime) -> datetime:
    """When the ticket was opened: ``days_ago`` back, moved earlier if its last step would be in the future.

    Stories of a day or more ago start in working hours (UTC), spread by their place in the list, so that
    the demo does not open every ticket at the time of day it was seeded.
    """
    start = now - timedelta(days=story.days_ago)
    if story.days_ago >= 1:
        start = start.replace(hour=7 + (index * 5) % 9, minute=(index * 23) % 60, second=0, microsecond=0)
    length = sum((step.after for step in story.steps), timedelta())
    latest = now - LATEST
    return min(start, latest - length)


def _field_text(value: FieldValue, start: datetime) -> str:
    if isinstance(value, DaysFromStart):
        return (start + timedelta(days=value.days)).date().isoformat()
    if isinstance(value, HoursBeforeStart):
        return (start - timedelta(hours=value.hours)).replace(second=0, microsecond=0).isoformat()
    return value


def restamp(ticket_id: int, windows: list[Window]) -> None:
    """Move the ticket's timestamps from when the seeding ran to when its story says they happened.

    The services stamp ``timezone.now()``, so a story played in a second would show every ticket opened
    and answered today. Each step ran inside its window (from ``started`` to the next window's start),
    so every time written during a step moves to that step's story time plus its offset in the window:
    order within and across steps is kept. This is the one direct write of ticket rows the demo makes,
    and it changes only times: statuses, threads and events are what the services wrote.
    """
    starts = [w.started for w in windows]

    def when(value: datetime | None) -> datetime | None:
        if value is None:
            return None
        window = windows[max(bisect.bisect_right(starts, value) - 1, 0)]
        return window.story_time + (value - window.started)

    ticket = Ticket.objects.get(pk=ticket_id)
    Ticket.objects.filter(pk=ticket_id).update(
        created_at=when(ticket.created_at),
        updated_at=when(ticket.updated_at),
        finished_at=when(ticket.finished_at),
        last_customer_message_at=when(ticket.last_customer_message_at),
        last_response_at=when(ticket.last_response_at),
    )
    rows: list[tuple[type[Model], list[str]]] = [
        (Message, ["created_at"]),
        (Event, ["created_at"]),
        (Attachment, ["created_at"]),
        (CategoryChangeRequest, ["created_at", "decided_at"]),
        (TicketSeen, ["seen_at"]),
    ]
    for model, names in rows:
        manager = model._default_manager
        for pk, *values in manager.filter(ticket_id=ticket_id).values_list("pk", *names):
            manager.filter(pk=pk).update(**{name: when(value) for name, value in zip(names, values, strict=True)})


def _counts() -> dict[str, int]:
    return {
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "events": Event.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def _uploads(user: User, shot: Shot | None) -> list[str]:
    if shot is None:
        return []
    upload = SimpleUploadedFile(shot.name, draw_screenshot(shot), content_type="image/png")
    return [upload_image(user, upload).token]


# --- Fake screenshots ---------------------------------------------------------------------------------

MENU = ("Campaigns", "Scripts", "Contacts", "Telephony", "Statistics", "Billing")


def draw_screenshot(shot: Shot, size: tuple[int, int] = (800, 480)) -> bytes:
    """A PNG that looks like a screen of the platform: title bar, menu, content rows, an error banner."""
    width, height = size
    image = Image.new("RGB", size, (245, 247, 250))
    draw = ImageDraw.Draw(image)
    regular = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=13)

    draw.rectangle((0, 0, width, 44), fill=(30, 58, 138))
    draw.text((16, 13), "CallCenter Cloud", font=regular, fill=(255, 255, 255))
    draw.text((200, 14), shot.title, font=small, fill=(191, 219, 254))

    draw.rectangle((0, 44, 170, height), fill=(226, 232, 240))
    for index, item in enumerate(MENU):
        top = 64 + index * 34
        if item.split()[0] in shot.title:
            draw.rectangle((0, top - 8, 170, top + 22), fill=(203, 213, 225))
        draw.text((20, top), item, font=regular, fill=(30, 41, 59))

    left, top = 194, 68
    if shot.error:
        draw.rectangle((left, top, width - 24, top + 46), fill=(254, 226, 226), outline=(220, 38, 38), width=2)
        draw.text((left + 14, top + 14), "Error: " + shot.error, font=regular, fill=(153, 27, 27))
        top += 66
    for index, row in enumerate(shot.rows):
        fill = (255, 255, 255) if index % 2 == 0 else (241, 245, 249)
        draw.rectangle((left, top, width - 24, top + 38), fill=fill, outline=(226, 232, 240))
        draw.text((left + 14, top + 11), row, font=small, fill=(51, 65, 85))
        top += 38
    draw.rounded_rectangle((width - 150, height - 60, width - 24, height - 24), radius=6, fill=(37, 99, 235))
    draw.text((width - 120, height - 50), "Save", font=regular, fill=(255, 255, 255))

    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
