"""Every user-visible string is marked for translation (an AST scan of the sources).

A literal passed straight to a call that shows text (``setText``, ``QLabel``,
``QMessageBox.warning``, ``Paragraph``, ``c.para`` …), or returned by an
operation's ``describe()`` (the Undo menu), must go through ``_()``,
``ngettext()`` or ``pgettext()``. Literals without words (``"—"``, ``"1"``,
``"Ctrl+E"``, ``"<b>{x}</b>"``) are not text; the few words that are not
translated on purpose are in :data:`ALLOWED`, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "calms_desktop"
SCANNED = [
    *sorted((PACKAGE / "gui").rglob("*.py")),
    PACKAGE / "room" / "presentation.py",
    *sorted((PACKAGE / "reports").glob("*.py")),
    *sorted((PACKAGE / "charts").glob("*.py")),
    PACKAGE / "core" / "operations.py",
    PACKAGE / "core" / "scoring.py",
    PACKAGE / "core" / "privacy.py",
    PACKAGE / "core" / "participants.py",
]
SHOWS_TEXT = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setPlaceholderText", "setTitle",
    "setWhatsThis", "setAccessibleName", "setAccessibleDescription", "setLabelText",
    "setInformativeText", "setDetailedText", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setTabText", "setItemText", "setSuffix", "setPrefix", "setSpecialValueText",
    "addMenu", "addAction", "addTab", "addItem", "addButton", "showMessage", "show_message",
    "show_notice", "QAction", "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox",
    "QToolButton", "QDockWidget", "QListWidgetItem", "QTreeWidgetItem", "QTableWidgetItem",
    "information", "warning", "critical", "question", "about", "getSaveFileName",
    "getOpenFileName", "getExistingDirectory", "getText", "_action", "_shortcut",
    "Paragraph", "para", "user", "confirm", "emit",
    "set_ylabel", "set_xlabel", "set_label", "set_title", "text", "legend", "addRow",
}
MARKERS = {"_", "ngettext", "pgettext", "N_"}
#: Words shown as they are, on purpose.
ALLOWED = {
    "monospace",  # a font family name
    "CALMS",  # the method's name, not a word to translate
}
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_TEXT = re.compile(r"((Ctrl|Alt|Shift|Meta)\+)+.*|F\d+|[\w.\-/:#%]+")


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        literal = node.value
    elif isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return False
    bare = re.sub(r"<[^>]*>|\{[^}]*\}|&\w+;", " ", literal).strip()
    if not WORD.search(bare) or bare in ALLOWED:
        return False
    return not NOT_TEXT.fullmatch(bare) or bool(re.fullmatch(r"&?[A-Z][a-z]+…?", bare))


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _shown_args(call: ast.Call) -> list[ast.AST]:
    args: list[ast.AST] = list(call.args if _name(call) not in ("_action", "_shortcut")
                               else call.args[:2])
    args += [k.value for k in call.keywords if k.arg in ("text", "title", "tip")]
    out: list[ast.AST] = []
    for a in args:
        if isinstance(a, (ast.List, ast.Tuple)):
            out += a.elts
        elif isinstance(a, ast.BinOp) and isinstance(a.op, ast.Add):
            out += [a.left, a.right]
        elif isinstance(a, ast.IfExp):
            out += [a.body, a.orelse]
        else:
            out.append(a)
    return out


def unmarked(source: str, name: str) -> list[str]:
    """``name:line: text`` for each user-visible literal of ``source`` not marked."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in SHOWS_TEXT:
            found += [a for a in _shown_args(node) if _is_text(a)]
        if isinstance(node, ast.FunctionDef) and node.name == "describe":
            found += [r.value for r in ast.walk(node)
                      if isinstance(r, ast.Return) and r.value is not None
                      and _is_text(r.value)]
    return [f"{name}:{n.lineno}: {ast.unparse(n)[:70]}" for n in found]


def test_every_user_visible_string_is_marked_for_translation():
    problems = [p for path in SCANNED
                for p in unmarked(path.read_text(encoding="utf-8"),
                                  str(path.relative_to(PACKAGE.parent)))]
    assert not problems, "not marked for translation (wrap in _()):\n" + "\n".join(problems)


def test_the_scan_finds_an_unmarked_string():
    # The scan itself works: bare literals are caught; marked ones and non-words are not.
    source = ('label.setText("Hello there")\nlabel.setText(_("Hello there"))\n'
              'label.setText("—")\nbox.warning(w, "Careful", f"{n} items left")\n'
              'self._action(m, "&Quit", "Ctrl+Q", quit)\n'
              'class Op:\n    def describe(self, ws):\n        return "a vote"\n')
    found = unmarked(source, "probe.py")
    assert [line.split(":")[1] for line in found] == ["1", "4", "4", "5", "8"]
