"""The projector window: private until the reveal, follows the console, presenter keys."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QProgressBar, QWidget

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.factory import new_workshop
from calms_desktop.core.model import (
    PILLARS,
    STEPS,
    ActionItem,
    Participant,
    Pillar,
    PillarState,
    VotingMode,
)
from calms_desktop.core.privacy import withheld_message
from calms_desktop.core.scoring import Distribution
from calms_desktop.gui.projector.theme import THEMES
from calms_desktop.gui.projector.widgets import DistributionBar, TextFitter
from calms_desktop.gui.projector.window import ProjectorWindow
from calms_desktop.gui.settings import Settings
from calms_desktop.room import presentation as sl

CULTURE_INDEX = list(PILLARS).index(Pillar.CULTURE)
VOTES = [2, 3, 3, 4, 4, 5]  # mean 3.5; per level 0, 1, 2, 2, 1


# -- helpers ------------------------------------------------------------------------------
def all_texts(window: QWidget) -> list[str]:
    """Every text the window holds, shown or hidden (labels, full texts, tips, names)."""
    out = [window.windowTitle(), window.toolTip()]
    for w in window.findChildren(QWidget):
        if isinstance(w, QLabel):
            out += [w.text(), TextFitter.full_text(w)]
        if isinstance(w, QAbstractButton):
            out.append(w.text())
        if isinstance(w, QProgressBar):
            out.append(w.text())
        out += [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.statusTip()]
    return [t for t in out if t]


def count_labels(window: ProjectorWindow) -> list[str]:
    """The counts of the level rows on show (a statement has five; a metric up to six)."""
    return [lab.text() for lab in window.findChildren(QLabel)
            if lab.property("role") == "count" and not lab.parentWidget().parentWidget().isHidden()]


def bar_values(window: ProjectorWindow) -> list[int]:
    return [bar.value for bar in window.findChildren(DistributionBar)
            if not bar.parentWidget().parentWidget().isHidden()]


def culture_radar_value(radar) -> float:
    _angles, radii = radar.chart.series("current")
    if len(radii) == 0:
        return math.nan
    return float(radii[CULTURE_INDEX])


def first_statement(controller, pillar=Pillar.CULTURE) -> str:
    return controller.workshop.questionnaire.section(pillar).statements[0].id


def vote_all(controller, statement_id, scores):
    for participant, score in zip(controller.workshop.participants, scores, strict=False):
        assert controller.vote(statement_id, participant.id, score)


@pytest.fixture
def settings(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings.for_data_dir(data_dir)


@pytest.fixture
def projector(qtbot, library, settings):
    window = ProjectorWindow(library, settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    yield window
    window.close()


# -- privacy: nothing before the reveal -------------------------------------------------------
def test_no_vote_value_appears_before_the_reveal_and_all_appear_after(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")
    sid = first_statement(c)
    vote_all(c, sid, VOTES)

    texts = all_texts(projector)
    assert "6 of 6" in texts
    assert not any("3.5" in t for t in texts)
    assert not any(v in t for t in texts for v in sl.VERDICT_TEXT.values())
    assert count_labels(projector) == ["", "", "", "", ""]
    assert bar_values(projector) == [0, 0, 0, 0, 0]
    assert math.isnan(culture_radar_value(projector.pillar_radar))
    assert math.isnan(culture_radar_value(projector.summary_radar))

    assert c.reveal(Pillar.CULTURE)
    texts = all_texts(projector)
    assert "3.5" in texts
    assert "⚑ Worth discussing" in texts
    assert count_labels(projector) == ["0", "1", "2", "2", "1"]
    assert bar_values(projector) == [0, 1, 2, 2, 1]
    assert culture_radar_value(projector.pillar_radar) == pytest.approx(3.5)
    assert not any("have voted" in t for t in texts if projector.ui.progressCard.isVisible())
    assert projector.ui.progressCard.isHidden()

    # undoing the reveal hides the values again
    c.undo()
    texts = all_texts(projector)
    assert not any("3.5" in t for t in texts)
    assert count_labels(projector) == ["", "", "", "", ""]
    assert math.isnan(culture_radar_value(projector.pillar_radar))


def test_the_summary_never_shows_an_unrevealed_pillar(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")
    vote_all(c, first_statement(c), VOTES)
    c.go_to("automation")
    vote_all(c, first_statement(c, Pillar.AUTOMATION), [1, 1, 2, 2, 1, 1])  # mean 1.3
    c.reveal(Pillar.AUTOMATION)
    c.go_to("summary")
    texts = all_texts(projector)
    assert not any("3.5" in t for t in texts)
    assert any(t.startswith("▲ Automation 1.3") for t in texts)
    assert any("Culture · not revealed yet" in t for t in texts)
    assert math.isnan(culture_radar_value(projector.summary_radar))


def test_voting_progress_updates_on_each_vote_without_polling(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")
    sid = first_statement(c)
    assert projector.ui.progressCount.text() == "0 of 6"
    for i, participant in enumerate(c.workshop.participants, 1):
        c.vote(sid, participant.id, 3)
        assert projector.ui.progressCount.text() == f"{i} of 6"
        assert projector.ui.progressText.text() == "have voted"
        assert projector.ui.progressBar.value() == i
    assert not [t for t in projector.findChildren(QTimer) if t.isActive()]


def test_a_tally_shows_the_hands_counted(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")
    sid = first_statement(c)
    c.tally(sid, {3: 2, 4: 2, 5: 1})
    assert projector.ui.progressCount.text() == "5 of 6"
    assert TextFitter.full_text(projector.ui.progressDetail) == "Show of hands: 5 hands counted"
    assert not any("3.8" in t for t in all_texts(projector))
    assert count_labels(projector) == ["", "", "", "", ""]


def test_anonymous_with_two_answers_shows_the_withheld_message(projector, make_controller):
    ws = new_workshop(qmod.builtin(), title="Anon", voting_mode=VotingMode.ANONYMOUS,
                      participants=[Participant(f"p{i}", f"P{i}") for i in range(5)])
    c = make_controller(ws)
    projector.set_controller(c)
    c.go_to("culture")
    sid = first_statement(c)
    vote_all(c, sid, [2, 4])
    c.reveal(Pillar.CULTURE)
    message = withheld_message(Distribution((0, 1, 0, 1, 0)))
    assert projector.ui.withheldLabel.isVisibleTo(projector)
    assert TextFitter.full_text(projector.ui.withheldLabel) == message
    texts = all_texts(projector)
    assert not any("3.0" in t for t in texts)
    assert count_labels(projector) == ["", "", "", "", ""]
    assert math.isnan(culture_radar_value(projector.pillar_radar))


# -- following the console ---------------------------------------------------------------------
def test_the_projector_follows_every_step(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    ui = projector.ui
    pages = {"intro": ui.introPage, "summary": ui.summaryPage}
    for step in (*STEPS, *reversed(STEPS)):
        c.go_to(step)
        assert projector.step_title() == sl.step_title(c.workshop, step)
        assert ui.slideStack.currentWidget() is pages.get(step, ui.pillarPage)
        current = [lab.text() for lab in ui.stepsBox.findChildren(QLabel)
                   if lab.property("role") == "footer-current"]
        assert current == [sl.short_label(c.workshop, step)]
    c.go_to("intro")
    for step in STEPS[1:]:
        c.next_step()
        assert projector.step_title() == sl.step_title(c.workshop, step)


def test_the_projector_follows_the_current_statement(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("lean")
    statements = c.workshop.questionnaire.section(Pillar.LEAN).statements
    for i, st in enumerate(statements, 1):
        c.set_statement(st.id)
        assert TextFitter.full_text(projector.ui.statementText) == st.text
        assert projector.ui.statementCaption.text() == f"L{i} · Statement {i} of {len(statements)}"
    names = [TextFitter.full_text(lab) for lab in projector.ui.levelsBox.findChildren(QLabel)
             if lab.property("role") == "level" and not lab.parentWidget().isHidden()]
    assert names == list(statements[-1].levels)


def test_intro_shows_title_team_and_agenda(projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    texts = all_texts(projector)
    assert projector.step_title() == "Welcome"
    assert "Test workshop" in texts
    assert "Acme / Core" in texts
    assert "Culture" in texts and "20 min" in texts


def test_a_new_controller_replaces_the_old_one(projector, fresh_controller, demo_controller):
    projector.set_controller(fresh_controller)
    projector.set_controller(demo_controller)
    demo_controller.go_to("summary")
    assert projector.step_title() == "Summary"
    fresh_controller.go_to("culture")  # the old one no longer drives the projector
    assert projector.step_title() == "Summary"
    projector.set_controller(None)
    assert projector.ui.slideStack.currentWidget() is projector.ui.waitingPage
    assert projector.slide is None


def test_a_deleted_controller_leaves_the_waiting_slide(qtbot, projector, library, clock):
    from calms_desktop.core.session import WorkshopSession
    from calms_desktop.gui.commands import WorkshopController

    ws = new_workshop(qmod.builtin(), title="Short-lived")
    library.save(ws)
    c = WorkshopController(WorkshopSession(library.load(ws.id), library), None, clock=clock)
    projector.set_controller(c)
    assert projector.step_title() == "Welcome"
    with qtbot.waitSignal(c.destroyed):
        c.deleteLater()
    assert projector.controller is None
    assert projector.ui.slideStack.currentWidget() is projector.ui.waitingPage


def test_the_demo_summary_lists_strongest_weakest_and_actions(projector, demo_controller):
    c = demo_controller
    projector.set_controller(c)
    c.go_to("summary")
    slide = projector.slide
    assert isinstance(slide, sl.SummarySlide)
    texts = all_texts(projector)
    assert any(t.startswith("▲ ") for t in texts) and any(t.startswith("▼ ") for t in texts)
    assert slide.actions and f"• {slide.actions[0].text}" in texts
    assert not math.isnan(culture_radar_value(projector.summary_radar))
    _angles, radii = projector.summary_radar.chart.series("baseline")
    assert len(radii) and not math.isnan(radii[0])


def test_user_text_is_plain_and_long_text_is_cut(qtbot, projector, make_controller):
    title = ("<b>Big</b> & 🚀 فريق 团队 " * 25)[:500]  # the longest title a workshop may have
    ws = new_workshop(qmod.builtin(), title=title, organisation="<i>Org</i>", team="T")
    c = make_controller(ws)
    c.put_action(ActionItem("a1", "<b>not bold</b> " * 700, owner="李娜", pillar=Pillar.LEAN))
    projector.set_controller(c)
    projector.show()
    qtbot.waitExposed(projector)
    shown = projector.ui.introTitle.text()
    assert shown.startswith("<b>Big</b> & 🚀")
    assert len(shown) < 400 and shown.endswith("…")
    assert TextFitter.full_text(projector.ui.introTitle) == title.strip()
    assert "<i>Org</i> / T" in all_texts(projector)
    assert projector.ui.introTitle.textFormat() == Qt.TextFormat.PlainText
    c.go_to("summary")
    box = projector.ui.actionsBox
    actions = [lab for lab in box.findChildren(QLabel) if lab.isVisibleTo(projector)]
    assert actions[0].text().startswith("• <b>not bold</b>")
    assert len(actions[0].text()) < 400  # one line of a 10,000-character action
    projector.close()


# -- the timer ---------------------------------------------------------------------------------
def test_the_timer_counts_down_pauses_and_goes_over(projector, fresh_controller, clock):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")  # 20 minutes
    ui = projector.ui
    assert ui.timerLabel.text() == "20:00" and ui.timerCaption.text() == "planned"
    c.toggle_timer()
    assert projector._tick.isActive()  # the display ticks only while the timer runs
    clock.advance(61_000)
    c.toggle_timer()
    assert not projector._tick.isActive()
    assert ui.timerLabel.text() == "18:59"
    assert ui.timerCaption.text() == "paused · left"
    c.toggle_timer()
    clock.advance(20 * 60_000)
    c.toggle_timer()
    assert ui.timerLabel.text() == "+01:01"
    assert ui.timerCaption.text() == "paused · over time"
    assert ui.timerLabel.property("tone") == "over"


# -- the presenter's keys ----------------------------------------------------------------------
def test_b_blanks_and_unblanks(qtbot, projector, fresh_controller):
    projector.set_controller(fresh_controller)
    ui = projector.ui
    with qtbot.waitSignal(projector.display_changed) as blocker:
        qtbot.keyClick(projector, Qt.Key.Key_B)
    assert blocker.args == ["blank"]
    assert projector.is_blanked and ui.displayStack.currentWidget() is ui.blankPage
    image = projector.grab().toImage()
    for x, y in ((5, 5), (640, 360), (1270, 710)):
        assert image.pixelColor(x, y).name() == "#000000"
    qtbot.keyClick(projector, Qt.Key.Key_B)
    assert not projector.is_blanked and ui.displayStack.currentWidget() is ui.livePage
    projector.blank()  # the console's way
    assert projector.display_mode == "blank"
    qtbot.keyClick(projector, Qt.Key.Key_Period)
    assert projector.display_mode == "live"


def test_f_freezes_and_unfreezing_shows_the_state_now(qtbot, projector, fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")
    sid = first_statement(c)
    qtbot.keyClick(projector, Qt.Key.Key_F)
    assert projector.is_frozen
    assert projector.ui.displayStack.currentWidget() is projector.ui.frozenPage
    c.vote(sid, c.workshop.participants[0].id, 4)
    assert projector.ui.displayStack.currentWidget() is projector.ui.frozenPage
    qtbot.keyClick(projector, Qt.Key.Key_F)
    assert projector.display_mode == "live"
    assert projector.ui.progressCount.text() == "1 of 6"
    # blank wins over freeze, and unblanking returns to the frozen frame
    projector.freeze()
    projector.blank()
    assert projector.display_mode == "blank"
    projector.blank()
    assert projector.display_mode == "frozen"
    projector.freeze()
    assert projector.display_mode == "live"


def test_f5_toggles_full_screen_and_esc_leaves_it(qtbot, projector):
    projector.show()
    qtbot.waitExposed(projector)
    qtbot.keyClick(projector, Qt.Key.Key_F5)
    assert projector.isFullScreen()
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert not projector.isFullScreen()
    projector.toggle_fullscreen()
    assert projector.isFullScreen()
    projector.toggle_fullscreen()
    assert not projector.isFullScreen()
    qtbot.keyClick(projector, Qt.Key.Key_Escape)  # Esc in a window is harmless
    assert projector.isVisible() and not projector.isFullScreen()
    projector.close()


def test_keys_with_modifiers_are_not_presenter_keys(qtbot, projector):
    qtbot.keyClick(projector, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert projector.display_mode == "live"


def test_t_and_set_theme_switch_and_remember_the_theme(qtbot, projector, settings):
    assert projector.theme_name == settings.projector_theme == "dark"
    with qtbot.waitSignal(projector.theme_changed):
        qtbot.keyClick(projector, Qt.Key.Key_T)
    assert projector.theme_name == "light"
    assert settings.projector_theme == "light"
    assert THEMES["light"].background in projector.styleSheet()
    face = projector.pillar_radar.figure.get_facecolor()
    assert face[:3] == pytest.approx((1.0, 1.0, 1.0))
    projector.set_theme("dark")
    assert THEMES["dark"].background in projector.styleSheet()
    with pytest.raises(ValueError):
        projector.set_theme("neon")


def test_the_theme_setting_is_used_when_the_window_opens(qtbot, library, settings):
    settings.projector_theme = "light"
    window = ProjectorWindow(library, settings)
    qtbot.addWidget(window)
    assert window.theme_name == "light"


def test_the_context_menu_names_every_key(projector):
    shortcuts = [a.text().split("\t")[1] for a in projector.actions()]
    assert shortcuts == ["F5", "Esc", "B", "F", "T"]


# -- size and screens -------------------------------------------------------------------------
def _pixel_size(label: QLabel) -> int:
    label.ensurePolished()
    return label.font().pixelSize()


def test_text_scales_with_the_window_height(qtbot, projector, fresh_controller):
    projector.set_controller(fresh_controller)
    projector.show()
    qtbot.waitExposed(projector)
    projector.resize(1280, 720)
    small = _pixel_size(projector.ui.timerLabel)
    projector.resize(1920, 1080)
    large = _pixel_size(projector.ui.timerLabel)
    assert small == 48  # 1.6 × 720 / 24
    assert large == 72
    projector.resize(1280, 720)  # and back: the window can always be made smaller again
    assert projector.height() == 720
    assert _pixel_size(projector.ui.timerLabel) == 48
    projector.close()


def test_show_on_one_screen_is_a_normal_window_of_at_most_1280x720(qtbot, projector, settings):
    settings.projector_fullscreen = True
    settings.projector_screen = -1
    projector.show_on_preferred_screen()
    qtbot.waitExposed(projector)
    assert projector.isVisible()
    assert not projector.isFullScreen()  # one screen: never cover the console
    room = projector.screen().availableGeometry()
    assert projector.width() == min(1280, room.width())
    assert projector.height() == min(720, room.height())
    settings.projector_screen = 7  # not there: falls back
    projector.hide()
    projector.show_on_preferred_screen()
    assert projector.isVisible() and not projector.isFullScreen()
    projector.close()


def test_a_pillar_slide_fits_at_720p(qtbot, projector, fresh_controller):
    """Nothing is pushed out of a 1280×720 window while voting or after the reveal."""
    c = fresh_controller
    projector.set_controller(c)
    projector.show()
    qtbot.waitExposed(projector)
    c.go_to("culture")
    for stage in ("voting", "revealed"):
        if stage == "revealed":
            for st in c.workshop.questionnaire.section(Pillar.CULTURE).statements:
                vote_all(c, st.id, VOTES)
            c.reveal(Pillar.CULTURE)
        qtbot.wait(1)  # let the layout settle (an event loop turn, not a timing assert)
        projector.resize(1280, 720)
        layout = projector.ui.livePage.layout()
        assert layout.minimumSize().height() <= 720, stage
        footer = projector.ui.footerName.geometry().bottom()
        assert footer <= projector.ui.livePage.height(), stage
    projector.close()
    assert c.workshop.pillar_states[Pillar.CULTURE] == PillarState.REVEALED


# -- readable from the back of the room -------------------------------------------------------
def _chart_text_px(radar) -> list[float]:
    """Pixel sizes of the radar's scale numbers and legend entries."""
    dpi = radar.figure.dpi
    sizes = [t.get_fontsize() for t in radar.chart.ax.get_yticklabels()]
    legend = radar.chart._legend
    if legend is not None:
        sizes += [t.get_fontsize() for t in legend.get_texts()]
    return [s * dpi / 72.0 for s in sizes]


