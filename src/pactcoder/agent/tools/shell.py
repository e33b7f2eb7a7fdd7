"""Bash: run a shell command in the project folder, with a timeout and an output cap.

The command runs in ``bash -c`` in a new session, so it and everything it
starts form one process group; on timeout (default 2 minutes, at most 10) the
whole group is terminated, then killed, and the output so far is returned
with the reason. Standard error is merged into standard output; more than
30,000 characters are cut in the middle. API keys of model providers are
removed from the command's environment. Bash is not a sandbox: it is the
one tool that can reach outside the project, as it can in Claude Code.

Example::

    Bash().run({"command": "python -m pytest -q", "timeout": 300000}, context)
    # "exit code 0\\n...\\n46 passed in 3.40s"
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError

__all__ = ["Bash", "run_command"]

DEFAULT_TIMEOUT_MS = 120_000
MAX_TIMEOUT_MS = 600_000
MAX_OUTPUT = 30_000
#: Secrets of the model providers: a command the model writes has no need for them.
_HIDDEN_ENV = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_AUTH_TOKEN")


def _cap(text: str, limit: int = MAX_OUTPUT) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    cut = len(text) - 2 * half
    return f"{text[:half]}\n... ({cut} characters cut) ...\n{text[-half:]}"


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Terminate the command's whole process group; kill it if it does not go in 2 seconds."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            if sig is signal.SIGKILL:
                return
        except subprocess.TimeoutExpired:
            continue
        # the leader is gone; make sure nothing it started lives on
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return


def run_command(
    command: str, cwd: str, timeout: float, env: dict[str, str] | None = None
) -> tuple[int | None, str]:
    """Run ``command``; (exit code or None on timeout, merged output)."""
    process = subprocess.Popen(  # noqa: S603 - running the model's command is this tool's job
        ["bash", "-c", command],  # noqa: S607
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
        return process.returncode, out.decode("utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        _stop_group(process)
        try:
            out, _ = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            out = b""
        return None, (out or b"").decode("utf-8", errors="replace")
    except KeyboardInterrupt:
        _stop_group(process)
        raise


class Bash(Tool):
    name = "Bash"
    mutates = True
    description = (
        "Runs a bash command in the project folder (a fresh shell each time) and returns its"
        " exit code and output (stderr merged, cut after 30,000 characters). timeout is in"
        " milliseconds: default 120000, at most 600000; on timeout the command and every"
        " process it started are stopped. Prefer Read, Grep, Glob and LS for files."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "command": {"type": "string", "description": "The command to run."},
            "timeout": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_TIMEOUT_MS,
                "description": "Milliseconds before the command is stopped.",
            },
            "description": {
                "type": "string",
                "description": "What the command does, in 5-10 words.",
            },
        },
        "required": ["command"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        timeout_ms = min(int(args.get("timeout") or DEFAULT_TIMEOUT_MS), MAX_TIMEOUT_MS)
        env = context.bash_env
        if env is None:
            env = {k: v for k, v in os.environ.items() if k not in _HIDDEN_ENV}
        code, output = run_command(
            args["command"], str(context.workspace.root), timeout_ms / 1000, env
        )
        output = _cap(output.rstrip("\n"))
        if code is None:
            raise ToolError(
                f"the command timed out after {timeout_ms / 1000:g}s; it and every process it"
                f" started were stopped. Output so far:\n{output}"
            )
        return f"exit code {code}" + (f"\n{output}" if output else "")
