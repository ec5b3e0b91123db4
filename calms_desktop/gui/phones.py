"""Phones on the room's network: the gateway to the room, and the console's panel.

:class:`PhoneGateway` is the GUI side of :class:`~calms_desktop.net.gateway.RoomGateway`:
the phone server calls it from its own thread; every call is queued onto the
GUI thread (a queued signal), where ballots go through the room's one ballot
path (``Room.submit_many``: a burst checked ballot by ballot and written once)
and the future is resolved with the outcomes only after the write. The server
never touches the workshop.

:class:`PhonesPanel` is what the facilitator sees: open and close phone
voting, the address phones use (with a choice when there are several), the
QR code, URL and PIN (and a new PIN), who has joined and answered, join
requests to approve, a device to remove, and what to do when phones cannot
connect. Views for the phones are rebuilt from the room (coalesced) whenever
it changes and published to the server.
"""

from __future__ import annotations

import copy
import errno
import gc
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.ballots import Ballot
from ..core.errors import CalmsError
from ..core.i18n import _, active
from ..core.metric_ops import MetricBallot
from ..core.metrics import catalogue
from ..core.model import SUMMARY_STEP, Pillar, PillarState
from ..core.operations import PutParticipant
from ..core.validate import system_reason
from ..net import addresses
from ..net.gateway import (
    METRIC_PREFIX,
    BallotOutcome,
    JoinOutcome,
    JoinRequest,
    JoinStatus,
    PhoneBallot,
)
from ..net.room_view import build_view
from ..room.ballots import AnyBallot, Refusal
from ..room.phones import DeviceRegistry, Joined
from .screens.base import ask
from .throttle import Throttle

if TYPE_CHECKING:
    from ..net.protocol import Limits
    from ..net.server import PhoneServer
    from .commands import WorkshopController

#: room refusal -> the phone protocol's ballot code
_CODES = {
    Refusal.REVEALED.value: "revealed",
    Refusal.FINISHED.value: "revealed",
    Refusal.NOT_OPEN.value: "voting_closed",
    Refusal.NOT_SAVED.value: "save_failed",
    Refusal.INVALID.value: "invalid_score",
}
PUBLISH_MS = 100  # coalesce a burst of changes into one view for the phones
TABLE_MS = 1000  # the device table's "this pillar: n of 5" while phones vote
QR_SCALE = 4  # pixels per module on the console (the projector shows the big one)