@pytest.mark.parametrize("step", ["culture", "summary"])
def test_results_radar_is_half_the_slide_with_text_as_large_as_body(qtbot, projector,
                                                                    demo_controller, step):
    from calms_desktop.gui.projector.theme import FONT_ROLES, base_size

    c = demo_controller
    projector.set_controller(c)
    projector.show()
    qtbot.waitExposed(projector)
    projector.resize(1280, 720)
    c.go_to(step)
    qtbot.wait(1)
    radar = projector.pillar_radar if step == "culture" else projector.summary_radar
    slide_height = projector.ui.slideStack.height()
    assert radar.canvas.height() >= slide_height / 2
    body = base_size(1280, 720) * FONT_ROLES["body"][0]
    assert min(_chart_text_px(radar)) >= body - 0.5
    projector.close()


def test_the_summary_shows_every_pillars_score(projector, demo_controller):
    c = demo_controller
    projector.set_controller(c)
    c.go_to("summary")
    slide = projector.slide
    assert [row.pillar for row in slide.pillars] == list(PILLARS)
    texts = all_texts(projector)
    for row in slide.pillars:
        assert any(row.text in t for t in texts)
        assert row.shown and any(ch.isdigit() for ch in row.text)
    assert "−0.0" not in " ".join(texts)


