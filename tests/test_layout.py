"""The shape of the pipeline: no import cycle anywhere in pactcoder, and no stage
importing a stage that runs after it.

Imports are read from the source (ast), wherever they are: at the top, inside a
function (lazy) or under ``if TYPE_CHECKING:``. A cycle hidden behind a lazy or a
type-only import is still a cycle. A package importing its own submodules (to
re-export them) is not.

The stages, in the order a build runs them (CONTRIBUTING.md): ``load`` reads the
files, ``oas`` makes the typed OpenAPI model (with x-pact), ``ir`` infers the service,
``render`` writes its code. A stage may import the ones before it, never one after.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "pactcoder"

#: Each stage, and the stages and top-level modules that run after it (which it must not import).
LATER = {
    "pactcoder.load": ["pactcoder.oas", "pactcoder.ir", "pactcoder.render"],
    "pactcoder.oas": ["pactcoder.ir", "pactcoder.render"],
    "pactcoder.ir": ["pactcoder.render", "pactcoder.migrate", "pactcoder.verify"],
    "pactcoder.render": ["pactcoder.migrate", "pactcoder.verify", "pactcoder.output"],
}
#: Modules no stage of the compiler may import: the interfaces on top of it.
TOP = ["pactcoder.steps", "pactcoder.api", "pactcoder.cli", "pactcoder.agent", "pactcoder.handoff"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the pactcoder modules it imports, anywhere in it."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                for alias in node.names:
                    target = _owner(f"{base}.{alias.name}", modules)
                    if target and target != name:
                        found.add(target)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    target = _owner(alias.name, modules)
                    if target and target != name:
                        found.add(target)
        graph[name] = found
    return graph


def _owner(dotted: str, modules: dict[str, Path]) -> str | None:
    """The module ``dotted`` is (or is a name in)."""
    while dotted and dotted not in modules:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package re-exporting its own submodules
            found = visit(nxt, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def _within(module: str, stage: str) -> bool:
    return module == stage or module.startswith(stage + ".")


def test_pactcoder_has_no_import_cycle() -> None:
    cycle = _cycle(_imports(_modules()))
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle_behind_a_type_only_import(tmp_path: Path) -> None:
    package = tmp_path / "pactcoder"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pactcoder.b import B\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pactcoder.a import A\n"
    )
    modules = {
        ".".join(p.relative_to(tmp_path).with_suffix("").parts).removesuffix(".__init__"): p
        for p in package.rglob("*.py")
    }
    assert _cycle(_imports(modules)) == ["pactcoder.a", "pactcoder.b", "pactcoder.a"]


def test_no_stage_imports_a_later_one() -> None:
    graph = _imports(_modules())
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for stage, later in LATER.items()
        if _within(module, stage)
        for target in targets
        if any(_within(target, s) for s in [*later, *TOP])
    )
    assert not wrong
