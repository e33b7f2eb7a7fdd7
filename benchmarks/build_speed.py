"""How fast pactcoder builds, and how its cost grows with the size of the contract.

For each size (10, 100 and 1,000 operations by default) a fresh Python process
writes a synthetic contract (:mod:`contracts`) and builds it end to end with
the library API, ``pactcoder.steps.build(project, out)``, into a temporary
folder: once to warm up (reported as "first": imports, template compilation),
then ``--repeat`` times, reporting the median. Stage times come from the same
builds, split at the progress messages the pipeline reports (load, validate,
infer, render, format, import, write), so they add up to the end-to-end time and use
nothing but the public API. Each build is timed in wall time and in CPU time
(user + system, ruff's subprocess included), which is the steadier figure on
a shared machine. Each size then builds once more under ``tracemalloc`` for
the peak of Python allocations; the process's max RSS (``getrusage``) is read
before that (ruff, which formats in a subprocess, is in neither figure). One
process per size keeps sizes from polluting each other's memory and caches.

It prints a table per size, the growth between sizes (cost per operation
relative to the smallest size, and the local exponent k of cost ~ n^k: 1.0 is
linear, above 1.15 is flagged as worse than linear), and a cProfile of one
warm build of the largest size (top 15 by cumulative and by own time).

Usage::

    python benchmarks/build_speed.py                      # 10, 100, 1000 operations
    python benchmarks/build_speed.py --sizes 10 100 --repeat 5 --no-profile
    python benchmarks/build_speed.py --json build.json    # also save the raw figures
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import math
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Run as a script, this file's folder is on sys.path, so its sibling imports as ``contracts``.
from contracts import make_contract, write_project

from pactcoder.steps import build

#: Stages in pipeline order, keyed by the start of the progress message that opens each.
STAGES: list[tuple[str, str]] = [
    ("reading", "load"),
    ("validating", "validate"),
    ("inferring", "infer"),
    ("rendering", "render"),
    ("formatting", "format"),
    ("checking that the service imports", "import"),
    ("writing", "write"),
]
# "import" is a fresh Python process importing the generated service (FastAPI building its
# routes and models): the service's own start-up cost more than the compiler's, so the
# table also gives the build without it.
STAGE_NAMES = [name for _, name in STAGES]
#: A local growth exponent above this is reported as worse than linear.
SUPERLINEAR = 1.15


@dataclass
class Timing:
    """Wall and CPU seconds of one build, in all and per stage.

    CPU time is this process's user + system time plus that of the children it
    waited for (ruff, the formatter): unlike wall time, it hardly moves when
    other programs share the machine.
    """

    wall_s: float
    cpu_s: float
    stages_wall_s: dict[str, float]
    stages_cpu_s: dict[str, float]
    files: int


@dataclass
class SizeResult:
    """The figures of one contract size, measured in one process."""

    operations: int
    contract_files: int
    contract_bytes: int
    output_files: int
    first_wall_s: float
    builds: list[Timing] = field(default_factory=list)
    tracemalloc_peak_bytes: int = 0
    max_rss_kib: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SizeResult:
        builds = [Timing(**b) for b in data.pop("builds")]
        return cls(**data, builds=builds)

    def median(self, figure: Callable[[Timing], float]) -> float:
        return statistics.median(figure(b) for b in self.builds)

    def stage_cpu(self, name: str) -> float:
        return self.median(lambda b: b.stages_cpu_s.get(name, 0.0))


def _now() -> tuple[float, float]:
    """(wall, CPU) seconds now; CPU includes reaped child processes."""
    children = os.times()  # reaped children in clock ticks; this process at full resolution
    return (
        time.perf_counter(),
        time.process_time() + children.children_user + children.children_system,
    )


class StageClock:
    """A progress callback for ``pactcoder.steps.build`` that times each stage."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, float]] = []

    def __call__(self, message: str) -> None:
        name = next((n for prefix, n in STAGES if message.startswith(prefix)), message)
        self.marks.append((name, *_now()))

    def durations(self, end: tuple[float, float]) -> tuple[dict[str, float], dict[str, float]]:
        """Wall and CPU seconds of each stage, the last one ending at ``end``."""
        wall: dict[str, float] = {}
        cpu: dict[str, float] = {}
        for (name, wall_start, cpu_start), (_, wall_stop, cpu_stop) in zip(
            self.marks, [*self.marks[1:], ("end", *end)], strict=True
        ):
            wall[name] = wall.get(name, 0.0) + wall_stop - wall_start
            cpu[name] = cpu.get(name, 0.0) + cpu_stop - cpu_start
        return wall, cpu


