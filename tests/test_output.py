"""Writing the service: all or nothing, never over someone else's folder or edited files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactcoder.output import STATE_FILE, edited_files, read_state, write_service
from pactcoder.problems import OutputError

FILES = {"app/main.py": "print('hello')\n", "README.md": "# service\n"}


def test_writes_every_file_and_a_state_file(tmp_path: Path) -> None:
    result = write_service(FILES, tmp_path / "out", inputs={"docs/api.yaml": "abc"})
    assert (tmp_path / "out" / "app" / "main.py").read_text() == FILES["app/main.py"]
    state = read_state(tmp_path / "out")
    assert state is not None
    assert state["inputs"] == {"docs/api.yaml": "abc"}
    assert sorted(state["files"]) == sorted(FILES)  # type: ignore[arg-type]
    assert result.files == sorted(FILES)
    assert not result.replaced


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("precious")
    with pytest.raises(OutputError, match="not written by pactcoder"):
        write_service(FILES, out, inputs={})
    assert (out / "mine.txt").read_text() == "precious"
    assert not (out / "app").exists()


def test_force_replaces_a_foreign_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("old")
    result = write_service(FILES, out, inputs={}, force=True)
    assert result.replaced
    assert not (out / "mine.txt").exists()


def test_replaces_its_own_untouched_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    changed = {**FILES, "app/main.py": "print('changed')\n"}
    result = write_service(changed, out, inputs={})
    assert result.replaced
    assert (out / "app" / "main.py").read_text() == "print('changed')\n"


def test_refuses_to_overwrite_edited_files_and_names_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    (out / "app" / "main.py").write_text("print('my edit')\n")
    (out / "app" / "extra.py").write_text("x = 1\n")
    state = read_state(out)
    assert state is not None
    assert edited_files(out, state) == ["app/main.py"]
    with pytest.raises(OutputError, match=r"app/main\.py.*app/extra\.py"):
        write_service(FILES, out, inputs={})
    assert (out / "app" / "main.py").read_text() == "print('my edit')\n"


def test_local_data_is_carried_into_the_new_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    (out / "service.db").write_bytes(b"rows")
    (out / ".env").write_text("DATABASE_URL=sqlite:///x.db\n")
    write_service(FILES, out, inputs={})
    assert (out / "service.db").read_bytes() == b"rows"
    assert (out / ".env").exists()


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    class Boom(dict[str, str]):
        def items(self):  # type: ignore[no-untyped-def, override]
            yield "ok.txt", "fine"
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_service(Boom(), tmp_path / "out", inputs={})
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_state_file_is_not_among_the_checked_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_service(FILES, out, inputs={})
    assert (out / STATE_FILE).is_file()
    (out / ".pactcoder" / "verify.json").write_text("{}")
    write_service(FILES, out, inputs={})  # a verify report is not a user edit
