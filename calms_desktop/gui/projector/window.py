"""The projector window: what the room sees, readable from the back, private until the reveal.

A second top-level window driven only by the
:class:`~calms_desktop.gui.commands.WorkshopController`'s signals; it never
polls and never changes the workshop. What it shows for each step comes
from :mod:`.slides` (plain data, where the "nothing before the reveal" and
anonymity rules are applied); this module lays it out from
``resources/ui/projector.ui``, scales every text with the window's height, and offers
the presenter's keys:

====  ===========================================================
F5    full screen on / off
Esc   leave full screen
B     blank to black (again: back); "." does the same, like slide software
F     freeze the current frame while the facilitator prepares; again: live
T     light / dark theme
====  ===========================================================

The console reaches the same through :meth:`ProjectorWindow.blank`,
:meth:`~ProjectorWindow.freeze`, :meth:`~ProjectorWindow.toggle_fullscreen`
and :meth:`~ProjectorWindow.toggle_theme`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import N_, NC_, _, ngettext, pgettext
from ...core.model import STEPS
from ...core.storage import Library
from ...room import presentation as sl
from ...room.changes import VotesChanged
from ..form_types import ProjectorForm
from ..forms import load_form
from ..settings import Settings
from ..throttle import Throttle
from .theme import FONT_ROLES, THEMES, PresentationTheme, base_size, stylesheet, theme_named
from .widgets import DistributionBar, FrozenView, TextFitter, fit_text

if TYPE_CHECKING:
    from ..commands import WorkshopController
    from .radar_view import RadarView

WINDOW_TITLE = N_("CALMS Workshop — Projector")
NORMAL_SIZE = (1280, 720)
MINIMUM_SIZE = (480, 270)
LIVE, FROZEN, BLANK = "live", "frozen", "blank"
#: What the console's status bar calls each mode ("Projector: blank" read English in German).
MODE_NAMES = {LIVE: NC_("projector mode", "live"), FROZEN: NC_("projector mode", "frozen"),
              BLANK: NC_("projector mode", "blank")}
#: The most rows a slide's levels take: a statement's five, a delivery metric's buckets.
MAX_LEVEL_ROWS = 6
#: How many of a pillar's statements the "discuss first" list shows.
MAX_RANKED = 6
#: How many agreed actions the summary lists before "+ n more".
#: Beside every pillar's score the summary has room for this many actions (two lines each).
SUMMARY_ACTIONS = 4
#: The delivery metrics the summary slide lists (DORA's first four); with them shown the
#: slide lists two actions fewer, so every line keeps its full height.
SUMMARY_METRICS = 4
#: The timer display refreshes this often while the timer runs (ms).
TICK_MS = 250
#: the longest a vote waits to show on the projector while a burst arrives (the goal: 100 ms)
REDRAW_MS = 50


def _reserve_count_width(label: QLabel, most: int, of_expected: bool) -> None:
    """Give "n of N" the width of its widest value, so the slide's layout holds still.

    Without it "9 of 200" → "99 of 200" → "200 of 200" widens the card three
    times a pillar, and each time the radar beside it is resized and fully
    redrawn by matplotlib — tens of milliseconds on the GUI thread while
    phones are voting.
    """
    fm = label.fontMetrics()
    digit = max("0123456789", key=fm.horizontalAdvance)
    widest = digit * len(str(most))
    text = _("{answered} of {expected}").format(answered=widest, expected=widest) \
        if of_expected else widest
    width = fm.horizontalAdvance(text) + label.contentsMargins().left() + (
        label.contentsMargins().right())
    if label.minimumWidth() != width:
        label.setMinimumWidth(width)


def _set_prop(label: QWidget, name: str, value: str) -> None:
    """Set a style property (``role``, ``tone``) and re-apply the style sheet."""
    if label.property(name) == value:
        return
    label.setProperty(name, value)
    style = label.style()
    style.unpolish(label)
    style.polish(label)


def _label(parent: QWidget, role: str, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty("role", role)
    return label


class _LevelRow:
    """One level of the current statement: number, name, (bar, count), descriptor."""

    def __init__(self, parent: QWidget, fitter: TextFitter) -> None:
        self.widget = QWidget(parent)
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.layout = row
        self.badge = _label(self.widget, "badge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = _label(self.widget, "item-strong")
        fitter.attach(self.name, 1, QSizePolicy.Policy.Preferred)
        self.bar_box = QWidget(self.widget)
        bar_row = QHBoxLayout(self.bar_box)
        bar_row.setContentsMargins(0, 0, 0, 0)
        self.bar = DistributionBar(self.bar_box)
        self.count = _label(self.bar_box, "count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar_row.addWidget(self.bar, 1)
        bar_row.addWidget(self.count)
        self.text = _label(self.widget, "level")
        # Two lines: five rows of three (a German descriptor is often that long)
        # do not fit under the explanation and the statement at any size (the
        # text scales with the window); the rest is elided with "…".
        fitter.attach(self.text, 2)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.name, 0, Qt.AlignmentFlag.AlignTop)
        # While voting a row shows the descriptor; once revealed it becomes a
        # bar of the distribution (the room has read the descriptors by then,
        # and the space goes to the results).
        row.addWidget(self.bar_box, 1, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.text, 1, Qt.AlignmentFlag.AlignTop)

    def show_count(self, count: int | None, most: int) -> None:
        """Show the level's count as a bar (None: show the descriptor, no count)."""
        if count is None:
            self.count.setText("")
            self.bar.set_value(0, 1)
        else:
            self.count.setText(str(count))
            self.bar.set_value(count, most)
        self.bar_box.setVisible(count is not None)
        self.text.setVisible(count is None)


