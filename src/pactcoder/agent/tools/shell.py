"""Bash, BashOutput and KillShell: shell commands in the project, as Claude Code runs them.

A command runs in ``bash -c`` in a session of its own (one process group),
in the working directory the previous command left (the project folder at
first, and again whenever a command leaves the project), with a timeout
(default 2 minutes, at most 10, and never past the run's ``--max-time``);
on timeout the whole group is stopped and the output so far returned.
Standard error is merged into standard output; more than 30,000 characters
are cut in the middle. ``run_in_background`` starts the command and returns
at once with a shell id: BashOutput reads what it wrote since the last read
(optionally only lines matching ``filter``), KillShell stops it. A command
that leaves a process running (``server &``) returns when the shell exits;
the process is stopped when the run ends. The environment has no
credentials (:mod:`pactcoder.agent.environment`). Bash is not a sandbox.

In plan mode only read-only commands run (``ls``, ``cat``, ``grep``, ``git
status``..., no redirections or substitutions): :func:`is_read_only`.

Example::

    Bash().run({"command": "python -m pytest -q", "timeout": 300000}, context)
    # "exit code 0\\n...\\n46 passed in 3.40s"
    Bash().run({"command": "uvicorn app.main:app", "run_in_background": True}, context)
    # "started in the background as bash_1; ..."
"""

from __future__ import annotations

import re
import shlex
from typing import Any, ClassVar

from pactcoder.agent.environment import tool_environment
from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError

__all__ = ["Bash", "BashOutput", "KillShell", "is_read_only"]

DEFAULT_TIMEOUT_MS = 120_000
MAX_TIMEOUT_MS = 600_000
MAX_OUTPUT = 30_000

_READ_ONLY_COMMANDS = frozenset(
    {"ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "find", "pwd", "echo",
     "printf", "tree", "file", "stat", "du", "df", "which", "type", "sort", "uniq", "cut", "diff",
     "cmp", "basename", "dirname", "realpath", "readlink", "date", "whoami", "uname", "true",
     "false", "test", "[", "nl", "tr", "column", "jq", "yq", "md5sum", "sha256sum", "less",
     "more", "env", "printenv", "id", "hostname", "cd"}
)  # fmt: skip
_READ_ONLY_GIT = frozenset(
    {"status", "log", "diff", "show", "ls-files", "rev-parse", "blame", "grep", "describe",
     "shortlog", "ls-tree", "cat-file", "remote", "tag", "branch"}
)  # fmt: skip
_FIND_WRITES = frozenset({"-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fls"})
_SEPARATORS = re.compile(r"\|\||&&|[;|\n]")


def is_read_only(command: str) -> bool:
    """Whether every part of ``command`` only reads: allowed while planning."""
    if re.search(r"[`<>]|\$\(|&(?!&)", command.replace("2>&1", "").replace("&&", "")):
        return False
    for part in _SEPARATORS.split(command):
        try:
            words = shlex.split(part)
        except ValueError:
            return False
        if not words:
            continue
        program = words[0].rsplit("/", 1)[-1]
        if program == "git":
            if len(words) < 2 or words[1] not in _READ_ONLY_GIT:
                return False
            if (
                words[1] in {"branch", "tag", "remote"}
                and len(words) > 2
                and not all(
                    w.startswith("-") and w not in {"-d", "-D", "-m", "-M", "--delete"}
                    for w in words[2:]
                )
            ):
                return False
        elif program == "find":
            if _FIND_WRITES & set(words):
                return False
        elif program not in _READ_ONLY_COMMANDS:
            return False
    return True


def _cap(text: str, limit: int = MAX_OUTPUT) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    cut = len(text) - 2 * half
    return f"{text[:half]}\n... ({cut} characters cut) ...\n{text[-half:]}"


def _environment(context: ToolContext) -> dict[str, str]:
    return context.bash_env if context.bash_env is not None else tool_environment()


