"""The pieces of a load run: the server in production shape, real sign-ins, wrk, and what the server spent.

* ``AppServer``: granian as ARCHITECTURE.md's "Serving" runs it (ASGI router, pages through a thread
  pool to Django's WSGI handler, N worker processes, ``DEBUG=false``), on a loopback port of 8080-8099.
* ``sign_in``: the sign-in form, for real: GET for the CSRF cookie and token, POST e-mail and
  password, keep the session cookie and the rotated CSRF cookie, then a page's masked form token.
* ``run_wrk``: one scenario as a wrk Lua script (requests rotated per thread, every response's status
  checked against the one expected, latency percentiles printed as JSON by ``done``).
* ``Usage``: CPU seconds of the server's processes (granian and its workers) and of the PostgreSQL
  backends serving the benchmark's database, read from /proc; resident memory of the workers.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8080, 8100)
GRANIAN = Path(sys.executable).with_name("granian")
TICK = os.sysconf("SC_CLK_TCK")
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


# --- HTTP as a browser does it ------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: str


def request(
    port: int, method: str, path: str, *, cookies: dict[str, str] | None = None, form: dict[str, str] | None = None
) -> Reply:
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        jar = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                jar[key.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, jar, response.read().decode())
    finally:
        connection.close()


FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Login:
    email: str
    cookies: dict[str, str]  # sessionid and csrftoken
    form_token: str  # the masked token a page's forms carry

    @property
    def session(self) -> str:
        return self.cookies["sessionid"]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def sign_in(port: int, email: str, password: str, *, form_page: str) -> Login:
    """Through the sign-in form; then ``form_page``'s CSRF token, as the next form post will carry it."""
    page = request(port, "GET", "/accounts/login/")
    token = FORM_TOKEN.search(page.body)
    if page.status != 200 or not token or "csrftoken" not in page.cookies:
        raise RuntimeError(f"sign-in page: {page.status}, no CSRF token")
    cookies = {"csrftoken": page.cookies["csrftoken"]}
    done = request(
        port, "POST", "/accounts/login/", cookies=cookies,
        form={"csrfmiddlewaretoken": token.group(1), "username": email, "password": password},
    )  # fmt: skip
    if done.status != 302 or "sessionid" not in done.cookies:
        raise RuntimeError(f"sign-in of {email} refused ({done.status})")
    cookies.update(done.cookies)  # the session, and the CSRF cookie rotated at sign-in
    form = request(port, "GET", form_page, cookies=cookies)
    token = FORM_TOKEN.search(form.body)
    if form.status != 200 or not token:
        raise RuntimeError(f"{form_page} for {email}: {form.status}, no form token")
    cookies.update(form.cookies)
    return Login(email, cookies, token.group(1))


# --- The server ---------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found.append(int(child))
                found.extend(_children(int(child)))
    return found


def _cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    return 0.0


