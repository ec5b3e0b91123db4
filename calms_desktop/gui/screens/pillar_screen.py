"""A pillar of the workshop: explain, vote, reveal, discuss, note, act.

The layout comes from ``resources/ui/pillar_screen.ui``; this module fills it with the
pillar's questionnaire section and the vote-entry, results, notes and
actions widgets, and keeps them in step with the controller.

Keyboard:
    Ctrl+R reveal the results · Ctrl+D mark the pillar done (or reopen it) ·
    Ctrl+M switch between the per-person grid and the show-of-hands tally ·
    in the grid: 1–5, 0/? don't know, Delete clears, arrows/Tab move ·
    in the tally: digits, Tab, Enter records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...charts import style as st
from ...core import privacy
from ...core.ballots import parse_answer
from ...core.i18n import N_, _, ngettext
from ...core.model import Pillar, PillarSection, PillarState
from ...core.scoring import StatementScore, fmt, level_of
from ...room import presentation
from ...room.changes import PillarStateChanged, TallyChanged, VotesChanged
from ...room.live import GRID, TALLY, EntryModeChanged
from ..accessibility import Announcer
from ..form_types import PillarScreenForm
from ..forms import load_form
from ..settings import Settings
from ..widgets.actions_table import ActionsTable
from ..widgets.metrics_panel import MetricsPanel
from ..widgets.notes_edit import NotesEdit
from ..widgets.results_view import ResultsView, consensus_flag, set_text
from ..widgets.tally_editor import TallyEditor
from ..widgets.vote_grid import VoteGrid
from .base import Screen, ask, ask_live

if TYPE_CHECKING:
    from ..commands import WorkshopController

VOTES_TAB, RESULTS_TAB = 0, 1

#: keys of the vote grid besides the answers themselves (taken from the projector too)
_GRID_KEYS = frozenset({Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Up, Qt.Key.Key_Down,
                        Qt.Key.Key_Left, Qt.Key.Key_Right})

STATE_TEXT = {
    PillarState.NOT_STARTED: (N_("Not started"), ""),
    PillarState.VOTING: (N_("◐ Voting"), st.BLUE),
    PillarState.REVEALED: (N_("● Results revealed"), "#a65f00"),
    PillarState.DONE: (N_("✓ Done"), "#00795a"),
}


class PillarScreen(Screen):
    """The room's work on one pillar.

    Attributes:
        shortcut_group: how Help → Keyboard shortcuts names this screen's keys.

    Args:
        controller: the :class:`~calms_desktop.gui.commands.WorkshopController`.
        pillar: the pillar this screen shows.
        settings: the app settings.
        parent: the owning widget (the main window).
        notes_idle_ms: commit notes after this many ms without typing
            (0 turns it off, for tests).
    """

    shortcut_group = N_("Pillar steps")
    # The attribute hides the method QWidget.actions().
    actions: ActionsTable  # type: ignore[assignment]

    def __init__(self, controller: WorkshopController, pillar: Pillar, settings: Settings,
                 parent: QWidget | None = None, notes_idle_ms: int | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pillar = pillar
        self.settings = settings
        self.title = pillar.title
        self.setObjectName(f"pillarScreen_{pillar.value}")
        self.ui = load_form("pillar_screen", self, PillarScreenForm)
        self._statement = ""  # the statement this screen shows (kept when the room is elsewhere)
        self._stale = False
        self._shown_state: PillarState | None = None
        self._level_labels: list[tuple[QLabel, QLabel]] = []
        #: says "7 of 12 voted on C1" to a screen reader as votes arrive
        self.announcer = Announcer(self)
        #: (statement, votes, hands) at the last status update, to announce only changes
        self._counted: tuple[str, int, int] | None = None

        ui = self.ui
        font = QFont(ui.titleLabel.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        ui.titleLabel.setFont(font)
        small = QFont(ui.explanationLabel.font())
        ui.explanationLabel.setFont(small)
        for heading in (ui.statementsHeading, ui.levelsHeading, ui.notesHeading):
            f = QFont(heading.font())
            f.setBold(True)
            heading.setFont(f)

        # -- widgets made in code (they need the controller) ------------------------
        # Each pane has a QVBoxLayout in pillar_screen.ui.
        grid_box, tally_box, results_box, notes_box, actions_box = (
            ui.gridPage.layout(), ui.tallyPage.layout(), ui.resultsPage.layout(),
            ui.notesPane.layout(), ui.actionsPane.layout())
        assert isinstance(grid_box, QVBoxLayout) and isinstance(tally_box, QVBoxLayout)
        assert isinstance(results_box, QVBoxLayout) and isinstance(notes_box, QVBoxLayout)
        assert isinstance(actions_box, QVBoxLayout)
        self.grid = VoteGrid(controller, pillar, ui.gridPage)
        grid_box.addWidget(self.grid)
        #: why a typed answer was not taken, under the grid where the facilitator looks
        self.grid_refusal = QLabel(ui.gridPage)
        self.grid_refusal.setObjectName("gridRefusal")
        self.grid_refusal.setWordWrap(True)
        self.grid_refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.grid_refusal.setStyleSheet("color: #b00020; font-weight: bold;")
        self.grid_refusal.hide()
        grid_box.addWidget(self.grid_refusal)
        self.grid.refused.connect(self._grid_refused)
        self.tally = TallyEditor(controller, pillar, ui.tallyPage)
        tally_box.addWidget(self.tally)
        self.results = ResultsView(ui.resultsPage)
        results_box.addWidget(self.results)
        kwargs = {} if notes_idle_ms is None else {"idle_ms": notes_idle_ms}
        self.notes = NotesEdit(controller, pillar.value, ui.notesPane, **kwargs)
        notes_box.addWidget(self.notes, 1)
        ui.notesHeading.setBuddy(self.notes)
        self.actions = ActionsTable(controller, pillar, ui.actionsPane,
                                    title=_(
                                        "Actions for {title}").format(
                                        title=pillar.title), shortcut_scope=self)
        actions_box.addWidget(self.actions)
        self.metrics: MetricsPanel | None = None
        if pillar == Pillar.MEASUREMENT:  # the team's delivery metrics, beside the votes
            self.metrics = MetricsPanel(controller, ui.entryTabs)
            ui.entryTabs.addTab(self.metrics, _("Delivery metrics"))
        self._build_levels()
        ui.levelsScroll.verticalScrollBar().rangeChanged.connect(self._levels_overflow)

        # -- actions with shortcuts (only while this screen is shown) -------------------
        self.reveal_action = self._shortcut(_("Reveal results"), "Ctrl+R", self.reveal)
        self.done_action = self._shortcut(_("Mark pillar done"), "Ctrl+D", self.toggle_done)
        self.mode_action = self._shortcut(_("Switch vote entry: grid / show-of-hands tally"),
                                          "Ctrl+M", self.toggle_mode)
        ui.revealButton.clicked.connect(self.reveal)
        ui.doneButton.clicked.connect(self.toggle_done)
        ui.gridModeButton.clicked.connect(lambda: self.set_mode(GRID))
        ui.tallyModeButton.clicked.connect(lambda: self.set_mode(TALLY))

        # -- statement selection ---------------------------------------------------------
        ui.statementList.currentRowChanged.connect(self._list_moved)
        self.grid.statement_selected.connect(self._select)
        self.tally.advance_requested.connect(self._tally_advanced)
        self.results.statement_activated.connect(self._result_activated)

        # -- layout and tab order ----------------------------------------------------------
        ui.mainSplitter.setStretchFactor(0, 3)
        ui.mainSplitter.setStretchFactor(1, 2)
        ui.topSplitter.setStretchFactor(0, 2)
        ui.topSplitter.setStretchFactor(1, 3)
        ui.bottomSplitter.setStretchFactor(0, 2)
        ui.bottomSplitter.setStretchFactor(1, 3)
        ui.mainSplitter.setSizes([470, 150])
        ui.topSplitter.setSizes([440, 560])
        ui.bottomSplitter.setSizes([380, 620])
        ui.statementList.setMinimumWidth(220)
        ui.entryTabs.setMinimumWidth(320)
        ui.explanationLabel.setSizePolicy(QSizePolicy.Policy.Ignored,
                                          QSizePolicy.Policy.Preferred)
        order = [ui.gridModeButton, ui.tallyModeButton, ui.revealButton, ui.doneButton,
                 ui.statementList, ui.entryTabs, self.grid, *self.tally.spins.values(),
                 self.tally.record_button, self.notes,
                 self.actions.add_button, self.actions.delete_button, self.actions.view]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)

        controller.participants_changed.connect(self._full_change)
        controller.fields_changed.connect(self._full_change)
        controller.pillar_state_changed.connect(self._state_change)
        controller.votes_changed.connect(self._answers_change)
        controller.tally_changed.connect(self._answers_change)
        controller.entry_mode_changed.connect(self._mode_changed)
        controller.statement_changed.connect(self._statement_changed)
        if pillar == Pillar.MEASUREMENT:  # a split metric estimate is listed with the results
            controller.metrics_changed.connect(self._metrics_change)
        #: asks (title, text) -> bool before revealing or finishing with answers missing
        self.confirm: Callable[[str, str], bool] = self._ask
        self.load()

    def _ask(self, title: str, text: str) -> bool:
        return ask(self, title, text)

    def _confirm_missing(self, title: str, question: str) -> bool:
        """Ask before going on with answers missing (True at once when none are).

        ``question`` has a ``{text}`` for what is missing. While the question is
        open, phones go on voting: the default dialog keeps its count live, and says
        so when the last answer arrives (so the facilitator never confirms a stale
        number).
        """
        def text() -> str:
            missing = presentation.missing_answers(self.controller.workshop, self.pillar)
            return question.format(text=missing.text) if missing else ""

        first = text()
        if not first:
            return True
        if self.confirm != self._ask:  # a caller's own question (tests, embedding)
            return self.confirm(title, first)
        everyone = _("Every answer is in now.")
        return ask_live(self, title, first, lambda: text() or everyone,
                        (self.controller.votes_changed, self.controller.tally_changed))

    def take_forwarded_key(self, event: QKeyEvent) -> bool:
        """The screen's shortcuts, and the vote-entry keys when the grid is shown.

        A digit (or ``?``), Delete, Backspace or an arrow pressed on the
        projector goes to the grid as if typed there: the facilitator who
        clicked the projector can go on reading out a column.
        """
        if super().take_forwarded_key(event):
            return True
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not self.grid.isVisible() or mods not in (Qt.KeyboardModifier.NoModifier,
                                                     Qt.KeyboardModifier.ShiftModifier):
            return False
        entry = event.key() in _GRID_KEYS or (
            bool(event.text()) and parse_answer(event.text()) is not None)
        if not entry:
            return False
        copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
        QApplication.sendEvent(self.grid, copy)
        return True

    def _grid_refused(self, text: str) -> None:
        """Show (or, once an answer is taken, hide) why the grid refused a typed answer."""
        self.grid_refusal.setText(text)
        self.grid_refusal.setVisible(bool(text))
        if text:
            self.announcer.announce(text)

    # -- helpers -------------------------------------------------------------------------
    def _shortcut(self, text: str, keys: str, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        # Window-wide, but a hidden screen (another step) does not react.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    @property
    def section(self) -> PillarSection:
        return self.controller.shown_workshop().questionnaire.section(self.pillar)

    @property
    def state(self) -> PillarState:
        return self.controller.workshop.pillar_states.get(self.pillar, PillarState.NOT_STARTED)

    @property
    def revealed(self) -> bool:
        return self.state in (PillarState.REVEALED, PillarState.DONE)

    def _code(self, index: int) -> str:
        """The statement's code, as on the projector, in the PDF and the CSV ("C2")."""
        codes = self.controller.shown_workshop().questionnaire.codes(self.pillar)
        return codes[index] if 0 <= index < len(codes) else ""

    def _statement_ids(self) -> list[str]:
        return [s.id for s in self.section.statements]

    @property
    def current_statement_id(self) -> str:
        return self._statement

    @property
    def mode(self) -> str:
        """How votes are entered on this pillar (the room's, per pillar; never carried over)."""
        return self.controller.entry_mode(self.pillar)

    # -- Screen interface ------------------------------------------------------------------
    def load(self) -> None:
        """Redraw everything from the model."""
        self._stale = False
        sec = self.section
        ids = self._statement_ids()
        if self.controller.statement_id in ids:
            self._statement = self.controller.statement_id
        elif self._statement not in ids:
            self._statement = ids[0] if ids else ""
        if self.controller.step == self.pillar.value and self.controller.statement_id not in ids:
            self.controller.set_statement(self._statement)
        self.ui.titleLabel.setText(sec.name)
        self.ui.explanationLabel.setText(sec.explanation)
        self.ui.explanationLabel.setToolTip(sec.explanation)
        self._build_levels()
        self._fill_statements()
        self.notes.load()
        self.actions.load()
        self.grid.set_statement(self._statement)
        self.tally.set_statement(self._statement)
        self._apply_mode()
        self._update_state()
        self._update_statement()

    def validate(self) -> list[str]:
        return []

    def commit(self) -> bool:
        """Record what is typed but not yet committed (notes, tally, an open action cell)."""
        self.actions.view.commit_editor()
        ok = self.notes.commit()
        return self.tally.commit() and ok

    def focus_first(self) -> None:
        """Vote entry before the reveal; the most disputed statement after it."""
        if self.ui.entryTabs.currentIndex() == RESULTS_TAB:
            self.results.focus_first()
        elif self.mode == TALLY:
            self.tally.focus_first()
        else:
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()
        QTimer.singleShot(0, self._fit_levels)  # sizes are final once shown

    # -- statements -------------------------------------------------------------------------
    def _fill_statements(self) -> None:
        lst = self.ui.statementList
        lst.blockSignals(True)
        try:
            statements = self.section.statements
            if lst.count() != len(statements):
                lst.clear()
                for _unused in statements:
                    lst.addItem(QListWidgetItem())
            for i in range(len(statements)):
                self._update_statement_item(i)
            ids = self._statement_ids()
            if self._statement in ids:
                lst.setCurrentRow(ids.index(self._statement))
        finally:
            lst.blockSignals(False)

    def _update_statement_item(self, i: int) -> None:
        ws = self.controller.workshop
        s = self.section.statements[i]
        item = self.ui.statementList.item(i)
        if item is None:
            return
        voted = len(ws.voters_for(s.id))
        hands = sum(ws.tallies.get(s.id, {}).values())
        status = _("{voted} of {n} voted").format(voted=voted, n=len(ws.participants))
        if hands:
            status += " · " + ngettext("{n} hand", "{n} hands", hands).format(n=hands)
        if self.revealed:
            ss = self._statement_score(s.id)
            if ss is not None:
                if not ss.stats.distribution.total:
                    status = _("no answers")
                elif privacy.can_show(ws, ss):
                    icon, word, _unused = consensus_flag(ss.stats)
                    status = _(
                        "{icon} {word} · mean {value}").format(
                        icon=icon,
                        word=word,
                        value=fmt(ss.stats.mean))
                else:
                    status = _(
                        "⊘ withheld · {total} answers").format(
                        total=ss.stats.distribution.total)
        text = f"{self._code(i)}  {s.text}\n      {status}"
        if item.text() != text:
            item.setText(text)
        if item.data(Qt.ItemDataRole.UserRole) != s.id:
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setToolTip(s.text)

    def _statement_score(self, statement_id: str) -> StatementScore | None:
        ps = self.controller.score().pillars.get(self.pillar)
        if ps is None:
            return None
        return next((ss for ss in ps.statements if ss.statement.id == statement_id), None)

    def _select(self, statement_id: str) -> None:
        """A view picked a statement: the room moves there."""
        if statement_id not in self._statement_ids():
            return
        self._statement = statement_id
        if self.controller.statement_id != statement_id:
            self.controller.set_statement(statement_id)  # comes back via statement_changed
        else:
            self._statement_changed(statement_id)

    def _list_moved(self, row: int) -> None:
        item = self.ui.statementList.item(row)
        if item is not None:
            self._select(item.data(Qt.ItemDataRole.UserRole))

    def _tally_advanced(self, next_id: str) -> None:
        if next_id:
            self._select(next_id)
            self.tally.focus_first()
        else:
            self.ui.voteStatusLabel.setText(
                _("Every statement counted. Reveal the results with Ctrl+R."))
            self.ui.revealButton.setFocus(Qt.FocusReason.OtherFocusReason)

    def _result_activated(self, statement_id: str) -> None:
        self._select(statement_id)

    def _statement_changed(self, statement_id: str) -> None:
        if statement_id not in self._statement_ids():
            return
        self._statement = statement_id
        lst = self.ui.statementList
        row = self._statement_ids().index(statement_id)
        if lst.currentRow() != row:
            lst.blockSignals(True)
            lst.setCurrentRow(row)
            lst.blockSignals(False)
        self.grid.set_statement(statement_id)
        self.tally.set_statement(statement_id)
        self._update_statement()
        if self.revealed and self.isVisible():
            self._show_results()

    def _update_statement(self) -> None:
        """The descriptors and vote count of the current statement."""
        ids = self._statement_ids()
        if self._statement not in ids:
            return
        i = ids.index(self._statement)
        s = self.section.statements[i]
        ws = self.controller.workshop
        room_level = None
        if self.revealed:
            ss = self._statement_score(s.id)
            if ss is not None and privacy.can_show(ws, ss):
                room_level = level_of(ss.stats.mean)
                room_mean = ss.stats.mean
        set_text(self.ui.levelsHeading, _('Levels for {value}').format(value=self._code(i)))
        for level, (_name, text_label) in enumerate(self._level_labels, start=1):
            text = s.descriptor(level)
            if room_level == level:
                text += _('\n← the room: mean {value}').format(value=fmt(room_mean))
            set_text(text_label, text)
            mark = room_level == level
            if text_label.font().bold() != mark:
                f = QFont(text_label.font())
                f.setBold(mark)
                text_label.setFont(f)
        self._fit_levels()
        self._update_vote_status()

    def _fit_levels(self) -> None:
        """All five level descriptors visible without scrolling (the list above gives way).

        The levels box asks for the height its text needs at its width; the
        statement list above it, which scrolls anyway, takes what is left.
        """
        scroll = self.ui.levelsScroll
        host = self.ui.levelsHost
        layout = host.layout()
        # the width it has once it fits (no scroll bar): the box without its frame
        width = scroll.width() - 2 * scroll.frameWidth()
        if layout is None or width <= 0 or not self.isVisible():
            return
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else (
            layout.totalSizeHint().height())
        scroll.setMinimumHeight(min(needed + 2 * scroll.frameWidth() + 6, self._levels_cap()))

    def _levels_cap(self) -> int:
        return max(120, self.ui.statementsPane.height() - 85)

    def _levels_overflow(self, _low: int, high: int) -> None:
        """Still a scroll bar (text wrapped more than estimated): grow by what is hidden."""
        scroll = self.ui.levelsScroll
        if high > 0 and self.isVisible():
            grown = min(scroll.minimumHeight() + high, self._levels_cap())
            if grown > scroll.minimumHeight():
                scroll.setMinimumHeight(grown)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._fit_levels()

    def _update_vote_status(self) -> None:
        ids = self._statement_ids()
        if self._statement not in ids:
            return
        i = ids.index(self._statement)
        ws = self.controller.workshop
        n = len(ws.voters_for(self._statement))
        total = len(ws.participants)
        if self.state == PillarState.DONE:
            text = _(
                "{title} is done; reopen it (Ctrl+D) to change its votes.").format(
                title=self.pillar.title)
        elif self.mode == TALLY:
            text = (_('{value}: count the hands for each level.').format(value=self._code(i))
                    + (_(
                        " ({n} of {total} also voted per person.)").format(
                        n=n,
                        total=total) if n else ""))
        elif not total:
            text = _("No participants yet: add them in Set-up (Ctrl+,).")
        else:
            text = (_(
                "{value}: {n} of {total} voted — type 1–5, 0 or ? for don't know; Delete "
                "clears.").format(
                value=self._code(i),
                n=n,
                total=total))
        set_text(self.ui.voteStatusLabel, text)
        hands = sum(ws.tallies.get(self._statement, {}).values())
        self._announce_count(self._statement, n, hands, total, self._code(i))

    def _announce_count(self, statement: str, n: int, hands: int, total: int,
                        code: str) -> None:
        """Announce a changed count on the shown statement (not a move to another one).

        A count is spoken only when it changes while the screen is shown: a
        vote typed in the grid or arriving from a phone, or hands counted in
        the tally.
        """
        before, self._counted = self._counted, (statement, n, hands)
        if before is None or before[0] != statement or not self.isVisible():
            return
        if before[1] != n:
            self.announcer.announce(
                (_("{n} of {total} voted on {code}: everyone has voted") if total and n == total
                 else _("{n} of {total} voted on {code}")).format(n=n, total=total, code=code))
        elif before[2] != hands:
            self.announcer.announce(
                ngettext("{n} hand counted on {code}", "{n} hands counted on {code}",
                         hands).format(n=hands, code=code))

    def _build_levels(self) -> None:
        if self._level_labels:
            return
        grid = self.ui.levelsHost.layout()
        assert isinstance(grid, QGridLayout)  # levelsGrid in pillar_screen.ui
        for level in range(1, 6):
            name = QLabel(self.ui.levelsHost)
            name.setTextFormat(Qt.TextFormat.PlainText)
            f = QFont(name.font())
            f.setBold(True)
            name.setFont(f)
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text = QLabel(self.ui.levelsHost)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(name, level - 1, 0)
            grid.addWidget(text, level - 1, 1)
            self._level_labels.append((name, text))
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        q = self.controller.shown_workshop().questionnaire
        for level, (name, _text) in enumerate(self._level_labels, start=1):
            name.setText(f"{level} {q.level_name(level)}")

    # -- vote entry mode ------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """Per-person ``"grid"`` or show-of-hands ``"tally"`` for this pillar (resumed too)."""
        if mode not in (GRID, TALLY):
            raise ValueError(mode)
        if mode != self.mode:
            self.tally.commit()
        self.controller.set_entry_mode(self.pillar, mode)
        self._apply_mode()
        self.ui.entryTabs.setCurrentIndex(VOTES_TAB)
        self._update_vote_status()
        self.focus_first()

    def toggle_mode(self) -> None:
        self.set_mode(GRID if self.mode == TALLY else TALLY)

    def _mode_changed(self, change: EntryModeChanged) -> None:
        if change.pillar == self.pillar:
            self._apply_mode()
            self._update_vote_status()

    def _apply_mode(self) -> None:
        tally = self.mode == TALLY
        self.ui.gridModeButton.setChecked(not tally)
        self.ui.tallyModeButton.setChecked(tally)
        self.ui.voteStack.setCurrentWidget(self.ui.tallyPage if tally else self.ui.gridPage)

    # -- reveal and done -----------------------------------------------------------------------
    def reveal(self) -> bool:
        """Reveal this pillar's results (undoable; nothing to confirm)."""
        if self.revealed:
            self.ui.entryTabs.setCurrentIndex(RESULTS_TAB)
            return True
        if not self.tally.commit():
            return False
        if not self._confirm_missing(_("Reveal {title}?").format(title=self.pillar.title),
                                     _("{text}\n\nReveal the results anyway?")):
            return False
        ok = self.controller.reveal(self.pillar)
        if ok:
            self.focus_first()
        return ok

    def toggle_done(self) -> bool:
        """Mark the pillar done after its reveal, or reopen a done pillar."""
        state = self.state
        if state == PillarState.DONE:
            return self.controller.set_pillar_state(self.pillar, PillarState.REVEALED)
        if state != PillarState.REVEALED:
            self.controller.error.emit(_(
                "Reveal {title} first (Ctrl+R).").format(
                title=self.pillar.title))
            return False
        if not self.commit():
            return False
        if not self._confirm_missing(
                _("Finish {title}?").format(title=self.pillar.title),
                _("{text}\n\nOnce done, its votes are locked. Mark it done anyway?")):
            return False
        return self.controller.set_pillar_state(self.pillar, PillarState.DONE)

    def _update_state(self) -> None:
        state = self.state
        ui = self.ui
        text, colour = STATE_TEXT[state]
        text = _(text)
        ui.stateLabel.setText(text)
        ui.stateLabel.setStyleSheet(
            f"color: {colour}; font-weight: bold;" if colour else "font-weight: bold;")
        revealed = self.revealed
        ui.revealButton.setEnabled(not revealed)
        ui.revealButton.setText(_("Results &revealed") if revealed else _("&Reveal results"))
        if state == PillarState.DONE:
            ui.doneButton.setText(_("Reo&pen pillar"))
            ui.doneButton.setToolTip(_("Reopen this pillar to change its votes (Ctrl+D)"))
            self.done_action.setText(_("Reopen pillar"))
        else:
            ui.doneButton.setText(_("Mark pillar &done"))
            ui.doneButton.setToolTip(_("Finish this pillar (Ctrl+D); its votes are then locked")
                                     if revealed else _("Reveal the results first (Ctrl+R)"))
            self.done_action.setText(_("Mark pillar done"))
        ui.doneButton.setEnabled(revealed)
        ui.entryTabs.setTabEnabled(RESULTS_TAB, revealed)
        ui.entryTabs.setTabToolTip(
            RESULTS_TAB, _("Distribution, mean, spread and consensus per statement")
            if revealed else _("Reveal first (Ctrl+R)"))
        locked = state == PillarState.DONE
        ui.gridModeButton.setEnabled(not locked)
        ui.tallyModeButton.setEnabled(not locked)
        if state != self._shown_state:
            # The room moved on: after a reveal, show the results; after an undo, the votes.
            ui.entryTabs.setCurrentIndex(RESULTS_TAB if revealed else VOTES_TAB)
            self._shown_state = state
        if revealed:
            self._show_results()
        self._update_vote_status()

    def _show_results(self) -> None:
        self.results.show_results(self.controller.shown_workshop(), self.controller.score(),
                                  self.pillar, self._statement)

    # -- changes from the controller ---------------------------------------------------
    def _full_change(self, _change: object = None) -> None:
        self._changed(full=True)

    def _state_change(self, change: PillarStateChanged) -> None:
        if self.pillar in change.pillars:
            self._changed(state=True)

    def _metrics_change(self, _change: object = None) -> None:
        if self.isVisible() and privacy.results_visible(self.controller.workshop, self.pillar):
            self._show_results()

    def _answers_change(self, change: VotesChanged | TallyChanged) -> None:
        counts = set(self._statement_ids()) & change.statement_ids
        if counts:
            self._changed(counts=counts)

    def _changed(self, full: bool = False, state: bool = False,
                 counts: set[str] | frozenset[str] = frozenset()) -> None:
        if not (full or state or counts):
            return
        if not self.isVisible():
            self._stale = True  # redrawn when shown (grid, tally, notes keep themselves)
            if state:
                self._update_state()
            return
        if full:
            self.load()
            return
        if state:
            self._fill_statements()
            self._update_state()
            self._update_statement()
            return
        order = self._statement_ids()
        for sid in counts:
            self._update_statement_item(order.index(sid))
        if self.revealed:
            self._show_results()
            self._update_statement()
        else:
            self._update_vote_status()