def test_after_a_reveal_the_room_looks_at_the_statement_to_discuss_first(projector,
                                                                         fresh_controller):
    c = fresh_controller
    projector.set_controller(c)
    c.go_to("culture")
    statements = c.workshop.questionnaire.section(Pillar.CULTURE).statements
    for st in statements:
        vote_all(c, st.id, [3] * 6)
    vote_all(c, statements[3].id, [1, 5, 1, 5, 1, 5])  # the room splits on C4
    c.reveal(Pillar.CULTURE)
    assert c.statement_id == statements[3].id
    assert projector.slide.statement_code == "C4"


def test_the_summary_lists_the_delivery_metrics_after_measurement_is_revealed(
        projector, demo_controller):
    c = demo_controller
    projector.set_controller(c)
    c.go_to("summary")
    texts = all_texts(projector)
    assert projector.ui.weakestHeading.text() == "Delivery metrics"
    assert "• Lead time · one day–one week · High · 1 bucket better" in texts
    assert "• Change fail rate · 6–15% · Medium · 1 bucket better" in texts
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)  # the room estimates again
    assert not any("Lead time" in t for t in all_texts(projector))
    assert not projector.ui.weakestHeading.isVisibleTo(projector)


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_the_summary_gives_way_to_every_line_at_its_full_height(qtbot, projector,
                                                                 demo_controller, size):
    """Pillars, metrics and actions never overflow the summary (a squeezed line loses its
    lower part): what does not fit is left out, metrics first, and counted — an agreed
    action always stays (breaking pass: at 1366×768 the summary said only "6 actions
    agreed")."""
    c = demo_controller
    projector.set_controller(c)
    projector.show()
    qtbot.waitExposed(projector)
    c.go_to("summary")
    projector.resize(*size)
    ui = projector.ui

    def squeezed() -> list[str]:
        return [lab.text() for box in (ui.strongestBox, ui.weakestBox, ui.actionsBox)
                for lab in box.findChildren(QLabel)
                if lab.isVisible() and lab.height() < lab.minimumSizeHint().height()]

    qtbot.waitUntil(lambda: not squeezed())  # the fit follows the resize's layout
    assert sum(1 for lab in ui.strongestBox.findChildren(QLabel) if lab.isVisible()) == 5
    shown = sum(1 for lab in ui.actionsBox.findChildren(QLabel)
                if lab.isVisible() and lab.text().startswith("•"))
    left = len(projector.slide.actions) - shown
    assert shown >= 1 and ui.actionsMore.text() == (f"+ {left} more" if left else "")
    first = projector.slide.actions[0]
    assert any(TextFitter.full_text(lab) == f"• {first.text}"
               for lab in ui.actionsBox.findChildren(QLabel) if lab.isVisible())
    metrics = [TextFitter.full_text(lab) for lab in ui.weakestBox.findChildren(QLabel)
               if lab.isVisible()]
    listed = sum(1 for t in metrics if t.startswith("•"))
    total = len(sl.metric_lines(c.workshop, c.baseline()))
    if 0 < listed < total:
        assert metrics[-1] == f"+ {total - listed} more (in the reports)"
    projector.close()



