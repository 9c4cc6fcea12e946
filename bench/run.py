"""The benchmark: SupportDesk at 10k, 200k or 1M tickets, every scenario beside the framework's floor.

    .venv/bin/python -m bench.run --size 1m            # PostgreSQL, 10 s a scenario, 1,000 live clients
    .venv/bin/python -m bench.run --size 10k --db sqlite --smoke
    make bench SIZE=200k / make bench-smoke

One command does everything: creates the dataset if the database does not hold it yet
(``bench/dataset.py``; kept for the next run), migrates, collects static files, starts granian in
production shape (two workers, ``DEBUG=false``, Redis for the live bus and cache when reachable),
signs the load users in through the sign-in form, and runs each scenario with wrk (2 threads, 8
connections) after a one-second warm-up. The floor (``/bench/floor``: no query, no template, the same
middleware and signed-in session) runs first and last; every scenario is reported as its ratio to the
mean of the two, because on a shared machine only ratios within one run compare.

Per scenario: requests/s, its share of the floor's, p50/p99 latency, errors (socket errors and any
status other than the one expected), CPU per request of the app's processes and of PostgreSQL's
backends for this database, and the workers' memory. The live scenario opens N streams (half the
ticket's customer, half specialists), posts replies through the page and times each to its arrival on
every stream (``bench/live_bench.py``'s clients and timing, reused). Figures go to stdout as a
Markdown table and to ``bench/results/perf-*.json``. The exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.load import AppServer, Login, Req, free_port, run_wrk, sign_in  # noqa: E402

SIZES = {"10k": 10_000, "200k": 200_000, "1m": 1_000_000}
DATASET_VERSION = 1
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/7"
RESULTS = ROOT / "bench" / "results"


def emit(message: str) -> None:
    print(message, flush=True)


# --- The dataset ----------------------------------------------------------------------------------------


def site_env(
    args: argparse.Namespace, var_dir: Path, database_url: str | None, redis_url: str | None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        SUPPORTDESK_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        HTTPS="false",
        LOG_LEVEL="WARNING",
        LIVE_REDIS_CHANNEL=f"supportdesk-bench:{args.size}:{args.db}",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        # --cold: every page computed, as on a cache miss (what must not grow with the data), with the
        # user, catalog and staff still cached as in production; --uncached: nothing cached, as a
        # deployment without Redis. Two workers share cached values only through Redis.
        CACHED_READS="false" if args.uncached or not redis_url else "true",
        CACHED_PAGES="false" if args.cold else "true",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def ensure_postgres(name: str, marker: str, *, fresh: bool) -> tuple[str, bool]:
    """The database ``name`` on the local server; (its URL, whether it must be filled)."""
    import psycopg

    parts = urlsplit(os.environ.get("BENCH_PG", PG_SERVER))
    with psycopg.connect(urlunsplit(parts), autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        empty = row is None or row[0] != marker or fresh
        if empty:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), empty


def prepare_dataset(args: argparse.Namespace) -> tuple[dict[str, str], str | None]:
    """Environment of the site under test, with its database holding the dataset; the PG database name."""
    tickets = SIZES[args.size]
    marker = f"supportdesk-bench tickets={tickets} v{DATASET_VERSION}"
    var_dir = ROOT / "var" / "bench" / (args.size if args.db == "postgres" else f"{args.size}-sqlite")
    var_dir.mkdir(parents=True, exist_ok=True)
    redis_url = args.redis if args.redis and redis_ok(args.redis) else None
    database = None
    if args.db == "postgres":
        database = f"supportdesk_bench_{args.size}"
        url, fill = ensure_postgres(database, marker, fresh=args.regenerate)
    else:
        url = None
        marker_file = var_dir / "dataset.txt"
        fill = args.regenerate or not marker_file.exists() or marker_file.read_text() != marker
        if fill:
            for suffix in ("", "-wal", "-shm"):
                (var_dir / f"supportdesk.sqlite3{suffix}").unlink(missing_ok=True)
    env = site_env(args, var_dir, url, redis_url)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import dataset

    emit(f"== site: {args.db}, {var_dir}, Redis {'at ' + redis_url if redis_url else 'off'}")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if fill:
        emit(f"== dataset: {tickets:,} tickets (kept for the next run)")
        dataset.build(tickets)
        if database:
            import psycopg

            with psycopg.connect(urlunsplit(urlsplit(PG_SERVER)), autocommit=True) as admin:
                admin.execute(f"COMMENT ON DATABASE \"{database}\" IS '{marker}'")
        else:
            (var_dir / "dataset.txt").write_text(marker)
    else:
        emit(f"== dataset: {tickets:,} tickets, already there ({marker})")
    forget_cached_pages()
    return env, database


def forget_cached_pages() -> None:
    """The dataset was written (or put back) behind the services' back, and Redis's db may hold pages of
    another size's dataset: no value cached before now may be served."""
    from supportdesk.tickets import freshness

    freshness.touch(freshness.EVERYTHING)


