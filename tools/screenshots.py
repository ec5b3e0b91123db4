"""Screenshots of every screen, at the sizes a facilitator's laptop and a
projector use, for looking at before calling a screen done.

Run under a real (virtual) display::

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m tools.screenshots [--out out/screenshots]

(``make screenshots`` does that.) The app opens on a temporary library with
the demo workshops; each screen is shown in a real window, resized to each
size, and saved with ``QWidget.grab()`` as ``NN-<screen>-<W>x<H>.png``.
Screens whose module is not there (yet) are skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from calms_desktop.core.i18n import LANGUAGES

DEFAULT_SIZES = ((1366, 768), (1920, 1080))


def _parse_size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


class Shooter:
    """Shows screens of one main window and saves their pictures."""

    def __init__(self, app, window, out: Path) -> None:
        self.app = app
        self.window = window
        self.out = out
        self.saved: list[Path] = []
        self.skipped: list[str] = []
        self._n = 0

    def settle(self, ms: int = 250) -> None:
        """Let layouts, deferred updates and chart draws finish."""
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)
        self.app.processEvents()

    def shoot(self, name: str, size: tuple[int, int], show: Callable[[], object],
              grab: Callable[[], object] | None = None) -> None:
        self._n += 1
        label = f"{name}-{size[0]}x{size[1]}"
        try:
            from PySide6.QtWidgets import QWidget

            target = show()
            self.settle()
            widget = grab() if grab is not None else (
                target if isinstance(target, QWidget) else self.window)
            path = self.out / f"{self._n:02d}-{label}.png"
            if not widget.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            self.saved.append(path)
            print(f"saved   {path}")
        except (ImportError, AttributeError) as exc:
            self.skipped.append(label)
            print(f"skipped {label}: not available ({exc})")
        except Exception as exc:  # a broken screen must not stop the others
            self.skipped.append(label)
            print(f"skipped {label}: {type(exc).__name__}: {exc}")
            traceback.print_exc(limit=3)


def run(out: Path, sizes: tuple[tuple[int, int], ...], lang: str = "en") -> int:
    from PySide6.QtWidgets import QApplication

    from calms_desktop.appdata import APPLICATION, ORGANISATION
    from calms_desktop.core.i18n import Translator
    from calms_desktop.gui.i18n import install

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    translator = Translator(lang)
    qt_translators = install(app, translator)  # noqa: F841 - kept alive for the run

    from calms_desktop.core.demo import install_demo
    from calms_desktop.core.model import PILLARS
    from calms_desktop.gui.app import create_window

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="calms-shots-") as tmp:
        window = create_window(Path(tmp), translator=translator)
        install_demo(window.library)
        window.show()
        shooter = Shooter(app, window, out)
        try:
            for size in sizes:
                window.showNormal()
                window.resize(*size)
                window.statusBar().clearMessage()
                shooter.settle(300)
                _shoot_window(shooter, window, size, PILLARS)
        finally:
            projector = getattr(window, "projector", None)
            window.close()
            if projector is not None:
                projector.close()
            window.library.close()
            app.processEvents()
    print(f"\n{len(shooter.saved)} screenshots in {out}"
          + (f"; skipped: {', '.join(shooter.skipped)}" if shooter.skipped else ""))
    return 0 if shooter.saved else 1


def _shoot_window(shooter: Shooter, window, size, pillars) -> None:
    w = window

    def start():
        w.close_workshop()
        w.show_start()

    shooter.shoot("start", size, start)
    shooter.shoot("setup", size, lambda: (w.open_demo(), w.go_to("setup")))
    shooter.shoot("intro", size, lambda: w.go_to("intro"))
    for pillar in pillars:
        shooter.shoot(pillar.value, size, lambda p=pillar: w.go_to(p.value))
    shooter.shoot("summary", size, lambda: w.go_to("summary"))

    def metrics_panel(which: int, metric: str):
        """The Measurement step's delivery metrics: measured (re-assessment) or the
        room's estimate (baseline), with the metric's editor below."""
        from calms_desktop.core.demo import DEMO_IDS
        from calms_desktop.core.metrics import catalogue

        if w.controller is None or w.controller.workshop.id != DEMO_IDS[which]:
            w.open_workshop(DEMO_IDS[which])
        w.go_to("measurement")
        screen = w._screens["measurement"]
        screen.ui.entryTabs.setCurrentWidget(screen.metrics)
        row = [m.id for m in catalogue().metrics].index(metric)
        screen.metrics.table.setCurrentCell(row, 0)

    shooter.shoot("measurement-metrics", size, lambda: metrics_panel(1, "lead_time"))
    shooter.shoot("measurement-metrics-estimate", size,
                  lambda: metrics_panel(0, "recovery_time"))
    w.open_demo()  # the shots below start from the demo as it opens

    def live_pillar():
        """A re-assessment in progress: the vote grid with some votes in."""
        from calms_desktop.core.factory import reassessment_of

        previous = w.library.load(w.controller.workshop.id)
        ws = reassessment_of(previous)
        ws.title = "CALMS check-in"
        w._save_and_open(ws, "intro")
        c = w.controller
        w.go_to(pillars[0].value)
        statements = ws.questionnaire.section(pillars[0]).statements
        for i, p in enumerate(ws.participants[:7]):
            c.vote(statements[0].id, p.id, 2 + i % 3)
        for p in ws.participants[:4]:
            c.vote(statements[1].id, p.id, 3)
        c.set_statement(statements[1].id)

    shooter.shoot(f"{pillars[0].value}-voting", size, live_pillar)
    shooter.shoot("intro-review", size, lambda: w.go_to("intro"))
    shooter.shoot("setup-reassessment", size, lambda: w.go_to("setup"))

    dialogs = []

    def shortcuts():
        from calms_desktop.gui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(w)
        dialogs.append(dialog)
        dialog.show()
        return dialog

    shooter.shoot("shortcuts", size, shortcuts)

    def about():
        from calms_desktop.gui.about_dialog import AboutDialog

        dialog = AboutDialog(w.library.folder, w)
        dialogs.append(dialog)
        dialog.show()
        return dialog

    shooter.shoot("about", size, about)

    def radar_table():
        from calms_desktop.gui.widgets.radar_canvas import RadarPanel

        w.go_to(pillars[0].value)
        panel = w.findChild(RadarPanel)
        panel.show_table(True)
        return w

    shooter.shoot(f"{pillars[0].value}-radar-table", size, radar_table)
    from calms_desktop.gui.widgets.radar_canvas import RadarPanel

    for panel in w.findChildren(RadarPanel):
        panel.show_table(False)  # the other screenshots show the chart alone
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()

    for which in ("browser", "progress", "portfolio"):
        name = "library" if which == "browser" else which
        shooter.shoot(name, size, lambda k=which: w.show_library(k))

    def progress_metrics():
        w.show_library("progress")
        screen = w.library_progress if hasattr(w, "library_progress") else None
        if screen is None:
            from calms_desktop.gui.library.progress import TeamProgressScreen

            screen = w.findChild(TeamProgressScreen)
        screen.ui.tabs.setCurrentWidget(screen.metrics_tab)

    shooter.shoot("progress-metrics", size, progress_metrics)

    def projector(step: str):
        if w.controller is None:
            w.open_demo()
        w.go_to(step)
        if w.projector is None or not w.projector.isVisible():
            w.toggle_projector()
        proj = w.projector
        proj.showNormal()
        proj.resize(*size)
        return proj

    shooter.shoot(f"projector-{pillars[1].value}", size, lambda: projector(pillars[1].value))
    shooter.shoot("projector-summary", size, lambda: projector("summary"))

    def revealed(step: str):
        """The demo re-assessment: every pillar revealed."""
        from calms_desktop.core.demo import DEMO_IDS

        if w.controller is None or w.controller.workshop.id != DEMO_IDS[1]:
            w.open_workshop(DEMO_IDS[1])
        return projector(step)

    shooter.shoot(f"projector-{pillars[0].value}-results", size,
                  lambda: revealed(pillars[0].value))
    shooter.shoot("projector-summary-results", size, lambda: revealed("summary"))
    if w.projector is not None and w.projector.isVisible():
        w.toggle_projector()

    def deleted():
        """The check-in moved to the trash: the start screen offers to undo it."""
        checkin = w.controller.workshop.id if w.controller is not None else None
        start()
        screen = w.start_screen
        if checkin and screen.select(checkin):
            screen.confirm = lambda _title, _text: True
            screen.delete_selected()

    shooter.shoot("start-deleted", size, deleted)
    shooter.shoot("trash", size, w.start_screen.show_trash)
    if w.start_screen.trash_dialog is not None:
        w.start_screen.trash_dialog.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("out/screenshots"),
                        help="folder for the PNG files (default: out/screenshots)")
    parser.add_argument("--size", action="append", type=_parse_size, metavar="WxH",
                        help="a window size (repeatable; default: 1366x768 and 1920x1080)")
    parser.add_argument("--lang", default="en", choices=LANGUAGES,
                        help="the interface's language (default: en)")
    args = parser.parse_args(argv)
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        print('error: no display. Run under xvfb-run -a -s "-screen 0 1920x1080x24" '
              "(make screenshots does).", file=sys.stderr)
        return 2
    return run(args.out, tuple(args.size or DEFAULT_SIZES), args.lang)


if __name__ == "__main__":
    sys.exit(main())
