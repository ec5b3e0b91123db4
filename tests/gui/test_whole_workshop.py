"""A whole workshop through the main window, from the keyboard.

Set-up → intro → five pillars (votes typed in the grid, one pillar by a
show-of-hands tally, reveal, notes, an action) → summary, with undo and redo
on the way, the projector following along, and the library holding every
change at the end.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from calms_desktop.core import fileformat
from calms_desktop.core.model import PILLARS, Pillar, PillarState
from calms_desktop.core.scoring import score_workshop
from calms_desktop.gui.screens.intro_screen import IntroScreen
from calms_desktop.gui.screens.pillar_screen import PillarScreen
from calms_desktop.gui.screens.setup_screen import SetupScreen
from calms_desktop.gui.screens.summary_screen import SummaryScreen

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NAMES = ["Ana", "Bo <b>", "Chen Wei 陈伟", "Dana", "Émile", "Fatima فاطمة"]


def focused(window):
    return QApplication.focusWidget() or window


def press(qtbot, window, key, modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(window), key, modifiers)
    # Let the event loop run between keys, as it does for a person (item
    # delegates, for one, commit an edit on Return through a queued call).
    QApplication.processEvents()


@pytest.fixture
def window(app_window):
    return app_window


def test_a_whole_workshop_from_the_keyboard(qtbot, window):

    # -- set-up -----------------------------------------------------------------
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    c = window.controller
    setup = window.current_screen()
    assert isinstance(setup, SetupScreen)
    qtbot.waitUntil(setup.ui.titleEdit.hasFocus)
    qtbot.keyClicks(setup.ui.titleEdit, "Q4 CALMS check")
    qtbot.keyClick(setup.ui.titleEdit, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(window), "R&D <Platform>")  # organisation, markup and all
    setup.add_names("\n".join(NAMES))
    press(qtbot, window, Qt.Key.Key_PageDown, CTRL)  # leaving set-up commits it
    ws = c.workshop
    assert (ws.title, ws.organisation) == ("Q4 CALMS check", "R&D <Platform>")
    assert [p.name for p in ws.participants] == NAMES
    assert window.windowTitle().startswith("CALMS Workshop — Q4 CALMS check")
    assert isinstance(window.current_screen(), IntroScreen)

    window.toggle_projector()  # the room's window follows the console
    projector = window.projector
    assert projector is not None
    window.activateWindow()  # the facilitator keeps typing in the console
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    # -- the five pillars ---------------------------------------------------------
    for n, pillar in enumerate(PILLARS):
        press(qtbot, window, Qt.Key.Key_PageDown, CTRL)
        screen = window.current_screen()
        assert isinstance(screen, PillarScreen) and screen.pillar == pillar
        assert c.step == pillar.value
        assert ws.pillar_states[pillar] == PillarState.VOTING
        statements = [s.id for s in ws.questionnaire.section(pillar).statements]
        if pillar == Pillar.LEAN:  # this room votes Lean by show of hands
            press(qtbot, window, Qt.Key.Key_M, CTRL)
            for _ in statements:
                for digits in ("0", "2", "3", "1"):  # hands at 1, 2, 3, 4
                    spin = focused(window)
                    spin.selectAll()
                    qtbot.keyClicks(spin, digits)
                    qtbot.keyClick(spin, Qt.Key.Key_Tab)
                press(qtbot, window, Qt.Key.Key_Return)
            assert all(ws.tallies[s] == {2: 2, 3: 3, 4: 1} for s in statements)
            press(qtbot, window, Qt.Key.Key_M, CTRL)  # back to the grid
        else:
            screen.grid.setFocus()
            qtbot.keyClicks(screen.grid, f"{(n % 4) + 1}3?4{5 - n % 3}2" * len(statements))
            assert len([k for k in ws.votes if k[0] in statements]) == 6 * len(statements)
        assert projector.step_title() == ws.questionnaire.section(pillar).name
        # Before the reveal the grid shows who voted, never what.
        if pillar != Pillar.LEAN:
            model = screen.grid.model()
            cells = {model.index(r, col).data() for r in range(model.rowCount())
                     for col in range(model.columnCount())}
            assert not cells & {"1", "2", "3", "4", "5"}

        press(qtbot, window, Qt.Key.Key_R, CTRL)  # reveal
        assert ws.pillar_states[pillar] == PillarState.REVEALED
        if pillar != Pillar.LEAN:
            assert screen.grid.model().index(0, 0).data() in {"1", "2", "3", "4", "5"}

        screen.notes.setFocus()
        qtbot.keyClicks(screen.notes, f"Notes on {pillar.title}")
        screen.notes.insertPlainText(" — 讨论 🙂")  # as an input method would (QTest types ASCII)
        press(qtbot, window, Qt.Key.Key_Return, CTRL)  # add an action
        qtbot.keyClicks(focused(window), f"Improve {pillar.title}")
        press(qtbot, window, Qt.Key.Key_Return)
        assert screen.commit()
        assert ws.notes[pillar.value] == f"Notes on {pillar.title} — 讨论 🙂"
        assert [a.text for a in ws.actions if a.pillar == pillar] == [f"Improve {pillar.title}"]
        press(qtbot, window, Qt.Key.Key_D, CTRL)  # done
        assert ws.pillar_states[pillar] == PillarState.DONE

    # -- undo and redo through the window's shortcuts --------------------------------
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert ws.pillar_states[Pillar.SHARING] == PillarState.REVEALED
    press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)
    assert ws.pillar_states[Pillar.SHARING] == PillarState.DONE

    # -- summary --------------------------------------------------------------------
    press(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    summary = window.current_screen()
    assert isinstance(summary, SummaryScreen)
    assert c.step == "summary"
    score = score_workshop(ws)
    assert score.overall is not None
    # Everything the room did is on disk, exactly as it is in memory.
    on_disk = window.library.load(ws.id)
    assert fileformat.dumps(on_disk) == fileformat.dumps(ws)
    assert len(on_disk.actions) == 5
    assert projector.step_title() == "Summary"
    assert all(s == PillarState.DONE for s in on_disk.pillar_states.values())
