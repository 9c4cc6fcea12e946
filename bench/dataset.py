"""The benchmark's dataset: N tickets (10k, 200k, 1M...) with their threads, history and attachments.

Run inside a configured Django (``bench/run.py`` does it, or ``python -m bench.dataset --tickets N``
with the site's environment). It migrates an empty database, then writes:

* 200 organizations (one in five shares tickets among its members), 2,000 customers (three in ten
  read Russian), 20 specialists and one admin, every one with the same real password hash;
* the FAQ: the seed articles plus 1,000 generated ones (``bench/faq_suggest.py``'s generator) and
  their vocabulary, as the FAQ benchmark makes them;
* N tickets over every section, type and status, 1 to 5 messages each in English or Russian, the
  ``Event`` rows the services would have written for that history, a screenshot row on one ticket in
  25 and the requester's "seen" mark on most answered tickets.

Rows go in by ``COPY`` on PostgreSQL (psycopg 3) and ``executemany`` on SQLite, in chunks, each its own
transaction, with progress and an ETA on stderr; then the sequences are moved past the ids used and
the statistics refreshed (``VACUUM ANALYZE``), as autovacuum would leave them.

What a real desk looks like, and so the dataset: most tickets are finished. The newest 3,000 are
mostly active (a queue a team works through), older ones are finished but for one in 200 that got
stuck, so the active queues hold a few thousand tickets at any size: history grows, the queue does
not. Customers are unequal: customer k opens tickets with weight 1/(k+10), so the first customers
(the benchmark's load users) have hundreds of pages of history at 1M tickets.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CUSTOMERS = 2000
ORGANIZATIONS = 200
SPECIALISTS = 20
ARTICLES = 1000
PASSWORD = "bench-password-1"  # noqa: S105 - the made-up users' password, for the load generator
RECENT_ACTIVE = 3000
CHUNK = 10_000
Row = tuple[Any, ...]

TICKET_COLUMNS = (
    "id", "organization_id", "requester_id", "section_id", "ticket_type_id", "question", "summary", "fields",
    "client_info", "status", "is_urgent", "urgent_impact", "assignee_id", "decline_code", "decline_reason",
    "linked_to_id", "link_kind", "merged_into_id", "version", "submission_key", "created_at", "updated_at",
    "finished_at", "last_customer_message_at", "last_response_at",
)  # fmt: skip
MESSAGE_COLUMNS = ("id", "ticket_id", "author_id", "kind", "body", "is_solution", "created_at")
EVENT_COLUMNS = ("id", "ticket_id", "kind", "actor_id", "data", "public", "created_at")
ATTACHMENT_COLUMNS = (
    "id", "token", "uploader_id", "ticket_id", "message_id", "file", "thumbnail", "original_name", "content_type",
    "size", "width", "height", "created_at",
)  # fmt: skip
SEEN_COLUMNS = ("id", "user_id", "ticket_id", "seen_at")


def emit(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def customer_email(index: int) -> str:
    return f"customer{index:04d}@org{index % ORGANIZATIONS:03d}.example.com"


def specialist_email(index: int) -> str:
    return f"specialist{index:02d}@support.example.com"


@dataclass
class Category:
    section_id: int
    section_code: str
    type_id: int | None
    required: list[tuple[str, str]]  # (key, kind) the Create form demands for this section and type


@dataclass
class People:
    customers: list[tuple[int, int, bool]]  # (user id, organization id, reads Russian)
    specialists: list[tuple[int, str]]  # (user id, display name)
    weights: list[float] = field(default_factory=list)


class Ids:
    """Explicit primary keys, so that events can name their message and attachments theirs."""

    def __init__(self, start: int) -> None:
        self.value = start

    def __call__(self) -> int:
        self.value += 1
        return self.value


# --- Small tables through the ORM -------------------------------------------------------------------


def make_people(rng: random.Random) -> People:
    from django.contrib.auth.hashers import make_password

    from supportdesk.accounts.models import Organization, Role, User

    password = make_password(PASSWORD)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)} {n:03d}", shares_tickets=n % 5 == 0)
        for n in range(ORGANIZATIONS)
    )
    staff = [
        User(email=specialist_email(n), display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", role=Role.SPECIALIST)
        for n in range(SPECIALISTS)
    ]
    staff.append(User(email="admin@support.example.com", display_name="Bench Admin", role=Role.ADMIN))
    customers = []
    for n in range(CUSTOMERS):
        russian = rng.random() < 0.3
        customers.append(
            User(
                email=customer_email(n),
                display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                organization=orgs[n % ORGANIZATIONS],
                language="ru" if russian else "",
                time_zone=rng.choice(["UTC", "Europe/Moscow", "Europe/Berlin", "Asia/Yekaterinburg"]),
            )
        )
    for user in (*staff, *customers):
        user.password = password
    User.objects.bulk_create(staff, batch_size=500)
    User.objects.bulk_create(customers, batch_size=500)
    saved = {u.email: u for u in User.objects.all()}
    people = People(
        customers=[(saved[c.email].pk, c.organization_id, c.language == "ru") for c in customers],  # type: ignore[misc]
        specialists=[(saved[s.email].pk, s.display_name) for s in staff if s.role == Role.SPECIALIST],
    )
    people.weights = [1 / (n + 10) for n in range(CUSTOMERS)]
    return people


def make_faq() -> None:
    """The FAQ benchmark's 1,000 articles (its generator, reused) and their vocabulary."""
    from django.core.management import call_command

    sys.path.insert(0, str(ROOT / "bench"))
    from faq_suggest import generate  # type: ignore[import-not-found]

    from supportdesk.faq import search
    from supportdesk.faq.models import Article, ArticleStatus
    from supportdesk.tickets.models import Section

    call_command("seed_faq", verbosity=0)
    rng = random.Random(5)  # noqa: S311 - made-up articles
    sections = list(Section.objects.all())
    Article.objects.bulk_create(
        [
            Article(section=rng.choice([*sections, None]), status=ArticleStatus.PUBLISHED, position=100 + i, **row)
            for i, row in enumerate(generate(ARTICLES, rng))
        ],
        batch_size=200,
    )
    search.remember_words(Article.objects.all())


