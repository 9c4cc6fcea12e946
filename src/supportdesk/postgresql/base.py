"""Django's PostgreSQL backend, with a kept connection checked without a round trip.

With ``CONN_HEALTH_CHECKS``, Django checks a kept connection once per request before its first query
by sending ``SELECT 1``. That is a round trip to PostgreSQL on every request that reads or writes:
measured at 1M tickets (docs/performance.md), 0.6-0.8 ms of app CPU and 0.2 of the database's on a
create, which costs about 5.

A connection the server has closed (a restart, a failover, ``pg_terminate_backend``, an idle timeout)
says so on its socket: the server sends its last message and closes, so the socket is readable. A
connection that is idle and well has nothing to read, since these connections never ``LISTEN``. So
the check looks at the socket first, which is one ``poll()`` with no wait, and sends ``SELECT 1``
only when something is there to read: a closed connection fails it and is replaced before the
request's query runs, as Django's own check would do. A peer that vanished without closing (a host
gone from the network) is caught by neither check; its query fails and Django drops the connection
at the end of that request.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's, set on every connect and every request; its type stubs do not declare them.
    health_check_enabled: bool
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self.quiet() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def quiet(self) -> bool:
        """Whether the kept connection is open with nothing from the server waiting to be read."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)
