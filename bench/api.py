"""Benchmark of the API under load (issue 13, "reads near the floor"): a fresh demo database
served by `coalition serve` (gunicorn, its defaults, as `make run` does), driven by 32
concurrent clients on loopback (threads, each with its own keep-alive connection), one
endpoint at a time, each bounded in requests and in time. The floor, from the same server
in the same run: a bare Django `JsonResponse` of the same 18 members (a route that exists
only when the server starts with COALITION_BENCH_FLOOR=1, see coalition.web.bench_floor),
measured first and last; each endpoint's ratio is its req/s over the floor's mean. Last,
"mixed": every endpoint at once, each client taking them in turn (one request in eight a
write), as the issue's "under load without imports" finding measured.

    .venv/bin/python bench/api.py [--clients 32] [--requests 2000] [--seconds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/api.py

On PostgreSQL it works in a database named coalition_bench_api_<pid> that it creates and
drops. Aims: reads at 0.7 of the floor or better, p99 under 100 ms, no error.
"""

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BIN = Path(sys.executable).parent
SLUG = "/api/v1/coalitions/drone-coalition"
FLOOR = "/bench/floor"
READ_AIM_RATIO, P99_AIM_MS = 0.7, 100.0
PHASES = itertools.count(1)  # each run's write references differ from the last's


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    expect: int = 200
    token: bool = False
    write: bool = False
    headers: dict[str, str] = field(default_factory=dict)


ENDPOINTS = [
    Endpoint("members on a date", f"{SLUG}/members?on=2025-05-28"),
    Endpoint("coalition", SLUG),
    Endpoint("coalitions list", "/api/v1/coalitions"),
    Endpoint("categories", "/api/v1/categories"),
    Endpoint("totals 2025", f"{SLUG}/totals?year=2025"),
    Endpoint("funds (delegate, token)", f"{SLUG}/funds", token=True),
    Endpoint("public page (HTML)", "/coalitions/drone-coalition/public/"),
    Endpoint(
        "write: contribution (token)",
        f"{SLUG}/contributions",
        method="POST",
        expect=201,
        token=True,
        write=True,
    ),
]


@dataclass
class Result:
    latencies: list[float]
    errors: int
    seconds: float
    first_error: str = ""
    writes: list[bool] = field(default_factory=list)  # beside latencies: was it a write

    def part(self, write: bool) -> "Result":
        """Only the reads, or only the writes, of a mixed run."""
        mine = [t for t, w in zip(self.latencies, self.writes, strict=True) if w == write]
        return Result(mine, 0, self.seconds)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