class _VerticalScroll(QScrollArea):
    """A scroll area that scrolls up and down only: as wide as its content needs."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _extra_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        hint = super().minimumSizeHint()
        if inner is None:
            return hint
        return QSize(inner.minimumSizeHint().width() + self._extra_width(), hint.height())

    def sizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        want = inner.sizeHint()
        return QSize(want.width() + self._extra_width(), want.height())


class PhoneGateway(QObject):
    """The room, as the phone server sees it (every method is thread-safe).

    Signals:
        pending_changed(): a join now waits for the facilitator (or no longer).
        joined(str): a device was bound (its token).
    """

    pending_changed = Signal()
    joined = Signal(str)
    _ballots = Signal(object, object)
    _unsaved = Signal(object, object, str)
    _join = Signal(object, object)
    _pdf = Signal(object)

    def __init__(self, controller: WorkshopController, devices: DeviceRegistry,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.devices = devices
        self._pdf_worker = ThreadPoolExecutor(1, thread_name_prefix="phone-pdf")
        queued = Qt.ConnectionType.QueuedConnection
        self._ballots.connect(self._take_ballots, queued)
        self._unsaved.connect(self._take_unsaved, queued)
        self._join.connect(self._take_join, queued)
        self._pdf.connect(self._take_pdf, queued)

    # -- called from the server's thread --------------------------------------------
    def submit(self, ballots: Sequence[PhoneBallot]) -> Future[list[BallotOutcome]]:
        future: Future[list[BallotOutcome]] = Future()
        self._ballots.emit(list(ballots), future)
        return future

    def join(self, request: JoinRequest) -> Future[JoinOutcome]:
        future: Future[JoinOutcome] = Future()
        self._join.emit(request, future)
        return future

    def attendee_pdf(self) -> Future[bytes | None]:
        future: Future[bytes | None] = Future()
        self._pdf.emit(future)
        return future

    def close(self) -> None:
        """Phone voting ends: the bursts on their way to disk land (or are taken back)."""
        room = self.controller.room
        room.flush()
        if room.session.write_failed:
            self.controller.revert_unsaved(_("the last phone votes could not be written"))
        self._pdf_worker.shutdown(wait=False, cancel_futures=True)

    # -- on the GUI thread ---------------------------------------------------------------
    @Slot(object, object)
    def _take_ballots(self, ballots: list[PhoneBallot], future: Future) -> None:
        """Apply a burst now; answer the phones once it is on disk (the writer thread)."""
        if not future.set_running_or_notify_cancel():
            return
        try:
            outcomes, durable = self.apply_deferred(ballots)
        except BaseException as exc:  # the phone must always hear back
            future.set_exception(exc)
            return
        if durable is None:
            future.set_result(outcomes)
            return

        def written(done: Future[None]) -> None:  # on the writer thread
            if done.exception() is None:
                future.set_result(outcomes)
            else:
                try:
                    self._unsaved.emit(outcomes, future, str(done.exception()))
                except RuntimeError:  # the panel is gone: the phones are disconnected
                    future.set_result([BallotOutcome.refused("save_failed")] * len(outcomes))

        durable.add_done_callback(written)

    @Slot(object, object, str)
    def _take_unsaved(self, outcomes: list[BallotOutcome], future: Future, why: str) -> None:
        """The burst's write failed: out of the room again, and "not saved" to each phone."""
        self.controller.revert_unsaved(why)
        not_saved = BallotOutcome.refused(
            "save_failed", _("not saved: {reason}").format(reason=why))
        future.set_result([not_saved if o.accepted else o for o in outcomes])

    def apply_deferred(self, ballots: list[PhoneBallot]
                       ) -> tuple[list[BallotOutcome], Future[None] | None]:
        """Check each ballot's device and statement, then the room's one ballot path."""
        room = self.controller.room
        ws = room.workshop
        outcomes: list[BallotOutcome | None] = []
        valid: list[AnyBallot] = []
        for b in ballots:
            if self.devices.participant_of(b.device_token) != b.participant_id:
                outcomes.append(BallotOutcome.refused("unknown_participant"))
                continue
            if b.statement_id.startswith(METRIC_PREFIX):  # an estimate of a delivery metric
                metric_id = b.statement_id[len(METRIC_PREFIX):]
                if not catalogue().has(metric_id):
                    outcomes.append(BallotOutcome.refused("unknown_statement"))
                elif room.step != Pillar.MEASUREMENT.value:
                    outcomes.append(BallotOutcome.refused("not_current"))
                else:
                    outcomes.append(None)
                    valid.append(MetricBallot(metric_id, b.participant_id, b.score,
                                              source="phone"))
                continue
            if not ws.questionnaire.has_statement(b.statement_id):
                outcomes.append(BallotOutcome.refused("unknown_statement"))
                continue
            if ws.questionnaire.statement(b.statement_id).pillar.value != room.step:
                outcomes.append(BallotOutcome.refused("not_current"))
                continue
            outcomes.append(None)
            valid.append(Ballot(b.statement_id, b.participant_id, b.score, source="phone"))
        recorded, durable = (self.controller.submit_many_deferred(valid) if valid
                             else ([], None))
        results = iter(recorded)
        out: list[BallotOutcome] = []
        for o in outcomes:
            if o is not None:
                out.append(o)
                continue
            r = next(results)
            out.append(BallotOutcome(True) if r.accepted else
                       BallotOutcome.refused(_CODES.get(r.code, "invalid_score"), r.reason))
        return out, durable

    @Slot(object, object)
    def _take_join(self, request: JoinRequest, future: Future) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(self.answer_join(request))
        except BaseException as exc:
            future.set_exception(exc)

    def answer_join(self, request: JoinRequest) -> JoinOutcome:
        ws = self.controller.workshop
        answer = self.devices.join(ws, request.device_token, request.participant_id or "",
                                   request.newcomer_name or "", request.address)
        if answer.status == Joined.PENDING:
            self.pending_changed.emit()
            return JoinOutcome(JoinStatus.PENDING)
        if answer.status == Joined.REFUSED:
            return JoinOutcome(JoinStatus.REFUSED, code=answer.code, reason=answer.reason)
        return self._bind(request.device_token, answer)

    def _bind(self, token: str, answer, *,  # type: ignore[no-untyped-def]
              undoable: bool = False) -> JoinOutcome:
        """Add the newcomer (if any), then bind the device.

        ``undoable``: the facilitator let the newcomer in — one step on the undo
        stack ("Undo participant Kwame"), so the next Ctrl+Z undoes that and not
        an earlier vote; undoing it also unbinds the phone.
        """
        if answer.newcomer is not None:
            op = PutParticipant(answer.newcomer)
            if undoable:
                if not self.controller.do(op):  # the console hears why (error)
                    return JoinOutcome(JoinStatus.REFUSED, code="closed",
                                       reason=_("could not add you; ask the facilitator"))
            else:
                try:
                    self.controller.room.execute(op)
                except (CalmsError, OSError) as exc:
                    return JoinOutcome(JoinStatus.REFUSED, code="closed",
                                       reason=_("could not add you: {reason}").format(
                                           reason=exc))
        try:
            self.devices.bind(token, answer.participant_id)
        except OSError as exc:
            return JoinOutcome(JoinStatus.REFUSED, code="closed",
                               reason=_("not saved: {reason}").format(reason=exc))
        self.joined.emit(token)
        return JoinOutcome(JoinStatus.JOINED, answer.participant_id)

    def approve(self, token: str) -> bool:
        """The facilitator lets a waiting phone in (the console's button)."""
        answer = self.devices.approve(self.controller.workshop, token)
        ok = answer.status == Joined.JOINED and self._bind(
            token, answer, undoable=True).status == JoinStatus.JOINED
        self.pending_changed.emit()
        return ok

    def decline(self, token: str) -> None:
        self.devices.decline(token)
        self.pending_changed.emit()

    @Slot(object)
    def _take_pdf(self, future: Future) -> None:
        if not future.set_running_or_notify_cancel():
            return
        if self.controller.step != SUMMARY_STEP:
            future.set_result(None)
            return
        ws = copy.deepcopy(self.controller.workshop)  # the worker reads a snapshot
        baseline = self.controller.baseline()
        translator = active()  # the room's language; the worker thread starts in English

        def build() -> bytes:
            from ..reports import ExportKind, build_export

            return build_export(ExportKind.ATTENDEE_PDF, ws, baseline, translator=translator)

        work = self._pdf_worker.submit(build)
        work.add_done_callback(lambda f: _chain(f, future))


