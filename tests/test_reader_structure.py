"""The reader holds the objects that do its jobs rather than inheriting them: its only base is Screen,
and every key's action is one statement, a motion or a call into one of them (or the session)."""

from __future__ import annotations

import ast
from pathlib import Path

SCREENS = Path(__file__).resolve().parent.parent / "tui" / "screens"
#: The modules that do one job each of the reader's (they used to be mixins of it).
HELPERS = ("selecting", "tagging", "suggesting", "corpus_keys", "drawing")


def classes(module: str) -> dict[str, ast.ClassDef]:
    tree = ast.parse((SCREENS / f"{module}.py").read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def body_without_docstring(function: ast.FunctionDef) -> list[ast.stmt]:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def test_the_reader_inherits_only_from_screen() -> None:
    reader = classes("reader")["ReaderScreen"]
    assert [ast.unparse(base) for base in reader.bases] == ["Screen"]


def test_every_reader_action_is_one_statement() -> None:
    reader = classes("reader")["ReaderScreen"]
    actions = [node for node in reader.body if isinstance(node, ast.FunctionDef) and node.name.startswith("action_")]
    assert actions, "the keys' actions are the screen's own (see the last test)"
    long = {a.name: len(body_without_docstring(a)) for a in actions if len(body_without_docstring(a)) != 1}
    assert long == {}, f"actions of more than one statement: {long}"
    compound = [a.name for a in actions if not isinstance(body_without_docstring(a)[0], ast.Expr)]
    assert compound == [], f"actions whose one statement is not a call: {compound}"


def test_the_readers_helpers_are_plain_objects_with_no_actions() -> None:
    for module in HELPERS:
        found = classes(module)
        assert found, f"{module} defines its class"
        for name, cls in found.items():
            assert cls.bases == [], f"{module}.{name} inherits {[ast.unparse(b) for b in cls.bases]}"
            actions = [n.name for n in cls.body if isinstance(n, ast.FunctionDef) and n.name.startswith("action_")]
            assert actions == [], f"{module}.{name} defines actions (a mixin's): {actions}"
        assert ast.get_docstring(ast.parse((SCREENS / f"{module}.py").read_text(encoding="utf-8"))), module


def test_every_binding_of_the_reader_has_its_action_on_the_screen() -> None:
    from tui.screens.reader import ReaderScreen

    for binding in ReaderScreen.BINDINGS:
        name = binding.action.split("(", 1)[0]
        assert f"action_{name}" in vars(ReaderScreen), f"{binding.id}: action_{name} is not the reader's own"
