"""Help → Keyboard shortcuts (F1): every key the console answers to.

The menu shortcuts are read from the main window itself (each ``QAction``
with a shortcut, grouped by its menu), so the list never drifts from the
menus; the keys that widgets handle themselves (the vote grid, the tally,
the projector, tables) are listed from :data:`FIXED_KEYS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import N_, NC_, _, pgettext


@dataclass(frozen=True)
class Shortcut:
    """One line of the list: where it applies, what it does, which keys."""

    group: str
    action: str
    keys: str


#: Keys handled inside widgets (not menu actions), by where they apply.
#: A key's name on the keyboard ("Delete" is the German key "Entf", not the verb).
FIXED_KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (N_("Vote grid (per person)"), (
        (N_("Record the answer and move to the next person"), "1 – 5"),
        (N_("Don't know"), NC_("key", "0 or ?")),
        (N_("Clear the answer"), NC_("key", "Delete, Backspace")),
        (N_("Move between people and statements"), NC_("key", "Arrow keys, Tab")),
    )),
    (N_("Show-of-hands tally"), (
        (N_("Hands for a level"), NC_("key", "Digits")),
        (N_("Next level"), NC_("key", "Tab")),
        (N_("Record the tally and go to the next statement"), NC_("key", "Enter")),
    )),
    (N_("Projector window"), (
        (N_("Full screen on / off"), "F5"),
        (N_("Leave full screen"), NC_("key", "Esc")),
        (N_("Blank the screen (again: back)"), NC_("key", "B or .")),
        (N_("Freeze the screen (again: live)"), "F"),
        (N_("Light / dark theme"), "T"),
    )),
    (N_("Start screen"), (
        (N_("Open the selected workshop"), NC_("key", "Enter")),
        (N_("Move the selected workshop to the trash"), NC_("key", "Delete")),
    )),
    (N_("Set-up"), (
        (N_("Add the typed participant"), NC_("key", "Enter (in the name box)")),
        (N_("Rename a participant in place"), NC_("key", "F2 or start typing")),
        (N_("Remove the selected participants"), NC_("key", "Delete")),
    )),
    (N_("Intro: earlier actions"), (
        (N_("Mark the selected action done"), "D"),
        (N_("Carry the selected action over"), "C"),
        (N_("Leave it undecided"), "U"),
        (N_("Go to the selected agenda step"), NC_("key", "Enter")),
    )),
    (N_("Action items"), (
        (N_("Add an action"), "Ctrl+Enter"),
        (N_("Edit the selected cell"), NC_("key", "F2 or start typing")),
        (N_("Delete the selected action"), NC_("key", "Delete")),
    )),
    (N_("Everywhere"), (
        (N_("Use a labelled field or button"), NC_("key", "Alt + underlined letter")),
        (N_("Next / previous field"), NC_("key", "Tab, Shift+Tab")),
        (N_("Close a dialog"), NC_("key", "Esc")),
    )),
)


def _plain(text: str) -> str:
    """Menu text without mnemonic ampersands ("&&" is a literal "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _menu_path(action: QAction) -> tuple[str, tuple[int, ...]] | None:
    """("File › Export", sort key) of the menu an action is in, or None."""
    for obj in action.associatedObjects():
        if not isinstance(obj, QMenu):
            continue
        names: list[str] = []
        order: list[int] = []
        menu: QMenu | None = obj
        child: QAction = action
        while menu is not None:
            names.append(_plain(menu.title()))
            actions = menu.actions()
            order.append(actions.index(child) if child in actions else 0)
            child = menu.menuAction()
            holders = child.associatedObjects()
            bar = next((h for h in holders if isinstance(h, QMenuBar)), None)
            if bar is not None:  # a top menu (it may also sit in the bar's overflow menu)
                bar_actions = bar.actions()
                order.append(bar_actions.index(child) if child in bar_actions else 0)
                break
            menu = next((h for h in holders if isinstance(h, QMenu)), None)
        return " › ".join(reversed(names)), tuple(reversed(order))
    return None


def _is_qt_class(widget: QObject) -> bool:
    return type(widget).__module__.startswith("PySide6")


def _widget_group(action: QAction) -> str:
    """A name for where a widget's own action applies ("Pillar screen", "Radar panel").

    Buttons showing the action are skipped for the widget that holds it, and a
    plain Qt widget is named after the nearest of the app's own widgets around it.
    """
    holders = [o for o in action.associatedObjects()
               if isinstance(o, QWidget) and not isinstance(o, (QMenu, QMenuBar, QAbstractButton))]
    for obj in holders:
        widget: QObject | None = obj
        while widget is not None and _is_qt_class(widget):
            widget = widget.parent()
        if widget is None:
            continue
        named = getattr(widget, "shortcut_group", None)
        if isinstance(named, str) and named:
            return _(named)
        words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+", type(widget).__name__)
        text = " ".join(words).capitalize()
        if text:
            return text
    return _("Other")


#: The ``shortcut_text`` property of an action whose menu text changes with the
#: workshop (Undo and Redo name the change): what the list shows instead.
SHORTCUT_TEXT = "shortcut_text"


def _action_text(action: QAction) -> str:
    fixed = action.property(SHORTCUT_TEXT)
    if isinstance(fixed, str) and fixed:
        return fixed
    return _plain(action.text())


def menu_shortcuts(window: QWidget) -> list[Shortcut]:
    """Every ``QAction`` of ``window`` that has a shortcut, grouped by menu.

    Actions a widget carries itself (not in a menu) are grouped by that
    widget's kind, once however many such widgets there are.
    """
    found: list[tuple[tuple[int, ...], Shortcut]] = []
    seen: set[tuple[str, str, str]] = set()
    for action in window.findChildren(QAction):
        sequences = [s for s in action.shortcuts() if not s.isEmpty()]
        if not sequences or not action.associatedObjects():
            continue  # no shortcut, or in no menu or widget (so it cannot fire)
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
        where = _menu_path(action)
        group, order = where if where is not None else (_widget_group(action), (999,))
        shortcut = Shortcut(group, _action_text(action), keys)
        key = (shortcut.group, shortcut.action, shortcut.keys)
        if key in seen:
            continue
        seen.add(key)
        found.append((order, shortcut))
    found.sort(key=lambda pair: pair[0])
    return [s for _order, s in found]


def fixed_shortcuts() -> list[Shortcut]:
    """The keys widgets handle themselves, in the active language."""
    return [Shortcut(_(group), _(action), pgettext("key", keys))
            for group, rows in FIXED_KEYS for action, keys in rows]


class ShortcutsDialog(QDialog):
    """The list of keyboard shortcuts, with a filter box. Esc closes it.

    Args:
        main_window: the window whose menu shortcuts are listed.
    """

    def __init__(self, main_window: QWidget) -> None:
        super().__init__(main_window)
        self.setWindowTitle(_("Keyboard shortcuts — CALMS Workshop"))
        self.resize(680, 640)
        self.shortcuts = menu_shortcuts(main_window) + fixed_shortcuts()

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel(_("&Filter"), self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(_("Type to filter, e.g. undo, timer or Ctrl+T"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(_("Filter shortcuts"))
        label.setBuddy(self.filter_edit)
        row.addWidget(label)
        row.addWidget(self.filter_edit, 1)
        layout.addLayout(row)

        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([_("What"), _("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAccessibleName(_("Keyboard shortcuts"))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)

        self.empty_label = QLabel(_("No shortcut matches the filter."), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._fill()
        self.finished.connect(self.deleteLater)  # opened afresh each time (F1)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.filter_edit.installEventFilter(self)
        self.filter_edit.setFocus()

    def _fill(self) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        bold = self.tree.font()
        bold.setBold(True)
        for s in self.shortcuts:
            parent = groups.get(s.group)
            if parent is None:
                parent = QTreeWidgetItem([s.group, ""])
                parent.setFont(0, bold)
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)
                groups[s.group] = parent
            item = QTreeWidgetItem([s.action, s.keys])
            item.setToolTip(0, s.action)
            parent.addChild(item)
        self.tree.expandAll()

    def apply_filter(self, text: str) -> None:
        """Show only the shortcuts whose group, action or keys contain ``text``."""
        needle = text.strip().casefold()
        any_shown = False
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None  # i < topLevelItemCount()
            group_hit = needle in group.text(0).casefold()
            shown = 0
            for j in range(group.childCount()):
                child = group.child(j)
                assert child is not None  # j < childCount()
                hit = (not needle or group_hit or needle in child.text(0).casefold()
                       or needle in child.text(1).casefold())
                child.setHidden(not hit)
                shown += hit
            group.setHidden(shown == 0)
            any_shown = any_shown or shown > 0
        self.tree.setVisible(any_shown)
        self.empty_label.setVisible(not any_shown)

    def visible_shortcuts(self) -> list[Shortcut]:
        """What the list shows now (after the filter)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None  # i < topLevelItemCount()
            if group.isHidden():
                continue
            for j in range(group.childCount()):
                child = group.child(j)
                assert child is not None  # j < childCount()
                if not child.isHidden():
                    out.append(Shortcut(group.text(0), child.text(0), child.text(1)))
        return out

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the filter box goes into the list.
        if (watched is self.filter_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            self.tree.setFocus()
            if self.tree.currentItem() is None:
                for i in range(self.tree.topLevelItemCount()):
                    group = self.tree.topLevelItem(i)
                    assert group is not None  # i < topLevelItemCount()
                    first = group.child(0)
                    if not group.isHidden() and first is not None:
                        self.tree.setCurrentItem(first)
                        break
            return True
        return super().eventFilter(watched, event)