def _chain(done: Future, future: Future) -> None:
    exc = done.exception()
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(done.result())


class PhonesPanel(QWidget):
    """The console's phone-voting panel (put in a dock by the main window).

    Signals:
        join_info_changed(str, str): URL and PIN phones use ("" when closed) — the
            projector shows them with the QR code.

    Args:
        controller: the open workshop.
        data_dir: where device bindings are kept (``phones.json``).
        port: the port to listen on (0: any free one).
    """

    join_info_changed = Signal(str, str)

    def __init__(self, controller: WorkshopController, data_dir: Path | None, port: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phonesPanel")
        self.controller = controller
        self.port = port
        path = data_dir / "phones.json" if data_dir is not None else None
        self.devices = DeviceRegistry(path, controller.workshop.id)
        self.devices.forget_missing(controller.workshop)
        self.gateway = PhoneGateway(controller, self.devices, self)
        self.server: PhoneServer | None = None
        #: message, rate and connection limits (the server's defaults unless set)
        self.limits: Limits | None = None
        self._table_throttle = Throttle(self._fill_devices, TABLE_MS, self)
        self._publish = QTimer(self)
        self._publish.setSingleShot(True)
        self._publish.setInterval(PUBLISH_MS)
        self._publish.timeout.connect(self.publish)
        self._online = QTimer(self)  # who is connected: the server knows, the table shows
        self._online.setInterval(2000)
        self._online.timeout.connect(self._fill_devices)

        # Everything scrolls in one column: at 1366 × 768 with phone voting open the
        # panel (QR code, device table, buttons, advice) is taller than the dock, and
        # its minimum height would push the console's status bar below the screen.
        body = QWidget(self)
        body.setObjectName("phonesPanelBody")
        box = QVBoxLayout(body)
        row = QHBoxLayout()
        self.address = QComboBox(self)
        self.address.setAccessibleName(_("Address phones use"))
        self.address.setToolTip(_("The network phones must be on; the one with the default "
                                "route comes first"))
        # A long address label ("wlan0 — 192.168.1.20 (Standardroute)") must not widen
        # the panel past a 1366-pixel screen: the closed combo shows what fits.
        self.address.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.address.setMinimumContentsLength(14)
        self.toggle_button = QPushButton(_("Open phone votin&g"), self)
        self.toggle_button.clicked.connect(self.toggle)
        # each on its own row: side by side in a 340-pixel dock, German cut both
        # ("eth0 — 192.0.2.2 (Stand…", "Telefon-Abstimmung schließe")
        box.addWidget(self.address)
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        box.addLayout(row)
        self.qr = QLabel(self)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName(_("QR code of the address"))
        box.addWidget(self.qr)
        self.join_label = QLabel(self)
        self.join_label.setTextFormat(Qt.TextFormat.PlainText)
        self.join_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.join_label.setWordWrap(True)
        box.addWidget(self.join_label)
        pin_row = QHBoxLayout()
        self.pin_button = QPushButton(_("New PIN"), self)
        self.pin_button.setToolTip(_("Draw a new join PIN; phones that joined stay joined"))
        self.pin_button.clicked.connect(self.rotate_pin)
        pin_row.addStretch(1)
        pin_row.addWidget(self.pin_button)
        box.addLayout(pin_row)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        box.addWidget(self.status)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_("Phone of"), _("Online"), _("This pillar")])
        self.table.setAccessibleName(_("Phones that joined"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # at least five rows: waiting requests must be readable at 1366×768
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + 5 * self.table.verticalHeader().defaultSectionSize() + 4)
        self.table.horizontalHeader().setStretchLastSection(True)
        box.addWidget(self.table, 1)
        # Two rows of two: side by side, the four German labels made the panel 460 px wide.
        actions = QGridLayout()
        self.remove_button = QPushButton(_("Remove phone"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.approve_button = QPushButton(_("Let in"), self)
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.decline_button = QPushButton(_("Decline"), self)
        self.decline_button.clicked.connect(lambda: self._decide(False))
        self.decline_all_button = QPushButton(_("Decline all waiting"), self)
        self.decline_all_button.setToolTip(_("Turn away every phone that waits to join"))
        self.decline_all_button.clicked.connect(self.decline_all)
        for i, b in enumerate((self.approve_button, self.decline_button, self.remove_button,
                               self.decline_all_button)):
            actions.addWidget(b, i // 2, i % 2)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        box.addLayout(actions)
        self.advice = QLabel(self)
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.advice)
        box.addStretch(0)
        self.scroller = _VerticalScroll(self)
        self.scroller.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)

        for signal in (controller.votes_changed, controller.tally_changed,
                       controller.pillar_state_changed, controller.participants_changed,
                       controller.fields_changed, controller.step_changed,
                       controller.phones_changed, controller.metrics_changed):
            signal.connect(self._schedule)
        controller.step_changed.connect(self._set_aside)
        controller.participants_changed.connect(self._forget_missing)
        controller.step_changed.connect(self._refresh_status)
        controller.pillar_state_changed.connect(self._refresh_status)
        self.gateway.pending_changed.connect(self._after_join)
        self.gateway.joined.connect(self._after_join)
        self._fill_addresses()
        self._show_state()

    # -- addresses ------------------------------------------------------------------------
    def _fill_addresses(self) -> None:
        self.address.clear()
        found = addresses.rank(addresses.interfaces())
        for iface in found:
            if iface.offerable or iface.is_loopback:
                self.address.addItem(iface.label, iface.address)
        best = addresses.preferred(found)
        if best is not None:
            self.address.setCurrentIndex(max(0, self.address.findData(best.address)))

    def chosen_address(self) -> str:
        return str(self.address.currentData() or "")

    # -- open / close ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def toggle(self) -> None:
        if self.running:
            self.close_voting()
        else:
            self.open_voting()

    def open_voting(self, host: str | None = None, pin: str | None = None,
                    port: int | None = None) -> bool:
        """Start listening on the chosen address (or ``host``) and let phones vote.

        ``pin`` fixes the join PIN (tests, a room that was told it already,
        a resumed workshop); a random one otherwise. ``port`` overrides the
        panel's port (a resumed workshop's).
        """
        from ..net.server import PhoneServer

        host = host or self.chosen_address()
        port = self.port if port is None else port
        if not host:
            self.status.setText(_("No network address phones could use — see below."))
            self._show_advice(None)
            return False
        try:
            server = PhoneServer(self.gateway, host, port, pin=pin, limits=self.limits,
                                 translator=active())
            server.start()
        except (OSError, RuntimeError, ValueError) as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
                # the system's words are English whatever the app speaks: say it ourselves
                self.status.setText(_(
                    "Port {port} is already in use on {host}: another app (or a second "
                    "CALMS Workshop) listens there. Close it, or start the app with "
                    "--phone-port and another port (or set phones/port in the settings "
                    "file; 0 picks a free one).").format(port=port, host=host))
            else:
                self.status.setText(_("Could not listen on {host}:{port}: {reason}").format(
                    host=host, port=port or _("any port"),
                    reason=system_reason(exc) if isinstance(exc, OSError) else exc))
            return False
        self.server = server
        gc.collect()
        self._set_aside()
        self._remember_place()
        self.publish()
        self._online.start()
        self._show_state()
        return True

    def _set_aside(self, *_args: object) -> None:
        """Move every object that exists now out of the garbage collector's full passes.

        A room of phones is a stream of small bursts on the GUI thread, and a
        full collection walks every object the app holds (Qt wrappers,
        matplotlib, the workshop's votes): 20–60 ms on a 2-core laptop, the
        longest pause a burst saw. So while phone voting is open, what exists
        at its opening and at each step (the last pillar's votes) is frozen:
        a full pass walks one pillar's new objects only. Closing phone voting
        unfreezes them, and garbage among them is collected as usual.
        """
        if self.server is not None:
            gc.freeze()

    def close_voting(self) -> None:
        """Stop phone voting: phones are disconnected; what they sent is kept."""
        self._online.stop()
        if self.server is not None:
            self.server.stop()
            self.server = None
            gc.unfreeze()  # what was set aside at opening is collected as usual again
        self.controller.set_phones_open(False)
        self._show_state()

    def rotate_pin(self) -> None:
        if self.server is not None:
            self.server.rotate_pin()
            self._remember_place()
            self._show_state()

    def _remember_place(self) -> None:
        """Phone voting is open here: the room (and its resume file) knows where."""
        assert self.server is not None
        self.controller.set_phones_open(True, {"host": self.server.host,
                                               "port": self.server.port,
                                               "pin": self.server.pin})

    def reopen(self, place: dict[str, object]) -> bool:
        """Open phone voting again where a resumed workshop had it (same address, port, PIN).

        Phones that were voting reconnect by themselves. When the address is
        gone (another network, the hotspot off) or the port is taken, the
        panel says so plainly and phone voting stays closed.
        """
        host, port, pin = str(place.get("host", "")), place.get("port"), place.get("pin")
        if self.address.findData(host) < 0:
            self._fill_addresses()
        index = self.address.findData(host)
        if index < 0:
            self.status.setText(_(
                "Phone voting was open on {host} before the restart, but this computer "
                "no longer has that address (another network, or the hotspot is off). "
                "Choose an address and open phone voting again: phones must scan the new "
                "QR code.").format(host=host))
            return False
        self.address.setCurrentIndex(index)
        if self.open_voting(host, str(pin), int(port) if isinstance(port, int) else None):
            return True
        self.status.setText(_(
            "Phone voting could not reopen as before the restart ({why}). Open it again: "
            "phones must scan the new QR code.").format(why=self.status.text()))
        return False

    def shutdown(self) -> None:
        self.close_voting()
        self.gateway.close()

    # -- showing ------------------------------------------------------------------------
    def _show_state(self) -> None:
        running = self.running
        self.toggle_button.setText(_("Close phone votin&g") if running else _("Open phone votin&g"))
        self.address.setEnabled(not running)
        self.pin_button.setEnabled(running)
        self.qr.setVisible(running)
        if running and self.server is not None:
            url, pin = self.server.url, self.server.pin
            pixmap = QPixmap()
            pixmap.loadFromData(addresses.qr_png(url, scale=QR_SCALE), "PNG")
            self.qr.setPixmap(pixmap)
            self.join_label.setText(addresses.join_text(url, pin))
            self.status.setText(self._open_status())
            self.join_info_changed.emit(url, pin)
        else:
            self.join_label.setText("")
            self.status.setText(_("Phone voting is closed. Open it to show a QR code the room "
                                "can scan (no app, no account, no internet)."))
            self.join_info_changed.emit("", "")
        self._show_advice(self._interface())
        self._fill_devices()

    def _open_status(self) -> str:
        """What phones can do now, in words (phone voting is open)."""
        step = self.controller.step
        if step == SUMMARY_STEP:
            return _("Phones can join and download the attendee summary; answers are closed.")
        try:
            pillar = Pillar(step)
        except ValueError:
            return _("Phones can join; answers open when a pillar's voting starts.")
        state = self.controller.workshop.pillar_states.get(pillar, PillarState.NOT_STARTED)
        if state == PillarState.VOTING:
            return _("Phones can join and answer {pillar}.").format(pillar=pillar.title)
        if state in (PillarState.REVEALED, PillarState.DONE):
            return _("{pillar}: the results are shown on the phones; answers are "
                     "closed.").format(pillar=pillar.title)
        return _("Phones can join; {pillar} is not open for answers yet.").format(
            pillar=pillar.title)

    def _forget_missing(self, *_args: object) -> None:
        """A participant left (deleted, or a "Let in" undone): their phone is unbound."""
        if self.devices.forget_missing(self.controller.workshop):
            self.publish()

    def _refresh_status(self, *_args: object) -> None:
        if self.running:
            self.status.setText(self._open_status())

    def _interface(self):  # type: ignore[no-untyped-def]
        for iface in addresses.interfaces():
            if iface.address == self.chosen_address():
                return iface
        return None

    def _show_advice(self, iface) -> None:  # type: ignore[no-untyped-def]
        port = self.server.port if self.server is not None else (self.port or 8765)
        self.advice.setText(_("If phones cannot connect:\n• ") + "\n• ".join(
            addresses.advice(iface, port)))

    def _fill_devices(self) -> None:
        ws = self.controller.workshop
        names = {p.id: p.name for p in ws.participants}
        online = self.server.online() if self.server is not None else frozenset()
        try:
            pillar = Pillar(self.controller.step)
            ids = [s.id for s in ws.questionnaire.section(pillar).statements]
        except ValueError:
            ids = []
        rows: list[tuple[str, str, str, str]] = []
        numbers = {pid: i for i, pid in enumerate((p.id for p in ws.participants), 1)}
        for token, pid in sorted(self.devices.devices.items(),
                                 key=lambda kv: (numbers.get(kv[1], 0), names.get(kv[1], ""))):
            answered = sum(1 for sid in ids if (sid, pid) in ws.votes)
            # anonymous: no name, but a number the facilitator can tell apart
            shown = (_("Phone {number}").format(number=numbers.get(pid, "?"))
                     if ws.is_anonymous else names.get(pid, "?"))
            rows.append((token, shown, _("yes") if token in online else "—",
                         _("{answered} of {total}").format(answered=answered, total=len(ids))
                         if ids else ""))
        for token, request in self.devices.pending.items():
            if request.anonymous:
                who, why = _("a new phone"), _("room full or same address")
            else:
                who = request.newcomer_name or names.get(request.participant_id, "?")
                why = (_("new name") if request.newcomer_name
                       else _("name taken") if self.devices.devices_of(request.participant_id)
                       else _("has answers already"))  # typed on the console, or a removed phone
            rows.append((token, _("waits: {who}").format(who=who),
                         _("yes") if token in online else "—", why))
        selected = self._selected_token()
        self.table.setRowCount(len(rows))
        for r, (token, *cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, token)
                item.setToolTip(text)  # the full text where the column is narrow
                self.table.setItem(r, c, item)
            if token == selected:
                self.table.selectRow(r)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Each button acts on the selected row only, and only when it applies to it."""
        token = self._selected_token()
        self.remove_button.setEnabled(token in self.devices.devices)
        waiting = token in self.devices.pending
        self.approve_button.setEnabled(waiting)
        self.decline_button.setEnabled(waiting)
        self.decline_all_button.setEnabled(bool(self.devices.pending))

    def _selected_token(self) -> str:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return ""
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def remove_selected(self, *, confirm: bool = True) -> bool:
        """Unbind the selected phone, after asking (its answers stay; it must join again)."""
        token = self._selected_token()
        if token not in self.devices.devices:
            return False
        item = self.table.item(self.table.currentRow(), 0)
        who = item.text() if item is not None else _("this phone")
        if confirm and not ask(
                self, _("Remove phone"),
                _("Remove the phone of {who}?\n\nIts answers stay. The phone is "
                  "disconnected and must join again with the PIN.").format(who=who)):
            return False
        self.devices.remove(token)
        self.table.clearSelection()  # never on to the next person: a second click removes no one
        self.publish()
        self._fill_devices()
        return True

    def _decide(self, approve: bool) -> None:
        token = self._selected_token()
        if token not in self.devices.pending:
            return  # only the request the facilitator chose
        if approve:
            self.gateway.approve(token)
        else:
            self.gateway.decline(token)
        self.table.clearSelection()
        self.publish()

    def decline_all(self) -> None:
        for token in list(self.devices.pending):
            self.gateway.decline(token)
        self.publish()

    def _after_join(self, *_args: object) -> None:
        self._fill_devices()
        self._schedule()

    # -- the phones' view ----------------------------------------------------------------
    def _schedule(self, *_args: object) -> None:
        """Coalesce: a burst of phone ballots is one view and one table refresh."""
        if not self._publish.isActive():
            self._publish.start()

    def publish(self) -> None:
        """Build what phones may see now and hand it to the server."""
        if self.isVisible():
            # the device table (a row per phone) at most once a second while a room
            # votes: rebuilt for every burst it held up the GUI thread
            self._table_throttle.request()
        if self.server is None:
            return
        pdf = self.controller.step == SUMMARY_STEP
        self.server.publish(build_view(self.controller.room, self.devices, pdf_available=pdf))
