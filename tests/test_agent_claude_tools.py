"""Claude Code's tool shapes and behaviour, as a model trained on them calls them (issue 17)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pactcoder.agent.messages import ToolCall, ToolResult
from pactcoder.agent.tools import Toolbox, ToolContext
from pactcoder.agent.tools.read import MAX_READ_CHARS
from pactcoder.agent.tools.shell import is_read_only
from pactcoder.agent.tools.workspace import Workspace


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "overview.md").write_text("# Overview\nOrders.\n", encoding="utf-8")
    (root / "app").mkdir()
    (root / "app" / "main.py").write_text("a = 1\n", encoding="utf-8")
    return root


@pytest.fixture
def context(project: Path) -> ToolContext:
    return ToolContext(Workspace(project))


@pytest.fixture
def toolbox(context: ToolContext) -> Iterator[Toolbox]:
    yield Toolbox.for_agent(None, context)
    context.shells.stop_all()


def call(toolbox: Toolbox, name: str, **arguments: Any) -> ToolResult:
    return toolbox.call(ToolCall("call-1", name, arguments))


def ok(toolbox: Toolbox, name: str, **arguments: Any) -> str:
    result = call(toolbox, name, **arguments)
    assert not result.is_error, result.content
    return result.content


def failed(toolbox: Toolbox, name: str, **arguments: Any) -> str:
    result = call(toolbox, name, **arguments)
    assert result.is_error, result.content
    return result.content


# -- Read ------------------------------------------------------------------------------


def test_read_takes_offset_from_0_or_1(toolbox: Toolbox) -> None:
    zero = ok(toolbox, "Read", file_path="docs/overview.md", offset=0, limit=1)
    one = ok(toolbox, "Read", file_path="docs/overview.md", offset=1, limit=1)
    assert zero == one == "     1\t# Overview\n... (1 more lines; read on with offset=2)"


def test_a_read_too_large_says_how_to_page_instead_of_cutting(
    toolbox: Toolbox, project: Path
) -> None:
    (project / "big.txt").write_text("".join(f"{'x' * 90} {i}\n" for i in range(1, 1501)))
    message = failed(toolbox, "Read", file_path="big.txt")
    assert f"more than the {MAX_READ_CHARS:,} one Read returns" in message
    assert "1,500 lines in all" in message
    limit = int(message.split("offset=1, limit=")[1].split(",")[0])
    part = ok(toolbox, "Read", file_path="big.txt", offset=1, limit=limit)
    assert len(part) <= MAX_READ_CHARS + 100
    assert part.endswith(f"read on with offset={limit + 1})")


def test_images_and_pdfs_are_refused_with_what_to_do(toolbox: Toolbox, project: Path) -> None:
    (project / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 10)
    (project / "spec.pdf").write_bytes(b"%PDF-1.4\n")
    image = failed(toolbox, "Read", file_path="diagram.png")
    assert "is an image (PNG" in image and "text only" in image
    assert "pdftotext spec.pdf -" in failed(toolbox, "Read", file_path="spec.pdf")


# -- read before write ------------------------------------------------------------------


def test_an_existing_file_is_written_only_after_it_was_read(
    toolbox: Toolbox, project: Path
) -> None:
    for name, arguments in [
        ("Write", {"content": "b = 2\n"}),
        ("Edit", {"old_string": "a = 1", "new_string": "a = 2"}),
        ("MultiEdit", {"edits": [{"old_string": "a = 1", "new_string": "a = 2"}]}),
    ]:
        message = failed(toolbox, name, file_path="app/main.py", **arguments)
        assert "has not been read in this run; Read it first" in message, name
    assert (project / "app" / "main.py").read_text() == "a = 1\n"
    ok(toolbox, "Read", file_path="app/main.py")
    ok(toolbox, "Edit", file_path="app/main.py", old_string="a = 1", new_string="a = 2")
    ok(toolbox, "Edit", file_path="app/main.py", old_string="a = 2", new_string="a = 3")
    assert (project / "app" / "main.py").read_text() == "a = 3\n"
    ok(toolbox, "Write", file_path="app/new.py", content="new\n")  # a new file needs no read


def test_a_file_changed_since_it_was_read_must_be_read_again(
    toolbox: Toolbox, project: Path
) -> None:
    ok(toolbox, "Read", file_path="app/main.py")
    target = project / "app" / "main.py"
    target.write_text("a = 1\nchanged = True\n")
    os.utime(target, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    message = failed(toolbox, "Edit", file_path="app/main.py", old_string="a = 1", new_string="x")
    assert "has changed since it was read" in message
    assert "has changed since" in failed(toolbox, "Write", file_path="app/main.py", content="")
    ok(toolbox, "Read", file_path="app/main.py")
    ok(toolbox, "Edit", file_path="app/main.py", old_string="a = 1", new_string="x = 1")
    assert target.read_text() == "x = 1\nchanged = True\n"


# -- Bash ------------------------------------------------------------------------------


def test_bash_keeps_its_working_directory_inside_the_project(
    toolbox: Toolbox, project: Path
) -> None:
    ok(toolbox, "Bash", command="cd docs", description="Enter docs")
    assert ok(toolbox, "Bash", command="pwd -P") == f"exit code 0\n{project.resolve()}/docs"
    assert ok(toolbox, "Bash", command="ls") == "exit code 0\noverview.md"
    left = ok(toolbox, "Bash", command="cd /")
    assert "reset to" in left
    assert ok(toolbox, "Bash", command="pwd -P") == f"exit code 0\n{project.resolve()}"


def test_a_command_that_leaves_a_process_running_does_not_block(
    toolbox: Toolbox, context: ToolContext, project: Path
) -> None:
    # a command that blocked on the process it left would time out (an error result)
    text = ok(toolbox, "Bash", command="sleep 30 & echo $! > bg.pid; echo launched", timeout=20000)
    assert text == "exit code 0\nlaunched"
    child = int((project / "bg.pid").read_text())
    os.kill(child, 0)  # still running after the command returned
    context.shells.stop_all()
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the process {child} the command left is still running")


def test_run_in_background_with_bashoutput_and_killshell(toolbox: Toolbox) -> None:
    started = ok(
        toolbox,
        "Bash",
        command="echo ready; echo noise; sleep 30",
        run_in_background=True,
        description="Start a slow job",
    )
    assert started.startswith("started in the background as bash_1")
    for _ in range(50):
        first = ok(toolbox, "BashOutput", bash_id="bash_1", filter="ready")
        if "ready" in first:
            break
        time.sleep(0.1)
    assert first == "bash_1: running\nready"
    assert ok(toolbox, "BashOutput", bash_id="bash_1") == "bash_1: running\n(no new output)"
    assert ok(toolbox, "KillShell", shell_id="bash_1").endswith(": killed")
    assert "bash_1: killed" in ok(toolbox, "BashOutput", bash_id="bash_1")
    assert "no background shell 'bash_9'" in failed(toolbox, "BashOutput", bash_id="bash_9")


def test_bash_never_runs_past_the_runs_time_limit(context: ToolContext) -> None:
    context.remaining_time = lambda: 0.5
    toolbox = Toolbox.for_agent(None, context)
    message = failed(toolbox, "Bash", command="sleep 20", timeout=600000)
    assert "was stopped after 0.5s, all the run's time limit (--max-time) had left" in message


# -- Grep ------------------------------------------------------------------------------


def test_grep_knows_ripgreps_file_types(toolbox: Toolbox, project: Path) -> None:
    (project / "web").mkdir()
    (project / "web" / "app.tsx").write_text("const order = 1\n")
    (project / "Dockerfile").write_text("FROM python # order\n")
    (project / "infra.tf").write_text('resource "order" {}\n')
    assert ok(toolbox, "Grep", pattern="order", type="ts") == "web/app.tsx"
    assert ok(toolbox, "Grep", pattern="order", type="typescript") == "web/app.tsx"
    assert ok(toolbox, "Grep", pattern="order", type="docker") == "Dockerfile"
    assert ok(toolbox, "Grep", pattern="order", type="tf") == "infra.tf"
    message = failed(toolbox, "Grep", pattern="order", type="pyhton")
    assert "not a file type ripgrep knows; did you mean python" in message


def test_grep_skips_what_gitignore_files_ignore(toolbox: Toolbox, project: Path) -> None:
    """As ripgrep: the root's and nested .gitignore files, folders, negation; a file
    named as the path is searched all the same."""
    (project / ".gitignore").write_text("build/\n*.log\n!keep.log\n")
    for name in ("build/out.txt", "run.log", "keep.log", "sub/secret.txt", "sub/plain.txt"):
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text("needle\n")
    (project / "sub" / ".gitignore").write_text("secret.txt\n")
    found = ok(toolbox, "Grep", pattern="needle").splitlines()
    assert sorted(found) == ["keep.log", "sub/plain.txt"]
    assert ok(toolbox, "Grep", pattern="needle", path="sub").splitlines() == ["sub/plain.txt"]
    assert ok(toolbox, "Grep", pattern="needle", path="run.log") == "run.log"


def test_grep_pages_with_offset_and_head_limit(toolbox: Toolbox, project: Path) -> None:
    (project / "list.txt").write_text("".join(f"item {i}\n" for i in range(1, 8)))
    args = {"pattern": "item", "path": "list.txt", "output_mode": "content", "-n": False}
    first = ok(toolbox, "Grep", head_limit=3, **args).splitlines()
    assert first[:3] == ["list.txt:item 1", "list.txt:item 2", "list.txt:item 3"]
    assert "read on with offset=3" in first[3]
    assert ok(toolbox, "Grep", head_limit=2, offset=3, **args).splitlines()[:2] == [
        "list.txt:item 4",
        "list.txt:item 5",
    ]
    assert len(ok(toolbox, "Grep", head_limit=0, **args).splitlines()) == 7


# -- TodoWrite, Task, notebooks, unknown arguments ------------------------------------------


def test_todowrite_accepts_the_older_shape_with_id_and_priority(
    toolbox: Toolbox, context: ToolContext
) -> None:
    text = ok(
        toolbox,
        "TodoWrite",
        todos=[
            {"id": "1", "content": "Draft", "status": "completed", "priority": "high"},
            {"id": 2, "content": "Build", "status": "pending", "priority": "low"},
        ],
    )
    assert text == "todo list updated: 1 completed, 0 in progress, 1 pending"
    assert [t.id for t in context.todos] == ["1", "2"]


def test_task_passes_the_model_it_asks_for(context: ToolContext) -> None:
    started: list[tuple[str | None, str | None]] = []

    def spawn(description: str, prompt: str, kind: str | None, model: str | None) -> str:
        started.append((kind, model))
        return "done"

    context.spawn = spawn
    toolbox = Toolbox.for_agent(None, context)
    ok(toolbox, "Task", description="Review", prompt="p", subagent_type="reviewer", model="haiku")
    assert started == [("reviewer", "haiku")]


def test_notebookedit_takes_the_older_cell_number(toolbox: Toolbox, project: Path) -> None:
    cells = [{"cell_type": "code", "metadata": {}, "source": "1", "outputs": []}]
    notebook = project / "n.ipynb"
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    ok(toolbox, "Read", file_path="n.ipynb")
    ok(toolbox, "NotebookEdit", notebook_path="n.ipynb", cell_number=0, new_source="2")
    assert json.loads(notebook.read_text())["cells"][0]["source"] == "2"


def test_unknown_arguments_are_dropped_with_a_warning(toolbox: Toolbox) -> None:
    text = ok(toolbox, "Bash", command="echo hi", dangerouslyDisableSandbox=True)
    assert text.startswith("exit code 0\nhi\n(warning: Bash ignored the argument(s)")
    assert "dangerouslyDisableSandbox; it takes command, timeout" in text
    read = ok(toolbox, "Read", file_path="docs/overview.md", pages="1-2")
    assert (
        read.startswith("     1\t# Overview")
        and "ignored the argument(s) it does not know: pages" in read
    )


# -- plan mode -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "read_only"),
    [
        ("ls -la docs", True),
        ("cat docs/a.md | grep -n order | head -5", True),
        ("git status && git log --oneline -3", True),
        ("find . -name '*.md'", True),
        ("find . -name '*.pyc' -delete", False),
        ("echo x > file.txt", False),
        ("rm -rf backend", False),
        ("git commit -am wip", False),
        ("cat $(which python)", False),
        ("sleep 5 &", False),
        ("ls; touch x", False),
        ("pip install fastapi", False),
    ],
)
def test_read_only_commands(command: str, read_only: bool) -> None:
    assert is_read_only(command) is read_only


def test_plan_mode_runs_read_only_bash_only(context: ToolContext, project: Path) -> None:
    context.plan_mode = True
    toolbox = Toolbox.for_agent(None, context)
    assert ok(toolbox, "Bash", command="ls docs") == "exit code 0\noverview.md"
    message = failed(toolbox, "Bash", command="touch made.txt")
    assert "plan mode" in message and "read-only Bash" in message
    assert not (project / "made.txt").exists()
    ok(toolbox, "ExitPlanMode", plan="1. touch")
    ok(toolbox, "Bash", command="touch made.txt")
    assert (project / "made.txt").exists()
