"""Writing the service: all or nothing, never over someone else's folder, keeping the user's work.

Generated files are rewritten (merged three ways when the user edited them), owned files
and migrations are written once, and files the user added or local data are carried over.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pactcoder import output
from pactcoder.output import (
    PRISTINE_DIR,
    STATE_FILE,
    FileKind,
    digest,
    kind_of,
    read_state,
    write_service,
)
from pactcoder.problems import OutputError

FILES = {"app/main.py": "print('hello')\n", "README.md": "# service\n"}

# Eight lines, so that edits at the top and at the bottom are far enough apart to merge.
BASE = "".join(f"line {i}\n" for i in range(1, 9))
SERVICE = "def create():\n    return 'generated'\n"
MIGRATION = "revision = '0001_initial'\n"


def _tree() -> dict[str, str]:
    """A small service with a file of each kind."""
    return {
        "app/main.py": BASE,
        "app/models/books.py": "class Book: ...\n",
        "app/services/__init__.py": "",
        "app/services/books.py": SERVICE,
        "app/api/routes/custom.py": "router = None\n",
        "migrations/versions/0001_initial.py": MIGRATION,
        "README.md": "# service\n",
    }


def _actions(result: output.WriteResult) -> dict[str, str]:
    return {change.path: change.action for change in result.changes}


def _notes(result: output.WriteResult) -> dict[str, str]:
    return {change.path: change.note for change in result.changes}


def _everything(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("app/main.py", FileKind.GENERATED),
        ("app/services/__init__.py", FileKind.GENERATED),
        ("app/services/books.py", FileKind.OWNED),
        ("app/services/order_lines.py", FileKind.OWNED),
        ("app/api/routes/custom.py", FileKind.OWNED),
        ("app/operations/quote_loan.py", FileKind.OWNED),
        ("app/operations/__init__.py", FileKind.GENERATED),
        ("app/api/routes/books.py", FileKind.GENERATED),
        ("app/services/books.pyc", FileKind.GENERATED),
        ("app/services/sub/books.py", FileKind.GENERATED),
        ("migrations/versions/0001_initial.py", FileKind.HISTORY),
        ("migrations/versions/0002_authors_add_alive.py", FileKind.HISTORY),
        ("migrations/env.py", FileKind.GENERATED),
        ("tests/test_books.py", FileKind.GENERATED),
    ],
)
def test_kind_of(path: str, kind: FileKind) -> None:
    assert kind_of(path) is kind


# -- first build ---------------------------------------------------------------------------


def test_writes_every_file_and_a_state_file(tmp_path: Path) -> None:
    result = write_service(FILES, tmp_path / "out", inputs={"docs/api.yaml": "abc"})
    assert (tmp_path / "out" / "app" / "main.py").read_text() == FILES["app/main.py"]
    state = read_state(tmp_path / "out")
    assert state is not None
    assert state["inputs"] == {"docs/api.yaml": "abc"}
    assert sorted(state["files"]) == sorted(FILES)
    assert result.files == sorted(FILES)
    assert not result.replaced
    assert not result.dry_run


def test_first_build_creates_everything_with_state_and_pristine_copies(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = _tree()
    schema = {"tables": {"books": {"position": 0}}}
    result = write_service(
        files, out, inputs={"docs/api.yaml": "h"}, schema=schema, migrations=["0001_initial"]
    )

    assert set(_actions(result).values()) == {"created"}
    assert result.files == sorted(files)
    for path, text in files.items():
        assert (out / path).read_text(encoding="utf-8") == text

    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["schema"] == schema
    assert state["migrations"] == ["0001_initial"]
    assert state["generator"].startswith("pactcoder ")
    assert state["files"]["app/main.py"] == {"hash": digest(BASE), "kind": "generated"}
    assert state["files"]["app/services/books.py"]["kind"] == "owned"
    assert state["files"]["app/api/routes/custom.py"]["kind"] == "owned"
    assert state["files"]["migrations/versions/0001_initial.py"]["kind"] == "history"

    pristine = out / PRISTINE_DIR
    kept = sorted(p.relative_to(pristine).as_posix() for p in pristine.rglob("*") if p.is_file())
    generated = sorted(p for p in files if kind_of(p) is FileKind.GENERATED)
    assert kept == generated
    assert (pristine / "app/main.py").read_text(encoding="utf-8") == BASE
    assert not (pristine / "app/services/books.py").exists()
    assert not (pristine / "migrations").exists()


def test_no_scratch_folders_are_left_beside_the_destination(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    write_service({**_tree(), "app/main.py": BASE + "more\n"}, out, inputs={})
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# -- rebuilds ------------------------------------------------------------------------------


def test_replaces_its_own_untouched_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    changed = {**FILES, "app/main.py": "print('changed')\n"}
    result = write_service(changed, out, inputs={})
    assert result.replaced
    assert (out / "app" / "main.py").read_text() == "print('changed')\n"


def test_rebuild_of_untouched_files_updates_or_leaves_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    new_main = BASE.replace("line 8", "line eight")
    result = write_service({**_tree(), "app/main.py": new_main}, out, inputs={})

    actions = _actions(result)
    assert actions["app/main.py"] == "updated"
    assert actions["app/models/books.py"] == "unchanged"
    assert actions["README.md"] == "unchanged"
    assert actions["app/services/books.py"] == "kept"
    assert actions["migrations/versions/0001_initial.py"] == "kept"
    assert result.conflicts == []
    assert (out / "app/main.py").read_text(encoding="utf-8") == new_main
    assert (out / PRISTINE_DIR / "app/main.py").read_text(encoding="utf-8") == new_main
    state = read_state(out)
    assert state is not None
    assert state["files"]["app/main.py"]["hash"] == digest(new_main)


def test_an_edited_owned_file_is_kept_even_when_the_new_build_differs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    mine = "def create():\n    return 'my business rule'\n"
    (out / "app/services/books.py").write_text(mine, encoding="utf-8")
    (out / "app/api/routes/custom.py").write_text("router = 'mine'\n", encoding="utf-8")
    new = {
        **_tree(),
        "app/services/books.py": "def create():\n    return 'new generated'\n",
        "app/api/routes/custom.py": "router = 'new'\n",
    }
    result = write_service(new, out, inputs={})

    actions = _actions(result)
    assert actions["app/services/books.py"] == "kept"
    assert actions["app/api/routes/custom.py"] == "kept"
    assert "never overwritten" in _notes(result)["app/services/books.py"]
    assert (out / "app/services/books.py").read_text(encoding="utf-8") == mine
    assert (out / "app/api/routes/custom.py").read_text(encoding="utf-8") == "router = 'mine'\n"
    assert result.conflicts == []


def test_an_owned_file_for_a_new_resource_is_created(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    result = write_service({**_tree(), "app/services/authors.py": "x = 1\n"}, out, inputs={})
    assert _actions(result)["app/services/authors.py"] == "created"
    assert (out / "app/services/authors.py").read_text(encoding="utf-8") == "x = 1\n"


def test_a_history_file_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    edited = MIGRATION + "# reviewed by hand\n"
    (out / "migrations/versions/0001_initial.py").write_text(edited, encoding="utf-8")
    new = {**_tree(), "migrations/versions/0001_initial.py": "revision = 'regenerated'\n"}
    result = write_service(new, out, inputs={})
    assert _actions(result)["migrations/versions/0001_initial.py"] == "kept"
    assert _notes(result)["migrations/versions/0001_initial.py"] == "history"
    assert (out / "migrations/versions/0001_initial.py").read_text(encoding="utf-8") == edited


def test_a_migration_not_produced_again_stays(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(
        {**_tree(), "migrations/versions/0002_x.py": "revision = '0002_x'\n"}, out, inputs={}
    )
    result = write_service(_tree(), out, inputs={})
    assert _actions(result)["migrations/versions/0002_x.py"] == "kept"
    assert (out / "migrations/versions/0002_x.py").read_text() == "revision = '0002_x'\n"


def test_edited_files_are_no_longer_refused_but_merged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    (out / "app" / "main.py").write_text("print('my edit')\n")
    (out / "app" / "extra.py").write_text("x = 1\n")
    result = write_service(FILES, out, inputs={})
    assert _actions(result)["app/main.py"] == "merged"
    assert (out / "app" / "main.py").read_text() == "print('my edit')\n"
    assert (out / "app" / "extra.py").read_text() == "x = 1\n"


def test_edits_to_other_lines_are_merged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/main.py").write_text(BASE.replace("line 1\n", "mine 1\n"), encoding="utf-8")
    new_main = BASE.replace("line 8\n", "theirs 8\n")
    result = write_service({**_tree(), "app/main.py": new_main}, out, inputs={})

    assert _actions(result)["app/main.py"] == "merged"
    assert result.conflicts == []
    text = (out / "app/main.py").read_text(encoding="utf-8")
    assert text == BASE.replace("line 1\n", "mine 1\n").replace("line 8\n", "theirs 8\n")
    assert "<<<<<<<" not in text


def test_edits_to_the_same_lines_conflict_with_markers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/main.py").write_text(BASE.replace("line 3", "mine 3"), encoding="utf-8")
    new_main = BASE.replace("line 3", "theirs 3")
    result = write_service({**_tree(), "app/main.py": new_main}, out, inputs={})

    assert _actions(result)["app/main.py"] == "conflict"
    assert [c.path for c in result.conflicts] == ["app/main.py"]
    text = (out / "app/main.py").read_text(encoding="utf-8")
    assert "<<<<<<< your version\nmine 3\n" in text
    assert "=======\ntheirs 3\n>>>>>>> pactcoder's new version\n" in text
    assert text.startswith("line 1\nline 2\n")
    assert text.endswith("line 7\nline 8\n")


def test_a_merged_file_is_merged_again_on_the_next_rebuild(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/main.py").write_text(BASE.replace("line 1\n", "mine 1\n"), encoding="utf-8")
    new_main = BASE.replace("line 8\n", "theirs 8\n")
    new = {**_tree(), "app/main.py": new_main}
    write_service(new, out, inputs={})
    merged = (out / "app/main.py").read_text(encoding="utf-8")

    # The state remembers what pactcoder generated, not the merged text.
    state = read_state(out)
    assert state is not None
    assert state["files"]["app/main.py"]["hash"] == digest(new_main)
    assert state["files"]["app/main.py"]["hash"] != digest(merged)
    assert (out / PRISTINE_DIR / "app/main.py").read_text(encoding="utf-8") == new_main

    result = write_service(new, out, inputs={})
    assert _actions(result)["app/main.py"] == "merged"
    assert (out / "app/main.py").read_text(encoding="utf-8") == merged
    assert "mine 1" in merged


def test_an_edited_file_with_an_unchanged_generator_keeps_the_edit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    mine = BASE.replace("line 4", "mine 4")
    (out / "app/main.py").write_text(mine, encoding="utf-8")
    result = write_service(_tree(), out, inputs={})
    assert _actions(result)["app/main.py"] == "merged"
    assert (out / "app/main.py").read_text(encoding="utf-8") == mine


def test_an_unresolved_conflict_is_still_reported_on_the_next_rebuild(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/main.py").write_text(BASE.replace("line 3", "mine 3"), encoding="utf-8")
    new = {**_tree(), "app/main.py": BASE.replace("line 3", "theirs 3")}
    write_service(new, out, inputs={})
    assert "<<<<<<< your version" in (out / "app/main.py").read_text(encoding="utf-8")
    result = write_service(new, out, inputs={})
    assert [c.path for c in result.conflicts] == ["app/main.py"]


def test_a_file_no_longer_generated_is_removed_if_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    files = _tree()
    del files["app/models/books.py"]
    result = write_service(files, out, inputs={})
    assert _actions(result)["app/models/books.py"] == "removed"
    assert "app/models/books.py" not in result.files
    assert not (out / "app/models/books.py").exists()
    assert not (out / PRISTINE_DIR / "app/models/books.py").exists()
    state = read_state(out)
    assert state is not None
    assert "app/models/books.py" not in state["files"]


def test_a_file_no_longer_generated_is_kept_if_edited(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/models/books.py").write_text("class Book: 'mine'\n", encoding="utf-8")
    files = _tree()
    del files["app/models/books.py"]
    result = write_service(files, out, inputs={})
    assert _actions(result)["app/models/books.py"] == "kept"
    assert "edited" in _notes(result)["app/models/books.py"]
    assert (out / "app/models/books.py").read_text(encoding="utf-8") == "class Book: 'mine'\n"


def test_a_generated_file_the_user_deleted_is_recreated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/models/books.py").unlink()
    result = write_service(_tree(), out, inputs={})
    assert _actions(result)["app/models/books.py"] == "recreated"
    assert (out / "app/models/books.py").read_text(encoding="utf-8") == "class Book: ...\n"


def test_files_the_user_added_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app" / "extra.py").write_text("x = 1\n", encoding="utf-8")
    (out / "notes").mkdir()
    (out / "notes" / "todo.md").write_text("- ship it\n", encoding="utf-8")
    result = write_service({**_tree(), "app/main.py": BASE + "new\n"}, out, inputs={})
    assert "app/extra.py" not in _actions(result)
    assert (out / "app" / "extra.py").read_text(encoding="utf-8") == "x = 1\n"
    assert (out / "notes" / "todo.md").read_text(encoding="utf-8") == "- ship it\n"


def test_local_data_is_carried_into_the_new_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    (out / "service.db").write_bytes(b"rows")
    (out / "data").mkdir()
    (out / "data" / "other.db").write_bytes(b"more rows")
    (out / ".env").write_text("DATABASE_URL=sqlite:///x.db\n")
    venv = out / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!fake\n")
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    write_service({**FILES, "app/main.py": "print('changed')\n"}, out, inputs={})
    assert (out / "service.db").read_bytes() == b"rows"
    assert (out / "data" / "other.db").read_bytes() == b"more rows"
    assert (out / ".env").read_text() == "DATABASE_URL=sqlite:///x.db\n"
    assert (venv / "bin" / "python").read_text() == "#!fake\n"
    assert (venv / "pyvenv.cfg").read_text() == "home = /usr\n"
    assert (out / "app" / "main.py").read_text() == "print('changed')\n"


def test_a_failed_swap_keeps_the_users_virtualenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    (out / ".venv").mkdir()
    (out / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    real_replace = output.os.replace

    def replace(src: object, dst: object) -> None:
        if Path(str(src)) == out.resolve():
            raise PermissionError("the folder is in use")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(PermissionError):
        write_service({**FILES, "app/main.py": "print('new')\n"}, out, inputs={})
    assert (out / ".venv" / "pyvenv.cfg").is_file()


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    class Boom(dict[str, str]):
        def items(self):  # type: ignore[no-untyped-def, override]
            yield "ok.txt", "fine"
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_service(Boom(), tmp_path / "out", inputs={})
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_failed_rebuild_leaves_the_previous_build_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/main.py").write_text(BASE.replace("line 1", "mine 1"), encoding="utf-8")
    before = _everything(out)

    class Boom(dict[str, str]):
        def items(self):  # type: ignore[no-untyped-def, override]
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_service(Boom(_tree()), out, inputs={})
    assert _everything(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_state_file_is_not_among_the_checked_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    assert (out / STATE_FILE).is_file()
    (out / ".pactcoder" / "verify.json").write_text("{}")
    result = write_service(FILES, out, inputs={})  # a verify report is not a user edit
    assert set(_actions(result).values()) == {"unchanged"}
    assert not any(path.startswith(".pactcoder") for path in _actions(result))


# -- dry run and force -------------------------------------------------------------------------


def test_dry_run_reports_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = write_service(_tree(), out, inputs={}, dry_run=True)
    assert result.dry_run
    assert set(_actions(result).values()) == {"created"}
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []

    write_service(_tree(), out, inputs={"a": "1"})
    (out / "app/main.py").write_text(BASE.replace("line 3", "mine 3"), encoding="utf-8")
    (out / "app/models/books.py").unlink()
    before = _everything(out)
    new = {**_tree(), "app/main.py": BASE.replace("line 3", "theirs 3"), "new.py": "y = 2\n"}
    result = write_service(new, out, inputs={"a": "2"}, dry_run=True)

    actions = _actions(result)
    assert actions["app/main.py"] == "conflict"
    assert actions["app/models/books.py"] == "recreated"
    assert actions["new.py"] == "created"
    assert [c.path for c in result.conflicts] == ["app/main.py"]
    assert _everything(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_force_on_its_own_folder_overwrites_edits_but_keeps_owned_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(_tree(), out, inputs={})
    (out / "app/main.py").write_text(BASE.replace("line 3", "mine 3"), encoding="utf-8")
    (out / "app/models/books.py").write_text("class Book: 'mine'\n", encoding="utf-8")
    (out / "app/services/books.py").write_text("mine = True\n", encoding="utf-8")
    (out / "app" / "extra.py").write_text("x = 1\n", encoding="utf-8")
    new_main = BASE.replace("line 3", "theirs 3")
    files = {**_tree(), "app/main.py": new_main}
    del files["app/models/books.py"]
    result = write_service(files, out, inputs={}, force=True)

    actions = _actions(result)
    assert actions["app/main.py"] == "updated"
    assert actions["app/models/books.py"] == "removed"
    assert actions["app/services/books.py"] == "kept"
    assert result.conflicts == []
    assert (out / "app/main.py").read_text(encoding="utf-8") == new_main
    assert not (out / "app/models/books.py").exists()
    assert (out / "app/services/books.py").read_text(encoding="utf-8") == "mine = True\n"
    assert (out / "app" / "extra.py").read_text(encoding="utf-8") == "x = 1\n"


def test_force_replaces_a_foreign_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("old")
    (out / "app").mkdir()
    (out / "app" / "main.py").write_text("foreign\n")
    result = write_service(FILES, out, inputs={}, force=True)
    assert result.replaced
    assert not (out / "mine.txt").exists()
    assert (out / "app" / "main.py").read_text() == FILES["app/main.py"]
    assert set(_actions(result).values()) == {"created"}
    assert read_state(out) is not None


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("precious")
    with pytest.raises(OutputError, match="not written by pactcoder") as caught:
        write_service(FILES, out, inputs={})
    assert str(out.resolve()) in str(caught.value)
    assert (out / "mine.txt").read_text() == "precious"
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_refuses_a_foreign_folder_even_on_a_dry_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("precious")
    with pytest.raises(OutputError):
        write_service(FILES, out, inputs={}, dry_run=True)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_an_empty_folder_is_not_foreign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = write_service(FILES, out, inputs={})
    assert not result.replaced
    assert (out / "app" / "main.py").is_file()


def test_refuses_a_file_as_destination(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    with pytest.raises(OutputError, match="not a folder"):
        write_service(FILES, out, inputs={}, force=True)
    assert out.read_text() == "not a folder"
