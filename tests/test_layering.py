"""Imports run one way: partners/ at the bottom, plans/ and actions/ on it, csp/ above them all.

Read from the source with ``ast``, so an import inside a function counts as much as one at
the top of a file.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imports_of(path):
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source, package):
    """The modules ``source`` (a file of ``package``, a list of names) imports, relative imports
    resolved: ``from . import x`` in ``plans/pdf/render.py`` gives ``plans.pdf`` and ``plans.pdf.x``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _files(*folders):
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _within(module, top):
    return module == top or module.startswith(f"{top}.")


def offending_imports(folders, forbidden):
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _files(*folders)
        for module in sorted(imports_of(path))
        if any(_within(module, top) for top in forbidden)
    ]


def test_relative_and_function_level_imports_are_seen():
    source = "from .html import build\nfrom .. import models\n\n\ndef f():\n    import actions.models\n"
    found = imports_in(source, ["plans", "pdf"])
    assert {"plans.pdf.html", "plans", "plans.models", "actions.models"} <= found


def test_partners_imports_neither_plans_nor_actions():
    assert offending_imports(["partners"], ["plans", "actions"]) == []


def test_plans_does_not_import_the_action_views():
    assert offending_imports(["plans"], ["actions.views"]) == []


def test_the_apps_do_not_import_csp():
    assert offending_imports(["partners", "plans", "actions"], ["csp"]) == []


def _cycles(folder):
    """Pairs of modules of ``folder`` that import each other, directly or round a loop."""
    package = _module_name(ROOT / folder / "__init__.py").removesuffix(".__init__")
    modules = {_module_name(p): p for p in _files(folder) if p.name != "__init__.py"}
    edges = {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}

    def reaches(start, goal):
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(edges[current])
        return False

    assert modules, f"no modules found in {package}"
    return sorted({" <-> ".join(sorted((a, b))) for a in modules for b in edges[a] if reaches(b, a)})


@pytest.mark.parametrize("folder", ["plans/pdf", "plans/transfer"])
def test_no_two_files_of_a_package_import_each_other(folder):
    assert _cycles(folder) == []
