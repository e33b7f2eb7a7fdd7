"""What ``pactcoder serve`` does besides building: a local secret, and uvicorn in its place.

The generated service has no signing key written in its code. For local runs,
:func:`ensure_local_secret` makes a random one on the first ``serve`` and keeps
it in the service's ``.env`` (which the generated ``.gitignore`` and
``.dockerignore`` leave out), so tokens survive restarts and nobody who read
pactcoder can forge them.

:func:`run_server` then replaces the pactcoder process with uvicorn (``exec``
on POSIX): there is no parent left to outlive its child, so SIGINT (Ctrl-C)
and SIGTERM reach uvicorn itself, which finishes the requests in flight and
exits, closing the port. On Windows, where ``exec`` starts a new process
instead, uvicorn runs as a child and is terminated with pactcoder.

Example::

    ensure_local_secret(Path("examples/auth/backend"))  # True: a key was written to .env
    run_server(Path("examples/auth/backend"), "127.0.0.1", 8000)  # never returns on POSIX
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

#: The setting holding the service's signing keys (see the generated app/core/config.py).
SECRET_VARIABLE = "JWT_SECRET_KEYS"  # noqa: S105 - the name of the setting, not its value
#: Seconds uvicorn waits for requests in flight once told to stop.
GRACEFUL_SECONDS = 10


def _defines(text: str, variable: str) -> bool:
    """Whether a .env text gives ``variable`` a non-empty value."""
    pattern = rf"^\s*(?:export\s+)?{re.escape(variable)}\s*=\s*(\S.*)$"
    return any(re.match(pattern, line) for line in text.splitlines())


def ensure_local_secret(service: Path) -> bool:
    """Give ``service`` a signing key in its ``.env`` if it uses one and has none yet.

    Nothing is written when the service has no token auth (its ``.env.example`` does not
    name the key), or the key is already set in the environment or in ``.env``. A new
    ``.env`` is readable by its owner only. Returns whether a key was written.
    """
    example = service / ".env.example"
    if not example.is_file() or not _defines_name(example.read_text(encoding="utf-8")):
        return False
    if os.environ.get(SECRET_VARIABLE, "").strip():
        return False
    env_file = service / ".env"
    existing = env_file.read_text(encoding="utf-8") if env_file.is_file() else ""
    if _defines(existing, SECRET_VARIABLE):
        return False
    lines = [
        "# Made by `pactcoder serve` for local runs: the key signing this service's tokens.",
        "# Never commit it (.gitignore lists .env); production sets its own.",
        f"{SECRET_VARIABLE}={secrets.token_urlsafe(48)}",
    ]
    separator = "" if not existing or existing.endswith("\n") else "\n"
    if not env_file.exists():
        descriptor = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(descriptor)
    with env_file.open("a", encoding="utf-8") as handle:
        handle.write(separator + "\n".join(lines) + "\n")
    return True


def _defines_name(text: str) -> bool:
    return re.search(rf"^\s*{re.escape(SECRET_VARIABLE)}\s*=", text, re.MULTILINE) is not None


def uvicorn_command(host: str, port: int) -> list[str]:
    """The command serving the service in the current folder on ``host``:``port``."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        host,
        "--port",
        str(port),
        "--timeout-graceful-shutdown",
        str(GRACEFUL_SECONDS),
    ]


def run_server(service: Path, host: str, port: int) -> int:
    """Serve ``service``: on POSIX uvicorn takes this process over and this never returns."""
    command = uvicorn_command(host, port)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.chdir(service)
        os.execv(command[0], command)  # noqa: S606 - our own interpreter, fixed arguments
    process = subprocess.Popen(command, cwd=service)  # noqa: S603 - fixed arguments
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
    finally:
        if process.poll() is None:
            process.kill()
