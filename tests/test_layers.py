"""The package's layers hold, function-level imports included.

``pyproject.toml`` declares the layers as an import-linter contract
(``lint-imports`` checks it). This test backs the contract with its own walk
over every module's syntax tree, imports inside functions included, so an
import hidden in a function body cannot bring back a circle. The one upward
import allowed is inside a ``_repr_html_`` method (a result drawing itself in
a notebook).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "scorer"
ALLOWED_UPWARD_IN = "_repr_html_"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _owner(target: str) -> str | None:
    """The project module an imported name lives in (``scorer.x.y`` -> the longest known prefix)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _imports(name: str, path: Path) -> list[tuple[str, int, list[str]]]:
    """(imported project module, line, enclosing function names) for every import in a module."""
    is_pkg = path.name == "__init__.py"
    found: list[tuple[str, int, list[str]]] = []

    def visit(node: ast.AST, stack: list[str]) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return  # annotations only, never executed
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack = stack + [node.name]
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module for a in node.names]
        for t in targets:
            owner = _owner(t) if t.startswith("scorer") else None
            if owner and owner != name:
                found.append((owner, getattr(node, "lineno", 0), stack))
        for child in ast.iter_child_nodes(node):
            visit(child, stack)

    visit(ast.parse(path.read_text(encoding="utf-8")), [])
    return found


def _layers() -> list[list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [[m.strip() for m in layer.replace(":", "|").split("|")] for layer in contract["layers"]]


def _layer_of(module: str, layers: list[list[str]]) -> int | None:
    for i, layer in enumerate(layers):
        if any(module == m or module.startswith(m + ".") for m in layer):
            return i
    return None


def test_every_module_sits_in_a_layer() -> None:
    layers = _layers()
    loose = [m for m in MODULES if m not in ("scorer",) and not m.startswith("scorer.data")
             and _layer_of(m, layers) is None]
    assert not loose, f"modules in no layer of pyproject's contract: {loose}"


def test_no_module_imports_a_higher_layer_even_inside_functions() -> None:
    layers = _layers()
    wrong = []
    for name, path in MODULES.items():
        mine = _layer_of(name, layers)
        if mine is None:
            continue
        for target, line, stack in _imports(name, path):
            theirs = _layer_of(target, layers)
            if theirs is not None and theirs < mine and ALLOWED_UPWARD_IN not in stack:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports {target} (in {'.'.join(stack) or 'module'})")
    assert not wrong, "upward imports:\n" + "\n".join(wrong)


def test_no_import_circles_even_inside_functions() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for target, _, stack in _imports(name, path):
            if ALLOWED_UPWARD_IN not in stack and name != "scorer" and target != "scorer":
                graph[name].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            connect(v)
    assert not circles, f"import circles: {circles}"


@pytest.mark.skipif(shutil.which("lint-imports") is None and not (Path(sys.executable).parent / "lint-imports").exists(),
                    reason="import-linter not installed")
def test_import_linter_contract_passes() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    run = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