def categories() -> list[Category]:
    from supportdesk.tickets.models import Section, TypedField

    found = []
    fields = list(TypedField.objects.filter(required=True))
    for section in Section.objects.filter(is_active=True).prefetch_related("types"):
        types = [t for t in section.types.all() if t.is_active] or [None]
        for kind in types:
            required = [
                (f.key, f.kind)
                for f in fields
                if f.section_id == section.pk and f.ticket_type_id in (None, kind.pk if kind else None)
            ]
            found.append(Category(section.pk, section.code, kind.pk if kind else None, required))
    return found


# --- Tickets, generated ------------------------------------------------------------------------------


ORG_WORDS = "Acme Globex Initech Umbrella Stark Wayne Северсталь Ромашка Вектор Орбита Polar Nimbus Vertex".split()
ORG_KINDS = "Ltd LLC Group Telecom Retail Logistics Холдинг Сервис".split()
FIRST = "Anna Boris Clara David Elena Fedor Galina Igor Julia Kirill Maria Nikita Olga Pavel Sofia Timur".split()
LAST = "Ivanova Petrov Smith Kuznetsova Novak Sokolov Weber Orlova Brown Volkov Lebedeva Moroz".split()
BROWSERS = ["Chrome 131 on Windows 11", "Firefox 133 on Ubuntu", "Safari 18 on macOS", "Яндекс Браузер 24"]
DECLINE = [
    ("duplicate", "Duplicate of an earlier ticket."),
    ("out_of_scope", "We do not support this."),
    ("cannot_reproduce", "We could not reproduce it."),
    ("spam", "Spam."),
    ("other", "Asked by phone."),
]