def _rss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _postgres_backends(database: str) -> list[int]:
    """Backends of our database, by their command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                words = (entry / "cmdline").read_bytes().replace(b"\0", b" ").split()
                # Debian names the cluster too: ``postgres: 15/main: USER DATABASE HOST(PORT) STATE``.
                if words[:1] == [b"postgres:"] and database.encode() in words[2:4]:
                    found.append(int(entry.name))
    return found


@dataclass
class Usage:
    app_cpu: float
    db_cpu: dict[int, float]
    when: float

    def minus(self, before: Usage) -> tuple[float, float, float]:
        """(app CPU seconds, database CPU seconds, wall seconds) since ``before``."""
        db = sum(v - before.db_cpu.get(pid, 0.0) for pid, v in self.db_cpu.items())
        return self.app_cpu - before.app_cpu, db, self.when - before.when


@dataclass
class AppServer:
    port: int
    env: dict[str, str]
    workers: int
    database: str | None = None  # a PostgreSQL database name, to count its backends' CPU
    # Requests a worker serves at once, open streams included. granian's default is backlog/workers
    # (512 with two workers): with 1,000 streams one worker may be handed more, and those wait unserved.
    # 10,000 and the 8 KiB HTTP/1 buffer are the production command's (docs/operations.md, "The server").
    backpressure: int = 10_000
    # "router": the production shape (granian's ASGI interface, the router, pages through its thread pool).
    # "wsgi": granian's own WSGI interface straight to Django's handler, pages only (no live stream):
    # what the router's hand-off between the event loop and the page threads costs.
    serving: str = "router"
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="bench-granian-", suffix=".log")[1]))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @contextlib.contextmanager
    def running(self) -> Iterator[AppServer]:
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
                [str(GRANIAN), "--interface", "asgi" if self.serving == "router" else "wsgi",
                 "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers), "--workers-kill-timeout", "5",
                 "--backpressure", str(self.backpressure), "--http1-buffer-size", "8192",
                 *(["supportdesk.asgi:application"] if self.serving == "router" else
                   ["--blocking-threads", os.environ.get("PAGE_THREADS", "4"), "supportdesk.wsgi:application"])],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                self._wait_ready()
                yield self
            finally:
                self.process.terminate()
                try:
                    self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                self.log.unlink(missing_ok=True)  # read by then: failures quote it

    def _wait_ready(self, timeout: float = 60) -> None:
        if self.process is None:
            raise RuntimeError("the server is not started")
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(f"granian exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if request(self.port, "GET", "/healthz").status == 200 and len(self.worker_pids()) >= self.workers:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"granian did not answer on port {self.port}:\n{self.log.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def usage(self) -> Usage:
        pids = [self.process.pid, *self.worker_pids()] if self.process else []
        db = {pid: _cpu_seconds(pid) for pid in _postgres_backends(self.database)} if self.database else {}
        return Usage(sum(_cpu_seconds(pid) for pid in pids), db, time.monotonic())

    def rss_mib(self) -> float:
        return sum(_rss_kib(pid) for pid in self.worker_pids()) / 1024

    def threads(self) -> int:
        total = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                total += len(list(Path(f"/proc/{pid}/task").iterdir()))
        return total


# --- wrk ------------------------------------------------------------------------------------------------


@dataclass
class Req:
    """One request of a scenario. ``body`` may hold ``BENCHUUID``, replaced by a fresh UUID per request."""

    path: str
    cookies: str
    method: str = "GET"
    body: str | None = None

    def lua(self) -> str:
        headers = {"Cookie": self.cookies}
        if self.body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        entries = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        body = json.dumps(self.body) if self.body is not None else "nil"
        return f"{{{json.dumps(self.method)}, {json.dumps(self.path)}, {{{entries}}}, {body}}}"


LUA = """
local reqs = {
%(requests)s
}
local expected = %(expected)d
local counter, unexpected, threads = 0, 0, {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(id * 7919 + os.time())
  counter = math.random(#reqs) - 1
end

local function uuid()
  return string.format("%%08x-%%04x-4%%03x-a%%03x-%%06x%%06x", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffff),
    math.random(0, 0xffffff))
end

function request()
  counter = counter %% #reqs + 1
  local r = reqs[counter]
  local body = r[4]
  if body then body = body:gsub("BENCHUUID", uuid) end
  return wrk.format(r[1], r[2], r[3], body)
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("unexpected") or 0) end
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "socket_errors": %%d, "http_errors": %%d, "unexpected": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status, bad))
end
"""


def run_wrk(url: str, reqs: list[Req], *, expected: int, seconds: float, threads: int, connections: int) -> dict:
    script = LUA % {"requests": ",\n".join(r.lua() for r in reqs), "expected": expected}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-", delete=False) as fh:
        fh.write(script)
    try:
        done = subprocess.run(  # noqa: S603 - wrk from Debian, loopback only, bounded duration
            [WRK, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", fh.name, url],
            capture_output=True, text=True, timeout=seconds + 60, check=False,
        )  # fmt: skip
    finally:
        os.unlink(fh.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(line[6:])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = result["socket_errors"] + result["unexpected"]
    return result
