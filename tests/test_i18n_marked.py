"""Every user-visible string is marked for translation (an AST scan of the sources).

A literal passed straight to a call that shows text (``setText``, ``QLabel``,
``QMessageBox.warning``, ``Paragraph``, ``c.para``, a screen reader's
``announce``, a table's ``rows.append`` …, or a ``reason=`` handed to a phone),
returned by an operation's ``describe()`` (the Undo menu) or, in ``net/``, by any
function as an f-string, or held in a module constant (``REPORT_NAME``, a table
of reasons), must go through ``_()``, ``ngettext()``, ``pgettext()`` or
``N_()``. Literals without words (``"—"``, ``"1"``,
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
    PACKAGE / "core" / "factory.py",
    # the phone server and what it says (testing.py is the tests' stand-in room)
    *[p for p in sorted((PACKAGE / "net").glob("*.py")) if p.name != "testing.py"],
]
#: Files whose tables and rows stay English on purpose: the CSV is for spreadsheets and
#: scripts, its values are data keys (README, "Exports").
ENGLISH_ON_PURPOSE = ("reports/csv_export.py",)
#: Packages where a function returning an f-string with words is returning text to show.
RETURNS_TEXT = ("net",)
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
    "announce", "append", "Response", "HTTPNotFound", "HTTPForbidden", "Refusal",
    "JoinOutcome", "JoinAnswer", "refused", "QProgressDialog", "_emit", "_box",
}
#: Keyword arguments that carry text to show, whatever the call.
SHOWN_KEYWORDS = ("text", "title", "tip", "reason")
MARKERS = {"_", "ngettext", "pgettext", "N_"}
#: Words shown as they are, on purpose.
ALLOWED = {
    "monospace",  # a font family name
    "CALMS",  # the method's name, not a word to translate
    "CALMS Workshop",  # the product's name
}
#: Module constants that are not text (file patterns, style sheets, names of scripts).
NOT_TEXT_CONSTANTS = {"ERROR_STYLE", "NOTE_STYLE", "_SCRIPTS", "_JOINING", "STATIC_FILES", "F",
                      "ACTUAL_TEXT_SPAN"}
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_TEXT = re.compile(r"((Ctrl|Alt|Shift|Meta)\+)+.*|F\d+|[\w.\-/:#%*]+")
#: A regular expression, not a sentence.
#: A style sheet rule (``QLabel[role="x"] { font-size: …``).
PATTERN = re.compile(r"^\^|\\|[\w\]\"]\s*\{\s*[\w-]+\s*:")


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        literal = node.value
    elif isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return False
    if PATTERN.search(literal):
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
    args += [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS]
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


def _unmarked_in(value: ast.AST) -> list[ast.AST]:
    """The text literals anywhere in ``value`` that no marker call wraps."""
    marked = {id(n) for c in ast.walk(value) if isinstance(c, ast.Call)
              and _name(c) in MARKERS | {"Nn_"} for n in ast.walk(c)}
    return [n for n in ast.walk(value) if id(n) not in marked
            and isinstance(n, (ast.Constant, ast.JoinedStr)) and _is_text(n)]


def _constant_name(node: ast.stmt) -> str | None:
    target = (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1
              else node.target if isinstance(node, ast.AnnAssign) else None)
    if isinstance(target, ast.Name) and target.id.lstrip("_").isupper():
        return target.id
    return None


def unmarked(source: str, name: str) -> list[str]:
    """``name:line: text`` for each user-visible literal of ``source`` not marked."""
    tree = ast.parse(source)
    found = []
    strict = not name.endswith(ENGLISH_ON_PURPOSE)
    for stmt in tree.body if strict else ():  # module constants: REPORT_NAME, reasons
        constant = _constant_name(stmt)
        value = getattr(stmt, "value", None)
        if constant and constant not in NOT_TEXT_CONSTANTS and value is not None:
            found += _unmarked_in(value)
    returns_text = name.split("/")[1:2] == ["net"] or name.startswith(RETURNS_TEXT)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and _name(node) in SHOWS_TEXT
                and (strict or _name(node) != "append")):
            found += [a for a in _shown_args(node) if _is_text(a)]
        if (returns_text and isinstance(node, ast.Return)
                and isinstance(node.value, ast.JoinedStr) and _is_text(node.value)):
            found.append(node.value)
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
              'class Op:\n    def describe(self, ws):\n        return "a vote"\n'
              'REPORT_NAME = "CALMS report"\nMARKED = N_("CALMS report")\n'
              'self.announce("Vote saved")\nrows.append(("Spread", f"{x}"))\n'
              'JoinOutcome(code="x", reason="not on the list")\n'
              'STYLE_FILE = "fonts/*.ttf"\n')
    found = unmarked(source, "probe.py")
    assert sorted(int(line.split(":")[1]) for line in found) == [1, 4, 4, 5, 8, 9, 11, 12, 13]


def test_the_scan_finds_text_returned_by_the_phone_server():
    source = 'def join_text(url):\n    return f"Open {url} on your phone"\n'
    assert unmarked(source, "calms_desktop/net/addresses.py")
    assert not unmarked(source, "calms_desktop/core/model.py")
