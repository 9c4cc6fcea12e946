"""Two server processes sharing PostgreSQL and Redis: what happens through one reaches streams on both.

Runs where ``DATABASE_URL`` is PostgreSQL (CI's "Tests on PostgreSQL + Redis" step); it creates a
database of its own on that server and starts two granian processes on it (tests/live/servers.py).
"""

from __future__ import annotations

import os
import queue

import pytest
from django.conf import settings

from tests.live.servers import ScratchSite, StreamReader, free_port, postgres_database, redis_available

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"

pytestmark = [
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL=postgres://...: two server processes cannot share SQLite's in-memory test "
        "database; CI's PostgreSQL + Redis step runs this",
    ),
    pytest.mark.skipif(not redis_available(REDIS_URL), reason=f"needs Redis at {REDIS_URL}"),
]


def test_an_action_through_process_a_reaches_streams_on_process_b_and_a(tmp_path):
    with postgres_database(DATABASE_URL) as database_url:
        site = ScratchSite(tmp_path, database_url=database_url, redis_url=REDIS_URL)
        seed = site.prepare()
        sessions, ticket = seed["sessions"], seed["ticket"]
        with site.serve(free_port()) as a, site.serve(free_port()) as b:
            on_b = StreamReader(b, sessions["specialist"])
            on_a = StreamReader(a, sessions["specialist"])
            outsider_on_b = StreamReader(b, sessions["outsider"])
            try:
                assert (on_a.status, on_b.status, outsider_on_b.status) == (200, 200, 200)
                status = a.submit(
                    f"/help/tickets/{ticket}/",
                    f"/help/tickets/{ticket}/reply/",
                    session=sessions["customer"],
                    fields={"body": "It is the Spring sale campaign."},
                )
                assert status == 302
                from_b = on_b.next(timeout=5)
                from_a = on_a.next(timeout=5)
                assert from_b.json["ticket"] == ticket
                assert from_b.json["kind"] == "ticket.message"
                assert from_a.data == from_b.data
                with pytest.raises(queue.Empty):
                    outsider_on_b.next(timeout=0.5)  # not his ticket, whichever process he is on
            finally:
                for reader in (on_a, on_b, outsider_on_b):
                    reader.close()