def redis_ok(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


# --- What the load users do --------------------------------------------------------------------------


@dataclass
class Plan:
    customers: list[str]
    specialists: list[str]
    customer_tickets: dict[str, list[int]] = field(default_factory=dict)  # email → tickets he sees
    customer_active: dict[str, list[int]] = field(default_factory=dict)  # email → his active tickets
    deep: dict[str, str] = field(default_factory=dict)  # email → the history cursor 80% deep
    depth: dict[str, tuple[int, int]] = field(default_factory=dict)  # email → (page, pages)
    search_rows: list[int] = field(default_factory=list)  # rows each search of the plan shows
    desk_tickets: list[int] = field(default_factory=list)
    section: int = 0
    faq_section: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def make_plan(customers: int, specialists: int, rng: random.Random) -> Plan:
    from django.db import connection

    from supportdesk.accounts.models import Role, User
    from supportdesk.tickets.models import Section, Ticket
    from supportdesk.tickets.policies import visible_tickets
    from supportdesk.tickets.queries import PAGE_SIZE, Cursor, TicketFilters, customer_tickets, filtered
    from supportdesk.tickets.workflow import ACTIVE

    people = list(User.objects.filter(role=Role.CUSTOMER).order_by("email")[:customers])
    staff = list(User.objects.filter(role=Role.SPECIALIST).order_by("email")[:specialists])
    plan = Plan([u.email for u in people], [u.email for u in staff])
    for user in people:
        seen = visible_tickets(user)
        recent = list(seen.order_by("-created_at", "-id").values_list("pk", flat=True)[:2000])
        plan.customer_tickets[user.email] = rng.sample(recent, min(40, len(recent)))
        plan.customer_active[user.email] = list(
            seen.filter(requester=user, status__in=sorted(ACTIVE))
            .order_by("-created_at")
            .values_list("pk", flat=True)[:40]
        )
        history = filtered(seen, TicketFilters(finished=True)).order_by("-created_at", "-id")
        pages = math.ceil(history.count() / PAGE_SIZE)
        page = max(2, int(pages * 0.8))
        if pages >= 2:
            last = history.values_list("created_at", "pk")[(page - 1) * PAGE_SIZE - 1]
            plan.deep[user.email] = Cursor(*last).encode()
            plan.depth[user.email] = (page, pages)
        # A search's page is as long as its matches, up to a page: its cost at two sizes compares
        # pages of these lengths.
        plan.search_rows += [len(customer_tickets(user, TicketFilters(finished=True, text=w)).rows) for w in SEARCHES]
    top = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    active = list(Ticket.objects.filter(status__in=sorted(ACTIVE)).values_list("pk", flat=True)[:5000])
    finished = list(
        Ticket.objects.filter(pk__in=rng.sample(range(1, top + 1), min(top, 200))).values_list("pk", flat=True)
    )
    plan.desk_tickets = rng.sample(active, min(40, len(active))) + finished[:40]
    plan.section = Section.objects.get(code="application-help").pk
    plan.faq_section = plan.section
    plan.counts = {
        "tickets": Ticket.objects.count(),
        "active": Ticket.objects.filter(status__in=sorted(ACTIVE)).count(),
    }
    connection.close()
    return plan


QUESTIONS = [
    "How do I create a new campaign from a template?\n\nWe have 12 operators working on it.",
    "Как настроить ветвления скрипта звонка?\n\nНа прошлой неделе все работало.",
    "Calls do not go through since this morning, error after pressing Save.",
]
SEARCHES = ["invoice", "telephony", "статистику", "microphone", "Win-back", "campaign statistics"]


@dataclass
class Scenario:
    name: str
    reqs: list[Req]
    expected: int = 200
    page: bool = True  # a page or API read: the p99 goal applies
    note: str = ""


def scenarios(plan: Plan, logins: dict[str, Login]) -> list[Scenario]:
    customers = [logins[e] for e in plan.customers]
    staff = [logins[e] for e in plan.specialists]
    faq_questions = _faq_questions()
    key = str(uuid.uuid4())
    deep = [Req(f"/help/history/?{urlencode({'after': plan.deep[c.email]})}", c.cookie_header)
            for c in customers if c.email in plan.deep]  # fmt: skip
    depth = ", ".join(f"{p}/{n}" for p, n in (plan.depth[c.email] for c in customers if c.email in plan.depth))
    return [
        Scenario("customer list, first page", [Req("/help/", c.cookie_header) for c in customers]),
        Scenario("customer history, deep page", deep, note=f"page/pages: {depth}"),
        Scenario(
            "customer ticket view",
            [Req(f"/help/tickets/{pk}/", c.cookie_header) for c in customers for pk in plan.customer_tickets[c.email]],
        ),
        Scenario(
            "customer search (history)",
            [Req(f"/help/history/?{urlencode({'q': w})}", c.cookie_header) for c in customers for w in SEARCHES],
            note=f"rows shown: {statistics.fmean(plan.search_rows or [0]):.1f} on average",
        ),
        Scenario(
            "FAQ suggestion",
            [
                Req(
                    f"/faq/suggest/?{urlencode({'question': q, 'section': plan.faq_section, 'submission_key': key})}",
                    c.cookie_header,
                )
                for c in customers
                for q in faq_questions
            ],
        ),  # fmt: skip
        Scenario("desk queue New", [Req("/desk/", s.cookie_header) for s in staff]),
        Scenario("desk queue All active", [Req("/desk/queue/active/", s.cookie_header) for s in staff]),
        Scenario(
            "desk ticket view",
            [Req(f"/desk/tickets/{pk}/", s.cookie_header) for s in staff for pk in plan.desk_tickets],
        ),
        Scenario(
            "desk search (Finished)",
            [Req(f"/desk/queue/finished/?{urlencode({'q': w})}", s.cookie_header) for s in staff for w in SEARCHES],
        ),
        Scenario(
            "create ticket",
            [
                Req(
                    "/help/new/",
                    c.cookie_header,
                    "POST",
                    urlencode(
                        {
                            "csrfmiddlewaretoken": c.form_token,
                            "section": plan.section,
                            "ticket_type": "",
                            "question": q,
                            "submission_key": "BENCHUUID",
                        }
                    ),
                )
                for c in customers
                for q in QUESTIONS
            ],
            expected=302,
            page=False,
        ),  # fmt: skip
        Scenario(
            "reply",
            [
                Req(
                    f"/help/tickets/{pk}/reply/",
                    c.cookie_header,
                    "POST",
                    urlencode({"csrfmiddlewaretoken": c.form_token, "body": "Thanks, here is more detail about it."}),
                )
                for c in customers
                for pk in plan.customer_active[c.email]
            ],
            expected=302,
            page=False,
        ),  # fmt: skip
    ]


def _faq_questions() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from faq_suggest import QUESTIONS as FAQ  # type: ignore[import-not-found]

    return list(FAQ)[:10]


# --- Running ----------------------------------------------------------------------------------------------


class Cluster:
    """The app processes under test: one granian (``--workers`` processes), or ``--instances`` of them
    side by side on their own ports, sharing PostgreSQL and Redis, as behind a load balancer."""

    def __init__(self, servers: list[AppServer]) -> None:
        self.servers = servers
        self.primary = servers[0]
        self.database = self.primary.database

    def usage(self) -> tuple[float, dict[int, float], float]:
        found = [s.usage() for s in self.servers]  # the database's backends: only the primary counts them
        return sum(u.app_cpu for u in found), found[0].db_cpu, found[0].when

    def rss_mib(self) -> float:
        return sum(s.rss_mib() for s in self.servers)

    def threads(self) -> int:
        return sum(s.threads() for s in self.servers)


def _spread(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _wrk_all(cluster: Cluster, scenario: Scenario, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    """wrk on every instance at once, connections split evenly (what a round-robin balancer does)."""
    from concurrent.futures import ThreadPoolExecutor

    n = len(cluster.servers)
    connections, threads = _spread(args.connections, n), _spread(max(args.threads, n), n)
    with ThreadPoolExecutor(n) as pool:
        runs = list(
            pool.map(
                lambda i: run_wrk(
                    cluster.servers[i].url, scenario.reqs, expected=scenario.expected, seconds=seconds,
                    threads=threads[i], connections=connections[i],
                ),
                range(n),
            )
        )  # fmt: skip
    if n == 1:
        return runs[0]
    total = {k: sum(r[k] for r in runs) for k in ("requests", "socket_errors", "http_errors", "unexpected", "errors")}
    total["rps"] = sum(r["rps"] for r in runs)
    total["duration_us"] = max(r["duration_us"] for r in runs)
    for key in ("p50_us", "p90_us"):  # weighted by requests: close enough for the middle
        total[key] = sum(r[key] * r["requests"] for r in runs) / max(1, total["requests"])
    for key in ("p99_us", "max_us"):  # the worse instance's: never flattering
        total[key] = max(r[key] for r in runs)
    return total


def cache_writes(redis_url: str | None) -> int | None:
    """How many values Redis has been asked to store so far (SET, SETEX and the like), or None without it.

    In a read scenario these are the pages computed (a hit stores nothing): what the run's p99 owes
    to its misses.
    """
    if not redis_url:
        return None
    import redis

    with redis.Redis.from_url(redis_url) as client:
        stats = client.info("commandstats")
    return sum(int(v["calls"]) for k, v in stats.items() if k in ("cmdstat_set", "cmdstat_setex", "cmdstat_mset"))


def measure(cluster: Cluster, scenario: Scenario, args: argparse.Namespace, redis_url: str | None) -> dict[str, Any]:
    """One scenario: warm-up, then the measured run; ``redis_url`` (or None) counts the cache writes."""
    if args.warmup:
        _wrk_all(cluster, scenario, args, args.warmup)
    app_before, db_before, _ = cluster.usage()
    writes_before = cache_writes(redis_url)
    result = _wrk_all(cluster, scenario, args, args.seconds)
    writes_after = cache_writes(redis_url)
    app_after, db_after, _ = cluster.usage()
    db = sum(v - db_before.get(pid, 0.0) for pid, v in db_after.items())
    if writes_before is not None and writes_after is not None:
        result["cache_writes_pct"] = (writes_after - writes_before) / max(1, result["requests"]) * 100
    result.update(
        name=scenario.name,
        page=scenario.page,
        note=scenario.note,
        app_cpu_ms=(app_after - app_before) / max(1, result["requests"]) * 1000,
        db_cpu_ms=db / max(1, result["requests"]) * 1000 if cluster.database else None,
        rss_mib=cluster.rss_mib(),
    )
    return result


def check_first(server: AppServer, scenario: Scenario) -> None:
    """One request of the scenario by hand: a wrong status here would make every figure meaningless."""
    from bench.load import request

    r = scenario.reqs[0]
    cookies = dict(part.split("=", 1) for part in r.cookies.split("; "))
    form = dict(x.split("=", 1) for x in r.body.replace("BENCHUUID", str(uuid.uuid4())).split("&")) if r.body else None
    if form:
        from urllib.parse import unquote_plus

        form = {unquote_plus(k): unquote_plus(v) for k, v in form.items()}
    reply = request(server.port, r.method, r.path, cookies=cookies, form=form)
    if reply.status != scenario.expected:
        raise RuntimeError(f"{scenario.name}: {r.method} {r.path} answered {reply.status}, not {scenario.expected}")


async def live(cluster: Cluster, logins: dict[str, Login], plan: Plan, args: argparse.Namespace) -> dict[str, Any]:
    """N idle streams; replies posted through the page, each timed to its arrival on every stream."""
    sys.path.insert(0, str(ROOT / "bench"))
    import live_bench  # type: ignore[import-not-found]

    from tests.live.servers import Server

    # The ticket replied to: the first load customer's with an active one.
    customer = logins[next(e for e in plan.customers if plan.customer_active[e])]
    ticket = plan.customer_active[customer.email][0]
    sessions = [customer.session] + [logins[e].session for e in plan.specialists]
    # Half the streams are the ticket's customer's (tabs of one sign-in), half the specialists'.
    chosen = [customer.session if i % 2 == 0 else sessions[1 + (i // 2) % (len(sessions) - 1)]
              for i in range(args.live_clients)]  # fmt: skip
    server = cluster.primary  # replies are posted here; streams are spread over every instance
    page_server = Server(server.port, server.process, server.log)  # type: ignore[arg-type]
    rss, threads = cluster.rss_mib(), cluster.threads()
    ports = [s.port for s in cluster.servers]
    clients = [live_bench.Client(ports[i % len(ports)], s) for i, s in enumerate(chosen)]
    opened = time.perf_counter()
    for start in range(0, len(clients), 100):
        batch = clients[start : start + 100]
        opens = (asyncio.wait_for(c.open(), args.live_open_timeout) for c in batch)
        outcomes = await asyncio.gather(*opens, return_exceptions=True)
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        if failed:
            for client in clients:
                await client.close()
            raise RuntimeError(
                f"{len(failed)} of streams {start + 1}-{start + len(batch)} did not open within "
                f"{args.live_open_timeout:.0f} s "
                f"({type(failed[0]).__name__}: {failed[0]}); {start} opened before them"
            )
    connect_s = time.perf_counter() - opened
    emit(f"   {len(clients)} streams open in {connect_s:.1f} s")
    await asyncio.sleep(2)
    result = {
        "clients": len(clients),
        "connect_all_s": connect_s,
        "kib_per_stream": (cluster.rss_mib() - rss) * 1024 / len(clients),
        "threads_before": threads,
        "threads_after": cluster.threads(),
    }
    try:
        result["latency"] = await live_bench.measure_latency(
            page_server, clients, customer.session, ticket, args.live_actions
        )
    finally:
        for client in clients:
            await client.close()
    return result


@dataclass
class Snapshot:
    """The dataset as the run found it: every run leaves it so, so runs compare (and New does not grow)."""

    top: dict[str, int]
    replied: list[Any]


def snapshot(plan: Plan) -> Snapshot:
    return snapshot_of([pk for pks in plan.customer_active.values() for pk in pks])


def snapshot_of(replied_ids: list[int]) -> Snapshot:
    """The dataset's newest rows, and the tickets that replies may change (``bench.profile`` too)."""
    from django.db import connection
    from django.db.models import Max

    from supportdesk.tickets.models import Event, Message, Ticket, TicketSeen

    models = {"ticket": Ticket, "message": Message, "event": Event, "seen": TicketSeen}
    top = {k: m.objects.aggregate(top=Max("pk"))["top"] or 0 for k, m in models.items()}
    replied = list(Ticket.objects.filter(pk__in=replied_ids))
    connection.close()
    return Snapshot(top, replied)


def restore(state: Snapshot) -> None:
    """Remove what the run wrote (tickets, replies, events, seen marks) and put replied tickets back."""
    from django.db import connection, transaction

    from supportdesk.tickets.models import Event, Message, Ticket, TicketSeen

    with transaction.atomic():
        Event.objects.filter(pk__gt=state.top["event"]).delete()
        TicketSeen.objects.filter(pk__gt=state.top["seen"]).delete()
        Message.objects.filter(pk__gt=state.top["message"]).delete()
        Ticket.objects.filter(pk__gt=state.top["ticket"]).delete()
        fields = ["status", "version", "updated_at", "last_customer_message_at", "last_response_at", "assignee"]
        Ticket.objects.bulk_update(state.replied, fields)
    forget_cached_pages()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE tickets_ticket, tickets_message, tickets_event, tickets_ticketseen")
    connection.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    env, database = prepare_dataset(args)
    rng = random.Random(7)  # noqa: S311 - which tickets the load users open
    plan = make_plan(args.customers, args.specialists, rng)
    state = snapshot(plan)
    try:
        return measured(args, env, database, plan)
    finally:
        emit("== putting the dataset back as it was")
        restore(state)


def measured(args: argparse.Namespace, env: dict[str, str], database: str | None, plan: Plan) -> dict[str, Any]:
    from bench.dataset import PASSWORD

    out: dict[str, Any] = {
        "size": args.size, "db": args.db, "tickets": plan.counts["tickets"], "active": plan.counts["active"],
        "workers": args.workers, "instances": args.instances, "seconds": args.seconds,
        "connections": args.connections, "cached_reads": not args.uncached and "REDIS_URL" in env,
        "cached_pages": not (args.cold or args.uncached), "serving": args.serving,
        "redis": "REDIS_URL" in env, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_start": os.getloadavg(), "scenarios": [], "failures": [],
    }  # fmt: skip
    with contextlib.ExitStack() as stack:
        servers = []
        for number in range(args.instances):  # one after the other: each takes its port before the next looks
            app = AppServer(free_port(), env, args.workers, database if number == 0 else None, serving=args.serving)
            servers.append(stack.enter_context(app.running()))
        cluster = Cluster(servers)
        server = cluster.primary
        urls = ", ".join(s.url for s in servers)
        emit(f"== server: {args.instances} × granian ({urls}), {args.workers} workers each;"
             f" signing in {len(plan.customers)} customers and {len(plan.specialists)} specialists through the"
             " sign-in form")  # fmt: skip
        logins = {e: sign_in(server.port, e, PASSWORD, form_page="/help/new/") for e in plan.customers}
        logins.update({e: sign_in(server.port, e, PASSWORD, form_page="/desk/") for e in plan.specialists})
        floor = Scenario("floor (bare view)", [Req("/bench/floor", logins[e].cookie_header) for e in plan.customers])
        chosen = [
            s for s in scenarios(plan, logins) if s.reqs and (not args.only or any(o in s.name for o in args.only))
        ]
        # With pages computed, the cache's writes would not tell the pages computed.
        counted = None if args.cold or args.uncached else env.get("REDIS_URL")
        for scenario in [floor, *chosen, floor]:
            check_first(server, scenario)
            result = measure(cluster, scenario, args, counted)
            out["scenarios"].append(result)
            emit(line(result))
            if result["errors"]:
                out["failures"].append(f"{scenario.name}: {result['errors']} errors")
        if args.live_clients and args.serving == "router" and not (args.only and "live" not in args.only):
            if args.workers * args.instances > 1 and "REDIS_URL" not in env:
                out["failures"].append("live: several workers need Redis for the live bus (--redis)")
            else:
                emit(f"== live: {args.live_clients} streams, {args.live_actions} replies")
                try:
                    bound = 60 + args.live_open_timeout * math.ceil(args.live_clients / 100) + 11 * args.live_actions
                    out["live"] = asyncio.run(asyncio.wait_for(live(cluster, logins, plan, args), bound))
                    emit(json.dumps(out["live"]))
                except Exception as exc:  # reported and failed, the rest of the figures still printed
                    out["failures"].append(f"live: {type(exc).__name__}: {exc}")
        log = "\n".join(s.log.read_text() for s in servers)
        errors = [x for x in log.splitlines() if " ERROR " in x or "Traceback" in x]
        if errors:
            out["failures"].append(f"server log: {len(errors)} errors, first: {errors[0]}")
    out["load_average_end"] = os.getloadavg()
    floors = [s["rps"] for s in out["scenarios"] if s["name"].startswith("floor")]
    out["floor_rps"] = statistics.mean(floors)
    for s in out["scenarios"]:
        s["floor_ratio"] = s["rps"] / out["floor_rps"]
    return out


def _writes(r: dict[str, Any]) -> str:
    return f"{r['cache_writes_pct']:.1f}" if r.get("cache_writes_pct") is not None else "–"


def line(r: dict[str, Any]) -> str:
    db = f"{r['db_cpu_ms']:.2f}" if r.get("db_cpu_ms") is not None else "-"
    return (
        f"  {r['name']:<28} {r['rps']:>8.0f} req/s  p50 {r['p50_us'] / 1000:6.1f} ms  p99 {r['p99_us'] / 1000:6.1f} ms"
        f"  errors {r['errors']}  app CPU {r['app_cpu_ms']:.2f} ms/req  DB CPU {db} ms/req"
        f"  RSS {r['rss_mib']:.0f} MiB  cache writes {_writes(r)}%"
    )


def markdown(out: dict[str, Any]) -> str:
    rows = [
        f"{out['size']} ({out['tickets']:,} tickets, {out['active']:,} active), {out['db']}, "
        f"{out['instances']} × {out['workers']} workers, "
        f"Redis {'on' if out['redis'] else 'off'}, "
        f"cached reads {'on' if out['cached_reads'] else 'off'}"
        f"{'' if out.get('cached_pages', True) else ', pages computed'}, "
        f"{'granian WSGI, pages only' if out.get('serving') == 'wsgi' else 'ASGI router'}, "
        f"wrk {out['connections']} connections × {out['seconds']} s, "
        f"load average {out['load_average_start'][0]:.1f} → {out['load_average_end'][0]:.1f}",
        "",
        "| scenario | req/s | × floor | p50 ms | p99 ms | errors | app CPU ms/req | DB CPU ms/req | workers' RSS MiB "
        "| cache writes % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in out["scenarios"]:
        db = f"{r['db_cpu_ms']:.2f}" if r.get("db_cpu_ms") is not None else "–"
        name = f"{r['name']} ({r['note']})" if r.get("note") else r["name"]
        rows.append(
            f"| {name} | {r['rps']:,.0f} | {r['floor_ratio']:.2f} | "
            f"{r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['errors']} | {r['app_cpu_ms']:.2f} | {db} | "
            f"{r['rss_mib']:.0f} | {_writes(r)} |"
        )
    if "live" in out:
        lv, lat = out["live"], out["live"]["latency"]
        rows += [
            "",
            f"Live: {lv['clients']:,} streams (connected in {lv['connect_all_s']:.1f} s), "
            f"{lv['kib_per_stream']:.1f} KiB per stream, "
            f"worker threads {lv['threads_before']} → {lv['threads_after']}; "
            f"reply → delivery on every stream p50 {lat['p50_ms']:.0f} ms, p99 {lat['p99_ms']:.0f} ms, "
            f"to the last stream p50 {lat['last_client_p50_ms']:.0f} ms, p99 {lat['last_client_p99_ms']:.0f} ms "
            f"({lat['deliveries']:,} deliveries).",
        ]
    if out["failures"]:
        rows += ["", "Failures: " + "; ".join(out["failures"])]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="10k")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1, help="unmeasured seconds before each scenario")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (per instance)")
    parser.add_argument("--instances", type=int, default=1, help="app servers side by side (scale-out)")
    parser.add_argument("--customers", type=int, default=8, help="customers signed in for the load")
    parser.add_argument("--specialists", type=int, default=4)
    parser.add_argument("--live-clients", type=int, default=1000)
    parser.add_argument("--live-actions", type=int, default=20)
    parser.add_argument("--live-open-timeout", type=float, default=30, help="seconds for 100 streams to open")
    parser.add_argument("--redis", default=REDIS, help="Redis for the live bus and cache ('' for none)")
    parser.add_argument("--only", nargs="*", help="run only the scenarios whose name holds one of these words")
    parser.add_argument("--regenerate", action="store_true", help="build the dataset again")
    parser.add_argument("--smoke", action="store_true", help="short: 10k, 3 s a scenario, 50 live clients")
    parser.add_argument(
        "--cold", action="store_true", help="every page computed, as on a cache miss (user, catalog and staff cached)"
    )
    parser.add_argument("--uncached", action="store_true", help="cached reads off, as a deployment without Redis")
    parser.add_argument(
        "--serving",
        choices=["router", "wsgi"],
        default="router",
        help="router: the production shape; wsgi: granian's WSGI interface, pages only (what the router costs)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.size, args.seconds, args.warmup = "10k", min(args.seconds, 3), 0
        args.live_clients, args.live_actions = min(args.live_clients, 50), 3
        args.customers, args.specialists = 3, 2
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 2 * args.live_clients + 1024)), hard))
    out = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    caching = "-uncached" if args.uncached else "-cold" if args.cold else ""
    mode = caching + ("-wsgi" if args.serving == "wsgi" else "")
    path = RESULTS / f"perf-{args.size}-{args.db}{mode}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    emit("")
    emit(markdown(out))
    emit(f"\n(figures also in {path.relative_to(ROOT)})")
    if out["failures"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