def typed_value(rng: random.Random, kind: str, moment: datetime.datetime) -> str:
    if kind == "datetime":
        return (moment - datetime.timedelta(hours=rng.randint(1, 48))).isoformat()
    if kind == "date":
        return (moment + datetime.timedelta(days=rng.randint(1, 30))).date().isoformat()
    if kind == "decimal":
        return f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}"
    if kind == "textarea":
        return "Leads\nQualified leads\nСделки"
    return rng.choice(["Spring sale", "Весенняя акция", "Win-back", "NPS survey"])


class Generator:
    """Rows of every table for one chunk of tickets at a time; ids and times only grow."""

    def __init__(self, total: int, people: People, cats: list[Category], rng: random.Random, starts: dict[str, int]):
        from bench.text import Writer
        from supportdesk.tickets.services.creation import summarize

        self.summarize = summarize

        self.total, self.people, self.cats, self.rng = total, people, cats, rng
        self.writers = {False: Writer(rng, False), True: Writer(rng, True)}
        self.message_id, self.event_id = Ids(starts["message"]), Ids(starts["event"])
        self.attachment_id, self.seen_id = Ids(starts["attachment"]), Ids(starts["seen"])
        self.ticket_start = starts["ticket"]
        self.now = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(hours=2)
        span_days = max(60, total // 1000)
        self.start = self.now - datetime.timedelta(days=span_days)
        self.step = span_days * 86400 / total
        self.cat_weights = [3 if c.section_code == "application-help" else 2 for c in cats]

    def status_for(self, index: int) -> str:
        rng = self.rng
        active = rng.random() < (0.6 if index >= self.total - RECENT_ACTIVE else 0.005)
        if active:
            return rng.choices(["open", "in_progress", "awaiting_response"], weights=[35, 40, 25])[0]
        return "closed" if rng.random() < 0.88 else "declined"

    def chunk(self, first: int, count: int) -> dict[str, list[Row]]:
        rng, people = self.rng, self.people
        out: dict[str, list[Row]] = {"ticket": [], "message": [], "event": [], "attachment": [], "seen": []}
        who = rng.choices(range(CUSTOMERS), weights=people.weights, k=count)
        cats = rng.choices(self.cats, weights=self.cat_weights, k=count)
        for offset in range(count):
            index = first + offset
            self._ticket(index, self.ticket_start + index + 1, people.customers[who[offset]], cats[offset], out)
        return out

    def _ticket(self, index: int, pk: int, customer: tuple[int, int, bool], cat: Category, out: dict) -> None:  # noqa: C901
        rng = self.rng
        requester, org, russian = customer
        writer = self.writers[russian]
        status = self.status_for(index)
        created = self.start + datetime.timedelta(seconds=index * self.step + rng.random() * self.step)
        created = created.replace(microsecond=rng.randint(0, 999_999))
        specialist, specialist_name = rng.choice(self.people.specialists)
        if status in ("closed", "awaiting_response"):
            count = rng.choice([2, 2, 4])
        elif status == "open":
            count = rng.choice([1, 1, 1, 2])
        elif status == "declined":
            count = rng.choice([1, 2, 3])
        else:
            count = rng.choice([1, 2, 3, 3, 4, 5])
        question = writer.question(cat.section_code)
        moment = created
        urgent = rng.random() < 0.03
        events: list[Row] = []
        messages: list[Row] = []

        def event(kind: str, actor: int | None, data: dict[str, Any], *, public: bool = True) -> None:
            events.append((self.event_id(), pk, kind, actor, json.dumps(data), public, moment))

        first_message = self.message_id()
        messages.append((first_message, pk, requester, "customer", question, False, moment))
        event(
            "ticket.created",
            requester,
            {"status": "open", "message_id": first_message, "urgent": urgent, "linked_to": None, "link_kind": ""},
        )
        current, assignee = "open", None
        last_customer, last_response = moment, None
        if status != "open" and not (status == "declined" and count == 1):
            moment += datetime.timedelta(minutes=rng.randint(2, 240))
            assignee, current = specialist, "in_progress"
            event("ticket.taken", specialist, {"assignee": specialist, "assignee_name": specialist_name,
                                               "from": "open", "to": "in_progress"})  # fmt: skip
        for n in range(1, count):
            moment += datetime.timedelta(minutes=rng.randint(3, 600))
            message = self.message_id()
            if status == "open" or n % 2 == 0:  # the customer
                messages.append((message, pk, requester, "customer", writer.follow_up(), False, moment))
                data: dict[str, Any] = {"message_id": message}
                if current == "awaiting_response":
                    data.update({"from": current, "to": "in_progress"})
                    current = "in_progress"
                event("ticket.message", requester, data)
                last_customer = moment
                continue
            last = n == count - 1
            solution = last and status == "closed"
            messages.append((message, pk, specialist, "response", writer.response(), solution, moment))
            last_response = moment
            if last and status in ("closed", "awaiting_response"):
                kind = "ticket.closed" if solution else "ticket.information_requested"
                event(kind, specialist, {"message_id": message, "from": current, "to": status})
                current = status
            else:
                event("ticket.response", specialist, {"message_id": message})
        if rng.random() < 0.1 and assignee:
            note = self.message_id()
            messages.append((note, pk, specialist, "note", writer.note(), False, moment))
            event("ticket.note", specialist, {"message_id": note}, public=False)
        decline_code = decline_reason = ""
        if status == "declined":
            moment += datetime.timedelta(minutes=rng.randint(3, 600))
            decline_code, decline_reason = rng.choice(DECLINE)
            event("ticket.declined", specialist, {"code": decline_code, "reason": decline_reason,
                                                  "from": current, "to": "declined"})  # fmt: skip
            assignee = assignee or specialist
        finished = moment if status in ("closed", "declined") else None
        fields = {key: typed_value(rng, kind, created) for key, kind in cat.required}
        client = {}
        if cat.section_code == "system-errors":
            client = {"browser": rng.choice(BROWSERS), "page": "/campaigns/", "screen": "1920x1080",
                      "language": "ru" if russian else "en", "time_zone": "Europe/Moscow"}  # fmt: skip
        summary = self.summarize(question)
        out["ticket"].append((
            pk, org, requester, cat.section_id, cat.type_id, question, summary, json.dumps(fields),
            json.dumps(client), status, urgent, "The whole team is blocked." if urgent else "", assignee,
            decline_code, decline_reason, None, "", None, len(events), uuid.UUID(int=rng.getrandbits(128), version=4),
            created, moment, finished, last_customer, last_response,
        ))  # fmt: skip
        out["message"].extend(messages)
        out["event"].extend(events)
        if index % 25 == 0:
            token = f"{pk:x}{rng.getrandbits(64):016x}"
            width, height = rng.choice([(1920, 1080), (1280, 800), (390, 844)])
            out["attachment"].append((
                self.attachment_id(), token, requester, pk, first_message, f"attachments/{token[:2]}/{token}.png",
                f"thumbnails/{token[:2]}/{token}.png", "screenshot.png", "image/png", rng.randint(40_000, 900_000),
                width, height, created,
            ))  # fmt: skip
        if last_response is not None and rng.random() < 0.8:
            seen = last_response + datetime.timedelta(minutes=rng.randint(1, 300))
            out["seen"].append((self.seen_id(), requester, pk, min(seen, self.now)))


# --- Writing --------------------------------------------------------------------------------------


TABLES = {
    "ticket": ("tickets_ticket", TICKET_COLUMNS),
    "message": ("tickets_message", MESSAGE_COLUMNS),
    "event": ("tickets_event", EVENT_COLUMNS),
    "attachment": ("tickets_attachment", ATTACHMENT_COLUMNS),
    "seen": ("tickets_ticketseen", SEEN_COLUMNS),
}


def check_columns() -> None:
    """Every concrete column of each model is written: a new field fails here, not in the benchmark."""
    from supportdesk.tickets.models import Attachment, Event, Message, Ticket, TicketSeen

    for model, key in ((Ticket, "ticket"), (Message, "message"), (Event, "event"), (Attachment, "attachment"),
                       (TicketSeen, "seen")):  # fmt: skip
        table, columns = TABLES[key]
        actual = {f.column for f in model._meta.concrete_fields}
        if model._meta.db_table != table or actual != set(columns):
            raise SystemExit(f"{model.__name__}: the model has {sorted(actual)}; the generator writes {columns}")


def sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


def writer_for(connection: Any) -> Callable[[str, Sequence[Row]], None]:
    if connection.vendor == "postgresql":
        raw = connection.connection

        def copy(key: str, rows: Sequence[Row]) -> None:
            table, columns = TABLES[key]
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
                for row in rows:
                    out.write_row(row)

        return copy

    raw = connection.connection

    def insert(key: str, rows: Sequence[Row]) -> None:
        table, columns = TABLES[key]
        marks = ", ".join("?" * len(columns))
        raw.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - our own names
            ([sqlite_value(v) for v in row] for row in rows),
        )

    return insert