@contextmanager
def scratch_database() -> Iterator[dict[str, str]]:
    """The environment of a fresh database for this run only, dropped afterwards."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="bench-api-") as home:
        env["COALITION_HOME"] = home
        if not url.startswith("postgres"):
            yield env
            return
        import psycopg

        parts = urlsplit(url)
        name = f"coalition_bench_api_{os.getpid()}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            yield env
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def coalition(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "coalition"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(BIN / "coalition"), "serve", "--port", str(port), "--task-workers", "0"],
        env={**env, "COALITION_BENCH_FLOOR": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", FLOOR)
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer")


def drive(
    port: int, mix: list[Endpoint], token: str, clients: int, requests: int, seconds: float
) -> Result:
    """`clients` threads, each on its own keep-alive connection, until `requests` were sent
    in all or `seconds` passed; a failed connection is opened again and counted an error.
    Each client takes the endpoints of `mix` in turn (one endpoint: always that one)."""
    lock = threading.Lock()
    latencies: list[float] = []
    writes: list[bool] = []
    errors = [0]
    first_error = [""]
    sent = [0]
    deadline = time.perf_counter() + seconds
    phase = next(PHASES)

    def body(endpoint: Endpoint, worker: int, n: int) -> bytes | None:
        if not endpoint.write:
            return None
        return json.dumps(
            {
                "reference": f"BENCH-{phase}-{worker}-{n}",
                "date": "2025-05-01",
                "donor": "LV",
                "channel": "national",
                "status": "pledged",
                "amount": "1000.00",
                "currency": "EUR",
            }
        ).encode()

    def client(worker: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        kinds: list[bool] = []
        n = 0
        while time.perf_counter() < deadline:
            with lock:
                if sent[0] >= requests:
                    break
                sent[0] += 1
            n += 1
            endpoint = mix[(worker + n) % len(mix)]
            data = body(endpoint, worker, n)
            sent_headers = {"Accept": "application/json", **endpoint.headers}
            if endpoint.token:
                sent_headers["Authorization"] = f"Bearer {token}"
            if data is not None:
                sent_headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            try:
                conn.request(endpoint.method, endpoint.path, body=data, headers=sent_headers)
                response = conn.getresponse()
                payload = response.read()
                ok = response.status == endpoint.expect
                problem = f"{response.status} {payload[:200]!r}"
            except (OSError, http.client.HTTPException) as error:
                ok, problem = False, repr(error)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            took = time.perf_counter() - started
            if ok:
                mine.append(took)
                kinds.append(endpoint.write)
            else:
                with lock:
                    errors[0] += 1
                    first_error[0] = first_error[0] or problem
        conn.close()
        with lock:
            latencies.extend(mine)
            writes.extend(kinds)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return Result(latencies, errors[0], elapsed, first_error[0], writes)


def line(name: str, r: Result, floor: float) -> str:
    return (
        f"  {name:<30} {len(r.latencies):>6} {r.rate:>8.0f} {r.pct(0.5):>8.1f} "
        f"{r.pct(0.99):>8.1f} {r.errors:>6} {r.rate / floor:>6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint, at most")
    parser.add_argument(
        "--only", default="", help="only endpoints whose name contains one of these (a,b,...)"
    )
    args = parser.parse_args()
    with scratch_database() as env:
        started = time.perf_counter()
        coalition(env, "migrate")
        coalition(env, "demo")
        token = coalition(env, "token", "create", "delegate-lv").strip().splitlines()[-1]
        port = free_port()
        server = serve(env, port)
        try:
            database = "postgresql" if "DATABASE_URL" in env else "sqlite"
            print(f"set-up (migrate, demo, serve): {time.perf_counter() - started:.1f} s")
            print(
                f"database: {database}; coalition serve defaults; {args.clients} clients, "
                f"at most {args.requests} requests or {args.seconds:g} s per endpoint"
            )
            floor_ep = Endpoint("floor: bare JsonResponse", FLOOR)
            parts = args.only.split(",")
            chosen = [e for e in ENDPOINTS if any(part in e.name for part in parts)]
            for e in [floor_ep, *chosen]:  # warm every worker's imports and caches
                drive(port, [e], token, 4, 40 if not e.write else 4, 30)
            first = drive(port, [floor_ep], token, args.clients, args.requests, args.seconds)
            results = [
                (e, drive(port, [e], token, args.clients, args.requests, args.seconds))
                for e in chosen
            ]
            if len(chosen) > 1:  # the "under load": all of them at once, in turn
                mixed = Endpoint(f"mixed: the {len(chosen)} above in turn", "")
                mixed.write = True  # not a read: not held to the read aims
                run = drive(port, chosen, token, args.clients, args.requests, args.seconds)
                results.append((mixed, run))
            last = drive(port, [floor_ep], token, args.clients, args.requests, args.seconds)
            floor = statistics.mean([first.rate, last.rate])
            print(
                f"  {'endpoint':<30} {'reqs':>6} {'req/s':>8} {'p50 ms':>8} "
                f"{'p99 ms':>8} {'errors':>6} {'ratio':>6}"
            )
            print(line("floor (first)", first, floor))
            for e, r in results:
                print(line(e.name, r, floor))
                if e.name.startswith("mixed") and any(r.writes) and not all(r.writes):
                    print(line("  of which reads", r.part(write=False), floor))
                    print(line("  of which writes", r.part(write=True), floor))
            print(line("floor (last)", last, floor))
            for e, r in results:
                if r.first_error:
                    print(f"  first error of {e.name}: {r.first_error}")
            reads = [r for e, r in results if not e.write]
            if reads:
                print(
                    f"aims: reads >= {READ_AIM_RATIO} of the floor: "
                    f"{all(r.rate / floor >= READ_AIM_RATIO for r in reads)}; "
                    f"p99 < {P99_AIM_MS:g} ms: {all(r.pct(0.99) < P99_AIM_MS for r in reads)}; "
                    f"no error: {all(r.errors == 0 for _, r in results)}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