def _build_once(project: Path, scratch: Path, index: int) -> Timing:
    """Build ``project`` into a new folder with the library API, timing every stage."""
    out = scratch / f"out-{index}"
    clock = StageClock()
    wall_start, cpu_start = _now()
    result = build(project, out, progress=clock)
    end = _now()
    stages_wall, stages_cpu = clock.durations(end)
    return Timing(
        end[0] - wall_start, end[1] - cpu_start, stages_wall, stages_cpu, len(result.files)
    )


def measure_size(operations: int, repeat: int, budget_s: float) -> SizeResult:
    """Measure one size in this process (the child side of :func:`run_child`)."""
    files = make_contract(operations)
    with tempfile.TemporaryDirectory(prefix=f"pactcoder-bench-{operations}-") as folder:
        scratch = Path(folder)
        project = write_project(operations, scratch / "project")
        first = _build_once(project, scratch, 0)
        result = SizeResult(
            operations=operations,
            contract_files=len(files),
            contract_bytes=sum(len(text.encode()) for text in files.values()),
            output_files=first.files,
            first_wall_s=first.wall_s,
        )
        started = time.perf_counter()
        for index in range(1, repeat + 1):
            result.builds.append(_build_once(project, scratch, index))
            if time.perf_counter() - started > budget_s:
                break
        result.max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        _build_once(project, scratch, repeat + 1)
        result.tracemalloc_peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def profile_size(operations: int, top: int) -> str:
    """A cProfile report of one warm build of ``operations`` operations."""
    with tempfile.TemporaryDirectory(prefix=f"pactcoder-profile-{operations}-") as folder:
        scratch = Path(folder)
        project = write_project(operations, scratch / "project")
        _build_once(project, scratch, 0)
        profiler = cProfile.Profile()
        profiler.enable()
        timing = _build_once(project, scratch, 1)
        profiler.disable()
    stats = pstats.Stats(profiler)
    lines = [
        f"cProfile of one warm build of {operations} operations "
        f"({timing.wall_s:.2f} s under the profiler, which slows Python code 2-3x; "
        + ", ".join(f"{name} {seconds:.2f}" for name, seconds in timing.stages_wall_s.items())
        + ")",
    ]
    for title, key in (("cumulative time", 3), ("own time", 2)):
        lines += ["", f"top {top} by {title}:", _profile_table(stats, key, top)]
    return "\n".join(lines)


def _short(location: tuple[str, int, str]) -> str:
    filename, line, function = location
    if filename == "~":
        return function  # a built-in
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({function})"


def _profile_table(stats: pstats.Stats, key: int, top: int) -> str:
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda item: item[1][key], reverse=True)[:top]
    lines = [f"{'calls':>10} {'own s':>8} {'cum s':>8}  function"]
    for location, (_, calls, own, cumulative, _) in rows:
        lines.append(f"{calls:>10,} {own:>8.3f} {cumulative:>8.3f}  {_short(location)}")
    return "\n".join(lines)


