"""Exporting from the GUI: reports built off the GUI thread, charts saved as images.

* :func:`export_report` asks where to save (unless given a path), then starts
  an :class:`ExportJob`: the PDF or CSV is built by
  :func:`calms_desktop.reports.build_export` on a ``QThreadPool`` worker while a
  progress dialog shows, and the window stays responsive. The result is
  reported with a message box (and by signal).
* :func:`save_figure_dialog` saves a chart as PNG or SVG.

The worker gets a *copy* of the workshop, taken on the GUI thread, so the room
can go on voting while the report is built.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from ..charts.export import FORMATS, save_figure
from ..core.i18n import ENGLISH, N_, Translator, _, activate, active, pgettext
from ..core.model import Workshop
from ..core.progress import WorkshopPoint
from ..core.storage import atomic_write
from ..core.validate import system_reason
from ..reports import ExportKind, build_export, export_filename
from ..reports.branding import Branding

FILTERS = {
    ".pdf": N_("PDF document (*.pdf)"),
    ".csv": N_("CSV spreadsheet (*.csv)"),
}


class _Signals(QObject):
    """How the worker reports back; lives on the GUI thread, so slots run there."""

    succeeded = Signal(str)
    failed = Signal(str)


class _Worker(QRunnable):
    """Builds the export and writes the file (atomically) unless cancelled."""

    def __init__(self, kind: ExportKind, workshop: Workshop, baseline: Workshop | None,
                 path: Path, signals: _Signals, cancelled: threading.Event, *,
                 branding: Branding | None = None,
                 history: Sequence[WorkshopPoint] = (),
                 translator: Translator = ENGLISH) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.translator = translator
        #: the interface's language, for the messages this job sends back (made on the
        #: GUI thread; the pool thread starts with English active)
        self.ui_translator = active()
        self.kind = kind
        self.workshop = workshop
        self.baseline = baseline
        self.branding = branding
        self.history = tuple(history)
        self.path = path
        self.signals = signals
        self.cancelled = cancelled

    def run(self) -> None:
        with activate(self.ui_translator):
            self._run()

    def _run(self) -> None:
        try:
            data = build_export(self.kind, self.workshop, self.baseline,
                                branding=self.branding, history=self.history,
                                translator=self.translator)
            if self.cancelled.is_set():
                return
            atomic_write(self.path, data)
        except OSError as exc:
            self._emit(self.signals.failed, _("Could not write {path}:\n{reason}").format(
                path=self.path, reason=system_reason(exc)))
        except Exception as exc:  # noqa: BLE001 - a report bug must not vanish in a thread
            self._emit(self.signals.failed, _("Could not build the export ({label}):\n"
                                              "{error}").format(
                label=self.kind.label, error=f"{type(exc).__name__}: {exc}"))
        else:
            self._emit(self.signals.succeeded, str(self.path))

    def _emit(self, signal: Any, *args: Any) -> None:
        if self.cancelled.is_set():
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # the job (and its signals object) was destroyed meanwhile
            pass


class ExportJob(QObject):
    """One export: a worker builds the file while a progress dialog shows.

    Args:
        parent: the window the dialogs belong to.
        workshop: the workshop (copied before the worker starts).
        baseline: the workshop it is compared with, if any (copied too).
        kind: what to export.
        path: where to write it.
        pool: the thread pool (default: the global one).
        notify: show a message box when done (tests turn it off or close it).
        progress: show the progress dialog.

    Signals:
        finished(str): the file was written; its path.
        failed(str): it could not be built or written; a message for people.
        cancelled(): the user cancelled; nothing was written.
    """

    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, workshop: Workshop, baseline: Workshop | None,
                 kind: ExportKind, path: str | Path, *, pool: QThreadPool | None = None,
                 notify: bool = True, progress: bool = True, branding: Branding | None = None,
                 history: Sequence[WorkshopPoint] = (), translator: Translator | None = None
                 ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.kind = kind
        self.path = Path(path)
        self.pool = pool or QThreadPool.globalInstance()
        self.notify = notify
        self.show_progress = progress
        self.running = False
        self.message_box: QMessageBox | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._signals = _Signals(self)
        self._signals.succeeded.connect(self._succeeded)
        self._signals.failed.connect(self._failed)
        self._worker = _Worker(kind, copy.deepcopy(workshop), copy.deepcopy(baseline),
                               self.path, self._signals, self._cancel, branding=branding,
                               history=history, translator=translator or active())

    def start(self) -> None:
        """Start the worker and show the progress dialog."""
        if self.show_progress:
            building = _("Building the export: {label}…").format(label=self.kind.label)
            dialog = QProgressDialog(building, _("Cancel"), 0, 0, self.parent_widget)
            dialog.setWindowTitle(_("Export"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # a quick export does not flash a dialog
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            self.progress_dialog = dialog
        self.running = True
        self.pool.start(self._worker)

    def cancel(self) -> None:
        """Stop waiting: the file is not written, ``cancelled`` is emitted."""
        if not self.running:
            return
        self._cancel.set()
        self._done()
        self.cancelled.emit()

    def _done(self) -> None:
        self.running = False
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    def _succeeded(self, path: str) -> None:
        self._done()
        if self.notify:
            box = self._box(QMessageBox.Icon.Information, _("Export finished"),
                            _("{label} saved to\n{path}").format(label=self.kind.label,
                                                                  path=path))
            open_button = box.addButton(pgettext("verb", "Open"), QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            open_button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(path)))
            box.open()
        self.finished.emit(path)

    def _failed(self, message: str) -> None:
        self._done()
        if self.notify:
            box = self._box(QMessageBox.Icon.Warning, _("Export failed"), message)
            box.addButton(QMessageBox.StandardButton.Close)
            box.open()
        self.failed.emit(message)

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton,
                          self.parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.destroyed.connect(lambda *_args: setattr(self, "message_box", None))
        return box


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def ask_export_path(parent: QWidget, workshop: Workshop, kind: ExportKind,
                    translator: Translator | None = None) -> Path | None:
    """Ask where to save an export (None: the user cancelled).

    The suggested name is in the report's language (``translator``, default the
    interface's): an English report from the German app is "… CALMS summary.pdf".
    """
    with activate(translator or active()):
        suggested = _documents() / export_filename(kind, workshop)
    path, _unused = QFileDialog.getSaveFileName(parent, _('Export {label}').format(
        label=kind.label), str(suggested),
                                          _(FILTERS[kind.suffix]))
    if not path:
        return None
    result = Path(path)
    if result.suffix.lower() != kind.suffix:
        result = result.with_name(result.name + kind.suffix)
    return result


def export_report(parent: QWidget, workshop: Workshop, baseline: Workshop | None,
                  kind: ExportKind | str, path: str | Path | None = None, *,
                  pool: QThreadPool | None = None, notify: bool = True,
                  branding: Branding | None = None,
                  history: Sequence[WorkshopPoint] = (),
                  translator: Translator | None = None) -> ExportJob | None:
    """Export ``workshop`` as ``kind`` off the GUI thread, with a progress dialog.

    Args:
        parent: the window.
        workshop: the workshop to export.
        baseline: the workshop it is compared with (loaded by the caller), if any.
        kind: an :class:`~calms_desktop.reports.ExportKind` (or its value, e.g. "attendee").
        path: where to save; asked with a file dialog when None.
        pool: the thread pool to use (default: the global one).
        notify: show a message box with the outcome.
        branding: who prepared the PDFs (File > Report branding…).
        history: the team's assessments, for the facilitator report's progress section.
        translator: the report's language (default: the interface's).

    Returns:
        The running job (connect to ``finished``/``failed``), or None if the user
        cancelled the file dialog.
    """
    kind = ExportKind(kind)
    target = Path(path) if path is not None else ask_export_path(parent, workshop, kind,
                                                                 translator)
    if target is None:
        return None
    job = ExportJob(parent, workshop, baseline, kind, target, pool=pool, notify=notify,
                    branding=branding, history=history, translator=translator)
    job.start()
    return job


def save_figure_dialog(parent: QWidget, figure: Figure, suggested: str = "calms-chart",
                       path: str | Path | None = None, *, notify: bool = True) -> Path | None:
    """Save ``figure`` as PNG or SVG, asking where unless ``path`` is given.

    Returns:
        The file written, or None (cancelled, or it could not be written — then
        a warning says why when ``notify``).
    """
    if path is None:
        filters = ";;".join(f"{_(desc)} (*{suffix})" for suffix, desc in FORMATS.items())
        chosen, selected = QFileDialog.getSaveFileName(
            parent, _("Save chart"), str(_documents() / f"{suggested}.png"), filters)
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() not in FORMATS:
            suffix = ".svg" if "svg" in selected.lower() else ".png"
            target = target.with_name(target.name + suffix)
    else:
        target = Path(path)
    try:
        return save_figure(figure, target)
    except (OSError, ValueError) as exc:
        if notify:
            box = QMessageBox(QMessageBox.Icon.Warning, _("Save chart"),
                              _('Could not save the chart:\n{exc}').format(exc=exc),
                              QMessageBox.StandardButton.Close, parent)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        return None
