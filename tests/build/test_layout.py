"""The package's shape: stages import only stages before them, no import cycles, small modules.

Every ``import`` in brief/ is read from the source (those inside functions and under
TYPE_CHECKING included), so a lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "brief"

LAYERS = [
    # (layer, modules or packages in it): a module may import its own layer's modules
    # (without a cycle) and any earlier layer's, never a later one's.
    (
        "foundation",
        [
            "brief",
            "brief.errors",
            "brief.digests",
            "brief.memo",
            "brief.slugs",
            "brief.urls",
            "brief.tomllines",
            "brief.timing",
            "brief.forks",
            "brief.frozen",
            "brief.methodcache",
            "brief.interrupts",
            "brief.theme",
            "brief.excerpts",
            "brief.settings",
            "brief.menus",
            "brief.newsletter_settings",
            "brief.oldpaths",
            "brief.config",
        ],
    ),
    ("media", ["brief.media"]),
    ("content", ["brief.content"]),
    ("site", ["brief.site"]),
    ("render", ["brief.render"]),
    ("output", ["brief.output"]),
    (
        "pipeline",
        [
            "brief.stamps",
            "brief.manifest",
            "brief.cachefile",
            "brief.cacheread",
            "brief.lookahead",
            "brief.cache",
            "brief.bytecode",
            "brief.buildtypes",
            "brief.buildcheck",
            "brief.build",
            "brief.edit",
        ],
    ),
    ("migrate", ["brief.migrate"]),
    ("commands", ["brief.commands"]),
    ("serve", ["brief.serve"]),
    ("cli", ["brief.cli", "brief.launch", "brief.__main__"]),
]
CONSUMERS = ("migrate", "commands", "serve", "cli")
"""Consumers of the pipeline: no pipeline stage imports them, and they do not import each other."""


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The brief modules ``name`` imports (``from brief.x import y`` counts brief.x.y when it is a module)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "brief")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if base.split(".")[0] != "brief":
                continue
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def _layer(module: str) -> int:
    best = None
    for index, (_, members) in enumerate(LAYERS):
        for member in members:
            inside = module == member or (member != "brief" and module.startswith(member + "."))
            if inside and (best is None or len(member) > best[1]):
                best = (index, len(member))
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS in {__file__}"
    return best[0]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_every_module_has_a_layer():
    for module in _modules():
        _layer(module)


def test_no_import_goes_up_the_pipeline():
    wrong = []
    for module, imported in sorted(_graph().items()):
        here = _layer(module)
        for target in sorted(imported):
            there = _layer(target)
            crossing = {LAYERS[here][0], LAYERS[there][0]} == {"commands", "serve"}  # consumers stay apart
            if there > here or crossing:
                wrong.append(f"{module} ({LAYERS[here][0]}) imports {target} ({LAYERS[there][0]})")
    assert wrong == []


def test_no_pipeline_stage_imports_a_consumer():
    consumers = {index for index, (layer, _) in enumerate(LAYERS) if layer in CONSUMERS}
    wrong = [
        f"{module} imports {target}"
        for module, imported in sorted(_graph().items())
        if _layer(module) not in consumers
        for target in sorted(imported)
        if _layer(target) in consumers
    ]
    assert wrong == []


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" → ".join(stack[stack.index(target) :] + [target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_checker_finds_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The rules above can fail: a stage importing a command, and two modules importing each other."""
    fake = tmp_path / "brief"
    (fake / "content").mkdir(parents=True)
    (fake / "commands").mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "content" / "__init__.py").write_text("")
    (fake / "commands" / "__init__.py").write_text("")
    (fake / "content" / "a.py").write_text("from brief.content import b\nfrom brief.commands.check import run\n")
    (fake / "content" / "b.py").write_text("def f():\n    from brief.content.a import x\n")
    (fake / "commands" / "check.py").write_text("")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    with pytest.raises(AssertionError, match="brief.content.a .content. imports brief.commands.check"):
        test_no_import_goes_up_the_pipeline()
    with pytest.raises(AssertionError, match="brief.content.a imports brief.commands.check"):
        test_no_pipeline_stage_imports_a_consumer()
    with pytest.raises(AssertionError, match="brief.content.a → brief.content.b → brief.content.a"):
        test_no_import_cycle()


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_stay_small():
    """About 400 lines a module and 80 a function (docs/STYLE habit 11): split along a seam before that."""
    large = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            large.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    large.append(f"{name}.{node.name}: {length} lines")
    assert large == []


def test_each_stage_package_says_what_comes_in_and_goes_out():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "In:" in doc or "in:" in doc.lower(), (
            f"{init.parent.name}/__init__.py: no docstring saying what comes in"
        )
