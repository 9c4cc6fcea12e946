"""Real servers for the live tests that need them: two processes sharing Redis, and the browser test.

pytest-django's ``live_server`` serves WSGI from a thread of the test process: no SSE, one process,
and a test database other processes cannot open (in memory on SQLite). So these tests build a
scratch site of their own instead: a temporary ``SUPPORTDESK_VAR_DIR`` with its own SQLite file, or a
PostgreSQL database created for the test on the server ``DATABASE_URL`` names; migrations and static
files as in production (``DEBUG=false``); people and tickets made through the real services by
``tests/live/sitekit.py`` in a process with the site's environment; then granian, the production
server, on ports 8060-8069. Every process started here is stopped by the context that started it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
PORTS = range(8060, 8070)
GRANIAN = Path(sys.executable).with_name("granian")


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A fresh, empty database on the PostgreSQL server of ``server_url``; dropped afterwards."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"supportdesk_live_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ScratchSite:
    """A site of its own: settings from the environment, as production reads them."""

    def __init__(
        self,
        root: Path,
        *,
        database_url: str | None = None,
        redis_url: str | None = None,
        heartbeat: int = 15,
    ) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(
            SUPPORTDESK_VAR_DIR=str(root),
            DJANGO_SETTINGS_MODULE="supportdesk.settings",
            DEBUG="false",
            HTTPS="false",
            SECRET_KEY=secrets.token_urlsafe(40),
            LIVE_REDIS_CHANNEL=f"supportdesk-test:{uuid.uuid4().hex}",
            LIVE_HEARTBEAT_SECONDS=str(heartbeat),
            LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        if redis_url:
            env["REDIS_URL"] = redis_url
        self.root = root
        self.env = env
        # Extra granian options (the benchmark tries the ones docs/live.md recommends).
        self.server_options: list[str] = []

    def run(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> dict[str, Any]:
        """Migrate, collect static files, seed (``sitekit.seed``); returns what the seed made."""
        self.run("manage.py", "migrate", "--noinput")
        self.run("manage.py", "collectstatic", "--noinput", "--verbosity", "0")
        return json.loads(self.run("-m", "tests.live.sitekit", "seed").strip().splitlines()[-1])  # type: ignore[no-any-return]

    def new_ticket(self, email: str, question: str) -> int:
        """One more ticket, opened by ``email`` through the service (``sitekit.new_ticket``)."""
        return int(
            json.loads(self.run("-m", "tests.live.sitekit", "ticket", email, question).splitlines()[-1])["ticket"]
        )

    def new_session(self, email: str) -> str:
        """Another signed-in session of ``email`` (``sitekit.session_for``)."""
        return str(json.loads(self.run("-m", "tests.live.sitekit", "session", email).splitlines()[-1])["session"])

    @contextlib.contextmanager
    def serve(self, port: int | None = None) -> Iterator[Server]:
        port = port or free_port()
        log = open(self.root / f"granian-{port}.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [str(GRANIAN), "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
             "--workers-kill-timeout", "5", *self.server_options, "supportdesk.asgi:application"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        server = Server(port, process, self.root / f"granian-{port}.log")
        try:
            server.wait_ready()
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 30) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(f"granian exited:\n{self.log.read_text()}")
            with contextlib.suppress(OSError):
                if self.request("GET", "/healthz")[0] == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"granian did not answer on port {self.port}:\n{self.log.read_text()}")

    def request(
        self,
        method: str,
        path: str,
        *,
        session: str | None = None,
        cookies: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        jar = {**(cookies or {}), **({"sessionid": session} if session else {})}
        headers = {"Host": f"127.0.0.1:{self.port}", "Origin": self.url}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            received = {k.lower(): v for k, v in response.getheaders() if k.lower() != "set-cookie"}
            received["set-cookie"] = "; ".join(v for k, v in response.getheaders() if k.lower() == "set-cookie")
            return response.status, received, response.read().decode()
        finally:
            connection.close()

    def submit(self, page: str, action: str, *, session: str, fields: dict[str, str]) -> int:
        """POST a form of ``page`` to ``action`` as the browser would: with the page's CSRF token."""
        status, headers, html = self.request("GET", page, session=session)
        assert status == 200, f"GET {page}: {status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"])
        assert token and cookie, "no CSRF token on the page"
        form = {"csrfmiddlewaretoken": token.group(1), **fields}
        return self.request("POST", action, session=session, cookies={"csrftoken": cookie.group(1)}, form=form)[0]


@dataclass
class Received:
    event: str
    data: str
    id: str | None

    @property
    def json(self) -> Any:
        return json.loads(self.data)


class StreamReader:
    """``GET /live/stream`` on a real server, read in a thread, events handed over in a queue."""

    def __init__(self, server: Server, session: str, query: str = "") -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        self.connection.request(
            "GET", f"/live/stream?{query}", headers={"Cookie": f"sessionid={session}", "Accept": "text/event-stream"}
        )
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.events: queue.Queue[Received] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        # Closing the connection from the test's thread ends this read with one error or another.
        with contextlib.suppress(Exception):
            while True:
                line = self.response.readline()
                if not line:
                    return
                text = line.decode().rstrip("\n")
                if text == "":
                    if "data" in fields:
                        self.events.put(Received(fields.get("event", "message"), fields["data"], fields.get("id")))
                    fields = {}
                elif not text.startswith(":"):
                    name, _, value = text.partition(":")
                    fields[name] = value[1:] if value.startswith(" ") else value

    def next(self, *, kind: str = "ticket", timeout: float = 5) -> Received:
        until = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(0.01, until - time.monotonic()))
            if event.event == kind:
                return event

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]
        self.connection.close()