class Bash(Tool):
    name = "Bash"
    mutates = True
    description = (
        "Runs a bash command and returns its exit code and output (stderr merged, cut after"
        " 30,000 characters). The working directory persists between commands (it starts in"
        " the project folder). timeout is in milliseconds: default 120000, at most 600000; on"
        " timeout the command and every process it started are stopped. run_in_background"
        " starts a long-running command (a server, a watcher) and returns at once with a"
        " shell id for BashOutput and KillShell. Prefer Read, Grep, Glob and LS for files."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "command": {"type": "string", "description": "The command to run."},
            "timeout": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_TIMEOUT_MS,
                "description": "Milliseconds before the command is stopped (max 600000).",
            },
            "description": {
                "type": "string",
                "description": "What the command does, in 5-10 words.",
            },
            "run_in_background": {
                "type": "boolean",
                "description": "Run it in the background; read its output with BashOutput.",
            },
        },
        "required": ["command"],
        "additionalProperties": False,
    }

    def changes(self, args: dict[str, Any]) -> bool:
        return not is_read_only(str(args.get("command") or ""))

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        root = context.workspace.root
        cwd = context.cwd if context.cwd is not None and context.cwd.is_dir() else root
        env = _environment(context)
        if args.get("run_in_background"):
            shell = context.shells.start(args["command"], cwd=cwd, env=env)
            return (
                f"started in the background as {shell.id} (pid {shell.process.pid});"
                f" read its output with BashOutput(bash_id='{shell.id}') and stop it with"
                f" KillShell(shell_id='{shell.id}'). It is stopped when the run ends."
            )
        timeout_ms = min(int(args.get("timeout") or DEFAULT_TIMEOUT_MS), MAX_TIMEOUT_MS)
        seconds = timeout_ms / 1000
        left = context.remaining_time()
        bounded = left is not None and left < seconds
        if bounded:
            seconds = max(left or 0.0, 0.5)
        code, output, last = context.shells.run(args["command"], cwd=cwd, timeout=seconds, env=env)
        output = _cap(output.rstrip("\n"))
        note = ""
        if last is not None and last != cwd:
            if last.resolve().is_relative_to(root):
                context.cwd = last
            else:
                context.cwd = root
                note = f"\n(the working directory left the project; it was reset to {root})"
        if code is None:
            why = (
                f"was stopped after {seconds:g}s, all the run's time limit (--max-time) had left"
                if bounded
                else f"timed out after {seconds:g}s"
            )
            raise ToolError(
                f"the command {why}; it and every process it started were stopped."
                f" Output so far:\n{output}"
            )
        return f"exit code {code}" + (f"\n{output}" if output else "") + note


class BashOutput(Tool):
    name = "BashOutput"
    description = (
        "Returns the output a background shell (started with Bash run_in_background) wrote"
        " since the last call, and whether it is still running. filter: a regular"
        " expression; only matching lines are shown (the others are consumed all the same)."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "bash_id": {"type": "string", "description": "The background shell's id."},
            "filter": {"type": "string", "description": "Show only lines matching this."},
        },
        "required": ["bash_id"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        shell_id = args["bash_id"]
        if shell_id not in context.shells.background:
            known = ", ".join(context.shells.background) or "none"
            raise ToolError(f"no background shell '{shell_id}' (running shells: {known})")
        shell, text = context.shells.read(shell_id)
        if args.get("filter"):
            try:
                pattern = re.compile(args["filter"])
            except re.error as exc:
                raise ToolError(f"the filter is not a valid regular expression: {exc}") from exc
            text = "\n".join(line for line in text.splitlines() if pattern.search(line))
        text = _cap(text.rstrip("\n"))
        return f"{shell.id}: {shell.status()}\n" + (text or "(no new output)")


class KillShell(Tool):
    name = "KillShell"
    mutates = True
    description = "Stops a background shell (and every process it started) by its id."
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"shell_id": {"type": "string", "description": "The shell to stop."}},
        "required": ["shell_id"],
        "additionalProperties": False,
    }

    def changes(self, args: dict[str, Any]) -> bool:
        return False  # stopping what the agent started is fine while planning

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        shell_id = args["shell_id"]
        if shell_id not in context.shells.background:
            known = ", ".join(context.shells.background) or "none"
            raise ToolError(f"no background shell '{shell_id}' (shells: {known})")
        shell = context.shells.kill(shell_id)
        return f"{shell.id} ({shell.command[:80]}): {shell.status()}"
