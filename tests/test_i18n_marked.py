"""Every user-visible string is marked for translation (an AST scan of the sources).

A literal passed straight to a call that shows text (``setText``, ``QLabel``,
``QMessageBox.warning``, ``Paragraph``, ``c.para``, a screen reader's
``announce``, a table's ``rows.append`` …, or a ``reason=`` handed to a phone),
returned by an operation's ``describe()`` (the Undo menu) or, in ``net/``, by any
function as an f-string, held in a module constant (``REPORT_NAME``, a table
of reasons), or handed to an exception the facilitator reads (any subclass of
``CalmsError``, anywhere in the package: a refused file, a refused change), must
go through ``_()``, ``ngettext()``, ``pgettext()`` or ``N_()``. Literals without
words (``"—"``, ``"1"``, ``"Ctrl+E"``, ``"<b>{x}</b>"``) are not text; the few words that are not
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
    "getOpenFileName", "getOpenFileNames", "getExistingDirectory", "getText", "_action",
    "_shortcut",
    "Paragraph", "para", "user", "confirm", "emit",
    "set_ylabel", "set_xlabel", "set_label", "set_title", "text", "legend", "addRow",
    "announce", "append", "Response", "HTTPNotFound", "HTTPForbidden", "Refusal",
    "JoinOutcome", "JoinAnswer", "refused", "QProgressDialog", "_emit", "_box",
    "__init__", "QMenu", "add_row", "_fail", "set_text", "open_file",
    "save_file",
}
#: A call whose name starts so shows what it is given (``_show_questionnaire_error``).
SHOWS_TEXT_PREFIXES = ("show_", "_show_")
#: Class attributes that hold text a view shows (a screen's window title, a shortcut group).
SHOWN_ATTRIBUTES = {"title", "shortcut_group", "label", "heading", "description"}
#: Keyword arguments that carry text to show, whatever the call.
SHOWN_KEYWORDS = ("text", "title", "tip", "reason")
MARKERS = {"_", "ngettext", "pgettext", "N_", "NC_"}
#: Words shown as they are, on purpose.
ALLOWED = {
    "monospace",  # a font family name
    "CALMS",  # the method's name, not a word to translate
    "CALMS Workshop",  # the product's name
    "Python · Qt · PySide6",  # About: names and version numbers
}
#: Module constants that are not text (file patterns, style sheets, names of scripts).
NOT_TEXT_CONSTANTS = {"ERROR_STYLE", "NOTE_STYLE", "_SCRIPTS", "_JOINING", "STATIC_FILES", "F",
                      "ACTUAL_TEXT_SPAN"}
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_TEXT = re.compile(r"((Ctrl|Alt|Shift|Meta)\+)+.*|F\d+|[\w.\-/:#%*]+")
#: A regular expression, not a sentence.
#: A style sheet rule (``QLabel[role="x"] { font-size: …``).
#: A PDF content-stream operator (``/Span <</ActualText <FEFF…>>> BDC``).
#: Markup attributes (``name="{font}" size="{size}"``).
PATTERN = re.compile(r"^\^|\\|[\w\]\"]\s*\{\s*[\w-]+\s*:|^/\w+ <<|^\s*\w+=\"")


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        literal = node.value
    elif isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return False
    if PATTERN.search(literal):
        return False
    if literal.startswith("\t"):  # a menu entry's key ("\tEsc")
        return False
    bare = " ".join(re.sub(r"<[^>]*>|\{[^}]*\}|&\w+;", " ", literal).split())
    if not WORD.search(bare) or bare in ALLOWED:
        return False
    return not NOT_TEXT.fullmatch(bare) or bool(re.fullmatch(r"&?[A-Z][a-z]+…?", bare))


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _shows(call: ast.Call) -> bool:
    """Whether ``call`` shows the text it is given."""
    name = _name(call) or ""
    return name in SHOWS_TEXT or name.startswith(SHOWS_TEXT_PREFIXES)


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
    parts = {id(v) for j in ast.walk(value) if isinstance(j, ast.JoinedStr) for v in j.values}
    return [n for n in ast.walk(value) if id(n) not in marked and id(n) not in parts
            and isinstance(n, (ast.Constant, ast.JoinedStr)) and _is_text(n)]


def _constant_name(node: ast.stmt) -> str | None:
    target = (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1
              else node.target if isinstance(node, ast.AnnAssign) else None)
    if isinstance(target, ast.Name) and target.id.lstrip("_").isupper():
        return target.id
    return None


def _assigned(scope: ast.AST) -> dict[str, list[ast.AST]]:
    """Each name in ``scope`` bound to text: ``x = "…"``, ``x += "…"``, ``for x in ("…", …)``."""
    held: dict[str, list[ast.AST]] = {}
    for node in ast.walk(scope):
        targets: list[ast.AST] = []
        value: ast.AST | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, (ast.For, ast.comprehension)):
            targets, value = [node.target], node.iter
        if value is None:
            continue
        literals = _unmarked_in(value)
        for target in targets:
            for n in ast.walk(target):
                if isinstance(n, ast.Name) and literals:
                    held.setdefault(n.id, []).extend(literals)
    return held


def _returned(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """Each function of the module by name, with the text literals it returns."""
    out: dict[str, list[ast.AST]] = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        held = _assigned(fn)
        for r in ast.walk(fn):
            if isinstance(r, ast.Return) and r.value is not None:
                out.setdefault(fn.name, []).extend(_flowing(r.value, held, {}))
    return out


def _flowing(value: ast.AST, held: dict[str, list[ast.AST]],
             returned: dict[str, list[ast.AST]]) -> list[ast.AST]:
    """Unmarked text in ``value``: its literals, the names bound to text, the calls returning it."""
    marked = {id(n) for c in ast.walk(value) if isinstance(c, ast.Call)
              and _name(c) in MARKERS | {"Nn_"} for n in ast.walk(c)}
    found = _unmarked_in(value)
    for n in ast.walk(value):
        if id(n) in marked:
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            found += held.get(n.id, [])
        elif isinstance(n, ast.Call) and not _shows(n):
            found += returned.get(_name(n) or "", [])
    return found


def unmarked(source: str, name: str) -> list[str]:
    """``name:line: text`` for each user-visible literal of ``source`` not marked."""
    tree = ast.parse(source)
    found: list[ast.AST] = []
    strict = not name.endswith(ENGLISH_ON_PURPOSE)
    for stmt in tree.body if strict else ():  # module constants: REPORT_NAME, reasons
        constant = _constant_name(stmt)
        value = getattr(stmt, "value", None)
        if constant and constant not in NOT_TEXT_CONSTANTS and value is not None:
            found += _unmarked_in(value)
    returns_text = name.split("/")[1:2] == ["net"] or name.startswith(RETURNS_TEXT)
    returned = _returned(tree) if strict else {}
    scopes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    held_in: dict[int, dict[str, list[ast.AST]]] = {}
    for fn in scopes:  # outer functions first: a nested one's names win inside it
        held = _assigned(fn)
        held_in.update((id(n), held) for n in ast.walk(fn))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and _shows(node)
                and (strict or _name(node) != "append")):
            held = held_in.get(id(node), {}) if strict else {}
            for a in _shown_args(node):
                found += _flowing(a, held, returned) if strict else [a] if _is_text(a) else []
        if (returns_text and isinstance(node, ast.Return)
                and isinstance(node.value, ast.JoinedStr) and _is_text(node.value)):
            found.append(node.value)
        if isinstance(node, ast.FunctionDef) and node.name == "describe":
            found += [r.value for r in ast.walk(node)
                      if isinstance(r, ast.Return) and r.value is not None
                      and _is_text(r.value)]
        if isinstance(node, ast.ClassDef) and strict:  # title = "Library"
            for stmt in node.body:
                target = (stmt.targets[0] if isinstance(stmt, ast.Assign)
                          else stmt.target if isinstance(stmt, ast.AnnAssign) else None)
                if (isinstance(target, ast.Name) and target.id in SHOWN_ATTRIBUTES
                        and getattr(stmt, "value", None) is not None):
                    found += _unmarked_in(stmt.value)  # type: ignore[union-attr]
    seen: set[int] = set()
    unique = [n for n in found if not (id(n) in seen or seen.add(id(n)))]
    unique.sort(key=lambda n: n.lineno)
    return [f"{name}:{n.lineno}: {ast.unparse(n)[:70]}" for n in unique]


#: The base of every exception whose message a facilitator reads.
ERROR_BASE = "CalmsError"
#: Arguments of an error that are not its message: a JSON path (``$.votes[3].score``)
#: and the file it came from, by position and by keyword.
NOT_MESSAGE = {"ValidationError": (0, 2), "DeployLogError": (0,)}
NOT_MESSAGE_KEYWORDS = ("where", "source")
#: Files where an error's English text is on purpose (the tests' stand-in room).
ERRORS_SCANNED = [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).as_posix()
                  != "net/testing.py"]


def _base_name(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def error_classes(sources: list[str]) -> set[str]:
    """``CalmsError`` and every class that derives from it, however deep, in ``sources``."""
    bases = {c.name: {_base_name(b) for b in c.bases} for s in sources
             for c in ast.walk(ast.parse(s)) if isinstance(c, ast.ClassDef)}
    found = {ERROR_BASE}
    while True:
        more = {name for name, of in bases.items() if of & found} - found
        if not more:
            return found
        found |= more


def unmarked_errors(source: str, name: str, classes: set[str]) -> list[str]:
    """``name:line: text`` for each unmarked literal handed to one of the error ``classes``."""
    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        error = _name(node) if isinstance(node, ast.Call) else None
        if error not in classes:
            continue
        assert isinstance(node, ast.Call)
        skipped = NOT_MESSAGE.get(error, ())
        args = [a for i, a in enumerate(node.args) if i not in skipped]
        args += [k.value for k in node.keywords if k.arg not in NOT_MESSAGE_KEYWORDS]
        for arg in args:
            texts = _unmarked_in(arg)
            # an f-string's literal parts are reported with the f-string, not again
            parts = {id(v) for t in texts if isinstance(t, ast.JoinedStr) for v in t.values}
            found += [t for t in texts if id(t) not in parts]
    return [f"{name}:{n.lineno}: {ast.unparse(n)[:70]}" for n in found]


def test_every_error_message_is_marked_for_translation():
    sources = {str(p.relative_to(PACKAGE.parent)): p.read_text(encoding="utf-8")
               for p in ERRORS_SCANNED}
    classes = error_classes(list(sources.values()))
    assert {"ValidationError", "OperationError", "RoomError", "NotFound",
            "LibraryLocked"} <= classes
    problems = [p for name, text in sources.items()
                for p in unmarked_errors(text, name, classes)]
    assert not problems, "error message not marked for translation:\n" + "\n".join(problems)


def test_the_scan_finds_an_unmarked_error_message():
    probe = [
        "class Base(CalmsError): ...",
        "class Deeper(errors.Base): ...",  # a subclass of a subclass, named through a module
        'raise Deeper("the room is full")',  # 3: found
        'raise ValidationError("$.votes[3].score", "a score must be 1–5")',  # 4: the problem
        'raise ValidationError("$.votes[3].score", _("a score must be 1–5"), path)',
        'raise NotFound(f"no workshop {wid!r}")',  # 6: found once, not once per part
        'raise NotFound(_("no workshop {id!r}").format(id=wid))',
        'raise OperationError(problem="hands must be whole")',  # 8: a keyword
        'raise DeployLogError(source, [(1, "not CSV")])',  # 9: inside its problem list
        'raise ValueError("not one of ours")',
        'raise ValidationError(f"{where}.pillars[{i}].id", _no_statement(sid))',
    ]
    source = "\n".join(probe) + "\n"
    classes = error_classes([source, "class CalmsError(Exception): ...\n"])
    assert {"Base", "Deeper"} <= classes and "ValueError" not in classes
    known = classes | {"ValidationError", "NotFound", "OperationError", "DeployLogError"}
    found = unmarked_errors(source, "probe.py", known)
    assert sorted(int(line.split(":")[1]) for line in found) == [3, 4, 6, 8, 9]


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
              'STYLE_FILE = "fonts/*.ttf"\n'
              'tx._code.append(f"/Span <</ActualText <FEFF{h}>>> BDC")\n')
    found = unmarked(source, "probe.py")
    assert sorted(int(line.split(":")[1]) for line in found) == [1, 4, 4, 5, 8, 9, 11, 12, 13]


def test_the_scan_finds_text_returned_by_the_phone_server():
    source = 'def join_text(url):\n    return f"Open {url} on your phone"\n'
    assert unmarked(source, "calms_desktop/net/addresses.py")
    assert not unmarked(source, "calms_desktop/core/model.py")


def test_the_scan_follows_text_through_names_classes_and_loops():
    # Each kind the breaking pass found: a literal shown through a variable, through
    # super().__init__, a class attribute, addRow, a loop over tuples fed to QAction, a
    # helper returning text, a matplotlib set_text, a _show_… call and a file dialog.
    source = (
        'def hint(label, n):\n'
        '    text = f"{n} workshops on the radar."\n'            # 2
        '    label.setText(text)\n'
        'class Menu(QMenu):\n'
        '    title = "Team progress"\n'                          # 5
        '    shortcut_group = N_("Radar panel")\n'
        '    def __init__(self, parent):\n'
        '        super().__init__("Projector s&creen", parent)\n'  # 8
        '        form.addRow("Logo", edit)\n'                    # 9
        '        for text, slot in (("Full screen\\tF5", f), (_("Blank"), g)):\n'  # 10
        '            QAction(text, self)\n'
        'def screen_label(i):\n'
        '    return "Automatic (the second one)"\n'              # 13
        'def rebuild(self):\n'
        '    QAction(screen_label(1), self)\n'
        '    self._message.set_text("No workshops yet")\n'       # 16
        '    self._show_questionnaire_error("Not changed: " + x)\n'  # 17
        '    self.open_file(self, "Load a questionnaire", "", "Files (*.json)")\n'  # 18
        '    name = "quiet"\n'
        '    log(name, "Not shown at all")\n'
    )
    found = unmarked(source, "probe.py")
    assert sorted(int(line.split(":")[1]) for line in found) == [2, 5, 8, 9, 10, 13, 16, 17,
                                                                  18, 18]