def next_ids() -> dict[str, int]:
    from django.db.models import Max

    from supportdesk.tickets.models import Attachment, Event, Message, Ticket, TicketSeen

    models = {"ticket": Ticket, "message": Message, "event": Event, "attachment": Attachment, "seen": TicketSeen}
    return {k: m.objects.aggregate(top=Max("pk"))["top"] or 0 for k, m in models.items()}


def fill_tickets(total: int, people: People, rng: random.Random) -> dict[str, int]:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from supportdesk.tickets.models import Attachment, Event, Message, Ticket, TicketSeen

    check_columns()
    connection.ensure_connection()
    write = writer_for(connection)
    generator = Generator(total, people, categories(), rng, next_ids())
    counts = dict.fromkeys(TABLES, 0)
    began = time.monotonic()
    for first in range(0, total, CHUNK):
        rows = generator.chunk(first, min(CHUNK, total - first))
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            for key in TABLES:
                write(key, rows[key])
                counts[key] += len(rows[key])
        done = first + len(rows["ticket"])
        elapsed = time.monotonic() - began
        emit(
            f"  tickets {done:>9,}/{total:,}  {done / elapsed:>7,.0f}/s  elapsed {elapsed:5.0f} s  "
            f"ETA {elapsed / done * (total - done):5.0f} s"
        )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Ticket, Message, Event, Attachment, TicketSeen]
        ):
            cursor.execute(statement)
    return counts


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        raw = connection.connection
        autocommit = raw.autocommit
        raw.autocommit = True
        try:
            raw.execute("VACUUM ANALYZE")
        finally:
            raw.autocommit = autocommit
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build(tickets: int, *, seed: int = 1) -> dict[str, Any]:
    """Fill the (migrated, empty) database; returns what was written."""
    from supportdesk.tickets.models import Ticket

    if Ticket.objects.exists():
        raise SystemExit("the database already has tickets: the generator fills an empty one")
    rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible
    began = time.monotonic()
    emit(f"dataset: {ORGANIZATIONS} organizations, {CUSTOMERS:,} customers, {SPECIALISTS} specialists, FAQ")
    people = make_people(rng)
    make_faq()
    emit(f"dataset: {tickets:,} tickets with messages, events, attachments and seen marks")
    counts = fill_tickets(tickets, people, rng)
    emit("dataset: VACUUM ANALYZE")
    analyze()
    counts["seconds"] = round(time.monotonic() - began)
    emit(f"dataset: done in {counts['seconds']} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.tickets)


if __name__ == "__main__":
    main()