def run_child(args: list[str]) -> str:
    """Run this script in a fresh process with ``args`` and return what it printed."""
    done = subprocess.run(  # noqa: S603 - this very script, with our own arguments
        [sys.executable, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{done.stderr}")
    return done.stdout


# -- reporting ---------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _mib(amount: float) -> str:
    return f"{amount / 1024 / 1024:,.1f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def report_sizes(results: list[SizeResult]) -> str:
    header = [
        "ops",
        "contract KiB",
        "files out",
        "runs",
        *(f"{name} CPU ms" for name in STAGE_NAMES),
        "build CPU ms",
        "build wall ms",
        "first wall ms",
        "CPU ms/op",
        "without import CPU ms",
        "without import ms/op",
        "py peak MiB",
        "max RSS MiB",
    ]
    rows = []
    for r in results:
        cpu = r.median(lambda b: b.cpu_s)
        own = r.median(lambda b: b.cpu_s - b.stages_cpu_s.get("import", 0.0))
        rows.append(
            [
                f"{r.operations:,}",
                f"{r.contract_bytes / 1024:,.0f}",
                f"{r.output_files:,}",
                str(len(r.builds)),
                *(_ms(r.stage_cpu(name)) for name in STAGE_NAMES),
                _ms(cpu),
                _ms(r.median(lambda b: b.wall_s)),
                _ms(r.first_wall_s),
                f"{cpu * 1000 / r.operations:,.1f}",
                _ms(own),
                f"{own * 1000 / r.operations:,.2f}",
                _mib(r.tracemalloc_peak_bytes),
                _mib(r.max_rss_kib * 1024),
            ]
        )
    return _table(header, rows)


def _exponent(small: float, large: float, n_small: int, n_large: int) -> float:
    if small <= 0 or large <= 0:
        return float("nan")
    return math.log(large / small) / math.log(n_large / n_small)


def report_growth(results: list[SizeResult]) -> tuple[str, list[str]]:
    """The growth table and the list of figures that grow worse than linearly."""
    base = results[0]
    figures: list[tuple[str, Callable[[SizeResult], float]]] = [
        ("build CPU", lambda r: r.median(lambda b: b.cpu_s)),
        (
            "build CPU without import",
            lambda r: r.median(lambda b: b.cpu_s - b.stages_cpu_s.get("import", 0.0)),
        ),
        ("build wall", lambda r: r.median(lambda b: b.wall_s)),
        *((f"{name} CPU", (lambda r, n=name: r.stage_cpu(n))) for name in STAGE_NAMES),
        ("py peak memory", lambda r: float(r.tracemalloc_peak_bytes)),
    ]
    header = ["figure"]
    for r in results[1:]:
        header.append(f"per op at {r.operations:,} / at {base.operations:,}")
    for a, b in itertools.pairwise(results):
        header.append(f"exponent {a.operations:,}->{b.operations:,}")
    rows: list[list[str]] = []
    flagged: list[str] = []
    for name, value in figures:
        row = [name]
        base_per_op = value(base) / base.operations
        for r in results[1:]:
            row.append(f"{value(r) / r.operations / base_per_op:.2f}x" if base_per_op else "-")
        for a, b in itertools.pairwise(results):
            exponent = _exponent(value(a), value(b), a.operations, b.operations)
            mark = ""
            if exponent > SUPERLINEAR:
                mark = "  WORSE THAN LINEAR"
                flagged.append(f"{name} ({a.operations:,}->{b.operations:,}: n^{exponent:.2f})")
            row.append(f"{exponent:.2f}{mark}")
        rows.append(row)
    return _table(header, rows), flagged


def load_note() -> str:
    """The machine's load average, and a warning when other programs are busy on it."""
    load = os.getloadavg()[0]
    note = f"load average (1 min) {load:.2f} on {os.cpu_count()} cores"
    if load > 0.5:
        note += ": other programs are busy, so wall times are inflated (CPU times much less)"
    return note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="timed builds per size (median)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="stop repeating a size after this many seconds"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--profile-size", type=int, help="size to profile (default: the largest)")
    parser.add_argument("--top", type=int, default=15, help="profile entries to print")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        print(json.dumps(asdict(measure_size(args.child, args.repeat, args.budget))))
        return 0
    if args.child_profile is not None:
        print(profile_size(args.child_profile, args.top))
        return 0

    sizes = sorted(set(args.sizes))
    print(f"pactcoder build speed: sizes {sizes}, {args.repeat} timed builds each (median)")
    print(load_note())
    results: list[SizeResult] = []
    for size in sizes:
        started = time.perf_counter()
        child = ["--child", str(size), "--repeat", str(args.repeat), "--budget", str(args.budget)]
        results.append(SizeResult.from_json(json.loads(run_child(child))))
        print(f"  {size:>6,} operations measured in {time.perf_counter() - started:.0f} s")
    print()
    print("Build time per stage (median CPU ms), end to end (CPU and wall), and memory")
    print(report_sizes(results))
    if len(results) > 1:
        growth, flagged = report_growth(results)
        print()
        print(
            "Growth: cost per operation relative to the smallest size, and the local exponent "
            f"k of cost ~ n^k between sizes (1.00 is linear; above {SUPERLINEAR} is flagged)"
        )
        print(growth)
        print()
        if flagged:
            print("Worse than linear: " + "; ".join(flagged))
        else:
            print("No figure grows worse than linearly.")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    if not args.no_profile:
        size = args.profile_size or sizes[-1]
        print()
        print(run_child(["--child-profile", str(size), "--top", str(args.top)]).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
