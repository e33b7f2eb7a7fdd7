"""Where the generated order service spends its CPU, endpoint by endpoint, by sampling it.

It prepares the same database and data set as ``service_throughput.py``, runs
the generated service with one uvicorn worker, loads one endpoint with wrk
and records the worker with py-spy (a sampling profiler: the service runs at
nearly full speed), sampling only the thread that holds the GIL, so that the
samples are where the worker spends CPU, not where its threads wait. It then
prints where the samples were:

* by library (the package of the innermost Python frame: sqlalchemy,
  pydantic, fastapi, starlette, asyncpg, asyncio, the app itself, ...);
* the top functions by own samples;
* the inclusive share of the generated code's functions and of the framework's
  main steps (dependencies, session calls, validation, serialisation). SQLAlchemy
  runs ORM calls in greenlets, whose samples start at ``Session.execute`` /
  ``Session.commit`` rather than under the route that made them: those lines
  are the ORM's own share of the request.

Usage::

    pip install py-spy                                   # once; or --py-spy PATH
    python benchmarks/profile_service.py                 # GET /orders/{id}
    python benchmarks/profile_service.py --endpoint list --seconds 10 --top 25
    python benchmarks/profile_service.py --backend /tmp/orders-backend   # a hand-edited build
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import time
import uuid

# Run as a script, this file's folder is on sys.path.
from service_throughput import (
    ENDPOINTS,
    PREFIX,
    PRODUCTION_UVICORN_ARGS,
    add_setup_arguments,
    bench,
    server,
    wait_ready,
    write_lua,
)

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def package(file: str) -> str:
    """The library a frame's file belongs to: ``sqlalchemy/orm/session.py`` → sqlalchemy."""
    if file.startswith(("app/", "./app/")) or ("/app/" in file and "site-packages" not in file):
        return "app (generated code)"
    head = file.lstrip("./").split("/", 1)[0]
    if head.endswith(".py"):
        return head.removesuffix(".py") + " (stdlib)"
    return head if head else "?"


#: Framework functions whose inclusive share says what a step of a request costs.
_STEPS = (
    "solve_dependencies",
    "serialize_response",
    "run_endpoint_function",
    "run_in_threadpool",
    "jsonable_encoder",
    "Session.",  # AsyncSession's, and the ORM Session's run in a greenlet (a stack of its own)
    "AsyncConnection.",
    "AsyncSessionTransaction.",
    "BaseModel.model_validate",
    "Response.render",
    "BoundLoggerFilteringAt",
)


def _interesting(frame: str) -> bool:
    """Frames of the generated code, and the framework steps listed in ``_STEPS``."""
    match = _FRAME.match(frame)
    if match is None:
        return False
    return package(match["file"]).startswith("app") or any(step in frame for step in _STEPS)


def summarise(raw: str, top: int) -> str:
    """Tables of py-spy's collapsed stacks: by package, and top functions own and inclusive."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    packages: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
        match = _FRAME.match(frames[-1])
        packages[package(match["file"]) if match else "?"] += count
    if not total:
        return "py-spy recorded no samples"

    def share(count: int) -> str:
        return f"{100 * count / total:5.1f}%"

    lines = [f"{total:,} samples of the worker", "", "own samples by package:"]
    lines += [f"  {share(c)}  {name}" for name, c in packages.most_common(15)]
    lines += ["", f"top {top} functions by own samples:"]
    lines += [f"  {share(c)}  {name}" for name, c in own.most_common(top)]
    lines += ["", f"top {top} of the generated code and the framework's steps, inclusive:"]
    steps = [(name, c) for name, c in inclusive.most_common() if _interesting(name)]
    lines += [f"  {share(c)}  {name}" for name, c in steps[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="read", choices=[e.key for e in ENDPOINTS])
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds recorded")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--py-spy", default=shutil.which("py-spy"), help="the py-spy program")
    add_setup_arguments(parser)
    args = parser.parse_args(argv)
    if not args.py_spy:
        raise SystemExit("py-spy is not installed: pip install py-spy (or pass --py-spy PATH)")

    endpoint = next(e for e in ENDPOINTS if e.key == args.endpoint)
    with bench(args) as setup:
        base = f"http://127.0.0.1:{args.port}"
        log = setup.folder / "generated.log"
        command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
        command += ["--port", str(args.port), "--no-access-log"]  # one worker: this process
        command += PRODUCTION_UVICORN_ARGS.split()
        with server("generated", command, setup.backend, setup.env, log) as pid:
            wait_ready(f"{base}{PREFIX}/orders?size=1", pid, log)
            script = write_lua(endpoint, setup.folder, setup.ids, f"profile-{uuid.uuid4().hex[:8]}")
            seconds = round(args.seconds)
            load = subprocess.Popen(  # noqa: S603 - wrk against our own server on loopback
                [
                    shutil.which("wrk") or "wrk",
                    "-t1",
                    f"-c{args.connections}",
                    f"-d{seconds + 3}s",
                    "-s",
                    str(script),
                    base,
                ],
                stdout=subprocess.DEVNULL,
            )
            time.sleep(1.5)  # let the pool fill and the code warm up
            output = setup.folder / "profile.txt"
            subprocess.run(  # noqa: S603 - py-spy on our own server
                [
                    *(args.py_spy, "record", "--pid", str(pid), "--duration", str(seconds)),
                    *(
                        "--rate",
                        "250",
                        "--gil",
                        "--function",
                        "--format",
                        "raw",
                        "--output",
                        str(output),
                    ),
                ],
                check=True,
                capture_output=True,
            )
            load.wait()
            raw = output.read_text(encoding="utf-8")
            if args.keep:
                print(f"py-spy's samples (collapsed stacks): {output}")
    print()
    print(f"py-spy of the generated service (1 worker) under wrk: {endpoint.label}")
    print(summarise(raw, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
