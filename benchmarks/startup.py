"""How fast pactcoder's commands start, against reference floors measured in the same run.

Each command runs ``--runs`` times (default 15) in a fresh Python process, round-robin so
that the machine's changing load hits every command alike; the table gives the median
wall time and the median CPU time (user + system of the child, from ``getrusage``), which
moves much less than wall time when other programs share the machine. The floors are
``python -c pass`` (the interpreter alone) and ``python -c 'import fastapi'`` (what any
FastAPI tool pays before doing anything), so a figure can be read against them even on a
busy machine; comparing with an older pactcoder means running this script on both.

Measured: ``pactcoder --help``, ``pactcoder --version``, ``pactcoder check`` on a small
contract (``examples/library``, every validation pass included) and on ``examples/orders``
(x-pact overlays, more schemas). All through ``python -m pactcoder``, the console script's
own code path.

Usage::

    python benchmarks/startup.py                 # 15 runs each
    python benchmarks/startup.py --runs 31 --json startup.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (label, arguments to python): the floors first.
COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass (floor)", ["-c", "pass"]),
    ("python -c 'import fastapi' (floor)", ["-c", "import fastapi"]),
    ("pactcoder --version", ["-m", "pactcoder", "--version"]),
    ("pactcoder --help", ["-m", "pactcoder", "--help"]),
    ("pactcoder check examples/library", ["-m", "pactcoder", "check", "examples/library"]),
    ("pactcoder check examples/orders", ["-m", "pactcoder", "check", "examples/orders"]),
]


def run_once(arguments: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``python arguments`` (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this interpreter, our own arguments
        [sys.executable, *arguments],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # check exits 1 when an operation is not implemented
        raise RuntimeError(f"{arguments} exited {done.returncode}:\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(runs: int) -> list[dict[str, object]]:
    """Median wall and CPU seconds of each command over ``runs`` round-robin runs."""
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in COMMANDS}
    for _label, arguments in COMMANDS:  # one unmeasured run each: the file cache warm
        run_once(arguments)
    for _ in range(runs):
        for label, arguments in COMMANDS:
            samples[label].append(run_once(arguments))
    return [
        {
            "command": label,
            "runs": runs,
            "wall_s": statistics.median(w for w, _ in found),
            "cpu_s": statistics.median(c for _, c in found),
            "min_wall_s": min(w for w, _ in found),
        }
        for label, found in samples.items()
    ]


def report(rows: list[dict[str, object]]) -> str:
    header = ["command", "runs", "median wall ms", "min wall ms", "median CPU ms"]
    body = [
        [
            str(r["command"]),
            str(r["runs"]),
            f"{float(str(r['wall_s'])) * 1000:,.0f}",
            f"{float(str(r['min_wall_s'])) * 1000:,.0f}",
            f"{float(str(r['cpu_s'])) * 1000:,.0f}",
        ]
        for r in rows
    ]
    widths = [max(len(c) for c in column) for column in zip(header, *body, strict=True)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in body:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (median)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"pactcoder start-up: {args.runs} runs of each command, round-robin (median)")
    note = f"load average (1 min) {load:.2f} on {os.cpu_count()} cores"
    if load > 0.5:
        note += ": other programs are busy, so wall times are inflated (CPU times much less)"
    print(note)
    rows = measure(args.runs)
    print()
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
