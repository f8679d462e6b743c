"""The layout holds: imports only go downhill (bot/__init__.py), and every package says what its modules are."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first: a package may import from its own layer and those before it, never from a later one.
LAYERS = [("knowledge",), ("bot.core",), ("bot.transport",), ("bot.people",), ("bot.asking",), ("bot.reporting",),
          ("bot.plans",), ("bot.reminders",), ("bot.commands",), ("bot.web",), ("handlers",),
          ("bot.start",)]
WITHOUT_TELEGRAM = ("knowledge", "bot.core", "bot.people", "bot.asking", "bot.reporting", "bot.plans",
                    "bot.reminders", "bot.commands", "bot.web")


def layer_of(module: str) -> int | None:
    return next((n for n, names in enumerate(LAYERS) for name in names
                 if module == name or module.startswith(f"{name}.")), None)


def modules() -> list[tuple[str, Path]]:
    found = []
    for top in ("bot", "handlers", "knowledge"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                found.append((".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"), path))
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_imports_only_go_downhill(module, path):
    mine = layer_of(module)
    if mine is None:
        return
    uphill = {name for name in imported(path) if (layer_of(name) or 0) > mine}
    assert not uphill, f"{module} imports from a layer above it: {sorted(uphill)}"
    if module.startswith(WITHOUT_TELEGRAM):
        assert not {n for n in imported(path) if n.split(".")[0] == "telegram"}, f"{module} imports telegram"


@pytest.mark.parametrize("package", ["bot", "bot.core", "bot.transport", "bot.people", "bot.asking", "bot.reporting",
                                     "bot.plans", "bot.reminders", "bot.commands", "bot.web", "bot.start", "handlers",
                                     "knowledge", "tests.support"])
def test_every_package_names_its_modules(package):
    init = importlib.import_module(package)
    folder = Path(init.__file__).parent
    names = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    missing = sorted(n for n in names if n not in (init.__doc__ or ""))
    assert not missing, f"{package}'s docstring does not say what these are: {missing}"
