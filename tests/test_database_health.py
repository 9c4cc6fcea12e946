"""The kept PostgreSQL connection's health check (``supportdesk/postgresql/base.py``).

Django's own check sends ``SELECT 1`` before the first query of every request; ours looks at the
socket and asks the server only when it has said something. Both halves are checked against a real
server: a well connection is reused with no query sent, and a connection the server closed is
replaced before the request's query runs, so the request does not fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the check is PostgreSQL's (set DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def other() -> Iterator[BaseDatabaseWrapper]:
    """A second connection, to look at and act on the first one from outside."""
    wrapper = connections.create_connection("default")
    yield wrapper
    wrapper.close()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def next_request() -> None:
    """What Django does between two requests of one thread (the request_started/finished signals)."""
    connection.close_if_unusable_or_obsolete()


def last_query_of(other: BaseDatabaseWrapper, pid: int) -> str:
    with other.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return str(cursor.fetchone()[0])


def test_the_postgresql_backend_is_ours_with_health_checks_on() -> None:
    assert type(connections["default"]).__module__ == "supportdesk.postgresql.base"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_well_connection_is_reused_without_a_query(other: BaseDatabaseWrapper) -> None:
    pid = backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the request before'")
    next_request()

    with connection.cursor() as cursor:  # the check runs here, before this query
        assert connection.health_check_done
        assert last_query_of(other, pid) == "SELECT 'the request before'"
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == pid


def test_a_connection_the_server_closed_is_replaced_before_the_query(other: BaseDatabaseWrapper) -> None:
    pid = backend_pid()
    next_request()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.quiet() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.quiet()

    assert backend_pid() != pid  # no error: a new connection answered