def test_the_welcome_slide_shows_a_large_qr_code_while_phones_join(projector, fresh_controller):
    """At the start the room joins: the code is large enough to scan from the back of the
    room on the welcome slide (the header's small one is for a latecomer)."""
    c = fresh_controller
    projector.set_controller(c)
    projector.show()
    c.go_to("intro")
    projector.set_join_info("http://192.168.1.23:8765/", "312387")
    assert projector.intro_join.isVisibleTo(projector)
    assert not projector.join_box.isVisibleTo(projector)
    big = projector.intro_qr.pixmap().width()
    assert big >= 0.3 * projector.height()
    assert "312 387" in projector.intro_join_text.text()
    c.go_to("culture")
    assert projector.join_box.isVisibleTo(projector)
    assert not projector.intro_join.isVisibleTo(projector)
    assert projector.join_qr.pixmap().width() < big
    projector.set_join_info("", "")
    assert not projector.join_box.isVisibleTo(projector)
    c.go_to("intro")
    assert not projector.intro_join.isVisibleTo(projector)


def test_an_english_workshop_shows_the_shipped_questionnaire_in_the_ui_language(
        projector, fresh_controller, qapp):
    from calms_desktop.core.i18n import Translator
    from calms_desktop.core.scoring import level_of
    from tests.gui.conftest import ui_language

    c = fresh_controller
    english = c.workshop.questionnaire
    assert english == qmod.builtin(english.id, "en")  # made in English
    german = qmod.builtin(english.id, "de")
    statement = german.section(Pillar.CULTURE).statements[0]
    with ui_language(qapp, Translator("de")):
        assert c.shown_workshop().questionnaire == german
        projector.set_controller(c)
        c.go_to("culture")
        vote_all(c, statement.id, VOTES)
        assert c.reveal(Pillar.CULTURE)
        texts = all_texts(projector)
        assert any(statement.text in t for t in texts)
        level = level_of(3.5)
        assert any(f"3,5 · {german.level_name(level)}" in t for t in texts)  # "Säule 3,5 · …"
        english_text = english.section(Pillar.CULTURE).statements[0].text
        assert not any(english_text in t for t in texts)
        assert not any(english.level_name(level) in t for t in texts)
    assert c.workshop.questionnaire == english  # the stored workshop is unchanged


def test_an_edited_questionnaire_stays_as_stored_in_another_language(make_controller, qapp):
    import dataclasses

    from calms_desktop.core.i18n import Translator
    from tests.gui.conftest import ui_language

    q = qmod.builtin()
    edited = dataclasses.replace(q, title=q.title + " (our version)")
    c = make_controller(new_workshop(edited, title="Ours"))
    with ui_language(qapp, Translator("de")):
        assert c.shown_workshop().questionnaire == c.workshop.questionnaire
