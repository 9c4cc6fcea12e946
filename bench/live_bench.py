"""Benchmark: 1,000 idle SSE clients on one server process.

Measures, against granian serving a scratch site (``DEBUG=false``, one worker, a SQLite file or a
PostgreSQL database of its own):

* memory per idle stream: the worker's RSS after opening N streams, minus before, over N; and its
  thread count before and after (an idle stream must hold none);
* action → delivery latency: a customer reply POSTed through the page, timed from the moment the
  request is sent to the moment each of the N clients has the event; p50/p99 over every delivery,
  and of the slowest client per action;
* page throughput (``wrk``, if installed: 2 threads, 8 connections, 10 s on the customer's list
  page) with no stream open, then with the N streams open and idle.

Not a test: run it by hand, loopback only, and note the figures in docs/live.md (``--write-docs``
replaces the figures section there). Bounded: it gives up after ``--timeout`` seconds.

    .venv/bin/python bench/live_bench.py                 # 1,000 clients, SQLite
    .venv/bin/python bench/live_bench.py --clients 200 --actions 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/live_bench.py
      (creates a scratch database on that server, and drops it after)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live.servers import ScratchSite, Server, free_port, postgres_database  # noqa: E402

DOCS = ROOT / "docs" / "live.md"
START, END = "<!-- live-bench:start -->", "<!-- live-bench:end -->"


# --- The worker process -----------------------------------------------------------------------------


def worker_pid(server: Server) -> int:
    """granian's worker: the child of the process we started."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0]) if children else pid


def proc_status(pid: int) -> dict[str, int]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "Threads"):
            found[name] = int(value.split()[0])
    return found


# --- SSE clients over raw sockets -------------------------------------------------------------------


