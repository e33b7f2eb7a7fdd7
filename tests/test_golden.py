"""Golden trees: each example builds into exactly the checked-in tree under tests/golden/.

A change to a template or to inference shows up here as a readable diff of
generated code. After reviewing such a change, regenerate the trees with:

    python tests/test_golden.py --regenerate
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from pactcoder.pipeline import understand
from pactcoder.steps import generate

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
#: Examples with an OpenAPI contract (a Markdown-only one is drafted first; see test_draft.py).
EXAMPLES = sorted(
    p.name
    for p in (ROOT / "examples").iterdir()
    if any((p / "docs").rglob("*.yaml")) or any((p / "docs").rglob("*.json"))
)


def _build(name: str) -> dict[str, str]:
    return generate(understand(ROOT / "examples" / name))


def _golden(name: str) -> dict[str, str]:
    folder = GOLDEN / name
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_builds_into_its_golden_tree(name: str) -> None:
    built = _build(name)
    golden = _golden(name)
    assert sorted(built) == sorted(golden), "the set of generated files changed"
    for path, text in built.items():
        assert text == golden[path], f"{name}/{path} differs from the golden tree"


@pytest.mark.parametrize("name", EXAMPLES)
def test_building_twice_gives_identical_output(name: str) -> None:
    assert _build(name) == _build(name)


def regenerate() -> None:
    """Rewrite every golden tree from the current code."""
    for name in EXAMPLES:
        folder = GOLDEN / name
        shutil.rmtree(folder, ignore_errors=True)
        for path, text in _build(name).items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print(f"regenerated {folder.relative_to(ROOT)}")


if __name__ == "__main__":
    if "--regenerate" in sys.argv:
        regenerate()
    else:
        sys.exit(pytest.main([__file__, "-q"]))
