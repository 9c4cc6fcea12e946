"""Where one page's time goes: N requests of a path through the whole Django stack, under cProfile.

Uses a dataset ``bench/run.py`` made (same sizes, same databases) and Django's test client signed in as
one of the load users, so middleware, session, queries and templates are all in the profile; no server
and no network. For a profile of the real server under load, use py-spy on a worker while
``bench/run.py --only NAME`` runs (docs/performance.md).

    .venv/bin/python -m bench.profile --size 10k --db sqlite /help/
    .venv/bin/python -m bench.profile --size 1m --as specialist00@support.example.com /desk/queue/active/
    .venv/bin/python -m bench.profile --size 1m /help/new/ --post section=1 --post "question=Calls drop" \
        --post submission_key={uuid}

``--post`` sends a form instead (each value's ``{uuid}`` a new one per request), and any 2xx or 3xx is fine.
A ``{id}`` in the path is a different ticket the user may see on every request, newest first, so that
each request of a cached page is a miss (as a ticket view's first visit is) with the catalog and the
staff warm:

    .venv/bin/python -m bench.profile --size 1m --as specialist00@support.example.com "/desk/tickets/{id}/"
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path")
    parser.add_argument("--size", default="10k")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--as", dest="email", default="customer0000@org000.example.com")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request, with timings")
    parser.add_argument("--post", metavar="FIELD=VALUE", action="append", help="POST this form field (repeat)")
    parser.add_argument("--dump", metavar="FILE", help="also write the profile to FILE (for pstats or snakeviz)")
    args = parser.parse_args()
    var_dir = ROOT / "var" / "bench" / (args.size if args.db == "postgres" else f"{args.size}-sqlite")
    os.environ.update(SUPPORTDESK_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="bench.settings", DEBUG="false",
                      HTTPS="false", LOG_LEVEL="WARNING")  # fmt: skip
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/supportdesk_bench_{args.size}"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import restore, snapshot_of
    from supportdesk.accounts.models import User
    from supportdesk.tickets.policies import visible_tickets

    user = User.objects.get(email=args.email)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="supportdesk.accounts.backends.ModelBackend")
    fields = [field.partition("=")[::2] for field in args.post or []]
    wanted = 5 + 2 * args.requests + (1 if args.queries else 0)
    visible = visible_tickets(user).order_by("-pk").values_list("pk", flat=True)
    id_list = list(visible[:wanted]) if "{id}" in args.path else []
    ids = iter(id_list)

    def request() -> int:
        path = args.path.replace("{id}", str(next(ids))) if "{id}" in args.path else args.path
        if not fields:
            return client.get(path).status_code
        data = {name: value.replace("{uuid}", str(uuid.uuid4())) for name, value in fields}
        status = client.post(path, data).status_code
        client.cookies.pop("messages", None)  # as under wrk: no flash messages pile up in the cookie
        return status

    # Posts write into the kept dataset: what they add is removed, and the tickets they answer are put
    # back, as bench.run does, so that the next run meets the same dataset.
    state = snapshot_of([*map(int, re.findall(r"\d+", args.path)), *id_list]) if fields else None
    try:
        for _ in range(5):  # imports, template compilation, connections
            status = request()
        if status not in (range(200, 400) if fields else (200,)):
            sys.exit(f"{args.path}: {status}")
        if args.queries:
            with CaptureQueriesContext(connection) as queries:
                request()
            for query in queries.captured_queries:
                print(f"{float(query['time']) * 1000:7.2f} ms  {query['sql'][:600]}")
            print(f"{len(queries.captured_queries)} queries")
        began, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            request()
        plain = (time.perf_counter() - began) / args.requests * 1000
        cpu = (time.process_time() - cpu) / args.requests * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            request()
        profile.disable()
        if args.dump:
            profile.dump_stats(args.dump)
        print(f"{args.path}: {plain:.2f} ms per request without the profiler, {cpu:.2f} ms of it this process's CPU")
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    finally:
        if state is not None:
            restore(state)
            print("(what the posts wrote was removed)")


if __name__ == "__main__":
    main()