class Client:
    """One EventSource's worth of HTTP/1.1: a GET, then a chunked body read line by line."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.session = port, session
        self.received: list[tuple[int, float]] = []  # (event id, time it arrived)
        self.arrived = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(
            f"GET /live/stream HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: text/event-stream\r\n"
            f"Cookie: sessionid={self.session}\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"stream refused: {head[:80]!r}")
        self.task = asyncio.ensure_future(self._read(reader, chunked=b"chunked" in head.lower()))

    async def _read(self, reader: asyncio.StreamReader, *, chunked: bool) -> None:
        buffer = b""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            while True:
                if chunked:
                    size = int((await reader.readline()).strip() or b"0", 16)
                    data = await reader.readexactly(size + 2)
                    data = data[:-2]
                else:
                    data = await reader.read(65536)
                if not data:
                    return
                now = time.perf_counter()
                buffer += data
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    match = re.search(rb"^id: (\d+)$", block, re.M)
                    if match and b"event: ticket" in block:
                        self.received.append((int(match.group(1)), now))
                        self.arrived.set()

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()


# --- Actions --------------------------------------------------------------------------------------


def csrf_for(server: Server, session: str, page: str) -> tuple[str, str]:
    status, headers, html = server.request("GET", page, session=session)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"])
    if status != 200 or not token or not cookie:
        raise RuntimeError(f"no CSRF token on {page} ({status})")
    return token.group(1), cookie.group(1)


async def measure_latency(server: Server, clients: list[Client], session: str, ticket: int, actions: int) -> dict:
    token, cookie = csrf_for(server, session, f"/help/tickets/{ticket}/")
    deliveries: list[float] = []
    slowest: list[float] = []
    spread: list[float] = []  # first client to last: the fan-out itself
    for number in range(actions):
        before = [len(c.received) for c in clients]
        form = {"csrfmiddlewaretoken": token, "body": f"Reply number {number} of the benchmark."}
        sent = time.perf_counter()
        status = await asyncio.to_thread(
            server.request, "POST", f"/help/tickets/{ticket}/reply/", session=session,
            cookies={"csrftoken": cookie}, form=form,
        )  # fmt: skip
        if status[0] != 302:
            raise RuntimeError(f"the reply was refused: {status[0]}")
        deadline = time.perf_counter() + 10
        while any(len(c.received) <= before[i] for i, c in enumerate(clients)):
            if time.perf_counter() > deadline:
                missing = sum(len(c.received) <= before[i] for i, c in enumerate(clients))
                raise RuntimeError(f"{missing} clients never got action {number}")
            await asyncio.sleep(0.005)
        times = [c.received[before[i]][1] - sent for i, c in enumerate(clients)]
        deliveries.extend(times)
        slowest.append(max(times))
        spread.append(max(times) - min(times))
        await asyncio.sleep(0.2)
    return {
        "deliveries": len(deliveries),
        "p50_ms": percentile(deliveries, 50) * 1000,
        "p99_ms": percentile(deliveries, 99) * 1000,
        "max_ms": max(deliveries) * 1000,
        "last_client_p50_ms": percentile(slowest, 50) * 1000,
        "last_client_p99_ms": percentile(slowest, 99) * 1000,
        "fan_out_p50_ms": percentile(spread, 50) * 1000,
        "fan_out_p99_ms": percentile(spread, 99) * 1000,
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def wrk(server: Server, session: str, path: str, seconds: int) -> float | None:
    program = shutil.which("wrk")
    if not program:
        return None
    done = subprocess.run(  # noqa: S603 - our own arguments, loopback only
        [program, "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: sessionid={session}", server.url + path],
        capture_output=True, text=True, timeout=seconds + 30,
    )  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if not match or non2xx:
        raise RuntimeError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    return float(match.group(1))


# --- The run --------------------------------------------------------------------------------------


async def run(args: argparse.Namespace, site: ScratchSite) -> dict[str, Any]:
    seed = site.prepare()
    customer, specialist = seed["emails"]["customer"], seed["emails"]["specialist"]
    half = args.clients // 2
    sessions = [
        *json.loads(site.run("-m", "tests.live.sitekit", "sessions", customer, str(half)).splitlines()[-1])["sessions"],
        *json.loads(
            site.run("-m", "tests.live.sitekit", "sessions", specialist, str(args.clients - half)).splitlines()[-1]
        )["sessions"],
    ]
    page_session = seed["sessions"]["customer"]
    result: dict[str, Any] = {"clients": args.clients, "actions": args.actions, "server_options": args.server_options}
    with site.serve(free_port()) as server:
        pid = worker_pid(server)
        # Warm up: a few pages and streams, so that what is measured is the streams, not first imports.
        for _ in range(20):
            server.request("GET", "/help/", session=page_session)
        # Opened together, so that the bounded pool of sign-in threads is as large as it gets.
        warm = [Client(server.port, s) for s in sessions[:100]]
        await asyncio.gather(*(c.open() for c in warm))
        await asyncio.sleep(0.5)
        for client in warm:
            await client.close()
        await asyncio.sleep(1)
        without = [wrk(server, page_session, "/help/", args.wrk_seconds)]
        await asyncio.sleep(1)
        before = proc_status(pid)
        clients = [Client(server.port, s) for s in sessions]
        opened = time.perf_counter()
        for start in range(0, len(clients), 100):
            await asyncio.gather(*(c.open() for c in clients[start : start + 100]))
        result["connect_all_s"] = time.perf_counter() - opened
        await asyncio.sleep(3)  # let the allocator settle
        after = proc_status(pid)
        result["rss_before_kib"], result["rss_after_kib"] = before["VmRSS"], after["VmRSS"]
        result["kib_per_stream"] = (after["VmRSS"] - before["VmRSS"]) / len(clients)
        result["threads_before"], result["threads_after"] = before["Threads"], after["Threads"]
        result["latency"] = await measure_latency(server, clients, page_session, seed["ticket"], args.actions)
        result["pages_per_s_with_streams"] = wrk(server, page_session, "/help/", args.wrk_seconds)
        result["streams_still_open"] = sum(1 for c in clients if c.task and not c.task.done())
        for client in clients:
            await client.close()
        await asyncio.sleep(2)
        # Without streams once more: the machine's own drift shows, and the two are averaged.
        without.append(wrk(server, page_session, "/help/", args.wrk_seconds))
        result["pages_per_s_without_streams_runs"] = without
        result["pages_per_s_without_streams"] = statistics.mean(without) if None not in without else None
        result["load_average"] = os.getloadavg()
    return result


def markdown(result: dict[str, Any], database: str) -> str:
    latency = result["latency"]
    without, with_streams = result["pages_per_s_without_streams"], result["pages_per_s_with_streams"]
    lines = [
        START,
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/live_bench.py` on {platform.machine()} "
        f"({os.cpu_count()} cores, load average {result['load_average'][0]:.1f} at the end: the machine is "
        f"shared), Python {platform.python_version()}, granian with one worker and 4 page threads, {database}, "
        "client and server on loopback.",
        "",
        "| figure | target | measured |",
        "| --- | --- | --- |",
        f"| idle streams open on one process | 1,000 | {result['clients']:,} "
        f"(all connected in {result['connect_all_s']:.1f} s) |",
        f"| memory per idle stream (worker RSS delta / streams) | ≤ 20 KiB | {result['kib_per_stream']:.1f} KiB |",
        f"| worker threads, before → with the streams open | no thread per stream | "
        f"{result['threads_before']} → {result['threads_after']} |",
        f"| action → delivery, every client (p50 / p99 / max) | p99 < 250 ms | {latency['p50_ms']:.0f} / "
        f"{latency['p99_ms']:.0f} / {latency['max_ms']:.0f} ms over {latency['deliveries']:,} deliveries |",
        f"| action → delivery to the last client (p50 / p99) | | {latency['last_client_p50_ms']:.0f} / "
        f"{latency['last_client_p99_ms']:.0f} ms over {result['actions']} actions |",
        f"| of which the fan-out, first client to last (p50 / p99) | | {latency['fan_out_p50_ms']:.0f} / "
        f"{latency['fan_out_p99_ms']:.0f} ms |",
    ]
    if without and with_streams:
        change = (with_streams - without) / without * 100
        lines.append(
            f"| list page, wrk 2 threads × 8 connections (no streams, mean of before and after → "
            f"{result['clients']:,} idle streams) | within 10% | {without:.0f} → {with_streams:.0f} req/s "
            f"({change:+.1f}%) |"
        )
    else:
        lines.append("| list page throughput | within 10% | not measured: `wrk` is not installed |")
    lines.append(END)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--actions", type=int, default=30)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--timeout", type=int, default=300, help="give up after this many seconds")
    parser.add_argument("--write-docs", action="store_true", help="put the figures in docs/live.md")
    parser.add_argument(
        "--server-options",
        default="--http1-buffer-size 8192 --backpressure 16384",
        help="granian options for the run (default: those docs/live.md recommends for streams)",
    )
    args = parser.parse_args()

    # Each stream is a socket at both ends, and the server inherits this limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 2 * args.clients + 512))
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < 2 * args.clients + 100:
        sys.exit(f"the file descriptor limit ({hard}) is too low for {args.clients} clients")

    server_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="live-bench-") as root, contextlib.ExitStack() as stack:
        database = None
        label = "SQLite (a file)"
        if server_url.startswith(("postgres://", "postgresql://")):
            database = stack.enter_context(postgres_database(server_url))
            label = "PostgreSQL"
        site = ScratchSite(Path(root), database_url=database)
        site.server_options = args.server_options.split()
        result = asyncio.run(asyncio.wait_for(run(args, site), args.timeout))
    print(json.dumps(result, indent=2))
    table = markdown(result, label)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"live-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(result, indent=2))
    if args.write_docs:
        text = DOCS.read_text()
        if START in text and END in text:
            head, rest = text.split(START, 1)
            DOCS.write_text(head + table + rest.split(END, 1)[1])
        else:
            DOCS.write_text(text.rstrip() + "\n\n" + table + "\n")


if __name__ == "__main__":
    main()
