"""Every agent tool: what it answers, how it fails, and that it stays inside the project."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from pactcoder.agent.messages import ToolCall, ToolResult
from pactcoder.agent.tools import AGENT_TOOLS, PACTCODER_TOOLS, Todo, Toolbox, ToolContext
from pactcoder.agent.tools.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "overview.md").write_text(
        "# Overview\n\nThe order service.\nOrders have lines.\n", encoding="utf-8"
    )
    (root / "app").mkdir()
    (root / "app" / "main.py").write_text("a = 1\nb = 2\nb = 2\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside\n", encoding="utf-8")
    return root


@pytest.fixture
def context(project: Path) -> ToolContext:
    return ToolContext(Workspace(project))


@pytest.fixture
def toolbox(context: ToolContext) -> Toolbox:
    return Toolbox.for_agent(None, context)


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


# -- the toolbox -----------------------------------------------------------------------


def test_every_tool_of_the_format_and_pactcoders_own_steps_exist() -> None:
    assert set(AGENT_TOOLS) == {
        "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "LS", "Bash", "BashOutput",
        "KillShell", "TodoWrite", "Task", "NotebookRead", "NotebookEdit", "ExitPlanMode",
    }  # fmt: skip
    assert set(PACTCODER_TOOLS) == {
        "pactcoder_draft", "pactcoder_check", "pactcoder_build", "pactcoder_verify",
    }  # fmt: skip


def test_a_tool_the_definition_does_not_list_cannot_be_called(context: ToolContext) -> None:
    toolbox = Toolbox.for_agent(["Read", "Grep", "WebSearch"], context)
    assert [s.name for s in toolbox.specs()] == ["Read", "Grep", *PACTCODER_TOOLS]
    assert toolbox.unknown == ["WebSearch"]
    message = failed(toolbox, "Write", file_path="docs/x.md", content="x")
    assert "the tool 'Write' is not available to this agent" in message
    assert "Read, Grep" in message
    assert not (context.workspace.root / "docs" / "x.md").exists()


def test_input_is_checked_against_the_tools_schema(toolbox: Toolbox) -> None:
    assert "invalid input for Read: 'file_path' is a required property" in failed(toolbox, "Read")
    message = failed(toolbox, "Read", file_path="docs/overview.md", limit=0)
    assert "limit" in message and "minimum" in message


def test_arguments_that_were_not_json_come_back_as_an_error(toolbox: Toolbox) -> None:
    result = toolbox.call(ToolCall("c", "Read", {}, error="the arguments are not valid JSON"))
    assert result.is_error
    assert "could not be read: the arguments are not valid JSON" in result.content


def test_null_optional_arguments_mean_not_given(toolbox: Toolbox) -> None:
    assert "     1\t# Overview" in ok(toolbox, "Read", file_path="docs/overview.md", offset=None)


# -- Read ------------------------------------------------------------------------------


def test_read_numbers_lines_like_cat_n(toolbox: Toolbox) -> None:
    text = ok(toolbox, "Read", file_path="docs/overview.md")
    assert text.splitlines() == [
        "     1\t# Overview",
        "     2\t",
        "     3\tThe order service.",
        "     4\tOrders have lines.",
    ]


def test_read_a_window_says_how_to_read_on(toolbox: Toolbox, project: Path) -> None:
    (project / "long.txt").write_text("".join(f"line {i}\n" for i in range(1, 11)))
    text = ok(toolbox, "Read", file_path="long.txt", offset=3, limit=2)
    assert text.splitlines() == [
        "     3\tline 3",
        "     4\tline 4",
        "... (6 more lines; read on with offset=5)",
    ]
    assert "past its end" in failed(toolbox, "Read", file_path="long.txt", offset=11)


def test_read_cuts_very_long_lines(toolbox: Toolbox, project: Path) -> None:
    (project / "wide.txt").write_text("x" * 2500 + "\n")
    assert ok(toolbox, "Read", file_path="wide.txt").endswith("… (500 more characters)")


def test_read_refuses_what_is_not_a_text_file(toolbox: Toolbox, project: Path) -> None:
    (project / "blob.bin").write_bytes(b"\x00\x01\x02")
    (project / "empty.txt").write_text("")
    assert "does not exist" in failed(toolbox, "Read", file_path="nope.md")
    assert "is a directory" in failed(toolbox, "Read", file_path="docs")
    assert "binary file" in failed(toolbox, "Read", file_path="blob.bin")
    assert ok(toolbox, "Read", file_path="empty.txt") == "(empty.txt exists and is empty)"


# -- confinement -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../secret.txt", "/etc/passwd", "docs/../../secret.txt"])
def test_file_tools_refuse_paths_outside_the_project(toolbox: Toolbox, path: str) -> None:
    for name, arguments in [
        ("Read", {"file_path": path}),
        ("Write", {"file_path": path, "content": "x"}),
        ("Edit", {"file_path": path, "old_string": "outside", "new_string": "in"}),
        ("LS", {"path": path}),
        ("Grep", {"pattern": "outside", "path": path}),
    ]:
        assert "is outside the project folder" in failed(toolbox, name, **arguments), name


def test_a_symbolic_link_out_of_the_project_is_refused(toolbox: Toolbox, project: Path) -> None:
    (project / "link.txt").symlink_to(project.parent / "secret.txt")
    (project / "linked-dir").symlink_to(project.parent)
    assert "outside the project" in failed(toolbox, "Read", file_path="link.txt")
    assert "outside the project" in failed(toolbox, "Write", file_path="link.txt", content="x")
    assert "outside the project" in failed(toolbox, "Read", file_path="linked-dir/secret.txt")
    assert (project.parent / "secret.txt").read_text() == "outside\n"
    assert "secret" not in ok(toolbox, "Glob", pattern="**/*.txt")
    assert ok(toolbox, "Grep", pattern="outside").startswith("no matches")
    assert "link.txt -> (outside the project)" in ok(toolbox, "LS")


def test_absolute_paths_inside_the_project_are_fine(toolbox: Toolbox, project: Path) -> None:
    assert "# Overview" in ok(toolbox, "Read", file_path=str(project / "docs" / "overview.md"))


# -- Write, Edit, MultiEdit ------------------------------------------------------------


def test_write_creates_folders_and_replaces_files(toolbox: Toolbox, project: Path) -> None:
    assert ok(toolbox, "Write", file_path="docs/new/a.md", content="one\ntwo\n") == (
        "created docs/new/a.md (2 lines)"
    )
    assert ok(toolbox, "Write", file_path="docs/new/a.md", content="three") == (  # just written
        "replaced docs/new/a.md (1 line)"
    )
    assert (project / "docs" / "new" / "a.md").read_text() == "three"
    assert "is a directory" in failed(toolbox, "Write", file_path="docs", content="x")


def test_edit_replaces_one_exact_match(toolbox: Toolbox, project: Path) -> None:
    ok(toolbox, "Read", file_path="app/main.py")
    ok(toolbox, "Edit", file_path="app/main.py", old_string="a = 1", new_string="a = 10")
    assert (project / "app" / "main.py").read_text() == "a = 10\nb = 2\nb = 2\n"


def test_edit_refuses_an_ambiguous_match_unless_replace_all(
    toolbox: Toolbox, project: Path
) -> None:
    ok(toolbox, "Read", file_path="app/main.py")
    message = failed(toolbox, "Edit", file_path="app/main.py", old_string="b = 2", new_string="c")
    assert "occurs 2 times" in message and "replace_all" in message
    assert (project / "app" / "main.py").read_text() == "a = 1\nb = 2\nb = 2\n"
    assert ok(
        toolbox, "Edit", file_path="app/main.py", old_string="b = 2", new_string="c = 3",
        replace_all=True,
    ) == "edited app/main.py: 2 replacements"  # fmt: skip
    assert (project / "app" / "main.py").read_text() == "a = 1\nc = 3\nc = 3\n"


def test_edit_failures_say_what_to_do(toolbox: Toolbox) -> None:
    ok(toolbox, "Read", file_path="app/main.py")
    missing = failed(toolbox, "Edit", file_path="app/main.py", old_string="zz", new_string="y")
    assert "old_string was not found" in missing
    same = failed(toolbox, "Edit", file_path="app/main.py", old_string="a", new_string="a")
    assert "are the same" in same


def test_edit_with_an_empty_old_string_creates_a_file(toolbox: Toolbox, project: Path) -> None:
    ok(toolbox, "Edit", file_path="app/new.py", old_string="", new_string="x = 1\n")
    assert (project / "app" / "new.py").read_text() == "x = 1\n"


def test_multiedit_applies_edits_in_order(toolbox: Toolbox, project: Path) -> None:
    ok(toolbox, "Read", file_path="app/main.py")
    text = ok(
        toolbox,
        "MultiEdit",
        file_path="app/main.py",
        edits=[
            {"old_string": "a = 1", "new_string": "a = 2"},
            {"old_string": "a = 2", "new_string": "a = 3"},
            {"old_string": "b = 2", "new_string": "b = 4", "replace_all": True},
        ],
    )
    assert text == "edited app/main.py: 3 edits, 4 replacements"
    assert (project / "app" / "main.py").read_text() == "a = 3\nb = 4\nb = 4\n"


def test_multiedit_is_all_or_nothing(toolbox: Toolbox, project: Path) -> None:
    ok(toolbox, "Read", file_path="app/main.py")
    message = failed(
        toolbox,
        "MultiEdit",
        file_path="app/main.py",
        edits=[
            {"old_string": "a = 1", "new_string": "a = 2"},
            {"old_string": "not there", "new_string": "x"},
        ],
    )
    assert "edit 2 of 2 (no edit was applied)" in message
    assert (project / "app" / "main.py").read_text() == "a = 1\nb = 2\nb = 2\n"


# -- Glob, Grep, LS --------------------------------------------------------------------


def test_glob_lists_matches_newest_first_and_skips_caches(toolbox: Toolbox, project: Path) -> None:
    (project / ".venv" / "lib").mkdir(parents=True)
    (project / ".venv" / "lib" / "x.py").write_text("")
    (project / "app" / "older.py").write_text("")
    os.utime(project / "app" / "older.py", (time.time() - 100, time.time() - 100))
    assert ok(toolbox, "Glob", pattern="**/*.py").splitlines() == ["app/main.py", "app/older.py"]
    assert ok(toolbox, "Glob", pattern="*.{md,txt}", path="docs") == "docs/overview.md"
    assert ok(toolbox, "Glob", pattern="*.rs").startswith("no files match")
    assert "without '..'" in failed(toolbox, "Glob", pattern="../*")


def test_grep_lists_files_by_default(toolbox: Toolbox) -> None:
    assert ok(toolbox, "Grep", pattern="order") == "docs/overview.md"
    assert ok(toolbox, "Grep", pattern="ORDER", **{"-i": True}) == "docs/overview.md"
    assert ok(toolbox, "Grep", pattern="ORDER").startswith("no matches")


def test_grep_content_with_context_and_line_numbers(toolbox: Toolbox, project: Path) -> None:
    (project / "notes.txt").write_text("one\nmatch A\nthree\nfour\nfive\nsix\nmatch B\n")
    text = ok(
        toolbox, "Grep", pattern="match", path="notes.txt", output_mode="content", **{"-C": 1}
    )
    assert text.splitlines() == [
        "notes.txt-1-one",
        "notes.txt:2:match A",
        "notes.txt-3-three",
        "--",
        "notes.txt-6-six",
        "notes.txt:7:match B",
    ]
    after = ok(toolbox, "Grep", pattern="A$", output_mode="content", **{"-A": 1, "-n": False})
    assert after.splitlines() == ["notes.txt:match A", "notes.txt-three"]


def test_grep_counts_filters_and_limits(toolbox: Toolbox, project: Path) -> None:
    (project / "app" / "more.py").write_text("b = 2\n")
    assert (
        ok(toolbox, "Grep", pattern="b = 2", output_mode="count", glob="*.py").splitlines()
        == [
            "app/main.py:2",
            "app/more.py:1",
        ]
        or ok(toolbox, "Grep", pattern="b = 2", output_mode="count").count(":") == 2
    )
    assert ok(toolbox, "Grep", pattern="=", type="md").startswith("no matches")
    limited = ok(toolbox, "Grep", pattern="=", output_mode="content", head_limit=1)
    assert len(limited.splitlines()) == 2 and "more; read on with offset=1" in limited
    assert "not a valid regular expression" in failed(toolbox, "Grep", pattern="(")


def test_grep_multiline(toolbox: Toolbox) -> None:
    text = ok(toolbox, "Grep", pattern=r"service\.\nOrders", multiline=True, output_mode="content")
    assert text.splitlines() == [
        "docs/overview.md:3:The order service.",
        "docs/overview.md:4:Orders have lines.",
    ]


def test_ls_shows_a_tree(toolbox: Toolbox, project: Path) -> None:
    (project / "app" / "skip.pyc").write_text("")
    text = ok(toolbox, "LS", ignore=["*.pyc"])
    assert text.splitlines() == ["./", "  app/", "    main.py", "  docs/", "    overview.md"]
    assert "not a folder" in failed(toolbox, "LS", path="app/main.py")


# -- Bash ------------------------------------------------------------------------------


def test_bash_runs_in_the_project_and_reports_the_exit_code(toolbox: Toolbox) -> None:
    assert ok(toolbox, "Bash", command="ls docs && exit 3") == "exit code 3\noverview.md"
    assert ok(toolbox, "Bash", command="echo out; echo err >&2") == "exit code 0\nout\nerr"


def test_bash_timeout_kills_the_whole_process_group(toolbox: Toolbox, project: Path) -> None:
    started = time.monotonic()
    message = failed(
        toolbox,
        "Bash",
        command="sleep 60 & echo $! > child.pid; echo started; sleep 60",
        timeout=700,
    )
    assert time.monotonic() - started < 10
    assert "timed out after 0.7s" in message and "started" in message
    child = int((project / "child.pid").read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the background process {child} is still running")


def test_bash_output_is_capped(toolbox: Toolbox) -> None:
    text = ok(toolbox, "Bash", command="python3 -c \"print('x' * 50000)\"")
    assert "characters cut" in text
    assert len(text) < 31_000


def test_bash_hides_the_providers_keys(toolbox: Toolbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-secret")
    assert ok(toolbox, "Bash", command="echo ${ANTHROPIC_API_KEY:-hidden}") == "exit code 0\nhidden"


# -- TodoWrite, Task, ExitPlanMode -----------------------------------------------------


def test_todowrite_replaces_the_list_and_shows_it(context: ToolContext) -> None:
    shown: list[list[Todo]] = []
    context.on_todos = shown.append
    toolbox = Toolbox.for_agent(None, context)
    text = ok(
        toolbox,
        "TodoWrite",
        todos=[
            {"content": "Draft", "status": "completed"},
            {"content": "Build", "status": "in_progress", "activeForm": "Building"},
            {"content": "Verify", "status": "pending"},
        ],
    )
    assert text == "todo list updated: 1 completed, 1 in progress, 1 pending"
    assert [t.status for t in context.todos] == ["completed", "in_progress", "pending"]
    assert shown[-1][1] == Todo("Build", "in_progress", "Building", "2")
    assert "status" in failed(toolbox, "TodoWrite", todos=[{"content": "x", "status": "later"}])


def test_task_starts_a_sub_agent_and_returns_its_report(context: ToolContext) -> None:
    started: list[tuple[str, str, str | None]] = []

    def spawn(description: str, prompt: str, kind: str | None, model: str | None) -> str:
        started.append((description, prompt, kind))
        return "three endpoints"

    context.spawn = spawn
    toolbox = Toolbox.for_agent(None, context)
    assert ok(toolbox, "Task", description="Survey", prompt="List endpoints") == "three endpoints"
    ok(toolbox, "Task", description="S", prompt="P", subagent_type="general-purpose")
    ok(toolbox, "Task", description="S", prompt="P", subagent_type="reviewer")
    assert started == [("Survey", "List endpoints", None), ("S", "P", None), ("S", "P", "reviewer")]
    context.spawn = None
    assert "cannot start sub-agents" in failed(toolbox, "Task", description="S", prompt="P")


def test_plan_mode_refuses_changes_until_the_plan_is_presented(
    context: ToolContext, project: Path
) -> None:
    plans: list[str] = []
    context.plan_mode = True
    context.on_plan = plans.append
    toolbox = Toolbox.for_agent(None, context)
    assert "plan mode" in failed(toolbox, "Write", file_path="x.md", content="x")
    assert "plan mode" in failed(toolbox, "Bash", command="touch y")
    assert ok(toolbox, "Read", file_path="docs/overview.md")
    assert "approved" in ok(toolbox, "ExitPlanMode", plan="1. Draft\n2. Build")
    assert plans == ["1. Draft\n2. Build"]
    ok(toolbox, "Write", file_path="x.md", content="x")
    assert (project / "x.md").exists()
    assert "not in plan mode" in ok(toolbox, "ExitPlanMode", plan="again")


# -- notebooks -------------------------------------------------------------------------


@pytest.fixture
def notebook(project: Path) -> Path:
    path = project / "explore.ipynb"
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# Explore\n"]},
        {
            "cell_type": "code",
            "id": "sum",
            "metadata": {},
            "execution_count": 1,
            "source": "print(1 + 1)",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["2\n"]}],
        },
    ]
    path.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    return path


def test_notebookread_shows_cells_and_outputs(toolbox: Toolbox, notebook: Path) -> None:
    text = ok(toolbox, "NotebookRead", notebook_path="explore.ipynb")
    assert text == (
        '<cell id="intro" type="markdown">\n# Explore\n</cell>\n'
        '<cell id="sum" type="code">\nprint(1 + 1)\n<outputs>\n2\n</outputs>\n</cell>'
    )
    one = ok(toolbox, "NotebookRead", notebook_path="explore.ipynb", cell_id="sum")
    assert one.startswith('<cell id="sum"')
    assert ok(toolbox, "Read", file_path="explore.ipynb") == text
    assert "no cell 'x'" in failed(
        toolbox, "NotebookRead", notebook_path="explore.ipynb", cell_id="x"
    )


def test_notebookedit_replaces_inserts_and_deletes(toolbox: Toolbox, notebook: Path) -> None:
    ok(toolbox, "NotebookRead", notebook_path="explore.ipynb")
    ok(toolbox, "NotebookEdit", notebook_path="explore.ipynb", cell_id="sum", new_source="2 * 3")
    cells = json.loads(notebook.read_text())["cells"]
    assert cells[1]["source"] == "2 * 3"
    assert cells[1]["outputs"] == [] and cells[1]["execution_count"] is None
    inserted = ok(
        toolbox, "NotebookEdit", notebook_path="explore.ipynb", cell_id="intro",
        new_source="x = 1", cell_type="code", edit_mode="insert",
    )  # fmt: skip
    assert "at position 1" in inserted
    assert [c["source"] for c in json.loads(notebook.read_text())["cells"]] == [
        ["# Explore\n"], "x = 1", "2 * 3",
    ]  # fmt: skip
    ok(toolbox, "NotebookEdit", notebook_path="explore.ipynb", cell_id="intro", new_source="",
       edit_mode="delete")  # fmt: skip
    assert len(json.loads(notebook.read_text())["cells"]) == 2
    message = failed(
        toolbox, "NotebookEdit", notebook_path="explore.ipynb", new_source="y", edit_mode="insert"
    )
    assert "needs cell_type" in message


# -- pactcoder's own steps -------------------------------------------------------------


def test_pactcoder_check_reports_problems_with_file_and_line(tmp_path: Path) -> None:
    project = tmp_path / "broken"
    shutil.copytree(ROOT / "tests" / "broken" / "schema-type-typo", project)
    toolbox = Toolbox.for_agent([], ToolContext(Workspace(project)))
    message = failed(toolbox, "pactcoder_check")
    assert message.startswith("the contract has 1 error(s); nothing can be built")
    assert "docs/api/openapi.yaml:24:11: error: 'strin' is not one of" in message
    assert "hint: fix this schema" in message


def test_pactcoder_check_summarises_the_operations(tmp_path: Path) -> None:
    toolbox = Toolbox.for_agent([], ToolContext(Workspace(ROOT / "examples" / "library")))
    text = ok(toolbox, "pactcoder_check")
    assert text.startswith("contract OK: ")
    assert "GET /authors (listAuthors): list author" in text


def test_pactcoder_draft_writes_once_and_then_refuses(tmp_path: Path) -> None:
    project = tmp_path / "orders"
    shutil.copytree(ROOT / "examples" / "orders-markdown", project)
    toolbox = Toolbox.for_agent([], ToolContext(Workspace(project)))
    text = ok(toolbox, "pactcoder_draft")
    assert text.startswith("drafted docs/api/openapi.draft.yaml from 3 Markdown file(s)")
    assert (project / "docs" / "api" / "openapi.draft.yaml").is_file()
    assert "already exists" in failed(toolbox, "pactcoder_draft")
    assert ok(toolbox, "pactcoder_draft", force=True).startswith("drafted")


def test_pactcoder_build_and_verify_fail_clearly_without_a_contract(
    toolbox: Toolbox,
) -> None:
    assert "no OpenAPI contract found under docs/" in failed(toolbox, "pactcoder_build")
    assert "no built service" in failed(toolbox, "pactcoder_verify", steps=["tests"])
    assert "invalid input" in failed(toolbox, "pactcoder_verify", steps=["nonsense"])
