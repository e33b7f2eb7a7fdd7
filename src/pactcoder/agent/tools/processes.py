"""The processes Bash starts: foreground commands, background shells, and their cleanup.

Every command runs as ``bash -c`` in a session of its own, so it and all it
starts form one process group that can be stopped together. Output goes to a
file, not a pipe: a command that leaves a process running (``server &``)
returns as soon as the shell itself exits, instead of waiting for the pipe to
close until the timeout. Such leftovers, and the shells started with
``run_in_background``, are remembered in :class:`Shells` and stopped when the
run ends, however it ends (done, a limit, Ctrl-C, SIGTERM).

The working directory persists from one command to the next, as in Claude
Code: the shell writes its last ``pwd`` to a side file on exit.

Example::

    shells = Shells()
    code, output, cwd = shells.run("cd docs && ls", cwd=root, timeout=10, env=env)
    shell = shells.start("python -m http.server", cwd=root, env=env)
    shells.read(shell.id)          # ("running", "Serving HTTP on ...")
    shells.stop_all()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BackgroundShell", "Shells", "stop_group"]

_CWD_TRAP = "trap 'pwd -P > \"$__PACTCODER_CWD\" 2>/dev/null' EXIT\n"


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process's whole group; kill it if it does not go within 2 seconds."""
    _stop_pgid(process.pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _stop_pgid(pgid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(-pgid, os.WNOHANG)
            time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


@dataclass
class BackgroundShell:
    """A command started with ``run_in_background``: its output file and what was read."""

    id: str
    command: str
    process: subprocess.Popen[bytes]
    output: Path
    read_upto: int = 0
    killed: bool = False

    def status(self) -> str:
        code = self.process.poll()
        if self.killed:
            return "killed"
        return "running" if code is None else f"exited with code {code}"


@dataclass
class Shells:
    """The run's shells: background ones by id, and process groups commands left behind."""

    background: dict[str, BackgroundShell] = field(default_factory=dict)
    leftovers: set[int] = field(default_factory=set)
    folder: Path | None = None

    def _folder(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="pactcoder-shells-"))
        return self.folder

    def _popen(
        self, command: str, cwd: Path, env: dict[str, str] | None, out: Path, cwd_file: Path
    ) -> subprocess.Popen[bytes]:
        environment = dict(os.environ if env is None else env)
        environment["__PACTCODER_CWD"] = str(cwd_file)
        with out.open("wb") as stream:
            return subprocess.Popen(  # noqa: S603 - running the model's command is Bash's job
                ["bash", "-c", _CWD_TRAP + command],  # noqa: S607
                cwd=cwd,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def run(
        self, command: str, *, cwd: Path, timeout: float, env: dict[str, str] | None = None
    ) -> tuple[int | None, str, Path | None]:
        """Run ``command``: (exit code or None on timeout, output, its last working folder)."""
        handle, name = tempfile.mkstemp(prefix="out-", dir=self._folder())
        os.close(handle)
        out, cwd_file = Path(name), Path(name + ".cwd")
        process = self._popen(command, cwd, env, out, cwd_file)
        try:
            code: int | None = process.wait(timeout=max(timeout, 0.01))
        except subprocess.TimeoutExpired:
            stop_group(process)
            code = None
        except BaseException:
            stop_group(process)
            raise
        if code is not None and _group_alive(process.pid):
            self.leftovers.add(process.pid)  # `server &`: kept running, stopped at the end
        output = out.read_bytes().decode("utf-8", errors="replace")
        last = None
        with contextlib.suppress(OSError, ValueError):
            text = cwd_file.read_text(encoding="utf-8").strip()
            last = Path(text) if text else None
        for path in (out, cwd_file):
            path.unlink(missing_ok=True)
        return code, output, last

    def start(self, command: str, *, cwd: Path, env: dict[str, str] | None) -> BackgroundShell:
        """Start ``command`` in the background; its output collects in a file."""
        number = len(self.background) + 1
        shell_id = f"bash_{number}"
        out = self._folder() / f"{shell_id}.out"
        process = self._popen(command, cwd, env, out, self._folder() / f"{shell_id}.cwd")
        shell = BackgroundShell(shell_id, command, process, out)
        self.background[shell_id] = shell
        return shell

    def read(self, shell_id: str) -> tuple[BackgroundShell, str]:
        """The shell and the output it wrote since the last read."""
        shell = self.background[shell_id]
        shell.process.poll()
        with shell.output.open("rb") as stream:
            stream.seek(shell.read_upto)
            data = stream.read()
        shell.read_upto += len(data)
        return shell, data.decode("utf-8", errors="replace")

    def kill(self, shell_id: str) -> BackgroundShell:
        shell = self.background[shell_id]
        if shell.process.poll() is None:
            stop_group(shell.process)
            shell.killed = True
        return shell

    def stop_all(self) -> None:
        """Stop every background shell and every process group a command left running."""
        for shell in self.background.values():
            if shell.process.poll() is None or _group_alive(shell.process.pid):
                _stop_pgid(shell.process.pid)
                shell.killed = shell.killed or shell.process.poll() is None
            with contextlib.suppress(subprocess.TimeoutExpired):
                shell.process.wait(timeout=2)
        for pgid in list(self.leftovers):
            _stop_pgid(pgid)
        self.leftovers.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
