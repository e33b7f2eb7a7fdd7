"""Run pactcoder's benchmarks: start-up, build speed, then service throughput.

Each benchmark is also a script of its own (see benchmarks/README.md); this
one runs them one after the other with their default settings, so that one
command gives every table. To change a benchmark's settings, run its script.

Usage::

    python benchmarks/run.py                  # all three (about 12 minutes on a 2-core machine)
    python benchmarks/run.py startup          # start-up of --help and check only (startup.py)
    python benchmarks/run.py build            # build speed only
    python benchmarks/run.py service          # service throughput only (needs PostgreSQL, wrk)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "startup": HERE / "startup.py",
    "build": HERE / "build_speed.py",
    "service": HERE / "service_throughput.py",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "which",
        nargs="*",
        metavar="{" + ",".join(BENCHMARKS) + "}",
        default=list(BENCHMARKS),
        help="which benchmarks to run (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.which) - set(BENCHMARKS))
    if unknown:
        parser.error(
            f"no benchmark named {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    failed = []
    for name in args.which:
        print(f"== {name}: {BENCHMARKS[name].name}", flush=True)
        done = subprocess.run([sys.executable, str(BENCHMARKS[name])], check=False)  # noqa: S603
        if done.returncode != 0:
            failed.append(name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
