"""The delivery-metrics panel of the Measurement step.

A table of the team's metrics (DORA's five and the product questions): the
answer, its DORA level (with the report year), how it is known, last time
and the change. Below it, the selected metric's editor: the room's
estimate (each person's bucket, or a show of hands; the median is
recorded and a room that disagrees is flagged), or a value typed in with
its source. *Import deployment log…* measures four metrics from a CSV.
Every change goes through the :class:`~calms_desktop.gui.commands.WorkshopController`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import deploylog, privacy
from ...core.i18n import N_, _, ngettext
from ...core.metrics import (
    Basis,
    Metric,
    MetricKind,
    MetricRecord,
    catalogue,
    metric_rows,
    source_text,
)
from ...core.model import Pillar, PillarState
from ...core.validate import system_reason
from ...room.ballots import Refusal
from ..screens.base import ask

if TYPE_CHECKING:
    from ..commands import WorkshopController

COLUMNS = (N_("Metric"), N_("Now"), N_("DORA level"), N_("Change"), N_("Last time"),
           N_("How it is known"))
NO_PICK = "—"
PICKED = N_("✓ picked")
HIDDEN_PICK = -1  # the data of the "✓ picked" item: a pick whose bucket is not shown
FLAG = QColor("#b07800")


def _combo() -> QComboBox:
    """A bucket chooser that fits a narrow pane (the long labels show when it opens)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


class _ChooseInPopup(QObject):
    """A pick combo changes only by a choice made in its open list.

    On a closed combo, Up/Down would save a pick per key press — and since the
    combo then shows "✓ picked" again, the next press always lands on the first
    bucket (the breaking pass recorded "More than six months" for "Less than
    an hour"). So the arrows open the list, where they move the highlight, and
    Enter (or a click) chooses; the wheel changes nothing.
    """

    KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                      Qt.Key.Key_Home, Qt.Key.Key_End})

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(obj, QComboBox):
            return False
        if event.type() == QEvent.Type.Wheel:
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in self.KEYS and not event.modifiers()):
            obj.showPopup()
            return True
        return False


def _wrapped(markup: str) -> QLabel:
    label = QLabel(markup)
    label.setWordWrap(True)
    return label


