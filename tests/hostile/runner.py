"""Runs pactcoder commands for tests/test_hostile.py, each in a forked child under limits.

Started once per test process with its address space already limited (RLIMIT_AS);
it imports pactcoder once, then for each request (a JSON line on stdin: the
arguments and environment) forks a child that sets a CPU-time limit, runs the
command line with stdout and stderr in files, and exits with the command's exit
code. The answer (a JSON line on stdout) has the exit code or the signal, what
was printed, and the child's peak resident memory. A child still running after
the wall-clock guard is killed and reported as such.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time

from rich.console import Console

from pactcoder import cli


def _child(args: list[str], env: dict[str, str], cpu_seconds: int, out: str, err: str) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    os.environ.update(env)
    for fd, name in ((1, out), (2, err)):
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    cli.console = Console(width=200, no_color=True, force_terminal=False)
    cli.errors = Console(stderr=True, width=200, no_color=True, force_terminal=False)
    code = 0
    try:
        cli.app(args, prog_name="pactcoder")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - reported as a failure of the case
        print(f"runner: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 99
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run(request: dict[str, object]) -> dict[str, object]:
    args = [str(a) for a in request["args"]]  # type: ignore[attr-defined]
    env = {str(k): str(v) for k, v in dict(request.get("env") or {}).items()}  # type: ignore[call-overload]
    cpu = int(request.get("cpu_seconds", 10))  # type: ignore[call-overload]
    wall = float(request.get("wall_seconds", 120))  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as scratch:
        out, err = os.path.join(scratch, "out"), os.path.join(scratch, "err")
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(args, env, cpu, out, err)
        timed_out = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > wall:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                done, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.02)
        with open(out, encoding="utf-8", errors="replace") as handle:
            stdout = handle.read()
        with open(err, encoding="utf-8", errors="replace") as handle:
            stderr = handle.read()
    return {
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timed_out": timed_out,
        "stdout": stdout,
        "stderr": stderr,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kib": usage.ru_maxrss,
    }


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