class _RankRow:
    """A statement in the "discuss first" list: verdict mark, mean, text."""

    def __init__(self, parent: QWidget, fitter: TextFitter) -> None:
        self.widget = QWidget(parent)
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.mark = _label(self.widget, "item-strong")
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mean = _label(self.widget, "item-strong")
        self.mean.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.text = _label(self.widget, "item")
        fitter.attach(self.text, 1)
        row.addWidget(self.mark)
        row.addWidget(self.mean)
        row.addWidget(self.text, 1)



def _join_block(parent: QWidget, name: str, role: str) -> tuple[QWidget, QLabel, QLabel]:
    """A hidden row of QR code and "Open … on your phone / PIN …" text."""
    box = QWidget(parent)
    box.setObjectName(name)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    qr = QLabel(box)
    qr.setAccessibleName(_("QR code to join from a phone"))
    text = QLabel(box)
    text.setTextFormat(Qt.TextFormat.PlainText)
    text.setProperty("role", role)
    text.setWordWrap(role != "meta")
    row.addWidget(qr, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(text, 1, Qt.AlignmentFlag.AlignVCenter)
    box.hide()
    return box, qr, text

class ProjectorWindow(QWidget):
    """The room's window: a top-level widget (no parent) following the controller.

    Args:
        library: the workshop library (the console's views all get it; the
            projector itself reads everything from the controller).
        settings: where the screen, theme and full-screen choices live.

    Signals:
        display_changed(str): ``"live"``, ``"frozen"`` or ``"blank"``.
        theme_changed(str): ``"light"`` or ``"dark"``.
    """

    display_changed = Signal(str)
    theme_changed = Signal(str)

    def __init__(self, library: Library, settings: Settings) -> None:
        super().__init__(None)
        self.library = library
        self.settings = settings
        self.controller: WorkshopController | None = None
        #: keys this window does not use go here (the console's shown screen: a
        #: pillar's Ctrl+R or a vote typed into its grid); True when used
        self.forward_key: Callable[[QKeyEvent], bool] | None = None
        self._connections: list[tuple[object, object]] = []
        self._theme: PresentationTheme = theme_named(settings.projector_theme)
        self._base = 0.0
        self._blank = False
        self._frozen = False
        self._mode = LIVE
        self._slide: sl.Slide | None = None
        self._summary_metrics: tuple[str, ...] = ()  # the summary's metric lines, all of them
        self._placed_on: object = None

        self.setObjectName("projectorWindow")
        self.setWindowTitle(_(WINDOW_TITLE))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Opening the projector must not take the keyboard from the console.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.ui = load_form("projector", self, ProjectorForm)
        self._fitter = TextFitter(self)
        self._layouts: dict[str, QLayout] = {
            lay.objectName(): lay for lay in self.ui.root.findChildren(QLayout) if lay.objectName()
        }
        for name, lines in (
            ("explanationLabel", 4), ("statementText", 3),
            ("introTitle", 3), ("introWho", 2), ("introWhen", 2), ("introFacilitator", 1),
            ("withheldLabel", 3), ("pillarResult", 2), ("overallLabel", 2),
            ("pendingLabel", 2), ("footerName", 1), ("progressDetail", 1),
            # a metric's median "once a week–once a month · Medium": two lines, never cut
            ("resultLevel", 2),
        ):
            self._fitter.attach(getattr(self.ui, name), lines)
        self._fitter.attach(self.ui.stepTitle, 1, QSizePolicy.Policy.Preferred)
        # Text scales with the window, so the layout's minimum does too: it
        # must not become the window's minimum, or the window could never
        # be made smaller again.
        layout = self.layout()
        assert layout is not None  # load_form() gave the window one
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(*MINIMUM_SIZE)

        # How phones join: QR code, address and PIN in the header while phone
        # voting is open (set by the console's phones panel) — and on the welcome
        # slide, while the room joins, large enough to scan from the back of the room.
        self.join_box, self.join_qr, self.join_text = _join_block(
            self.ui.livePage, "joinBox", "meta")
        header = self._layouts["headerLayout"]
        assert isinstance(header, QHBoxLayout)
        header.insertWidget(header.count() - 1, self.join_box)
        self.intro_join, self.intro_qr, self.intro_join_text = _join_block(
            self.ui.introPage, "introJoin", "subtitle")
        intro_text = self._layouts["introTextLayout"]
        assert isinstance(intro_text, QVBoxLayout)
        intro_text.insertWidget(intro_text.count() - 1, self.intro_join)
        self._join: tuple[str, str] = ("", "")
        self._qr: tuple[str, QPixmap] | None = None  # the code drawn once per address

        self._build_levels()
        self._rank_rows: list[_RankRow] = []
        self._rank_layout = QVBoxLayout(self.ui.rankingBox)
        self._rank_layout.setContentsMargins(0, 0, 0, 0)
        self._agenda_layout = QGridLayout(self.ui.agendaBox)
        self._agenda_layout.setContentsMargins(0, 0, 0, 0)
        self._agenda_layout.setColumnStretch(0, 1)
        self._layouts["introLayout"].setAlignment(self.ui.agendaCard, Qt.AlignmentFlag.AlignVCenter)
        self._agenda_rows: list[tuple[QLabel, QLabel]] = []
        self._agenda_items: tuple[sl.AgendaItem, ...] = ()
        self._line_layouts: dict[str, QVBoxLayout] = {}
        for box in (self.ui.strongestBox, self.ui.weakestBox, self.ui.actionsBox):
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            self._line_layouts[box.objectName()] = lay
        self._box_labels: dict[str, list[QLabel]] = {}
        steps_row = QHBoxLayout(self.ui.stepsBox)
        steps_row.setContentsMargins(0, 0, 0, 0)
        self._step_labels: dict[str, QLabel] = {}
        for step in STEPS:
            lab = _label(self.ui.stepsBox, "footer")
            steps_row.addWidget(lab)
            self._step_labels[step] = lab

        self._frozen_view = FrozenView(self.ui.frozenPage)
        frozen_layout = self.ui.frozenPage.layout()
        assert frozen_layout is not None  # laid out in projector.ui
        frozen_layout.addWidget(self._frozen_view)

        from .radar_view import RadarView  # matplotlib: only once a projector exists

        self.pillar_radar: RadarView = RadarView(
            self._theme.name, self.ui.pillarRadarHost, Qt.AlignmentFlag.AlignTop
        )
        self.summary_radar: RadarView = RadarView(self._theme.name, self.ui.summaryRadarHost)
        for host, radar in ((self.ui.pillarRadarHost, self.pillar_radar),
                            (self.ui.summaryRadarHost, self.summary_radar)):
            lay = QVBoxLayout(host)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(radar)

        #: votes and counts redraw at most every REDRAW_MS while phones pour in
        self._throttle = Throttle(self.refresh, REDRAW_MS, self)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._update_timer)

        self._build_actions()
        self.resize(*NORMAL_SIZE)
        self._apply_style(force=True)
        self.refresh()

    # -- construction -----------------------------------------------------------------------------
    def _build_levels(self) -> None:
        box = self.ui.levelsBox
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        self._levels_layout = lay
        # five levels of a statement, or up to six buckets of a delivery metric
        self._level_rows = [_LevelRow(box, self._fitter) for _unused in range(MAX_LEVEL_ROWS)]
        for r in self._level_rows:
            lay.addWidget(r.widget)

    def _build_actions(self) -> None:
        """A right-click menu naming the keys (the keys themselves are handled in keyPressEvent)."""
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (
            (_("Full screen") + "\tF5", self.toggle_fullscreen),
            (_("Leave full screen") + "\tEsc", self.leave_fullscreen),
            (_("Blank (black screen)") + "\tB", self.blank),
            (_("Freeze the current frame") + "\tF", self.freeze),
            (_("Light or dark theme") + "\tT", self.toggle_theme),
        ):
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self.addAction(action)

    # -- the controller ---------------------------------------------------------------------------
    def set_controller(self, controller: WorkshopController | None) -> None:
        """Follow ``controller`` (None: no workshop open); stops following the previous one."""
        if controller is self.controller:
            return
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)  # type: ignore[attr-defined]
            except (RuntimeError, TypeError):  # already gone
                pass
        self._connections = []
        self.controller = controller
        if controller is not None:
            # the room sees votes, counts, states, actions and set-up (not the notes)
            shown = (controller.votes_changed, controller.tally_changed,
                     controller.pillar_state_changed, controller.actions_changed,
                     controller.participants_changed, controller.fields_changed,
                     controller.metrics_changed)
            for signal, slot in (
                *((sig, self._on_changed) for sig in shown),
                (controller.scores_changed, self._on_scores_changed),
                (controller.step_changed, self._on_step_changed),
                (controller.statement_changed, self._on_statement_changed),
                (controller.metric_on_show_changed, self._on_statement_changed),
                (controller.timer_changed, self._update_timer),
                (controller.destroyed, self._on_controller_destroyed),
            ):
                signal.connect(slot)
                self._connections.append((signal, slot))
        self.refresh()

    def _on_controller_destroyed(self, *_args: object) -> None:
        self._connections = []
        self.controller = None
        self.refresh()

    def _on_changed(self, change: object) -> None:
        if isinstance(change, VotesChanged) and change.from_phones:
            self._throttle.request()  # a room of phones: a few redraws a second, not hundreds
        else:
            self.refresh()

    def _on_scores_changed(self) -> None:
        self._refresh_radars()

    def _on_step_changed(self, _step: str) -> None:
        self.refresh()

    def _on_statement_changed(self, _statement_id: str) -> None:
        self.refresh()

    # -- what is shown ----------------------------------------------------------------------------
    @property
    def slide(self) -> sl.Slide | None:
        """The slide on show (None while no workshop is open)."""
        return self._slide

    @property
    def display_mode(self) -> str:
        """``"live"``, ``"frozen"`` or ``"blank"`` (a value, never shown as such)."""
        return self._mode

    @property
    def display_mode_name(self) -> str:
        """The mode as the UI language says it, for people ("schwarz" for ``"blank"``)."""
        return pgettext("projector mode", MODE_NAMES[self._mode])

    def _size_radar_text(self) -> None:
        """On results and summary slides the radar's scale and legend read like body text.

        While voting the radar is a small reminder beside the statement (the
        room reads the statement), so its text keeps the chart's own size.
        """
        body_px = (self._base or 20.0) * FONT_ROLES["body"][0]
        slide = self._slide
        results = isinstance(slide, sl.PillarSlide) and slide.revealed
        if getattr(self, "pillar_radar", None) is not None:
            self.pillar_radar.set_min_text_px(body_px if results else 0.0)
        if getattr(self, "summary_radar", None) is not None:
            self.summary_radar.set_min_text_px(body_px)

    def set_join_info(self, url: str, pin: str) -> None:
        """Show (or with "" hide) the QR code, address and PIN phones join with."""
        self._join = (url, pin)
        self._show_join()

    def _show_join(self) -> None:
        url, pin = self._join
        welcome = self.ui.slideStack.currentWidget() is self.ui.introPage
        if not url:
            self.join_box.hide()
            self.intro_join.hide()
            return
        from ...net.addresses import join_text, qr_png

        if self._qr is None or self._qr[0] != url:
            pixmap = QPixmap()
            pixmap.loadFromData(qr_png(url, scale=8), "PNG")
            self._qr = (url, pixmap)
        pixmap = self._qr[1]
        base = self._base or 20.0
        for label, side in ((self.join_qr, max(64, round(base * 3.2))),
                            (self.intro_qr, max(96, round(base * 9.0)))):
            label.setPixmap(pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.FastTransformation))
        self.join_text.setText(join_text(url, pin))
        self.intro_join_text.setText(join_text(url, pin))
        self.join_box.setVisible(not welcome)
        self.intro_join.setVisible(welcome)

    @property
    def join_info(self) -> tuple[str, str]:
        return self._join

    @property
    def theme_name(self) -> str:
        return self._theme.name

    def step_title(self) -> str:
        """The title in the header (the current step's)."""
        return TextFitter.full_text(self.ui.stepTitle)

    def refresh(self) -> None:
        """Redraw everything from the controller (called on its signals)."""
        self._throttle.ran()
        c = self.controller
        if c is None:
            self._slide = None
            self._fitter.set_text(self.ui.stepTitle, "")
            self.ui.stateChip.setText("")
            self._fitter.set_text(self.ui.footerName, "")
            for lab in self._step_labels.values():
                lab.setText("")
            self.ui.slideStack.setCurrentWidget(self.ui.waitingPage)
            self._update_timer()
            return
        ws = c.shown_workshop()  # a shipped questionnaire in the UI's language
        slide = sl.build_slide(ws, c.score(), c.step, c.statement_id, c.metric_on_show)
        shown = (slide, ws.display_name, self.width(), self.height())
        if shown == getattr(self, "_shown", None) and self.ui.slideStack.currentWidget() in (
                self.ui.pillarPage, self.ui.summaryPage, self.ui.introPage):
            self._refresh_radars()  # the slide's text is as it was: only the radars may move
            return
        self._shown = shown
        self._slide = slide
        self._fitter.set_text(self.ui.stepTitle, sl.step_title(ws, c.step))
        self._size_title()
        if isinstance(slide, sl.PillarSlide):
            self._show_pillar(slide)
        elif isinstance(slide, sl.SummarySlide):
            self._show_summary(slide)
        else:
            self._show_intro(slide)
        self._fitter.set_text(self.ui.footerName, sl.one_line(ws.display_name))
        for step, lab in self._step_labels.items():
            lab.setText(sl.short_label(ws, step))
            _set_prop(lab, "role", "footer-current" if step == c.step else "footer")
        self._show_join()  # large on the welcome slide, in the header elsewhere
        self._refresh_radars()
        self._update_timer()

    def _show_intro(self, slide: sl.IntroSlide) -> None:
        ui = self.ui
        ui.stateChip.setText("")
        self._fitter.set_text(ui.introTitle, slide.title)
        for name, text in (("introWho", slide.who), ("introWhen", slide.when),
                           ("introFacilitator", slide.facilitator)):
            label = getattr(ui, name)
            self._fitter.set_text(label, text)
            label.setVisible(bool(text))
        while len(self._agenda_rows) < len(slide.agenda):
            i = len(self._agenda_rows)
            what = _label(ui.agendaBox, "agenda")
            self._fitter.attach(what, 1)
            minutes = _label(ui.agendaBox, "agenda")
            minutes.setProperty("tone", "muted")
            minutes.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._agenda_layout.addWidget(what, i, 0)
            self._agenda_layout.addWidget(minutes, i, 1)
            self._agenda_rows.append((what, minutes))
        for i, (what, minutes) in enumerate(self._agenda_rows):
            item = slide.agenda[i] if i < len(slide.agenda) else None
            what.setVisible(item is not None)
            minutes.setVisible(item is not None)
            if item is not None:
                self._fitter.set_text(what, item.label)
                minutes.setText(item.duration)
        self._agenda_items = slide.agenda
        self._size_agenda()
        ui.slideStack.setCurrentWidget(ui.introPage)

    def _size_agenda(self) -> None:
        """Widen the agenda card until its longest line is whole (a German "Zusammenfassung
        und Maßnahmen" was cut in its two fifths of the slide), up to half the window;
        past that the line is elided as before. Again after each resize (the font scales)."""
        ui = self.ui
        agenda = self._agenda_items
        if not self._agenda_rows or not agenda:
            ui.agendaCard.setMinimumWidth(0)
            return
        probe = self._agenda_rows[0][1]  # the role's size (the fitter shrinks the other)
        probe.ensurePolished()
        metrics = probe.fontMetrics()
        what = max(metrics.horizontalAdvance(item.label) for item in agenda)
        minutes = max(metrics.horizontalAdvance(item.duration) for item in agenda)
        outer = ui.agendaCard.contentsMargins()
        card_layout = ui.agendaCard.layout()
        assert card_layout is not None  # laid out in projector.ui
        inner = card_layout.contentsMargins()
        needed = (what + minutes + self._agenda_layout.horizontalSpacing() + outer.left()
                  + outer.right() + inner.left() + inner.right() + 4)
        ui.agendaCard.setMinimumWidth(min(needed, self.width() // 2))

    def _show_pillar(self, slide: sl.PillarSlide) -> None:
        ui = self.ui
        self._size_radar_text()
        revealed = slide.revealed
        ui.stateChip.setText(slide.state_text)
        self._fitter.set_text(ui.explanationLabel, slide.explanation)
        # After the reveal the room looks at results; the explanation was for voting.
        ui.explanationLabel.setVisible(not revealed and bool(slide.explanation))
        ui.statementCaption.setText(slide.statement_caption)
        self._fitter.set_text(ui.statementText, slide.statement_text)
        counts = [r.count for r in slide.levels if r.count is not None]
        most = max(counts, default=0) or 1
        # a metric's bucket may take two lines while the room picks (a German one is long)
        name_lines = 2 if slide.metric_id and not revealed else 1
        for row, level in zip(self._level_rows, slide.levels, strict=False):
            row.widget.setVisible(True)
            row.badge.setText(str(level.level))
            self._fitter.set_max_lines(row.name, name_lines)
            self._fitter.set_text(row.name, level.name)
            self._fitter.set_text(row.text, level.descriptor)
            row.show_count(level.count, most)
        for row in self._level_rows[len(slide.levels):]:
            row.widget.setVisible(False)
        QTimer.singleShot(0, self._fit_descriptors)  # once the rows have their widths
        # Withheld after the reveal: no bars to show, and the descriptors would
        # crowd out the ranking; the message on the right says why. A metric's
        # buckets stay (with their DORA levels, no counts): they are its question.
        ui.levelsBox.setVisible(not (revealed and slide.withheld and not slide.metric_id))
        self._size_level_names()

        progress = slide.progress
        ui.progressCard.setVisible(progress is not None)
        if progress is not None:
            if progress.expected:
                ui.progressCount.setText(_('{answered} of {expected}').format(
                    answered=progress.answered, expected=progress.expected))
            else:
                ui.progressCount.setText(str(progress.answered))
            _reserve_count_width(ui.progressCount, max(progress.answered, progress.expected),
                                 bool(progress.expected))
            # Translators: after the number of people ("3 of 8 have voted").
            ui.progressText.setText(ngettext("has voted", "have voted",
                                             max(progress.answered, progress.expected)))
            ui.progressBar.setRange(0, max(progress.expected, progress.answered, 1))
            ui.progressBar.setValue(progress.answered)
            ui.progressBar.setAccessibleName(progress.headline)
            self._fitter.set_text(ui.progressDetail, progress.detail)
            ui.progressDetail.setVisible(bool(progress.detail))
        else:
            ui.progressCount.setText("")
            ui.progressBar.setValue(0)
            ui.progressBar.setAccessibleName("")
            self._fitter.set_text(ui.progressDetail, "")

        result = slide.result
        ui.resultCard.setVisible(revealed)
        for w in (ui.resultMean, ui.resultLevel, ui.resultDetail, ui.resultVerdict):
            w.setVisible(result is not None)
        if result is not None:
            ui.resultMean.setText(result.mean)
            self._fitter.set_text(ui.resultLevel, result.level_name)
            ui.resultDetail.setText(result.detail)
            ui.resultVerdict.setText(result.verdict_text)
            _set_prop(ui.resultVerdict, "tone",
                      {sl.AGREE: "agree", sl.DISCUSS: "discuss"}.get(result.verdict, "muted"))
        else:
            for w in (ui.resultMean, ui.resultDetail, ui.resultVerdict):
                w.setText("")
            self._fitter.set_text(ui.resultLevel, "")
        self._fitter.set_text(ui.withheldLabel, slide.withheld)
        ui.withheldLabel.setVisible(bool(slide.withheld))

        ui.rankingHeading.setVisible(revealed and bool(slide.ranking))
        ui.rankingBox.setVisible(revealed and bool(slide.ranking))
        self._fill_ranking(slide.ranking if revealed else ())
        self._fitter.set_text(ui.pillarResult, slide.pillar_result)
        ui.pillarResult.setVisible(revealed and bool(slide.pillar_result))
        # Results need less width on the left (bars, one-line ranking) and
        # give the radar on the right more room.
        body = self._layouts["pillarBody"]
        assert isinstance(body, QBoxLayout)
        body.setStretch(0, 1 if revealed else 13)
        body.setStretch(1, 1 if revealed else 7)
        ui.slideStack.setCurrentWidget(ui.pillarPage)

    def _fill_ranking(self, ranking: tuple[sl.RankedStatement, ...]) -> None:
        shown = ranking[:MAX_RANKED]
        while len(self._rank_rows) < len(shown):
            row = _RankRow(self.ui.rankingBox, self._fitter)
            self._rank_rows.append(row)
            self._rank_layout.addWidget(row.widget)
            self._size_rank_row(row)
        for i, row in enumerate(self._rank_rows):
            item = shown[i] if i < len(shown) else None
            row.widget.setVisible(item is not None)
            if item is None:
                row.mark.setText("")
                row.mean.setText("")
                self._fitter.set_text(row.text, "")
                continue
            row.mark.setText(item.mark)
            _set_prop(row.mark, "tone", {sl.AGREE: "agree", sl.DISCUSS: "discuss"}.get(
                item.verdict, "muted"))
            row.mean.setText(item.mean)
            _set_prop(row.text, "role", "item-strong" if item.current else "item")
            self._fitter.set_text(row.text, item.text)

    def _set_lines(self, box: QWidget, texts: list[tuple[str, str]], lines: int = 1) -> None:
        """Fill a box with (text, role) labels, reusing the ones it has."""
        key = box.objectName()
        labels = self._box_labels.setdefault(key, [])
        lay = self._line_layouts[key]
        while len(labels) < len(texts):
            lab = _label(box, "item")
            self._fitter.attach(lab, lines)
            lay.addWidget(lab)
            labels.append(lab)
        for i, lab in enumerate(labels):
            if i < len(texts):
                text, role = texts[i]
                _set_prop(lab, "role", role)
                self._fitter.set_text(lab, text)
                lab.setVisible(True)
            else:
                self._fitter.set_text(lab, "")
                lab.setVisible(False)

    def _show_summary(self, slide: sl.SummarySlide) -> None:
        ui = self.ui
        ui.stateChip.setText("")
        self._fitter.set_text(ui.overallLabel, slide.overall)
        ui.overallLabel.setVisible(bool(slide.overall))
        # Every pillar's score (▲ strongest, ▼ weakest), or why it is not shown.
        ui.strongestHeading.setText(_("Pillars"))
        ui.strongestHeading.setVisible(bool(slide.pillars))
        self._set_lines(ui.strongestBox, [
            (f"{p.mark or '•'} {p.text}", "item" if p.shown else "meta")
            for p in slide.pillars])
        # The team's delivery metrics (after Measurement is revealed), with their change.
        c = self.controller
        metrics = () if c is None else sl.metric_lines(c.workshop, c.baseline())
        ui.weakestHeading.setText(_("Delivery metrics"))
        ui.weakestHeading.setVisible(bool(metrics))
        ui.pendingLabel.setVisible(False)
        self._summary_metrics = metrics
        ui.slideStack.setCurrentWidget(ui.summaryPage)
        self._fit_summary()

    def _fit_summary(self) -> None:
        """List as many metric lines and actions as the summary has room for.

        What does not fit gives way, never a pillar and never the last action: the
        metrics first (down to one), then the actions (down to one), then the last
        metric, then the last action — what the team agreed to do is what the room most
        needs to read (at 1366×768 the actions went first and the slide said only
        "6 actions agreed"). Squeezed instead, every line would lose its lower part (a
        German "2,9" read "2.9"). Lines left out are counted ("+ 3 more").
        """
        slide = self._slide
        if not isinstance(slide, sl.SummarySlide):
            return
        ui = self.ui
        metrics = self._summary_metrics
        shown_metrics = min(len(metrics), SUMMARY_METRICS)
        shown_actions = SUMMARY_ACTIONS
        self._summary_lists(slide, metrics, shown_metrics, shown_actions)
        room = ui.slideStack.height()
        for what, floor in (("metrics", 1), ("actions", 1), ("metrics", 0), ("actions", 0)):
            while self.isVisible() and self._summary_height() > room:
                if what == "metrics" and shown_metrics > floor:
                    shown_metrics -= 1
                elif what == "actions" and shown_actions > floor:
                    shown_actions -= 1
                else:
                    break
                self._summary_lists(slide, metrics, shown_metrics, shown_actions)

    def _summary_height(self) -> int:
        """The height the summary's text needs now (its layouts re-measured: a label just
        hidden or filled would otherwise count as it was until the next event loop)."""
        ui = self.ui
        for box in (ui.strongestBox, ui.weakestBox, ui.actionsBox):
            self._line_layouts[box.objectName()].invalidate()
            box.updateGeometry()  # drops its cached size in the layout around it
        for name in ("summaryTextLayout", "summaryLayout"):
            self._layouts[name].invalidate()
        return ui.summaryPage.minimumSizeHint().height()

    def _summary_lists(self, slide: sl.SummarySlide, metrics: tuple[str, ...],
                       shown_metrics: int, shown_actions: int) -> None:
        """The summary's metric lines and actions, the first ``shown_*`` of each."""
        ui = self.ui
        lines = [(f"• {t}", "item") for t in metrics[:shown_metrics]]
        if 0 < shown_metrics < len(metrics):
            lines.append((_("+ {more} more (in the reports)").format(
                more=len(metrics) - shown_metrics), "meta"))
        self._set_lines(ui.weakestBox, lines)
        ui.weakestHeading.setVisible(bool(lines))
        rows: list[tuple[str, str]] = []
        for action in slide.actions[:shown_actions]:
            rows.append((f"• {action.text}", "item"))
            if action.meta:
                rows.append((f"   {action.meta}", "meta"))
        self._set_lines(ui.actionsBox, rows, lines=2)
        more = len(slide.actions) - shown_actions
        if not slide.actions:
            ui.actionsMore.setText(_("No actions agreed yet"))
        elif not shown_actions:  # no room to list one: say how many there are
            ui.actionsMore.setText(ngettext("{n} action agreed", "{n} actions agreed",
                                            more).format(n=more))
        else:
            ui.actionsMore.setText(_('+ {more} more').format(more=more) if more > 0 else "")
        ui.actionsMore.setVisible(bool(ui.actionsMore.text()))

    def _refresh_radars(self) -> None:
        c = self.controller
        if c is None:
            return
        data = c.radar_data()
        self.pillar_radar.set_data(data)
        self.summary_radar.set_data(data)

    # -- the timer --------------------------------------------------------------------------------
    def _update_timer(self) -> None:
        c = self.controller
        ui = self.ui
        if c is None:
            self._tick.stop()
            ui.timerLabel.setVisible(False)
            ui.timerCaption.setVisible(False)
            return
        timer = c.timer
        now = c.now()
        elapsed = timer.elapsed(now)
        shown = timer.budget_ms > 0 or timer.running or elapsed > 0
        ui.timerLabel.setVisible(shown)
        ui.timerCaption.setVisible(shown)
        if timer.running:
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()
        if not shown:
            return
        phase = timer.phase(now)
        ui.timerLabel.setText(timer.text(now))
        _set_prop(ui.timerLabel, "tone", {"warn": "warn", "over": "over"}.get(phase, ""))
        if phase == "over":
            caption = _("over time")
        elif timer.budget_ms > 0:
            caption = _("nearly time") if phase == "warn" else _("left")
        else:
            caption = _("elapsed")
        if not timer.running:
            caption = _("paused · {caption}").format(caption=caption) if elapsed else _("planned")
        ui.timerCaption.setText(caption)
        _set_prop(ui.timerCaption, "tone", {"warn": "warn", "over": "over"}.get(phase, ""))

    # -- the presenter's keys ---------------------------------------------------------------------
    def blank(self) -> None:
        """Blank the room's screen to black; again to show it again."""
        self.set_blanked(not self._blank)

    def set_blanked(self, on: bool) -> None:
        self._blank = bool(on)
        self._update_display()

    @property
    def is_blanked(self) -> bool:
        return self._blank

    def freeze(self) -> None:
        """Freeze the room's screen on the current frame; again: live, showing the state now."""
        self.set_frozen(not self._frozen)

    def set_frozen(self, on: bool) -> None:
        on = bool(on)
        if on == self._frozen:
            return
        if on:
            self._frozen_view.set_pixmap(self.ui.livePage.grab())
        self._frozen = on
        self._update_display()

    @property
    def is_frozen(self) -> bool:
        return self._frozen

    def _update_display(self) -> None:
        mode = BLANK if self._blank else FROZEN if self._frozen else LIVE
        page = {LIVE: self.ui.livePage, FROZEN: self.ui.frozenPage, BLANK: self.ui.blankPage}[mode]
        self.ui.displayStack.setCurrentWidget(page)
        if mode != self._mode:
            self._mode = mode
            self.display_changed.emit(mode)

    def toggle_fullscreen(self) -> None:
        """Full screen on or off (F5)."""
        if self.isFullScreen():
            self.leave_fullscreen()
        else:
            self.showFullScreen()

    def leave_fullscreen(self) -> None:
        """Back to a normal window (Esc)."""
        if self.isFullScreen():
            self.showNormal()

    def set_theme(self, name: str) -> None:
        """Use the ``"light"`` or ``"dark"`` presentation theme (and remember it)."""
        if name not in THEMES:
            raise ValueError(f"unknown projector theme: {name!r}")
        self.settings.projector_theme = name
        if name == self._theme.name:
            return
        self._theme = THEMES[name]
        self._apply_style(force=True)
        self.pillar_radar.set_theme(name)
        self.summary_radar.set_theme(name)
        self.theme_changed.emit(name)

    def toggle_theme(self) -> None:
        """Switch between the light and the dark theme (T)."""
        self.set_theme("light" if self._theme.name == "dark" else "dark")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods != Qt.KeyboardModifier.NoModifier:
            self._forward_or_ignore(event)
            return
        handlers = {
            Qt.Key.Key_F5: self.toggle_fullscreen,
            Qt.Key.Key_Escape: self.leave_fullscreen,
            Qt.Key.Key_B: self.blank,
            Qt.Key.Key_Period: self.blank,
            Qt.Key.Key_F: self.freeze,
            Qt.Key.Key_T: self.toggle_theme,
        }
        handler = handlers.get(Qt.Key(event.key()))
        if handler is None:
            self._forward_or_ignore(event)
            return
        handler()
        event.accept()

    def _forward_or_ignore(self, event: QKeyEvent) -> None:
        if self.forward_key is not None and self.forward_key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    # -- where it opens ---------------------------------------------------------------------------
    def show_on_preferred_screen(self) -> None:
        """Show on the screen the settings choose, full screen when that is a second screen.

        ``settings.projector_screen`` is a screen index; -1 (or an index that
        is not there) means the first screen that is not the primary one, or
        the primary screen when there is only one. Full screen (if
        ``settings.projector_fullscreen``) only on a screen other than the
        primary one, so the projector never covers the console; otherwise a
        normal 1280×720 window.
        """
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        index = self.settings.projector_screen
        if 0 <= index < len(screens):
            screen = screens[index]
        else:
            screen = next((s for s in screens if s is not primary), primary)
        if screen is None:
            self.show()
            return
        full = bool(self.settings.projector_fullscreen) and len(screens) > 1 and (
            screen is not primary
        )
        self.setScreen(screen)
        geometry = screen.availableGeometry()
        if full:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            if self.isFullScreen():
                self.showNormal()
            if self._placed_on is not screen:
                w = min(NORMAL_SIZE[0], geometry.width())
                h = min(NORMAL_SIZE[1], geometry.height())
                self.resize(w, h)
                self.move(geometry.center() - QPoint(w // 2, h // 2))
            self.show()
        self._placed_on = screen
        if QGuiApplication.platformName() != "offscreen":  # it cannot raise (and says so)
            self.raise_()

    # -- size and theme ---------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        self._apply_style()
        QTimer.singleShot(0, self._size_agenda)
        if self.ui.slideStack.currentWidget() is self.ui.summaryPage:
            # once the layout has given the slide its new height
            QTimer.singleShot(0, self._fit_summary)
        QTimer.singleShot(0, self._fit_descriptors)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self._apply_style()

    #: The descriptors' font, from the level role's size down to this share of the base.
    DESCRIPTOR_SCALES = (FONT_ROLES["level"][0], 0.64, 0.6, 0.56, 0.52, 0.5)

    def _fit_descriptors(self) -> None:
        """Every level descriptor whole, on two lines if a smaller font allows it.

        A German descriptor is often three lines at the level role's size; the
        five descriptors' font shrinks together (never below half the base
        size, still readable from the back of a room) before one takes a third
        line; only past that is a descriptor elided.
        """
        if not shiboken6.isValid(self) or self._base <= 0:
            return
        rows = [r for r in self._level_rows if r.widget.isVisibleTo(self)
                and r.text.isVisibleTo(self)]
        if not rows:
            return
        font = QFont(rows[0].text.font())

        def fits(r: _LevelRow, lines: int) -> bool:
            full = TextFitter.full_text(r.text)
            width = r.text.contentsRect().width() - 2 * r.text.margin() - 2
            return fit_text(full, font, width, lines) == full

        chosen = self.DESCRIPTOR_SCALES[-1]
        for scale in self.DESCRIPTOR_SCALES:
            font.setPixelSize(max(1, round(self._base * scale)))
            if all(fits(r, 2) for r in rows):
                chosen = scale
                break
        sheet = ("" if chosen == self.DESCRIPTOR_SCALES[0]
                 else f"font-size: {max(1, round(self._base * chosen))}px;")
        for r in self._level_rows:
            if r.text.styleSheet() != sheet:
                r.text.setStyleSheet(sheet)  # the fitter refits on the font change
            self._fitter.set_max_lines(r.text, 2 if r not in rows or fits(r, 2) else 3)

    def _apply_style(self, force: bool = False) -> None:
        """Scale every text with the window (base = height/24 of a 16:9 area)."""
        base = base_size(self.width(), self.height())
        if not force and abs(base - self._base) < 0.5:
            return
        self._base = base
        t = self._theme
        lay_ = self._layouts
        self.setStyleSheet(f"#projectorWindow {{ background: {t.background}; }}\n"
                           + stylesheet(t, base))
        ui = self.ui
        m = round(base * 0.8)
        lay_["liveLayout"].setContentsMargins(m, round(base * 0.5), m, round(base * 0.35))
        lay_["liveLayout"].setSpacing(round(base * 0.3))
        lay_["headerLayout"].setSpacing(round(base * 0.6))
        lay_["timerLayout"].setSpacing(round(base * 0.3))
        for name in ("pillarLayout", "introLayout", "summaryLayout", "waitingLayout"):
            lay_[name].setContentsMargins(0, 0, 0, 0)
        lay_["pillarLayout"].setSpacing(round(base * 0.45))
        lay_["pillarBody"].setSpacing(round(base * 1.1))
        lay_["introLayout"].setSpacing(round(base * 1.5))
        lay_["introTextLayout"].setSpacing(round(base * 0.5))
        lay_["summaryLayout"].setSpacing(round(base * 1.0))
        lay_["summaryTextLayout"].setSpacing(round(base * 0.25))
        lay_["statementLayout"].setSpacing(round(base * 0.3))
        lay_["outcomeLayout"].setSpacing(round(base * 0.4))
        lay_["footerLayout"].setSpacing(round(base * 0.8))
        steps_layout = self.ui.stepsBox.layout()
        assert steps_layout is not None  # the row of step labels
        steps_layout.setSpacing(round(base * 0.55))
        pad = round(base * 0.55)
        for card in (ui.progressCard, ui.resultCard, ui.agendaCard):
            card_layout = card.layout()
            assert card_layout is not None  # laid out in projector.ui
            card_layout.setContentsMargins(pad, round(pad * 0.7), pad, round(pad * 0.8))
            card_layout.setSpacing(round(base * 0.2))
        lay_["resultRow"].setSpacing(round(base * 0.6))
        self._agenda_layout.setHorizontalSpacing(round(base * 0.8))
        self._agenda_layout.setVerticalSpacing(round(base * 0.2))
        self._levels_layout.setSpacing(round(base * 0.32))
        if getattr(self, "_join", ("", ""))[0]:
            self._show_join()  # the QR code scales with the text
        self._size_radar_text()
        self._size_level_names()
        row: _LevelRow | _RankRow
        for row in self._level_rows:
            row.layout.setSpacing(round(base * 0.4))
            row.badge.setFixedSize(round(base * 1.15), round(base * 1.0))
            row.bar_box.setMinimumWidth(round(base * 4.2))
            row.bar.setFixedHeight(round(base * 0.55))
            bar_layout = row.bar_box.layout()
            assert bar_layout is not None  # the bar and its count
            bar_layout.setSpacing(round(base * 0.25))
            row.count.setFixedWidth(round(base * 1.1))
            row.bar.set_colours(t.bar, t.track)
        for row in self._rank_rows:
            self._size_rank_row(row)
        self._size_title()
        self._rank_layout.setSpacing(round(base * 0.15))

    def _size_level_names(self) -> None:
        """The level-name column is as wide as the widest name (within limits)."""
        base = self._base or 20.0
        font = QFont(self.font())
        font.setPixelSize(max(1, round(base * FONT_ROLES["item-strong"][0])))
        font.setBold(True)
        metrics = QFontMetrics(font)
        widest = max((metrics.horizontalAdvance(TextFitter.full_text(r.name))
                      for r in self._level_rows if not r.widget.isHidden()), default=0)
        # A metric's bucket ("Between once a month and once every six months") is what the
        # room picks: it gets the room it needs, its DORA level beside it is short.
        slide = self._slide
        # (after the reveal the bars need their share of the narrower column)
        if isinstance(slide, sl.PillarSlide) and slide.metric_id:
            most = round(base * (13 if slide.revealed else 16))
        else:
            most = round(base * 6.5)
        width = min(most, max(round(base * 3.5), widest + round(base * 0.3)))
        for row in self._level_rows:
            if row.name.width() != width or row.name.minimumWidth() != width:
                row.name.setFixedWidth(width)

    def _size_title(self) -> None:
        """The header's title is as wide as its text, up to 60% of the window (then "…")."""
        title = self.ui.stepTitle
        title.ensurePolished()
        natural = QFontMetrics(title.font()).horizontalAdvance(TextFitter.full_text(title))
        title.setFixedWidth(max(1, min(natural + 4, round(self.width() * 0.6))))

    def _size_rank_row(self, row: _RankRow) -> None:
        base = self._base or 20.0
        row_layout = row.widget.layout()
        assert row_layout is not None  # mark, mean, text
        row_layout.setSpacing(round(base * 0.35))
        row.mark.setFixedWidth(round(base * 0.9))
        row.mean.setFixedWidth(round(base * 1.6))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._tick.stop()
        super().closeEvent(event)