class MetricsPanel(QWidget):
    """The team's delivery metrics, and the editor of the selected one.

    Signals:
        log_imported(str): a deployment log was measured (its summary, for the status bar).

    Args:
        controller: the :class:`~calms_desktop.gui.commands.WorkshopController`.
        parent: the owning widget.
        choose_file: asks for a CSV path ("" when cancelled); replaced in tests.
    """

    log_imported = Signal(str)

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("metricsPanel")
        self._choose_in_popup = _ChooseInPopup(self)
        cat = catalogue()
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        source = QLabel(_("Levels: {source} (DORA) — where this team's bucket falls, never a "
                          "ranking of teams.").format(source=cat.source))
        source.setWordWrap(True)
        source.setToolTip(cat.why)
        top.addWidget(source, 1)
        self.import_button = QPushButton(_("Import deployment log…"))
        self.import_button.setToolTip(_("A CSV with deployed_at, committed_at, failed, "
                                        "restored_at: measures lead time, frequency, change "
                                        "fail rate and recovery time"))
        self.import_button.clicked.connect(self.import_log)
        top.addWidget(self.import_button)
        box.addLayout(top)
        #: the last import's result: the file, its period and sample (also on log_imported)
        self.import_status = QLabel(self)
        self.import_status.setObjectName("metricsImportStatus")
        self.import_status.setWordWrap(True)
        self.import_status.setVisible(False)
        box.addWidget(self.import_status)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("metricsTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # One line a metric, elided (the full text is the tooltip and the editor's
        # title): wrapped, a row took most of the pane at 1366×768.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((150, 170, 80, 100, 150)):
            self.table.setColumnWidth(col, width)
        self.table.currentCellChanged.connect(lambda row, *_: self._on_current(row))
        box.addWidget(self.table, 3)

        self.editor_title = QLabel()
        f = self.editor_title.font()
        f.setBold(True)
        self.editor_title.setFont(f)
        self.editor_title.setWordWrap(True)
        box.addWidget(self.editor_title)
        self.editor_area = QScrollArea(self)
        self.editor_area.setWidgetResizable(True)
        box.addWidget(self.editor_area, 2)

        self._quiet = False
        #: what the last import recorded (metric id -> record, None: cleared)
        self._imported: dict[str, MetricRecord | None] = {}
        self._metrics: list[Metric] = list(cat.metrics)
        self.table.setRowCount(len(self._metrics))
        controller.metrics_changed.connect(self.refresh)
        controller.participants_changed.connect(self.refresh)
        controller.pillar_state_changed.connect(self.refresh)  # the reveal shows the medians
        self.choose_file = self._choose_file
        self.refresh()
        self.table.setCurrentCell(0, 0)

    # -- the table ------------------------------------------------------------------
    def _on_current(self, row: int) -> None:
        self._show_editor(row)
        self._announce()

    def _announce(self) -> None:
        """Tell the room which metric it estimates (the projector shows its buckets): the
        selected bucket metric while this panel is on screen, none otherwise."""
        m = self.current_metric()
        shown = self.isVisible() and m is not None and m.kind == MetricKind.BUCKET
        try:
            self.controller.set_metric_on_show(m.id if shown and m is not None else "")
        except RuntimeError:  # the controller is gone (the workshop closed first)
            pass

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._announce()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._announce()

    def current_metric(self) -> Metric | None:
        row = self.table.currentRow()
        return self._metrics[row] if 0 <= row < len(self._metrics) else None

    def refresh(self, _change: object = None) -> None:
        """Re-read the metrics from the workshop (and its baseline)."""
        ws = self.controller.workshop
        base = self.controller.baseline()
        rows = {r.metric_id: r for r in metric_rows(ws.metrics, base.metrics if base else None)}
        for i, m in enumerate(self._metrics):
            r = rows.get(m.id)
            before = r.before if r else ""
            if r is not None and r.before_period:  # which time last time's figure covers
                before = f"{before} · {r.before_period}"
            cells = [m.name, r.answer if r else "—", r.band if r else "",
                     r.change if r else "", before,
                     r.how if r else _("not recorded")]
            rec = ws.metrics.get(m.id)
            # the console may be mirrored: no median before the reveal, and in an
            # anonymous workshop none from too few picks (the privacy rule)
            held = privacy.metric_withheld_text(ws, rec) if rec is not None else ""
            hidden = bool(held)
            if hidden:
                cells[1:4] = [held, "", ""]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(m.question if col == 0 else text)
                if r is not None and r.flagged and col == 1 and not hidden:
                    item.setText(_("{answer} · the room disagrees").format(answer=text))
                    item.setForeground(QBrush(FLAG))
                self.table.setItem(i, col, item)
        self._show_import_status()
        if self._quiet:  # a pick: the editor stays (focus and all), its title follows
            self._show_title(self.table.currentRow())
        else:
            self._show_editor(self.table.currentRow())

    def _held(self, rec: MetricRecord | None) -> bool:
        """Is this a room estimate whose result the room may not see (yet)?"""
        return rec is not None and not privacy.can_show_metric(self.controller.workshop, rec)

    def _names_hidden(self) -> bool:
        """In an anonymous workshop once results show: who picked is only a count, never
        a name beside a result (one "✓ picked" next to a one-answer median is that pick)."""
        ws = self.controller.workshop
        return ws.is_anonymous and privacy.results_visible(ws, Pillar.MEASUREMENT)

    # -- the editor of one metric ---------------------------------------------------
    def _show_editor(self, row: int) -> None:
        if not 0 <= row < len(self._metrics):
            return
        m = self._metrics[row]
        rec = self.controller.workshop.metrics.get(m.id)
        self._show_title(row)
        page = QWidget()
        form = QFormLayout(page)
        # A label too long for its field's row goes above it (German ones do in a
        # narrow pane), so the editor never needs a horizontal scroll bar.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        if m.kind == MetricKind.BUCKET:
            self._bucket_editor(form, m, rec)
        self._value_editor(form, m, rec)
        old = self.editor_area.takeWidget()
        self.editor_area.setWidget(page)
        if old is not None:
            old.deleteLater()

    def _show_title(self, row: int) -> None:
        """The editor's title: the metric, its question and how it is known now."""
        if not 0 <= row < len(self._metrics):
            return
        m = self._metrics[row]
        rec = self.controller.workshop.metrics.get(m.id)
        how = metric_rows({m.id: rec})[0].how if rec else _("not recorded yet")
        self.editor_title.setText(_("{metric}: {question} — {how}").format(
            metric=m.name, question=m.question, how=how))

    def _bucket_editor(self, form: QFormLayout, m: Metric, rec: MetricRecord | None) -> None:
        ws = self.controller.workshop
        measured = rec is not None and rec.basis == Basis.MEASURED
        done = ws.pillar_states.get(Pillar.MEASUREMENT) == PillarState.DONE
        open_ = not measured and not done
        form.addRow(_wrapped(_("<b>The room's estimate</b> — each person picks a bucket; "
                               "the median is recorded (with an even number of picks, the "
                               "worse of the two middle buckets).")))
        picks = dict(rec.picks) if rec else {}
        self.pick_boxes: dict[str, QComboBox] = {}
        self.picked_count: QLabel | None = None
        if self._names_hidden():
            n = len(picks)
            self.picked_count = _wrapped(ngettext(
                "{n} person has picked — in an anonymous workshop no name is shown beside "
                "the result.",
                "{n} people have picked — in an anonymous workshop no name is shown beside "
                "the result.", n).format(n=n))
            self.picked_count.setObjectName("metricsPickedCount")
            form.addRow(self.picked_count)
        for person in ws.participants if not self._names_hidden() else ():
            combo = _combo()
            combo.addItem(NO_PICK, None)
            for i, b in enumerate(m.buckets):
                combo.addItem(b.label, i)
            at = picks.get(person.id)
            if at is not None and (ws.is_anonymous or self._held(rec)):
                # like the vote grid's ✓: that someone picked, never what (a mirrored
                # console before the reveal; an anonymous workshop always)
                combo.insertItem(1, _(PICKED), HIDDEN_PICK)
                combo.setCurrentIndex(1)
            else:
                combo.setCurrentIndex(0 if at is None else at + 1)
            combo.setEnabled(open_)
            combo.installEventFilter(self._choose_in_popup)
            combo.activated.connect(
                lambda _i, pid=person.id, c=combo, mid=m.id: self._pick(mid, pid, c))
            self.pick_boxes[person.id] = combo
            form.addRow(person.name, combo)
        hands = dict(rec.hands) if rec else {}
        self.hand_spins: list[QSpinBox] = []
        self.hand_labels: list[QLabel] = []
        # Each count under its bucket's short label, so the room's hands go in the right box
        # (and a screen reader names each box); two rows of three fit a narrow pane.
        row = QGridLayout()
        row.setContentsMargins(0, 0, 0, 0)
        per_row = 3
        for i, b in enumerate(m.buckets):
            spin = QSpinBox()
            spin.setRange(0, 999)
            spin.setValue(hands.get(i, 0))
            spin.setToolTip(b.label)
            spin.setAccessibleName(_("Hands for {bucket}").format(bucket=b.label))
            spin.setEnabled(open_)
            caption = QLabel(b.short or b.label)
            caption.setWordWrap(True)
            caption.setBuddy(spin)
            self.hand_spins.append(spin)
            self.hand_labels.append(caption)
            r, c = divmod(i, per_row)
            row.addWidget(caption, 2 * r, c)
            row.addWidget(spin, 2 * r + 1, c)
        record = QPushButton(_("Record hands"))
        record.setEnabled(open_)
        record.clicked.connect(lambda: self._record_hands(m))
        # The button under the counts: beside six of them the row was wider than the pane.
        button_row = QHBoxLayout()
        button_row.addWidget(record)
        button_row.addStretch(1)
        stacked = QVBoxLayout()
        stacked.setContentsMargins(0, 0, 0, 0)
        stacked.addLayout(row)
        stacked.addLayout(button_row)
        holder = QWidget()
        holder.setLayout(stacked)
        form.addRow(_("Show of hands (worst → best)"), holder)
        if measured:
            form.addRow(_wrapped(_("Measured — clear it below to let the room estimate.")))
        elif done:
            form.addRow(_wrapped(_("Measurement is done — reopen the pillar to change the "
                                   "estimate.")))

    def _pick(self, metric_id: str, participant_id: str, combo: QComboBox) -> None:
        """One person's pick; the editor stays as it is (focus and all), the table updates."""
        bucket = combo.currentData()
        if bucket == HIDDEN_PICK:
            return
        self._quiet = True
        try:
            outcome = self.controller.estimate_metric(metric_id, participant_id, bucket)
            if not outcome.accepted and outcome.code == Refusal.TOO_MANY_HANDS:
                # as for statements: more estimates than people are asked about
                if self._confirm_count(outcome.reason):
                    outcome = self.controller.estimate_metric(metric_id, participant_id,
                                                              bucket, confirmed=True)
            saved = outcome.accepted
        finally:
            self._quiet = False
        if not saved:  # the combo goes back to what is recorded
            self._show_editor(self.table.currentRow())
            return
        ws = self.controller.workshop
        if saved and bucket is not None and (ws.is_anonymous
                                             or self._held(ws.metrics.get(metric_id))):
            combo.blockSignals(True)  # show that the person picked, not what
            if combo.findData(HIDDEN_PICK) < 0:
                combo.insertItem(1, _(PICKED), HIDDEN_PICK)
            combo.setCurrentIndex(combo.findData(HIDDEN_PICK))
            combo.blockSignals(False)

    def _record_hands(self, m: Metric) -> None:
        hands = {i: s.value() for i, s in enumerate(self.hand_spins) if s.value()}
        outcome = self.controller.estimate_metric_hands(m.id, hands)
        if not outcome.accepted and outcome.code == Refusal.TOO_MANY_HANDS:
            if self._confirm_count(outcome.reason):
                self.controller.estimate_metric_hands(m.id, hands, confirmed=True)

    def _confirm_count(self, reason: str) -> bool:
        """Ask whether a count above the room is right (replaced in tests)."""
        return ask(self, _("Check the count"), reason + "\n\n" + _("Record it anyway?"))

    def _value_editor(self, form: QFormLayout, m: Metric, rec: MetricRecord | None) -> None:
        form.addRow(_wrapped(_("<b>Or record it</b> — from a tool, or as someone's estimate.")))
        self.value_bucket: QComboBox | None = None
        self.value_number: QDoubleSpinBox | None = None
        if m.kind == MetricKind.BUCKET:
            combo = _combo()
            for i, b in enumerate(m.buckets):
                combo.addItem(b.label, i)
            if rec is not None and rec.bucket is not None:
                combo.setCurrentIndex(rec.bucket)
            self.value_bucket = combo
            form.addRow(_("Bucket"), combo)
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(0)
            spin.setRange(0, 1e9)
            spin.setGroupSeparatorShown(True)
            if rec is not None and rec.value is not None:
                spin.setValue(rec.value)
            self.value_number = spin
            form.addRow(_("Number"), spin)
        self.basis_box = QComboBox()
        self.basis_box.addItem(_("measured"), Basis.MEASURED)
        self.basis_box.addItem(_("estimated"), Basis.ESTIMATED)
        if rec is not None and rec.basis == Basis.ESTIMATED:
            self.basis_box.setCurrentIndex(1)
        form.addRow(_("Known by"), self.basis_box)
        self.source_edit = QLineEdit(rec.source if rec and rec.source != "room" else "")
        self.source_edit.setPlaceholderText(_("which tool (Grafana, Jira …) or who estimated it"))
        form.addRow(_("Source"), self.source_edit)
        buttons = QHBoxLayout()
        save = QPushButton(_("Record"))
        save.clicked.connect(lambda: self._record_value(m))
        clear = QPushButton(_("Clear"))
        clear.setEnabled(rec is not None)
        clear.clicked.connect(lambda: self.controller.set_metric(m.id, None))
        buttons.addWidget(save)
        buttons.addWidget(clear)
        buttons.addStretch(1)
        holder = QWidget()
        holder.setLayout(buttons)
        form.addRow("", holder)

    def _record_value(self, m: Metric) -> None:
        basis = Basis(self.basis_box.currentData())  # Qt hands the enum back as text
        source = self.source_edit.text().strip()
        if self.value_bucket is not None:
            rec = MetricRecord(m.id, basis, bucket=self.value_bucket.currentData(), source=source)
        else:
            assert self.value_number is not None
            rec = MetricRecord(m.id, basis, value=self.value_number.value(), source=source)
        if not self._may_replace_estimates([m.id]):
            return
        self.controller.set_metric(m.id, rec)

    def _estimates_text(self, metric_ids: list[str]) -> str:
        """The room's estimates (picks, hands) among ``metric_ids``, listed ("" when none)."""
        ws = self.controller.workshop
        names = {m.id: m.name for m in catalogue().metrics}
        estimated = [(names.get(mid, mid), len(rec.picks) + sum(dict(rec.hands).values()))
                     for mid in metric_ids
                     if (rec := ws.metrics.get(mid)) is not None and (rec.picks or rec.hands)]
        if not estimated:
            return ""
        listed = "\n".join(
            "• " + ngettext("{metric}: {n} answer", "{metric}: {n} answers", n).format(
                metric=name, n=n) for name, n in estimated)
        return _("The room has estimated:\n{listed}").format(listed=listed)

    def _may_replace_estimates(self, metric_ids: list[str]) -> bool:
        """Ask before a value replaces what the room estimated (picks, hands)."""
        listed = self._estimates_text(metric_ids)
        if not listed:
            return True
        return ask(self, _("Replace the room's estimate?"),
                   listed + "\n\n" + _("Replace it? Undo (Ctrl+Z) brings it back."))

    # -- a deployment log ----------------------------------------------------------------
    def _choose_file(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a deployment log"), "",
                                                    _("CSV files (*.csv);;All files (*)"))
        return path

    def import_log(self) -> bool:
        """Ask for a CSV, measure it and record its metrics (one undoable step)."""
        path = self.choose_file()
        if not path:
            return False
        return self.import_path(Path(path))

    def import_path(self, path: Path) -> bool:
        if self.controller.workshop.pillar_states.get(Pillar.MEASUREMENT) == PillarState.DONE:
            QMessageBox.information(self, _("Deployment log not imported"),
                                    _("Measurement is done — reopen the pillar to import a log."))
            return False
        try:
            with path.open("rb") as f:
                raw = f.read(deploylog.MAX_LOG_BYTES + 1)
            summary, records = deploylog.measure(raw, path.name)
        except OSError as exc:
            QMessageBox.warning(self, _("Deployment log not imported"),
                                _("{file}: cannot read it ({reason})").format(
                                    file=path.name, reason=system_reason(exc)))
            return False
        except deploylog.DeployLogError as exc:
            QMessageBox.warning(self, _("Deployment log not imported"), str(exc))
            return False
        ws = self.controller.workshop
        plan = deploylog.plan_import(ws.metrics, records)
        base = self.controller.baseline()
        odd = "\n".join(deploylog.period_warnings(summary, ws.date, base.date if base else ""))
        # Say plainly what a second log (or a log over typed-in figures) replaces and
        # clears — the two logs' rows are never mixed — and what is odd about its dates,
        # and ask before doing it.
        question = "\n\n".join(t for t in (odd, self._estimates_text(list(records)),
                                             plan.text()) if t)
        if question and not ask(self, _("Replace what is recorded?"),
                                question + "\n\n" + _("Import it? Undo (Ctrl+Z) brings the "
                                                       "earlier figures back.")):
            return False
        if not self.controller.record_metrics(plan.changes, source_text(
                deploylog.LOG_SOURCE + path.name)):
            return False
        text = deploylog.imported_text(path.name, summary, len(records))
        self.import_status.setText("\n".join(t for t in (text, odd, plan.text()) if t))
        self._imported = plan.changes
        self._show_import_status()
        self.log_imported.emit(text)
        return True

    def _show_import_status(self) -> None:
        """The last import's status, only while the workshop holds what it recorded: an
        undo of the import hides it (a redo shows it again), as does any later change to
        those metrics."""
        ws = self.controller.workshop
        self.import_status.setVisible(bool(self._imported) and all(
            ws.metrics.get(mid) == rec for mid, rec in self._imported.items()))

