"""Layering: no import circle in the package, and nothing below the composition root imports it."""

import ast
from pathlib import Path

import newsportal

ROOT = Path(newsportal.__file__).parent
#: Entry points that build a Portal: the CLI, the web app, and the demo loader (it drives a whole portal).
MAY_IMPORT_PORTAL = ("cli.py", "portal.py", "web/", "demo/")


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Module → newsportal modules it imports at module level, ``if TYPE_CHECKING:`` blocks included (a
    circle through type hints is still a circle for a reader); imports inside functions are left out."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = _module(path)
        deps: set[str] = set()
        for node in _module_level(ast.parse(path.read_text("utf-8")).body):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsportal"):
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("newsportal"))
        graph[name] = deps
    return {m: {d for d in deps if d in graph} for m, deps in graph.items()}


def _module_level(body: list[ast.stmt]):
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _module_level(node.body)


def test_there_is_no_import_circle():
    graph = _imports()
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for dep in graph[node]:
                # a package's __init__ re-exporting its own submodules is not a circle
                if dep == start and not all(p.startswith(start) for p in path):
                    raise AssertionError("import circle: " + " -> ".join((*path, dep)))
                if dep not in seen:
                    seen.add(dep)
                    stack.append((dep, (*path, dep)))


def test_lower_layers_never_import_the_portal():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(MAY_IMPORT_PORTAL):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "newsportal.portal":
                raise AssertionError(f"{rel} imports newsportal.portal")
