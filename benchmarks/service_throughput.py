"""How fast the service pactcoder builds runs, against a lean hand-written baseline.

One bounded run (about two and a half minutes):

1. builds ``examples/orders`` with ``pactcoder.steps.build`` into a temporary folder;
2. creates a fresh PostgreSQL database (``bench_orders`` on the server of
   ``BENCH_POSTGRES_URL``, default ``postgresql://postgres@127.0.0.1:5432/test``),
   applies the built service's migration (``alembic upgrade head``) and loads
   10,000 orders of 3 lines each, with the 2,000 customers and 500 products
   they refer to, by ``COPY`` (asyncpg) into whatever columns the migration made;
3. runs the generated service the way its README says for production
   (``uvicorn app.main:app --workers 2 --loop uvloop --http httptools --no-access-log``,
   ``DATABASE_URL`` and
   ``ENVIRONMENT=production`` set, its rate limiter off: see ``SERVICE_ENV``),
   checks one answer of each endpoint, times back-to-back reads on one kept-alive
   connection (a probe for Nagle stalls), and measures four endpoints with wrk
   (64 connections, 2 threads, a 2 s warm-up then 10 s), reading the CPU time
   of the server's processes (master and workers) and of PostgreSQL's from
   ``/proc`` before and after each run;
4. does the same with ``benchmarks/baseline/app.py`` (Starlette + asyncpg, one
   round trip per request, JSON built by PostgreSQL), 2 workers too;
5. prints one table (req/s, ratio generated/baseline, p50/p99 latency, service
   and database CPU per request) and notes on anything that skews it (answers
   that differ between the two, Nagle stalls, a busy machine); stops both
   servers and drops the database.

The four endpoints: read one order with its lines (``GET /orders/{id}``,
cycling over every order), a page of 20 orders with their lines (``GET
/orders?size=20&page=N``, cycling over the first 50 pages), create and update.
Placing an order (``createOrder``) checks and reserves stock over several
products in one transaction, a business rule rather than a plain write, and
orders have no update; so create is ``POST /customers`` (a unique email each
time) and update is ``PATCH /products/{id}`` (cycling over every product), the
plain writes the baseline does the same way.

Usage::

    python benchmarks/service_throughput.py
    python benchmarks/service_throughput.py --duration 5 --endpoints read list
    python benchmarks/service_throughput.py --backend /tmp/orders   # a build edited by hand
    python benchmarks/service_throughput.py --uvicorn-args="--loop asyncio --http h11"
    BENCH_POSTGRES_URL=postgresql://postgres@db/postgres python benchmarks/service_throughput.py

Needs ``wrk`` (``apt-get install -y wrk``) and a PostgreSQL server the admin
URL can create databases on; pactcoder installed with its ``service`` extra.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from pactcoder.steps import build

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
EXAMPLE = REPOSITORY / "examples" / "orders"
BASELINE = HERE / "baseline"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PREFIX = "/api/v1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

ORDERS = 10_000
LINES_PER_ORDER = 3
CUSTOMERS = 2_000
PRODUCTS = 500
LIST_PAGES = 50
#: A kept-alive connection slower than this per request is waiting for delayed ACKs.
NAGLE_MS = 20.0
#: The generated service's own settings for the run. Its rate limiter (100 requests a
#: minute per client by default) would answer nearly every request of one load generator
#: with 429, so it is switched off: its cost is not in the figures.
SERVICE_ENV = ["RATE_LIMIT_ENABLED=false"]
#: The event loop and HTTP parser of the generated README's production command; the
#: baseline runs with the same ones, so that the two differ only in their code.
PRODUCTION_UVICORN_ARGS = "--loop uvloop --http httptools"


@dataclass(frozen=True)
class Endpoint:
    """One measured endpoint: its name, what it stands for and its wrk Lua script."""

    key: str
    label: str
    lua: str


@dataclass
class Measure:
    """What one wrk run of one endpoint against one service gave."""

    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    non_2xx: int = 0
    service_cpu_s: float = 0.0
    database_cpu_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def per_request_ms(self, cpu_s: float) -> float:
        return cpu_s * 1000 / self.requests if self.requests else float("nan")


@dataclass
class Dataset:
    """Ids of the loaded rows that the load scripts cycle over."""

    orders: list[uuid.UUID] = field(default_factory=list)
    products: list[uuid.UUID] = field(default_factory=list)


# -- the database ------------------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` with its database replaced by ``name``."""
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def _rows(count: int, make: Callable[[int], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (make(index) for index in range(count))


def _dataset_rows(now: datetime.datetime) -> tuple[dict[str, list[dict[str, Any]]], Dataset]:
    """The rows of every table, by column name, and the ids the load scripts use."""
    rng = random.Random(6)  # a fixed seed: the same data set on every run

    def stamp(index: int, count: int) -> datetime.datetime:
        return now - datetime.timedelta(minutes=(count - index) * 7)

    def address(index: int) -> dict[str, str]:
        return {
            "street": f"Torstraße {index % 200 + 1}",
            "city": "Berlin",
            "postalCode": f"{10115 + index % 90}",
            "country": "DE",
        }

    customers = list(
        _rows(
            CUSTOMERS,
            lambda i: {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "name": f"Customer {i}",
                "email": f"customer{i}@example.com",
                "phone": f"+4915{i:09d}" if i % 2 else None,
                "address": address(i),
                "created_at": stamp(i, CUSTOMERS),
                "updated_at": stamp(i, CUSTOMERS),
            },
        )
    )
    products = list(
        _rows(
            PRODUCTS,
            lambda i: {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "sku": f"SKU-{i:05d}",
                "name": f"Product {i}",
                "description": None if i % 3 else f"The product number {i}.",
                "price": Decimal(f"{1 + i % 97}.{i % 100:02d}"),
                "currency": "EUR",
                "stock": 1_000_000,
                "active": True,
                "created_at": stamp(i, PRODUCTS),
                "updated_at": stamp(i, PRODUCTS),
            },
        )
    )
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for i in range(ORDERS):
        order_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        chosen = rng.sample(products, LINES_PER_ORDER)
        total = Decimal(0)
        for position, product in enumerate(chosen):
            quantity = 1 + rng.randrange(5)
            total += product["price"] * quantity
            lines.append(
                {
                    "order_id": order_id,
                    "position": position,
                    "product_id": product["id"],
                    "quantity": quantity,
                    "unit_price": product["price"],
                }
            )
        customer = customers[rng.randrange(CUSTOMERS)]
        orders.append(
            {
                "id": order_id,
                "customer_id": customer["id"],
                "status": ("placed", "paid", "shipped", "cancelled")[i % 4],
                "shipping_address": customer["address"],
                "note": "Leave at the door." if i % 5 == 0 else None,
                "currency": "EUR",
                "total": total,
                "created_at": stamp(i, ORDERS),
                "updated_at": stamp(i, ORDERS),
            }
        )
    tables = {"customers": customers, "products": products, "orders": orders}
    tables["order_lines"] = lines
    return tables, Dataset([o["id"] for o in orders], [p["id"] for p in products])


def _coerce(value: Any, data_type: str) -> Any:
    """``value`` as asyncpg's COPY expects it for a column of ``data_type``."""
    if value is None:
        return None
    if data_type in ("json", "jsonb"):
        return json.dumps(value, ensure_ascii=False)
    if data_type in ("text", "character varying") and not isinstance(value, str):
        return str(value)
    return value


async def load_data(url: str) -> Dataset:
    """COPY the data set into the tables the migration made; ANALYZE them."""
    tables, dataset = _dataset_rows(datetime.datetime.now(datetime.UTC))
    connection = await asyncpg.connect(url)
    try:
        for table, rows in tables.items():
            columns = await connection.fetch(
                "SELECT column_name, data_type, is_nullable, column_default"
                " FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                table,
            )
            if not columns:
                raise SystemExit(f"the migration made no table {table!r}: has the schema changed?")
            names = [c["column_name"] for c in columns if c["column_name"] in rows[0]]
            missing = [
                c["column_name"]
                for c in columns
                if c["column_name"] not in rows[0]
                and c["is_nullable"] == "NO"
                and c["column_default"] is None
            ]
            if missing:
                raise SystemExit(
                    f"no data for required columns {table}.{missing}: update the loader"
                )
            types = {c["column_name"]: c["data_type"] for c in columns}
            records = [tuple(_coerce(row[n], types[n]) for n in names) for row in rows]
            await connection.copy_records_to_table(table, records=records, columns=names)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return dataset


# -- processes and their CPU time -----------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces; fields after it are plain.
    return text[text.rindex(")") + 2 :].split()


def _all_stats() -> dict[int, list[str]]:
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                stats[int(entry.name)] = fields
    return stats


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) of ``root`` and every live descendant, plus reaped children.

    A child that exits is added to its parent's cutime/cstime when reaped, so a
    difference of two readings counts processes that started or ended between them.
    """
    stats = _all_stats()
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(pid)
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        found = stats.get(pid)
        if found is None:
            continue
        # utime, stime, cutime, cstime are fields 14-17 of /proc/PID/stat (11-14 here).
        total += int(found[11]) + int(found[12])
        if pid == root:
            total += int(found[13]) + int(found[14])
        stack.extend(children.get(pid, []))
    return total / CLOCK_TICKS


def postgres_pid() -> int | None:
    """The PostgreSQL postmaster on this machine, if it runs here and can be read."""
    for pid, fields in _all_stats().items():
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if name in ("postgres", "postmaster") and _comm(int(fields[1])) not in (
            "postgres",
            "postmaster",
        ):
            return pid
    return None


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


@contextmanager
def server(
    name: str, command: list[str], cwd: Path, env: dict[str, str], log: Path
) -> Iterator[int]:
    """Run ``command`` (a uvicorn) in its own process group; stop it on exit. Yields its pid."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - uvicorn from this interpreter's environment
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process.pid
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            print(f"  stopped {name}")


def wait_ready(url: str, pid: int, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if _stat(pid) is None:
            break
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s:\n{tail}")


# -- wrk -----------------------------------------------------------------------------------

_LUA_COMMON = """
-- setup() runs once per thread in wrk's main state and numbers the threads;
-- each thread's own state then sees its number as the global thread_id.
local counter = 0
local token = "%(token)s"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  thread_id = thread_id or 0
  counter = thread_id * 7919
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""

_LUA_IDS = """
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
"""

_LUA = {
    "read": _LUA_IDS
    + """
function request()
  counter = counter + 1
  return wrk.format("GET", "%(prefix)s/orders/" .. ids[counter %% #ids + 1])
end
""",
    "list": """
function request()
  counter = counter + 1
  return wrk.format("GET", "%(prefix)s/orders?size=20&page=" .. (counter %% %(pages)d + 1))
end
""",
    "create": """
function request()
  counter = counter + 1
  local body = '{"name": "Bench Customer", "email": "bench-' .. token .. '-' .. thread_id .. '-'
    .. counter .. '@example.com", "phone": null, "address": {"street": "Torstraße 1", '
    .. '"city": "Berlin", "postalCode": "10119", "country": "DE"}}'
  return wrk.format("POST", "%(prefix)s/customers", {["Content-Type"] = "application/json"}, body)
end
""",
    "update": _LUA_IDS
    + """
function request()
  counter = counter + 1
  local body = '{"stock": ' .. (1000 + counter %% 1000) .. ', "name": "Product ' .. counter .. '"}'
  return wrk.format("PATCH", "%(prefix)s/products/" .. ids[counter %% #ids + 1],
    {["Content-Type"] = "application/merge-patch+json"}, body)
end
""",
}

ENDPOINTS = [
    Endpoint("read", "read one order with its lines  GET /orders/{id}", _LUA["read"]),
    Endpoint("list", "page of 20 orders with lines   GET /orders?size=20", _LUA["list"]),
    Endpoint("create", "create (a customer)            POST /customers", _LUA["create"]),
    Endpoint("update", "update (a product)             PATCH /products/{id}", _LUA["update"]),
]


def write_lua(endpoint: Endpoint, folder: Path, ids: dict[str, Path], token: str) -> Path:
    """The wrk script of ``endpoint``; ``token`` makes the emails it creates unique to it."""
    values = {
        "prefix": PREFIX,
        "pages": LIST_PAGES,
        "token": token,
        "ids": ids["products" if endpoint.key == "update" else "orders"],
    }
    path = folder / f"{endpoint.key}-{token}.lua"
    path.write_text((_LUA_COMMON + endpoint.lua) % values, encoding="utf-8")
    return path


def run_wrk(base: str, script: Path, seconds: float, *, threads: int, connections: int) -> Measure:
    """One wrk run of ``script`` against ``base``, its figures read from the script's done()."""
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={script}",
        base,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    found = [line for line in done.stdout.splitlines() if line.startswith("WRK_RESULT ")]
    if done.returncode != 0 or not found:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(found[-1].removeprefix("WRK_RESULT "))
    return Measure(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        non_2xx=raw["status"],
    )


def measure(
    base: str,
    pid: int,
    script: Callable[[], Path],
    args: argparse.Namespace,
    postgres: int | None,
) -> Measure:
    """Warm up, then one measured wrk run with the CPU time of server and database around it.

    ``script`` makes a new wrk script for each run, so rows created are new in each.
    """
    load = {"threads": args.threads, "connections": args.connections}
    run_wrk(base, script(), args.warmup, **load)
    service_before = tree_cpu_seconds(pid)
    database_before = tree_cpu_seconds(postgres) if postgres else 0.0
    result = run_wrk(base, script(), args.duration, **load)
    result.service_cpu_s = tree_cpu_seconds(pid) - service_before
    if postgres:
        result.database_cpu_s = tree_cpu_seconds(postgres) - database_before
    return result


# -- what each service answers ---------------------------------------------------------------


def fetch(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _normal(value: Any) -> Any:
    """``value`` with timestamps written one way ("Z" and "+00:00" are the same instant)."""
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, str) and len(value) >= 20 and value[10:11] == "T":
        try:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return value
    return value


def samples(base: str, dataset: Dataset, tag: str) -> dict[str, tuple[int, Any]]:
    """One answer of each endpoint, to check that both services serve the same thing."""
    customer = {
        "name": "Sample",
        "email": f"sample-{tag}@example.com",
        "address": {"street": "A 1", "city": "B", "postalCode": "1", "country": "DE"},
    }
    return {
        "read": fetch("GET", f"{base}{PREFIX}/orders/{dataset.orders[0]}"),
        "list": fetch("GET", f"{base}{PREFIX}/orders?size=20&page=3"),
        "create": fetch("POST", f"{base}{PREFIX}/customers", customer),
        "update": fetch("PATCH", f"{base}{PREFIX}/products/{dataset.products[0]}", {"stock": 7}),
    }


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def compare(
    generated: dict[str, tuple[int, Any]], baseline: dict[str, tuple[int, Any]]
) -> list[str]:
    """Differences between the two services' answers (reads in full, writes by shape)."""
    notes = []
    for key, (status, body) in generated.items():
        other_status, other = baseline[key]
        if status != other_status:
            notes.append(f"{key}: status {status} (generated) vs {other_status} (baseline)")
        elif key in ("read", "list") and _normal(body) != _normal(other):
            notes.append(f"{key}: the bodies differ")
        elif _shape(body) != _shape(other):
            notes.append(f"{key}: the body shapes differ: {_shape(body)} vs {_shape(other)}")
    return notes


# -- the run ------------------------------------------------------------------------------------


@dataclass
class ServiceRun:
    """Everything measured of one service."""

    results: dict[str, Measure]
    answers: dict[str, tuple[int, Any]]
    #: Median latency of back-to-back reads on one kept-alive connection.
    keepalive_ms: float


def keepalive_probe(base: str, folder: Path, dataset: Dataset) -> float:
    """Median latency of one order read at a time on one connection, for one second.

    A server that leaves Nagle's algorithm on (no TCP_NODELAY) answers each such
    request only after the client's delayed ACK, about 40 ms on Linux: that caps
    every connection at about 25 requests per second, whatever the code does.
    """
    script = folder / "probe.lua"
    path = f"{PREFIX}/orders/{dataset.orders[0]}"
    script.write_text(
        (_LUA_COMMON % {"token": "probe"})
        + f'function request() return wrk.format("GET", "{path}") end\n',
        encoding="utf-8",
    )
    return run_wrk(base, script, 1, threads=1, connections=1).p50_ms


def serve_and_measure(
    name: str,
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    folder: Path,
    dataset: Dataset,
    ids: dict[str, Path],
    args: argparse.Namespace,
) -> ServiceRun:
    """Start one service, check its answers, probe it, measure every endpoint, stop it."""
    port = args.port
    base = f"http://127.0.0.1:{port}"
    log = folder / f"{name}.log"
    postgres = postgres_pid()
    results: dict[str, Measure] = {}
    with server(name, [*command, "--port", str(port)], cwd, env, log) as pid:
        wait_ready(f"{base}{PREFIX}/orders?size=1", pid, log)
        answers = samples(base, dataset, f"{name}-{uuid.uuid4().hex[:8]}")
        probe = keepalive_probe(base, folder, dataset)
        print(f"  {name} is up (pid {pid}); one kept-alive connection: {probe:.1f} ms a read")
        for endpoint in ENDPOINTS:
            if endpoint.key not in args.endpoints:
                continue

            def script(endpoint: Endpoint = endpoint) -> Path:
                return write_lua(endpoint, folder, ids, f"{name}-{uuid.uuid4().hex[:8]}")

            results[endpoint.key] = result = measure(base, pid, script, args, postgres)
            print(
                f"    {endpoint.key:<7} {result.rate:>8,.0f} req/s  p50 {result.p50_ms:6.1f} ms"
                f"  p99 {result.p99_ms:6.1f} ms  "
                f"cpu {result.per_request_ms(result.service_cpu_s):.2f} ms/req"
                + (f"  errors {result.errors}" if result.errors else "")
                + (f"  non-2xx {result.non_2xx}" if result.non_2xx else "")
            )
    return ServiceRun(results, answers, probe)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in rows:
        cells = [
            row[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(generated: dict[str, Measure], baseline: dict[str, Measure]) -> str:
    header = [
        "endpoint",
        "gen req/s",
        "base req/s",
        "gen/base",
        "gen p50/p99 ms",
        "base p50/p99 ms",
        "gen CPU ms/req",
        "base CPU ms/req",
        "gen db ms/req",
        "base db ms/req",
        "gen non-2xx",
    ]
    rows = []
    for endpoint in ENDPOINTS:
        if endpoint.key not in generated or endpoint.key not in baseline:
            continue
        g, b = generated[endpoint.key], baseline[endpoint.key]
        rows.append(
            [
                endpoint.label,
                f"{g.rate:,.0f}",
                f"{b.rate:,.0f}",
                f"{g.rate / b.rate:.2f}" if b.rate else "-",
                f"{g.p50_ms:.1f} / {g.p99_ms:.1f}",
                f"{b.p50_ms:.1f} / {b.p99_ms:.1f}",
                f"{g.per_request_ms(g.service_cpu_s):.2f}",
                f"{b.per_request_ms(b.service_cpu_s):.2f}",
                f"{g.per_request_ms(g.database_cpu_s):.2f}",
                f"{b.per_request_ms(b.database_cpu_s):.2f}",
                f"{g.non_2xx + g.errors:,}",
            ]
        )
    return _table(header, rows)


def load_note() -> str:
    """The machine's load average, and a warning when other programs are busy on it."""
    load = os.getloadavg()[0]
    note = f"load average (1 min) {load:.2f} on {os.cpu_count()} cores"
    if load > 0.5:
        note += " (other programs are busy: req/s suffers, CPU ms/req much less)"
    return note


@dataclass
class Bench:
    """A built service, its loaded database and the ids the load scripts cycle over."""

    folder: Path
    backend: Path
    url: str
    env: dict[str, str]
    dataset: Dataset
    ids: dict[str, Path]
    service_env: list[str]


def add_setup_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of :func:`bench`, shared with ``profile_service.py``."""
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="bench_orders", help="name of the database made")
    parser.add_argument("--keep", action="store_true", help="keep the database and the build")
    parser.add_argument(
        "--backend",
        type=Path,
        help="measure this already-built service instead of building examples/orders "
        "(for trying changes to the generated code by hand)",
    )
    parser.add_argument(
        "--service-env",
        action="append",
        metavar="NAME=VALUE",
        help="environment of the generated service, beside DATABASE_URL and ENVIRONMENT "
        f"(default: {' '.join(SERVICE_ENV)})",
    )


@contextmanager
def bench(args: argparse.Namespace) -> Iterator[Bench]:
    """Build the example (or take ``--backend``), make and load its database; clean up after."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    url = database_url(admin_url, args.database)
    folder = Path(tempfile.mkdtemp(prefix="pactcoder-throughput-"))
    try:
        if args.backend is not None:
            backend = args.backend.resolve()
            print(f"using the service already built in {backend}")
        else:
            backend = folder / "backend"
            print(f"building {EXAMPLE.relative_to(REPOSITORY)} into {backend}")
            build(EXAMPLE, backend)
        print(f"creating database {args.database} and applying the migration")
        asyncio.run(recreate_database(admin_url, args.database))
        env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "production"}
        service_env = args.service_env if args.service_env is not None else SERVICE_ENV
        for item in service_env:
            name, _, value = item.partition("=")
            env[name] = value
        subprocess.run(
            [sys.executable, "-m", "alembic", "upgrade", "head"],
            cwd=backend,
            env=env,
            check=True,
            capture_output=True,
        )
        print(
            f"loading {ORDERS:,} orders x {LINES_PER_ORDER} lines, "
            f"{CUSTOMERS:,} customers, {PRODUCTS} products"
        )
        dataset = asyncio.run(load_data(url))
        ids = {"orders": folder / "orders.txt", "products": folder / "products.txt"}
        ids["orders"].write_text("\n".join(map(str, dataset.orders)) + "\n")
        ids["products"].write_text("\n".join(map(str, dataset.products)) + "\n")
        yield Bench(folder, backend, url, env, dataset, ids, service_env)
    finally:
        if not args.keep:
            asyncio.run(recreate_database(admin_url, args.database, drop_only=True))
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept the database {url} and {folder}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of each service")
    parser.add_argument(
        "--endpoints",
        nargs="+",
        default=[e.key for e in ENDPOINTS],
        choices=[e.key for e in ENDPOINTS],
    )
    parser.add_argument(
        "--uvicorn-args",
        default=PRODUCTION_UVICORN_ARGS,
        help="uvicorn's loop and HTTP options for both services (default: the generated "
        f"README's production command, '{PRODUCTION_UVICORN_ARGS}')",
    )
    parser.add_argument(
        "--server",
        choices=("uvicorn", "granian"),
        default="uvicorn",
        help="the ASGI server of both services (granian: --interface asgi --loop uvloop, "
        "its access log off, same number of workers)",
    )
    add_setup_arguments(parser)
    args = parser.parse_args(argv)

    started = time.monotonic()
    before = load_note()  # before this run adds its own load
    if args.server == "granian":
        uvicorn = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1"]
        uvicorn += ["--workers", str(args.workers), "--loop", "uvloop", "--no-ws"]
        uvicorn += ["--no-access-log", "--log-level", "warning"]
    else:
        uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1"]
        uvicorn += ["--workers", str(args.workers), "--no-access-log"]
        uvicorn += shlex.split(args.uvicorn_args)
    with bench(args) as setup:
        print(
            f"wrk: {args.connections} connections, {args.threads} threads, "
            f"{args.warmup:g} s warm-up + {args.duration:g} s per endpoint"
        )
        common = (setup.env, setup.folder, setup.dataset, setup.ids, args)
        generated = serve_and_measure(
            "generated", [*uvicorn, "app.main:app"], setup.backend, *common
        )
        baseline = serve_and_measure("baseline", [*uvicorn, "app:app"], BASELINE, *common)
    print()
    server_line = " ".join([args.server, *uvicorn[3:]])
    print(
        f"Service throughput on PostgreSQL ({ORDERS:,} orders x {LINES_PER_ORDER} lines), "
        f"wrk {args.connections} connections, {args.duration:g} s per endpoint; "
        f"both services run as: {server_line}; generated service settings: "
        + (" ".join(setup.service_env) or "defaults")
    )
    print(report(generated.results, baseline.results))
    print(
        "create is POST /customers and update is PATCH /products/{id}: the plain writes "
        "(placing an order reserves stock, a business rule; orders have no update)."
    )
    print(
        "CPU ms/req: user+system time of the service's processes (master and workers) per "
        "request; db ms/req: the same for all of PostgreSQL's processes."
    )
    for name, run in (("generated", generated), ("baseline", baseline)):
        if run.keepalive_ms >= NAGLE_MS:
            print(
                f"warning: the {name} service takes {run.keepalive_ms:.0f} ms a request on a "
                "kept-alive connection: its sockets lack TCP_NODELAY (uvicorn --workers on the "
                "asyncio loop), so each connection waits for delayed ACKs and tops out near "
                f"{1000 / run.keepalive_ms:.0f} req/s; req/s then measures that, not the code "
                "(CPU ms/req still does). The default '--loop uvloop' avoids it."
            )
    for note in compare(generated.answers, baseline.answers):
        print(f"note: {note}")
    print(f"before the run: {before}; finished in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
