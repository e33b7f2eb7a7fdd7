"""CPU per request of the request path alone: each ASGI application called in-process.

``service_throughput.py`` measures whole servers under wrk, which on a shared 2-core
machine mixes the service's CPU with wrk's, PostgreSQL's and everybody else's. This
script calls each application directly (``await app(scope, receive, send)``, its
lifespan run as a server would), 16 requests at a time on uvloop, against the same
loaded PostgreSQL database, and reports the process's own CPU time (user + system)
per request: the framework, the middleware, the routes, the services, the driver's
client side, without a server or a network. The variants run alternately, in fresh
processes, ``--rounds`` times, so a busy minute of the machine touches them all alike;
the table gives the median of the rounds.

Example::

    python benchmarks/asgi_cpu.py gen=/tmp/orders v1=/tmp/orders-fused --rounds 3
    python benchmarks/asgi_cpu.py gen=/tmp/orders --endpoints read list --baseline

Each ``NAME=DIR`` is a built service (``DIR/app/main.py``); ``--baseline`` adds the
hand-written baseline (``benchmarks/baseline/app.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ENDPOINT_KEYS = ("read", "list", "create", "update")
#: Also measurable: ``live``, GET /health/live, the framework and middleware with no work.
EXTRA_KEYS = ("live",)


# -- the child: one application, every endpoint ----------------------------------------


def _requests(key: str, orders: list[str], products: list[str]) -> Any:
    """An endless iterator of (method, path, query, headers, body) for one endpoint."""
    token = uuid.uuid4().hex[:8]
    for n in itertools.count():
        if key == "live":
            yield "GET", "/health/live", b"", [], b""
        elif key == "read":
            yield "GET", f"/api/v1/orders/{orders[n % len(orders)]}", b"", [], b""
        elif key == "list":
            yield "GET", "/api/v1/orders", f"size=20&page={n % 50 + 1}".encode(), [], b""
        elif key == "create":
            body = json.dumps(
                {
                    "name": "Bench Customer",
                    "email": f"cpu-{token}-{n}@example.com",
                    "phone": None,
                    "address": {
                        "street": "Torstraße 1",
                        "city": "Berlin",
                        "postalCode": "10119",
                        "country": "DE",
                    },
                }
            ).encode()
            yield "POST", "/api/v1/customers", b"", [(b"content-type", b"application/json")], body
        else:
            body = json.dumps({"stock": 1000 + n % 1000, "name": f"Product {n}"}).encode()
            headers = [(b"content-type", b"application/merge-patch+json")]
            yield "PATCH", f"/api/v1/products/{products[n % len(products)]}", b"", headers, body


async def _call(app: Any, request: tuple[str, str, bytes, list[Any], bytes]) -> int:
    method, path, query, headers, body = request
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"user-agent", b"asgi-cpu"),
        (b"accept", b"*/*"),
        *headers,
        *([(b"content-length", str(len(body)).encode())] if body else []),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _drive(app: Any, requests: Any, count: int, concurrency: int) -> list[int]:
    statuses: list[int] = []
    lock = iter(range(count))

    async def worker() -> None:
        for _ in lock:
            statuses.append(await _call(app, next(requests)))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return statuses


async def _child(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(args.app_dir))
    module = __import__(args.module, fromlist=["app"])
    app = module.app
    orders = Path(args.orders).read_text().split()
    products = Path(args.products).read_text().split()
    state: dict[str, Any] = {}
    lifespan_scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": state}
    startup = asyncio.Event()
    shutdown = asyncio.Event()
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})

    async def lreceive() -> dict[str, Any]:
        return await messages.get()

    async def lsend(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            startup.set()
        elif message["type"].startswith("lifespan.shutdown"):
            shutdown.set()

    life = asyncio.ensure_future(app(lifespan_scope, lreceive, lsend))
    await startup.wait()
    results: dict[str, Any] = {}
    for key in args.endpoints:
        requests = _requests(key, orders, products)
        await _drive(app, requests, args.warmup, args.concurrency)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        statuses = await _drive(app, requests, args.requests, args.concurrency)
        cpu1, wall1 = time.process_time(), time.perf_counter()
        bad = sum(1 for s in statuses if not 200 <= s < 300)
        results[key] = {
            "cpu_ms": (cpu1 - cpu0) * 1000 / args.requests,
            "wall_ms": (wall1 - wall0) * 1000 / args.requests,
            "non_2xx": bad,
        }
    await messages.put({"type": "lifespan.shutdown"})
    await shutdown.wait()
    await life
    return results


# -- the parent: data, variants, rounds ------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="*", metavar="NAME=DIR")
    parser.add_argument("--baseline", action="store_true", help="add the hand-written baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3000, help="measured per endpoint")
    parser.add_argument("--warmup", type=int, default=500, help="requests before measuring")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--endpoints", nargs="+", default=list(ENDPOINT_KEYS), choices=ENDPOINT_KEYS + EXTRA_KEYS
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--app-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--module", default="app.main", help=argparse.SUPPRESS)
    parser.add_argument("--orders", help=argparse.SUPPRESS)
    parser.add_argument("--products", help=argparse.SUPPRESS)
    sys.path.insert(0, str(HERE))
    from service_throughput import add_setup_arguments, bench, load_note

    add_setup_arguments(parser)
    args = parser.parse_args(argv)
    if args.child:
        import uvloop

        print("RESULT " + json.dumps(uvloop.run(_child(args))))
        return 0
    variants = [
        (name, Path(folder)) for name, _, folder in (v.partition("=") for v in args.variants)
    ]
    if not variants:
        raise SystemExit("name at least one built service: NAME=DIR")
    args.backend = variants[0][1]
    runs: list[tuple[str, Path, str]] = [(n, d, "app.main") for n, d in variants]
    if args.baseline:
        runs.append(("baseline", HERE / "baseline", "app"))
    print(f"before: {load_note()}")
    table: dict[str, dict[str, list[float]]] = {name: {} for name, _, _ in runs}
    with bench(args) as setup:
        for round_number in range(1, args.rounds + 1):
            for name, folder, module in runs:
                command = [
                    sys.executable,
                    __file__,
                    "--child",
                    "--app-dir",
                    str(folder),
                    "--module",
                    module,
                    "--orders",
                    str(setup.ids["orders"]),
                    "--products",
                    str(setup.ids["products"]),
                    "--requests",
                    str(args.requests),
                    "--warmup",
                    str(args.warmup),
                    "--concurrency",
                    str(args.concurrency),
                    "--endpoints",
                    *args.endpoints,
                ]
                env = {**setup.env, "LOG_LEVEL": "INFO"}
                done = subprocess.run(  # noqa: S603 - this script, this interpreter
                    command, cwd=folder, env=env, capture_output=True, text=True, check=False
                )
                line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
                if line is None:
                    print(done.stdout[-2000:], done.stderr[-4000:])
                    raise SystemExit(f"{name} failed")
                result = json.loads(line[7:])
                cells = []
                for key, value in result.items():
                    table[name].setdefault(key, []).append(value["cpu_ms"])
                    cells.append(
                        f"{key} {value['cpu_ms']:.3f}"
                        + (f" ({value['non_2xx']} non-2xx)" if value["non_2xx"] else "")
                    )
                print(f"round {round_number} {name:<10} " + "  ".join(cells), flush=True)
    print(f"after: {load_note()}")
    print()
    print("| variant | " + " | ".join(f"{k} CPU ms/req" for k in args.endpoints) + " |")
    print("|---|" + "---:|" * len(args.endpoints))
    for name, by_key in table.items():
        cells = [f"{statistics.median(by_key[k]):.3f}" for k in args.endpoints]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
