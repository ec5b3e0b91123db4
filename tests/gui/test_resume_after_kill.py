"""Kill the app mid-workshop (SIGKILL) and resume it: nothing acknowledged is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.factory import new_workshop
from calms_desktop.core.model import DONT_KNOW, Participant, Pillar, PillarState
from calms_desktop.core.storage import Library
from calms_desktop.gui.app import create_window, offer_resume

CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from calms_desktop.gui.app import create_window
    window = create_window(__import__("pathlib").Path(sys.argv[1]))
    window.show()
    window.open_workshop(sys.argv[2])
    c = window.controller
    window.go_to("automation")
    statements = [s.id for s in c.workshop.questionnaire.section(
        __import__("calms_desktop.core.model", fromlist=["Pillar"]).Pillar.AUTOMATION).statements]
    c.set_statement(statements[2])
    c.toggle_timer()
    app.processEvents()
    print("ready", flush=True)
    n = 0
    while True:
        for s in statements:
            for p in c.workshop.participants:
                score = (n % 6)  # 0 = don't know, 1..5
                assert c.vote(s, p.id, score)
                print(f"ack {s} {p.id} {score}", flush=True)
                n += 1
                if n % 7 == 0:
                    app.processEvents()
    """
)


def test_killed_app_resumes_with_every_acknowledged_vote(qtbot, tmp_path):
    data = tmp_path / "lib"
    ws = new_workshop(
        qmod.builtin(), title="Kill test", organisation="Acme", team="Ops",
        participants=[Participant(f"p{i}", f"Person {i} — ñ") for i in range(12)],
    )
    lib = Library(data)
    lib.save(ws)
    lib.close()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CALMS_DATA_DIR": str(data)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), ws.id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    acks: dict[tuple[str, str], int] = {}
    assert child.stdout is not None
    try:
        first = child.stdout.readline().strip()
        assert first == "ready", child.stderr.read() if child.stderr else ""
        while len(acks) < 40:  # well into the workshop, then kill without warning
            line = child.stdout.readline()
            assert line.startswith("ack "), line + (child.stderr.read() if child.stderr else "")
            _, s, p, score = line.split()
            acks[(s, p)] = int(score)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    # Any ack still in the pipe was also acknowledged before the kill.
    for line in child.stdout.read().splitlines():
        if line.startswith("ack "):
            _, s, p, score = line.split()
            acks[(s, p)] = int(score)

    window = create_window(data)
    qtbot.addWidget(window)
    questions: list[str] = []
    assert offer_resume(window, lambda text: questions.append(text) or True)
    assert "Kill test" in questions[0]
    c = window.controller
    assert c is not None
    for (s, p), score in acks.items():
        vote = c.workshop.vote(s, p)
        assert vote is not None, (s, p)
        assert vote.score == score
    assert any(v == DONT_KNOW for v in acks.values())
    assert c.step == "automation"
    auto = [st.id for st in c.workshop.questionnaire.section(Pillar.AUTOMATION).statements]
    # where it was, or — that column being full — the next one: the grid's cursor is
    # on the next empty cell, so the next key can never overwrite an answer
    assert c.statement_id in auto[2:4]
    grid = window.current_screen().grid
    index = grid.currentIndex()
    cell = (grid.grid_model.statements[index.column()].id,
            grid.grid_model.participant_ids[index.row()])
    assert cell[0] == c.statement_id and c.workshop.vote(*cell) is None
    assert c.workshop.pillar_states[Pillar.AUTOMATION] == PillarState.VOTING
    assert c.timer.step == "automation" and c.timer.running
    window.close()
    # A clean close leaves nothing to resume.
    assert window.context.resume.load() is None
    window.library.close()
